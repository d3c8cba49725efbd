//! Asynchronous operations (v8.1): a rescan started with `Sync=true`, read until it is done,
//! the request it answers, and its result; the oldest are forgotten past a bound.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::dotnet::timestamp;

use super::{now, random_uuid, State};

/// Asynchronous operations kept for reading; older ones are forgotten, so that a client that
/// rescans in a loop cannot grow the mock without bound.
const OPERATIONS_KEPT: usize = 10_000;

/// An asynchronous operation (v8.1): a rescan whose result is computed when it is done.
#[derive(Debug)]
pub(crate) struct AsyncOperation {
    pub id: String,
    started: DateTime<Utc>,
    polls: u32,
    /// What the request that started it asked for; answered once it is done.
    pub request: AsyncRequest,
    pub result: Option<Value>,
}

/// The request an asynchronous operation answers.
#[derive(Clone, Debug)]
pub(crate) enum AsyncRequest {
    /// A page of protected VMs.
    VmPage(VmQuery),
    /// One protected VM.
    Vm(String),
}

/// What a list of protected VMs asked for (its query parameters, as the document has checked
/// them): kept by an asynchronous operation, which answers it once done.
#[derive(Clone, Debug)]
pub(crate) struct VmQuery {
    pub offset: i64,
    pub limit: i64,
    pub search: Option<String>,
    pub flr_session: Option<bool>,
    pub retrieval_statuses: Vec<String>,
}

impl State {
    /// Starts an asynchronous operation; its id.
    pub(crate) fn start_operation(&mut self, request: AsyncRequest) -> String {
        let id = random_uuid();
        self.operations.insert(
            id.clone(),
            AsyncOperation {
                id: id.clone(),
                started: now(),
                polls: 0,
                request,
                result: None,
            },
        );
        self.operation_order.push_back(id.clone());
        while self.operation_order.len() > OPERATIONS_KEPT {
            if let Some(old) = self.operation_order.pop_front() {
                self.operations.remove(&old);
            }
        }
        id
    }

    pub(crate) fn operation_mut(&mut self, id: &str) -> Option<&mut AsyncOperation> {
        self.operations.get_mut(id)
    }
}

impl AsyncOperation {
    /// Counts a read; whether the operation is done now (at its `done_at`-th read).
    pub(crate) fn poll(&mut self, done_at: u32) -> bool {
        self.polls = self.polls.saturating_add(1);
        self.polls >= done_at
    }

    pub(crate) fn to_json(&self, base_url: &str) -> Value {
        let done = self.result.is_some();
        json!({
            "id": self.id,
            "startTime": timestamp(self.started),
            "status": if done { "Success" } else { "Running" },
            "error": null,
            "result": self.result,
            "_links": {"self": {"href": format!("{base_url}/api/v8.1/operations/{}", self.id)}},
        })
    }
}
