//! `vbazure-mock`: the mock appliance as a standalone server, for contract tests in any
//! language. It prints its base URL as the first line on stdout and serves until Ctrl-C or
//! SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Parser, ValueEnum};
use vbazure_mock::{
    ApiVersion, Drift, FinalStatus, MockAppliance, MockConfig, Progress, DEFAULT_USERNAME,
};

/// A mock Veeam Backup for Microsoft Azure appliance serving REST API v1 (openapi.yaml) and
/// v8.1 (openapi-v8.1.yaml) at once, as an appliance that accepts several versions does.
///
/// Log in with grant_type=Password, Username=administrator (or username=...) and the
/// password from VBAZURE_MOCK_PASSWORD (default: vbazure-mock).
///
/// Without --vm, v8.1 protects four made-up VMs, the same on every run: web-01
/// (4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64), db-01 (8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20),
/// app-03 and app-04; GET /api/v8.1/protectedItem/virtualMachines lists them. For a load
/// test, --generate-vms 10000 makes ten thousand. v8.1 also protects three SQL databases
/// (orders, customers, inventory), three Cosmos DB accounts (catalog-cosmos, ...) and three
/// file shares (finance, hr, engineering); every item has about ten restore points over 120
/// days (snapshots, manual ones, backups in the hot, cool and archive tiers, a few
/// immutable), which removals take away.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// The loopback address to listen on; port 0 picks a free one.
    #[arg(long, default_value = "127.0.0.1:0")]
    listen: SocketAddr,
    /// The user name to accept.
    #[arg(long, default_value = DEFAULT_USERNAME)]
    username: String,
    /// The password to accept (from the environment, never the command line).
    #[arg(long = "password-from-env", env = "VBAZURE_MOCK_PASSWORD", hide_env_values = true, default_value = vbazure_mock::DEFAULT_PASSWORD, hide_default_value = true, hide = true)]
    password: String,
    /// Sessions finish after this many reads of the session (on v8.1, a session list that
    /// shows it counts as a read)...
    #[arg(long, default_value_t = 3, conflicts_with = "finish_after_ms")]
    finish_after_polls: u32,
    /// ...or this many milliseconds after they start.
    #[arg(long)]
    finish_after_ms: Option<u64>,
    /// The status finished deletions get.
    #[arg(long, value_enum, default_value_t = Final::Success)]
    final_status: Final,
    /// Milliseconds added before every answer.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seconds an access token lives.
    #[arg(long, default_value_t = 3600)]
    token_lifetime_secs: u64,
    /// Fail the first N requests...
    #[arg(long, default_value_t = 0)]
    fail_next: u32,
    /// ...with this status.
    #[arg(long, default_value_t = 503)]
    fail_status: u16,
    /// Only these VMs exist (repeatable), as NAME=ID or ID alone (named by its id): v8.1
    /// lists them, and both versions answer 404 for other ids.
    #[arg(long = "vm", value_name = "NAME=ID")]
    vms: Vec<String>,
    /// Make up N protected VMs (v8.1), after any --vm: web-01, db-01, app-03, ... with
    /// UUIDs that are the same on every run (4 without --vm; at most 100000).
    #[arg(long, value_name = "N")]
    generate_vms: Option<usize>,
    /// The VM with this id has no backups (repeatable): v8.1 deletions of it answer 204.
    /// An id not among the VMs is added to them.
    #[arg(long = "no-backups", value_name = "ID")]
    no_backups: Vec<String>,
    /// The API versions to serve, comma-separated: 1, 8.1 or 1,8.1 (the default). The
    /// others answer 404, as an appliance that does not accept them does.
    #[arg(long, value_delimiter = ',', default_value = "1,8.1", value_parser = parse_version)]
    api_versions: Vec<ApiVersion>,
    /// The account uses multi-factor authentication with this one-time code (v8.1).
    #[arg(long, env = "VBAZURE_MOCK_MFA_CODE", hide_env_values = true)]
    mfa_code: Option<String>,
    /// An asynchronous operation (v8.1 Sync=true) is done at its Nth read.
    #[arg(long, default_value_t = 2)]
    operation_polls: u32,
    /// Append each request received to FILE as a JSON line: method, path, query, status.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// Make the answers of the flow (tokens, sessions, pages, logs, system information, VMs)
    /// depart from the spec in this way, to test a client's conformance check (repeatable).
    /// Each departure is still recorded as a violation, but the answer is sent as it is.
    #[arg(long = "drift", value_name = "KIND", value_parser = drift_kinds())]
    drift: Vec<Drift>,
    /// Refuse every request without a token (but logging in) with this status, 401 or 403,
    /// before routing it, on any path, served or not: an appliance that authenticates before
    /// it routes, whose version anonymous requests cannot tell
    #[arg(long, value_name = "STATUS", value_parser = parse_gate)]
    gate_anonymous: Option<u16>,
}

