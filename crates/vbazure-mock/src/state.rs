//! The appliance's state: tokens, job sessions, asynchronous operations and the protected VMs.
//!
//! Every decision that depends on time (a token's expiry, a session finishing after a while)
//! reads tokio's clock, so tests can pause and advance it instead of sleeping. The times
//! written in bodies (`executionStartTime`, `.issued`...) are wall-clock times.
//!
//! v1 and v8.1 keep their sessions apart, as their ids differ (v1 numbers them, v8.1 gives
//! UUIDs): a session started through one version is not found through the other. Tokens are
//! shared, as the token path is.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Timelike, Utc};
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::config::{ApiVersion, FinalStatus, Progress};
use crate::dotnet::{guid, time_span, timestamp};
use crate::inventory::{Inventory, Tier};

/// How long an `mfa_token` waits for its code.
const MFA_LIFETIME: Duration = Duration::from_secs(300);

/// Asynchronous operations kept for reading; older ones are forgotten, so that a client that
/// rescans in a loop cannot grow the mock without bound.
const OPERATIONS_KEPT: usize = 10_000;

#[derive(Debug)]
struct AccessToken {
    expires: Instant,
    /// The refresh token issued with it, revoked with it at logout.
    refresh: String,
}

#[derive(Debug)]
struct PendingMfa {
    username: String,
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

    fn is_final(self) -> bool {
        !matches!(self, Self::Running | Self::Canceling)
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
    /// The VM the record is about (v8.1 `resourceHashId`), if it is about one.
    resource: Option<String>,
}

impl LogItem {
    fn new(at: DateTime<Utc>, status: Status, message: String) -> Self {
        Self {
            at,
            status,
            message,
            resource: None,
        }
    }

    fn about(mut self, vm_id: &str) -> Self {
        self.resource = Some(vm_id.to_string());
        self
    }

    fn to_json(&self, version: ApiVersion) -> Value {
        let mut item = json!({
            "logTime": timestamp(self.at),
            "status": self.status.as_str(),
            "message": self.message,
            "executionStartTime": timestamp(self.at),
            "executionDuration": time_span(TimeDelta::zero()),
        });
        // v1 has no `resourceHashId`.
        if version == ApiVersion::V8_1 {
            item["resourceHashId"] = json!(self.resource);
        }
        item
    }
}

/// A VM a session works on.
#[derive(Debug)]
pub(crate) struct Target {
    pub id: String,
    pub name: String,
    /// Whether it had anything to remove when the session started (a batch may name VMs
    /// that have not).
    pub has_backups: bool,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub id: String,
    version: ApiVersion,
    pub targets: Vec<Target>,
    tier: Option<Tier>,
    pub status: Status,
    pub started: DateTime<Utc>,
    started_at: Instant,
    stopped: Option<DateTime<Utc>>,
    polls: u32,
    usn: i64,
    log: Vec<LogItem>,
    /// Restore points removed, once finished (v8.1 `retentionJobInfo`).
    removed_points: Option<u32>,
}

/// An asynchronous operation (v8.1): a rescan whose result is computed when it is done.
#[derive(Debug)]
pub(crate) struct AsyncOperation {
    pub id: String,
    started: DateTime<Utc>,
    polls: u32,
    /// What the request that started it asked for; answered once it is done.
    pub request: AsyncRequest,
    pub result: Option<Value>,
}

/// The request an asynchronous operation answers.
#[derive(Clone, Debug)]
pub(crate) enum AsyncRequest {
    /// A page of protected VMs.
    VmPage(crate::v8_1::VmQuery),
    /// One protected VM.
    Vm(String),
}

/// Tokens, sessions, operations and VMs, behind one lock; no lock is held across an await.
#[derive(Debug, Default)]
pub(crate) struct State {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    mfa: HashMap<String, PendingMfa>,
    v1_sessions: BTreeMap<u64, Session>,
    next_v1_session: u64,
    /// v8.1 sessions, oldest first, and their index by id.
    sessions: Vec<Session>,
    session_index: HashMap<String, usize>,
    operations: HashMap<String, AsyncOperation>,
    operation_order: VecDeque<String>,
    pub inventory: Inventory,
}

/// The wall-clock time as a .NET server keeps it: 100 ns ticks.
pub(crate) fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.with_nanosecond(now.nanosecond() / 100 * 100)
        .unwrap_or(now)
}

