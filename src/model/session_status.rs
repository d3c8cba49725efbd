//! The state of a job session.

use super::open_enum::open_enum;

open_enum! {
    /// The state of a job session, as the appliance reports it.
    ///
    /// Later appliances add states, so a value this client does not know decodes as
    /// `Unrecognized` instead of failing the response, and is written back unchanged. Match
    /// with a wildcard arm:
    ///
    /// ```
    /// use vbazure::SessionStatus;
    ///
    /// fn describe(status: &SessionStatus) -> String {
    ///     match status {
    ///         SessionStatus::Success => "done".to_string(),
    ///         SessionStatus::Running | SessionStatus::Pending => "working".to_string(),
    ///         other if other.is_terminal() => format!("ended: {other}"),
    ///         other => format!("in progress: {other}"),
    ///     }
    /// }
    ///
    /// assert_eq!(describe(&"Success".into()), "done");
    /// assert_eq!(describe(&"Warning".into()), "ended: Warning");
    /// // A state added by a later appliance:
    /// let new: SessionStatus = "Paused".into();
    /// assert!(!new.is_known());
    /// assert_eq!(new.as_str(), "Paused");
    /// assert_eq!(describe(&new), "in progress: Paused");
    /// ```
    pub enum SessionStatus {
        /// Stopped by a user before it finished (final).
        Canceled = "Canceled",
        /// Stopping after a user asked it to.
        Canceling = "Canceling",
        /// Ended with an error (final).
        Error = "Error",
        /// Never ran (final).
        NeverExecuted = "NeverExecuted",
        /// Waiting to start.
        Pending = "Pending",
        /// Running.
        Running = "Running",
        /// Running, with at least one error so far.
        RunningWithError = "RunningWithError",
        /// Running, with at least one warning so far.
        RunningWithWarning = "RunningWithWarning",
        /// Ended successfully (final).
        Success = "Success",
        /// Ended with warnings (final).
        Warning = "Warning",
        /// The appliance itself does not know the state (documented from API v8).
        Unknown = "Unknown",
    }
}

impl SessionStatus {
    /// Whether the session has ended: `Success`, `Warning`, `Error`, `Canceled` or
    /// `NeverExecuted`. Unknown and unrecognized states are not terminal; see
    /// `JobSession::is_finished` for how those are judged.
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            Self::Success | Self::Warning | Self::Error | Self::Canceled | Self::NeverExecuted
        )
    }

    /// Whether the session ended successfully (`Success`; `Warning` is not a success).
    pub fn is_success(&self) -> bool {
        matches!(self, Self::Success)
    }
}
