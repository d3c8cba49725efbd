//! The appliance's state: tokens and job sessions.
//!
//! Every decision that depends on time (a token's expiry, a session finishing after a while)
//! reads tokio's clock, so tests can pause and advance it instead of sleeping. The times
//! written in bodies (`executionStartTime`, `.issued`...) are wall-clock times.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::config::{FinalStatus, Progress};
use crate::dotnet::{time_span, timestamp};

#[derive(Debug)]
struct AccessToken {
    expires: Instant,
}

/// The session statuses the mock uses, of those the spec's `SessionStatus` lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Running,
    Canceling,
    Canceled,
    Success,
    Warning,
    Error,
}

impl Status {
    /// As the API writes it.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Running => "Running",
            Self::Canceling => "Canceling",
            Self::Canceled => "Canceled",
            Self::Success => "Success",
            Self::Warning => "Warning",
            Self::Error => "Error",
        }
    }
}

impl From<FinalStatus> for Status {
    fn from(status: FinalStatus) -> Self {
        match status {
            FinalStatus::Success => Self::Success,
            FinalStatus::Warning => Self::Warning,
            FinalStatus::Error => Self::Error,
        }
    }
}

/// One record of a session's log.
#[derive(Debug)]
struct LogItem {
    at: DateTime<Utc>,
    status: Status,
    message: String,
}

impl LogItem {
    fn new(at: DateTime<Utc>, status: Status, message: String) -> Self {
        Self {
            at,
            status,
            message,
        }
    }

    fn to_json(&self) -> Value {
        json!({
            "logTime": timestamp(self.at),
            "status": self.status.as_str(),
            "message": self.message,
            "executionStartTime": timestamp(self.at),
            "executionDuration": time_span(TimeDelta::zero()),
        })
    }
}

#[derive(Debug)]
pub(crate) struct Session {
    pub id: u64,
    vm_id: String,
    status: Status,
    started: DateTime<Utc>,
    started_at: Instant,
    stopped: Option<DateTime<Utc>>,
    polls: u32,
    usn: i64,
    log: Vec<LogItem>,
}

/// Tokens and sessions, behind one lock; no lock is held across an await.
#[derive(Debug, Default)]
pub(crate) struct State {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    sessions: BTreeMap<u64, Session>,
    next_session: u64,
}

/// The wall-clock time as a .NET server keeps it: 100 ns ticks.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.with_nanosecond(now.nanosecond() / 100 * 100)
        .unwrap_or(now)
}

fn random_token() -> String {
    (0..4)
        .map(|_| format!("{:016x}", fastrand::u64(..)))
        .collect()
}

/// The number a session id names: only the text the mock wrote (`"11"`), not another spelling
/// of the same number (`"011"`, `"+11"`), which the appliance would not know either.
fn session_number(id: &str) -> Option<u64> {
    let number: u64 = id.parse().ok()?;
    (number.to_string() == id).then_some(number)
}

impl State {
    pub(crate) fn new() -> Self {
        Self {
            next_session: 1,
            ..Self::default()
        }
    }

    /// A new token pair for an account.
    pub(crate) fn issue_tokens(&mut self, username: &str, lifetime: Duration) -> Value {
        let access = random_token();
        let refresh = random_token();
        let now_instant = Instant::now();
        // A long-running mock issues many tokens: forget the expired ones.
        self.access.retain(|_, token| token.expires > now_instant);
        self.access.insert(
            access.clone(),
            AccessToken {
                expires: now_instant + lifetime,
            },
        );
        self.refresh.insert(refresh.clone(), username.to_string());
        let issued = now();
        json!({
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": lifetime.as_secs(),
            ".issued": timestamp(issued),
            ".expires": timestamp(issued + TimeDelta::from_std(lifetime).unwrap_or_default()),
        })
    }

    /// Uses up a refresh token; the account it was issued to.
    pub(crate) fn redeem_refresh(&mut self, token: &str) -> Option<String> {
        self.refresh.remove(token)
    }

    pub(crate) fn access_is_valid(&self, token: &str) -> bool {
        self.access
            .get(token)
            .is_some_and(|t| Instant::now() < t.expires)
    }

    pub(crate) fn start_deletion(&mut self, vm_id: &str) -> u64 {
        let id = self.next_session;
        self.next_session += 1;
        let started = now();
        self.sessions.insert(
            id,
            Session {
                id,
                vm_id: vm_id.to_string(),
                status: Status::Running,
                started,
                started_at: Instant::now(),
                stopped: None,
                polls: 0,
                usn: 0,
                log: vec![LogItem::new(
                    started,
                    Status::Success,
                    format!("Backup deletion of virtual machine {vm_id} has started"),
                )],
            },
        );
        id
    }

    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.sessions.get_mut(&session_number(id)?)
    }

    pub(crate) fn sessions_mut(&mut self) -> impl Iterator<Item = &mut Session> {
        self.sessions.values_mut()
    }

    pub(crate) fn session_count(&self) -> usize {
        self.sessions.len()
    }
}

