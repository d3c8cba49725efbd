//! What the mock does: credentials, how sessions progress, and the scenarios tests ask for.

use std::collections::BTreeSet;
use std::time::Duration;

/// The user name the mock accepts unless configured otherwise.
pub const DEFAULT_USERNAME: &str = "administrator";
/// The password the mock accepts unless configured otherwise. It guards nothing: the mock
/// listens on loopback only.
pub const DEFAULT_PASSWORD: &str = "vbazure-mock";

/// How a running session reaches its final status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// After this many reads of the session (`getJobSession`).
    Polls(u32),
    /// This long after it started.
    Time(Duration),
}

/// The final status a finished deletion session gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FinalStatus {
    /// `Success`.
    Success,
    /// `Warning`.
    Warning,
    /// `Error`.
    Error,
}

impl FinalStatus {
    /// As the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "Success",
            Self::Warning => "Warning",
            Self::Error => "Error",
        }
    }
}

/// The mock's settings. Scenario settings can also change while it runs.
#[derive(Clone, Debug)]
pub struct MockConfig {
    /// The accepted user name.
    pub username: String,
    /// The accepted password.
    pub password: String,
    /// How long access tokens live.
    pub token_lifetime: Duration,
    /// How sessions progress.
    pub progress: Progress,
    /// How sessions end.
    pub final_status: FinalStatus,
    /// Added before every answer.
    pub latency: Duration,
    /// When set, `deleteBackups` answers 404 for VM ids not in it.
    pub known_vms: Option<BTreeSet<String>>,
}

impl Default for MockConfig {
    fn default() -> Self {
        Self {
            username: DEFAULT_USERNAME.to_string(),
            password: DEFAULT_PASSWORD.to_string(),
            token_lifetime: Duration::from_secs(3600),
            progress: Progress::Polls(3),
            final_status: FinalStatus::Success,
            latency: Duration::ZERO,
            known_vms: None,
        }
    }
}

/// Requests that fail on purpose: the next `count` requests get `status`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InjectedFailures {
    pub count: u32,
    pub status: u16,
}
