//! The appliance's state: tokens and job sessions.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant};

use chrono::{DateTime, Timelike, Utc};
use serde_json::{json, Value};
use vbazure::{TimeSpan, Timestamp};

use crate::config::{FinalStatus, Progress};

#[derive(Debug)]
struct AccessToken {
    expires: Instant,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub id: u64,
    vm_id: String,
    status: &'static str,
    started: DateTime<Utc>,
    started_at: Instant,
    stopped: Option<DateTime<Utc>>,
    polls: u32,
    usn: i64,
    log: Vec<Value>,
}

/// Tokens and sessions, behind one lock; no lock is held across an await.
#[derive(Debug, Default)]
pub(crate) struct State {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    sessions: BTreeMap<u64, Session>,
    next_session: u64,
}

/// The time as a .NET server keeps it: 100 ns ticks.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.with_nanosecond(now.nanosecond() / 100 * 100)
        .unwrap_or(now)
}

fn timestamp(t: DateTime<Utc>) -> String {
    Timestamp::from(t).to_string()
}

fn random_token() -> String {
    (0..4)
        .map(|_| format!("{:016x}", fastrand::u64(..)))
        .collect()
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
        // A long-running mock issues many tokens: forget the expired ones.
        let now_instant = Instant::now();
        self.access.retain(|_, token| token.expires > now_instant);
        self.access.insert(
            access.clone(),
            AccessToken {
                expires: Instant::now() + lifetime,
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
            ".expires": timestamp(issued + chrono::TimeDelta::from_std(lifetime).unwrap_or_default()),
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
                status: "Running",
                started,
                started_at: Instant::now(),
                stopped: None,
                polls: 0,
                usn: 0,
                log: vec![log_item(
                    started,
                    "Success",
                    &format!("Backup deletion of virtual machine {vm_id} has started"),
                )],
            },
        );
        id
    }

    pub(crate) fn session_mut(&mut self, id: &str) -> Option<&mut Session> {
        let id: u64 = id.parse().ok()?;
        self.sessions.get_mut(&id)
    }

    pub(crate) fn sessions_mut(&mut self) -> impl Iterator<Item = &mut Session> {
        self.sessions.values_mut()
    }

    pub(crate) fn session_count(&self) -> usize {
        self.sessions.len()
    }
}

fn log_item(at: DateTime<Utc>, status: &str, message: &str) -> Value {
    json!({
        "logTime": timestamp(at),
        "status": status,
        "message": message,
        "executionStartTime": timestamp(at),
        "executionDuration": "00:00:00",
    })
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
            "Running" if due => {
                let status = final_status.as_str();
                let message = match status {
                    "Success" => format!(
                        "Backups of virtual machine {} have been removed",
                        self.vm_id
                    ),
                    "Warning" => format!(
                        "Backups of virtual machine {} have been removed with warnings",
                        self.vm_id
                    ),
                    _ => format!(
                        "Failed to remove the backups of virtual machine {}",
                        self.vm_id
                    ),
                };
                self.finish(status, &message);
            }
            "Running" if polled => {
                let message = format!(
                    "Removing restore points of virtual machine {} (step {})",
                    self.vm_id, self.polls
                );
                self.log.push(log_item(now(), "Success", &message));
                self.usn += 1;
            }
            // A stop takes effect at the next read.
            "Canceling" if polled || due => {
                self.finish("Canceled", "The session was stopped by a user")
            }
            _ => {}
        }
    }

    fn finish(&mut self, status: &'static str, message: &str) {
        let at = now();
        self.status = status;
        self.stopped = Some(at);
        self.usn += 1;
        self.log.push(log_item(at, status, message));
    }

    /// Asks a running session to stop; false when it has already ended.
    pub(crate) fn request_stop(&mut self) -> bool {
        if self.status != "Running" {
            return self.status == "Canceling";
        }
        self.status = "Canceling";
        self.usn += 1;
        self.log
            .push(log_item(now(), "Warning", "Stop requested by a user"));
        true
    }

    pub(crate) fn to_json(&self, base_url: &str, with_localized_type: bool) -> Value {
        let end = self.stopped.unwrap_or_else(now);
        let elapsed = (end - self.started).to_std().unwrap_or_default();
        let duration = TimeSpan::try_from(elapsed).unwrap_or_default();
        let url = format!("{base_url}/api/v1/jobSessions/{}", self.id);
        let mut body = json!({
            "id": self.id.to_string(),
            "type": "BackupDeletion",
            "executionStartTime": timestamp(self.started),
            "executionDuration": duration.to_string(),
            "status": self.status,
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
        json!({"jobSessionId": self.id.to_string(), "log": self.log})
    }
}
