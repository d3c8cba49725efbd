//! The deletions sent, at most `--concurrency` at a time, each journaled before it leaves and
//! after its answer; with `--wait` every session that starts is handed at once to one
//! follower (whose poller bounds the status requests), as delete-backups does.

use std::collections::{BTreeMap, VecDeque};

use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use serde::Serialize;
use vbazure::{Appliance, ErrorKind, Session, SessionFollower, Workload};

use super::args::DeleteArgs;
use super::point::Point;
use super::tally::Tally;
use crate::delete::follow::{follow, follow_options, room, Start, ToFollow};
use crate::delete::interrupt::{resume_command, watch_interrupts};
use crate::delete::lookup::may_have_started;
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::output::{duration, printable, Printer};
use crate::progress::Progress;
use crate::{error_line, Failure};

/// What a deletion request gave.
enum Deleted {
    Started(Session),
    /// 404: the point is gone already.
    Gone,
    /// 423: the point is immutable; nothing was deleted.
    Locked(Failure),
    Failed(Failure),
}

/// A step as a JSON line (`--output json`): what happened to which point.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Step<'a> {
    event: &'static str,
    restore_point: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    item_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<&'a Session>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl<'a> Step<'a> {
    fn of(event: &'static str, point: &'a Point) -> Self {
        Self {
            event,
            restore_point: &point.id,
            item_id: point.item_id.as_deref(),
            item_name: point.item_name.as_deref(),
            session: None,
            error: None,
        }
    }
}

/// How lines name a point: `id  item`.
fn label(point: &Point) -> String {
    format!("{}  {}", point.id, point.item_label())
}

/// The run of the deletions.
pub(crate) struct Run<'a> {
    appliance: &'a Appliance,
    args: &'a DeleteArgs,
    workload: Workload,
    printer: &'a Printer,
    journal: Option<&'a Journal>,
    request_timeout: std::time::Duration,
    tally: Tally,
    progress: Progress,
    follower: Option<SessionFollower>,
    /// Sessions accepted and not seen to end: id → label.
    running: BTreeMap<String, String>,
    /// Why no more deletions start: the first Ctrl-C (`true`) or a journal line that could
    /// not be written (`false`).
    stop: Option<bool>,
}

/// What a [`Run`] needs besides the deletions.
pub(crate) struct Setting<'a> {
    pub appliance: &'a Appliance,
    pub args: &'a DeleteArgs,
    pub printer: &'a Printer,
    pub journal: Option<&'a Journal>,
    pub request_timeout: std::time::Duration,
    pub verbose: bool,
}

impl<'a> Run<'a> {
    pub(crate) fn new(setting: Setting<'a>, tally: Tally) -> Self {
        let Setting {
            appliance,
            args,
            printer,
            journal,
            request_timeout,
            verbose,
        } = setting;
        Self {
            appliance,
            args,
            workload: args.selectors.kind.workload(),
            printer,
            journal,
            request_timeout,
            tally,
            progress: Progress::new(args.wait && printer.for_people() && !verbose),
            follower: args.wait.then(|| {
                appliance.follower(follow_options(
                    &args.waiting,
                    args.concurrency,
                    args.max_requests_per_second,
                ))
            }),
            running: BTreeMap::new(),
            stop: None,
        }
    }

    /// Sends a deletion for each of `points`, follows what they start (with `--wait`) and
    /// the sessions of `starting` (an earlier run's), until all is done or the run is
    /// stopped; then reports and gives the exit code.
    pub(crate) async fn execute(
        mut self,
        points: Vec<Point>,
        starting: Vec<(Point, String)>,
    ) -> Exit {
        let (interrupts, mut interrupted) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(watch_interrupts(interrupts));
        let mut queue: VecDeque<Point> = points.into();
        let mut deletions = FuturesUnordered::new();
        let mut follows = FuturesUnordered::new();
        for (point, session) in starting {
            if let Some(to_follow) = self.resume(point, session) {
                follows.push(follow(self.appliance, to_follow));
            }
        }
        let max_running = self.args.wait.then_some(self.args.max_running);
        loop {
            let room = match self.stop {
                Some(_) => 0,
                None => room(
                    deletions.len(),
                    follows.len(),
                    self.args.concurrency,
                    max_running,
                ),
            };
            for point in queue.drain(..room.min(queue.len())) {
                deletions.push(delete(
                    self.appliance,
                    self.workload,
                    point,
                    self.journal,
                    self.request_timeout,
                ));
            }
            if deletions.is_empty() && (follows.is_empty() || self.stop.is_some()) {
                break;
            }
            tokio::select! {
                Some((point, deleted, journal_error)) = deletions.next() => {
                    if let Some(to_follow) = self.deleted(point, deleted, journal_error) {
                        follows.push(follow(self.appliance, to_follow));
                    }
                },
                Some((point, id, result)) = follows.next(), if self.stop.is_none() => {
                    self.followed(&point, &id, result);
                },
                Some(()) = interrupted.recv(), if self.stop.is_none() => {
                    self.stop = Some(true);
                    let in_flight = deletions.len();
                    self.progress.print(|| eprintln!(
                        "vbazure: interrupted: no more deletions are started; waiting for the \
                         {in_flight} request(s) in flight (Ctrl-C again exits at once)"
                    ));
                },
                else => break,
            }
        }
        drop(follows);
        self.finish(queue.len())
    }

