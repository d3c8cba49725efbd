//! `vbazure-mock`: the mock appliance as a standalone server, for contract tests in any
//! language. It prints its base URL as the first line on stdout and serves until Ctrl-C or
//! SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, ValueEnum};
use vbazure_mock::{FinalStatus, MockAppliance, MockConfig, Progress, DEFAULT_USERNAME};

/// A mock Veeam Backup for Microsoft Azure appliance (REST API v1), driven by openapi.yaml.
///
/// Log in with grant_type=Password, Username=administrator and the password from
/// VBAZURE_MOCK_PASSWORD (default: vbazure-mock).
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
    /// Sessions finish after this many reads of the session...
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
    /// Only these VM ids exist (repeatable); deleteBackups answers 404 for others.
    #[arg(long = "vm")]
    vms: Vec<String>,
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
        known_vms: (!args.vms.is_empty()).then(|| args.vms.into_iter().collect()),
    };
    let builder = MockAppliance::builder().address(args.listen).config(config);
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
    eprintln!(
        "vbazure-mock: serving openapi.yaml at {} (Ctrl-C to stop)",
        mock.url()
    );
    wait_for_signal().await;
    let violations = mock.violations();
    mock.shutdown().await;
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