fn random_token() -> String {
    (0..4)
        .map(|_| format!("{:016x}", fastrand::u64(..)))
        .collect()
}

/// A random UUID, as .NET's `Guid.NewGuid()` makes one.
fn random_uuid() -> String {
    guid(fastrand::u128(..))
}

/// The number a session id names: only the text the mock wrote (`"11"`), not another spelling
/// of the same number (`"011"`, `"+11"`), which the appliance would not know either.
fn session_number(id: &str) -> Option<u64> {
    let number: u64 = id.parse().ok()?;
    (number.to_string() == id).then_some(number)
}

/// How a token answer is written: v1's fields only, or v8.1's.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TokenForm {
    V1,
    V8_1 {
        mfa_enabled: bool,
        short_lived: bool,
    },
}

impl State {
    pub(crate) fn new(inventory: Inventory) -> Self {
        Self {
            next_v1_session: 1,
            inventory,
            ..Self::default()
        }
    }

    /// A new token pair for an account.
    pub(crate) fn issue_tokens(
        &mut self,
        username: &str,
        lifetime: Duration,
        form: TokenForm,
    ) -> Value {
        let access = random_token();
        let refresh = random_token();
        let now_instant = Instant::now();
        // A long-running mock issues many tokens: forget the expired ones.
        self.access.retain(|_, token| token.expires > now_instant);
        self.mfa.retain(|_, pending| pending.expires > now_instant);
        self.access.insert(
            access.clone(),
            AccessToken {
                expires: now_instant + lifetime,
                refresh: refresh.clone(),
            },
        );
        self.refresh.insert(refresh.clone(), username.to_string());
        let issued = now();
        let mut answer = json!({
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": lifetime.as_secs(),
            ".issued": timestamp(issued),
            ".expires": timestamp(issued + TimeDelta::from_std(lifetime).unwrap_or_default()),
        });
        if let TokenForm::V8_1 {
            mfa_enabled,
            short_lived,
        } = form
        {
            let extra = json!({
                "userId": user_id(username),
                "username": username,
                "roleName": "PortalAdmin",
                "userType": "Internal",
                "latestNewsShown": true,
                "mfa_enabled": mfa_enabled,
                "mfa_token": null,
                "redirectTo": null,
                "shortLived": short_lived,
            });
            if let (Some(answer), Some(extra)) = (answer.as_object_mut(), extra.as_object()) {
                answer.extend(extra.clone());
            }
        }
        answer
    }

    /// The first step of a login with a second factor: the answer that asks for the code.
    pub(crate) fn start_mfa(&mut self, username: &str) -> Value {
        let token = random_token();
        self.mfa.insert(
            token.clone(),
            PendingMfa {
                username: username.to_string(),
                expires: Instant::now() + MFA_LIFETIME,
            },
        );
        json!({
            "access_token": null,
            "token_type": null,
            "refresh_token": null,
            "expires_in": 0,
            ".issued": null,
            ".expires": null,
            "userId": null,
            "username": username,
            "roleName": null,
            "userType": "Internal",
            "latestNewsShown": false,
            "mfa_enabled": true,
            "mfa_token": token,
            "redirectTo": null,
            "shortLived": false,
        })
    }

    /// The account an unexpired `mfa_token` was given to. The token stays valid until the
    /// right code uses it up (see [`State::finish_mfa`]), so a mistyped code can be retried.
    pub(crate) fn mfa_account(&self, token: &str) -> Option<String> {
        self.mfa
            .get(token)
            .filter(|pending| Instant::now() < pending.expires)
            .map(|pending| pending.username.clone())
    }

