//! The route table: the operations of every document served (read once by `vbazure_spec`) by
//! path template and method, each with its name in the embedded document of its version
//! ([`OperationId`]), resolved once here. Nothing here names an operation of this API.
//!
//! The documents' paths differ by their version prefix (`/api/v1`, `/api/v8.1`), except the
//! token path, which carries no version: a (path, method) that several documents have is
//! served once, as the newest of them documents it.

use std::collections::BTreeMap;

use vbazure_spec::{ApiVersion, Document, MediaType, Operation, Parameter, ParameterIn};

use crate::operation_ids::OperationId;

/// An operation, and the version whose document it comes from.
#[derive(Debug)]
pub(crate) struct Routed {
    pub version: ApiVersion,
    pub operation: Operation,
    /// Its name, when the embedded document of its version has its `operationId`.
    pub id: Option<OperationId>,
}

/// What a request path and method lead to.
pub(crate) enum Found<'a> {
    Operation(&'a Routed, BTreeMap<String, String>),
    /// The path exists, the method does not: the methods it has.
    MethodNotAllowed(Vec<String>),
    /// No such path: the documented path closest to it.
    NoPath(Option<String>),
}

/// Two documented paths the router cannot tell apart.
#[derive(Debug, thiserror::Error)]
#[error("the documented path {template} cannot be routed: {reason}")]
pub struct RouteError {
    /// The path template as documented.
    pub template: String,
    /// What the router said (usually: it conflicts with another template).
    pub reason: String,
}

pub(crate) struct Routes {
    operations: Vec<Routed>,
    /// Path template → indexes into `operations`, one per method. matchit reads OpenAPI's
    /// `{param}` templates as they are written.
    router: matchit::Router<Vec<usize>>,
}

impl std::fmt::Debug for Routes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Routes")
            .field("operations", &self.operations.len())
            .finish_non_exhaustive()
    }
}

impl Routes {
    /// The routes of `documents`, given oldest first: where two have the same path and
    /// method, the later one's operation is served.
    pub(crate) fn from_documents(
        documents: &[(ApiVersion, &Document)],
    ) -> Result<Self, RouteError> {
        let mut operations: Vec<Routed> = Vec::new();
        for (version, doc) in documents {
            for operation in doc.operations() {
                operations.retain(|o| {
                    o.operation.path != operation.path || o.operation.method != operation.method
                });
                let id = operation
                    .operation_id
                    .as_deref()
                    .and_then(|id| OperationId::of(*version, id));
                operations.push(Routed {
                    version: *version,
                    operation: operation.clone(),
                    id,
                });
            }
        }
        let mut by_template: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, routed) in operations.iter().enumerate() {
            by_template
                .entry(&routed.operation.path)
                .or_default()
                .push(i);
        }
        let mut router = matchit::Router::new();
        for (template, indexes) in by_template {
            router.insert(template, indexes).map_err(|e| RouteError {
                template: template.to_string(),
                reason: e.to_string(),
            })?;
        }
        Ok(Self { operations, router })
    }

    pub(crate) fn find(&self, path: &str, method: &str) -> Found<'_> {
        let Ok(matched) = self.router.at(path) else {
            return Found::NoPath(self.closest(path));
        };
        let params: BTreeMap<String, String> = matched
            .params
            .iter()
            .map(|(name, raw)| {
                // Matched on the raw path, so that an encoded `/` stays inside its segment.
                let value = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
                (name.to_string(), value.into_owned())
            })
            .collect();
        let candidates = matched.value.iter().filter_map(|&i| self.operations.get(i));
        let mut allowed = Vec::new();
        for routed in candidates {
            if routed.operation.method.eq_ignore_ascii_case(method) {
                return Found::Operation(routed, params);
            }
            allowed.push(routed.operation.method.to_uppercase());
        }
        Found::MethodNotAllowed(allowed)
    }

    /// The documented template nearest to `path` by edit distance, each `{param}` counted as
    /// the request's own segment at that place (so only the literal parts count).
    fn closest(&self, path: &str) -> Option<String> {
        let request: Vec<&str> = path.split('/').collect();
        self.operations
            .iter()
            .map(|routed| &routed.operation)
            .map(|o| {
                let filled: Vec<&str> = o
                    .path
                    .split('/')
                    .enumerate()
                    .map(
                        |(i, segment)| match (segment.starts_with('{'), request.get(i)) {
                            (true, Some(actual)) => *actual,
                            _ => segment,
                        },
                    )
                    .collect();
                (strsim::levenshtein(path, &filled.join("/")), &o.path)
            })
            .min()
            .map(|(_, template)| template.clone())
    }
}

/// The operation's parameters that go in `place`.
pub(crate) fn parameters_in(
    operation: &Operation,
    place: ParameterIn,
) -> impl Iterator<Item = &Parameter> {
    operation
        .parameters
        .iter()
        .filter(move |p| p.location == place)
}

