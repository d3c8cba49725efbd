//! A request checked against its operation, as the appliance checks it: the access token
//! (401), the body's size (413) and media type (415), then the body and the query and path
//! parameters against their schemas (400, every problem at once).

use std::collections::BTreeMap;

use bytes::Bytes;
use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use serde_json::{Map, Value};
use vbazure_spec::{Document, Operation, ParameterIn};

use crate::config::ApiVersion;
use crate::reply::Reply;
use crate::routes::{parameters_in, Routed};

use super::binding::{bound, format_problem, parameter_value, query_values, typed};
use super::exchange::BODY_LIMIT;
use super::shared::Shared;

/// A request, checked against its operation.
pub(crate) struct Call<'a> {
    pub operation: &'a Operation,
    /// The version whose document the operation comes from.
    pub version: ApiVersion,
    /// The request's path, as sent.
    pub path: &'a str,
    pub path_params: BTreeMap<String, String>,
    /// Declared query parameters, converted to their schema's type, by their documented
    /// names (a request may spell them in any casing, as the appliance binds them).
    pub query: Map<String, Value>,
    /// The body as JSON (a form becomes an object of strings), with the names as sent.
    pub body: Option<Value>,
    /// The access token the request was authorized with, if the operation needs one.
    pub bearer: Option<String>,
}

#[allow(clippy::too_many_arguments)] // One request's parts, each read once here.
pub(super) fn prepare<'a>(
    shared: &Shared,
    doc: &Document,
    routed: &'a Routed,
    path: &'a str,
    path_params: BTreeMap<String, String>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Result<Bytes, u16>,
) -> Result<Call<'a>, Reply> {
    let operation = &routed.operation;
    let mut bearer = None;
    if operation.needs_token {
        let token = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        match token {
            Some(t) if shared.state().access_is_valid(t) => bearer = Some(t.to_string()),
            _ => {
                return Err(Reply::problem(
                    401,
                    "The access token is missing, expired or not valid.",
                )
                .with_header("www-authenticate", "Bearer".to_string()))
            }
        }
    }
    let body = body.map_err(|status| {
        Reply::problem(
            status,
            format!("The request body is larger than {BODY_LIMIT} bytes."),
        )
    })?;
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut parsed_body = None;
    if let Some(declared) = &operation.request_body {
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
        match declared.content.iter().find(|m| m.essence() == essence) {
            None if !body.is_empty() || declared.required => {
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
                return Err(Reply::problem(
                    415,
                    format!(
                        "{shown} is not accepted here; send {}.",
                        accepted.join(" or ")
                    ),
                ));
            }
            None => {}
            Some(media) => {
                let form = media.essence() == "application/x-www-form-urlencoded";
                let value = if form {
                    let mut fields = Map::new();
                    for (k, v) in url::form_urlencoded::parse(&body).into_owned() {
                        // A field sent twice binds its first value.
                        fields.entry(k).or_insert(Value::String(v));
                    }
                    Value::Object(fields)
                } else {
                    serde_json::from_slice(&body).map_err(|e| {
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
                        errors.entry(field).or_default().push(violation.message);
                    }
                }
                parsed_body = Some(value);
            }
        }
    }
    let pairs: Vec<(String, String)> = query
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let mut query_map = Map::new();
    for param in parameters_in(operation, ParameterIn::Query) {
        let raw = query_values(&pairs, &param.name);
        if raw.is_empty() {
            if param.required {
                errors
                    .entry(param.name.clone())
                    .or_default()
                    .push(format!("The {} parameter is required.", param.name));
            }
            continue;
        }
        let schema = param.schema.as_deref();
        match parameter_value(doc, schema, &raw) {
            Ok(value) => {
                if let Some(schema) = schema {
                    for violation in vbazure_spec::validate(doc, schema, &value) {
                        errors
                            .entry(param.name.clone())
                            .or_default()
                            .push(violation.message);
                    }
                }
                if let Some(problem) = format_problem(doc, schema, &value) {
                    errors.entry(param.name.clone()).or_default().push(problem);
                }
                query_map.insert(param.name.clone(), value);
            }
            Err(message) => errors.entry(param.name.clone()).or_default().push(message),
        }
    }
    for param in parameters_in(operation, ParameterIn::Path) {
        let (Some(raw), Some(schema)) = (path_params.get(&param.name), param.schema.as_deref())
        else {
            continue;
        };
        match typed(doc, Some(schema), raw) {
            Ok(value) => {
                for violation in vbazure_spec::validate(doc, schema, &value) {
                    errors
                        .entry(param.name.clone())
                        .or_default()
                        .push(violation.message);
                }
                if let Some(problem) = format_problem(doc, Some(schema), &value) {
                    errors.entry(param.name.clone()).or_default().push(problem);
                }
            }
            Err(message) => errors.entry(param.name.clone()).or_default().push(message),
        }
    }
    if !errors.is_empty() {
        return Err(Reply::validation(errors));
    }
    Ok(Call {
        operation,
        version: routed.version,
        path,
        path_params,
        query: query_map,
        body: parsed_body,
        bearer,
    })
}