    pub(crate) fn finish_mfa(&mut self, token: &str) {
        self.mfa.remove(token);
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

    /// Logout: the access token and the refresh token issued with it stop working.
    pub(crate) fn revoke(&mut self, access: &str) {
        if let Some(token) = self.access.remove(access) {
            self.refresh.remove(&token.refresh);
        }
    }

    /// A v1 deletion session for one VM; its id.
    pub(crate) fn start_v1_deletion(&mut self, vm_id: &str) -> String {
        let number = self.next_v1_session;
        self.next_v1_session += 1;
        let started = now();
        let session = Session {
            id: number.to_string(),
            version: ApiVersion::V1,
            targets: vec![Target {
                id: vm_id.to_string(),
                name: vm_id.to_string(),
                has_backups: true,
            }],
            tier: None,
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
            removed_points: None,
        };
        let id = session.id.clone();
        self.v1_sessions.insert(number, session);
        id
    }

    /// A v8.1 deletion session for `targets` (one, or a batch); its index.
    pub(crate) fn start_v8_1_deletion(
        &mut self,
        targets: Vec<Target>,
        tier: Option<Tier>,
    ) -> usize {
        let started = now();
        let id = random_uuid();
        let scope = match tier {
            Some(tier) => format!("backup tier {}", tier.as_str()),
            None => "every backup tier".to_string(),
        };
        let mut log = vec![LogItem::new(
            started,
            Status::Success,
            format!(
                "Backup deletion of {} virtual machine(s) has started ({scope})",
                targets.len()
            ),
        )];
        for target in &targets {
            let message = if target.has_backups {
                format!(
                    "Virtual machine {} is queued for backup deletion",
                    target.name
                )
            } else {
                format!(
                    "Virtual machine {} has no backups to remove ({scope})",
                    target.name
                )
            };
            log.push(LogItem::new(started, Status::Success, message).about(&target.id));
        }
        let index = self.sessions.len();
        self.session_index.insert(id.clone(), index);
        self.sessions.push(Session {
            id,
            version: ApiVersion::V8_1,
            targets,
            tier,
            status: Status::Running,
            started,
            started_at: Instant::now(),
            stopped: None,
            polls: 0,
            usn: 0,
            log,
            removed_points: None,
        });
        index
    }

    pub(crate) fn v1_session_mut(&mut self, id: &str) -> Option<&mut Session> {
        self.v1_sessions.get_mut(&session_number(id)?)
    }

    pub(crate) fn v1_sessions_mut(&mut self) -> impl Iterator<Item = &mut Session> {
        self.v1_sessions.values_mut()
    }

    pub(crate) fn v1_session_count(&self) -> usize {
        self.v1_sessions.len()
    }

    pub(crate) fn v8_1_index(&self, id: &str) -> Option<usize> {
        self.session_index.get(id).copied()
    }

    pub(crate) fn v8_1_session(&self, index: usize) -> Option<&Session> {
        self.sessions.get(index)
    }

    pub(crate) fn v8_1_session_mut(&mut self, index: usize) -> Option<&mut Session> {
        self.sessions.get_mut(index)
    }

    pub(crate) fn v8_1_sessions(&self) -> &[Session] {
        &self.sessions
    }

    /// Moves a v8.1 session on, and applies its end to the VMs: a deletion that ended
    /// `Success` or `Warning` removed their backups.
    pub(crate) fn advance_v8_1(
        &mut self,
        index: usize,
        progression: (Progress, FinalStatus),
        polled: bool,
    ) {
        let Some(session) = self.sessions.get_mut(index) else {
            return;
        };
        let Some(status) = session.step(progression, polled) else {
            return;
        };
        let mut removed = 0;
        if matches!(status, Status::Success | Status::Warning) {
            for target in session.targets.iter().filter(|t| t.has_backups) {
                if let Some(vm) = self.inventory.get_mut(&target.id) {
                    removed += vm.remove(session.tier);
                }
            }
        }
        session.finish_v8_1(status, removed);
    }

    /// Moves every running v8.1 session on by time (no poll counted).
    pub(crate) fn advance_all_v8_1(&mut self, progression: (Progress, FinalStatus)) {
        for index in 0..self.sessions.len() {
            if self
                .sessions
                .get(index)
                .is_some_and(|s| !s.status.is_final())
            {
                self.advance_v8_1(index, progression, false);
            }
        }
    }

    /// Starts an asynchronous operation; its id.
    pub(crate) fn start_operation(&mut self, request: AsyncRequest) -> String {
        let id = random_uuid();
        self.operations.insert(
            id.clone(),
            AsyncOperation {
                id: id.clone(),
                started: now(),
                polls: 0,
                request,
                result: None,
            },
        );
        self.operation_order.push_back(id.clone());
        while self.operation_order.len() > OPERATIONS_KEPT {
            if let Some(old) = self.operation_order.pop_front() {
                self.operations.remove(&old);
            }
        }
        id
    }

    pub(crate) fn operation_mut(&mut self, id: &str) -> Option<&mut AsyncOperation> {
        self.operations.get_mut(id)
    }
}

/// A stable identifier for an account name, as the appliance gives each user one.
fn user_id(username: &str) -> String {
    // FNV-1a of the name seeds it: the same account gets the same id on every run.
    let seed = username.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    guid(fastrand::Rng::with_seed(seed).u128(..))
}

impl AsyncOperation {
    /// Counts a read; whether the operation is done now (at its `done_at`-th read).
    pub(crate) fn poll(&mut self, done_at: u32) -> bool {
        self.polls = self.polls.saturating_add(1);
        self.polls >= done_at
    }

