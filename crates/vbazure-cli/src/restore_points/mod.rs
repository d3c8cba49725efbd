//! `vbazure restore-points list|delete` (API v8.1): the restore points of one kind of
//! protected item, chosen by item, age, destination and how many of each item's newest to
//! keep, listed or deleted one by one.
//!
//! `delete` is a pipeline of stages, each in a file of its own: every point of the kind listed
//! (`listing`), the `--item` / `--from-file` values resolved against them (`resolve`), the
//! points chosen (`select`, a pure function) and the plan made and printed (`plan`), the
//! journal of earlier runs read and checked (`journal`), the deletions a cut-off run may have
//! sent looked for (`recover`), the question asked (`confirm`), and the [`Run`](run::Run)
//! that sends the rest and follows what they start, counting (`tally`) as it goes. Ctrl-C,
//! the wait for a cut-off run's answers and what may have started are delete-backups' own
//! (`crate::delete::interrupt`, `crate::delete::lookup`), and so is the journal's format.

use vbazure::{ApiVersion, Appliance};

use crate::exit::Exit;
use crate::journal::State;
use crate::output::Printer;
use crate::{ids, needs_v8_1, Failure};

mod args;
mod confirm;
mod journal;
mod listing;
mod plan;
mod point;
mod recover;
mod resolve;
mod run;
mod select;
mod tally;

use args::DeleteArgs;
pub(crate) use args::RestorePoints;
use plan::Plan;
use point::Point;
use select::{select, Criteria};
use tally::Tally;

/// What needs no appliance: the lines of `--from-file`, and the refusal to delete without a
/// terminal or `--yes`. Nothing is sent.
pub(crate) fn prepare(command: &RestorePoints, mock: bool) -> Result<Vec<String>, Failure> {
    let RestorePoints::Delete(args) = command else {
        return Ok(Vec::new());
    };
    confirm::refuse_without_terminal(args, mock)?;
    let Some(file) = &args.from_file else {
        return Ok(Vec::new());
    };
    let what = "restore point ids or items";
    let (lines, duplicates) = ids::collect(&[], Some(file), what)?;
    if duplicates > 0 {
        eprintln!(
            "vbazure: {duplicates} duplicate line(s) of {} skipped",
            file.display()
        );
    }
    Ok(lines)
}

/// That the command can write the chosen `--output` and `--columns`: the list and a dry run
/// have rows; a deletion writes steps.
pub(crate) fn check_output(command: &RestorePoints, printer: &Printer) -> Result<(), Failure> {
    match command {
        RestorePoints::List(_) => printer.check_columns::<Point>(),
        RestorePoints::Delete(args) if args.dry_run => printer.check_columns::<Point>(),
        RestorePoints::Delete(_) if printer.csv() => Err(Failure::new(
            Exit::Usage,
            "--output csv: restore-points delete has no rows to write (--dry-run has); use \
             table, json or yaml"
                .to_string(),
        )),
        RestorePoints::Delete(_) if printer.has_columns() => Err(Failure::new(
            Exit::Usage,
            "--columns: restore-points delete prints no table (--dry-run does)".to_string(),
        )),
        RestorePoints::Delete(_) => Ok(()),
    }
}

/// Restore points are API v8.1's; on v1 a usage error before anything is sent.
pub(crate) fn check(command: &RestorePoints, version: ApiVersion) -> Result<(), Failure> {
    let name = match command {
        RestorePoints::List(_) => "restore-points list",
        RestorePoints::Delete(_) => "restore-points delete",
    };
    match version {
        ApiVersion::V8_1 => Ok(()),
        _ => Err(needs_v8_1(&[name], version)),
    }
}

/// What `restore-points` needs besides its arguments.
pub(crate) struct Context {
    pub printer: Printer,
    pub verbose: bool,
    /// `--mock`: a made-up appliance, so no confirmation is asked.
    pub mock: bool,
    /// `--request-timeout`: how long a deletion request may go unanswered (journaled).
    pub request_timeout: std::time::Duration,
}

/// `restore-points list` or `delete`, with the lines `prepare` read.
pub(crate) async fn run(
    appliance: &Appliance,
    command: &RestorePoints,
    lines: Vec<String>,
    cx: Context,
) -> Result<Exit, Failure> {
    match command {
        RestorePoints::List(args) => listing::list(appliance, args, &cx.printer).await,
        RestorePoints::Delete(args) => delete(appliance, args, lines, cx).await,
    }
}

