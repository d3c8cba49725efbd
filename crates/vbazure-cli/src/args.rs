//! The command line, as clap reads it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use vbazure::v8_1::types::{BackupTier, SessionTypeFilter};
use vbazure::{FollowOptions, SessionStatus, Timestamp};

use crate::filters::{
    parse_duration, parse_rate, parse_status, parse_time, parse_type, parse_uuid,
};

const EXIT_CODES: &str = "\
Exit codes:
  0  done; when waiting, every session ended Success
  1  an error talking to the API (connection, authentication, not found, bad response), or a
     VM name (--by-name) that matches no protected VM or several: then nothing is deleted
  2  usage error (arguments, settings, files), or a deletion not confirmed at the question
  3  a waited session ended Warning (and none worse)
  4  a waited session ended Error, Canceled or another unsuccessful final status
  5  --timeout reached while sessions were still running (they go on on the appliance)
  6  conformance: an answer departs from the document in a way the client cannot read
  130  delete-backups interrupted (Ctrl-C): resume with the same command and --journal
With several VMs, the highest code wins. A flag the appliance's API version lacks (the v8.1
ones on an appliance speaking v1) is a usage error (2), found before anything is deleted.

Credentials: --token / VBAZURE_TOKEN, or --username / VBAZURE_USERNAME with the password from
VBAZURE_PASSWORD or, on a terminal, a prompt. A password is never taken from the command line.
An account with multi-factor authentication (v8.1) is asked for its code on a terminal (no
echo), else it comes from VBAZURE_MFA_CODE. A run that logged in with a password keeps its
tokens for the next run (the token cache: see `vbazure logout`); with --no-token-cache it logs
out at its end (v8.1).

Settings: a flag or its environment variable wins over the profile (--profile /
VBAZURE_PROFILE), which wins over the default.";

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

/// Where the appliance is and how to reach it. A flag (or its environment variable) wins over
/// the profile's setting, which wins over the built-in default.
#[derive(Debug, Args)]
pub(crate) struct Global {
    /// Use the appliance and defaults of this profile (see `vbazure profile`)
    #[arg(
        long,
        short = 'p',
        value_name = "NAME",
        env = "VBAZURE_PROFILE",
        global = true
    )]
    pub profile: Option<String>,
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
    /// How results are written to stdout: tables and lines for people, JSON lines, YAML
    /// documents, or CSV (lists and sessions) [default: table]
    #[arg(long, short = 'o', value_enum, env = "VBAZURE_OUTPUT", global = true)]
    pub output: Option<Output>,
    /// The columns of a table or CSV, in order, e.g. id,status,started (an unknown name lists
    /// the command's columns)
    #[arg(long, value_name = "NAMES", value_delimiter = ',', global = true)]
    pub columns: Option<Vec<String>>,
    /// The appliance's API version: auto finds out which one it serves (newest first)
    /// [default: auto]
    #[arg(long, env = "VBAZURE_API_VERSION", value_parser = version_choice(), global = true)]
    pub api_version: Option<VersionChoice>,
    /// The longest one request may take, answer included (30s, 2m). A deletion a killed run
    /// sent is looked for on resume only once this long has passed since it was sent
    /// [default: 30s]
    #[arg(long, value_name = "DURATION", env = "VBAZURE_REQUEST_TIMEOUT", value_parser = parse_duration, global = true)]
    pub request_timeout: Option<Duration>,
    /// Keep no tokens between runs: log in at the start and out at the end (v8.1)
    #[arg(long, env = "VBAZURE_NO_TOKEN_CACHE", value_parser = clap::builder::BoolishValueParser::new(), global = true)]
    pub no_token_cache: bool,
    /// Log what the client does on stderr: the API version detected and chosen, each
    /// request's operation, status and time, retries, token renewals (-vv: more). Never a
    /// password or token
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Start the built-in mock appliance on loopback and run against it
    // Kept, hidden, in a build without the mock, so that `--mock` says why it cannot work.
    #[arg(long, global = true, hide = cfg!(not(feature = "mock")))]
    pub mock: bool,
}

