//! `vbazure delete-backups`: many VMs, a few deletion requests at a time; every session that
//! starts is handed at once to one follower, whose poller bounds the appliance's request rate.
//!
//! Deleting and following are apart: `--concurrency` bounds the deletion requests in flight,
//! not the sessions being followed, so N VMs whose sessions take D each need about
//! D + N / c × (one request), not N / c × D.

use std::collections::HashMap;

use futures_util::stream::FuturesUnordered;
use futures_util::{StreamExt, TryStreamExt};
use vbazure::v8_1::types::BackupTier;
use vbazure::{
    ApiVersion, Appliance, DeleteOutcome, ErrorKind, FollowOptions, ProtectedVm, Session,
    SessionFollower, WaitOptions, BATCH_LIMIT,
};

use crate::args::{DeleteBackups, Waiting};
use crate::exit::Exit;
use crate::output::{duration, Printer};
use crate::progress::{Line, Progress};
use crate::{error_line, ids, needs_v8_1, Failure};

/// Up to this many names are looked up one search each; more are matched against one listing
/// of every protected VM.
const SEARCH_EACH_UP_TO: usize = 3;
/// The page size of that listing.
const LISTING_PAGE: u32 = 1000;
/// At most this many candidates are named for a name that does not resolve.
const CANDIDATES_SHOWN: usize = 10;

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

/// What one deletion request names: one VM, or a batch of them.
struct Unit {
    /// How lines name it: the VM's id (its name with `--by-name`), or `batch 2/3 (1000 VMs)`.
    label: String,
    /// The VM ids of the request.
    ids: Vec<String>,
    /// Whether it is a batch request (v8.1 `deleteVirtualMachinesBackups`).
    batch: bool,
}

/// What a deletion request gave.
enum Deleted {
    Started(Session),
    /// The appliance had no backups to remove (v8.1's 204).
    NothingToDelete,
    Failed(Failure),
}

/// Counts of VMs (and sessions) by outcome, and the exit code so far.
#[derive(Default)]
struct Tally {
    started: usize,
    succeeded: usize,
    warned: usize,
    failed: usize,
    running: usize,
    nothing: usize,
    sessions: usize,
    exit: Option<Exit>,
}

impl Tally {
    fn worst(&mut self, exit: Exit) {
        self.exit = Some(self.exit.map_or(exit, |e| e.max(exit)));
    }
}

pub(crate) async fn run(
    appliance: &Appliance,
    args: &DeleteBackups,
    vms: Vec<String>,
    printer: Printer,
    verbose: bool,
) -> Result<Exit, Failure> {
    let total = vms.len();
    let tier = args.backup_tier.map(|t| t.tier());
    // Every name is resolved before the first deletion: one that does not resolve stops here.
    let targets: Vec<(String, String)> = if args.by_name {
        resolve(appliance, vms).await?
    } else {
        vms.into_iter().map(|id| (id.clone(), id)).collect()
    };
    let units = units(targets, args.batch);
    let requests = units.len();

    let progress = Progress::new(args.wait && !printer.json() && !verbose);
    let follower = args.wait.then(|| appliance.follower(follow_options(args)));
    let mut deletions = futures_util::stream::iter(units)
        .map(|unit| delete(appliance, unit, tier))
        .buffer_unordered(args.concurrency as usize)
        .fuse();
    let mut follows = FuturesUnordered::new();
    let mut tally = Tally::default();
    loop {
        tokio::select! {
            Some((unit, deleted)) = deletions.next() => match deleted {
                Deleted::Started(session) => {
                    tally.sessions += 1;
                    match &follower {
                        Some(follower) => {
                            let line = progress.line(format!(
                                "{}  session {}  {}",
                                unit.label, session.id, session.status
                            ));
                            follows.push(follow(follower, unit, session, line));
                        }
                        None => {
                            tally.started += unit.ids.len();
                            progress.print(|| {
                                printer.text(&format!(
                                    "{}  session {}  {}",
                                    unit.label, session.id, session.status
                                ));
                                printer.object(&session);
                            });
                        }
                    }
                }
                Deleted::NothingToDelete => {
                    tally.nothing += unit.ids.len();
                    progress.print(|| printer.text(&format!("{}  no backups to delete", unit.label)));
                }
                Deleted::Failed(failure) => {
                    tally.failed += unit.ids.len();
                    tally.worst(failure.exit);
                    progress.print(|| eprintln!("error: {}", failure.message));
                }
            },
            Some((unit, result)) = follows.next() => match result {
                Ok(session) => {
                    let this = Exit::of_finished(&session);
                    match this {
                        Exit::Ok => tally.succeeded += unit.ids.len(),
                        Exit::Warning => tally.warned += unit.ids.len(),
                        _ => tally.failed += unit.ids.len(),
                    }
                    tally.worst(this);
                    progress.print(|| {
                        printer.text(&format!(
                            "{}  session {}  {}  {}",
                            unit.label,
                            session.id,
                            session.status,
                            duration(&session)
                        ));
                        printer.object(&session);
                    });
                }
                Err(error) => {
                    let this = Exit::of_error(&error);
                    if this == Exit::TimedOut {
                        tally.running += unit.ids.len();
                    } else {
                        tally.failed += unit.ids.len();
                    }
                    tally.worst(this);
                    progress.print(|| eprintln!("error: {}", error_line(&unit.label, &error)));
                }
            },
            else => break,
        }
    }
    let batches = args.batch.then_some(requests);
    printer.summary(&summary(total, &tally, args.wait, batches));
    Ok(tally.exit.unwrap_or(Exit::Ok))
}

