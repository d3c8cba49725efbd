//! The request pipeline, driven by the spec: route, authenticate, check the request, answer,
//! and check the answer against the spec before it leaves.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use hyper::{Request, Response};
use serde_json::{Map, Value};
use tokio::net::TcpListener;
use tokio::sync::watch;
use vbazure_spec::{Document, Operation, ParameterIn};

use crate::config::{ApiVersion, FinalStatus, InjectedFailures, MockConfig, Progress};
use crate::drift::{self, Drift, Drifted};
use crate::handlers;
use crate::reply::Reply;
use crate::routes::{parameters_in, response_body, Found, Routed, Routes};
use crate::state::State;

/// The largest request body read.
const BODY_LIMIT: usize = 1024 * 1024;

/// Everything the request handlers share.
pub(crate) struct Shared {
    /// The documents served, by version; the routes lead into them.
    pub docs: BTreeMap<ApiVersion, Document>,
    pub routes: Routes,
    pub base_url: String,
    pub config: Mutex<MockConfig>,
    pub state: Mutex<State>,
    pub failures: Mutex<InjectedFailures>,
    pub violations: Mutex<Vec<Recorded>>,
    pub requests: AtomicU64,
    /// Where each request is written as a JSON line (`--record`), if anywhere.
    pub record: Option<Mutex<std::fs::File>>,
}

/// One answer that broke its document.
pub(crate) struct Recorded {
    pub message: String,
    /// Whether a `--drift` asked for it (the answer was sent as it is).
    pub planned: bool,
}

// A handler that panicked while holding a lock must not stop the mock serving others: the
// state it guards is still usable, so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn config(&self) -> MockConfig {
        lock(&self.config).clone()
    }

    /// Reads the settings without copying them (the known VMs can be many).
    pub(crate) fn with_config<T>(&self, read: impl FnOnce(&MockConfig) -> T) -> T {
        read(&lock(&self.config))
    }

    /// How sessions progress and end, read on every poll.
    pub(crate) fn progression(&self) -> (Progress, FinalStatus) {
        self.with_config(|c| (c.progress, c.final_status))
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub(crate) fn set_config(&self, update: impl FnOnce(&mut MockConfig)) {
        update(&mut lock(&self.config));
    }

    pub(crate) fn inject_failures(&self, count: u32, status: u16) {
        *lock(&self.failures) = InjectedFailures { count, status };
    }

    /// The violations recorded; those a drift asked for only `with_planned`.
    pub(crate) fn violations(&self, with_planned: bool) -> Vec<String> {
        lock(&self.violations)
            .iter()
            .filter(|r| with_planned || !r.planned)
            .map(|r| r.message.clone())
            .collect()
    }

    fn record_violation(&self, message: String, planned: bool) {
        if planned {
            eprintln!("vbazure-mock: an answer drifted from the spec on purpose: {message}");
        } else {
            eprintln!("vbazure-mock: an answer broke the spec: {message}");
        }
        lock(&self.violations).push(Recorded { message, planned });
    }

    /// The versions served, oldest first.
    pub(crate) fn versions(&self) -> Vec<ApiVersion> {
        self.docs.keys().copied().collect()
    }

    /// The newest document served: errors raised before any operation is found (no such
    /// path, another method) are checked against its problem schema.
    fn newest_doc(&self) -> Option<&Document> {
        self.docs.values().next_back()
    }

    fn take_failure(&self) -> Option<u16> {
        let mut failures = lock(&self.failures);
        (failures.count > 0).then(|| {
            failures.count -= 1;
            failures.status
        })
    }

    /// Writes one request as a JSON line of the record, if there is one: what a client sent
    /// and what it got, without headers or bodies (no secrets). Each line is written whole in
    /// one call, unbuffered, so that a reader sees complete lines as they come.
    fn record(&self, method: &str, path: &str, query: Option<&str>, status: u16) {
        let Some(file) = &self.record else {
            return;
        };
        let mut line = serde_json::json!({
            "method": method,
            "path": path,
            "query": query,
            "status": status,
        })
        .to_string();
        line.push('\n');
        let mut file = lock(file);
        if let Err(error) = file.write_all(line.as_bytes()).and_then(|()| file.flush()) {
            eprintln!("vbazure-mock: cannot write the request record: {error}");
        }
    }
}

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