/// Which API version to speak: `auto` (detect it), or one of the library's
/// [`vbazure::ApiVersion`]s by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VersionChoice(Option<vbazure::ApiVersion>);

impl VersionChoice {
    /// Ask the appliance which versions it serves and take the newest this client speaks.
    pub(crate) const AUTO: Self = Self(None);

    /// The version chosen, or `None` to detect it.
    pub(crate) fn chosen(self) -> Option<vbazure::ApiVersion> {
        self.0
    }

    /// `auto`, `1` or `8.1` (what `--api-version` and a profile's `api-version` take).
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        if text == "auto" {
            return Ok(Self::AUTO);
        }
        vbazure::ApiVersion::ALL
            .into_iter()
            .find(|v| v.as_str() == text)
            .map(|v| Self(Some(v)))
            .ok_or_else(|| format!("{text:?} is not auto, 1 or 8.1"))
    }
}

/// `--api-version`: the names clap checks, lists in `--help` and completes.
fn version_choice() -> impl clap::builder::TypedValueParser<Value = VersionChoice> {
    use clap::builder::{PossibleValue, TypedValueParser};
    let auto = PossibleValue::new("auto")
        .help("Ask the appliance which versions it serves and take the newest this client speaks");
    let versions = vbazure::ApiVersion::ALL.map(|version| {
        PossibleValue::new(version.as_str()).help(match version {
            vbazure::ApiVersion::V1 => "API v1 (product 1.0)",
            vbazure::ApiVersion::V8_1 => "API v8.1 (product 8.1, the appliances in service today)",
        })
    });
    clap::builder::PossibleValuesParser::new(std::iter::once(auto).chain(versions))
        .try_map(|name: String| VersionChoice::parse(&name))
}

/// How results are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Output {
    /// Tables and lines for people, fitted to the terminal's width.
    #[value(alias = "text")]
    Table,
    /// One JSON document per line: each API object, as the client's models encode it.
    Json,
    /// One YAML document per API object, each starting with `---`.
    Yaml,
    /// Comma-separated values with a header line: the columns of a list (not delete-backups
    /// or conformance).
    Csv,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Remove every backup of the given VMs (or SQL databases, Cosmos DB accounts: --kind);
    /// with --wait, follow each session to its end
    DeleteBackups(DeleteBackups),
    /// Remove the snapshots of the given VMs or file shares (v8.1); with --wait, follow each
    /// session to its end
    DeleteSnapshots(DeleteSnapshots),
    /// Restore points of one kind of item (v8.1): list them, delete them by age, keeping each
    /// item's newest
    #[command(subcommand)]
    RestorePoints(crate::restore_points::RestorePoints),
    /// Job sessions: list, show, log, wait, stop
    #[command(subcommand)]
    Sessions(Sessions),
    /// Protected VMs (v8.1): list
    #[command(subcommand)]
    Vms(Vms),
    /// Check the appliance's answers against the document of its API version (read-only)
    Conformance(ConformanceArgs),
    /// Print a shell completion script on stdout (needs no appliance)
    #[command(after_help = COMPLETIONS_HELP)]
    Completions(CompletionsArgs),
    /// Named appliances and their defaults: add, list, show, remove (needs no appliance)
    #[command(subcommand, after_help = PROFILE_HELP)]
    Profile(ProfileCommand),
    /// Revoke the token kept for the profile (v8.1) and remove it from the token cache
    Logout,
    /// Write a man page for vbazure and each of its commands into a directory (needs no
    /// appliance)
    ManPages(ManPagesArgs),
}

const PROFILE_HELP: &str = "\
Profiles live in profiles.toml in the platform's config directory (~/.config/vbazure on Linux;
VBAZURE_CONFIG_DIR elsewhere). Each holds a URL, and optionally a user name, an API version, a
CA certificate and default --output and --request-timeout; never a password or token. Use one
with --profile NAME or VBAZURE_PROFILE. A flag or environment variable wins over the profile.

Examples:
  vbazure profile add prod --url https://vbazure.example.com --username svc-backup \\
      --api-version 8.1 --ca-cert ./appliance-ca.pem
  vbazure --profile prod sessions list
  vbazure profile list";

