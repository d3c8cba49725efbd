//! A request checked against its operation, as the appliance checks it: the access token
//! (401), the body's size (413) and media type (415), then the body and the query and path
//! parameters against their schemas (400, every problem at once). What passes becomes the
//! [`Call`] the handlers answer.

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Map, Value};
use vbazure_spec::{ApiVersion, Document, Operation, ParameterIn};

use crate::call::Call;
use crate::reply::Reply;
use crate::routes::{parameters_in, Routed};
use crate::shared::Shared;

use super::binding::{bound, format_problem, parameter_value, query_values, typed};

/// The largest request body read; a larger one is answered 413 (once the token is checked).
pub(super) const BODY_LIMIT: usize = 1024 * 1024;

/// The parts of one request that [`prepare`] checks.
pub(super) struct Incoming<'a> {
    /// The path as sent, and the values of its template's parameters.
    pub(super) path: &'a str,
    pub(super) path_params: BTreeMap<String, String>,
    /// The query string as sent, if any.
    pub(super) query: Option<&'a str>,
    pub(super) headers: &'a HeaderMap,
    /// The body, or the status refusing it (413: too large).
    pub(super) body: Result<Bytes, u16>,
}

/// What the appliance's model binding found wrong, by field or parameter name.
type Problems = BTreeMap<String, Vec<String>>;

/// Checks `request` against the operation it was routed to, in the appliance's order: the
/// token, the body's size and media type (each an answer of its own), then every problem of
/// the body and parameters at once (400).
pub(super) fn prepare<'a>(
    shared: &Shared,
    doc: &Document,
    routed: &'a Routed,
    request: Incoming<'a>,
) -> Result<Call<'a>, Reply> {
    let operation = &routed.operation;
    let bearer = authorize(shared, operation, request.headers)?;
    let body = request.body.map_err(|status| {
        Reply::problem(
            status,
            format!("The request body is larger than {BODY_LIMIT} bytes."),
        )
    })?;
    let mut problems = Problems::new();
    let body = read_body(
        doc,
        operation,
        routed.version,
        request.headers,
        &body,
        &mut problems,
    )?;
    let query = read_query(doc, operation, request.query, &mut problems);
    check_path(doc, operation, &request.path_params, &mut problems);
    if !problems.is_empty() {
        return Err(Reply::validation(problems));
    }
    Ok(Call {
        version: routed.version,
        id: routed.id,
        path: request.path,
        path_params: request.path_params,
        query,
        body,
        bearer,
    })
}

/// The bearer token of an operation that needs one (401 without a valid one).
fn authorize(
    shared: &Shared,
    operation: &Operation,
    headers: &HeaderMap,
) -> Result<Option<String>, Reply> {
    if !operation.needs_token {
        return Ok(None);
    }
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match token {
        Some(t) if shared.state().access_is_valid(t) => Ok(Some(t.to_string())),
        _ => Err(
            Reply::problem(401, "The access token is missing, expired or not valid.")
                .with_header("www-authenticate", "Bearer".to_string()),
        ),
    }
}

