//! The last stage: the removals sent, a few at a time, and every session that starts handed
//! at once to one follower. A [`Run`] owns what the stage counts and prints; the requests it
//! makes are [`send::delete`](super::send::delete) and [`follow`].

use std::collections::{BTreeMap, VecDeque};

use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use vbazure::{Appliance, Session, SessionFollower};

use super::follow::{follow, follow_options, room, Start, ToFollow};
use super::interrupt::{report_stopped, watch_interrupts};
use super::plan::Unit;
use super::send::{delete, Deleted};
use super::tally::{summary, Tally};
use super::{Context, Target};
use crate::args::DeleteOptions;
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::output::duration;
use crate::progress::Progress;
use crate::{error_line, Failure};

/// Why no more deletions are started.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Stop {
    /// The first Ctrl-C.
    Interrupted,
    /// The journal could not be written: no step may go unrecorded.
    Journal,
}

/// The run of the deletions: its settings, what it has counted, the sessions not seen to end,
/// and why it stopped starting deletions, if it did.
pub(super) struct Run<'a> {
    appliance: &'a Appliance,
    args: &'a DeleteOptions,
    /// What is removed, of which kind of item.
    target: Target,
    cx: &'a Context,
    journal: Option<&'a Journal>,
    /// How many items the command was given (for the summary).
    total: usize,
    tally: Tally,
    progress: Progress,
    follower: Option<SessionFollower>,
    /// Sessions accepted and not seen to end: id → label.
    running: BTreeMap<String, String>,
    stop: Option<Stop>,
}

