//! What only API v8.1 has: session filters, protected VMs, server information, logout and
//! asynchronous operations, and the types of batch deletions and VM pages (the requests with
//! options are in `request/`). On an appliance speaking v1 each fails before anything is
//! sent, with [`ErrorKind::NotInVersion`].

use tokio::time::Instant;

use super::{not_in_v1, ApiVersion, DeleteOutcome};
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::v8_1::types::{
    AsyncOperation, GetProtectedVirtualMachineAnswer, SessionTypeFilter, SystemInfo,
};
use crate::v8_1::{self, builder::ListJobSessions};
use crate::{Appliance, Error, ErrorKind, SessionStatus, Timestamp, UndecodableItem};

/// The most VMs one batch deletion request may name.
pub const BATCH_LIMIT: usize = 1000;

/// A protected virtual machine, as API v8.1 describes it.
pub type ProtectedVm = v8_1::types::ProtectedVirtualMachine;

/// A restore point a session deleted, as API v8.1 describes it (`DeletedRestorePoint`).
pub type DeletedItem = v8_1::types::DeletedRestorePoint;

/// What a session list is narrowed to (v8.1). Empty lists and `None`s narrow nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SessionFilter {
    /// Only sessions in one of these states (`Status`).
    pub statuses: Vec<SessionStatus>,
    /// Only sessions of one of these kinds (`Types`).
    pub types: Vec<SessionTypeFilter>,
    /// Only sessions that started at or after this time (`FromUtc`).
    pub from: Option<Timestamp>,
    /// Only sessions that started at or before this time (`ToUtc`).
    pub to: Option<Timestamp>,
    /// Only sessions of this backup policy (`PolicyId`).
    pub policy_id: Option<uuid::Uuid>,
    /// Only sessions that processed this resource (`ResourceId`).
    pub resource_id: Option<String>,
    /// Only sessions whose text contains this (`Filter`).
    pub text: Option<String>,
}

impl SessionFilter {
    /// Whether it narrows nothing.
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    pub(super) fn apply<'a>(&self, mut request: ListJobSessions<'a>) -> ListJobSessions<'a> {
        if !self.statuses.is_empty() {
            request = request.status(self.statuses.clone());
        }
        if !self.types.is_empty() {
            request = request.types(self.types.clone());
        }
        // The document takes whole seconds (`YYYY-MM-DDTHH:MM:SSZ`): the window is widened to
        // them, so that no session inside the asked window falls out of it.
        if let Some(from) = &self.from {
            request = request.from_utc(whole_second(from, false));
        }
        if let Some(to) = &self.to {
            request = request.to_utc(whole_second(to, true));
        }
        if let Some(policy) = self.policy_id {
            request = request.policy_id(policy);
        }
        if let Some(resource) = &self.resource_id {
            request = request.resource_id(resource.clone());
        }
        if let Some(text) = &self.text {
            request = request.filter(text.clone());
        }
        request
    }
}

/// `at` without its fraction of a second: the second it falls in, or with `up` the next one
/// when there was a fraction.
fn whole_second(at: &Timestamp, up: bool) -> Timestamp {
    use chrono::{TimeDelta, Timelike};
    let time = at.as_datetime();
    let floor = time.with_nanosecond(0).unwrap_or(time);
    if up && floor != time {
        Timestamp::from(floor + TimeDelta::seconds(1))
    } else {
        Timestamp::from(floor)
    }
}

/// One request of a batch deletion: the items it named, and what it started or why it failed.
#[derive(Debug)]
pub struct BatchDeletion {
    /// The ids of this request's items, in the order given: VMs, or for
    /// [`Appliance::removing`] the items of its workload (the name is kept from when only VMs
    /// were removed in batches).
    pub vm_ids: Vec<String>,
    /// Its outcome.
    pub outcome: Result<DeleteOutcome, Error>,
}

/// One page of protected VMs, each decoded on its own.
#[derive(Clone, Debug, PartialEq)]
pub struct VmPage {
    /// How many VMs come before this page.
    pub offset: u64,
    /// How many VMs there are in all, when the appliance says.
    pub total_count: Option<u64>,
    /// The VMs of this page.
    pub vms: Vec<Result<ProtectedVm, UndecodableItem>>,
}

impl Appliance {
    pub(super) async fn v8_1_only(
        &self,
        operation: &'static str,
        feature: &'static str,
    ) -> Result<&v8_1::Client, Error> {
        match self.api_version().await? {
            ApiVersion::V8_1 => Ok(&self.inner.v8_1),
            ApiVersion::V1 => Err(not_in_v1(operation, feature)),
        }
    }

