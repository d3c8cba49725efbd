//! What only API v8.1 has: backup tiers, batch deletion, session filters, protected VMs,
//! server information, logout and asynchronous operations. On an appliance speaking v1 each
//! fails before anything is sent, with [`ErrorKind::NotInVersion`].

use futures_util::Stream;
use tokio::time::Instant;

use super::paging::{pages, Fetched};
use super::{not_in_v1, request, ApiVersion, DeleteOutcome};
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::v8_1::types::{
    AsyncOperation, BackupTier, DeleteBackupsRequest, DeleteVirtualMachinesBackupsAnswer,
    GetProtectedVirtualMachineAnswer, ListProtectedVirtualMachinesAnswer,
    ProtectedVirtualMachinePage, SessionTypeFilter, SystemInfo,
};
use crate::v8_1::{self, builder::ListJobSessions};
use crate::{Appliance, Error, ErrorKind, SessionStatus, Timestamp, UndecodableItem};

/// The most VMs one batch deletion request may name.
pub const BATCH_LIMIT: usize = 1000;

/// A protected virtual machine, as API v8.1 describes it.
pub type ProtectedVm = v8_1::types::ProtectedVirtualMachine;

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

/// One request of a batch deletion: the VMs it named, and what it started or why it failed.
#[derive(Debug)]
pub struct BatchDeletion {
    /// The VM ids of this request, in the order given.
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
    async fn v8_1_only(
        &self,
        operation: &'static str,
        feature: &'static str,
    ) -> Result<&v8_1::Client, Error> {
        match self.api_version().await? {
            ApiVersion::V8_1 => Ok(&self.inner.v8_1),
            ApiVersion::V1 => Err(not_in_v1(operation, feature)),
        }
    }

