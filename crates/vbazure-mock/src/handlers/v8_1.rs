//! The stateful operations of API v8.1: server information, logout, the protected VMs and
//! their deletion (one or a batch), job sessions with their filters, and asynchronous
//! operations.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::call::Call;
use crate::inventory::{item_json, Scope, Workload, SUBSCRIPTION_ID};
use crate::operation_ids::V8_1;
use crate::reply::{query_value, Reply};
use crate::shared::Shared;
use crate::state::{AsyncRequest, Session, VmQuery};

use super::job_session::{not_found, read_session, session_id};
use super::paging::{flag, page, page_links, text, texts, time, window};
use super::token::create_token;
use super::{deleted_items, protected_items, removals, restore_points};

/// The answer of a v8.1 operation, or `None` when it is left to its documented example. Every
/// one is listed, without a catch-all: an operation added to the document is a build error
/// here until it has a handler or is left to its example (`=> return None`).
pub(super) fn handle(shared: &Shared, call: &Call<'_>, operation: V8_1) -> Option<Reply> {
    Some(match operation {
        V8_1::CreateToken => create_token(shared, call),
        V8_1::RevokeToken => revoke_token(shared, call),
        V8_1::GetSystemInfo => system_info(),
        V8_1::ListProtectedVirtualMachines => list_vms(shared, call),
        V8_1::GetProtectedVirtualMachine => get_vm(shared, call),
        V8_1::DeleteVirtualMachineBackups => {
            let tier = removals::query_tier(call);
            removals::one(shared, call, Workload::Vm, Scope::Backups(tier))
        }
        V8_1::DeleteVirtualMachinesBackups => {
            removals::batch(shared, call, Workload::Vm, Scope::Backups(None))
        }
        V8_1::ListJobSessions => list_sessions(shared, call),
        V8_1::GetJobSession => get_session(shared, call),
        V8_1::GetJobSessionLog => get_log(shared, call),
        V8_1::StopJobSession => stop_session(shared, call),
        V8_1::GetAsyncOperation => get_operation(shared, call),
        V8_1::ListJobSessionDeletedItems => deleted_items::list(shared, call),
        other => return removal_or_point(shared, call, other),
    })
}

