//! Behaviour of the generated sessions that their schemas cannot say: when a session has
//! ended. One rule for every version's `JobSession` and for the version-neutral `Session`.

use crate::SessionStatus;

/// Whether a session in `status`, with or without an `executionStopTime`, has ended.
///
/// A known final status ([`SessionStatus::is_terminal`]) ends it. A status this client does not
/// know (or the appliance's own `Unknown`) cannot be judged by name, so then the session has
/// ended once the appliance has set `executionStopTime`.
pub(crate) fn has_ended(status: &SessionStatus, stopped: bool) -> bool {
    match status {
        status if status.is_terminal() => true,
        SessionStatus::Unknown | SessionStatus::Unrecognized(_) => stopped,
        _ => false,
    }
}

impl crate::v1::types::JobSession {
    /// Whether the session has ended (see [`crate::Session::is_finished`]).
    pub fn is_finished(&self) -> bool {
        has_ended(&self.status, self.execution_stop_time.is_some())
    }
}

impl crate::v8_1::types::JobSession {
    /// Whether the session has ended (see [`crate::Session::is_finished`]).
    pub fn is_finished(&self) -> bool {
        has_ended(&self.status, self.execution_stop_time.is_some())
    }
}
