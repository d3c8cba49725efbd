//! Writing results: JSON lines for tools, lines and tables for people.

use std::io::Write;

use serde::Serialize;
use vbazure::{ProtectedVm, Session, SessionLog};

use crate::args::Output;

/// Where results go: stdout, in the chosen form.
#[derive(Clone, Copy)]
pub(crate) struct Printer {
    pub mode: Output,
}

impl Printer {
    pub(crate) fn json(self) -> bool {
        self.mode == Output::Json
    }

    /// One API object as one JSON line (JSON mode only).
    pub(crate) fn object(self, value: &impl Serialize) {
        if self.json() {
            match serde_json::to_string(value) {
                Ok(line) => write_line(&line),
                // Models always encode; if one ever did not, stdout must still hold only JSON.
                Err(e) => eprintln!("error: cannot encode an API object as JSON: {e}"),
            }
        }
    }

    /// A line for people (text mode only).
    pub(crate) fn text(self, line: &str) {
        if !self.json() {
            write_line(line);
        }
    }

    /// A summary: on stdout for people, on stderr in JSON mode (stdout holds only objects).
    pub(crate) fn summary(self, line: &str) {
        if self.json() {
            eprintln!("{line}");
        } else {
            write_line(line);
        }
    }
}

fn write_line(line: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(out, "{line}");
}

/// What the appliance left out or sent as `null`.
const ABSENT: &str = "-";

/// `session 11  BackupDeletion  Success  started 2020-02-03T13:53:00.4098143Z  30.62s`
pub(crate) fn session_line(session: &Session) -> String {
    let mut line = format!(
        "session {}  {}  {}  started {}  {}",
        session.id,
        shown(session.session_type.as_ref()),
        session.status,
        shown(session.execution_start_time.as_ref()),
        duration(session)
    );
    if let Some(stopped) = &session.execution_stop_time {
        line.push_str(&format!("  stopped {stopped}"));
    }
    line
}

fn shown(value: Option<&impl std::fmt::Display>) -> String {
    value.map_or_else(|| ABSENT.to_string(), ToString::to_string)
}

/// The duration for people (`2m 33.84s`), or `-` when the appliance sent none.
pub(crate) fn duration(session: &Session) -> String {
    session
        .execution_duration
        .map_or_else(|| ABSENT.to_string(), |d| format!("{d:#}"))
}

/// An aligned table of sessions.
pub(crate) fn session_table(sessions: &[Session]) -> Vec<String> {
    let rows: Vec<[String; 5]> = sessions
        .iter()
        .map(|s| {
            [
                s.id.clone(),
                shown(s.session_type.as_ref()),
                s.status.to_string(),
                shown(s.execution_start_time.as_ref()),
                duration(s),
            ]
        })
        .collect();
    table(["ID", "TYPE", "STATUS", "STARTED", "DURATION"], &rows)
}

/// An aligned table of protected VMs: id, name, region, last backup.
pub(crate) fn vm_table(vms: &[ProtectedVm]) -> Vec<String> {
    let rows: Vec<[String; 4]> = vms
        .iter()
        .map(|vm| {
            let region = vm.region_name.clone().or_else(|| {
                vm.region
                    .as_ref()
                    .and_then(|r| r.0.as_ref())
                    .and_then(|r| r.name.clone())
            });
            [
                shown(vm.id.as_ref()),
                shown(vm.name.as_ref()),
                shown(region.as_ref()),
                shown(vm.last_backup.as_ref()),
            ]
        })
        .collect();
    table(["ID", "NAME", "REGION", "LAST BACKUP"], &rows)
}

/// The log, one line per item.
pub(crate) fn log_lines(log: &SessionLog) -> Vec<String> {
    let rows: Vec<[String; 3]> = log
        .entries
        .iter()
        .map(|item| {
            [
                shown(item.log_time.as_ref()),
                item.status.to_string(),
                item.message.clone().unwrap_or_default(),
            ]
        })
        .collect();
    table(["TIME", "STATUS", "MESSAGE"], &rows)
}

fn table<const N: usize>(header: [&str; N], rows: &[[String; N]]) -> Vec<String> {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .enumerate()
            .map(|(i, (cell, width))| {
                if i + 1 == N {
                    cell.to_string()
                } else {
                    format!("{cell:width$}")
                }
            })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    std::iter::once(line(header.to_vec()))
        .chain(
            rows.iter()
                .map(|row| line(row.iter().map(String::as_str).collect())),
        )
        .collect()
}