/// The answer of the removals, restore points and protected items of the kinds besides VMs.
fn removal_or_point(shared: &Shared, call: &Call<'_>, operation: V8_1) -> Option<Reply> {
    use Workload::{CosmosDb, FileShare, Sql, Vm};
    let tier = removals::query_tier(call);
    Some(match operation {
        V8_1::DeleteVirtualMachinesSnapshots => removals::batch(shared, call, Vm, Scope::Snapshots),
        V8_1::DeleteVirtualMachinesManualSnapshots => {
            removals::batch(shared, call, Vm, Scope::ManualSnapshots)
        }
        V8_1::DeleteVirtualMachineSnapshots => removals::one(shared, call, Vm, Scope::Snapshots),
        V8_1::DeleteVirtualMachineManualSnapshots => {
            removals::one(shared, call, Vm, Scope::ManualSnapshots)
        }
        V8_1::ListProtectedDatabases => protected_items::list(shared, call, Sql),
        V8_1::GetProtectedDatabase => protected_items::get(shared, call, Sql, "databaseId"),
        V8_1::DeleteDatabaseBackups => removals::one(shared, call, Sql, Scope::Backups(tier)),
        V8_1::DeleteDatabaseManualBackups => removals::one(shared, call, Sql, Scope::ManualBackups),
        V8_1::ListProtectedCosmosDbAccounts => protected_items::list(shared, call, CosmosDb),
        V8_1::GetProtectedCosmosDbAccount => {
            protected_items::get(shared, call, CosmosDb, "cosmosDbAccountId")
        }
        V8_1::DeleteCosmosDbAccountBackups => {
            removals::one(shared, call, CosmosDb, Scope::Backups(tier))
        }
        V8_1::DeleteCosmosDbAccountManualBackups => {
            removals::one(shared, call, CosmosDb, Scope::ManualBackups)
        }
        V8_1::DeleteCosmosDbAccountContinuousBackups => {
            removals::one(shared, call, CosmosDb, Scope::ContinuousBackups)
        }
        V8_1::ListProtectedFileShares => protected_items::list(shared, call, FileShare),
        V8_1::GetProtectedFileShare => protected_items::get(shared, call, FileShare, "fileShareId"),
        V8_1::DeleteFileSharesSnapshots => {
            removals::batch(shared, call, FileShare, Scope::Snapshots)
        }
        V8_1::DeleteFileSharesManualSnapshots => {
            removals::batch(shared, call, FileShare, Scope::ManualSnapshots)
        }
        V8_1::ListVirtualMachineRestorePoints => restore_points::list(shared, call, Vm),
        V8_1::GetVirtualMachineRestorePoint => restore_points::get(shared, call, Vm),
        V8_1::DeleteVirtualMachineRestorePoint => restore_points::delete(shared, call, Vm),
        V8_1::ListSqlRestorePoints => restore_points::list(shared, call, Sql),
        V8_1::GetSqlRestorePoint => restore_points::get(shared, call, Sql),
        V8_1::DeleteSqlRestorePoint => restore_points::delete(shared, call, Sql),
        V8_1::ListFileShareRestorePoints => restore_points::list(shared, call, FileShare),
        V8_1::GetFileShareRestorePoint => restore_points::get(shared, call, FileShare),
        V8_1::DeleteFileShareRestorePoint => restore_points::delete(shared, call, FileShare),
        V8_1::ListCosmosDbRestorePoints => restore_points::list(shared, call, CosmosDb),
        V8_1::GetCosmosDbRestorePoint => restore_points::get(shared, call, CosmosDb),
        V8_1::DeleteCosmosDbRestorePoint => restore_points::delete(shared, call, CosmosDb),
        // The operations `handle` answers itself.
        V8_1::CreateToken
        | V8_1::RevokeToken
        | V8_1::GetSystemInfo
        | V8_1::ListProtectedVirtualMachines
        | V8_1::GetProtectedVirtualMachine
        | V8_1::DeleteVirtualMachineBackups
        | V8_1::DeleteVirtualMachinesBackups
        | V8_1::ListJobSessions
        | V8_1::GetJobSession
        | V8_1::GetJobSessionLog
        | V8_1::StopJobSession
        | V8_1::GetAsyncOperation
        | V8_1::ListJobSessionDeletedItems => return None,
    })
}

fn revoke_token(shared: &Shared, call: &Call<'_>) -> Reply {
    if let Some(token) = &call.bearer {
        shared.state().revoke(token);
    }
    Reply::empty(204)
}

fn system_info() -> Reply {
    Reply::json(
        200,
        json!({
            "serverVersion": "8.0.1.202",
            "workerVersion": "8.0.1.202",
            "flrVersion": "8.0.1.202",
            "copyright": null,
            "databaseId": "7d9e2c41-5b3a-4f08-a1e6-2c8b9d0f4e73",
            "deploymentSubscriptionId": SUBSCRIPTION_ID,
        }),
    )
}

/// What a list of protected VMs asks for, to answer now or once an operation is done.
fn vm_query(call: &Call<'_>) -> VmQuery {
    let (offset, limit) = window(call);
    VmQuery {
        offset,
        limit,
        search: text(call, "SearchPattern").map(str::to_string),
        flr_session: flag(call, "FlrSession"),
        retrieval_statuses: texts(call, "DataRetrievalStatuses")
            .into_iter()
            .map(str::to_string)
            .collect(),
    }
}