impl Session {
    /// Moves the session on: a read counts as a poll; time passes.
    pub(crate) fn advance(
        &mut self,
        (progress, final_status): (Progress, FinalStatus),
        polled: bool,
    ) {
        if polled {
            self.polls += 1;
        }
        let due = match progress {
            Progress::Polls(n) => self.polls >= n,
            Progress::Time(d) => self.started_at.elapsed() >= d,
        };
        match self.status {
            Status::Running if due => {
                let status = Status::from(final_status);
                let vm = &self.vm_id;
                let message = match status {
                    Status::Success => format!("Backups of virtual machine {vm} have been removed"),
                    Status::Warning => {
                        format!("Backups of virtual machine {vm} have been removed with warnings")
                    }
                    _ => format!("Failed to remove the backups of virtual machine {vm}"),
                };
                self.finish(status, message);
            }
            Status::Running if polled => {
                let message = format!(
                    "Removing restore points of virtual machine {} (step {})",
                    self.vm_id, self.polls
                );
                self.log.push(LogItem::new(now(), Status::Success, message));
                self.usn += 1;
            }
            // A stop takes effect at the next read.
            Status::Canceling if polled || due => self.finish(
                Status::Canceled,
                "The session was stopped by a user".to_string(),
            ),
            _ => {}
        }
    }

    fn finish(&mut self, status: Status, message: String) {
        let at = now();
        self.status = status;
        self.stopped = Some(at);
        self.usn += 1;
        self.log.push(LogItem::new(at, status, message));
    }

    /// Asks a running session to stop; false when it has already ended.
    pub(crate) fn request_stop(&mut self) -> bool {
        match self.status {
            Status::Running => {
                self.status = Status::Canceling;
                self.usn += 1;
                self.log.push(LogItem::new(
                    now(),
                    Status::Warning,
                    "Stop requested by a user".to_string(),
                ));
                true
            }
            Status::Canceling => true,
            _ => false,
        }
    }

    pub(crate) fn to_json(&self, base_url: &str, with_localized_type: bool) -> Value {
        let end = self.stopped.unwrap_or_else(now);
        // The wall clock can step back: a session never ran for less than nothing.
        let elapsed = (end - self.started).max(TimeDelta::zero());
        let url = format!("{base_url}/api/v1/jobSessions/{}", self.id);
        let mut body = json!({
            "id": self.id.to_string(),
            "type": "BackupDeletion",
            "executionStartTime": timestamp(self.started),
            "executionDuration": time_span(elapsed),
            "status": self.status.as_str(),
            "usn": self.usn,
            "_links": {"self": {"href": url}, "log": {"href": format!("{url}/log")}},
        });
        if with_localized_type {
            body["localizedType"] = json!("Backup Deletion");
        }
        if let Some(stopped) = self.stopped {
            body["executionStopTime"] = json!(timestamp(stopped));
        }
        body
    }

    pub(crate) fn log_json(&self) -> Value {
        let log: Vec<Value> = self.log.iter().map(LogItem::to_json).collect();
        json!({"jobSessionId": self.id.to_string(), "log": log})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_are_found_by_the_id_the_mock_wrote_only() {
        let mut state = State::new();
        let id = state.start_deletion("vm-1");
        assert_eq!(id, 1);
        assert!(state.session_mut("1").is_some());
        for other in [
            "01",
            "+1",
            " 1",
            "1.0",
            "2",
            "",
            "-1",
            "18446744073709551616",
        ] {
            assert!(state.session_mut(other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn statuses_are_written_as_the_api_does() {
        let written: Vec<&str> = [
            Status::Running,
            Status::Canceling,
            Status::Canceled,
            Status::Success,
            Status::Warning,
            Status::Error,
        ]
        .into_iter()
        .map(Status::as_str)
        .collect();
        assert_eq!(
            written,
            [
                "Running",
                "Canceling",
                "Canceled",
                "Success",
                "Warning",
                "Error"
            ]
        );
        for status in written {
            assert!(
                crate::SPEC.contains(&format!("        - {status}\n")),
                "{status} is a documented SessionStatus"
            );
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_session_finishes_after_its_time_on_tokios_clock() {
        let progression = (
            Progress::Time(Duration::from_secs(60)),
            FinalStatus::Warning,
        );
        let mut state = State::new();
        let id = state.start_deletion("vm-1").to_string();
        let session = state.session_mut(&id).expect("the session");
        session.advance(progression, false);
        assert_eq!(session.status, Status::Running);
        tokio::time::advance(Duration::from_secs(59)).await;
        session.advance(progression, false);
        assert_eq!(session.status, Status::Running);
        tokio::time::advance(Duration::from_secs(1)).await;
        session.advance(progression, false);
        assert_eq!(session.status, Status::Warning);
        assert_eq!(session.to_json("http://mock", true)["status"], "Warning");
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_on_tokios_clock() {
        let mut state = State::new();
        let answer = state.issue_tokens("administrator", Duration::from_secs(3600));
        let token = answer["access_token"]
            .as_str()
            .expect("a token")
            .to_string();
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(3599)).await;
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(!state.access_is_valid(&token), "expired after its lifetime");
    }
}
