//! The job session a request's path names (`{sessionId}`), as both versions' session
//! operations read it: its id, the 404 for none, and a read of it that moves it on first.

use crate::call::Call;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::state::Session;

/// The session id the path names.
pub(super) fn session_id<'a>(call: &'a Call<'_>) -> &'a str {
    call.path_param("sessionId")
}

/// The 404 for a session the path names that there is not.
pub(super) fn not_found(call: &Call<'_>) -> Reply {
    Reply::not_found(
        format!("Job session {} was not found.", session_id(call)),
        call.path,
    )
}

/// A read of the session the path names (of the call's version), moved on first (`polled`:
/// the read counts as a poll): `answer` of it, or 404.
pub(super) fn read_session(
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