/// The body as JSON (a form as an object of strings), if the operation takes one: 415 (v1) or
/// 400 (v8.1) for a media type it does not take, 400 for a body that is not JSON; what breaks
/// the schema goes to `problems`, by the top-level field concerned.
fn read_body(
    doc: &Document,
    operation: &Operation,
    version: ApiVersion,
    headers: &HeaderMap,
    body: &Bytes,
    problems: &mut Problems,
) -> Result<Option<Value>, Reply> {
    let Some(declared) = &operation.request_body else {
        return Ok(None);
    };
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let Some(media) = declared.content.iter().find(|m| m.essence() == essence) else {
        if body.is_empty() && !declared.required {
            return Ok(None);
        }
        let accepted: Vec<&str> = declared
            .content
            .iter()
            .map(|m| m.media_type.as_str())
            .collect();
        let shown = if content_type.is_empty() {
            "no content type"
        } else {
            content_type
        };
        let detail = format!(
            "{shown} is not accepted here; send {}.",
            accepted.join(" or ")
        );
        // The vendor's v8.1 document lists no 415 for the operations that take a body, only
        // 400: the mock answers within it, as a validation problem about the body (`""`, as
        // ASP.NET names the body). A real appliance may still send 415; the client reports
        // either as a refused request.
        return Err(match version {
            ApiVersion::V1 => Reply::problem(415, detail),
            ApiVersion::V8_1 => Reply::validation(BTreeMap::from([(String::new(), vec![detail])])),
        });
    };
    let form = media.essence() == "application/x-www-form-urlencoded";
    let value = if form {
        let mut fields = Map::new();
        for (k, v) in url::form_urlencoded::parse(body).into_owned() {
            // A field sent twice binds its first value.
            fields.entry(k).or_insert(Value::String(v));
        }
        Value::Object(fields)
    } else {
        serde_json::from_slice(body).map_err(|e| {
            Reply::validation(BTreeMap::from([(
                "body".to_string(),
                vec![format!("The body is not valid JSON: {e}")],
            )]))
        })?
    };
    if let Some(schema) = &media.schema {
        let as_bound = bound(doc, Some(schema), &value, form);
        for violation in vbazure_spec::validate(doc, schema, &as_bound) {
            // The top-level field concerned, as ASP.NET's validation names it.
            let field = vbazure_spec::pointer::tokens(&violation.instance)
                .into_iter()
                .next()
                .or(violation.property)
                .unwrap_or_else(|| "body".to_string());
            problems.entry(field).or_default().push(violation.message);
        }
    }
    Ok(Some(value))
}

/// The declared query parameters, converted to their schemas' types, by their documented
/// names; a missing required one or a value that breaks its schema goes to `problems`.
fn read_query(
    doc: &Document,
    operation: &Operation,
    query: Option<&str>,
    problems: &mut Problems,
) -> Map<String, Value> {
    let pairs: Vec<(String, String)> = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut read = Map::new();
    for param in parameters_in(operation, ParameterIn::Query) {
        let raw = query_values(&pairs, &param.name);
        if raw.is_empty() {
            if param.required {
                problems
                    .entry(param.name.clone())
                    .or_default()
                    .push(format!("The {} parameter is required.", param.name));
            }
            continue;
        }
        let schema = param.schema.as_deref();
        match parameter_value(doc, schema, &raw) {
            Ok(value) => {
                check_value(doc, schema, &value, &param.name, problems);
                read.insert(param.name.clone(), value);
            }
            Err(message) => problems
                .entry(param.name.clone())
                .or_default()
                .push(message),
        }
    }
    read
}

/// The path parameters against their schemas; what breaks one goes to `problems`.
fn check_path(
    doc: &Document,
    operation: &Operation,
    path_params: &BTreeMap<String, String>,
    problems: &mut Problems,
) {
    for param in parameters_in(operation, ParameterIn::Path) {
        let (Some(raw), Some(schema)) = (path_params.get(&param.name), param.schema.as_deref())
        else {
            continue;
        };
        match typed(doc, Some(schema), raw) {
            Ok(value) => check_value(doc, Some(schema), &value, &param.name, problems),
            Err(message) => problems
                .entry(param.name.clone())
                .or_default()
                .push(message),
        }
    }
}

/// A parameter's value against its schema and format, each problem under `name`.
fn check_value(
    doc: &Document,
    schema: Option<&str>,
    value: &Value,
    name: &str,
    problems: &mut Problems,
) {
    if let Some(schema) = schema {
        for violation in vbazure_spec::validate(doc, schema, value) {
            problems
                .entry(name.to_string())
                .or_default()
                .push(violation.message);
        }
    }
    if let Some(problem) = format_problem(doc, schema, value) {
        problems.entry(name.to_string()).or_default().push(problem);
    }
}
