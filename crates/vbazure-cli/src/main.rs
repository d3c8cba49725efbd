//! `vbazure`: delete the backups of Azure VMs on a Veeam Backup for Microsoft Azure appliance
//! and follow the job sessions. See `vbazure --help`.

mod args;
mod connect;
mod delete;
mod duration;
mod exit;
mod ids;
mod output;
mod progress;
mod sessions;

use std::process::ExitCode;

use clap::Parser;
use vbazure::ErrorKind;

use crate::args::{Cli, Command};
use crate::exit::Exit;
use crate::output::Printer;

/// A failure that ends the command: its exit code and the one line to print.
#[derive(Debug)]
pub struct Failure {
    /// How the process exits.
    pub exit: Exit,
    /// The line on stderr.
    pub message: String,
}

impl Failure {
    /// A failure with this exit code and line.
    pub fn new(exit: Exit, message: String) -> Self {
        Self { exit, message }
    }
}

/// `context: error — what to try`.
pub fn error_line(context: &str, error: &vbazure::Error) -> String {
    let hint = match error.kind() {
        ErrorKind::Unauthorized(_) => {
            " (the token was rejected: check VBAZURE_TOKEN or the credentials)"
        }
        ErrorKind::Forbidden(_) => {
            " (the account may not do this: check its role on the appliance)"
        }
        ErrorKind::Tls {
            invalid_certificate: true,
            ..
        } => " (the appliance's certificate is not trusted: pass its CA with --ca-cert)",
        ErrorKind::Connect { .. } | ErrorKind::Tls { .. } => {
            " (check --url / VBAZURE_URL and that the appliance is reachable)"
        }
        ErrorKind::Timeout { .. } => " (the appliance is slow to answer: try again later)",
        ErrorKind::Throttled { .. } => {
            " (the appliance is busy: lower --concurrency or try again later)"
        }
        _ => "",
    };
    format!("{context}: {error}{hint}")
}

fn main() -> ExitCode {
    // Whatever happens, a person sees one line, not a backtrace.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in vbazure (please report it): {info}");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                Exit::Ok.code()
            });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(Exit::Api.code());
        }
    };
    let exit = runtime.block_on(run(cli));
    ExitCode::from(exit.code())
}

async fn run(cli: Cli) -> Exit {
    let printer = Printer {
        mode: cli.global.output,
    };
    let result = async {
        let connection = connect::connect(&cli.global).await?;
        match &cli.command {
            Command::DeleteBackups(args) => delete::run(&connection.appliance, args, printer).await,
            Command::Sessions(command) => {
                sessions::run(&connection.appliance, command, printer).await
            }
        }
    }
    .await;
    match result {
        Ok(exit) => exit,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.exit
        }
    }
}
