//! The stateful operations of the flow: the token operations (shared by every version), v1's
//! here and v8.1's in `v8_1.rs`. Any other operation of a document is answered with its
//! documented example (see `server/pipeline.rs`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::config::ApiVersion;
use crate::operation_ids::{OperationId, V1};
use crate::reply::Reply;
use crate::server::{Call, Shared};
use crate::state::{Session, TokenForm};
use crate::v8_1;

/// The answer of a stateful operation, or `None` when the operation has no handler here: one
/// its version's embedded document does not name (see [`OperationId::of`]), or one a version's
/// handler leaves to its documented example.
pub(crate) fn handle(shared: &Shared, call: &Call<'_>) -> Option<Reply> {
    match call.id? {
        OperationId::V1(operation) => v1(shared, call, operation),
        OperationId::V8_1(operation) => v8_1::handle(shared, call, operation),
    }
}

/// The answer of a v1 operation. Every one is listed, without a catch-all: an operation added
/// to the document is a build error here until it has a handler or is left to its example
/// (`=> return None`).
fn v1(shared: &Shared, call: &Call<'_>, operation: V1) -> Option<Reply> {
    Some(match operation {
        V1::CreateToken => create_token(shared, call),
        V1::DeleteBackups => delete_backups(shared, call),
        V1::ListJobSessions => list_job_sessions(shared, call),
        V1::GetJobSession => get_job_session(shared, call),
        V1::GetJobSessionLog => get_job_session_log(shared, call),
        V1::StopJobSession => stop_job_session(shared, call),
    })
}

/// The body's field named `name` in any casing, as the appliance (an ASP.NET service) binds
/// them: v1 documents `Username`, v8.1 `username`, and both reach it. The exact spelling
/// wins; the key as sent comes with the value.
fn field_entry<'a>(call: &'a Call<'_>, name: &str) -> Option<(&'a str, &'a Value)> {
    let body = call.body.as_ref()?.as_object()?;
    body.get_key_value(name)
        .or_else(|| body.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)))
        .map(|(key, value)| (key.as_str(), value))
}

/// A text field of the body (see [`field_entry`]).
fn field<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    field_entry(call, name)?.1.as_str()
}

/// Answers 401 naming each of `names` that is missing or empty; a field sent empty is named
/// as the client spelled it, a missing one as `names` spells it (v1's `Username`, the
/// capitalised form the vendor's examples send to every version).
///
/// 401, not 400: both documents make every field but `grant_type` optional, so such a form is
/// well-formed; what it lacks is the proof of who is asking, which is what 401 answers. (A
/// form the schema refuses, such as one without `grant_type`, is still a 400.)
fn require(call: &Call<'_>, names: &[&str]) -> Result<(), Reply> {
    let mut missing: Vec<&str> = Vec::new();
    for name in names {
        let (key, present) = match field_entry(call, name) {
            Some((key, value)) => (key, value.as_str().is_some_and(|v| !v.is_empty())),
            None => (*name, false),
        };
        if !present {
            missing.push(key);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let grant = field(call, "grant_type").unwrap_or_default();
    Err(Reply::problem(
        401,
        format!(
            "The {grant} grant needs {}; the form has no {}.",
            names.join(" and "),
            missing.join(" and ")
        ),
    ))
}

/// The token operation. It is served once for every version (its path carries none), as the
/// newest document served has it: v8.1's answer, with MFA, when v8.1 is served; v1's fields
/// only when v1 alone is.
pub(crate) fn create_token(shared: &Shared, call: &Call<'_>) -> Reply {
    let config = shared.config();
    let speaks_v8_1 = call.version == ApiVersion::V8_1;
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
            if config.mfa_code.is_some() {
                if !speaks_v8_1 {
                    // v1's token answer has no form for the second step.
                    return Reply::problem(
                        401,
                        "This account uses multi-factor authentication, which needs API v8.1.",
                    );
                }
                return Reply::json(200, shared.state().start_mfa(&config.username));
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
        Some("Mfa") => {
            if let Err(reply) = require(call, &["mfa_token", "mfa_code"]) {
                return reply;
            }
            let token = field(call, "mfa_token").unwrap_or_default();
            let mut state = shared.state();
            let Some(username) = state.mfa_account(token) else {
                return Reply::problem(
                    401,
                    "The MFA token is not valid, was already used or has expired; log in again.",
                );
            };
            if config.mfa_code.as_deref() != field(call, "mfa_code") {
                return Reply::problem(401, "The one-time code is not valid.");
            }
            state.finish_mfa(token);
            username
        }
        // A grant the documents list but this appliance does not accept (no identity
        // provider, no updater): the login is refused, as the documents allow the form.
        Some(other) => {
            return Reply::problem(
                401,
                format!(
                    "The {other} grant is not available on this appliance; use Password, \
                     Refresh_token or Mfa."
                ),
            )
        }
        None => {
            return Reply::validation(BTreeMap::from([(
                "grant_type".to_string(),
                vec!["The grant_type field is required.".to_string()],
            )]))
        }
    };
    let form = if speaks_v8_1 {
        let short_lived = field_entry(call, "short_lived_refresh_token")
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        TokenForm::V8_1 {
            mfa_enabled: config.mfa_code.is_some(),
            short_lived,
        }
    } else {
        TokenForm::V1
    };
    Reply::json(
        200,
        shared
            .state()
            .issue_tokens(&username, config.token_lifetime, form),
    )
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

pub(crate) fn session_id<'a>(call: &'a Call<'_>) -> &'a str {
    call.path_param("sessionId")
}

pub(crate) fn not_found(call: &Call<'_>) -> Reply {
    Reply::not_found(
        format!("Job session {} was not found.", session_id(call)),
        call.path,
    )
}

/// A read of the session the path names (of the call's version), moved on first (`polled`:
/// the read counts as a poll): `answer` of it, or 404.
pub(crate) fn read_session(
    shared: &Shared,
    call: &Call<'_>,
    polled: bool,
    answer: impl FnOnce(&Session) -> Reply,
) -> Reply {
    let progression = shared.progression();
    let mut state = shared.state();
    match state.read_session(call.version, session_id(call), progression, polled) {
        Some(session) => answer(session),
        None => not_found(call),
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

pub(crate) fn already_finished(call: &Call<'_>) -> Reply {
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
