//! `vbazure delete-backups`: many VMs, a few deletion requests at a time; every session that
//! starts is handed at once to one follower, whose poller bounds the appliance's request rate.
//!
//! Deleting and following are apart: `--concurrency` bounds the deletion requests in flight,
//! not the sessions being followed, so N VMs whose sessions take D each need about
//! D + N / c × (one request), not N / c × D.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{IsTerminal, Write};

use clap::ValueEnum;
use futures_util::stream::FuturesUnordered;
use futures_util::{StreamExt, TryStreamExt};
use vbazure::v8_1::types::{BackupTier, SessionTypeFilter};
use vbazure::{
    ApiVersion, Appliance, DeleteOutcome, ErrorKind, FollowOptions, ProtectedVm, Session,
    SessionFilter, SessionFollower, SessionStatus, Timestamp, WaitOptions, BATCH_LIMIT,
};

use crate::args::{DeleteBackups, Waiting};
use crate::exit::Exit;
use crate::journal::{self, Event, Journal, State};
use crate::output::{duration, region, Printer};
use crate::progress::{Line, Progress};
use crate::{error_line, ids, needs_v8_1, Failure};

mod confirm;
mod dry_run;
mod interrupt;
mod lookup;
mod resolve;

use confirm::confirm;
pub(crate) use confirm::refuse_without_terminal;
use dry_run::dry_run;
use interrupt::{report_stopped, watch_interrupts};
use lookup::{look_for_session, may_have_started, settle, Lookup, LOOKUP_MARGIN};
use resolve::{resolve, LISTING_PAGE, SEARCH_EACH_UP_TO};

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
    /// VMs a deletion may have been sent for by an earlier run that nothing accounts for (v1).
    unknown: usize,
    exit: Option<Exit>,
}

impl Tally {
    fn worst(&mut self, exit: Exit) {
        self.exit = Some(self.exit.map_or(exit, |e| e.max(exit)));
    }

