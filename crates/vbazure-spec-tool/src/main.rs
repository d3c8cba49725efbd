//! `vbazure-spec`: the spec tools of the regenerate-on-spec-change workflow.
//!
//! - `check FILE`: what would stop the client generator, with file:line:column.
//! - `lint FILE`: `check` plus the house rules (examples, summaries, unused components...).
//! - `diff OLD NEW`: what changed, each change breaking or compatible for code using the
//!   generated client.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use vbazure_spec::{Document, Finding, Severity};

/// Check, lint and compare versions of vbazure's openapi.yaml.
#[derive(Debug, Parser)]
#[command(
    name = "vbazure-spec",
    version,
    after_help = "Exit codes: 0 fine; 1 findings, or breaking changes with --fail-on-breaking; 2 usage or unreadable file."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Problems that would stop the client generator
    Check { file: PathBuf },
    /// `check` plus the spec's house rules
    Lint { file: PathBuf },
    /// Changes from OLD to NEW, classed as breaking or compatible for code using the client
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// text for people, json for tools
        #[arg(long, value_enum, default_value_t = Output::Text)]
        output: Output,
        /// Exit with 1 when any change is breaking
        #[arg(long)]
        fail_on_breaking: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Output {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &Path) -> Result<Document, String> {
    Document::load(path).map_err(|e| e.to_string())
}

fn report(doc: &Document, findings: &[Finding]) -> u8 {
    for finding in findings {
        println!("{}", finding.render(doc.source_name()));
    }
    if findings.is_empty() {
        println!("{}: no problems", doc.source_name());
        0
    } else {
        eprintln!("{}: {} problem(s)", doc.source_name(), findings.len());
        1
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Check { file } => {
            let doc = load(&file)?;
            Ok(report(&doc, &vbazure_spec::check(&doc)))
        }
        Command::Lint { file } => {
            let doc = load(&file)?;
            Ok(report(&doc, &vbazure_spec::lint(&doc)))
        }
        Command::Diff {
            old,
            new,
            output,
            fail_on_breaking,
        } => {
            let (old, new) = (load(&old)?, load(&new)?);
            let changes = vbazure_spec::diff(&old, &new);
            let breaking = changes
                .iter()
                .filter(|c| c.severity == Severity::Breaking)
                .count();
            let compatible = changes.len() - breaking;
            match output {
                Output::Json => {
                    let report = json!({
                        "old": old.source_name(),
                        "new": new.source_name(),
                        "breaking": breaking,
                        "compatible": compatible,
                        "changes": changes.iter().map(vbazure_spec::Change::to_json).collect::<Vec<_>>(),
                    });
                    println!("{report:#}");
                }
                Output::Text => {
                    for change in &changes {
                        let label = match change.severity {
                            Severity::Breaking => "BREAKING  ",
                            Severity::Compatible => "compatible",
                        };
                        let operation = change
                            .operation
                            .as_deref()
                            .map(|o| format!("{o}: "))
                            .unwrap_or_default();
                        println!(
                            "{label}  {operation}{}  [{} at {}]",
                            change.message, change.kind, change.pointer
                        );
                    }
                    println!(
                        "{breaking} breaking, {compatible} compatible change(s) from {} to {}",
                        old.source_name(),
                        new.source_name()
                    );
                }
            }
            Ok(if fail_on_breaking && breaking > 0 {
                1
            } else {
                0
            })
        }
    }
}
