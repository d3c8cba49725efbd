//! The poller: one task that sends every due poll, each session's own `GET` or a page of a
//! list round, within the rate and the in-flight bound, and settles what comes back.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use tokio::time::Instant;

use super::{list, lock, Entry, FollowOptions, Followed, Shared};
use crate::appliance::{Session, SessionPage};
use crate::Error;

/// How much of a late wake-up counts towards the next sends.
const RATE_CREDIT: Duration = Duration::from_millis(10);

/// What came back: one session's own poll, or a page of a list round.
pub(super) enum Answer {
    Own(u64, Result<Session, Error>),
    Page(u64, Result<SessionPage, Error>),
}

type Request = Pin<Box<dyn Future<Output = Answer> + Send>>;

/// The requests out, and when the rate allows the next one.
pub(super) struct Sends {
    out: FuturesUnordered<Request>,
    next_send: Instant,
    spacing: Duration,
    in_flight: usize,
}

impl Sends {
    /// Whether one more request may be sent now.
    pub(super) fn open(&self) -> bool {
        self.out.len() < self.in_flight && self.next_send <= Instant::now()
    }

    /// Sends `request`, started at `now` (the poller's wake-up).
    pub(super) fn send(&mut self, now: Instant, request: Request) {
        self.out.push(request);
        // Timers fire on millisecond ticks: a wake-up that came late keeps up to 10 ms of its
        // lateness as credit, so that the rate asked for is the rate sent.
        let floor = now.checked_sub(RATE_CREDIT).unwrap_or(now);
        self.next_send = self.next_send.max(floor) + self.spacing;
    }
}

/// The poller: sends the due polls, within the rate and the in-flight bound, until nothing is
/// followed any more.
pub(super) async fn poll(shared: Arc<Shared>) {
    let options = shared.options.clone();
    let spacing = if options.requests_per_second > 0.0 {
        Duration::from_secs_f64(1.0 / options.requests_per_second)
    } else {
        Duration::ZERO
    };
    let mut sends = Sends {
        out: FuturesUnordered::new(),
        next_send: Instant::now(),
        spacing,
        in_flight: options.in_flight.max(1),
    };
    let mut rounds = list::Rounds::default();
    loop {
        let now = Instant::now();
        let full = sends.out.len() >= sends.in_flight;
        // When to look again without an answer or a new session to wake for: never while the
        // in-flight bound is reached (only an answer frees a place), at the next send the rate
        // allows, or when the next idle session is due.
        let mut wake_at: Option<Instant> =
            (!full && sends.next_send > now).then_some(sends.next_send);
        if !full && sends.next_send <= now {
            let mut followed = lock(&shared.followed);
            if followed.entries.is_empty() && sends.out.is_empty() {
                followed.running = false;
                return;
            }
            // The rounds under way first: their sessions are due already.
            rounds.send_pages(&shared, &mut sends, now);
            wake_at = send_due(&shared, &mut followed, &mut rounds, &mut sends, now);
            if rounds.pages_to_send() {
                wake_at = Some(wake_at.map_or(sends.next_send, |t| t.min(sends.next_send)));
            }
        }
        tokio::select! {
            Some(answer) = sends.out.next(), if !sends.out.is_empty() => match answer {
                Answer::Own(key, result) => settle(&shared, key, result),
                Answer::Page(round, result) => {
                    let mut followed = lock(&shared.followed);
                    rounds.answered(&shared.options, &mut followed, round, result);
                }
            },
            _ = sleep_until_some(wake_at) => {}
            _ = shared.added.notified() => {}
        }
    }
}