/// Answers one request. Never panics on any input: every failure is an answer.
pub(crate) async fn answer(
    shared: &Shared,
    method: &str,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Result<Bytes, u16>,
) -> Reply {
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let latency = shared.with_config(|c| c.latency);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if let Some(status) = shared.take_failure() {
        return checked(
            shared,
            None,
            &Drifted::default(),
            Reply::problem(status, "This failure was injected by the mock's scenario."),
        );
    }
    let (routed, path_params) = match shared.routes.find(path, method) {
        Found::Operation(routed, params) => (routed, params),
        Found::MethodNotAllowed(allowed) => {
            let detail = format!(
                "{path} does not take {method}; it takes {}.",
                allowed.join(", ")
            );
            return checked(
                shared,
                None,
                &Drifted::default(),
                Reply::problem(405, detail).with_header("allow", allowed.join(", ")),
            );
        }
        Found::NoPath(closest) => {
            let unserved = ApiVersion::ALL.into_iter().find(|v| {
                !shared.docs.contains_key(v)
                    && path
                        .strip_prefix(v.path_prefix())
                        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            });
            let hint = match (unserved, closest) {
                (Some(version), _) => format!(
                    " This appliance does not serve API v{version}; it serves {}.",
                    served_list(&shared.versions())
                ),
                (None, Some(c)) => format!(" The closest documented path is {c}."),
                (None, None) => String::new(),
            };
            return checked(
                shared,
                None,
                &Drifted::default(),
                Reply::not_found(format!("No operation at {path}.{hint}"), path),
            );
        }
    };
    let Some(doc) = shared.docs.get(&routed.version) else {
        return Reply::problem(500, "The operation's document is not loaded.");
    };
    let mut drifted = Drifted::default();
    let reply = match prepare(shared, doc, routed, path, path_params, query, headers, body) {
        Ok(call) => match handlers::handle(shared, &call) {
            Some(mut reply) => {
                let drifts = shared.with_config(|c| c.drift.clone());
                let operation_id = routed.operation.operation_id.as_deref();
                drifted = drift::apply(&drifts, routed.version, operation_id, &mut reply);
                reply
            }
            None => documented_example(doc, &routed.operation),
        },
        Err(reply) => reply,
    };
    checked(shared, Some(routed), &drifted, reply)
}

fn served_list(versions: &[ApiVersion]) -> String {
    versions
        .iter()
        .map(|v| format!("v{v}"))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The schema of a body's properties, keyed by name (for binding names in any casing).
fn properties<'d>(doc: &'d Document, schema: Option<&str>) -> Option<&'d Map<String, Value>> {
    doc.deref(schema?)?.1.get("properties")?.as_object()
}

/// The `type` of the schema at `pointer` (`$ref`s followed).
fn schema_type<'d>(doc: &'d Document, pointer: &str) -> Option<&'d str> {
    doc.deref(pointer)?.1.get("type")?.as_str()
}

/// A body object with its top-level names as the schema spells them, for validation: the
/// appliance (an ASP.NET service) binds form fields and JSON members in any casing, so
/// `Username` reaches `username` and `IDS` reaches `ids`. A name the schema spells exactly
/// wins over another casing of it; form texts become the type their property declares.
fn bound(doc: &Document, schema: Option<&str>, body: &Value, form: bool) -> Value {
    let Some(object) = body.as_object() else {
        return body.clone();
    };
    let declared = properties(doc, schema);
    let schema_pointer = schema.and_then(|s| doc.deref(s)).map(|(p, _)| p);
    let mut out = Map::new();
    for (key, value) in object {
        let name = declared
            .and_then(|props| {
                props
                    .keys()
                    .find(|k| *k == key)
                    .or_else(|| props.keys().find(|k| k.eq_ignore_ascii_case(key)))
            })
            .cloned()
            .unwrap_or_else(|| key.clone());
        if out.contains_key(&name) && name != *key {
            continue;
        }
        let value = match (form, value.as_str(), &schema_pointer) {
            (true, Some(text), Some(at)) => {
                let property = vbazure_spec::pointer::push(
                    &vbazure_spec::pointer::push(at, "properties"),
                    &name,
                );
                // A text that is not of the declared type stays a text, for validation to
                // name.
                typed(doc, Some(&property), text).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        };
        out.insert(name, value);
    }
    Value::Object(out)
}

/// The query values of `name`: those of the key spelled exactly so, else of the key in
/// another casing (the appliance binds query parameters case-insensitively).
fn query_values<'q>(pairs: &'q [(String, String)], name: &str) -> Vec<&'q str> {
    let exact: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    pairs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A parameter's text (or texts, for an array repeated as `key=a&key=b`) as the JSON value