    /// A session accepted in an earlier run: followed (with `--wait`), else reported.
    fn resume(&mut self, point: Point, id: String) -> Option<ToFollow<Point>> {
        self.running.insert(id.clone(), label(&point));
        match &self.follower {
            Some(follower) => Some(ToFollow {
                follower: follower.clone(),
                line: self
                    .progress
                    .line(format!("{}  session {id}", label(&point))),
                label: label(&point),
                item: point,
                start: Start::Id(id),
            }),
            None => {
                self.tally.started += 1;
                self.printer.text(&format!(
                    "{}  session {id}  accepted in an earlier run (not sent again)",
                    label(&point)
                ));
                None
            }
        }
    }

    /// A deletion's answer: counted and printed; a session it started is given back to be
    /// followed.
    fn deleted(
        &mut self,
        point: Point,
        deleted: Deleted,
        journal_error: Option<Failure>,
    ) -> Option<ToFollow<Point>> {
        if let Some(failure) = journal_error {
            eprintln!("error: {}; no more deletions are started", failure.message);
            self.tally.worst(Exit::Api);
            self.stop.get_or_insert(false);
        }
        let printer = self.printer;
        match deleted {
            Deleted::Started(session) => {
                self.running.insert(session.id.clone(), label(&point));
                if let (Some(follower), None) = (&self.follower, self.stop) {
                    let line = self.progress.line(format!(
                        "{}  session {}  {}",
                        label(&point),
                        session.id,
                        session.status
                    ));
                    return Some(ToFollow {
                        follower: follower.clone(),
                        label: label(&point),
                        item: point,
                        start: Start::Session(session),
                        line,
                    });
                }
                self.tally.started += 1;
                self.progress.print(|| {
                    printer.text(&format!(
                        "{}  session {}  {}",
                        label(&point),
                        session.id,
                        session.status
                    ));
                    printer.object(&Step {
                        session: Some(&session),
                        ..Step::of("accepted", &point)
                    });
                });
            }
            Deleted::Gone => {
                self.tally.gone += 1;
                self.progress.print(|| {
                    printer.text(&format!("{}  already gone (404)", label(&point)));
                    printer.object(&Step::of("gone", &point));
                });
            }
            Deleted::Locked(failure) => {
                self.tally.locked += 1;
                self.tally.worst(Exit::Api);
                self.progress.print(|| {
                    eprintln!("error: {}", failure.message);
                    printer.object(&Step {
                        error: Some(failure.message.clone()),
                        ..Step::of("locked", &point)
                    });
                });
            }
            Deleted::Failed(failure) => {
                self.tally.failed += 1;
                self.tally.worst(failure.exit);
                self.progress.print(|| {
                    eprintln!("error: {}", failure.message);
                    printer.object(&Step {
                        error: Some(failure.message.clone()),
                        ..Step::of("failed", &point)
                    });
                });
            }
        }
        None
    }

