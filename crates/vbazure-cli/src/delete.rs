//! `vbazure delete-backups`: many VMs, a few deletion requests at a time; every session that
//! starts is handed at once to one follower, whose poller bounds the appliance's request rate.
//!
//! Deleting and following are apart: `--concurrency` bounds the deletion requests in flight,
//! not the sessions being followed, so N VMs whose sessions take D each need about
//! D + N / c × (one request), not N / c × D.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::io::{IsTerminal, Write};

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
use crate::output::{duration, vm_table, Printer};
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
    let printer = cx.printer;
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
            read
        }
        None => journal::Read::default(),
    };
    if args.dry_run {
        return dry_run(appliance, &targets, &earlier, &cx).await;
    }

    // What earlier runs (the journal) did: VMs accepted are followed, not sent again.
    let mut tally = Tally::default();
    let mut to_send: Vec<(String, String)> = Vec::new();
    let mut resumed: Vec<(Unit, String)> = Vec::new();
    let mut uncertain: Vec<(Vec<(String, String)>, Timestamp)> = Vec::new();
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
            State::Uncertain { at, group } => {
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
    // appliance: it is looked for there before anything is sent again.
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
        })?;
    }

    let progress = Progress::new(args.wait && !printer.json() && !cx.verbose);
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
                Some(unit) => deletions.push(delete(appliance, unit, tier, journal.as_ref())),
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

/// Waits for Ctrl-C: the first is sent on `first`; the second exits at once (each journal
/// line is written whole and fsynced before its step, so the journal is consistent: at most
/// a line being written is cut, and a resumed run leaves it out).
async fn watch_interrupts(first: tokio::sync::mpsc::UnboundedSender<()>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    let _ = first.send(());
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("vbazure: interrupted again: exiting now (the sessions go on on the appliance)");
        std::process::exit(i32::from(Exit::Interrupted.code()));
    }
}