/// its schema asks for, or why not.
fn parameter_value(doc: &Document, schema: Option<&str>, raw: &[&str]) -> Result<Value, String> {
    let resolved = schema.and_then(|s| doc.deref(s));
    match resolved {
        Some((at, s)) if s.get("type").and_then(Value::as_str) == Some("array") => {
            let items = vbazure_spec::pointer::push(&at, "items");
            raw.iter()
                .map(|text| typed(doc, Some(&items), text))
                .collect::<Result<Vec<Value>, String>>()
                .map(Value::Array)
        }
        // A scalar repeated takes its first value, as ASP.NET binds it.
        _ => typed(doc, schema, raw.first().copied().unwrap_or_default()),
    }
}

/// Formats the shared validator leaves to the reader: `uuid` (the v8.1 document's .NET
/// Guids), which an ASP.NET server refuses to bind when malformed.
fn format_problem(doc: &Document, schema: Option<&str>, value: &Value) -> Option<String> {
    let (_, s) = doc.deref(schema?)?;
    let text = value.as_str()?;
    (s.get("format").and_then(Value::as_str) == Some("uuid") && !is_uuid(text))
        .then(|| format!("{text:?} is not a valid uuid."))
}

/// A Guid as .NET reads it in its usual forms: 32 hex digits, hyphenated 8-4-4-4-12 or not,
/// optionally in braces or parentheses.
fn is_uuid(text: &str) -> bool {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
        .unwrap_or(text);
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    match inner.len() {
        32 => hex(inner),
        36 => inner.split('-').map(str::len).eq([8, 4, 4, 4, 12]) && hex(&inner.replace('-', "")),
        _ => false,
    }
}

#[allow(clippy::too_many_arguments)] // One request's parts, each read once here.
fn prepare<'a>(
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

/// A text parameter as the JSON value its schema's type asks for.
fn typed(doc: &Document, schema: Option<&str>, raw: &str) -> Result<Value, String> {
    match schema.and_then(|s| schema_type(doc, s)) {
        Some("integer") => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{raw:?} is not an integer.")),
        Some("number") => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{raw:?} is not a number.")),
        // ASP.NET reads `true` and `false` in any casing, and nothing else.
        Some("boolean") if raw.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Some("boolean") if raw.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        Some("boolean") => Err(format!("{raw:?} is not true or false.")),
        _ => Ok(Value::String(raw.to_string())),
    }
}

/// The first documented success answer of an operation without a handler here.
fn documented_example(doc: &Document, operation: &Operation) -> Reply {
    let Some(response) = operation.responses.iter().find(|r| r.is_success()) else {
        return Reply::problem(
            500,
            format!("{} documents no success answer.", operation.name),
        );
    };
    // A range (`2XX`) is answered with its first code.
    let code = response.status.parse().unwrap_or(200);
    match response.content.iter().find_map(|m| m.first_example(doc)) {
        Some(example) => Reply::json(code, example.clone()),
        None => Reply::empty(code),
    }
}

