//! The route table, read from the spec: every operation with its path, method, security,
//! parameters, request body and responses. Nothing here names an operation of this API.

use std::collections::BTreeMap;

use serde_json::Value;
use vbazure_spec::{pointer, Document, METHODS};

/// One documented operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// The `operationId` (or `METHOD /path` when there is none).
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path as documented, e.g. `/api/v1/jobSessions/{sessionId}`.
    pub template: String,
    segments: Vec<Segment>,
    /// Whether a bearer token is required.
    pub secured: bool,
    /// Declared query parameters: name, required, schema pointer.
    pub query: Vec<Parameter>,
    /// Declared path parameters.
    pub path_params: Vec<Parameter>,
    /// The request body, if the operation takes one.
    pub body: Option<Body>,
    /// Responses by status key (`200`, `4XX`, `default`).
    pub responses: BTreeMap<String, Response>,
}

#[derive(Debug)]
pub(crate) struct Parameter {
    pub name: String,
    pub required: bool,
    pub schema: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Body {
    pub required: bool,
    /// Media type and its schema pointer.
    pub media_types: Vec<(String, Option<String>)>,
}

#[derive(Debug, Default)]
pub(crate) struct Response {
    /// Media type, schema pointer and the first documented example.
    pub content: Vec<(String, Option<String>, Option<Value>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Param(String),
}

/// What a request path and method lead to.
pub(crate) enum Found<'a> {
    Operation(&'a Operation, BTreeMap<String, String>),
    /// The path exists, the method does not: the methods it has.
    MethodNotAllowed(Vec<String>),
    /// No such path: the documented path closest to it.
    NoPath(Option<String>),
}

#[derive(Debug)]
pub(crate) struct Routes {
    pub operations: Vec<Operation>,
}

impl Routes {
    pub(crate) fn from_document(doc: &Document) -> Self {
        let mut operations = Vec::new();
        let global_security = doc.get("/security");
        for (template, item) in doc
            .get("/paths")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let item_pointer = pointer::push("/paths", template);
            let item_params = pointer::push(&item_pointer, "parameters");
            for method in METHODS {
                let Some(operation) = item.get(method) else {
                    continue;
                };
                let op_pointer = pointer::push(&item_pointer, method);
                let id = operation
                    .get("operationId")
                    .and_then(Value::as_str)
                    .map_or_else(
                        || format!("{} {template}", method.to_uppercase()),
                        str::to_string,
                    );
                let security = operation.get("security").or(global_security);
                let secured = security.and_then(Value::as_array).is_some_and(|reqs| {
                    !reqs.is_empty()
                        && reqs
                            .iter()
                            .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
                });
                let mut params = parameters(doc, &item_params);
                // Operation parameters override path-item ones of the same name.
                for p in parameters(doc, &pointer::push(&op_pointer, "parameters")) {
                    params.retain(|(name, place, _)| !(name == &p.0 && place == &p.1));
                    params.push(p);
                }
                let split = |place: &str| {
                    params
                        .iter()
                        .filter(|(_, p, _)| p == place)
                        .map(|(_, _, param)| Parameter {
                            name: param.name.clone(),
                            required: param.required,
                            schema: param.schema.clone(),
                        })
                        .collect()
                };
                operations.push(Operation {
                    id,
                    method: method.to_uppercase(),
                    template: template.clone(),
                    segments: segments(template),
                    secured,
                    query: split("query"),
                    path_params: split("path"),
                    body: body(doc, &pointer::push(&op_pointer, "requestBody")),
                    responses: responses(doc, &pointer::push(&op_pointer, "responses")),
                });
            }
        }
        Self { operations }
    }

