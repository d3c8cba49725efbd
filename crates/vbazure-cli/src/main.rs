//! `vbazure`: delete the backups of Azure VMs on a Veeam Backup for Microsoft Azure appliance
//! and follow the job sessions. See `vbazure --help`.

mod args;
mod conformance;
mod connect;
mod delete;
mod docs;
mod exit;
mod filters;
mod ids;
mod journal;
mod logout;
mod output;
mod places;
mod profile;
mod progress;
mod restore_points;
mod sessions;
mod settings;
mod token_cache;
mod verbose;
mod vms;

use std::process::ExitCode;

use std::sync::atomic::Ordering;

use clap::{CommandFactory, FromArgMatches};
use vbazure::{ApiVersion, ErrorKind};

use crate::args::{Cli, Command, Sessions};
use crate::connect::Connection;
use crate::exit::Exit;
use crate::output::Printer;
use crate::settings::Settings;

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

    /// The failure of an API call: its exit code and line.
    pub fn api(context: &str, error: &vbazure::Error) -> Self {
        Self::new(Exit::of_error(error), error_line(context, error))
    }
}

/// The failure of flags (or a command) the appliance's API version lacks; nothing was sent.
pub fn needs_v8_1(what: &[&str], version: ApiVersion) -> Failure {
    let (list, verb) = match what {
        [one] => (one.to_string(), "needs"),
        [rest @ .., last] => (format!("{} and {last}", rest.join(", ")), "need"),
        [] => ("this".to_string(), "needs"),
    };
    Failure::new(
        Exit::Usage,
        format!(
            "{list} {verb} API v8.1, and this appliance speaks API v{version}; nothing was sent \
             (check --api-version / VBAZURE_API_VERSION)"
        ),
    )
}

/// `context: error — what to try`.
pub fn error_line(context: &str, error: &vbazure::Error) -> String {
    let hint = match error.kind() {
        // The same operationId in both versions.
        ErrorKind::Unauthorized(_)
            if error.operation() == vbazure::operations::v8_1::CREATE_TOKEN =>
        {
            " (the appliance refused the login: check the user name and password, and the \
             multi-factor code if the account has one)"
        }
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
            " (the appliance is busy: lower --concurrency or --max-requests-per-second, or try \
             again later)"
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
    // The matches are kept: `profile add` saves only what was on the command line.
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                Exit::Usage.code()
            } else {
                Exit::Ok.code()
            });
        }
    };
    // What is made from the command's own definitions, or reads only local files, needs no
    // appliance and no runtime.
    if let Some(exit) = local_command(&cli, &matches) {
        return ExitCode::from(exit.code());
    }
    let settings = match Settings::resolve(&cli.global) {
        Ok(settings) => settings,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            return ExitCode::from(failure.exit.code());
        }
    };
    crate::verbose::init(settings.verbose);
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
    let exit = runtime.block_on(run(cli, settings));
    ExitCode::from(exit.code())
}

/// Runs `completions` and `man-pages`, which read nothing but the clap definitions, and
/// `profile`, which reads only the profiles file; `None` for the commands that talk to an
/// appliance.
fn local_command(cli: &Cli, matches: &clap::ArgMatches) -> Option<Exit> {
    match &cli.command {
        Command::Profile(command) => {
            // A profile's own defaults do not apply to the commands that manage profiles.
            let printer = Printer::new(
                settings::output(&cli.global, None),
                cli.global.columns.clone(),
            );
            Some(
                match profile::run(command, &cli.global, matches, &printer) {
                    Ok(exit) => exit,
                    Err(failure) => {
                        eprintln!("error: {}", failure.message);
                        failure.exit
                    }
                },
            )
        }
        Command::Completions(args) => {
            docs::completions(args.shell, &mut std::io::stdout().lock());
            Some(Exit::Ok)
        }
        Command::ManPages(args) => Some(match docs::man_pages(&args.dir) {
            Ok(written) => {
                println!("{written} man page(s) written to {}", args.dir.display());
                Exit::Ok
            }
            Err(failure) => {
                eprintln!("error: {}", failure.message);
                failure.exit
            }
        }),
        _ => None,
    }
}