/// After an interrupt (or a journal that cannot be written): the sessions still running, and
/// how to resume.
fn report_stopped(
    running: &BTreeMap<String, String>,
    not_started: &[String],
    args: &DeleteBackups,
    interrupted: bool,
) {
    if !running.is_empty() {
        eprintln!(
            "vbazure: {} session(s) not seen to end; they go on on the appliance:",
            running.len()
        );
        for (id, label) in running {
            eprintln!("  {label}  session {id}");
        }
    }
    if !not_started.is_empty() {
        eprintln!("vbazure: {} VM(s) not sent", not_started.len());
    }
    match (&args.journal, interrupted) {
        (Some(_), true) => eprintln!(
            "vbazure: to resume (what was accepted is followed, not sent again): {}",
            resume_command()
        ),
        (Some(path), false) => eprintln!(
            "vbazure: fix the journal {} (disk full? permissions?), then run the same command \
             again to resume",
            path.display()
        ),
        (None, _) => {
            let shown: Vec<&str> = not_started.iter().take(10).map(String::as_str).collect();
            if !shown.is_empty() {
                let more = not_started.len() - shown.len();
                eprintln!(
                    "vbazure: not sent: {}{}; run again with only these (pass --journal FILE to \
                     make a run resumable)",
                    shown.join(" "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
}

/// This command line, quoted for a shell, without a `--token` (it comes from VBAZURE_TOKEN).
fn resume_command() -> String {
    let mut words = Vec::new();
    let mut skip = false;
    for arg in std::env::args() {
        if skip {
            skip = false;
            continue;
        }
        if arg == "--token" {
            skip = true;
            continue;
        }
        if arg.starts_with("--token=") {
            continue;
        }
        words.push(shell_quote(&arg));
    }
    words.join(" ")
}

fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Asks on the terminal for `yes`; anything else (or no terminal) stops the run, nothing sent.
fn confirm(labels: &[&str], args: &DeleteBackups) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    let shown: Vec<&str> = labels.iter().take(CONFIRM_SHOWN).copied().collect();
    let more = labels.len() - shown.len();
    let which = match args.backup_tier {
        Some(tier) if tier != crate::args::TierArg::All => {
            format!("the {} backups", tier.tier())
        }
        _ => "every backup".to_string(),
    };
    eprintln!(
        "vbazure: about to delete {which} of {} VM(s): {}{}. This cannot be undone.",
        labels.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    eprint!("Type yes to go on: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(Exit::Usage, format!("cannot read the answer: {e}")))?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Usage,
            "not confirmed (the answer was not `yes`): nothing was deleted".to_string(),
        ))
    }
}

/// `delete-backups` with no terminal to confirm on and no `--yes`: refused, nothing sent.
pub(crate) fn no_terminal() -> Failure {
    Failure::new(
        Exit::Usage,
        "delete-backups deletes backups for good and asks first, but there is no terminal to \
         ask on: pass --yes to confirm (or --dry-run to see what would be deleted); nothing was \
         sent"
            .to_string(),
    )
}

/// Whether the run must be refused before anything is sent: no `--yes`, no terminal.
pub(crate) fn refuse_without_terminal(args: &DeleteBackups, mock: bool) -> Result<(), Failure> {
    if args.yes || args.dry_run || mock || std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(no_terminal())
    }
}

/// At most this many VMs are named in the question.
const CONFIRM_SHOWN: usize = 5;

/// How far before an unanswered deletion's `sending` line its session is looked for (the
/// appliance's clock may differ from this machine's).
const LOOKUP_MARGIN: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// On v1, at most this many sessions are read looking for a deletion; more: unknown.
const V1_SCAN_LIMIT: usize = 10_000;

/// What the appliance says of a deletion that may have been sent.
enum Lookup {
    /// Its session.
    Found(Session),
    /// No deletion session for it: it did not reach the appliance.
    None,
    /// Cannot tell (why).
    Unknown(String),
}

/// Looks on the appliance for the session of a deletion of `ids` sent at `at` whose answer
/// was not recorded. v8.1: sessions filtered by `ResourceId` (each id until one is found: a
/// session found for one id of a batch covers the batch), `Types=BackupDeletion` and
/// `FromUtc`. v1 cannot filter and its sessions do not say which VM they concern: any
/// deletion session since then that the journal does not account for makes it unknown.
async fn look_for_session(
    appliance: &Appliance,
    version: ApiVersion,
    ids: &[String],
    at: &Timestamp,
    known: &HashSet<String>,
) -> Result<Lookup, Failure> {
    let from = Timestamp::from(at.as_datetime() - LOOKUP_MARGIN);
    let context = "looking for the deletion an earlier run may have sent";
    if version == ApiVersion::V8_1 {
        for id in ids {
            let filter = SessionFilter {
                types: vec![SessionTypeFilter::BackupDeletion],
                from: Some(from),
                resource_id: Some(id.clone()),
                ..SessionFilter::default()
            };
            let page = appliance
                .job_sessions_page_filtered(0, 50, &filter)
                .await
                .map_err(|e| Failure::api(context, &e))?;
            for item in page.sessions {
                match item {
                    // Newest first: the first is the latest deletion of this VM.
                    Ok(session) if !known.contains(&session.id) => {
                        return Ok(Lookup::Found(session))
                    }
                    Ok(_) => {}
                    Err(item) => {
                        return Ok(Lookup::Unknown(format!(
                            "the appliance lists a session vbazure cannot read ({})",
                            item.id().unwrap_or_else(|| "no id".to_string())
                        )))
                    }
                }
            }
        }
        return Ok(Lookup::None);
    }
    let sessions = appliance.job_sessions(LISTING_PAGE);
    futures_util::pin_mut!(sessions);
    let mut read = 0;
    while let Some(item) = sessions.next().await {
        read += 1;
        if read > V1_SCAN_LIMIT {
            return Ok(Lookup::Unknown(format!(
                "the appliance holds more than {V1_SCAN_LIMIT} sessions to look through"
            )));
        }
        match item {
            Ok(session) => {
                let deletion = session
                    .session_type
                    .as_ref()
                    .is_none_or(|t| *t == vbazure::SessionType::BackupDeletion || !t.is_known());
                let since = session
                    .execution_start_time
                    .as_ref()
                    .is_none_or(|t| t.as_datetime() >= from.as_datetime());
                if deletion && since && !known.contains(&session.id) {
                    return Ok(Lookup::Unknown(format!(
                        "the appliance (API v1) has deletion session {} since then, and v1 \
                         sessions do not say which VM they concern",
                        session.id
                    )));
                }
            }
            Err(e) => match e.kind() {
                ErrorKind::UndecodableItem { .. } => {
                    return Ok(Lookup::Unknown(
                        "the appliance lists a session vbazure cannot read".to_string(),
                    ))
                }
                _ => return Err(Failure::api(context, &e)),
            },
        }
    }
    Ok(Lookup::None)
}

/// `--dry-run`: every VM resolved and printed (v8.1: name, id, region, last backup from the
/// protected-VM list; v1: the ids as given), with what an earlier run's journal recorded.
/// Nothing is deleted; exit 1 when a VM is not a protected VM (v8.1).
async fn dry_run(
    appliance: &Appliance,
    targets: &[(String, String)],
    earlier: &journal::Read,
    cx: &Context,
) -> Result<Exit, Failure> {
    let printer = cx.printer;
    let mut exit = Exit::Ok;
    let mut found: HashMap<String, ProtectedVm> = HashMap::new();
    if cx.version == ApiVersion::V8_1 {
        if targets.len() <= SEARCH_EACH_UP_TO {
            for (_, id) in targets {
                match appliance.protected_vm(id).await {
                    Ok(vm) => {
                        found.insert(id.clone(), vm);
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::NotFound(_)) => {}
                    Err(e) => return Err(Failure::api("looking up the VMs", &e)),
                }
            }
        } else {
            let listed: Vec<ProtectedVm> = appliance
                .protected_vms(LISTING_PAGE, None)
                .try_collect()
                .await
                .map_err(|e| Failure::api("looking up the VMs", &e))?;
            for vm in listed {
                if let Some(id) = vm.id.clone() {
                    found.insert(id, vm);
                }
            }
        }
    }
    let mut planned = Vec::new();
    let mut skipped = 0;
    for (label, id) in targets {
        let action = match earlier.state(id) {
            State::Pending => "delete",
            State::Uncertain { .. } => "look-for-earlier-deletion",
            State::Accepted { .. } => "follow-earlier-session",
            State::Nothing | State::Ended { .. } => "done-earlier",
        };
        if action != "delete" {
            skipped += 1;
        }
        let vm = found.get(id);
        if cx.version == ApiVersion::V8_1 && vm.is_none() {
            eprintln!("error: VM {label}: no protected VM has the id {id}; it cannot be deleted");
            exit = Exit::Api;
            continue;
        }
        planned.push((id.clone(), vm.cloned(), action));
    }
    if printer.json() {
        for (id, vm, action) in &planned {
            let mut line = serde_json::json!({"id": id, "action": action});
            if let Some(vm) = vm {
                line["name"] = serde_json::json!(vm.name);
                line["region"] = serde_json::json!(vm.region_name.clone().or_else(|| vm
                    .region
                    .as_ref()
                    .and_then(|r| r.0.as_ref())
                    .and_then(|r| r.name.clone())));
                line["lastBackup"] =
                    serde_json::json!(vm.last_backup.as_ref().map(|t| t.to_string()));
            }
            printer.object(&line);
        }
    } else if cx.version == ApiVersion::V8_1 {
        let vms: Vec<ProtectedVm> = planned.iter().filter_map(|(_, vm, _)| vm.clone()).collect();
        for line in vm_table(&vms) {
            printer.text(&line);
        }
    } else {
        for (id, _, _) in &planned {
            printer.text(id);
        }
    }
    let mut line = format!(
        "dry run: the backups of {} VM(s) would be deleted; nothing was sent",
        planned.len() - skipped
    );
    if skipped > 0 {
        line.push_str(&format!(
            " ({skipped} VM(s) handled by an earlier run of the journal: followed or looked for, \
             not sent again)"
        ));
    }
    printer.summary(&line);
    Ok(exit)
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

/// Whether a failed deletion may have reached the appliance and started a session: no answer
/// came, or an answer that is not a refusal (5xx, or a success the client could not read).
fn may_have_started(error: &vbazure::Error) -> bool {
    match error.kind() {
        // No connection (or no TLS session) was made, or nothing was sent.
        ErrorKind::Connect { .. }
        | ErrorKind::Tls { .. }
        | ErrorKind::InvalidRequest { .. }
        | ErrorKind::NotInVersion { .. } => false,
        ErrorKind::Unauthorized(_)
        | ErrorKind::Forbidden(_)
        | ErrorKind::NotFound(_)
        | ErrorKind::Conflict(_)
        | ErrorKind::Throttled { .. } => false,
        ErrorKind::Api(response) => !(400..500).contains(&response.status),
        _ => true,
    }
}

/// One deletion request; with a journal, its `sending` line is on disk before the request
/// leaves, and its answer after. Also gives the failure to write the answer's line, if any.
async fn delete(
    appliance: &Appliance,
    unit: Unit,
    tier: Option<BackupTier>,
    journal: Option<&Journal>,
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
        match tier {
            Some(tier) => appliance.delete_backups_in_tier(id, tier).await,
            None => appliance.delete_backups(id).await,
        }
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
            let session = appliance.job_session(&id).await;
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
