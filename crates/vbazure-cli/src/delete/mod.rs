//! `vbazure delete-backups` and `vbazure delete-snapshots`: many protected items (VMs, SQL
//! databases, Cosmos DB accounts, file shares: one [`Target`] says which kind, and what goes),
//! a few removal requests at a time; every session that starts is handed at once to one
//! follower, whose poller bounds the appliance's request rate.
//!
//! Deleting and following are apart: `--concurrency` bounds the deletion requests in flight,
//! not the sessions being followed, so N VMs whose sessions take D each need about
//! D + N / c × (one request), not N / c × D.
//!
//! The command is a pipeline of stages, each in a file of its own, the same for every kind
//! (`target` holds what differs): the items resolved
//! (`resolve`), the journal of earlier runs read and the requests planned (`plan`), the
//! deletions a cut-off run may have sent looked for (`recover`, with `lookup`), and the
//! [`Run`](run::Run) that sends the rest (`send`) and follows what they start, counting
//! (`tally`) as it goes. `dry_run` stops after the plan; `confirm` asks between plan and run;
//! `interrupt` handles Ctrl-C.

use vbazure::{ApiVersion, Appliance};

use crate::args::{Command, DeleteOptions};
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::output::Printer;
use crate::{ids, needs_v8_1, Failure};

mod confirm;
mod dry_run;
pub(crate) mod follow;
// Ctrl-C and the lookups after a kill serve `restore-points delete` too.
pub(crate) mod interrupt;
pub(crate) mod lookup;
mod plan;
mod recover;
mod resolve;
mod run;
mod send;
mod tally;
mod target;

use confirm::{confirm, refuse_without_terminal};
use follow::Start;
use plan::{plan, units, Plan, Unit};
use run::Run;
pub(crate) use target::{asked, Asked, Target};

/// The items as given (ids, or names with `--by-name`), each once, after the checks that need
/// no appliance: what the command removes (a removal the appliance does not offer is a usage
/// error), and, deleting being for good, a terminal to ask on or `--yes`. Nothing is sent.
pub(crate) fn prepare(command: &Command, mock: bool) -> Result<Vec<String>, Failure> {
    let Asked { options, target } = asked(command)?;
    let noun = target.noun();
    let what = if options.by_name {
        format!("{noun} names")
    } else {
        format!("{noun} ids")
    };
    let (items, duplicates) = ids::collect(&options.items, options.from_file.as_deref(), &what)?;
    if duplicates > 0 {
        let shown = if options.by_name {
            format!("{noun} name(s)")
        } else {
            format!("{noun} id(s)")
        };
        eprintln!("vbazure: {duplicates} duplicate {shown} skipped: each {noun} is deleted once");
    }
    refuse_without_terminal(options, target, mock)?;
    Ok(items)
}

/// Whether the items `command` names are VM ids (the built-in mock then holds a VM for each).
pub(crate) fn names_vm_ids(command: &Command) -> bool {
    asked(command)
        .is_ok_and(|asked| asked.target.workload == vbazure::Workload::Vm && !asked.options.by_name)
}

/// That the command can write the chosen `--output` and `--columns`: a dry run's items are
/// rows (a VM's as `vms list` shows them, other kinds' as protected items), the steps of a
/// run are not.
pub(crate) fn check_output(command: &Command, printer: &Printer) -> Result<(), Failure> {
    let Asked { options, target } = asked(command)?;
    if options.dry_run && !printer.csv() {
        return dry_run::check_columns(target, printer);
    }
    let name = target.command();
    if printer.csv() {
        return Err(Failure::new(
            Exit::Usage,
            format!("--output csv: {name} has no rows to write; use table, json or yaml"),
        ));
    }
    if printer.has_columns() {
        return Err(Failure::new(
            Exit::Usage,
            format!("--columns: {name} prints no table"),
        ));
    }
    Ok(())
}

/// The flags the appliance's version must have; on v1, a usage error before anything is sent.
pub(crate) fn check(command: &Command, version: ApiVersion) -> Result<(), Failure> {
    if version == ApiVersion::V8_1 {
        return Ok(());
    }
    let Asked { options, target } = asked(command)?;
    let mut v8_1_flags = Vec::new();
    v8_1_flags.extend(target.v8_1_flag());
    if options.by_name {
        v8_1_flags.push("--by-name");
    }
    if options.batch {
        v8_1_flags.push("--batch");
    }
    if target.tier.is_some() {
        v8_1_flags.push("--backup-tier");
    }
    if v8_1_flags.is_empty() {
        Ok(())
    } else {
        Err(needs_v8_1(&v8_1_flags, version))
    }
}

