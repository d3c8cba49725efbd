//! Following many sessions at once.
//!
//! [`Appliance::wait_session`] polls one session in a loop of its own; a thousand of them would
//! be a thousand loops hitting the appliance at once. A [`SessionFollower`] has one poller for
//! every session handed to it: each session is polled on its own schedule (pauses that grow
//! from [`FollowOptions::interval`] to [`FollowOptions::max_interval`]), while the poller keeps
//! the appliance's request rate under [`FollowOptions::requests_per_second`] with at most
//! [`FollowOptions::in_flight`] requests outstanding. Deleting and following are apart: a
//! session is followed from the moment it starts, however many deletions are still to send.
//!
//! # Many sessions per request (API v8.1)
//!
//! On API v1 every poll is a `GET jobSessions/{id}`. On an appliance known to speak API v8.1,
//! whose session list can be filtered, the sessions due for a poll together are read with the
//! session list instead ([`Appliance::job_sessions_page`] with a filter), so that following N
//! sessions costs about ⌈N / 100⌉ requests a round rather than N:
//!
//! - The list is used when at least two followed sessions are due at once; a session due on
//!   its own is read by its own `GET`, as on v1. So that sessions falling due a moment apart
//!   share a list, a due session may wait for others for up to a quarter of its current pause
//!   (only while another one will be due within that time).
//! - The request asks for `Types` = the due sessions' types (when every one is known and the
//!   filter accepts it; else no type filter), `FromUtc` = the earliest time a due session was
//!   handed to the follower (or started, when the appliance says it started earlier), less
//!   5 minutes for a difference between this machine's clock and the appliance's, and
//!   `Limit=100` (the document's default; it gives no maximum).
//! - Pages are read (`Offset`) until every due session has been seen or one is left (its own
//!   `GET` costs no more than a page, and is sure to show it); at most one page per two due
//!   sessions (each page must save requests) and as many pages as the followed sessions could
//!   fill plus 2 (the window also holds ended sessions and others'). The last page (short, or
//!   at `totalCount`) ends the reading, and so does a page that shows nothing new: an
//!   appliance that ignores `Offset` is not read for ever. Each page is one request within the
//!   rate and the in-flight bound.
//! - A due session the list did not show (outside the window, beyond the pages read, or an item
//!   the client cannot decode) is read by its own `GET` in the same round. A list that fails
//!   ends no session's following: its sessions are read by their own `GET`s that round (the
//!   failure is logged with `tracing`), and the next round tries the list again.
//! - A session answered by the list three times in a row is read by its own `GET` at its next
//!   poll, then after six more, twelve, and so on: the document does not promise that the list
//!   shows a session's latest state, and a list that lagged could otherwise hide a session's
//!   end for ever; over a session's life these reads grow as the logarithm of its polls.
//! - A followed session that a page shows finished ends there, due or not.
//!
//! What `follow` gives is the same either way: `on_change` sees the session when handed over
//! and at each change of status a poll finds, and the result is the session as the poll that
//! found it finished read it. [`FollowOptions::list_polling`] turns the list off.

mod list;
mod poller;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::{oneshot, Notify};
use tokio::time::Instant;

use super::dialect::Step;
use super::Session;
use crate::v8_1::types::SessionTypeFilter;
use crate::{Appliance, Error, ErrorKind, SessionStatus, Timestamp};

/// How a [`SessionFollower`] polls. Built from [`FollowOptions::default`] and its `with_`
/// methods (the struct may grow: it cannot be written as a literal outside this crate); the
/// names say what [`WaitOptions`](crate::WaitOptions)' say.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct FollowOptions {
    /// The most status requests the follower sends per second, all sessions together, a page
    /// of the session list counting as one (default 50).
    pub requests_per_second: f64,
    /// The most status requests outstanding at once, a page of the session list counting as
    /// one (default 16).
    pub in_flight: usize,
    /// The pause before a session's first poll; later pauses grow by half (default 1 s).
    pub initial_interval: Duration,
    /// The longest pause between two polls of one session (default 15 s).
    pub max_interval: Duration,
    /// Give up on a session after this long; it goes on running on the appliance (default:
    /// no limit).
    pub timeout: Option<Duration>,
    /// Whether sessions due together are read with one filtered session list on an appliance
    /// speaking API v8.1 (default on; see [`SessionFollower`]). Off, every poll is the
    /// session's own `GET jobSessions/{id}`, as on v1.
    pub list_polling: bool,
}