/// That the command can write the chosen `--output` and `--columns`: CSV and columns are for
/// what has rows (lists, sessions, a dry run's VMs), not for a stream of steps or a report.
fn check_output(command: &Command, printer: &Printer) -> Result<(), Failure> {
    let without_rows = match command {
        Command::Sessions(Sessions::Log { .. }) => {
            return printer.check_columns::<vbazure::LogEntry>()
        }
        Command::Sessions(Sessions::Stop { .. }) => "sessions stop",
        Command::Sessions(_) => return printer.check_columns::<vbazure::Session>(),
        Command::Vms(_) => return printer.check_columns::<vbazure::ProtectedVm>(),
        Command::DeleteBackups(_) | Command::DeleteSnapshots(_) => {
            return delete::check_output(command, printer)
        }
        Command::RestorePoints(command) => return restore_points::check_output(command, printer),
        Command::Conformance(_) => "conformance",
        Command::Logout => "logout",
        // `profile list` checks its own columns.
        Command::Completions(_) | Command::ManPages(_) | Command::Profile(_) => return Ok(()),
    };
    if printer.csv() {
        return Err(Failure::new(
            Exit::Usage,
            format!("--output csv: {without_rows} has no rows to write; use table, json or yaml"),
        ));
    }
    if printer.has_columns() {
        return Err(Failure::new(
            Exit::Usage,
            format!("--columns: {without_rows} prints no table"),
        ));
    }
    Ok(())
}

/// What a command reads before anything is sent.
enum Prepared {
    /// The items of `delete-backups` or `delete-snapshots` (ids, or names with `--by-name`),
    /// each once.
    Delete(Vec<String>),
    Nothing,
}

async fn run(cli: Cli, settings: Settings) -> Exit {
    let printer = Printer::new(settings.output, settings.columns.clone());
    if let Command::Logout = cli.command {
        return match logout::run(&settings, &printer).await {
            Ok(exit) => exit,
            Err(failure) => {
                eprintln!("error: {}", failure.message);
                failure.exit
            }
        };
    }
    let mut logged_in = false;
    let mut connection = None;
    let result = async {
        // What needs no appliance is checked first: a usage error sends nothing.
        check_output(&cli.command, &printer)?;
        let prepared = match &cli.command {
            // Deleting cannot be undone: with no terminal to ask on, `--yes` is needed.
            Command::DeleteBackups(_) | Command::DeleteSnapshots(_) => {
                Prepared::Delete(delete::prepare(&cli.command, settings.mock)?)
            }
            // The lines of `restore-points delete --from-file`.
            Command::RestorePoints(command) => {
                Prepared::Delete(restore_points::prepare(command, settings.mock)?)
            }
            _ => Prepared::Nothing,
        };
        // The built-in mock holds a protected VM for each id given.
        let vm_ids: &[String] = match (&cli.command, &prepared) {
            (Command::DeleteBackups(_) | Command::DeleteSnapshots(_), Prepared::Delete(vms))
                if delete::names_vm_ids(&cli.command) =>
            {
                vms
            }
            _ => &[],
        };
        // `conformance` checks every answer; the other commands do not pay for it.
        let checking =
            matches!(cli.command, Command::Conformance(_)).then(vbazure::Conformance::new);
        let connection = connection.insert(connect::connect(&settings, vm_ids, checking).await?);
        run_command(
            connection,
            &cli,
            &settings,
            prepared,
            &printer,
            &mut logged_in,
        )
        .await
    }
    .await;
    let mut exit = match result {
        Ok(exit) => exit,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            failure.exit
        }
    };
    // A login that failed for want of a password or code is a usage error wherever it
    // happened (the first request, or a renewal in the middle of a run).
    if exit == Exit::Api
        && connection
            .as_ref()
            .is_some_and(|c| c.secret_missing.load(Ordering::Relaxed))
    {
        exit = Exit::Usage;
    }
    // A run that keeps its tokens leaves them valid for the next one; else a run that
    // logged in logs out.
    match &connection {
        Some(Connection {
            keep: Some(keep),
            appliance,
            ..
        }) => keep.save(appliance),
        Some(connection) if logged_in => log_out(&connection.appliance).await,
        _ => {}
    }
    exit
}