/// The summary line: VMs by outcome, and with `--batch` the requests and sessions.
fn summary(total: usize, tally: &Tally, wait: bool, batches: Option<usize>) -> String {
    let head = match batches {
        None => format!("summary: {total} VM(s)"),
        Some(requests) => format!(
            "summary: {total} VM(s) in {requests} batch request(s), {} session(s)",
            tally.sessions
        ),
    };
    let mut line = if wait {
        let mut line = format!(
            "{head}: {} succeeded, {} ended with warnings, {} failed",
            tally.succeeded, tally.warned, tally.failed
        );
        if tally.running > 0 {
            line.push_str(&format!(
                ", {} still running on the appliance (wait timed out)",
                tally.running
            ));
        }
        line
    } else if batches.is_some() {
        format!("{head}: {} started, {} failed", tally.started, tally.failed)
    } else {
        format!(
            "{head}: {} deletion session(s) started, {} failed",
            tally.started, tally.failed
        )
    };
    if tally.nothing > 0 {
        line.push_str(&format!(", {} with no backups to delete", tally.nothing));
    }
    line
}

/// The requests to make: one per VM, or with `--batch` one per [`BATCH_LIMIT`] VMs.
fn units(targets: Vec<(String, String)>, batch: bool) -> Vec<Unit> {
    if !batch {
        return targets
            .into_iter()
            .map(|(label, id)| Unit {
                label,
                ids: vec![id],
                batch: false,
            })
            .collect();
    }
    let ids: Vec<String> = targets.into_iter().map(|(_, id)| id).collect();
    let count = ids.len().div_ceil(BATCH_LIMIT);
    ids.chunks(BATCH_LIMIT)
        .enumerate()
        .map(|(i, chunk)| Unit {
            label: format!(
                "batch {}/{count} ({} VM{})",
                i + 1,
                chunk.len(),
                if chunk.len() == 1 { "" } else { "s" }
            ),
            ids: chunk.to_vec(),
            batch: true,
        })
        .collect()
}

