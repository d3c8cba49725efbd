//! The command line, as clap reads it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::duration::parse_duration;

const EXIT_CODES: &str = "\
Exit codes:
  0  done; when waiting, every session ended Success
  1  an error talking to the API (connection, authentication, not found, bad response)
  2  usage error (arguments, settings, files)
  3  a waited session ended Warning (and none worse)
  4  a waited session ended Error, Canceled or another unsuccessful final status
  5  --timeout reached while sessions were still running (they go on on the appliance)
With several VMs, the highest code wins.

Credentials: --token / VBAZURE_TOKEN, or --username / VBAZURE_USERNAME with the password from
VBAZURE_PASSWORD or, on a terminal, a prompt. A password is never taken from the command line.";

/// Delete the backups of Azure VMs on a Veeam Backup for Microsoft Azure appliance and follow
/// the job sessions.
#[derive(Debug, Parser)]
#[command(name = "vbazure", version, after_help = EXIT_CODES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Command,
}

/// Where the appliance is and how to reach it.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// The appliance's base URL, e.g. https://appliance.example.com
    #[arg(long, env = "VBAZURE_URL", global = true)]
    pub url: Option<String>,
    /// An access token (prefer VBAZURE_TOKEN: command lines are visible to other users)
    #[arg(long, env = "VBAZURE_TOKEN", hide_env_values = true, global = true)]
    pub token: Option<String>,
    /// The account to log in with; the password comes from VBAZURE_PASSWORD or a prompt
    #[arg(long, env = "VBAZURE_USERNAME", global = true)]
    pub username: Option<String>,
    /// Also trust the CA certificate(s) in this PEM file (for a self-signed appliance)
    #[arg(long, value_name = "PEM", global = true)]
    pub ca_cert: Option<PathBuf>,
    /// Accept invalid TLS certificates (dangerous: the connection can be intercepted)
    #[arg(long, global = true)]
    pub insecure: bool,
    /// How results are written to stdout
    #[arg(long, value_enum, default_value_t = Output::Text, global = true)]
    pub output: Output,
    /// The appliance's API version: auto finds out which one it serves (newest first)
    #[arg(long, env = "VBAZURE_API_VERSION", value_enum, default_value_t = ApiVersionArg::Auto, global = true)]
    pub api_version: ApiVersionArg,
    /// Start the built-in mock appliance on loopback and run against it
    // Kept, hidden, in a build without the mock, so that `--mock` says why it cannot work.
    #[arg(long, global = true, hide = cfg!(not(feature = "mock")))]
    pub mock: bool,
}

/// Which API version to speak.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ApiVersionArg {
    /// Ask the appliance which versions it serves and take the newest this client speaks.
    Auto,
    /// API v1 (product 1.0).
    #[value(name = "1")]
    V1,
    /// API v8.1 (product 8.1, the appliances in service today).
    #[value(name = "8.1")]
    V8_1,
}

impl ApiVersionArg {
    /// The version chosen, or `None` to detect it.
    pub(crate) fn chosen(self) -> Option<vbazure::ApiVersion> {
        match self {
            Self::Auto => None,
            Self::V1 => Some(vbazure::ApiVersion::V1),
            Self::V8_1 => Some(vbazure::ApiVersion::V8_1),
        }
    }
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Output {
    /// Lines and tables for people.
    Text,
    /// One JSON document per line: each API object, as the client's models encode it.
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Remove every backup of the given VMs; with --wait, follow each session to its end
    DeleteBackups(DeleteBackups),
    /// Job sessions: list, show, log, wait, stop
    #[command(subcommand)]
    Sessions(Sessions),
}

#[derive(Debug, Args)]
pub(crate) struct DeleteBackups {
    /// VM ids
    #[arg(value_name = "VM_ID")]
    pub vm_ids: Vec<String>,
    /// Read VM ids from a file, one per line (blank lines and # comments ignored; - for stdin)
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Follow each session until it ends
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub waiting: Waiting,
    /// How many VMs are in flight at once
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
}

/// How long and how often to poll a session.
#[derive(Debug, Args)]
pub(crate) struct Waiting {
    /// Stop waiting on a session after this long (90s, 15m, 2h); it goes on running
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,
    /// The first pause between polls of a session; pauses grow up to 15s
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "1s")]
    pub poll_interval: Duration,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Sessions {
    /// List job sessions, a page or all of them
    List {
        /// Skip this many sessions
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// At most this many sessions (a page)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Every session, page after page (--limit is the page size)
        #[arg(long)]
        all: bool,
    },
    /// Show one session
    Show {
        /// The session's id
        session_id: String,
    },
    /// Show a session's log
    Log {
        /// The session's id
        session_id: String,
    },
    /// Wait until a session ends
    Wait {
        /// The session's id
        session_id: String,
        #[command(flatten)]
        waiting: Waiting,
    },
    /// Ask the appliance to stop a running session
    Stop {
        /// The session's id
        session_id: String,
    },
}