    /// The appliance's versions (v8.1 `system/about`).
    pub async fn system_info(&self) -> Result<SystemInfo, Error> {
        let client = self
            .v8_1_only(ops::GET_SYSTEM_INFO, "server information")
            .await?;
        self.send(ops::GET_SYSTEM_INFO, client.get_system_info().send())
            .await
    }

    /// Logs out: revokes the access token (v8.1). Later requests log in again.
    pub async fn logout(&self) -> Result<(), Error> {
        let client = self.v8_1_only(ops::REVOKE_TOKEN, "logout").await?;
        let state = progenitor_client::ClientInfo::inner(client);
        let Some(auth) = &state.auth else {
            return Ok(());
        };
        if !auth.has_token() {
            return Ok(());
        }
        let result = self
            .send(ops::REVOKE_TOKEN, client.revoke_token().send())
            .await;
        // Whatever the appliance said, this client no longer uses the token.
        auth.forget();
        result
    }

    /// One protected VM by the appliance's id of it (v8.1).
    pub async fn protected_vm(&self, vm_id: &str) -> Result<ProtectedVm, Error> {
        let operation = ops::GET_PROTECTED_VIRTUAL_MACHINE;
        let client = self.v8_1_only(operation, "protected VMs").await?;
        path_segment::check(operation, "VM id", vm_id)?;
        match self
            .send(
                operation,
                client
                    .get_protected_virtual_machine()
                    .id(vm_id)
                    .send_answer(),
            )
            .await?
        {
            GetProtectedVirtualMachineAnswer::Ok(vm) => Ok(vm),
            GetProtectedVirtualMachineAnswer::Accepted(started) => {
                self.operation_result(operation, started).await
            }
        }
    }

    /// Follows an asynchronous operation (v8.1) until it has finished, polling as
    /// [`ApplianceBuilder::operation_wait`](super::ApplianceBuilder::operation_wait) says.
    pub async fn wait_operation(&self, operation: AsyncOperation) -> Result<AsyncOperation, Error> {
        let client = self
            .v8_1_only(ops::GET_ASYNC_OPERATION, "asynchronous operations")
            .await?;
        let options = &self.inner.operation_wait;
        let started = Instant::now();
        let mut interval = options.initial_interval;
        let mut current = operation;
        loop {
            if current
                .status
                .as_ref()
                .is_some_and(SessionStatus::is_terminal)
            {
                return Ok(current);
            }
            let id = current.id.map(|id| id.to_string()).ok_or_else(|| {
                Error::new(
                    ops::GET_ASYNC_OPERATION,
                    ErrorKind::InvalidRequest {
                        message: "the appliance started an operation without an id".to_string(),
                    },
                )
            })?;
            if options.timeout.is_some_and(|t| started.elapsed() >= t) {
                return Err(Error::new(
                    ops::GET_ASYNC_OPERATION,
                    ErrorKind::StillRunning {
                        session_id: id,
                        status: current.status.unwrap_or(SessionStatus::Running),
                        waited: started.elapsed(),
                    },
                ));
            }
            tokio::time::sleep(interval).await;
            interval = super::wait::grown(interval, options.max_interval);
            current = self
                .send(
                    ops::GET_ASYNC_OPERATION,
                    client.get_async_operation().operation_id(id).send(),
                )
                .await?;
        }
    }

    /// The result of an operation a request started, decoded as what the request answers.
    pub(super) async fn operation_result<T: serde::de::DeserializeOwned>(
        &self,
        request: &'static str,
        started: AsyncOperation,
    ) -> Result<T, Error> {
        let done = self.wait_operation(started).await?;
        let failed = |detail: Option<String>| {
            Error::new(
                request,
                ErrorKind::OperationFailed {
                    operation_id: done.id.map(|id| id.to_string()).unwrap_or_default(),
                    status: done.status.clone().unwrap_or(SessionStatus::Unknown),
                    detail,
                },
            )
        };
        if done.status != Some(SessionStatus::Success) {
            let detail = done
                .error
                .as_ref()
                .and_then(|e| e.0.as_ref())
                .and_then(|p| p.detail.clone().or_else(|| p.title.clone()));
            return Err(failed(detail));
        }
        let Some(result) = done.result.clone() else {
            return Err(failed(Some("it holds no result".to_string())));
        };
        serde_json::from_value(serde_json::Value::Object(result))
            .map_err(|e| failed(Some(format!("its result does not match the document: {e}"))))
    }
}