/// One deletion request.
async fn delete(appliance: &Appliance, unit: Unit, tier: Option<BackupTier>) -> (Unit, Deleted) {
    let context = match unit.ids.as_slice() {
        [_] => unit.label.clone(),
        [first, .., last] => format!("{} (from {first} to {last} as given)", unit.label),
        [] => unit.label.clone(),
    };
    let outcome = if unit.batch {
        match appliance.delete_backups_batch(&unit.ids, tier).await {
            // The unit holds at most BATCH_LIMIT ids: one request, one answer.
            Ok(mut answers) if answers.len() == 1 => answers.remove(0).outcome,
            Ok(answers) => {
                let failure = Failure::new(
                    Exit::Api,
                    format!(
                        "{context}: internal error: {} answers to one batch request",
                        answers.len()
                    ),
                );
                return (unit, Deleted::Failed(failure));
            }
            Err(e) => Err(e),
        }
    } else {
        let id = unit.ids.first().map_or("", String::as_str);
        match tier {
            Some(tier) => appliance.delete_backups_in_tier(id, tier).await,
            None => appliance.delete_backups(id).await,
        }
    };
    let deleted = match outcome {
        Ok(DeleteOutcome::Started(session)) => Deleted::Started(session),
        Ok(DeleteOutcome::NothingToDelete) => Deleted::NothingToDelete,
        Err(e) => Deleted::Failed(Failure::api(&context, &e)),
    };
    (unit, deleted)
}

/// Follows one session with the shared follower, its live line updated on each change.
async fn follow(
    follower: &SessionFollower,
    unit: Unit,
    session: Session,
    line: Line,
) -> (Unit, Result<Session, vbazure::Error>) {
    let label = unit.label.clone();
    let result = follower
        .follow(session, move |s| {
            line.update(format!("{label}  session {}  {}", s.id, s.status))
        })
        .await;
    (unit, result)
}

/// How the follower polls: at most `--max-requests-per-second`, with as many status requests
/// outstanding as deletions (`--concurrency`), and at least the library's default.
fn follow_options(args: &DeleteBackups) -> FollowOptions {
    let wait = wait_options(&args.waiting);
    let defaults = FollowOptions::default();
    FollowOptions {
        requests_per_second: args.max_requests_per_second,
        in_flight: defaults.in_flight.max(args.concurrency as usize),
        interval: wait.initial_interval,
        max_interval: wait.max_interval,
        timeout: wait.timeout,
    }
}

pub(crate) fn wait_options(waiting: &Waiting) -> WaitOptions {
    WaitOptions {
        timeout: waiting.timeout,
        initial_interval: waiting.poll_interval,
        max_interval: WaitOptions::default()
            .max_interval
            .max(waiting.poll_interval),
    }
}

/// Each name's VM: `(name, id)` in the order given. Any name that matches no protected VM, or
/// several, stops the run here, before anything is deleted, each such name on a line of its
/// own with the candidates.
async fn resolve(
    appliance: &Appliance,
    names: Vec<String>,
) -> Result<Vec<(String, String)>, Failure> {
    let mut problems = Vec::new();
    let mut resolved = Vec::with_capacity(names.len());
    if names.len() <= SEARCH_EACH_UP_TO {
        for name in names {
            match appliance.find_vm_by_name(&name).await {
                Ok(vm) => match vm.id {
                    Some(id) if !id.is_empty() => resolved.push((name, id)),
                    _ => problems.push(format!(
                        "VM name {name:?}: the appliance lists the VM without an id"
                    )),
                },
                Err(e) => match e.kind() {
                    ErrorKind::VmName { candidates, .. } => {
                        problems.push(name_problem(&name, candidates))
                    }
                    _ => return Err(Failure::api("looking up the VM names", &e)),
                },
            }
        }
    } else {
        // One listing of every protected VM, matched here. A VM the client cannot read could
        // be one of those asked for: it stops the run too.
        let listed: Vec<ProtectedVm> = appliance
            .protected_vms(LISTING_PAGE, None)
            .try_collect()
            .await
            .map_err(|e| Failure::api("looking up the VM names", &e))?;
        let mut by_name: HashMap<&str, Vec<&ProtectedVm>> = HashMap::new();
        for vm in &listed {
            if let Some(name) = vm.name.as_deref() {
                by_name.entry(name).or_default().push(vm);
            }
        }
        tracing::debug!(
            vms = listed.len(),
            names = names.len(),
            "matching the names against the protected VMs"
        );
        for name in names {
            match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([vm]) => match vm.id.as_deref() {
                    Some(id) if !id.is_empty() => resolved.push((name.clone(), id.to_string())),
                    _ => problems.push(format!(
                        "VM name {name:?}: the appliance lists the VM without an id"
                    )),
                },
                Some(several) if several.len() > 1 => {
                    let candidates: Vec<String> = several.iter().map(|vm| shown_vm(vm)).collect();
                    problems.push(name_problem(&name, &candidates))
                }
                _ => {
                    let lower = name.to_lowercase();
                    let similar: Vec<String> = listed
                        .iter()
                        .filter(|vm| {
                            vm.name
                                .as_deref()
                                .is_some_and(|n| n.to_lowercase().contains(&lower))
                        })
                        .map(shown_vm)
                        .collect();
                    problems.push(name_problem(&name, &similar))
                }
            }
        }
    }
    if !problems.is_empty() {
        let count = problems.len();
        for problem in problems {
            eprintln!("error: {problem}");
        }
        return Err(Failure::new(
            Exit::Api,
            format!(
                "{count} VM name(s) did not resolve to exactly one protected VM; nothing was deleted"
            ),
        ));
    }
    for (name, id) in &resolved {
        tracing::debug!(name = name.as_str(), id = id.as_str(), "VM name resolved");
    }
    Ok(resolved)
}