/// Checks the answer against the document of its operation (for answers without one, the
/// newest document served); an answer that breaks it is recorded and replaced by a 500, so
/// that a test cannot pass on a body the real API would never send. The departures `drifted`
/// made on purpose are recorded too, but the answer is sent as it is, for clients to see:
/// only a violation no drift accounts for (or a drift that departed from nothing) makes it a
/// 500.
fn checked(shared: &Shared, routed: Option<&Routed>, drifted: &Drifted, reply: Reply) -> Reply {
    let Some(body) = &reply.body else {
        return reply;
    };
    let doc = match routed {
        Some(routed) => shared.docs.get(&routed.version),
        None => shared.newest_doc(),
    };
    let Some(doc) = doc else {
        return reply;
    };
    let operation = routed.map(|r| &r.operation);
    let essence = reply.content_type.split(';').next().unwrap_or_default();
    // A drifted status is checked apart; the body is held to the status the handler gave.
    let documented_status = drifted.documented_status.unwrap_or(reply.status);
    let documented = operation
        .and_then(|operation| response_body(operation, documented_status, essence))
        .and_then(|media| media.schema.clone());
    // Errors the mock raises itself (security, validation) may be ones an operation does not
    // list; the API still answers them with problem details.
    let problem_schema = "/components/schemas/ProblemDetails";
    let schema = documented.or_else(|| {
        (reply.content_type == crate::reply::PROBLEM && doc.get(problem_schema).is_some())
            .then(|| problem_schema.to_string())
    });
    let (name, version) = match routed {
        Some(r) => (r.operation.name.as_str(), format!(" (v{})", r.version)),
        None => ("(no operation)", String::new()),
    };
    // What the drifts asked for, and what else is wrong.
    let mut planned: Vec<(Drift, String)> = Vec::new();
    let mut unexpected: Vec<String> = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    if drifted.made(Drift::UndocumentedStatus, "") {
        let listed = operation.is_some_and(|o| {
            o.responses
                .iter()
                .any(|r| r.status == reply.status.to_string() || r.covers(reply.status))
        });
        if listed {
            unexpected.push(format!(
                "--drift {} answered {}, which the spec documents",
                Drift::UndocumentedStatus,
                reply.status
            ));
        } else {
            planned.push((
                Drift::UndocumentedStatus,
                format!("the spec documents no {} answer here", reply.status),
            ));
        }
        seen.push("");
    }
    match &schema {
        Some(schema) => {
            // Undeclared fields are allowed by OpenAPI and not otherwise checked: asked for
            // only to see the one a drift added.
            let options = vbazure_spec::ValidateOptions {
                undeclared: drifted
                    .departures
                    .iter()
                    .any(|d| d.drift == Drift::UndocumentedField),
            };
            for violation in vbazure_spec::validate_with(doc, schema, body, &options) {
                let at = violation.instance.as_str();
                let by = if violation.keyword == "undeclared" {
                    if !drifted.made(Drift::UndocumentedField, at) {
                        continue;
                    }
                    Some(Drift::UndocumentedField)
                } else {
                    drifted.at(at)
                };
                match by {
                    Some(drift) => {
                        if let Some(d) = drifted
                            .departures
                            .iter()
                            .find(|d| d.drift == drift && d.pointer == at)
                        {
                            seen.push(&d.pointer);
                        }
                        planned.push((drift, violation.to_string()));
                    }
                    None => unexpected.push(violation.to_string()),
                }
            }
        }
        None => unexpected.push(format!(
            "the spec documents no {} body of type {} here",
            documented_status, reply.content_type
        )),
    }
    // A drift whose change the spec allows is a mock out of step with its document.
    for departure in &drifted.departures {
        if !seen.contains(&departure.pointer.as_str()) {
            unexpected.push(format!(
                "--drift {} changed {} without departing from the spec",
                departure.drift,
                if departure.pointer.is_empty() {
                    "the status"
                } else {
                    &departure.pointer
                }
            ));
        }
    }
    if !planned.is_empty() {
        let mut kinds: Vec<&str> = planned.iter().map(|(d, _)| d.as_str()).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let shown: Vec<&str> = planned.iter().map(|(_, v)| v.as_str()).collect();
        shared.record_violation(
            format!(
                "{name} {}{version}: --drift {}: {}",
                reply.status,
                kinds.join(", "),
                shown.join("; ")
            ),
            true,
        );
    }
    if unexpected.is_empty() {
        return reply;
    }
    shared.record_violation(
        format!(
            "{name} {}{version}: {}",
            reply.status,
            unexpected.join("; ")
        ),
        false,
    );
    Reply::problem(
        500,
        "The mock produced an answer that breaks the spec; see its violations.",
    )
}