    pub(crate) fn to_json(&self, base_url: &str) -> Value {
        let done = self.result.is_some();
        json!({
            "id": self.id,
            "startTime": timestamp(self.started),
            "status": if done { "Success" } else { "Running" },
            "error": null,
            "result": self.result,
            "_links": {"self": {"href": format!("{base_url}/api/v8.1/operations/{}", self.id)}},
        })
    }
}

impl Session {
    /// Counts a read as a poll, logs progress, and says whether the session ends now, with
    /// the status it ends with. Time passes whether or not the session is read.
    fn step(
        &mut self,
        (progress, final_status): (Progress, FinalStatus),
        polled: bool,
    ) -> Option<Status> {
        if polled {
            self.polls = self.polls.saturating_add(1);
        }
        let due = match progress {
            Progress::Polls(n) => self.polls >= n,
            Progress::Time(d) => self.started_at.elapsed() >= d,
        };
        match self.status {
            Status::Running if due => Some(Status::from(final_status)),
            Status::Running if polled => {
                let message = match self.version {
                    ApiVersion::V1 => format!(
                        "Removing restore points of virtual machine {} (step {})",
                        self.targets.first().map_or("", |t| t.id.as_str()),
                        self.polls
                    ),
                    ApiVersion::V8_1 => format!("Removing restore points (step {})", self.polls),
                };
                self.log.push(LogItem::new(now(), Status::Success, message));
                self.usn += 1;
                None
            }
            // A stop takes effect at the next read.
            Status::Canceling if polled || due => Some(Status::Canceled),
            _ => None,
        }
    }

    /// Moves a v1 session on: a read counts as a poll; time passes.
    pub(crate) fn advance_v1(&mut self, progression: (Progress, FinalStatus), polled: bool) {
        let Some(status) = self.step(progression, polled) else {
            return;
        };
        let vm = self.targets.first().map_or("", |t| t.id.as_str());
        let message = match status {
            Status::Success => format!("Backups of virtual machine {vm} have been removed"),
            Status::Warning => {
                format!("Backups of virtual machine {vm} have been removed with warnings")
            }
            Status::Canceled => "The session was stopped by a user".to_string(),
            _ => format!("Failed to remove the backups of virtual machine {vm}"),
        };
        self.end(status);
        self.log.push(LogItem::new(now(), status, message));
    }

    fn finish_v8_1(&mut self, status: Status, removed: u32) {
        let at = now();
        if status != Status::Canceled {
            for target in self.targets.iter().filter(|t| t.has_backups) {
                let message = match status {
                    Status::Success => format!("Backups of {} have been removed", target.name),
                    Status::Warning => {
                        format!("Backups of {} have been removed with warnings", target.name)
                    }
                    _ => format!("Failed to remove the backups of {}", target.name),
                };
                self.log
                    .push(LogItem::new(at, status, message).about(&target.id));
            }
        }
        let summary = match status {
            Status::Canceled => "The session was stopped by a user".to_string(),
            Status::Error => "Backup deletion has failed".to_string(),
            _ => format!("Backup deletion has finished: {removed} restore point(s) removed"),
        };
        self.log.push(LogItem::new(at, status, summary));
        self.removed_points = Some(removed);
        self.end(status);
    }