/// Why `name` names no one VM: `candidates` (as `name (id)`) are the VMs named exactly so
/// when there are several, else those whose names contain it.
fn name_problem(name: &str, candidates: &[String]) -> String {
    let exact = format!("{name} (");
    let ambiguous = candidates.len() > 1 && candidates.iter().all(|c| c.starts_with(&exact));
    let mut list = candidates
        .iter()
        .take(CANDIDATES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if candidates.len() > CANDIDATES_SHOWN {
        list.push_str(&format!(
            " and {} more",
            candidates.len() - CANDIDATES_SHOWN
        ));
    }
    if ambiguous {
        format!(
            "VM name {name:?}: {} protected VMs are named {name:?}: {list}; give the VM's id \
             instead (without --by-name)",
            candidates.len()
        )
    } else if candidates.is_empty() {
        format!("VM name {name:?}: no protected VM is named {name:?}")
    } else {
        format!(
            "VM name {name:?}: no protected VM is named exactly {name:?}; names that contain it: \
             {list}"
        )
    }
}

/// `name (id)`.
fn shown_vm(vm: &ProtectedVm) -> String {
    format!(
        "{} ({})",
        vm.name.as_deref().unwrap_or("?"),
        vm.id.as_deref().unwrap_or("no id")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("vm-{i}"), format!("vm-{i}")))
            .collect()
    }

    #[test]
    fn batches_hold_at_most_the_limit_in_the_order_given() {
        let batches = units(targets(2500), true);
        let sizes: Vec<usize> = batches.iter().map(|u| u.ids.len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(batches[0].label, "batch 1/3 (1000 VMs)");
        assert_eq!(batches[2].ids[0], "vm-2000");
        assert_eq!(batches[2].ids[499], "vm-2499");
        assert!(batches.iter().all(|u| u.batch));
        assert_eq!(units(targets(3), false).len(), 3);
        assert_eq!(units(targets(1), true)[0].label, "batch 1/1 (1 VM)");
    }

    #[test]
    fn the_summary_counts_vms_and_with_batches_sessions() {
        let tally = Tally {
            succeeded: 1500,
            failed: 1000,
            sessions: 3,
            ..Tally::default()
        };
        assert_eq!(
            summary(2500, &tally, true, Some(3)),
            "summary: 2500 VM(s) in 3 batch request(s), 3 session(s): 1500 succeeded, 0 ended \
             with warnings, 1000 failed"
        );
        let tally = Tally {
            started: 2,
            nothing: 1,
            ..Tally::default()
        };
        assert_eq!(
            summary(3, &tally, false, None),
            "summary: 3 VM(s): 2 deletion session(s) started, 0 failed, 1 with no backups to delete"
        );
    }
}
