//! Following a session until it ends.

use std::time::Duration;

use tokio::time::Instant;

use super::dialect::Step;
use super::Session;
use crate::{Appliance, Error, ErrorKind, SessionStatus};

/// How [`Appliance::wait`] polls. Built from [`WaitOptions::default`] and its `with_`
/// methods (the struct may grow: it cannot be written as a literal outside this crate).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WaitOptions {
    /// Give up after this long (the session keeps running on the appliance). `None` waits for
    /// as long as it takes.
    pub timeout: Option<Duration>,
    /// The pause after the first poll.
    pub initial_interval: Duration,
    /// The longest pause between polls; pauses grow by half each time up to it.
    pub max_interval: Duration,
}

impl Default for WaitOptions {
    fn default() -> Self {
        Self {
            timeout: None,
            initial_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(15),
        }
    }
}

impl WaitOptions {
    /// Giving up after `timeout`.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Pausing `initial` after the first poll, growing by half up to `max`.
    pub fn with_intervals(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_interval = initial;
        self.max_interval = max;
        self
    }
}

impl Appliance {
    /// Polls the session `session_id` until it is finished
    /// ([`Session::is_finished`]) and returns its final state. `on_change` sees the session
    /// when it is first read and each time its status changes.
    ///
    /// Reaching the deadline gives [`ErrorKind::StillRunning`]: the wait ends, the session does
    /// not.
    pub async fn wait(
        &self,
        session_id: &str,
        options: &WaitOptions,
        on_change: impl FnMut(&Session),
    ) -> Result<Session, Error> {
        self.follow(session_id.to_string(), None, options, on_change)
            .await
    }

    /// [`wait`](Self::wait) on a session already read, such as the one `delete_backups`
    /// started; it is returned at once when it has already finished.
    pub async fn wait_session(
        &self,
        session: Session,
        options: &WaitOptions,
        on_change: impl FnMut(&Session),
    ) -> Result<Session, Error> {
        self.follow(session.id.clone(), Some(session), options, on_change)
            .await
    }

    async fn follow(
        &self,
        session_id: String,
        mut known: Option<Session>,
        options: &WaitOptions,
        mut on_change: impl FnMut(&Session),
    ) -> Result<Session, Error> {
        // A session without a usable id cannot be polled: say so before any pause.
        let operation = self.operation_now(Step::GetJobSession);
        crate::transport::path_segment::check(operation, "session id", &session_id)?;
        let started = Instant::now();
        let deadline = options.timeout.map(|t| started + t);
        let mut interval = options.initial_interval;
        let mut last_status: Option<SessionStatus> = None;
        loop {
            let session = match known.take() {
                Some(session) => session,
                None => {
                    let poll = self.job_session(&session_id);
                    match deadline {
                        Some(deadline) => match tokio::time::timeout_at(deadline, poll).await {
                            Ok(result) => result?,
                            Err(_) => {
                                return Err(still_running(
                                    operation,
                                    session_id,
                                    last_status.unwrap_or(SessionStatus::Running),
                                    started,
                                ))
                            }
                        },
                        None => poll.await?,
                    }
                }
            };
            if last_status.as_ref() != Some(&session.status) {
                last_status = Some(session.status.clone());
                on_change(&session);
            }
            if session.is_finished() {
                return Ok(session);
            }
            let mut pause = interval;
            if let Some(deadline) = deadline {
                let now = Instant::now();
                if now >= deadline {
                    return Err(still_running(
                        operation,
                        session_id,
                        last_status.unwrap_or(SessionStatus::Running),
                        started,
                    ));
                }
                pause = pause.min(deadline - now);
            }
            tokio::time::sleep(pause).await;
            interval = grown(interval, options.max_interval);
        }
    }
}

/// The pause after `pause`: half as long again, up to `max` (every poll loop of the client
/// backs off so).
pub(super) fn grown(pause: Duration, max: Duration) -> Duration {
    (pause + pause / 2).min(max)
}

/// The error of a wait that ended before the session did (the one- and the many-session
/// followers give the same), named after the polls' `operation`.
pub(super) fn still_running(
    operation: &'static str,
    session_id: String,
    status: SessionStatus,
    started: Instant,
) -> Error {
    Error::new(
        operation,
        ErrorKind::StillRunning {
            session_id,
            status,
            waited: started.elapsed(),
        },
    )
}