    pub(crate) fn find(&self, path: &str, method: &str) -> Found<'_> {
        let request: Vec<String> = path
            .trim_start_matches('/')
            .split('/')
            .map(|s| {
                percent_encoding::percent_decode_str(s)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .collect();
        let mut allowed = Vec::new();
        for operation in &self.operations {
            let Some(params) = matches(&operation.segments, &request) else {
                continue;
            };
            if operation.method == method {
                return Found::Operation(operation, params);
            }
            allowed.push(operation.method.clone());
        }
        if !allowed.is_empty() {
            return Found::MethodNotAllowed(allowed);
        }
        let closest = self
            .operations
            .iter()
            .map(|o| (path_distance(&request, &o.segments), &o.template))
            .min()
            .map(|(_, t)| t.clone());
        Found::NoPath(closest)
    }

    /// The schema of the answer `status` of `operation`, by exact status, range, or `default`.
    pub(crate) fn response_schema(operation: &Operation, status: u16) -> Option<&Response> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        operation
            .responses
            .get(&exact)
            .or_else(|| operation.responses.get(&range))
            .or_else(|| operation.responses.get("default"))
    }
}

type RawParameter = (String, String, Parameter);

fn parameters(doc: &Document, list: &str) -> Vec<RawParameter> {
    let count = doc.get(list).and_then(Value::as_array).map_or(0, Vec::len);
    (0..count)
        .filter_map(|i| {
            let at = pointer::push(list, &i.to_string());
            let (p, value) = doc.deref(&at)?;
            let name = value.get("name")?.as_str()?.to_string();
            let place = value.get("in")?.as_str()?.to_string();
            let required = value.get("required") == Some(&Value::Bool(true));
            let schema = value.get("schema").map(|_| pointer::push(&p, "schema"));
            Some((
                name.clone(),
                place,
                Parameter {
                    name,
                    required,
                    schema,
                },
            ))
        })
        .collect()
}

fn body(doc: &Document, at: &str) -> Option<Body> {
    let (p, value) = doc.deref(at)?;
    let media_types = value
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(media, content)| {
            let schema = content.get("schema").map(|_| {
                pointer::push(
                    &pointer::push(&pointer::push(&p, "content"), media),
                    "schema",
                )
            });
            (media.clone(), schema)
        })
        .collect();
    Some(Body {
        required: value.get("required") == Some(&Value::Bool(true)),
        media_types,
    })
}

fn responses(doc: &Document, at: &str) -> BTreeMap<String, Response> {
    let mut out = BTreeMap::new();
    for (status, _) in doc.get(at).and_then(Value::as_object).into_iter().flatten() {
        let response_pointer = pointer::push(at, status);
        let Some((p, response)) = doc.deref(&response_pointer) else {
            continue;
        };
        let p = p.to_string();
        let mut parsed = Response::default();
        for (media, content) in response
            .get("content")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let media_pointer = pointer::push(&pointer::push(&p, "content"), media);
            let schema = content
                .get("schema")
                .map(|_| pointer::push(&media_pointer, "schema"));
            let example = content.get("example").cloned().or_else(|| {
                let (key, _) = content.get("examples")?.as_object()?.iter().next()?;
                let example_pointer =
                    pointer::push(&pointer::push(&media_pointer, "examples"), key);
                doc.deref(&example_pointer)?.1.get("value").cloned()
            });
            parsed.content.push((media.clone(), schema, example));
        }
        out.insert(status.clone(), parsed);
    }
    out
}

fn segments(template: &str) -> Vec<Segment> {
    template
        .trim_start_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => Segment::Param(name.to_string()),
                None => Segment::Literal(s.to_string()),
            },
        )
        .collect()
}

fn matches(template: &[Segment], request: &[String]) -> Option<BTreeMap<String, String>> {
    if template.len() != request.len() {
        return None;
    }
    let mut params = BTreeMap::new();
    for (segment, actual) in template.iter().zip(request) {
        match segment {
            Segment::Literal(literal) if literal == actual => {}
            Segment::Param(name) if !actual.is_empty() => {
                params.insert(name.clone(), actual.clone());
            }
            _ => return None,
        }
    }
    Some(params)
}

/// How far a request path is from a template, segment by segment: a parameter matches any
/// segment; a literal costs its edit distance; a missing or extra segment costs its length.
fn path_distance(request: &[String], template: &[Segment]) -> usize {
    let cost = |segment: &Segment| match segment {
        Segment::Literal(l) => l.chars().count() + 1,
        Segment::Param(_) => 1,
    };
    let mut row: Vec<usize> = std::iter::once(0)
        .chain(template.iter().scan(0, |sum, s| {
            *sum += cost(s);
            Some(*sum)
        }))
        .collect();
    for actual in request {
        let mut previous = row[0];
        row[0] += actual.chars().count() + 1;
        for (j, segment) in template.iter().enumerate() {
            let substitute = match segment {
                Segment::Literal(l) => edit_distance(actual, l),
                Segment::Param(_) => 0,
            };
            let current = row[j + 1];
            row[j + 1] = (previous + substitute)
                .min(row[j] + cost(segment))
                .min(current + actual.chars().count() + 1);
            previous = current;
        }
    }
    row[template.len()]
}

/// Levenshtein distance, for "did you mean".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_decoded_segments() {
        let t = segments("/api/v1/jobSessions/{sessionId}/log");
        let request: Vec<String> = ["api", "v1", "jobSessions", "../x", "log"]
            .map(String::from)
            .to_vec();
        assert_eq!(matches(&t, &request).unwrap()["sessionId"], "../x");
        assert!(matches(&t, &request[..4]).is_none());
        assert_eq!(
            edit_distance("/api/v1/jobSesions", "/api/v1/jobSessions"),
            1
        );
    }
}
