//! Exit codes: the worst outcome wins.

use vbazure::Session;
use vbazure::SessionStatus;

/// An outcome, ordered so that the highest code is the one reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exit {
    /// 0: done.
    Ok = 0,
    /// 1: an error talking to the API.
    Api = 1,
    /// 2: a usage error.
    Usage = 2,
    /// 3: a session ended with warnings.
    Warning = 3,
    /// 4: a session ended unsuccessfully.
    Failed = 4,
    /// 5: the wait timed out; sessions still run.
    TimedOut = 5,
    /// 6: `conformance` found an answer the client cannot read as the document says.
    Breaking = 6,
    /// 130: interrupted (Ctrl-C); the run can be resumed with its journal.
    Interrupted = 130,
}

impl Exit {
    /// The outcome of a session that was waited to its end.
    pub fn of_finished(session: &Session) -> Self {
        match session.status {
            SessionStatus::Success => Exit::Ok,
            SessionStatus::Warning => Exit::Warning,
            _ => Exit::Failed,
        }
    }

    /// The outcome of an error.
    pub fn of_error(error: &vbazure::Error) -> Self {
        match error.kind() {
            vbazure::ErrorKind::StillRunning { .. } => Exit::TimedOut,
            // A feature the appliance's API version lacks: nothing was sent, the request was
            // wrong for this appliance.
            vbazure::ErrorKind::NotInVersion { .. } => Exit::Usage,
            _ => Exit::Api,
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }
}