/// The page `query` asks for, as `ProtectedVirtualMachinePage`.
fn vm_page(shared: &Shared, query: &VmQuery) -> Value {
    let state = shared.state();
    let needle = query.search.as_deref().map(str::to_lowercase);
    let matching: Vec<_> = state
        .inventory
        .iter()
        .filter(|vm| {
            needle
                .as_deref()
                .is_none_or(|n| vm.name.to_lowercase().contains(n))
        })
        // No mock VM has a file-level recovery session or archived data being retrieved.
        .filter(|_| query.flr_session != Some(true))
        .filter(|_| query.retrieval_statuses.is_empty())
        .collect();
    let total = matching.len() as i64;
    let base = &shared.base_url;
    let results: Vec<Value> = page(matching, query.offset, query.limit)
        .into_iter()
        .map(|vm| item_json(Workload::Vm, vm, base))
        .collect();
    let mut extra = String::new();
    if let Some(search) = &query.search {
        extra.push_str(&format!("&SearchPattern={}", query_value(search)));
    }
    json!({
        "offset": query.offset,
        "limit": query.limit,
        "totalCount": total,
        "results": results,
        "_links": page_links(
            &format!("{base}/api/v8.1/protectedItem/virtualMachines"),
            query.offset,
            query.limit,
            total,
            &extra,
        ),
    })
}

/// Answers `request` now, or (with `sync`, a rescan of Azure first) 202 with an operation
/// that answers it once done.
fn now_or_later(shared: &Shared, sync: bool, request: AsyncRequest) -> Reply {
    if sync {
        let mut state = shared.state();
        let id = state.start_operation(request);
        return match state.operation_mut(&id) {
            Some(operation) => Reply::json(202, operation.to_json(&shared.base_url)),
            None => Reply::problem(500, "The new operation was lost."),
        };
    }
    match answer_of(shared, &request) {
        Some(body) => Reply::json(200, body),
        None => Reply::problem(500, "The request's resource is gone."),
    }
}

/// What `request` answers; `None` for a VM that is not there.
fn answer_of(shared: &Shared, request: &AsyncRequest) -> Option<Value> {
    match request {
        AsyncRequest::VmPage(query) => Some(vm_page(shared, query)),
        AsyncRequest::Vm(id) => shared
            .state()
            .inventory
            .get(id)
            .map(|vm| item_json(Workload::Vm, vm, &shared.base_url)),
    }
}

fn list_vms(shared: &Shared, call: &Call<'_>) -> Reply {
    let request = AsyncRequest::VmPage(vm_query(call));
    now_or_later(shared, flag(call, "Sync") == Some(true), request)
}

fn vm_id<'a>(call: &'a Call<'_>) -> &'a str {
    call.path_param("id")
}

fn vm_not_found(call: &Call<'_>, id: &str) -> Reply {
    Reply::not_found(
        format!("Protected virtual machine {id} was not found."),
        call.path,
    )
}

fn get_vm(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = vm_id(call);
    if shared.state().inventory.get(id).is_none() {
        return vm_not_found(call, id);
    }
    now_or_later(
        shared,
        flag(call, "sync") == Some(true),
        AsyncRequest::Vm(id.to_string()),
    )
}

/// The session list's filters, each narrowing when given.
struct SessionFilter<'a> {
    statuses: Vec<&'a str>,
    types: Vec<&'a str>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    resource: Option<&'a str>,
    policy: Option<&'a str>,
    text: Option<String>,
}

impl SessionFilter<'_> {
    fn matches(&self, session: &Session) -> bool {
        (self.statuses.is_empty() || self.statuses.contains(&session.status.as_str()))
            && (self.types.is_empty() || self.types.contains(&session.kind()))
            && self.from.is_none_or(|from| session.started >= from)
            && self.to.is_none_or(|to| session.started <= to)
            && self.resource.is_none_or(|vm| session.processed(vm))
            // Deletion sessions belong to no backup policy.
            && self.policy.is_none()
            && self.text.as_deref().is_none_or(|needle| {
                session.texts().any(|t| t.to_lowercase().contains(needle))
            })
    }
}