/// What a removal needs besides its arguments.
pub(crate) struct Context {
    pub printer: Printer,
    pub verbose: bool,
    pub version: ApiVersion,
    /// `--mock`: a made-up appliance, so no confirmation is asked.
    pub mock: bool,
    /// `--request-timeout`: how long a removal request may go unanswered (journaled).
    pub request_timeout: std::time::Duration,
}

/// `delete-backups` and `delete-snapshots`: the stages in order (see the module's
/// documentation).
pub(crate) async fn run(
    appliance: &Appliance,
    command: &Command,
    items: Vec<String>,
    cx: Context,
) -> Result<Exit, Failure> {
    let Asked { options, target } = asked(command)?;
    let total = items.len();
    // Every name is resolved before the first removal: one that does not resolve stops here.
    let targets: Vec<(String, String)> = if options.by_name {
        resolve::resolve(appliance, target, items).await?
    } else {
        items.into_iter().map(|id| (id.clone(), id)).collect()
    };
    let earlier = read_journal(options, target)?;
    if options.dry_run {
        return dry_run::dry_run(appliance, target, &targets, &earlier, &cx).await;
    }

    // What earlier runs (the journal) did: items accepted are followed, not sent again.
    let Plan {
        mut tally,
        mut to_send,
        resumed,
        uncertain,
        settled_by,
    } = plan(target, targets, &earlier, &cx.printer);
    let asking = to_send.len() + uncertain.iter().map(|(m, _)| m.len()).sum::<usize>();
    if asking > 0 && !options.yes && !cx.mock {
        let labels: Vec<&str> = to_send
            .iter()
            .chain(uncertain.iter().flat_map(|(m, _)| m.iter()))
            .map(|(label, _)| label.as_str())
            .collect();
        confirm(&labels, target)?;
    }
    let journal = match &options.journal {
        Some(path) => Some(Journal::open(path, &earlier)?),
        None => None,
    };

    // A removal an earlier run was sending when it was cut off may have reached the
    // appliance: it is looked for there before anything is sent again, once its answer would
    // have come (a request killed with its run can still be on its way, or being carried out).
    if let Some(settled_by) = settled_by {
        lookup::settle(&settled_by).await?;
    }
    let found = recover::recover(
        appliance,
        &cx,
        target,
        uncertain,
        &earlier,
        journal.as_ref(),
        &mut tally,
        &mut to_send,
    )
    .await?;

    let batch = options.batch || target.batch_only();
    let units = units(target, to_send, batch);
    record_planned(journal.as_ref(), options, target, &units)?;
    let mut starting: Vec<(Unit, Start)> = found
        .into_iter()
        .map(|(unit, session)| (unit, Start::Session(session)))
        .collect();
    starting.extend(
        resumed
            .into_iter()
            .map(|(unit, session)| (unit, Start::Id(session))),
    );
    let run = Run::new(
        appliance,
        options,
        target,
        &cx,
        journal.as_ref(),
        tally,
        total,
    );
    Ok(run.execute(units, starting).await)
}

/// The journal of earlier runs (empty without `--journal`), checked against this run's kind,
/// removal and `--backup-tier`; a line cut off while being written is left out, and said so.
fn read_journal(options: &DeleteOptions, target: Target) -> Result<journal::Read, Failure> {
    let Some(path) = &options.journal else {
        return Ok(journal::Read::default());
    };
    let read = journal::read(path)?;
    if let Some(line) = read.truncated_line {
        eprintln!(
            "vbazure: journal {}: line {line} is incomplete (a run was cut off while \
             writing it) and is left out: its step had not been taken",
            path.display()
        );
    }
    target.check_journal(path, &read)?;
    Ok(read)
}

/// The journal's `planned` line: every item this run will send, before the first is sent,
/// with what it removes.
fn record_planned(
    journal: Option<&Journal>,
    options: &DeleteOptions,
    target: Target,
    units: &[Unit],
) -> Result<(), Failure> {
    let Some(journal) = journal else {
        return Ok(());
    };
    if units.is_empty() {
        return Ok(());
    }
    let mut vms = Vec::new();
    let mut names = Vec::new();
    for unit in units {
        vms.extend(unit.ids.iter().cloned());
        if options.by_name && !unit.batch {
            names.push(unit.label.clone());
        }
    }
    journal.record(&Event::Planned {
        at: journal::now(),
        vms,
        names,
        backup_tier: target.tier_recorded(),
        kind: Some(target.workload.to_string()),
        removal: Some(target.removal.to_string()),
    })
}