impl Default for FollowOptions {
    fn default() -> Self {
        Self {
            requests_per_second: 50.0,
            in_flight: 16,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
            timeout: None,
            list_polling: true,
        }
    }
}

impl FollowOptions {
    /// At most `requests_per_second` status requests a second, all sessions together.
    pub fn with_requests_per_second(mut self, requests_per_second: f64) -> Self {
        self.requests_per_second = requests_per_second;
        self
    }

    /// At most `in_flight` status requests outstanding at once.
    pub fn with_in_flight(mut self, in_flight: usize) -> Self {
        self.in_flight = in_flight;
        self
    }

    /// Pausing `initial` before a session's first poll, growing by half up to `max`.
    pub fn with_intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max;
        self
    }

    /// Giving up on a session after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// With the session list answering polls on v8.1, or not.
    pub fn with_list_polling(mut self, enabled: bool) -> Self {
        self.list_polling = enabled;
        self
    }
}

type OnChange = Box<dyn FnMut(&Session) + Send>;

/// A due session waits for others to share a list for up to its pause divided by this. A
/// quarter: a poll comes at most a quarter of its pause late (a session that ends is seen at
/// most that much later than without lists, and the pauses themselves grow by half a poll),
/// while sessions handed over one after another, as a bulk deletion does, fall due in groups
/// of a quarter of a pause, one list each.
const GATHER_DIVISOR: u32 = 4;

/// After this many polls answered by the list in a row, a session's next poll is its own
/// `GET`; each such `GET` doubles the number (see the module's documentation). Three keeps
/// sessions that end within a few polls free of any `GET`. Besides a list that lags on a real
/// appliance, this is what moves the project's mock on: with `Progress::Polls` its sessions
/// advance only when read by their own `GET`.
const FIRST_CONFIRMATION: u32 = 3;

/// A session being followed.
struct Entry {
    session_id: String,
    /// The id as list items are matched with it (UUIDs, in lower case); `None` for a session
    /// without an id, which no list can show.
    list_id: Option<String>,
    /// Its kind as the list's `Types` filter names it, when known and accepted there.
    list_type: Option<SessionTypeFilter>,
    /// When it was handed to the follower (this machine's clock), or when it started (the
    /// appliance's) if that is earlier: a list of the sessions since then shows it.
    since: Timestamp,
    last_status: SessionStatus,
    next_poll: Instant,
    pause: Duration,
    started: Instant,
    deadline: Option<Instant>,
    /// A poll of it is out: its own `GET`, or a list it is due in.
    polling: bool,
    /// Its next poll is its own `GET` (the last list did not show it).
    own_poll: bool,
    /// Polls answered by the list since its last own `GET`.
    listed: u32,
    /// After how many of those its next poll is its own `GET`.
    confirm_after: u32,
    on_change: OnChange,
    done: Option<oneshot::Sender<Result<Session, Error>>>,
}

impl Entry {
    /// Whether it waits for a poll (none is out, and its caller still waits).
    fn idle(&self) -> bool {
        !self.polling && self.done.is_some()
    }

    /// Whether its next poll may be a list's.
    fn listable(&self) -> bool {
        self.list_id.is_some() && !self.own_poll && self.listed < self.confirm_after
    }

    /// The latest its poll may be put off to, waiting for others to share a list.
    fn latest(&self) -> Instant {
        let latest = self.next_poll + self.pause / GATHER_DIVISOR;
        self.deadline.map_or(latest, |d| latest.min(d))
    }
}

#[derive(Default)]
struct Followed {
    entries: HashMap<u64, Entry>,
    /// The keys of the entries by [`Entry::list_id`] (a session may be followed twice).
    by_id: HashMap<String, Vec<u64>>,
    next_key: u64,
    /// Whether the poller task runs.
    running: bool,
}