    fn end(&mut self, status: Status) {
        self.status = status;
        self.stopped = Some(now());
        self.usn += 1;
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

    /// Whether the session worked on the VM `vm_id`.
    pub(crate) fn processed(&self, vm_id: &str) -> bool {
        self.targets.iter().any(|t| t.id == vm_id)
    }

    /// The texts the `Filter` of a session list looks in: its type, as written and for
    /// people, and the names of the VMs it worked on.
    pub(crate) fn texts(&self) -> impl Iterator<Item = &str> {
        ["BackupDeletion", "Backup Deletion"]
            .into_iter()
            .chain(self.targets.iter().map(|t| t.name.as_str()))
    }

    pub(crate) fn to_json(&self, base_url: &str, with_localized_type: bool) -> Value {
        let end = self.stopped.unwrap_or_else(now);
        // The wall clock can step back: a session never ran for less than nothing.
        let elapsed = (end - self.started).max(TimeDelta::zero());
        let url = format!(
            "{base_url}{}/jobSessions/{}",
            self.version.path_prefix(),
            self.id
        );
        let links = json!({"self": {"href": url}, "log": {"href": format!("{url}/log")}});
        match self.version {
            ApiVersion::V1 => {
                let mut body = json!({
                    "id": self.id,
                    "type": "BackupDeletion",
                    "executionStartTime": timestamp(self.started),
                    "executionDuration": time_span(elapsed),
                    "status": self.status.as_str(),
                    "usn": self.usn,
                    "_links": links,
                });
                if with_localized_type {
                    body["localizedType"] = json!("Backup Deletion");
                }
                if let Some(stopped) = self.stopped {
                    body["executionStopTime"] = json!(timestamp(stopped));
                }
                body
            }
            // v8.1 writes every field, `null` where it has no value.
            ApiVersion::V8_1 => json!({
                "id": self.id,
                "type": "BackupDeletion",
                "localizedType": "Backup Deletion",
                "executionStartTime": timestamp(self.started),
                "executionStopTime": self.stopped.map(timestamp),
                "executionDuration": time_span(elapsed),
                "status": self.status.as_str(),
                "backupJobInfo": null,
                "healthCheckJobInfo": null,
                "restoreJobInfo": null,
                "fileLevelRestoreJobInfo": null,
                "fileShareFileLevelRestoreJobInfo": null,
                "repositoryJobInfo": null,
                "restorePointDataRetrievalJobInfo": null,
                "retentionJobInfo": self.removed_points.map(|n| json!({"deletedRestorePointsCount": n})),
                "_links": links,
            }),
        }
    }

    /// The log; with `resource`, only the records about that VM.
    pub(crate) fn log_json(&self, resource: Option<&str>) -> Value {
        let log: Vec<Value> = self
            .log
            .iter()
            .filter(|item| resource.is_none() || item.resource.as_deref() == resource)
            .map(|item| item.to_json(self.version))
            .collect();
        json!({"jobSessionId": self.id, "log": log})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State::new(Inventory::new(&[("web".into(), "vm-1".into())], 0, &[]))
    }

    fn one(id: &str) -> Vec<Target> {
        vec![Target {
            id: id.to_string(),
            name: id.to_string(),
            has_backups: true,
        }]
    }

    #[test]
    fn v1_sessions_are_found_by_the_id_the_mock_wrote_only() {
        let mut state = state();
        let id = state.start_v1_deletion("vm-1");
        assert_eq!(id, "1");
        assert!(state.v1_session_mut("1").is_some());
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
            assert!(state.v1_session_mut(other).is_none(), "{other:?}");
        }
    }