    /// `vms` VMs whose session ended with the outcome `this`.
    fn count_ended(&mut self, this: Exit, vms: usize) {
        match this {
            Exit::Ok => self.succeeded += vms,
            Exit::Warning => self.warned += vms,
            _ => self.failed += vms,
        }
        self.worst(this);
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

/// Why no more deletions are started.
#[derive(Clone, Copy, PartialEq)]
enum Stop {
    /// The first Ctrl-C.
    Interrupted,
    /// The journal could not be written: no step may go unrecorded.
    Journal,
}

/// Where a session to follow comes from.
enum Start {
    /// A deletion's answer (or a session found on the appliance).
    Session(Session),
    /// A session an earlier run's journal names: read first.
    Id(String),
}

pub(crate) async fn run(
    appliance: &Appliance,
    args: &DeleteBackups,
    vms: Vec<String>,
    cx: Context,
) -> Result<Exit, Failure> {
    let printer = &cx.printer;
    let total = vms.len();
    let tier = args.backup_tier.map(|t| t.tier());
    // Every name is resolved before the first deletion: one that does not resolve stops here.
    let targets: Vec<(String, String)> = if args.by_name {
        resolve(appliance, vms).await?
    } else {
        vms.into_iter().map(|id| (id.clone(), id)).collect()
    };
    let earlier = match &args.journal {
        Some(path) => {
            let read = journal::read(path)?;
            if let Some(line) = read.truncated_line {
                eprintln!(
                    "vbazure: journal {}: line {line} is incomplete (a run was cut off while \
                     writing it) and is left out: its step had not been taken",
                    path.display()
                );
            }
            read.check_backup_tier(path, &tier_recorded(args))?;
            read
        }
        None => journal::Read::default(),
    };
    if args.dry_run {
        return dry_run(appliance, &targets, &earlier, &cx).await;
    }

    // What earlier runs (the journal) did: VMs accepted are followed, not sent again.
    let Plan {
        mut tally,
        mut to_send,
        resumed,
        uncertain,
        settled_by,
    } = plan(targets, &earlier, printer);

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
    let record = |event: Event| -> Result<(), Failure> {
        match &journal {
            Some(journal) => journal.record(&event),
            None => Ok(()),
        }
    };

    // A deletion an earlier run was sending when it was cut off may have reached the
    // appliance: it is looked for there before anything is sent again, once its answer would
    // have come (a request killed with its run can still be on its way, or being carried out).
    if let Some(settled_by) = settled_by {
        settle(&settled_by).await?;
    }
    let found = recover(
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
    let requests = units.len();
    if !units.is_empty() {
        let mut vms = Vec::new();
        let mut names = Vec::new();
        for unit in &units {
            vms.extend(unit.ids.iter().cloned());
            if args.by_name && !unit.batch {
                names.push(unit.label.clone());
            }
        }
        record(Event::Planned {
            at: journal::now(),
            vms,
            names,
            backup_tier: Some(tier_recorded(args)),
        })?;
    }

    let progress = Progress::new(args.wait && printer.for_people() && !cx.verbose);
    let follower = args.wait.then(|| appliance.follower(follow_options(args)));
    let (interrupts, mut interrupted) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(watch_interrupts(interrupts));
    let mut queue: VecDeque<Unit> = units.into();
    let mut deletions = FuturesUnordered::new();
    let mut follows = FuturesUnordered::new();
    // Sessions accepted and not seen to end: id → label.
    let mut running: BTreeMap<String, String> = BTreeMap::new();
    let mut stop: Option<Stop> = None;

    let mut starting: Vec<(Unit, Start)> = found
        .into_iter()
        .map(|(unit, session)| (unit, Start::Session(session)))
        .collect();
    starting.extend(
        resumed
            .into_iter()
            .map(|(unit, session)| (unit, Start::Id(session))),
    );
    for (unit, start) in starting {
        let id = match &start {
            Start::Session(session) => session.id.clone(),
            Start::Id(id) => id.clone(),
        };
        if let Start::Id(_) = &start {
            tally.sessions += 1;
        }
        running.insert(id.clone(), unit.label.clone());
        match &follower {
            Some(follower) => {
                let line = progress.line(format!("{}  session {id}", unit.label));
                follows.push(follow(follower, appliance, unit, start, line));
            }
            None => {
                tally.started += unit.ids.len();
                if let Start::Id(_) = &start {
                    printer.text(&format!(
                        "{}  session {id}  accepted in an earlier run (not sent again)",
                        unit.label
                    ));
                }
            }
        }
    }

    loop {
        while stop.is_none() && deletions.len() < args.concurrency as usize {
            match queue.pop_front() {
                Some(unit) => deletions.push(delete(
                    appliance,
                    unit,
                    tier,
                    journal.as_ref(),
                    cx.request_timeout,
                )),
                None => break,
            }
        }
        if deletions.is_empty() && (follows.is_empty() || stop.is_some()) {
            break;
        }
        tokio::select! {
            Some((unit, deleted, journal_error)) = deletions.next() => {
                if let Some(failure) = journal_error {
                    eprintln!("error: {}; no more deletions are started", failure.message);
                    tally.worst(Exit::Api);
                    stop.get_or_insert(Stop::Journal);
                }
                match deleted {
                    Deleted::Started(session) => {
                        tally.sessions += 1;
                        running.insert(session.id.clone(), unit.label.clone());
                        match &follower {
                            Some(follower) if stop.is_none() => {
                                let line = progress.line(format!(
                                    "{}  session {}  {}",
                                    unit.label, session.id, session.status
                                ));
                                follows.push(follow(
                                    follower,
                                    appliance,
                                    unit,
                                    Start::Session(session),
                                    line,
                                ));
                            }
                            _ => {
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
                }
            },
            Some((unit, id, result)) = follows.next(), if stop.is_none() => match result {
                Ok(session) => {
                    running.remove(&id);
                    if let Err(failure) = record(Event::Ended {
                        at: journal::now(),
                        vms: unit.ids.clone(),
                        session: session.id.clone(),
                        status: session.status.to_string(),
                    }) {
                        eprintln!("error: {}; no more deletions are started", failure.message);
                        tally.worst(Exit::Api);
                        stop.get_or_insert(Stop::Journal);
                    }
                    let this = Exit::of_finished(&session);
                    tally.count_ended(this, unit.ids.len());
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
            Some(()) = interrupted.recv(), if stop.is_none() => {
                stop = Some(Stop::Interrupted);
                progress.print(|| eprintln!(
                    "vbazure: interrupted: no more deletions are started; waiting for the {} \
                     request(s) in flight (Ctrl-C again exits at once)",
                    deletions.len()
                ));
            },
            else => break,
        }
    }
    drop(follows);
    if stop.is_some() {
        let not_started: Vec<String> = queue.iter().flat_map(|u| u.ids.iter().cloned()).collect();
        report_stopped(
            &running,
            &not_started,
            args,
            stop == Some(Stop::Interrupted),
        );
        if stop == Some(Stop::Interrupted) {
            tally.worst(Exit::Interrupted);
        }
    }
    let batches = args.batch.then_some(requests);
    printer.summary(&summary(total, &tally, args.wait, batches));
    Ok(tally.exit.unwrap_or(Exit::Ok))
}

/// What the journal of earlier runs leaves to do: the VMs to send, the sessions to follow
/// again, the deletions to look for first (a cut-off run's), and what is already settled
/// (counted in the tally and printed).
struct Plan {
    tally: Tally,
    to_send: Vec<(String, String)>,
    resumed: Vec<(Unit, String)>,
    /// Members of one request an earlier run may have sent, and when it was sent.
    uncertain: Vec<(Vec<(String, String)>, Timestamp)>,
    /// The latest time an earlier run's unanswered request could still have been answered.
    settled_by: Option<Timestamp>,
}

fn plan(targets: Vec<(String, String)>, earlier: &journal::Read, printer: &Printer) -> Plan {
    let mut tally = Tally::default();
    let mut to_send: Vec<(String, String)> = Vec::new();
    let mut resumed: Vec<(Unit, String)> = Vec::new();
    let mut uncertain: Vec<(Vec<(String, String)>, Timestamp)> = Vec::new();
    // The latest time an earlier run's unanswered request could still have been answered.
    let mut settled_by: Option<Timestamp> = None;
    for (label, id) in targets {
        match earlier.state(&id) {
            State::Pending => to_send.push((label, id)),
            State::Nothing => {
                tally.nothing += 1;
                printer.text(&format!(
                    "{label}  no backups to delete (recorded by an earlier run)"
                ));
            }
            State::Ended { session, status } => {
                let status: SessionStatus = status.as_str().into();
                let this = match status {
                    SessionStatus::Success => Exit::Ok,
                    SessionStatus::Warning => Exit::Warning,
                    _ => Exit::Failed,
                };
                tally.count_ended(this, 1);
                printer.text(&format!(
                    "{label}  session {session}  {status}  (ended in an earlier run; not sent again)"
                ));
            }
            State::Accepted { session } => match resumed.iter_mut().find(|(_, s)| *s == session) {
                Some((unit, _)) => {
                    unit.ids.push(id);
                    unit.label = format!("{} VMs of session {session}", unit.ids.len());
                }
                None => resumed.push((
                    Unit {
                        label,
                        ids: vec![id],
                        batch: false,
                    },
                    session,
                )),
            },
            State::Uncertain {
                at,
                answer_by,
                group,
            } => {
                if settled_by.is_none_or(|t| t.as_datetime() < answer_by.as_datetime()) {
                    settled_by = Some(answer_by);
                }
                match uncertain
                    .iter_mut()
                    .find(|(members, _)| group.contains(&members[0].1))
                {
                    Some((members, _)) => members.push((label, id)),
                    None => uncertain.push((vec![(label, id)], at)),
                }
            }
        }
    }
    Plan {
        tally,
        to_send,
        resumed,
        uncertain,
        settled_by,
    }
}

/// The deletions an earlier run may have sent, looked for on the appliance: one found is
/// recorded and given back to follow; none found is sent again (added to `to_send`); one that
/// cannot be ruled out is counted unknown and never sent again.
async fn recover(
    appliance: &Appliance,
    cx: &Context,
    uncertain: Vec<(Vec<(String, String)>, Timestamp)>,
    earlier: &journal::Read,
    journal: Option<&Journal>,
    tally: &mut Tally,
    to_send: &mut Vec<(String, String)>,
) -> Result<Vec<(Unit, Session)>, Failure> {
    let printer = &cx.printer;
    let record = |event: Event| -> Result<(), Failure> {
        match journal {
            Some(journal) => journal.record(&event),
            None => Ok(()),
        }
    };
    let mut found: Vec<(Unit, Session)> = Vec::new();
    for (members, at) in uncertain {
        let ids: Vec<String> = members.iter().map(|(_, id)| id.clone()).collect();
        let label = match members.as_slice() {
            [(label, _)] => label.clone(),
            _ => format!("{} VMs of one request", members.len()),
        };
        match look_for_session(appliance, cx.version, &ids, &at, &earlier.sessions).await? {
            Lookup::Found(session) => {
                record(Event::Accepted {
                    at: journal::now(),
                    vms: ids.clone(),
                    session: session.id.clone(),
                    found: true,
                })?;
                printer.text(&format!(
                    "{label}  session {}  found on the appliance: the deletion an earlier run \
                     sent (not sent again)",
                    session.id
                ));
                found.push((
                    Unit {
                        label,
                        ids,
                        batch: members.len() > 1,
                    },
                    session,
                ));
            }
            Lookup::None => to_send.extend(members),
            Lookup::Unknown(why) => {
                tally.unknown += ids.len();
                tally.worst(Exit::Api);
                let since = Timestamp::from(at.as_datetime() - LOOKUP_MARGIN);
                eprintln!(
                    "error: {label}: unknown: a deletion may have been sent at {at} by an earlier \
                     run, and {why}; not sent again (never twice). Check with `vbazure sessions \
                     list --all --type BackupDeletion --since {since}` and the sessions' logs \
                     (`vbazure sessions log SESSION_ID`); if the VM's backups are still there, \
                     delete them with a command without this journal"
                );
            }
        }
    }
    Ok(found)
}

/// `--backup-tier` as the journal records it.
fn tier_recorded(args: &DeleteBackups) -> String {
    match args.backup_tier.and_then(|t| t.to_possible_value()) {
        Some(value) => value.get_name().to_string(),
        None => journal::TIER_UNSET.to_string(),
    }
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
    if tally.unknown > 0 {
        line.push_str(&format!(
            ", {} unknown (a deletion may have been sent: not sent again)",
            tally.unknown
        ));
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

/// One deletion request; with a journal, its `sending` line is on disk before the request
/// leaves, and its answer after. Also gives the failure to write the answer's line, if any.
async fn delete(
    appliance: &Appliance,
    unit: Unit,
    tier: Option<BackupTier>,
    journal: Option<&Journal>,
    request_timeout: std::time::Duration,
) -> (Unit, Deleted, Option<Failure>) {
    let context = match unit.ids.as_slice() {
        [_] => unit.label.clone(),
        [first, .., last] => format!("{} (from {first} to {last} as given)", unit.label),
        [] => unit.label.clone(),
    };
    if let Some(journal) = journal {
        let sending = Event::Sending {
            at: journal::now(),
            vms: unit.ids.clone(),
            answer_by: Some(journal::from_now(request_timeout)),
        };
        if let Err(failure) = journal.record(&sending) {
            let not_sent = Failure::new(
                failure.exit,
                format!("{context}: not sent: {}", failure.message),
            );
            return (unit, Deleted::Failed(not_sent), Some(failure));
        }
    }
    let outcome = if unit.batch {
        match appliance
            .delete_backups_batch(&unit.ids)
            .tier(tier)
            .send()
            .await
        {
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
                let event = Event::NoAnswer {
                    at: journal::now(),
                    vms: unit.ids.clone(),
                    error: failure.message.clone(),
                };
                let journal_error = journal.and_then(|j| j.record(&event).err());
                return (unit, Deleted::Failed(failure), journal_error);
            }
            Err(e) => Err(e),
        }
    } else {
        let id = unit.ids.first().map_or("", String::as_str);
        appliance.delete_backups(id).tier(tier).send().await
    };
    let at = journal::now();
    let vms = unit.ids.clone();
    let (deleted, event) = match outcome {
        Ok(DeleteOutcome::Started(session)) => {
            let event = Event::Accepted {
                at,
                vms,
                session: session.id.clone(),
                found: false,
            };
            (Deleted::Started(session), event)
        }
        Ok(DeleteOutcome::NothingToDelete) => {
            (Deleted::NothingToDelete, Event::NothingToDelete { at, vms })
        }
        Err(e) => {
            let failure = Failure::api(&context, &e);
            let error = e.to_string();
            let event = if may_have_started(&e) {
                Event::NoAnswer { at, vms, error }
            } else {
                Event::Refused { at, vms, error }
            };
            (Deleted::Failed(failure), event)
        }
    };
    let journal_error = journal.and_then(|j| j.record(&event).err());
    (unit, deleted, journal_error)
}

/// Follows one session with the shared follower (reading it first when only its id is
/// known), its live line updated on each change. Gives the session's id too.
async fn follow(
    follower: &SessionFollower,
    appliance: &Appliance,
    unit: Unit,
    start: Start,
    line: Line,
) -> (Unit, String, Result<Session, vbazure::Error>) {
    let label = unit.label.clone();
    let (id, session) = match start {
        Start::Session(session) => (session.id.clone(), Ok(session)),
        Start::Id(id) => {
            // Boxed: held inline, the request's future would make every one of these futures
            // (one per session followed, 10,000 of them at once in a big run) as large as
            // itself: 144 MB instead of 41 for 10,000 VMs (benches/cli_memory.sh).
            let session = Box::pin(appliance.job_session(&id)).await;
            (id, session)
        }
    };
    let result = match session {
        Ok(session) => {
            follower
                .follow(session, move |s| {
                    line.update(format!("{label}  session {}  {}", s.id, s.status))
                })
                .await
        }
        Err(e) => Err(e),
    };
    (unit, id, result)
}

/// How the follower polls: at most `--max-requests-per-second`, with as many status requests
/// outstanding as deletions (`--concurrency`), and at least the library's default.
fn follow_options(args: &DeleteBackups) -> FollowOptions {
    let wait = wait_options(&args.waiting);
    let defaults = FollowOptions::default();
    let in_flight = defaults.in_flight.max(args.concurrency as usize);
    let mut options = defaults
        .with_requests_per_second(args.max_requests_per_second)
        .with_in_flight(in_flight)
        .with_intervals(wait.initial_interval, wait.max_interval);
    options.timeout = wait.timeout;
    options
}

pub(crate) fn wait_options(waiting: &Waiting) -> WaitOptions {
    let defaults = WaitOptions::default();
    let max_interval = defaults.max_interval.max(waiting.poll_interval);
    let mut options = defaults.with_intervals(waiting.poll_interval, max_interval);
    options.timeout = waiting.timeout;
    options
}