/// The kinds of `--drift`: every [`Drift`], by its name, with its summary as help (the library
/// lists them once).
fn drift_kinds() -> impl TypedValueParser<Value = Drift> {
    let kinds = Drift::ALL.map(|drift| PossibleValue::new(drift.as_str()).help(drift.summary()));
    // Only the names above get here, and each reads back as its drift.
    PossibleValuesParser::new(kinds).try_map(|name| name.parse::<Drift>())
}

fn parse_gate(text: &str) -> Result<u16, String> {
    match text.trim() {
        "401" => Ok(401),
        "403" => Ok(403),
        other => Err(format!("{other:?} is not 401 or 403")),
    }
}

fn parse_version(text: &str) -> Result<ApiVersion, String> {
    text.parse()
}

/// `NAME=ID`, or an `ID` alone, named by itself.
fn parse_vm(text: &str) -> (String, String) {
    match text.split_once('=') {
        Some((name, id)) if !name.is_empty() && !id.is_empty() => {
            (name.to_string(), id.to_string())
        }
        _ => (text.to_string(), text.to_string()),
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Final {
    Success,
    Warning,
    Error,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = MockConfig {
        username: args.username,
        password: args.password,
        token_lifetime: Duration::from_secs(args.token_lifetime_secs),
        progress: match args.finish_after_ms {
            Some(ms) => Progress::Time(Duration::from_millis(ms)),
            None => Progress::Polls(args.finish_after_polls),
        },
        final_status: match args.final_status {
            Final::Success => FinalStatus::Success,
            Final::Warning => FinalStatus::Warning,
            Final::Error => FinalStatus::Error,
        },
        latency: Duration::from_millis(args.latency_ms),
        known_vms: None,
        mfa_code: args.mfa_code,
        operation_polls: args.operation_polls,
        drift: args.drift.into_iter().collect(),
        gate_anonymous: args.gate_anonymous,
    };
    let mut builder = MockAppliance::builder()
        .address(args.listen)
        .config(config)
        .api_versions(args.api_versions);
    for vm in &args.vms {
        let (name, id) = parse_vm(vm);
        builder = builder.vm(name, id);
    }
    if let Some(count) = args.generate_vms {
        builder = builder.generate_vms(count);
    }
    for id in args.no_backups {
        builder = builder.no_backups(id);
    }
    if let Some(path) = args.record {
        builder = builder.record(path);
    }
    let mock = match builder.start().await {
        Ok(mock) => mock,
        Err(e) => {
            eprintln!("vbazure-mock: {e}");
            return ExitCode::from(2);
        }
    };
    mock.fail_next(args.fail_next, args.fail_status);
    println!("{}", mock.url());
    let _ = std::io::stdout().flush();
    let versions: Vec<String> = mock
        .api_versions()
        .iter()
        .map(|v| format!("v{v}"))
        .collect();
    eprintln!(
        "vbazure-mock: serving API {} at {} (Ctrl-C to stop)",
        versions.join(" and "),
        mock.url()
    );
    wait_for_signal().await;
    // The departures --drift asked for are no failure of the mock.
    let violations = mock.unexpected_violations();
    let drifted = mock.violations().len() - violations.len();
    mock.shutdown().await;
    if drifted > 0 {
        eprintln!("vbazure-mock: {drifted} answer(s) drifted from the spec on purpose (--drift)");
    }
    if violations.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "vbazure-mock: {} answer(s) broke the spec",
            violations.len()
        );
        ExitCode::FAILURE
    }
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = terminate.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
