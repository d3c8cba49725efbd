//! One session handed to the follower and followed to its end, with its live line: the same
//! for the removals of `delete-backups` / `delete-snapshots` and for `restore-points delete`,
//! whose runs differ in what they follow a session for (a unit of items, a restore point).

use vbazure::{Appliance, FollowOptions, Session, SessionFollower};

use crate::args::Waiting;
use crate::progress::Line;

/// Where a session to follow comes from.
pub(crate) enum Start {
    /// A removal's answer (or a session found on the appliance).
    Session(Session),
    /// A session an earlier run's journal names: read first.
    Id(String),
}

/// A session to hand to the follower, with what it was started for and the live line that
/// shows it.
pub(crate) struct ToFollow<T> {
    pub follower: SessionFollower,
    /// What the session removes: given back with its outcome.
    pub item: T,
    /// How the live line names it.
    pub label: String,
    pub start: Start,
    pub line: Line,
}

/// Follows one session to its end (reading it first when only its id is known), its live line
/// updated on each change; gives back the item, the session id and the outcome.
pub(crate) async fn follow<T>(
    appliance: &Appliance,
    to_follow: ToFollow<T>,
) -> (T, String, Result<Session, vbazure::Error>) {
    let ToFollow {
        follower,
        item,
        label,
        start,
        line,
    } = to_follow;
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
    (item, id, result)
}

/// How the follower polls: at most `--max-requests-per-second`, with as many status requests
/// outstanding as removals (`--concurrency`), and at least the library's default.
pub(crate) fn follow_options(
    waiting: &Waiting,
    concurrency: u32,
    max_requests_per_second: f64,
) -> FollowOptions {
    let wait = waiting.options();
    let defaults = FollowOptions::default();
    let in_flight = defaults.in_flight.max(concurrency as usize);
    let mut options = defaults
        .with_requests_per_second(max_requests_per_second)
        .with_in_flight(in_flight)
        .with_intervals(wait.initial_interval, wait.max_interval);
    options.timeout = wait.timeout;
    options
}

/// How many more removals may be sent now: up to `--concurrency` in flight and, with `--wait`,
/// up to `--max-running` sessions followed, counting each removal in flight as one (its answer
/// may start a session). Without the second bound, removals answered faster than their
/// sessions end would pile followed sessions up without limit.
pub(crate) fn room(
    in_flight: usize,
    following: usize,
    concurrency: u32,
    max_running: Option<u32>,
) -> usize {
    let by_concurrency = (concurrency as usize).saturating_sub(in_flight);
    match max_running {
        Some(max) => by_concurrency.min((max as usize).saturating_sub(in_flight + following)),
        None => by_concurrency,
    }
}

#[cfg(test)]
mod tests {
    use super::room;

    #[test]
    fn removals_in_flight_count_against_both_bounds() {
        // Without --wait only --concurrency bounds.
        assert_eq!(room(1, 50_000, 4, None), 3);
        assert_eq!(room(4, 0, 4, None), 0);
        // With it, the sessions followed and those the removals in flight may start.
        assert_eq!(room(0, 0, 4, Some(10)), 4);
        assert_eq!(room(2, 6, 4, Some(10)), 2);
        assert_eq!(room(1, 8, 4, Some(10)), 1);
        assert_eq!(room(0, 10, 4, Some(10)), 0);
        // More followed than the bound (resumed sessions): none, and no overflow.
        assert_eq!(room(3, 40, 4, Some(10)), 0);
    }
}
