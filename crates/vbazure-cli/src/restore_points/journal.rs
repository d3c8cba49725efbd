//! The journal of `restore-points delete`: delete-backups' journal (see `crate::journal`),
//! whose `vms` hold restore point ids, and whose `planned` line records `kind` (the `--kind`)
//! and `removal: "restore-points"`. A journal of another command or kind is refused before
//! anything is sent; delete-backups refuses this one in turn (another removal).

use std::path::Path;

use vbazure::Workload;

use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::Failure;

/// The removal the `planned` line records.
pub(crate) const REMOVAL: &str = "restore-points";

/// The journal at `path` (none: empty), refused when another command or kind wrote it.
pub(crate) fn read(path: Option<&Path>, workload: Workload) -> Result<journal::Read, Failure> {
    let Some(path) = path else {
        return Ok(journal::Read::default());
    };
    let read = journal::read(path)?;
    if let Some(line) = read.truncated_line {
        eprintln!(
            "vbazure: journal {}: line {line} is incomplete (a run was cut off while writing \
             it) and is left out: its step had not been taken",
            path.display()
        );
    }
    let refuse = |what: String| {
        Failure::new(
            Exit::Usage,
            format!(
                "journal {}: {what}, and this run deletes {workload} restore points; nothing \
                 was sent. Use another journal (or resume with the command that wrote it)",
                path.display()
            ),
        )
    };
    match &read.target {
        Some((kind, removal, _)) if removal == REMOVAL && kind == workload.as_str() => Ok(read),
        Some((kind, removal, line)) if removal == REMOVAL => Err(refuse(format!(
            "line {line}: written by `restore-points delete --kind {kind}`"
        ))),
        Some((kind, removal, line)) => Err(refuse(format!(
            "line {line}: written by a run removing the {removal} of {kind} items \
             (delete-backups or delete-snapshots)"
        ))),
        None if read.states.is_empty() => Ok(read),
        None => Err(refuse(
            "it records deletions but no `planned` line saying what they were of".to_string(),
        )),
    }
}

/// Opens the journal for appending, after what `read` read of it.
pub(crate) fn open(path: Option<&Path>, read: &journal::Read) -> Result<Option<Journal>, Failure> {
    path.map(|path| Journal::open(path, read)).transpose()
}

/// The `planned` line: every point this run will send, before the first is sent.
pub(crate) fn record_planned(
    journal: Option<&Journal>,
    workload: Workload,
    ids: Vec<String>,
) -> Result<(), Failure> {
    match journal {
        Some(journal) if !ids.is_empty() => journal.record(&Event::Planned {
            at: journal::now(),
            vms: ids,
            names: Vec::new(),
            backup_tier: None,
            kind: Some(workload.to_string()),
            removal: Some(REMOVAL.to_string()),
        }),
        _ => Ok(()),
    }
}