impl<'a> Run<'a> {
    /// A run that goes on from `tally` (what the earlier stages settled).
    pub(super) fn new(
        appliance: &'a Appliance,
        args: &'a DeleteOptions,
        target: Target,
        cx: &'a Context,
        journal: Option<&'a Journal>,
        tally: Tally,
        total: usize,
    ) -> Self {
        Self {
            appliance,
            args,
            target,
            cx,
            journal,
            total,
            tally,
            progress: Progress::new(args.wait && cx.printer.for_people() && !cx.verbose),
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

    /// Sends `units`, at most `--concurrency` at a time, follows what they start (with
    /// `--wait`) and the sessions of `starting` (found or resumed), until all is done or the
    /// run is stopped; then reports and gives the exit code.
    pub(super) async fn execute(mut self, units: Vec<Unit>, starting: Vec<(Unit, Start)>) -> Exit {
        let requests = units.len();
        let (interrupts, mut interrupted) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(watch_interrupts(interrupts));
        let mut queue: VecDeque<Unit> = units.into();
        let mut deletions = FuturesUnordered::new();
        let mut follows = FuturesUnordered::new();
        for (unit, start) in starting {
            if let Some(to_follow) = self.resume(unit, start) {
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
            for unit in queue.drain(..room.min(queue.len())) {
                deletions.push(delete(
                    self.appliance,
                    self.target,
                    unit,
                    self.journal,
                    self.cx.request_timeout,
                ));
            }
            if deletions.is_empty() && (follows.is_empty() || self.stop.is_some()) {
                break;
            }
            tokio::select! {
                Some((unit, deleted, journal_error)) = deletions.next() => {
                    if let Some(to_follow) = self.deleted(unit, deleted, journal_error) {
                        follows.push(follow(self.appliance, to_follow));
                    }
                },
                Some((unit, id, result)) = follows.next(), if self.stop.is_none() => {
                    self.followed(unit, &id, result);
                },
                Some(()) = interrupted.recv(), if self.stop.is_none() => {
                    self.interrupted(deletions.len());
                },
                else => break,
            }
        }
        drop(follows);
        self.finish(&queue, requests)
    }

    /// A session found on the appliance or accepted in an earlier run: followed (with
    /// `--wait`), or else counted as started.
    fn resume(&mut self, unit: Unit, start: Start) -> Option<ToFollow<Unit>> {
        let id = match &start {
            Start::Session(session) => session.id.clone(),
            Start::Id(id) => id.clone(),
        };
        if let Start::Id(_) = &start {
            self.tally.sessions += 1;
        }
        self.running.insert(id.clone(), unit.label.clone());
        match &self.follower {
            Some(follower) => Some(ToFollow {
                follower: follower.clone(),
                line: self.progress.line(format!("{}  session {id}", unit.label)),
                label: unit.label.clone(),
                item: unit,
                start,
            }),
            None => {
                self.tally.started += unit.ids.len();
                if let Start::Id(_) = &start {
                    self.cx.printer.text(&format!(
                        "{}  session {id}  accepted in an earlier run (not sent again)",
                        unit.label
                    ));
                }
                None
            }
        }
    }

    /// A deletion's answer: counted and printed, and a session it started given back to be
    /// followed.
    fn deleted(
        &mut self,
        unit: Unit,
        deleted: Deleted,
        journal_error: Option<Failure>,
    ) -> Option<ToFollow<Unit>> {
        if let Some(failure) = journal_error {
            self.journal_failed(&failure);
        }
        let printer = &self.cx.printer;
        match deleted {
            Deleted::Started(session) => {
                self.tally.sessions += 1;
                self.running.insert(session.id.clone(), unit.label.clone());
                match &self.follower {
                    Some(follower) if self.stop.is_none() => {
                        let line = self.progress.line(format!(
                            "{}  session {}  {}",
                            unit.label, session.id, session.status
                        ));
                        return Some(ToFollow {
                            follower: follower.clone(),
                            label: unit.label.clone(),
                            item: unit,
                            start: Start::Session(session),
                            line,
                        });
                    }
                    _ => {
                        self.tally.started += unit.ids.len();
                        self.progress.print(|| {
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
                self.tally.nothing += unit.ids.len();
                let what = self.target.what();
                self.progress
                    .print(|| printer.text(&format!("{}  no {what} to delete", unit.label)));
            }
            Deleted::Failed(failure) => {
                self.tally.failed += unit.ids.len();
                self.tally.worst(failure.exit);
                self.progress
                    .print(|| eprintln!("error: {}", failure.message));
            }
        }
        None
    }

    /// A followed session's end (or the end of following it): journaled, counted, printed.
    fn followed(&mut self, unit: Unit, id: &str, result: Result<Session, vbazure::Error>) {
        let printer = &self.cx.printer;
        match result {
            Ok(session) => {
                self.running.remove(id);
                let ended = Event::Ended {
                    at: journal::now(),
                    vms: unit.ids.clone(),
                    session: session.id.clone(),
                    status: session.status.to_string(),
                };
                if let Some(Err(failure)) = self.journal.map(|j| j.record(&ended)) {
                    self.journal_failed(&failure);
                }
                let this = Exit::of_finished(&session);
                self.tally.count_ended(this, unit.ids.len());
                self.progress.print(|| {
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
                    self.tally.running += unit.ids.len();
                } else {
                    self.tally.failed += unit.ids.len();
                }
                self.tally.worst(this);
                self.progress
                    .print(|| eprintln!("error: {}", error_line(&unit.label, &error)));
            }
        }
    }

    /// A journal line that could not be written: no step may go unrecorded, so no more
    /// deletions start.
    fn journal_failed(&mut self, failure: &Failure) {
        eprintln!("error: {}; no more deletions are started", failure.message);
        self.tally.worst(Exit::Api);
        self.stop.get_or_insert(Stop::Journal);
    }

    /// The first Ctrl-C: no more deletions start; those in flight are waited for.
    fn interrupted(&mut self, in_flight: usize) {
        self.stop = Some(Stop::Interrupted);
        self.progress.print(|| {
            eprintln!(
                "vbazure: interrupted: no more deletions are started; waiting for the \
                 {in_flight} request(s) in flight (Ctrl-C again exits at once)"
            )
        });
    }

    /// What was left when the run stopped, the summary line, and the exit code.
    fn finish(mut self, queue: &VecDeque<Unit>, requests: usize) -> Exit {
        if let Some(stop) = self.stop {
            let not_started: Vec<String> =
                queue.iter().flat_map(|u| u.ids.iter().cloned()).collect();
            let interrupted = stop == Stop::Interrupted;
            report_stopped(
                &self.running,
                &not_started,
                self.args,
                self.target,
                interrupted,
            );
            if interrupted {
                self.tally.worst(Exit::Interrupted);
            }
        }
        let batches = (self.args.batch || self.target.batch_only()).then_some(requests);
        self.cx.printer.summary(&summary(
            self.target,
            self.total,
            &self.tally,
            self.args.wait,
            batches,
        ));
        self.tally.exit.unwrap_or(Exit::Ok)
    }
}