/// `vbazure profile ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ProfileCommand {
    /// Save a profile from the --url, --username, --api-version, --ca-cert, --output and
    /// --request-timeout given with it (their environment variables are not read)
    Add {
        /// The profile's name: letters, digits, - and _
        name: String,
        /// Replace a profile of that name
        #[arg(long)]
        replace: bool,
    },
    /// List the profiles
    List,
    /// Show a profile's settings (without NAME: the one --profile / VBAZURE_PROFILE names)
    Show {
        /// The profile's name
        name: Option<String>,
    },
    /// Remove a profile and the tokens kept for it
    Remove {
        /// The profile's name
        name: String,
    },
}

const COMPLETIONS_HELP: &str = "\
Examples:
  vbazure completions bash > ~/.local/share/bash-completion/completions/vbazure
  vbazure completions zsh > \"${fpath[1]}/_vbazure\"
  vbazure completions fish > ~/.config/fish/completions/vbazure.fish
  vbazure completions powershell >> $PROFILE";

/// `vbazure completions SHELL`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: Shell,
}

/// The shells completions are written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Shell {
    /// GNU Bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
    /// PowerShell (Windows PowerShell and PowerShell 7).
    Powershell,
}

/// `vbazure man-pages DIR`.
#[derive(Debug, Args)]
pub(crate) struct ManPagesArgs {
    /// The directory to write the pages into (made if missing), e.g. ~/.local/share/man/man1
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

const CONFORMANCE_HELP: &str = "\
Runs the read-only calls of the flow: login, version detection, server information (v8.1), a
few pages of sessions, some sessions and their logs, the protected VMs (v8.1). Nothing is
deleted or stopped. Every answer is checked against the document of the version in use: its
status, content type and body (types, date-time and time-span formats, required fields, nulls,
enumerations, fields the document does not declare). Each finding is breaking (the client would
fail on it), drift (undocumented but tolerated) or fine (undocumented by this document but
known to the client). Exit 6 when any finding is breaking, 1 when a call failed otherwise.";

/// `vbazure conformance`.
#[derive(Debug, Args)]
#[command(after_help = CONFORMANCE_HELP)]
pub(crate) struct ConformanceArgs {
    /// Pages of sessions to read (50 sessions each)
    #[arg(long, default_value_t = 3)]
    pub pages: u32,
    /// Sessions of those to read one by one, with their logs
    #[arg(long, default_value_t = 5)]
    pub sessions: usize,
}

/// The safety of both removal commands, shared by their `--help` (a macro: `concat!` takes
/// literals only).
macro_rules! delete_safety {
    () => {
        "\
Removing cannot be undone. On a terminal the command says how many items (and the first few)
and asks for `yes`; --yes skips the question, and without a terminal it is needed: else
nothing is sent (exit 2). --dry-run resolves every item and prints what would be removed
(v8.1: name, id, region, last backup; v1: the ids as given) and sends no removal (exit 1 when
an item is not a protected item of that --kind). With --by-name every name is looked up in the
protected items of that --kind before the first removal: a name that matches no protected
item exactly, or several, stops the run with exit 1, naming the candidates, and nothing is
removed.

--journal FILE appends one JSON line per step (planned, sending, accepted, nothing-to-delete,
refused, no-answer, ended), each flushed and fsynced before the next step; `sending` is on
disk before the request leaves. The `planned` line records the --kind and the removal (and
--backup-tier): a resume with another kind or removal is refused (exit 2) before anything is
sent, so that one journal never removes twice across kinds. Running the same command with the
same journal skips every item whose removal was accepted (with --wait it follows its session
to its end). An item with a `sending` line and no answer (the run was killed, or no answer
came) is looked for first, once its request timeout (--request-timeout, recorded as
`answerBy`) has passed:
  v8.1: sessions with ResourceId=<item id>, Types=<the removal's session type>,
        FromUtc=<that time - 5 min>; one found is recorded and followed, not sent again; none
        found: sent again. For a batch, a session found for one of its ids covers the batch.
        The session types: BackupDeletion (VM backups), SnapshotDeletion,
        ManualSnapshotDeletion, SqlBackupDeletion (SQL backups and manual backups),
        CosmosDbBackupDeletion (Cosmos DB backups and manual backups),
        CosmosDbContinuousBackupDeletion, FileShareSnapshotDeletion,
        FileShareManualSnapshotDeletion.
  v1:   (VM backups only) sessions do not say which VM they concern: if any BackupDeletion
        session started since then that the journal does not account for, the VM is reported
        `unknown: a deletion may have been sent`, is not sent again, and the run exits 1
        (check with `vbazure sessions list --all --type BackupDeletion --since TIME`); else
        sent again.
So with the journal no item is removed twice by vbazure, as far as the appliance lists its
sessions (v8.1), and on v1 never resent when a deletion it cannot rule out exists. A run with
another --backup-tier than the journal records is refused (exit 2) before anything is sent.

The first Ctrl-C starts no more removals, lets the requests in flight finish (their answers
are journaled), prints the sessions still running (they go on on the appliance) and the
command that resumes, and exits 130; a second Ctrl-C exits at once (the journal stays
consistent: at most the line being written is cut, and a resumed run leaves it out).

With --wait, the removals (at most --concurrency requests at once) and the following of the
sessions are apart: each session is followed from the moment it starts, by one poller for all
of them that sends at most --max-requests-per-second status requests."
    };
}

const DELETE_BACKUPS_HELP: &str = concat!(
    "\
Examples:
  vbazure delete-backups --by-name web-01 db-01 --wait
      every backup of two VMs (--kind vm, the default), each session followed to its end
  vbazure delete-backups --from-file old-vms.txt --batch --backup-tier archive --journal j.jsonl
      the archive-tier backups of the VMs listed, 1000 per request, resumable
  vbazure delete-backups --kind sql --by-name orders --backup-tier non-archive --dry-run
      what would go of the SQL database `orders`' standard-tier backups; nothing sent
  vbazure delete-backups --kind sql --manual-only 6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62 --yes
      only the backups taken by hand of one SQL database, by id
  vbazure delete-backups --kind cosmos-db --continuous --by-name catalog-cosmos --wait
      the continuous backups (point-in-time restore) of a Cosmos DB account
  vbazure delete-backups --kind cosmos-db --manual-only --by-name catalog-cosmos
      the Cosmos DB account's manual backups

What each --kind removes: vm: every backup of the VM, or those of one --backup-tier (VMs'
snapshots: delete-snapshots); sql: the database's backups (manual ones too), or those of one
--backup-tier, or with --manual-only only the manual backups; cosmos-db: the account's backups
(or one --backup-tier), with --manual-only the manual backups, with --continuous the continuous
backups. File shares have snapshots only: `--kind file-share` is refused (exit 2), nothing
sent; use `vbazure delete-snapshots --kind file-share`. --batch is for VMs only (the appliance
removes a database's or an account's backups one per request). Every kind but vm needs API
v8.1.

",
    delete_safety!()
);

const DELETE_SNAPSHOTS_HELP: &str = concat!(
    "\
Examples:
  vbazure delete-snapshots --by-name web-01 --wait
      every snapshot of a VM (those of policies and those taken by hand); backups stay
  vbazure delete-snapshots --manual-only --from-file vms.txt --batch --yes --journal j.jsonl
      the snapshots taken by hand of the VMs listed, 1000 per request, resumable
  vbazure delete-snapshots --kind file-share --by-name finance --dry-run
      what would go of the file share `finance`'s snapshots; nothing sent
  vbazure delete-snapshots --kind file-share --manual-only 2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75
      the manual snapshots of one file share, by id

The appliance removes file shares' snapshots in batch requests only: with --kind file-share
every request is a batch (of at most 1000 ids), --batch or not. For VMs --batch makes batch
requests, one VM per request without it. Needs API v8.1.

",
    delete_safety!()
);

/// `delete-backups`: what it removes, and how the run goes.
#[derive(Debug, Args)]
#[command(after_help = DELETE_BACKUPS_HELP)]
pub(crate) struct DeleteBackups {
    /// What the ids (names with --by-name) are: VMs, Azure SQL databases or Cosmos DB accounts
    /// (file shares have snapshots only: see delete-snapshots)
    #[arg(long, value_enum, value_name = "KIND", default_value_t = BackupsKind::Vm)]
    pub kind: BackupsKind,
    /// Only the backups taken by hand, outside any policy (--kind sql or cosmos-db; v8.1)
    #[arg(long)]
    pub manual_only: bool,
    /// Only the continuous backups, for point-in-time restore (--kind cosmos-db; v8.1)
    #[arg(long, conflicts_with = "manual_only")]
    pub continuous: bool,
    /// Only the backups in this tier (v8.1; without it, every backup; not with --manual-only
    /// or --continuous)
    #[arg(long, value_enum, value_name = "TIER", conflicts_with_all = ["manual_only", "continuous"])]
    pub backup_tier: Option<TierArg>,
    #[command(flatten)]
    pub options: DeleteOptions,
}

/// `delete-snapshots`: what it removes, and how the run goes.
#[derive(Debug, Args)]
#[command(after_help = DELETE_SNAPSHOTS_HELP)]
pub(crate) struct DeleteSnapshots {
    /// What the ids (names with --by-name) are: VMs or Azure file shares
    #[arg(long, value_enum, value_name = "KIND", default_value_t = SnapshotsKind::Vm)]
    pub kind: SnapshotsKind,
    /// Only the snapshots taken by hand, outside any policy
    #[arg(long)]
    pub manual_only: bool,
    #[command(flatten)]
    pub options: DeleteOptions,
}

/// What `delete-backups` and `delete-snapshots` share: the items, how they are named, and how
/// the run goes.
#[derive(Debug, Args)]
pub(crate) struct DeleteOptions {
    /// The items' ids: VMs, or what --kind names (their names with --by-name)
    #[arg(value_name = "ID")]
    pub items: Vec<String>,
    /// Read the items from a file, one per line (blank lines and # comments ignored; - for
    /// stdin)
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// The items given are names (v8.1), each resolved through the protected items of that
    /// --kind before anything is removed; an unknown or ambiguous name stops the run (exit 1)
    #[arg(long)]
    pub by_name: bool,
    /// Send the items in batch requests of at most 1000 ids, one session per request (v8.1;
    /// VMs; file shares are always sent so)
    #[arg(long)]
    pub batch: bool,
    /// Follow each session until it ends
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub waiting: Waiting,
    /// How many removal requests are in flight at once
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// With --wait: the most status requests per second, all sessions together (with at most
    /// --concurrency of them, or 16 if more, outstanding at once)
    #[arg(long, value_name = "N", value_parser = parse_rate,
          default_value_t = FollowOptions::default().requests_per_second)]
    pub max_requests_per_second: f64,
    /// With --wait: the most sessions of this run not yet seen to end; no removal is sent
    /// while that many are being followed
    #[arg(long, value_name = "N", default_value_t = MAX_RUNNING,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_running: u32,
    /// Resolve every item and print what would be removed; send no removal
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (needed when there is no terminal to ask on)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Append every step to this file (JSON lines, each fsynced before the next step); run
    /// the same command with the same journal to resume: see below
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
}