/// `restore-points delete`: the stages in order (see the module's documentation).
async fn delete(
    appliance: &Appliance,
    args: &DeleteArgs,
    lines: Vec<String>,
    cx: Context,
) -> Result<Exit, Failure> {
    let printer = &cx.printer;
    let selectors = &args.selectors;
    let workload = selectors.kind.workload();
    let earlier = journal::read(args.journal.as_deref(), workload)?;
    let now = chrono::Utc::now();
    let (points, unreadable) = listing::every_point(appliance, workload, now).await?;
    let listed = points.len();
    let scope = resolve::scope(
        appliance,
        workload,
        &selectors.items,
        &lines,
        &points,
        &earlier,
    )
    .await?;
    let keep = selectors.keep();
    let criteria = Criteria {
        older_than: selectors.older_than,
        keep,
        destinations: selectors
            .destinations
            .iter()
            .map(|d| d.destination())
            .collect(),
        scope,
    };
    let plan = Plan::new(select(points, &criteria, now), keep, now);
    let mut tally = Tally::default();
    if unreadable > 0 {
        tally.worst(Exit::Api);
    }

    if args.dry_run {
        plan.print(workload, printer, "would delete");
        printer.objects(&plan.to_delete);
        printer.rows(&plan.to_delete)?;
        printer.summary(&format!(
            "dry run: {} restore point(s) would be deleted; nothing was sent",
            plan.to_delete.len()
        ));
        return Ok(tally.exit.unwrap_or(Exit::Ok));
    }
    plan.print(workload, printer, "delete");
    if plan.to_delete.is_empty() {
        printer.summary(&format!(
            "nothing to delete: of the {listed} {workload} restore point(s) listed, none matches \
             the selectors{}; nothing was sent",
            if plan.immutable.is_empty() && plan.kept == 0 {
                String::new()
            } else {
                " but those left out or kept above".to_string()
            }
        ));
        return Ok(tally.exit.unwrap_or(Exit::Ok));
    }

    // What earlier runs (the journal) did: points accepted are followed, not sent again.
    let mut to_send = Vec::new();
    let mut uncertain = Vec::new();
    let mut resumed = Vec::new();
    let mut settled_by: Option<vbazure::Timestamp> = None;
    let items = plan
        .to_delete
        .iter()
        .map(Point::item_key)
        .collect::<std::collections::HashSet<_>>()
        .len();
    tally.total = plan.to_delete.len();
    for point in plan.to_delete {
        match earlier.state(&point.id) {
            State::Pending => to_send.push(point),
            State::Uncertain { at, answer_by, .. } => {
                if settled_by.is_none_or(|t| t.as_datetime() < answer_by.as_datetime()) {
                    settled_by = Some(answer_by);
                }
                uncertain.push((point, at));
            }
            State::Accepted { session } => resumed.push((point, session)),
            State::Nothing | State::Ended { .. } => {
                tally.earlier += 1;
                printer.text(&format!(
                    "{}  {}  done by an earlier run of the journal (not sent again)",
                    point.id,
                    point.item_label()
                ));
            }
        }
    }
    let asking = to_send.len() + uncertain.len();
    if asking > 0 && !args.yes && !cx.mock {
        confirm::confirm(asking, items, workload)?;
    }
    let journal = journal::open(args.journal.as_deref(), &earlier)?;
    let recovery = recover::Recovery {
        appliance,
        workload,
        earlier: &earlier,
        journal: journal.as_ref(),
        waiting: args.waiting.options(),
        printer,
    };
    let again = recover::recover(&recovery, uncertain, settled_by, &mut tally).await?;
    to_send.extend(again);
    journal::record_planned(
        journal.as_ref(),
        workload,
        to_send.iter().map(|p| p.id.clone()).collect(),
    )?;
    let setting = run::Setting {
        appliance,
        args,
        printer,
        journal: journal.as_ref(),
        request_timeout: cx.request_timeout,
        verbose: cx.verbose,
    };
    Ok(run::Run::new(setting, tally)
        .execute(to_send, resumed)
        .await)
}