fn to_http(reply: Reply) -> Response<Full<Bytes>> {
    let body = reply
        .body
        .as_ref()
        .map(|b| Bytes::from(b.to_string()))
        .unwrap_or_default();
    let mut builder = Response::builder().status(reply.status);
    if reply.body.is_some() {
        builder = builder.header(CONTENT_TYPE, reply.content_type);
    }
    for (name, value) in reply.headers {
        builder = builder.header(name, value);
    }
    builder.body(Full::new(body)).unwrap_or_else(|_| {
        let mut fallback = Response::new(Full::new(Bytes::new()));
        *fallback.status_mut() = hyper::StatusCode::INTERNAL_SERVER_ERROR;
        fallback
    })
}

async fn serve_request(
    shared: Arc<Shared>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, std::convert::Infallible> {
    let (parts, body) = request.into_parts();
    let body = match Limited::new(body, BODY_LIMIT).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(_) => Err(413),
    };
    // A request that has arrived is carried out and recorded even if its client goes away
    // before the answer (killed, timed out), as a server does: hyper drops this future when the
    // connection closes, and a deletion must not then be left half-done or out of the record.
    let carried_out = tokio::spawn(async move {
        let (method, path, query) = (parts.method.as_str(), parts.uri.path(), parts.uri.query());
        let reply = answer(&shared, method, path, query, &parts.headers, body).await;
        shared.record(method, path, query, reply.status);
        reply
    });
    let reply = match carried_out.await {
        Ok(reply) => reply,
        // `answer` does not panic; were it to, the client still gets an answer.
        Err(_) => Reply::problem(500, "The mock failed while answering this request."),
    };
    Ok(to_http(reply))
}

/// What to do after failed accepts: an error that ends only the one connection (the client
/// gave up before it was accepted) is passed over; any other (too many open files, no memory)
/// fails again at once until something changes, so the loop pauses, longer the longer the
/// burst lasts, and says so once per burst instead of spinning a core and flooding stderr.
#[derive(Debug, Default)]
struct AcceptBackoff {
    /// Failures since the last accepted connection.
    failures: u32,
}

/// What the accept loop does after an error.
#[derive(Debug, PartialEq, Eq)]
struct AfterError {
    /// How long to wait before accepting again.
    pause: Duration,
    /// Whether to say so on stderr: only at the first error of a burst.
    log: bool,
}

impl AcceptBackoff {
    const FIRST_PAUSE: Duration = Duration::from_millis(10);
    const LONGEST_PAUSE: Duration = Duration::from_secs(1);

    fn failed(&mut self, error: &std::io::Error) -> AfterError {
        use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
        if matches!(
            error.kind(),
            ConnectionAborted | ConnectionReset | Interrupted
        ) {
            return AfterError {
                pause: Duration::ZERO,
                log: false,
            };
        }
        self.failures = self.failures.saturating_add(1);
        let doublings = (self.failures - 1).min(10);
        AfterError {
            pause: (Self::FIRST_PAUSE * 2u32.pow(doublings)).min(Self::LONGEST_PAUSE),
            log: self.failures == 1,
        }
    }

    /// A connection was accepted: the burst, if any, is over. The failures it had, if any.
    fn accepted(&mut self) -> Option<u32> {
        let failures = std::mem::take(&mut self.failures);
        (failures > 0).then_some(failures)
    }
}