/// `delete-backups --kind`: the kinds of protected item with backups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum BackupsKind {
    /// Azure virtual machines.
    Vm,
    /// Azure SQL databases (v8.1).
    Sql,
    /// Azure Cosmos DB accounts (v8.1).
    CosmosDb,
    /// Azure file shares: they have snapshots only; refused, see delete-snapshots.
    FileShare,
}

/// `delete-snapshots --kind`: the kinds of protected item with snapshots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SnapshotsKind {
    /// Azure virtual machines.
    Vm,
    /// Azure file shares.
    FileShare,
}

/// Which backups to delete (v8.1 `BackupTier`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TierArg {
    /// Every backup, in every tier.
    All,
    /// Only the backups in the archive tier.
    Archive,
    /// Only the backups outside the archive tier (the standard tier).
    NonArchive,
}

impl TierArg {
    /// As the API names it.
    pub(crate) fn tier(self) -> BackupTier {
        match self {
            Self::All => BackupTier::All,
            Self::Archive => BackupTier::Archive,
            Self::NonArchive => BackupTier::NonArchive,
        }
    }
}

/// `--max-running`'s default: the sessions one run follows at once. Each costs the CLI about
/// 2 kB while followed; without a bound, removals answered faster than their sessions end pile
/// up (87,500 restore point removals once took 186 MB), and a real appliance would queue them
/// all.
pub(crate) const MAX_RUNNING: u32 = 10_000;

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

