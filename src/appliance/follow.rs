//! Following many sessions at once.
//!
//! [`Appliance::wait_session`] polls one session in a loop of its own; a thousand of them would
//! be a thousand loops hitting the appliance at once. A [`SessionFollower`] has one poller for
//! every session handed to it: each session is polled on its own schedule (pauses that grow
//! from [`FollowOptions::interval`] to [`FollowOptions::max_interval`]), while the poller keeps
//! the appliance's request rate under [`FollowOptions::requests_per_second`] with at most
//! [`FollowOptions::in_flight`] requests outstanding. Deleting and following are apart: a
//! session is followed from the moment it starts, however many deletions are still to send.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use tokio::sync::{oneshot, Notify};
use tokio::time::Instant;

use super::Session;
use crate::operations::v1::GET_JOB_SESSION;
use crate::{Appliance, Error, ErrorKind, SessionStatus};

/// How a [`SessionFollower`] polls.
#[derive(Clone, Debug, PartialEq)]
pub struct FollowOptions {
    /// The most status requests the follower sends per second, all sessions together
    /// (default 50).
    pub requests_per_second: f64,
    /// The most status requests outstanding at once (default 16).
    pub in_flight: usize,
    /// The pause before a session's first poll; later pauses grow by half (default 1 s).
    pub interval: Duration,
    /// The longest pause between two polls of one session (default 15 s).
    pub max_interval: Duration,
    /// Give up on a session after this long; it goes on running on the appliance (default:
    /// no limit).
    pub timeout: Option<Duration>,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            requests_per_second: 50.0,
            in_flight: 16,
            interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            timeout: None,
        }
    }
}

type OnChange = Box<dyn FnMut(&Session) + Send>;

/// How much of a late wake-up counts towards the next sends.
const RATE_CREDIT: Duration = Duration::from_millis(10);

/// A session being followed.
struct Entry {
    session_id: String,
    last_status: SessionStatus,
    next_poll: Instant,
    pause: Duration,
    started: Instant,
    deadline: Option<Instant>,
    polling: bool,
    on_change: OnChange,
    done: Option<oneshot::Sender<Result<Session, Error>>>,
}

#[derive(Default)]
struct Followed {
    entries: HashMap<u64, Entry>,
    next_key: u64,
    /// Whether the poller task runs.
    running: bool,
}

struct Shared {
    appliance: Appliance,
    options: FollowOptions,
    followed: Mutex<Followed>,
    /// Wakes the poller when a session is added.
    added: Notify,
}

/// Follows many sessions to their end with one poller; from [`Appliance::follower`]. Cheap to
/// clone: clones share the poller.
#[derive(Clone)]
pub struct SessionFollower {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for SessionFollower {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionFollower")
            .field("options", &self.shared.options)
            .finish_non_exhaustive()
    }
}

impl Appliance {
    /// A follower for many sessions at once, polling as `options` says (see
    /// [`SessionFollower`]).
    pub fn follower(&self, options: FollowOptions) -> SessionFollower {
        SessionFollower {
            shared: Arc::new(Shared {
                appliance: self.clone(),
                options,
                followed: Mutex::new(Followed::default()),
                added: Notify::new(),
            }),
        }
    }
}

impl SessionFollower {
    /// Follows `session` until it is finished ([`Session::is_finished`]) and gives its final
    /// state. `on_change` sees the session now and each time its status changes, from the
    /// poller's task. Reaching [`FollowOptions::timeout`] gives [`ErrorKind::StillRunning`];
    /// dropping the returned future stops following (the session goes on on the appliance).
    pub async fn follow(
        &self,
        session: Session,
        mut on_change: impl FnMut(&Session) + Send + 'static,
    ) -> Result<Session, Error> {
        on_change(&session);
        if session.is_finished() {
            return Ok(session);
        }
        let (done, finished) = oneshot::channel();
        let now = Instant::now();
        let options = &self.shared.options;
        let key = {
            let mut followed = lock(&self.shared.followed);
            let key = followed.next_key;
            followed.next_key += 1;
            let deadline = options.timeout.map(|t| now + t);
            let first = now + options.interval;
            followed.entries.insert(
                key,
                Entry {
                    session_id: session.id.clone(),
                    last_status: session.status.clone(),
                    next_poll: deadline.map_or(first, |d| first.min(d)),
                    pause: options.interval,
                    started: now,
                    deadline,
                    polling: false,
                    on_change: Box::new(on_change),
                    done: Some(done),
                },
            );
            if !followed.running {
                followed.running = true;
                tokio::spawn(poll(self.shared.clone()));
            }
            key
        };
        self.shared.added.notify_one();
        // Stop following when the caller gives up on this future.
        let _forget = Forget {
            shared: &self.shared,
            key,
        };
        match finished.await {
            Ok(result) => result,
            // The poller ended without an answer (its runtime is shutting down).
            Err(_) => Err(Error::new(
                GET_JOB_SESSION,
                ErrorKind::InvalidRequest {
                    message: "the session follower stopped".to_string(),
                },
            )),
        }
    }

