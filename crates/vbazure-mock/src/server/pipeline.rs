//! The steps every request goes through, in order: counted, delayed by the latency set, failed
//! if a failure was injected, routed, checked, answered (by a handler, or with the documented
//! example), drifted if asked, and the answer checked against the document.

use std::sync::atomic::Ordering;

use bytes::Bytes;
use hyper::header::HeaderMap;
use vbazure_spec::{Document, Operation};

use crate::drift::{self, Drifted};
use crate::handlers;
use crate::reply::Reply;
use crate::shared::Shared;

use super::answer_check::checked;
use super::request_check::{prepare, Incoming};
use super::routing::route;

/// The token operation's path, shared by every version and never gated.
const TOKEN_PATH: &str = "/api/oauth2/token";

/// Answers one request. Never panics on any input: every failure is an answer.
pub(super) async fn answer(
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
    // An appliance that authenticates before it routes refuses an anonymous request on any
    // path, served or not; logging in stays open.
    let gate = shared.with_config(|c| c.gate_anonymous);
    if let Some(status) = gate {
        if !headers.contains_key(hyper::header::AUTHORIZATION) && path != TOKEN_PATH {
            return checked(
                shared,
                None,
                &Drifted::default(),
                Reply::problem(status, "The access token is missing, expired or not valid.")
                    .with_header("www-authenticate", "Bearer".to_string()),
            );
        }
    }
    let (routed, path_params) = match route(shared, method, path) {
        Ok(found) => found,
        Err(reply) => return checked(shared, None, &Drifted::default(), reply),
    };
    let Some(doc) = shared.docs.get(&routed.version) else {
        return Reply::problem(500, "The operation's document is not loaded.");
    };
    let mut drifted = Drifted::default();
    let request = Incoming {
        path,
        path_params,
        query,
        headers,
        body,
    };
    let reply = match prepare(shared, doc, routed, request) {
        Ok(call) => match handlers::handle(shared, &call) {
            Some(mut reply) => {
                let drifts = shared.with_config(|c| c.drift.clone());
                drift::written_nulls(&drifts, routed.version, &mut reply);
                drifted = drift::apply(&drifts, routed.id, &mut reply);
                reply
            }
            None => documented_example(doc, &routed.operation),
        },
        Err(reply) => reply,
    };
    checked(shared, Some(routed), &drifted, reply)
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
