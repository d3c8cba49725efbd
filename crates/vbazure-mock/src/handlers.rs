//! The stateful operations of the flow. Any other operation of the spec is answered with its
//! documented example (see `server.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::reply::Reply;
use crate::server::{Call, Shared};

/// The answer of a stateful operation, or `None` when the operation has no handler here.
pub(crate) fn handle(shared: &Shared, call: &Call<'_>) -> Option<Reply> {
    Some(match call.operation.name.as_str() {
        "createToken" => create_token(shared, call),
        "deleteBackups" => delete_backups(shared, call),
        "listJobSessions" => list_job_sessions(shared, call),
        "getJobSession" => get_job_session(shared, call),
        "getJobSessionLog" => get_job_session_log(shared, call),
        "stopJobSession" => stop_job_session(shared, call),
        _ => return None,
    })
}

/// A field of the request body. Names are matched in any casing, as the appliance (an
/// ASP.NET service) binds them: v1 documents `Username`, v8.1 `username`, and both reach it.
fn field<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    let body = call.body.as_ref()?.as_object()?;
    body.get(name)
        .or_else(|| {
            body.iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value)
        })?
        .as_str()
}

fn require(call: &Call<'_>, names: &[&str]) -> Result<(), Reply> {
    let missing: BTreeMap<String, Vec<String>> = names
        .iter()
        .filter(|n| field(call, n).is_none_or(str::is_empty))
        .map(|n| (n.to_string(), vec![format!("The {n} field is required.")]))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Reply::validation(missing))
    }
}

fn create_token(shared: &Shared, call: &Call<'_>) -> Reply {
    let config = shared.config();
    let username = match field(call, "grant_type") {
        Some("Password") => {
            if let Err(reply) = require(call, &["Username", "Password"]) {
                return reply;
            }
            if field(call, "Username") != Some(config.username.as_str())
                || field(call, "Password") != Some(config.password.as_str())
            {
                return Reply::problem(401, "The user name or password is incorrect.");
            }
            config.username.clone()
        }
        Some("Refresh_token") => {
            if let Err(reply) = require(call, &["refresh_token"]) {
                return reply;
            }
            let token = field(call, "refresh_token").unwrap_or_default();
            match shared.state().redeem_refresh(token) {
                Some(username) => username,
                None => {
                    return Reply::problem(
                        401,
                        "The refresh token is not valid or was already used.",
                    )
                }
            }
        }
        _ => {
            return Reply::problem(
                401,
                "Multi-factor authentication is not enabled for any account of this appliance.",
            )
        }
    };
    Reply::json(
        200,
        shared
            .state()
            .issue_tokens(&username, config.token_lifetime),
    )
}

fn delete_backups(shared: &Shared, call: &Call<'_>) -> Reply {
    let vm_id = call
        .path_params
        .get("id")
        .map(String::as_str)
        .unwrap_or_default();
    if shared.with_config(|c| {
        c.known_vms
            .as_ref()
            .is_some_and(|known| !known.contains(vm_id))
    }) {
        return Reply::problem(404, format!("Virtual machine {vm_id} was not found."));
    }
    let mut state = shared.state();
    let id = state.start_deletion(vm_id);
    let session = state
        .session_mut(&id.to_string())
        .map(|s| s.to_json(&shared.base_url, false));
    match session {
        Some(body) => Reply::json(200, body),
        None => Reply::problem(500, "The new session was lost."),
    }
}

fn session_id<'a>(call: &'a Call<'_>) -> &'a str {
    call.path_params
        .get("sessionId")
        .map(String::as_str)
        .unwrap_or_default()
}

fn not_found(id: &str) -> Reply {
    Reply::problem(404, format!("Job session {id} was not found."))
}

fn get_job_session(shared: &Shared, call: &Call<'_>) -> Reply {
    let progression = shared.progression();
    let mut state = shared.state();
    match state.session_mut(session_id(call)) {
        Some(session) => {
            session.advance(progression, true);
            Reply::json(200, session.to_json(&shared.base_url, true))
        }
        None => not_found(session_id(call)),
    }
}

fn get_job_session_log(shared: &Shared, call: &Call<'_>) -> Reply {
    let progression = shared.progression();
    let mut state = shared.state();
    match state.session_mut(session_id(call)) {
        Some(session) => {
            session.advance(progression, false);
            Reply::json(200, session.log_json())
        }
        None => not_found(session_id(call)),
    }
}

fn stop_job_session(shared: &Shared, call: &Call<'_>) -> Reply {
    let mut state = shared.state();
    match state
        .session_mut(session_id(call))
        .map(|session| session.request_stop())
    {
        Some(true) => Reply::empty(200),
        Some(false) => Reply::problem(
            409,
            format!("Job session {} has already finished.", session_id(call)),
        ),
        None => not_found(session_id(call)),
    }
}

fn list_job_sessions(shared: &Shared, call: &Call<'_>) -> Reply {
    let number = |name: &str| call.query.get(name).and_then(Value::as_u64);
    let offset = number("offset").unwrap_or(0);
    let limit = number("limit").unwrap_or(30).max(1);
    let progression = shared.progression();
    let mut state = shared.state();
    let total = state.session_count() as u64;
    let base = &shared.base_url;
    let results: Vec<Value> = state
        .sessions_mut()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|s| {
            s.advance(progression, false);
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