    /// How many sessions are being followed now.
    pub fn following(&self) -> usize {
        lock(&self.shared.followed).entries.len()
    }
}

/// Removes an entry when its `follow` future ends or is dropped.
struct Forget<'a> {
    shared: &'a Shared,
    key: u64,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        lock(&self.shared.followed).entries.remove(&self.key);
    }
}

fn lock(followed: &Mutex<Followed>) -> MutexGuard<'_, Followed> {
    // Every change under the lock is a plain assignment: a panic elsewhere leaves it usable.
    followed.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The poller: sends the due polls, within the rate and the in-flight bound, until nothing is
/// followed any more.
async fn poll(shared: Arc<Shared>) {
    let options = shared.options.clone();
    let spacing = if options.requests_per_second > 0.0 {
        Duration::from_secs_f64(1.0 / options.requests_per_second)
    } else {
        Duration::ZERO
    };
    let mut next_send = Instant::now();
    let mut polls = FuturesUnordered::new();
    loop {
        let now = Instant::now();
        let full = polls.len() >= options.in_flight.max(1);
        // When to look again without an answer or a new session to wake for: never while the
        // in-flight bound is reached (only an answer frees a place), at the next send the rate
        // allows, or when the next idle session is due.
        let mut wake_at: Option<Instant> = (!full && next_send > now).then_some(next_send);
        // Start every due poll the bounds allow, the longest-waiting first.
        if !full && next_send <= now {
            let mut followed = lock(&shared.followed);
            if followed.entries.is_empty() && polls.is_empty() {
                followed.running = false;
                return;
            }
            let mut due: Vec<(Instant, u64)> = followed
                .entries
                .iter()
                .filter(|(_, e)| !e.polling && e.done.is_some() && e.next_poll <= now)
                .map(|(key, e)| (e.next_poll, *key))
                .collect();
            due.sort();
            for (_, key) in due {
                if polls.len() >= options.in_flight.max(1) || next_send > Instant::now() {
                    break;
                }
                let Some(entry) = followed.entries.get_mut(&key) else {
                    continue;
                };
                if entry.deadline.is_some_and(|d| d <= now) {
                    let error = still_running(entry);
                    if let Some(done) = entry.done.take() {
                        let _ = done.send(Err(error));
                    }
                    continue;
                }
                entry.polling = true;
                let id = entry.session_id.clone();
                let appliance = shared.appliance.clone();
                polls.push(async move { (key, appliance.job_session(&id).await) });
                // Timers fire on millisecond ticks: a wake-up that came late keeps up to
                // 10 ms of its lateness as credit, so that the rate asked for is the rate sent.
                let floor = now.checked_sub(RATE_CREDIT).unwrap_or(now);
                next_send = next_send.max(floor) + spacing;
            }
            wake_at = followed
                .entries
                .values()
                .filter(|e| !e.polling && e.done.is_some())
                .map(|e| {
                    e.next_poll
                        .min(e.deadline.unwrap_or(e.next_poll))
                        .max(next_send)
                })
                .min();
        }
        tokio::select! {
            Some((key, result)) = polls.next(), if !polls.is_empty() => {
                settle(&shared, key, result);
            }
            _ = sleep_until_some(wake_at) => {}
            _ = shared.added.notified() => {}
        }
    }
}

/// Sleeps until `at`, or for ever without one (the other branches of the poller wake it).
async fn sleep_until_some(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// What a poll found: the session's new state, its end, or an error that ends its following.
fn settle(shared: &Shared, key: u64, result: Result<Session, Error>) {
    let mut followed = lock(&shared.followed);
    let Some(entry) = followed.entries.get_mut(&key) else {
        return; // Its caller gave up while the poll was out.
    };
    entry.polling = false;
    let session = match result {
        Ok(session) => session,
        Err(error) => {
            if let Some(done) = entry.done.take() {
                let _ = done.send(Err(error));
            }
            return;
        }
    };
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
    let options = &shared.options;
    entry.pause = (entry.pause + entry.pause / 2).min(options.max_interval);
    entry.next_poll = now + entry.pause;
    if let Some(deadline) = entry.deadline {
        entry.next_poll = entry.next_poll.min(deadline);
    }
}

fn still_running(entry: &Entry) -> Error {
    Error::new(
        GET_JOB_SESSION,
        ErrorKind::StillRunning {
            session_id: entry.session_id.clone(),
            status: entry.last_status.clone(),
            waited: entry.started.elapsed(),
        },
    )
}