impl Waiting {
    /// The library's wait settings these flags make (for one session, and the follower's
    /// intervals): the pauses start at `--poll-interval` and grow up to the library's longest,
    /// or to `--poll-interval` when that is longer.
    pub(crate) fn options(&self) -> vbazure::WaitOptions {
        let defaults = vbazure::WaitOptions::default();
        let max_interval = defaults.max_interval.max(self.poll_interval);
        let mut options = defaults.with_intervals(self.poll_interval, max_interval);
        options.timeout = self.timeout;
        options
    }
}

#[derive(Debug, Subcommand)]
pub(crate) enum Sessions {
    /// List job sessions, a page or all of them, narrowed by filters
    List(ListSessions),
    /// Show one session
    Show {
        /// The session's id
        session_id: String,
    },
    /// Show a session's log
    Log {
        /// The session's id
        session_id: String,
        /// Only the records about this resource: the appliance's id of the VM (v8.1)
        #[arg(long, value_name = "ID")]
        resource_id: Option<String>,
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

const LIST_HELP: &str = "\
On API v8.1 the appliance applies the filters. On API v1 it cannot: --status, --type, --since
and --until are then applied by vbazure to every session (they need --all), and --policy-id,
--resource-id and --filter are refused. A filter is never ignored.";

/// `sessions list`: a page or every session, and the filters.
#[derive(Debug, Args)]
#[command(after_help = LIST_HELP)]
pub(crate) struct ListSessions {
    /// Skip this many sessions
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
    /// At most this many sessions (a page)
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,
    /// Every session, page after page (--limit is the page size)
    #[arg(long)]
    pub all: bool,
    /// Only sessions in this state (repeatable): Running, Success, Warning, Error, Canceled, ...
    #[arg(long = "status", value_name = "STATUS", value_parser = parse_status)]
    pub statuses: Vec<SessionStatus>,
    /// Only sessions of this type (repeatable): BackupDeletion, PolicyBackup, ...
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_type)]
    pub types: Vec<SessionTypeFilter>,
    /// Only sessions that started at or after this time (YYYY-MM-DDTHH:MM:SSZ, UTC)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub since: Option<Timestamp>,
    /// Only sessions that started at or before this time (YYYY-MM-DDTHH:MM:SSZ, UTC)
    #[arg(long, value_name = "TIME", value_parser = parse_time)]
    pub until: Option<Timestamp>,
    /// Only sessions of this backup policy (v8.1)
    #[arg(long, value_name = "UUID", value_parser = parse_uuid)]
    pub policy_id: Option<uuid::Uuid>,
    /// Only sessions that processed this resource, by the appliance's id of it (v8.1)
    #[arg(long, value_name = "ID")]
    pub resource_id: Option<String>,
    /// Only sessions whose text contains this (v8.1)
    #[arg(long, value_name = "TEXT")]
    pub filter: Option<String>,
}

/// `vms ...` (v8.1).
#[derive(Debug, Subcommand)]
pub(crate) enum Vms {
    /// List protected VMs: id, name, region, last backup
    List {
        /// Only VMs whose name contains this
        #[arg(long, value_name = "PATTERN")]
        search: Option<String>,
        /// Skip this many VMs
        #[arg(long, default_value_t = 0)]
        offset: u32,
        /// At most this many VMs (a page)
        #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..))]
        limit: u32,
        /// Every VM, page after page (--limit is the page size)
        #[arg(long)]
        all: bool,
    },
}
