//! The request pipeline, driven by the spec: route, authenticate, check the request, answer,
//! and check the answer against the spec before it leaves.

use std::collections::BTreeMap;
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

use crate::config::{FinalStatus, InjectedFailures, MockConfig, Progress};
use crate::handlers;
use crate::reply::Reply;
use crate::routes::{parameters_in, response_body, Found, Routes};
use crate::state::State;

/// The largest request body read.
const BODY_LIMIT: usize = 1024 * 1024;

/// Everything the request handlers share.
pub(crate) struct Shared {
    pub doc: Document,
    pub routes: Routes,
    pub base_url: String,
    pub config: Mutex<MockConfig>,
    pub state: Mutex<State>,
    pub failures: Mutex<InjectedFailures>,
    pub violations: Mutex<Vec<String>>,
    pub requests: AtomicU64,
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

    pub(crate) fn violations(&self) -> Vec<String> {
        lock(&self.violations).clone()
    }

    fn take_failure(&self) -> Option<u16> {
        let mut failures = lock(&self.failures);
        (failures.count > 0).then(|| {
            failures.count -= 1;
            failures.status
        })
    }
}

/// A request, checked against its operation.
pub(crate) struct Call<'a> {
    pub operation: &'a Operation,
    pub path_params: BTreeMap<String, String>,
    /// Declared query parameters, converted to their schema's type.
    pub query: Map<String, Value>,
    /// The body as JSON (a form becomes an object of strings).
    pub body: Option<Value>,
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
            Reply::problem(status, "This failure was injected by the mock's scenario."),
        );
    }
    let (operation, path_params) = match shared.routes.find(path, method) {
        Found::Operation(operation, params) => (operation, params),
        Found::MethodNotAllowed(allowed) => {
            let detail = format!(
                "{path} does not take {method}; it takes {}.",
                allowed.join(", ")
            );
            return checked(
                shared,
                None,
                Reply::problem(405, detail).with_header("allow", allowed.join(", ")),
            );
        }
        Found::NoPath(closest) => {
            let hint = closest
                .map(|c| format!(" The closest documented path is {c}."))
                .unwrap_or_default();
            return checked(
                shared,
                None,
                Reply::problem(404, format!("No operation at {path}.{hint}")),
            );
        }
    };
    let reply = match prepare(shared, operation, path_params, query, headers, body) {
        Ok(call) => handlers::handle(shared, &call)
            .unwrap_or_else(|| documented_example(&shared.doc, operation)),
        Err(reply) => reply,
    };
    checked(shared, Some(operation), reply)
}

fn prepare<'a>(
    shared: &Shared,
    operation: &'a Operation,
    path_params: BTreeMap<String, String>,
    query: Option<&str>,
    headers: &HeaderMap,
    body: Result<Bytes, u16>,
) -> Result<Call<'a>, Reply> {
    if operation.needs_token {
        let token = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        if !token.is_some_and(|t| shared.state().access_is_valid(t)) {
            return Err(
                Reply::problem(401, "The access token is missing, expired or not valid.")
                    .with_header("www-authenticate", "Bearer".to_string()),
            );
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
                let value = if media.essence() == "application/x-www-form-urlencoded" {
                    Value::Object(
                        url::form_urlencoded::parse(&body)
                            .into_owned()
                            .map(|(k, v)| (k, Value::String(v)))
                            .collect(),
                    )
                } else {
                    serde_json::from_slice(&body).map_err(|e| {
                        Reply::validation(BTreeMap::from([(
                            "body".to_string(),
                            vec![format!("The body is not valid JSON: {e}")],
                        )]))
                    })?
                };
                if let Some(schema) = &media.schema {
                    for violation in vbazure_spec::validate(&shared.doc, schema, &value) {
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
    let mut query_values = Map::new();
    for param in parameters_in(operation, ParameterIn::Query) {
        let Some((_, raw)) = pairs.iter().find(|(k, _)| k == &param.name) else {
            if param.required {
                errors
                    .entry(param.name.clone())
                    .or_default()
                    .push(format!("The {} parameter is required.", param.name));
            }
            continue;
        };
        let schema = param.schema.as_deref();
        match typed(&shared.doc, schema, raw) {
            Ok(value) => {
                if let Some(schema) = schema {
                    for violation in vbazure_spec::validate(&shared.doc, schema, &value) {
                        errors
                            .entry(param.name.clone())
                            .or_default()
                            .push(violation.message);
                    }
                }
                query_values.insert(param.name.clone(), value);
            }
            Err(message) => errors.entry(param.name.clone()).or_default().push(message),
        }
    }
    for param in parameters_in(operation, ParameterIn::Path) {
        let (Some(raw), Some(schema)) = (path_params.get(&param.name), param.schema.as_deref())
        else {
            continue;
        };
        match typed(&shared.doc, Some(schema), raw) {
            Ok(value) => {
                for violation in vbazure_spec::validate(&shared.doc, schema, &value) {
                    errors
                        .entry(param.name.clone())
                        .or_default()
                        .push(violation.message);
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
        path_params,
        query: query_values,
        body: parsed_body,
    })
}

/// A text parameter as the JSON value its schema's type asks for.
fn typed(doc: &Document, schema: Option<&str>, raw: &str) -> Result<Value, String> {
    let kind = schema
        .and_then(|s| doc.deref(s))
        .and_then(|(_, s)| s.get("type"))
        .and_then(Value::as_str);
    match kind {
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
        Some("boolean") => raw
            .parse::<bool>()
            .map(Value::Bool)
            .map_err(|_| format!("{raw:?} is not true or false.")),
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

/// Checks the answer against the spec; an answer that breaks it is recorded and replaced by a
/// 500, so that a test cannot pass on a body the real API would never send.
fn checked(shared: &Shared, operation: Option<&Operation>, reply: Reply) -> Reply {
    let Some(body) = &reply.body else {
        return reply;
    };
    let essence = reply.content_type.split(';').next().unwrap_or_default();
    let documented = operation
        .and_then(|operation| response_body(operation, reply.status, essence))
        .and_then(|media| media.schema.clone());
    // Errors the mock raises itself (security, validation) may be ones an operation does not
    // list; the API still answers them with problem details.
    let problem_schema = "/components/schemas/ProblemDetails";
    let schema = documented.or_else(|| {
        (reply.content_type == crate::reply::PROBLEM && shared.doc.get(problem_schema).is_some())
            .then(|| problem_schema.to_string())
    });
    let where_ = operation.map_or("(no operation)", |o| o.name.as_str());
    let violations: Vec<String> = match &schema {
        Some(schema) => vbazure_spec::validate(&shared.doc, schema, body)
            .iter()
            .map(ToString::to_string)
            .collect(),
        None => vec![format!(
            "the spec documents no {} body of type {} here",
            reply.status, reply.content_type
        )],
    };
    if violations.is_empty() {
        return reply;
    }
    let message = format!("{where_} {}: {}", reply.status, violations.join("; "));
    eprintln!("vbazure-mock: an answer broke the spec: {message}");
    shared
        .violations
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(message);
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
    let reply = answer(
        &shared,
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        body,
    )
    .await;
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
