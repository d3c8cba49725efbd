//! `vbazure delete-backups`: many VMs, a few deletion requests at a time; every session that
//! starts is handed at once to one follower, whose poller bounds the appliance's request rate.
//!
//! Deleting and following are apart: `--concurrency` bounds the deletion requests in flight,
//! not the sessions being followed, so N VMs whose sessions take D each need about
//! D + N / c × (one request), not N / c × D.
//!
//! The command is a pipeline of stages, each in a file of its own: the VMs resolved
//! (`resolve`), the journal of earlier runs read and the requests planned (`plan`), the
//! deletions a cut-off run may have sent looked for (`recover`, with `lookup`), and the
//! [`Run`](run::Run) that sends the rest (`send`) and follows what they start, counting
//! (`tally`) as it goes. `dry_run` stops after the plan; `confirm` asks between plan and run;
//! `interrupt` handles Ctrl-C.

use vbazure::{ApiVersion, Appliance};

use crate::args::DeleteBackups;
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::output::Printer;
use crate::{ids, needs_v8_1, Failure};

mod confirm;
mod dry_run;
mod interrupt;
mod lookup;
mod plan;
mod recover;
mod resolve;
mod run;
mod send;
mod tally;

use confirm::confirm;
pub(crate) use confirm::refuse_without_terminal;
use plan::{plan, tier_recorded, units, Plan, Unit};
use run::{Run, Start};

/// The VMs as given (ids, or names with `--by-name`), each once. Nothing is sent.
pub(crate) fn prepare(args: &DeleteBackups) -> Result<Vec<String>, Failure> {
    let what = if args.by_name { "VM names" } else { "VM ids" };
    let (vms, duplicates) = ids::collect(&args.vms, args.from_file.as_deref(), what)?;
    if duplicates > 0 {
        let noun = if args.by_name {
            "VM name(s)"
        } else {
            "VM id(s)"
        };
        eprintln!("vbazure: {duplicates} duplicate {noun} skipped: each VM is deleted once");
    }
    Ok(vms)
}

/// The flags the appliance's version must have; on v1, a usage error before anything is sent.
pub(crate) fn check(args: &DeleteBackups, version: ApiVersion) -> Result<(), Failure> {
    if version == ApiVersion::V8_1 {
        return Ok(());
    }
    let mut v8_1_flags = Vec::new();
    if args.by_name {
        v8_1_flags.push("--by-name");
    }
    if args.batch {
        v8_1_flags.push("--batch");
    }
    if args.backup_tier.is_some() {
        v8_1_flags.push("--backup-tier");
    }
    if v8_1_flags.is_empty() {
        Ok(())
    } else {
        Err(needs_v8_1(&v8_1_flags, version))
    }
}

/// What `delete-backups` needs besides its arguments.
pub(crate) struct Context {
    pub printer: Printer,
    pub verbose: bool,
    pub version: ApiVersion,
    /// `--mock`: a made-up appliance, so no confirmation is asked.
    pub mock: bool,
    /// `--request-timeout`: how long a deletion request may go unanswered (journaled).
    pub request_timeout: std::time::Duration,
}

/// `delete-backups`: the stages in order (see the module's documentation).
pub(crate) async fn run(
    appliance: &Appliance,
    args: &DeleteBackups,
    vms: Vec<String>,
    cx: Context,
) -> Result<Exit, Failure> {
    let total = vms.len();
    // Every name is resolved before the first deletion: one that does not resolve stops here.
    let targets: Vec<(String, String)> = if args.by_name {
        resolve::resolve(appliance, vms).await?
    } else {
        vms.into_iter().map(|id| (id.clone(), id)).collect()
    };
    let earlier = read_journal(args)?;
    if args.dry_run {
        return dry_run::dry_run(appliance, &targets, &earlier, &cx).await;
    }

    // What earlier runs (the journal) did: VMs accepted are followed, not sent again.
    let Plan {
        mut tally,
        mut to_send,
        resumed,
        uncertain,
        settled_by,
    } = plan(targets, &earlier, &cx.printer);
    let asking = to_send.len() + uncertain.iter().map(|(m, _)| m.len()).sum::<usize>();
    if asking > 0 && !args.yes && !cx.mock {
        let labels: Vec<&str> = to_send
            .iter()
            .chain(uncertain.iter().flat_map(|(m, _)| m.iter()))
            .map(|(label, _)| label.as_str())
            .collect();
        confirm(&labels, args)?;
    }
    let journal = match &args.journal {
        Some(path) => Some(Journal::open(path, &earlier)?),
        None => None,
    };

    // A deletion an earlier run was sending when it was cut off may have reached the
    // appliance: it is looked for there before anything is sent again, once its answer would
    // have come (a request killed with its run can still be on its way, or being carried out).
    if let Some(settled_by) = settled_by {
        lookup::settle(&settled_by).await?;
    }
    let found = recover::recover(
        appliance,
        &cx,
        uncertain,
        &earlier,
        journal.as_ref(),
        &mut tally,
        &mut to_send,
    )
    .await?;

    let units = units(to_send, args.batch);
    record_planned(journal.as_ref(), args, &units)?;
    let mut starting: Vec<(Unit, Start)> = found
        .into_iter()
        .map(|(unit, session)| (unit, Start::Session(session)))
        .collect();
    starting.extend(
        resumed
            .into_iter()
            .map(|(unit, session)| (unit, Start::Id(session))),
    );
    let run = Run::new(appliance, args, &cx, journal.as_ref(), tally, total);
    Ok(run.execute(units, starting).await)
}

/// The journal of earlier runs (empty without `--journal`), checked against this run's
/// `--backup-tier`; a line cut off while being written is left out, and said so.
fn read_journal(args: &DeleteBackups) -> Result<journal::Read, Failure> {
    let Some(path) = &args.journal else {
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
    read.check_backup_tier(path, &tier_recorded(args))?;
    Ok(read)
}

/// The journal's `planned` line: every VM this run will send, before the first is sent.
fn record_planned(
    journal: Option<&Journal>,
    args: &DeleteBackups,
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
        if args.by_name && !unit.batch {
            names.push(unit.label.clone());
        }
    }
    journal.record(&Event::Planned {
        at: journal::now(),
        vms,
        names,
        backup_tier: Some(tier_recorded(args)),
    })
}
