//! What the mock does: credentials, how sessions progress, and the scenarios tests ask for.

use std::collections::BTreeSet;
use std::time::Duration;

use crate::drift::Drift;

/// The user name the mock accepts unless configured otherwise.
pub const DEFAULT_USERNAME: &str = "administrator";
/// The password the mock accepts unless configured otherwise. It guards nothing: the mock
/// listens on loopback only.
pub const DEFAULT_PASSWORD: &str = "vbazure-mock";

/// How a running session reaches its final status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// After this many reads of the session (`getJobSession`; on v8.1 also a page of the
    /// session list that shows it, as a client that follows many sessions reads them).
    Polls(u32),
    /// This long after it started.
    Time(Duration),
}

/// The final status a finished deletion session gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
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
        self.into()
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
    /// When set, v1's `deleteBackups` answers 404 for VM ids not in it. (v8.1 answers from
    /// its inventory of protected VMs, see [`crate::MockBuilder::vm`].)
    pub known_vms: Option<BTreeSet<String>>,
    /// When set, the account uses multi-factor authentication with this one-time code (v8.1):
    /// a `Password` grant answers `mfa_enabled: true` and an `mfa_token`, and an `Mfa` grant
    /// with that token and this code gives the tokens.
    pub mfa_code: Option<String>,
    /// The read of an asynchronous operation (`getAsyncOperation`, v8.1) that finds it done:
    /// the reads before it answer `Running`.
    pub operation_polls: u32,
    /// The ways the answers of the flow depart from the document on purpose (see [`Drift`]);
    /// none by default.
    pub drift: BTreeSet<Drift>,
    /// When set (401 or 403), every request without a token except the token operation's is
    /// refused with this status before it is routed, on any path, served or not, as an
    /// ASP.NET Core server with a fallback authorization policy does. Without it, only the
    /// operations that need a token refuse, and unknown paths answer 404.
    pub gate_anonymous: Option<u16>,
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
            mfa_code: None,
            operation_polls: 2,
            drift: BTreeSet::new(),
            gate_anonymous: None,
        }
    }
}

/// Requests that fail on purpose: the next `count` requests get `status`.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct InjectedFailures {
    pub count: u32,
    pub status: u16,
}