    #[test]
    fn each_version_keeps_its_own_sessions() {
        let mut state = state();
        let v1 = state.start_v1_deletion("vm-1");
        let index = state.start_v8_1_deletion(one("vm-1"), None);
        let v8 = state.v8_1_session(index).expect("started").id.clone();
        assert_eq!(v8.len(), 36, "a UUID: {v8}");
        assert!(state.v8_1_index(&v1).is_none());
        assert!(state.v1_session_mut(&v8).is_none());
        assert_eq!(state.v8_1_index(&v8), Some(index));
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
            for spec in [crate::SPEC, crate::SPEC_V8_1] {
                assert!(
                    spec.contains(&format!("        - {status}\n")),
                    "{status} is a documented SessionStatus"
                );
            }
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_session_finishes_after_its_time_on_tokios_clock() {
        let progression = (
            Progress::Time(Duration::from_secs(60)),
            FinalStatus::Warning,
        );
        let mut state = state();
        let id = state.start_v1_deletion("vm-1");
        let session = state.v1_session_mut(&id).expect("the session");
        session.advance_v1(progression, false);
        assert_eq!(session.status, Status::Running);
        tokio::time::advance(Duration::from_secs(59)).await;
        session.advance_v1(progression, false);
        assert_eq!(session.status, Status::Running);
        tokio::time::advance(Duration::from_secs(1)).await;
        session.advance_v1(progression, false);
        assert_eq!(session.status, Status::Warning);
        assert_eq!(session.to_json("http://mock", true)["status"], "Warning");
    }

    #[test]
    fn a_finished_v8_1_deletion_empties_its_vms_and_an_error_does_not() {
        let polls = (Progress::Polls(1), FinalStatus::Error);
        let mut state = state();
        let failed = state.start_v8_1_deletion(one("vm-1"), None);
        state.advance_v8_1(failed, polls, true);
        assert_eq!(state.sessions[failed].status, Status::Error);
        assert!(state.inventory.get("vm-1").expect("listed").holds(None));

        let polls = (Progress::Polls(1), FinalStatus::Success);
        let archive = state.start_v8_1_deletion(one("vm-1"), Some(Tier::Archive));
        state.advance_v8_1(archive, polls, true);
        let vm = state.inventory.get("vm-1").expect("listed");
        assert!(!vm.holds(Some(Tier::Archive)) && vm.holds(None));
        let body = state.sessions[archive].to_json("http://mock", true);
        assert_eq!(body["retentionJobInfo"]["deletedRestorePointsCount"], 3);
        let log = state.sessions[archive].log_json(Some("vm-1"));
        let messages: Vec<&str> = log["log"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["message"].as_str())
            .collect();
        assert_eq!(
            messages,
            [
                "Virtual machine vm-1 is queued for backup deletion",
                "Backups of vm-1 have been removed"
            ]
        );
        assert!(log["log"]
            .as_array()
            .expect("items")
            .iter()
            .all(|i| i["resourceHashId"] == "vm-1"));
    }

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_on_tokios_clock_and_logout_revokes_the_pair() {
        let mut state = state();
        let answer = state.issue_tokens("administrator", Duration::from_secs(3600), TokenForm::V1);
        let token = answer["access_token"]
            .as_str()
            .expect("a token")
            .to_string();
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(3599)).await;
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(!state.access_is_valid(&token), "expired after its lifetime");

        let answer = state.issue_tokens(
            "administrator",
            Duration::from_secs(3600),
            TokenForm::V8_1 {
                mfa_enabled: false,
                short_lived: false,
            },
        );
        assert_eq!(answer["username"], "administrator");
        let access = answer["access_token"].as_str().expect("a token");
        let refresh = answer["refresh_token"].as_str().expect("a refresh token");
        state.revoke(access);
        assert!(!state.access_is_valid(access));
        assert!(state.redeem_refresh(refresh).is_none(), "revoked with it");
    }

    #[tokio::test(start_paused = true)]
    async fn mfa_tokens_wait_five_minutes_for_their_code() {
        let mut state = state();
        let challenge = state.start_mfa("administrator");
        let token = challenge["mfa_token"]
            .as_str()
            .expect("a token")
            .to_string();
        assert_eq!(state.mfa_account(&token).as_deref(), Some("administrator"));
        tokio::time::advance(MFA_LIFETIME).await;
        assert!(state.mfa_account(&token).is_none());
    }
}