/// Ends the sessions whose time is up, and starts every due poll the bounds allow: each
/// session's own `GET`, the longest-waiting first, and a list round for the sessions that may
/// share one. Gives when to look again.
fn send_due(
    shared: &Shared,
    followed: &mut Followed,
    rounds: &mut list::Rounds,
    sends: &mut Sends,
    now: Instant,
) -> Option<Instant> {
    let lists = shared.lists();
    let mut due: Vec<(Instant, u64)> = followed
        .entries
        .iter()
        .filter(|(_, e)| e.idle() && e.next_poll <= now)
        .map(|(key, e)| (e.next_poll, *key))
        .collect();
    due.sort();
    let mut own = Vec::new();
    let mut listed = Vec::new();
    for (_, key) in due {
        let Some(entry) = followed.entries.get_mut(&key) else {
            continue;
        };
        if entry.deadline.is_some_and(|d| d <= now) {
            let error = still_running(&shared.appliance, entry);
            if let Some(done) = entry.done.take() {
                let _ = done.send(Err(error));
            }
        } else if lists && entry.listable() {
            listed.push(key);
        } else {
            own.push(key);
        }
    }
    // The due sessions that may share a list wait while another one will fall due before the
    // first of them has waited as long as it may (`Entry::latest`); then two or more make a
    // list, and one alone has its own `GET`, as on v1.
    let mut gathering: Option<Instant> = None;
    if !listed.is_empty() {
        let latest = listed
            .iter()
            .filter_map(|key| followed.entries.get(key))
            .map(Entry::latest)
            .min()
            .unwrap_or(now);
        let joining = now < latest
            && followed
                .entries
                .values()
                .any(|e| e.idle() && e.listable() && e.next_poll > now && e.next_poll <= latest);
        if joining {
            gathering = Some(latest);
        } else if listed.len() == 1 {
            own.append(&mut listed);
        }
    }
    for key in own {
        if !sends.open() {
            break;
        }
        let Some(entry) = followed.entries.get_mut(&key) else {
            continue;
        };
        entry.polling = true;
        entry.own_poll = false;
        let id = entry.session_id.clone();
        let appliance = shared.appliance.clone();
        sends.send(
            now,
            Box::pin(async move { Answer::Own(key, appliance.job_session(&id).await) }),
        );
    }
    if gathering.is_none() && listed.len() >= 2 && sends.open() {
        rounds.start(shared, followed, &listed, sends, now);
    }
    followed
        .entries
        .values()
        .filter(|e| e.idle())
        .map(|e| match gathering {
            Some(latest) if e.next_poll <= now && lists && e.listable() => latest,
            _ => e.next_poll.min(e.deadline.unwrap_or(e.next_poll)),
        })
        .min()
        .map(|at| at.max(sends.next_send))
}

/// Sleeps until `at`, or for ever without one (the other branches of the poller wake it).
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// How a poll was answered.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Via {
    /// The session's own `GET`.
    Own,
    /// A page of the session list.
    List,
}

/// What a session's own poll found: its new state, its end, or an error that ends its
/// following.
fn settle(shared: &Shared, key: u64, result: Result<Session, Error>) {
    let mut followed = lock(&shared.followed);
    let Some(entry) = followed.entries.get_mut(&key) else {
        return; // Its caller gave up while the poll was out.
    };
    entry.polling = false;
    match result {
        Ok(session) => found(entry, session, &shared.options, Via::Own),
        Err(error) => {
            if let Some(done) = entry.done.take() {
                let _ = done.send(Err(error));
            }
        }
    }
}

/// What a poll found of a session, by its own `GET` or in a list: the same whichever.
pub(super) fn found(entry: &mut Entry, session: Session, options: &FollowOptions, via: Via) {
    entry.polling = false;
    match via {
        Via::List => entry.listed = entry.listed.saturating_add(1),
        Via::Own => {
            if entry.listed >= entry.confirm_after {
                entry.confirm_after = entry.confirm_after.saturating_mul(2);
            }
            entry.listed = 0;
        }
    }
    if session.status != entry.last_status {
        entry.last_status = session.status.clone();
        (entry.on_change)(&session);
    }
    if session.is_finished() {
        if let Some(done) = entry.done.take() {
            let _ = done.send(Ok(session));
        }
        return;
    }
    let now = Instant::now();
    entry.pause = crate::appliance::wait::grown(entry.pause, options.max_interval);
    entry.next_poll = now + entry.pause;
    if let Some(deadline) = entry.deadline {
        entry.next_poll = entry.next_poll.min(deadline);
    }
}

fn still_running(appliance: &crate::Appliance, entry: &Entry) -> Error {
    crate::appliance::wait::still_running(
        appliance.operation_now(crate::appliance::dialect::Step::GetJobSession),
        entry.session_id.clone(),
        entry.last_status.clone(),
        entry.started,
    )
}