/// Serves until `shutdown` turns true; each connection on a task of its own.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff = AcceptBackoff::default();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        let after = backoff.failed(&error);
                        if after.log {
                            eprintln!(
                                "vbazure-mock: cannot accept connections ({error}); retrying, \
                                 with pauses of up to {:?}",
                                AcceptBackoff::LONGEST_PAUSE
                            );
                        }
                        if !after.pause.is_zero() {
                            tokio::select! {
                                () = tokio::time::sleep(after.pause) => {}
                                _ = shutdown.changed() => break,
                            }
                        }
                        continue;
                    }
                };
                if let Some(failures) = backoff.accepted() {
                    eprintln!("vbazure-mock: accepting connections again after {failures} failed accept(s)");
                }
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| serve_request(shared.clone(), request));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    // A client that breaks the protocol ends its own connection only.
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                });
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// Binds `address`, which must be a loopback address: the mock has well-known credentials.
pub(crate) async fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    if !address.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{address} is not a loopback address; the mock listens on loopback only (127.0.0.1 or [::1])"),
        ));
    }
    TcpListener::bind(address).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_read_in_the_forms_dotnet_reads() {
        for good in [
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20",
            "2D8F4B6A0C3E4A179D5B7F1E3A5C9B20",
            "{2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20}",
            "(2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20)",
        ] {
            assert!(is_uuid(good), "{good}");
        }
        for bad in [
            "",
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b2",
            "2d8f4b6a-0c3e-4a17-9d5b7-f1e3a5c9b20",
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b2g",
            "{2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20",
            "2d8f4b6a--c3e-4a17-9d5b-7f1e3a5c9b20",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn bodies_bind_their_names_in_any_casing() {
        let doc = Document::parse("t.yaml", crate::SPEC_V8_1).ok().unwrap();
        let schema = "/components/schemas/TokenRequest";
        let form = serde_json::json!({
            "Grant_Type": "Password", "Username": "u", "short_lived_refresh_token": "TRUE",
            "extra": "x",
        });
        let bound = bound(&doc, Some(schema), &form, true);
        assert_eq!(
            bound,
            serde_json::json!({
                "grant_type": "Password", "username": "u", "short_lived_refresh_token": true,
                "extra": "x",
            })
        );
        assert!(vbazure_spec::validate(&doc, schema, &bound).is_empty());
        let not_a_flag =
            serde_json::json!({"grant_type": "Password", "short_lived_refresh_token": "yes"});
        let bound = super::bound(&doc, Some(schema), &not_a_flag, true);
        assert_eq!(
            bound["short_lived_refresh_token"], "yes",
            "left for validation to name"
        );
    }

    fn error(kind: std::io::ErrorKind) -> std::io::Error {
        std::io::Error::new(kind, "test")
    }

    #[test]
    fn a_burst_of_accept_errors_backs_off_and_logs_once() {
        // EMFILE, "too many open files", as the OS reports it.
        let emfile = std::io::Error::from_raw_os_error(24);
        let mut backoff = AcceptBackoff::default();
        let pauses: Vec<AfterError> = (0..12).map(|_| backoff.failed(&emfile)).collect();
        assert_eq!(
            pauses[0],
            AfterError {
                pause: Duration::from_millis(10),
                log: true
            }
        );
        assert_eq!(pauses[1].pause, Duration::from_millis(20));
        assert_eq!(pauses[2].pause, Duration::from_millis(40));
        assert!(
            pauses.iter().skip(1).all(|p| !p.log),
            "logged once per burst"
        );
        assert!(pauses.iter().all(|p| !p.pause.is_zero()), "never spins");
        assert!(
            pauses.windows(2).all(|w| w[0].pause <= w[1].pause),
            "{pauses:?}"
        );
        assert_eq!(pauses[11].pause, AcceptBackoff::LONGEST_PAUSE);

        assert_eq!(backoff.accepted(), Some(12), "the burst ends");
        assert_eq!(backoff.accepted(), None);
        let next = backoff.failed(&emfile);
        assert_eq!(
            next,
            AfterError {
                pause: Duration::from_millis(10),
                log: true
            },
            "a new burst starts from the first pause and is logged"
        );
    }

    #[test]
    fn a_client_that_gave_up_before_its_accept_is_passed_over() {
        let mut backoff = AcceptBackoff::default();
        for kind in [
            std::io::ErrorKind::ConnectionAborted,
            std::io::ErrorKind::ConnectionReset,
        ] {
            assert_eq!(
                backoff.failed(&error(kind)),
                AfterError {
                    pause: Duration::ZERO,
                    log: false
                }
            );
        }
        assert_eq!(backoff.accepted(), None, "no burst was started");
        let other = backoff.failed(&error(std::io::ErrorKind::OutOfMemory));
        assert!(other.log && !other.pause.is_zero(), "{other:?}");
    }
}
