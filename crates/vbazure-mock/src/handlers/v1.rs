//! The stateful operations of API v1: the deletion of a VM's backups and the job sessions it
//! starts (list, read, log, stop).

use serde_json::{json, Value};

use crate::call::Call;
use crate::operation_ids::V1;
use crate::reply::Reply;
use crate::shared::Shared;

use super::job_session::{not_found, read_session, session_id};
use super::token::create_token;

/// The answer of a v1 operation. Every one is listed, without a catch-all: an operation added
/// to the document is a build error here until it has a handler or is left to its example
/// (`=> return None`).
pub(super) fn handle(shared: &Shared, call: &Call<'_>, operation: V1) -> Option<Reply> {
    Some(match operation {
        V1::CreateToken => create_token(shared, call),
        V1::DeleteBackups => delete_backups(shared, call),
        V1::ListJobSessions => list_job_sessions(shared, call),
        V1::GetJobSession => get_job_session(shared, call),
        V1::GetJobSessionLog => get_job_session_log(shared, call),
        V1::StopJobSession => stop_job_session(shared, call),
    })
}

fn delete_backups(shared: &Shared, call: &Call<'_>) -> Reply {
    let vm_id = call.path_param("id");
    if shared.with_config(|c| {
        c.known_vms
            .as_ref()
            .is_some_and(|known| !known.contains(vm_id))
    }) {
        return Reply::not_found(format!("Virtual machine {vm_id} was not found."), call.path);
    }
    let mut state = shared.state();
    let id = state.start_v1_deletion(vm_id);
    let session = state
        .v1_session_mut(&id)
        .map(|s| s.to_json(&shared.base_url, false));
    match session {
        Some(body) => Reply::json(200, body),
        None => Reply::problem(500, "The new session was lost."),
    }
}

fn get_job_session(shared: &Shared, call: &Call<'_>) -> Reply {
    read_session(shared, call, true, |session| {
        Reply::json(200, session.to_json(&shared.base_url, true))
    })
}

fn get_job_session_log(shared: &Shared, call: &Call<'_>) -> Reply {
    read_session(shared, call, false, |session| {
        Reply::json(200, session.log_json(None))
    })
}

fn stop_job_session(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.state();
    match state
        .v1_session_mut(session_id(call))
        .map(|session| session.request_stop())
    {
        Some(true) => Reply::empty(200),
        Some(false) => already_finished(call),
        None => not_found(call),
    }
}

fn already_finished(call: &Call<'_>) -> Reply {
    Reply::problem(
        409,
        format!("Job session {} has already finished.", session_id(call)),
    )
}

fn list_job_sessions(shared: &Shared, call: &Call<'_>) -> Reply {
    let number = |name: &str| call.query.get(name).and_then(Value::as_u64);
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit").unwrap_or(30).max(1);
    let progression = shared.progression();
    let mut state = shared.state();
    let total = state.v1_session_count() as u64;
    let base = &shared.base_url;
    let results: Vec<Value> = state
        .v1_sessions_mut()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|s| {
            s.advance_v1(progression, false);
            s.to_json(base, true)
        })
        .collect();
    let link = |o: u64| json!({"href": format!("{base}/api/v1/jobSessions?offset={o}&limit={limit}&display=Full")});
    let mut links = json!({"self": link(offset), "first": link(0)});
    if offset > 0 {
        links["prev"] = link(offset.saturating_sub(limit));
    }
    if offset + limit < total {
        links["next"] = link(offset + limit);
    }
    Reply::json(
        200,
        json!({"offset": offset, "limit": limit, "totalCount": total, "results": results, "_links": links}),
    )
}
