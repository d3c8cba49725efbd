//! Writing results: JSON lines or YAML documents for tools, CSV for spreadsheets, lines and
//! tables for people.
//!
//! Each command says what it has in every form at once (an object, a line for people, rows),
//! and the printer writes the one the chosen `--output` wants: stdout then holds only that
//! form, and messages for people go to stderr.

mod columns;
mod table;

use std::io::Write;
use std::sync::Arc;

use serde::Serialize;

use crate::args::Output;
use crate::exit::Exit;
use crate::Failure;

pub(crate) use columns::{duration, region, shown, size, Column, Record};
pub(crate) use table::printable;

/// Where results go: stdout, in the chosen form.
#[derive(Clone, Debug)]
pub(crate) struct Printer {
    mode: Output,
    /// `--columns`, for tables and CSV.
    columns: Option<Arc<[String]>>,
    /// The width tables fit (a terminal's), or `None` for whole cells.
    width: Option<usize>,
}

impl Printer {
    /// A printer in `mode`, showing `columns` (or each kind's defaults) in tables and CSV.
    pub(crate) fn new(mode: Output, columns: Option<Vec<String>>) -> Self {
        Self {
            mode,
            columns: columns.map(Arc::from),
            width: table::terminal_width(),
        }
    }

    /// Whether stdout holds objects (JSON lines or YAML documents) rather than text.
    pub(crate) fn structured(&self) -> bool {
        matches!(self.mode, Output::Json | Output::Yaml)
    }

    /// Whether stdout is for people: then progress and summaries go there too.
    pub(crate) fn for_people(&self) -> bool {
        self.mode == Output::Table
    }

    /// Whether the form is CSV.
    pub(crate) fn csv(&self) -> bool {
        self.mode == Output::Csv
    }

    /// Whether `--columns` was given.
    pub(crate) fn has_columns(&self) -> bool {
        self.columns.is_some()
    }

    /// That `--columns` names columns of `R` (before anything is sent).
    pub(crate) fn check_columns<R: Record>(&self) -> Result<(), Failure> {
        columns::chosen::<R>(self.columns.as_deref())
            .map(drop)
            .map_err(|message| Failure::new(Exit::Usage, message))
    }

    /// One API object: a JSON line, or a YAML document (other forms: nothing).
    pub(crate) fn object(&self, value: &impl Serialize) {
        let encoded = match self.mode {
            Output::Json => serde_json::to_string(value).map_err(|e| e.to_string()),
            Output::Yaml => serde_norway::to_string(value)
                .map(|doc| format!("---\n{}", doc.trim_end()))
                .map_err(|e| e.to_string()),
            Output::Table | Output::Csv => return,
        };
        match encoded {
            Ok(text) => write_line(&text),
            // Models always encode; if one ever did not, stdout must still hold only objects.
            Err(e) => eprintln!("error: cannot encode an API object: {e}"),
        }
    }

    /// Each of `values` as an object.
    pub(crate) fn objects<T: Serialize>(&self, values: &[T]) {
        values.iter().for_each(|value| self.object(value));
    }

    /// A line for people (table form only).
    pub(crate) fn text(&self, line: &str) {
        if self.for_people() {
            write_line(line);
        }
    }

    /// A summary: on stdout for people, else on stderr (stdout holds only results).
    pub(crate) fn summary(&self, line: &str) {
        if self.for_people() {
            write_line(line);
        } else {
            eprintln!("{line}");
        }
    }

    /// `rows` as a table, or as CSV with a header line (other forms: nothing).
    pub(crate) fn rows<R: Record>(&self, rows: &[R]) -> Result<(), Failure> {
        if self.structured() {
            return Ok(());
        }
        let columns = columns::chosen::<R>(self.columns.as_deref())
            .map_err(|message| Failure::new(Exit::Usage, message))?;
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|row| columns.iter().map(|c| (c.cell)(row)).collect())
            .collect();
        if self.mode == Output::Csv {
            let names: Vec<&str> = columns.iter().map(|c| c.name).collect();
            return write_csv(&names, &cells);
        }
        let headers: Vec<&str> = columns.iter().map(|c| c.header).collect();
        for line in table::render(&headers, &cells, self.width) {
            write_line(&line);
        }
        Ok(())
    }

    /// One result: its object, or a CSV row; for people `line`, or a one-row table when
    /// `--columns` chose what to show.
    pub(crate) fn one<R: Record + Serialize>(&self, row: &R, line: &str) -> Result<(), Failure> {
        match self.mode {
            Output::Table if self.columns.is_none() => {
                write_line(line);
                Ok(())
            }
            Output::Table | Output::Csv => self.rows(std::slice::from_ref(row)),
            Output::Json | Output::Yaml => {
                self.object(row);
                Ok(())
            }
        }
    }
}

fn write_csv(header: &[&str], rows: &[Vec<String>]) -> Result<(), Failure> {
    let mut out = csv::Writer::from_writer(std::io::stdout().lock());
    let written = std::iter::once(header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned())
        .try_for_each(|record| out.write_record(&record))
        .and_then(|()| out.flush().map_err(csv::Error::from));
    match written {
        Ok(()) => Ok(()),
        // A closed pipe (`| head`) ends the output, as it does for lines.
        Err(e) if matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe) => {
            Ok(())
        }
        Err(e) => Err(Failure::new(
            Exit::Api,
            format!("cannot write CSV to stdout: {e}"),
        )),
    }
}

fn write_line(line: &str) {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth a panic.
    let _ = writeln!(out, "{line}");
}

/// `session 11  BackupDeletion  Success  started 2020-02-03T13:53:00.4098143Z  30.62s`
pub(crate) fn session_line(session: &vbazure::Session) -> String {
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