    /// A followed session's end (or the end of following it): journaled, counted, printed.
    fn followed(&mut self, point: &Point, id: &str, result: Result<Session, vbazure::Error>) {
        let printer = self.printer;
        match result {
            Ok(session) => {
                self.running.remove(id);
                let ended = Event::Ended {
                    at: journal::now(),
                    vms: vec![point.id.clone()],
                    session: session.id.clone(),
                    status: session.status.to_string(),
                };
                if let Some(Err(failure)) = self.journal.map(|j| j.record(&ended)) {
                    eprintln!("error: {}; no more deletions are started", failure.message);
                    self.tally.worst(Exit::Api);
                    self.stop.get_or_insert(false);
                }
                self.tally.count_ended(Exit::of_finished(&session));
                self.progress.print(|| {
                    printer.text(&format!(
                        "{}  session {}  {}  {}",
                        label(point),
                        session.id,
                        session.status,
                        duration(&session)
                    ));
                    printer.object(&Step {
                        session: Some(&session),
                        ..Step::of("ended", point)
                    });
                });
            }
            Err(error) => {
                let this = Exit::of_error(&error);
                if this == Exit::TimedOut {
                    self.tally.running += 1;
                } else {
                    self.tally.failed += 1;
                }
                self.tally.worst(this);
                self.progress
                    .print(|| eprintln!("error: {}", error_line(&label(point), &error)));
            }
        }
    }

    /// What was left when the run stopped, the summary line, and the exit code.
    fn finish(mut self, not_started: usize) -> Exit {
        if let Some(interrupted) = self.stop {
            if !self.running.is_empty() {
                eprintln!(
                    "vbazure: {} session(s) not seen to end; they go on on the appliance:",
                    self.running.len()
                );
                for (id, label) in &self.running {
                    eprintln!("  {label}  session {id}");
                }
            }
            if not_started > 0 {
                eprintln!("vbazure: {not_started} restore point(s) not sent");
            }
            match (&self.args.journal, interrupted) {
                (Some(_), true) => eprintln!(
                    "vbazure: to resume (what was accepted is followed, not sent again): {}",
                    resume_command()
                ),
                (Some(path), false) => eprintln!(
                    "vbazure: fix the journal {} (disk full? permissions?), then run the same \
                     command again to resume",
                    path.display()
                ),
                (None, _) => eprintln!(
                    "vbazure: run the same command again to delete the rest (the points deleted \
                     are gone from the selection; pass --journal FILE to make a run resumable \
                     with what was in flight): {}",
                    resume_command()
                ),
            }
            if interrupted {
                self.tally.worst(Exit::Interrupted);
            }
        }
        self.printer.summary(&self.tally.summary(self.args.wait));
        self.tally.exit.unwrap_or(Exit::Ok)
    }
}

/// One deletion; with a journal, its `sending` line is on disk before the request leaves,
/// and its answer after. Also gives the failure to write the answer's line, if any.
async fn delete(
    appliance: &Appliance,
    workload: Workload,
    point: Point,
    journal: Option<&Journal>,
    request_timeout: std::time::Duration,
) -> (Point, Deleted, Option<Failure>) {
    let context = label(&point);
    let vms = vec![point.id.clone()];
    if let Some(journal) = journal {
        let sending = Event::Sending {
            at: journal::now(),
            vms: vms.clone(),
            answer_by: Some(journal::from_now(request_timeout)),
        };
        if let Err(failure) = journal.record(&sending) {
            let not_sent = Failure::new(
                failure.exit,
                format!("{context}: not sent: {}", failure.message),
            );
            return (point, Deleted::Failed(not_sent), Some(failure));
        }
    }
    // Boxed: thousands of these futures may be queued in a big run.
    let outcome = Box::pin(appliance.delete_restore_point(workload, &point.id).send()).await;
    let at = journal::now();
    let (deleted, event) = match outcome {
        Ok(session) => {
            let event = Event::Accepted {
                at,
                vms,
                session: session.id.clone(),
                found: false,
            };
            (Deleted::Started(session), event)
        }
        Err(e) if matches!(e.kind(), ErrorKind::NotFound(_)) => {
            (Deleted::Gone, Event::NothingToDelete { at, vms })
        }
        Err(e) if e.is_locked() => {
            // The listing may not have shown the immutability (set since, or the
            // repository's): the appliance's own words then say until when.
            let said = e
                .problem()
                .and_then(|p| p.detail.as_deref())
                .map_or_else(String::new, |detail| format!(": {}", printable(detail)));
            let failure = Failure::new(
                Exit::Api,
                format!(
                    "{context}: locked: the point is immutable{} and the appliance refused to \
                     delete it (423{said}); the others go on",
                    point
                        .immutable_until
                        .as_ref()
                        .map_or_else(String::new, |t| format!(" until {t}"))
                ),
            );
            let error = e.to_string();
            (Deleted::Locked(failure), Event::Refused { at, vms, error })
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
    (point, deleted, journal_error)
}