/// The version, the checks that need it, the login, then the command.
async fn run_command(
    connection: &Connection,
    cli: &Cli,
    settings: &Settings,
    prepared: Prepared,
    printer: &Printer,
    logged_in: &mut bool,
) -> Result<Exit, Failure> {
    let appliance = &connection.appliance;
    // Detection may log in (to confirm what an anonymous 401/403 suggests): a refused login
    // there is a login error like any other.
    let version = appliance.api_version().await.map_err(|e| {
        if e.operation() == vbazure::operations::v8_1::CREATE_TOKEN {
            Failure::api("login", &e)
        } else {
            Failure::api("the appliance", &e)
        }
    })?;
    tracing::info!(version = version.as_str(), "speaking API v{version}");
    match &cli.command {
        Command::DeleteBackups(_) | Command::DeleteSnapshots(_) => {
            delete::check(&cli.command, version)?
        }
        Command::Sessions(command) => sessions::check(command, version)?,
        Command::Vms(_) => vms::check(version)?,
        Command::RestorePoints(command) => restore_points::check(command, version)?,
        Command::Conformance(_)
        | Command::Completions(_)
        | Command::ManPages(_)
        | Command::Profile(_)
        | Command::Logout => {}
    }
    // `conformance` logs in itself: a token answer that departs from the document is one of
    // its findings, not the end of the run.
    let checking = matches!(cli.command, Command::Conformance(_));
    if connection.password_login && checking {
        *logged_in = version == ApiVersion::V8_1;
    } else if connection.password_login {
        appliance
            .login()
            .await
            .map_err(|e| Failure::api("login", &e))?;
        // v1 has no logout: its tokens simply expire.
        *logged_in = version == ApiVersion::V8_1;
    }
    let verbose = settings.verbose > 0;
    match (&cli.command, prepared) {
        (Command::DeleteBackups(_) | Command::DeleteSnapshots(_), Prepared::Delete(items)) => {
            let cx = delete::Context {
                printer: printer.clone(),
                verbose,
                version,
                mock: settings.mock,
                request_timeout: settings.request_timeout,
            };
            delete::run(appliance, &cli.command, items, cx).await
        }
        (Command::DeleteBackups(_) | Command::DeleteSnapshots(_), Prepared::Nothing) => {
            Err(Failure::new(
                Exit::Api,
                "internal error: the items were not read".to_string(),
            ))
        }
        (Command::RestorePoints(command), prepared) => {
            let lines = match prepared {
                Prepared::Delete(lines) => lines,
                Prepared::Nothing => Vec::new(),
            };
            let cx = restore_points::Context {
                printer: printer.clone(),
                verbose,
                mock: settings.mock,
                request_timeout: settings.request_timeout,
            };
            restore_points::run(appliance, command, lines, cx).await
        }
        (Command::Sessions(command), _) => {
            sessions::run(appliance, command, printer, verbose).await
        }
        (Command::Vms(command), _) => vms::run(appliance, command, printer).await,
        (Command::Conformance(args), _) => {
            let Some(checking) = &connection.conformance else {
                return Err(Failure::new(
                    Exit::Api,
                    "internal error: conformance is not on".to_string(),
                ));
            };
            let reach = conformance::Reach {
                pages: args.pages,
                sessions: args.sessions,
            };
            conformance::run(appliance, checking, reach, printer).await
        }
        (
            Command::Completions(_) | Command::ManPages(_) | Command::Profile(_) | Command::Logout,
            _,
        ) => Err(Failure::new(
            Exit::Api,
            "internal error: a local command reached the appliance".to_string(),
        )),
    }
}

/// Revokes the token the run obtained; a failure is a warning and changes no exit code.
async fn log_out(appliance: &vbazure::Appliance) {
    match appliance.logout().await {
        Ok(()) => tracing::debug!("logged out"),
        Err(e) => eprintln!("vbazure: warning: {}", error_line("logout", &e)),
    }
}