    /// Removing the backups of many VMs, [`BATCH_LIMIT`] per request, one session per request
    /// (v8.1). The requests are made in the order of `vm_ids`; one that fails does not stop
    /// the others, and each request's outcome is given with its VMs, so that no session
    /// started is lost. An empty id fails the whole call before anything is sent. A backup
    /// tier is an option of the request; `send()` makes the requests.
    pub fn delete_backups_batch<'a>(
        &'a self,
        vm_ids: &'a [String],
    ) -> request::DeleteBackupsBatch<'a> {
        request::DeleteBackupsBatch::new(self, vm_ids)
    }

    pub(crate) async fn batch_delete(
        &self,
        vm_ids: &[String],
        tier: Option<BackupTier>,
    ) -> Result<Vec<BatchDeletion>, Error> {
        let operation = ops::DELETE_VIRTUAL_MACHINES_BACKUPS;
        let client = self.v8_1_only(operation, "batch deletion").await?;
        if let Some(position) = vm_ids.iter().position(|id| id.trim().is_empty()) {
            return Err(Error::new(
                operation,
                ErrorKind::InvalidRequest {
                    message: format!("VM id number {} is empty", position + 1),
                },
            ));
        }
        // The chunks are made before the first request, so that what each request names is
        // known whatever happens to the others.
        let chunks: Vec<Vec<String>> = vm_ids.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
        let mut done = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            let body = DeleteBackupsRequest {
                ids: chunk.clone(),
                backup_tier: tier,
            };
            let outcome = self
                .send(
                    operation,
                    client
                        .delete_virtual_machines_backups()
                        .body(body)
                        .send_answer(),
                )
                .await
                .map(|answer| match answer {
                    DeleteVirtualMachinesBackupsAnswer::Accepted(session) => {
                        DeleteOutcome::Started(session.into())
                    }
                    DeleteVirtualMachinesBackupsAnswer::NoContent => DeleteOutcome::NothingToDelete,
                });
            done.push(BatchDeletion {
                vm_ids: chunk,
                outcome,
            });
        }
        Ok(done)
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

    /// One page of protected VMs, `limit` at a time after the first `offset` (v8.1): all of
    /// them, or those whose name contains a [`search`](request::ProtectedVmsPage::search)
    /// pattern; with [`rescan`](request::ProtectedVmsPage::rescan) the appliance first rescans
    /// Azure, and when it answers with an asynchronous operation, the operation is followed to
    /// its result.
    pub fn protected_vms_page(&self, offset: u32, limit: u32) -> request::ProtectedVmsPage<'_> {
        request::ProtectedVmsPage::new(self, offset, limit)
    }

    pub(crate) async fn vms_page(
        &self,
        offset: u64,
        limit: u32,
        search: Option<&str>,
        sync: bool,
    ) -> Result<VmPage, Error> {
        let operation = ops::LIST_PROTECTED_VIRTUAL_MACHINES;
        let client = self.v8_1_only(operation, "the protected VM list").await?;
        let window = super::window::window(operation, offset, limit)?;
        let mut request = client
            .list_protected_virtual_machines()
            .offset(window.offset)
            .limit(window.limit_i32);
        if let Some(search) = search {
            request = request.search_pattern(search.to_string());
        }
        if sync {
            request = request.sync(true);
        }
        let page = match self.send(operation, request.send_answer()).await? {
            ListProtectedVirtualMachinesAnswer::Ok(page) => page,
            ListProtectedVirtualMachinesAnswer::Accepted(started) => {
                self.operation_result::<ProtectedVirtualMachinePage>(operation, started)
                    .await?
            }
        };
        Ok(VmPage {
            offset: u64::try_from(page.offset).unwrap_or(0),
            total_count: page.total_count.and_then(|n| u64::try_from(n).ok()),
            vms: page
                .results
                .unwrap_or_default()
                .into_iter()
                .map(crate::Lenient::into_result)
                .collect(),
        })
    }

    /// Every protected VM (or those whose name contains a
    /// [`search`](request::ProtectedVms::search) pattern), `page_size` at a time (v8.1), paged
    /// as [`job_sessions`](Self::job_sessions) is: each VM once, a VM that does not decode as
    /// an [`ErrorKind::UndecodableItem`] error and the stream goes on, a page of VMs already
    /// given ends it with [`ErrorKind::RepeatedPage`]; any other error ends it.
    pub fn protected_vms(&self, page_size: u32) -> request::ProtectedVms<'_> {
        request::ProtectedVms::new(self, page_size)
    }

    pub(crate) fn vms_stream<'a>(
        &'a self,
        page_size: u32,
        search: Option<&'a str>,
    ) -> impl Stream<Item = Result<ProtectedVm, Error>> + Send + 'a {
        let fetch = move |offset| async move {
            let page = self.vms_page(offset, page_size, search, false).await?;
            Ok(Fetched {
                items: page.vms,
                total: page.total_count,
                operation: ops::LIST_PROTECTED_VIRTUAL_MACHINES,
            })
        };
        pages(fetch, |vm: &ProtectedVm| vm.id.clone())
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

    /// The protected VM named exactly `name` (v8.1): the appliance is searched for the name,
    /// then the one VM whose name is exactly it is taken. No such VM, or several, is an
    /// [`ErrorKind::VmName`] error naming the candidates.
    pub async fn find_vm_by_name(&self, name: &str) -> Result<ProtectedVm, Error> {
        use futures_util::TryStreamExt;
        // A VM the client cannot read could be the one asked for: its error ends the search.
        let found: Vec<ProtectedVm> = self.vms_stream(100, Some(name)).try_collect().await?;
        let shown = |vm: &ProtectedVm| {
            format!(
                "{} ({})",
                vm.name.as_deref().unwrap_or("?"),
                vm.id.as_deref().unwrap_or("no id")
            )
        };
        let exact: Vec<&ProtectedVm> = found
            .iter()
            .filter(|vm| vm.name.as_deref() == Some(name))
            .collect();
        match exact.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::new(
                ops::LIST_PROTECTED_VIRTUAL_MACHINES,
                ErrorKind::VmName {
                    name: name.to_string(),
                    ambiguous: false,
                    candidates: found.iter().map(shown).collect(),
                },
            )),
            several => Err(Error::new(
                ops::LIST_PROTECTED_VIRTUAL_MACHINES,
                ErrorKind::VmName {
                    name: name.to_string(),
                    ambiguous: true,
                    candidates: several.iter().map(|vm| shown(vm)).collect(),
                },
            )),
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
    async fn operation_result<T: serde::de::DeserializeOwned>(
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