fn list_sessions(shared: &Shared, call: &Call<'_>) -> Reply {
    let filter = match (time(call, "FromUtc"), time(call, "ToUtc")) {
        (Ok(from), Ok(to)) => SessionFilter {
            statuses: texts(call, "Status"),
            types: texts(call, "Types"),
            from,
            to,
            resource: text(call, "ResourceId"),
            policy: text(call, "PolicyId"),
            text: text(call, "Filter").map(str::to_lowercase),
        },
        (Err(reply), _) | (_, Err(reply)) => return reply,
    };
    let (offset, limit) = window(call);
    let progression = shared.progression();
    let mut state = shared.state();
    // Statuses are filtered as they are now: let time move the sessions on first.
    state.advance_all_v8_1(progression);
    let base = &shared.base_url;
    // Newest first, as the appliance lists them; each with its place in the state.
    let matching: Vec<(usize, &Session)> = state
        .v8_1_sessions()
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, s)| filter.matches(s))
        .collect();
    let total = matching.len() as i64;
    let listed = page(matching, offset, limit);
    let results: Vec<Value> = listed.iter().map(|(_, s)| s.to_json(base, true)).collect();
    // Each session on the page has been read, as a GET of it is: the read counts towards
    // `--finish-after-polls` once the answer is written (the page shows each session as it
    // was when filtered), so a client that follows sessions through the list sees them end.
    let read: Vec<usize> = listed.iter().map(|(index, _)| *index).collect();
    for index in read {
        state.advance_v8_1(index, progression, true);
    }
    let mut extra = String::new();
    for (name, values) in [("Status", &filter.statuses), ("Types", &filter.types)] {
        for value in values {
            extra.push_str(&format!("&{name}={}", query_value(value)));
        }
    }
    for name in ["FromUtc", "ToUtc", "ResourceId", "PolicyId", "Filter"] {
        if let Some(value) = text(call, name) {
            extra.push_str(&format!("&{name}={}", query_value(value)));
        }
    }
    Reply::json(
        200,
        json!({
            "offset": offset,
            "limit": limit,
            "totalCount": total,
            "results": results,
            "_links": page_links(&format!("{base}/api/v8.1/jobSessions"), offset, limit, total, &extra),
        }),
    )
}

fn get_session(shared: &Shared, call: &Call<'_>) -> Reply {
    read_session(shared, call, true, |session| {
        // With `instanceId`, what concerns that resource: nothing, if the session did not
        // process it.
        if let Some(instance) = text(call, "instanceId") {
            if !session.processed(instance) {
                return Reply::not_found(
                    format!(
                        "Job session {} did not process the resource {instance}.",
                        session.id
                    ),
                    call.path,
                );
            }
        }
        Reply::json(200, session.to_json(&shared.base_url, true))
    })
}

fn get_log(shared: &Shared, call: &Call<'_>) -> Reply {
    read_session(shared, call, false, |session| {
        Reply::json(200, session.log_json(text(call, "instanceId")))
    })
}

fn stop_session(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.state();
    let Some(index) = state.v8_1_index(session_id(call)) else {
        return not_found(call);
    };
    // A finished session is left as it is, and the answer is the same 204: the vendor's
    // document lists no 409 (nor any other answer) for stopping one (v1 answers 409).
    match state.v8_1_session_mut(index).map(Session::request_stop) {
        Some(_) => Reply::empty(204),
        None => not_found(call),
    }
}

fn get_operation(shared: &Shared, call: &Call<'_>) -> Reply {
    let id = call.path_param("operationId");
    let done_at = shared.with_config(|c| c.operation_polls);
    // Read the request without holding the lock: answering it reads the state again.
    let due = {
        let mut state = shared.state();
        let Some(operation) = state.operation_mut(id) else {
            return Reply::not_found(format!("Operation {id} was not found."), call.path);
        };
        (operation.result.is_none() && operation.poll(done_at)).then(|| operation.request.clone())
    };
    if let Some(request) = due {
        let result = answer_of(shared, &request).unwrap_or(Value::Null);
        if let Some(operation) = shared.state().operation_mut(id) {
            operation.result.get_or_insert(result);
        }
    }
    match shared.state().operation_mut(id) {
        Some(operation) => Reply::json(200, operation.to_json(&shared.base_url)),
        None => Reply::not_found(format!("Operation {id} was not found."), call.path),
    }
}