/// The documented body of the answer `status`: the exact status, its range, or `default`, in
/// this media type.
pub(crate) fn response_body<'a>(
    operation: &'a Operation,
    status: u16,
    media_type: &str,
) -> Option<&'a MediaType> {
    let response = operation
        .responses
        .iter()
        .find(|r| r.status == status.to_string())
        .or_else(|| operation.responses.iter().find(|r| r.covers(status)))
        .or_else(|| operation.responses.iter().find(|r| r.status == "default"))?;
    response
        .content
        .iter()
        .find(|m| m.essence() == media_type.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
openapi: 3.0.3
paths:
  /api/v1/jobSessions/{sessionId}/log:
    get: {operationId: getLog, responses: {"200": {description: ok}}}
  /api/v8.1/protectedItem/virtualMachines/deleteBackups:
    post: {operationId: deleteMany, responses: {"202": {description: ok}}}
  /api/v8.1/protectedItem/virtualMachines/{id}:
    get: {operationId: getVm, responses: {"200": {description: ok}}}
    delete: {operationId: forgetVm, responses: {"204": {description: ok}}}
"#;

    fn routes() -> Routes {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        Routes::from_documents(&[(ApiVersion::V8_1, &doc)]).unwrap()
    }

    #[test]
    fn templates_match_and_parameters_are_decoded() {
        let routes = routes();
        match routes.find("/api/v1/jobSessions/..%2Fx/log", "GET") {
            Found::Operation(routed, params) => {
                assert_eq!(routed.operation.name, "getLog");
                assert_eq!(params["sessionId"], "../x");
            }
            _ => panic!("no match"),
        }
        // A literal segment wins over a parameter in the same place.
        match routes.find(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
            "POST",
        ) {
            Found::Operation(routed, _) => assert_eq!(routed.operation.name, "deleteMany"),
            _ => panic!("no match"),
        }
        match routes.find("/api/v8.1/protectedItem/virtualMachines/vm-1", "PUT") {
            Found::MethodNotAllowed(allowed) => assert_eq!(allowed, ["GET", "DELETE"]),
            _ => panic!("expected 405"),
        }
        assert!(matches!(
            routes.find("/api/v1/jobSessions//log", "GET"),
            Found::NoPath(_)
        ));
    }

    #[test]
    fn the_closest_path_counts_only_literal_differences() {
        let routes = routes();
        let Found::NoPath(closest) = routes.find("/api/v1/jobSesions/12/log", "GET") else {
            panic!("expected no path");
        };
        assert_eq!(
            closest.as_deref(),
            Some("/api/v1/jobSessions/{sessionId}/log")
        );
        let Found::NoPath(closest) = routes.find("/api/v8.1/protectedItem/virtualMachine/7", "GET")
        else {
            panic!("expected no path");
        };
        assert_eq!(
            closest.as_deref(),
            Some("/api/v8.1/protectedItem/virtualMachines/{id}")
        );
    }

    #[test]
    fn templates_the_router_cannot_tell_apart_are_an_error() {
        let text = "openapi: 3.0.3\npaths:\n  /a/{x}: {get: {responses: {}}}\n  /a/{y}: {post: {responses: {}}}\n";
        let doc = Document::parse("t.yaml", text).ok().unwrap();
        let error = Routes::from_documents(&[(ApiVersion::V1, &doc)])
            .err()
            .unwrap();
        assert_eq!(error.template, "/a/{y}");
    }

    #[test]
    fn a_path_two_documents_share_is_served_as_the_newest_documents_it() {
        let old = "openapi: 3.0.3\npaths:\n  /api/oauth2/token:\n    post: {operationId: oldToken, responses: {}}\n  /api/v1/x:\n    get: {operationId: x, responses: {}}\n";
        let new = "openapi: 3.0.3\npaths:\n  /api/oauth2/token:\n    post: {operationId: newToken, responses: {}}\n    delete: {operationId: logout, responses: {}}\n";
        let (old, new) = (
            Document::parse("old.yaml", old).ok().unwrap(),
            Document::parse("new.yaml", new).ok().unwrap(),
        );
        let routes =
            Routes::from_documents(&[(ApiVersion::V1, &old), (ApiVersion::V8_1, &new)]).unwrap();
        match routes.find("/api/oauth2/token", "POST") {
            Found::Operation(routed, _) => {
                assert_eq!(routed.operation.name, "newToken");
                assert_eq!(routed.version, ApiVersion::V8_1);
            }
            _ => panic!("no match"),
        }
        match routes.find("/api/oauth2/token", "PUT") {
            Found::MethodNotAllowed(mut allowed) => {
                allowed.sort();
                assert_eq!(allowed, ["DELETE", "POST"]);
            }
            _ => panic!("expected 405"),
        }
        match routes.find("/api/v1/x", "GET") {
            Found::Operation(routed, _) => assert_eq!(routed.version, ApiVersion::V1),
            _ => panic!("no match"),
        }
    }
}