impl Followed {
    fn remove(&mut self, key: u64) {
        let Some(entry) = self.entries.remove(&key) else {
            return;
        };
        if let Some(id) = entry.list_id {
            if let Some(keys) = self.by_id.get_mut(&id) {
                keys.retain(|k| *k != key);
                if keys.is_empty() {
                    self.by_id.remove(&id);
                }
            }
        }
    }
}

struct Shared {
    appliance: Appliance,
    options: FollowOptions,
    followed: Mutex<Followed>,
    /// Wakes the poller when a session is added.
    added: Notify,
}

impl Shared {
    /// Whether polls may go through the session list now: allowed, and the appliance is known
    /// to speak a version whose session list takes filters (v8.1). Before the version is known
    /// (found out by the first request) polls are each session's own, which find it out.
    fn lists(&self) -> bool {
        self.options.list_polling && self.appliance.filters_sessions_now()
    }
}

/// Follows many sessions to their end with one poller; from [`Appliance::follower`]. Cheap to
/// clone: clones share the poller.
///
/// Each session is polled on its own schedule, all of them within
/// [`FollowOptions::requests_per_second`] and [`FollowOptions::in_flight`]. On API v1 a poll is
/// the session's `GET jobSessions/{id}`. On an appliance speaking API v8.1, two or more
/// sessions due at once are read with one filtered session list instead
/// ([`Appliance::job_sessions_page`] with a filter: `Types` the due sessions' kinds, `FromUtc`
/// 5 minutes before the earliest was handed over or started, `Limit=100`), a page per
/// request, so that N
/// sessions cost about ⌈N / 100⌉ requests a round; a due session may wait up to a quarter of
/// its pause for others to share the list. A session the list does not show, or shows in a
/// form the client cannot decode, is read by its own `GET` in the same round, as are all of
/// them when the list fails; and every session is also read by its own `GET` after 3 polls
/// answered by the list, then 6, 12, …, in case the list lags. What `follow` gives and what
/// `on_change` sees do not depend on how the polls went.
/// [`FollowOptions::list_polling`] turns the list off.
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
        // The window of a list starts at the handing over, by this machine's clock; a session
        // that started earlier (by the appliance's clock, as when a run resumes sessions an
        // earlier run started) widens it, or no list would ever show it.
        let handed = Timestamp::from(chrono::DateTime::<chrono::Utc>::from(
            std::time::SystemTime::now(),
        ));
        let since = session
            .execution_start_time
            .map_or(handed, |s| s.min(handed));
        let list_id = (!session.id.trim().is_empty()).then(|| session.id.to_ascii_lowercase());
        let list_type = session
            .session_type
            .as_ref()
            .and_then(|t| t.as_str().parse::<SessionTypeFilter>().ok());
        let options = &self.shared.options;
        let key = {
            let mut followed = lock(&self.shared.followed);
            let key = followed.next_key;
            followed.next_key += 1;
            let deadline = options.timeout.map(|t| now + t);
            let first = now + options.initial_interval;
            if let Some(id) = &list_id {
                followed.by_id.entry(id.clone()).or_default().push(key);
            }
            followed.entries.insert(
                key,
                Entry {
                    session_id: session.id.clone(),
                    list_id,
                    list_type,
                    since,
                    last_status: session.status.clone(),
                    next_poll: deadline.map_or(first, |d| first.min(d)),
                    pause: options.initial_interval,
                    started: now,
                    deadline,
                    polling: false,
                    own_poll: false,
                    listed: 0,
                    confirm_after: FIRST_CONFIRMATION,
                    on_change: Box::new(on_change),
                    done: Some(done),
                },
            );
            if !followed.running {
                followed.running = true;
                tokio::spawn(poller::poll(self.shared.clone()));
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
                self.shared.appliance.operation_now(Step::GetJobSession),
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
        lock(&self.shared.followed).remove(self.key);
    }
}

fn lock(followed: &Mutex<Followed>) -> MutexGuard<'_, Followed> {
    // Every change under the lock is a plain assignment: a panic elsewhere leaves it usable.
    followed.lock().unwrap_or_else(PoisonError::into_inner)
}
