//! `vbazure-spec`: the spec tools of the regenerate-on-spec-change workflow.
//!
//! - `check FILE`: what would stop the client generator, with file:line:column.
//! - `lint FILE`: `check` plus the house rules (examples, summaries, unused components...).
//! - `diff OLD NEW`: what changed, each change breaking or compatible for code using the
//!   generated client, with its direction (request, response, both) and what it breaks (the
//!   wire, Rust code).
//! - `conform OURS THEIRS`: whether a consumer's hand-written document agrees with the
//!   provider's full one, each finding breaking, drift or a note.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use serde_json::json;
use vbazure_spec::{Change, ConformFinding, ConformKind, Document, Finding, Report, Severity};

/// Check, lint and compare versions of vbazure's openapi.yaml.
#[derive(Debug, Parser)]
#[command(
    name = "vbazure-spec",
    version,
    after_help = "Exit codes: 0 fine; 1 findings (check, lint), breaking changes with diff --fail-on-breaking, or conform findings at or above --fail-on; 2 usage or unreadable file."
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
    ///
    /// Each change names its direction (request: what the client sends; response: what it
    /// reads; both) and what it breaks: the wire (a client of OLD talking to a server of NEW
    /// is refused or cannot decode) and/or Rust code using the generated types.
    Diff {
        /// The version the client was generated from
        old: PathBuf,
        /// The version to compare it with
        new: PathBuf,
        /// text for people, json for tools
        #[arg(long, value_enum, default_value_t = Output::Text)]
        output: Output,
        /// Exit with 1 when any change is breaking (breaks the wire or Rust code)
        #[arg(long)]
        fail_on_breaking: bool,
    },
    /// Whether OURS (a consumer's subset) agrees with THEIRS (the provider's full document)
    ///
    /// Findings are breaking (the generated client fails or is refused), drift (the documents
    /// disagree in a way the client probably survives) or notes.
    Conform {
        /// The consumer's document: the hand-written subset the client is generated from
        ours: PathBuf,
        /// The provider's full document (the appliance's Swagger UI serves it)
        theirs: PathBuf,
        /// text for people, json for tools
        #[arg(long, value_enum, default_value_t = Output::Text)]
        output: Output,
        /// Exit with 1 when a finding is at least this bad (never: always 0)
        #[arg(long, value_enum, default_value_t = FailOn::Breaking)]
        fail_on: FailOn,
    },
}

/// The least bad finding `conform` fails on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Breaking,
    Drift,
    Never,
}

impl FailOn {
    fn fails(self, kind: ConformKind) -> bool {
        match self {
            Self::Breaking => kind == ConformKind::Breaking,
            Self::Drift => kind <= ConformKind::Drift,
            Self::Never => false,
        }
    }
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
            match output {
                Output::Json => diff_json(&old, &new, &changes, breaking),
                Output::Text => diff_text(&old, &new, &changes, breaking),
            }
            Ok(u8::from(fail_on_breaking && breaking > 0))
        }
        Command::Conform {
            ours,
            theirs,
            output,
            fail_on,
        } => {
            let (ours, theirs) = (load(&ours)?, load(&theirs)?);
            let findings = vbazure_spec::conform(&ours, &theirs);
            match output {
                Output::Json => conform_json(&ours, &theirs, &findings),
                Output::Text => conform_text(&ours, &theirs, &findings),
            }
            Ok(u8::from(findings.iter().any(|f| fail_on.fails(f.kind))))
        }
    }
}

/// `operation: ` in front of a line's message, or nothing when it concerns no operation.
fn operation_prefix(report: &impl Report) -> String {
    report
        .parts()
        .operation
        .map(|o| format!("{o}: "))
        .unwrap_or_default()
}

/// Each of `reports` as the JSON object of its kind.
fn json_list(reports: &[impl Report]) -> Vec<serde_json::Value> {
    reports.iter().map(Report::to_json).collect()
}

fn diff_json(old: &Document, new: &Document, changes: &[Change], breaking: usize) {
    let report = json!({
        "old": old.source_name(),
        "new": new.source_name(),
        "breaking": breaking,
        "compatible": changes.len() - breaking,
        "changes": json_list(changes),
    });
    println!("{report:#}");
}

fn diff_text(old: &Document, new: &Document, changes: &[Change], breaking: usize) {
    for change in changes {
        let label = match change.severity {
            Severity::Breaking => "BREAKING  ",
            Severity::Compatible => "compatible",
        };
        let operation = operation_prefix(change);
        println!(
            "{label}  {:<9}  {:<8}  {operation}{}  [{} at {}]",
            change.breaks.as_str(),
            change.direction.as_str(),
            change.message,
            change.kind,
            change.pointer
        );
    }
    println!(
        "{breaking} breaking, {} compatible change(s) from {} to {}",
        changes.len() - breaking,
        old.source_name(),
        new.source_name()
    );
}

fn count(findings: &[ConformFinding], kind: ConformKind) -> usize {
    findings.iter().filter(|f| f.kind == kind).count()
}

fn conform_json(ours: &Document, theirs: &Document, findings: &[ConformFinding]) {
    let report = json!({
        "ours": ours.source_name(),
        "theirs": theirs.source_name(),
        "breaking": count(findings, ConformKind::Breaking),
        "drift": count(findings, ConformKind::Drift),
        "note": count(findings, ConformKind::Note),
        "findings": json_list(findings),
    });
    println!("{report:#}");
}

fn conform_text(ours: &Document, theirs: &Document, findings: &[ConformFinding]) {
    for finding in findings {
        let label = match finding.kind {
            ConformKind::Breaking => "BREAKING",
            ConformKind::Drift => "drift   ",
            ConformKind::Note => "note    ",
        };
        let operation = operation_prefix(finding);
        println!(
            "{label}  {operation}{}  [{}]\n          ours:   {}\n          theirs: {}",
            finding.message, finding.rule, finding.ours, finding.theirs
        );
    }
    println!(
        "{} breaking, {} drift, {} note(s): {} against {}",
        count(findings, ConformKind::Breaking),
        count(findings, ConformKind::Drift),
        count(findings, ConformKind::Note),
        ours.source_name(),
        theirs.source_name()
    );
}
