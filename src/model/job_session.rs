//! Behaviour of the generated `JobSession` that its schema cannot say.

use crate::types::JobSession;
use crate::SessionStatus;

impl JobSession {
    /// Whether the session has ended.
    ///
    /// A known final status ([`SessionStatus::is_terminal`]) ends it. A status this client
    /// does not know (or the appliance's own `Unknown`) cannot be judged by name, so then the
    /// session has ended once the appliance has set `executionStopTime`.
    pub fn is_finished(&self) -> bool {
        match &self.status {
            status if status.is_terminal() => true,
            SessionStatus::Unknown | SessionStatus::Unrecognized(_) => {
                self.execution_stop_time.is_some()
            }
            _ => false,
        }
    }
}
