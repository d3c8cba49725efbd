//! One job session: what it works on, how it moves on to its final status (by polls or by
//! time), its log, and how each version writes it.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{json, Value};
use tokio::time::Instant;
use vbazure_spec::ApiVersion;

use crate::config::{FinalStatus, Progress};
use crate::dotnet::{time_span, timestamp};
use crate::inventory::Deleted;

use super::job::Job;
use super::status::Status;
use super::{now, random_uuid};

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
    pub job: Job,
    pub status: Status,
    pub started: DateTime<Utc>,
    started_at: Instant,
    stopped: Option<DateTime<Utc>>,
    polls: u32,
    usn: i64,
    log: Vec<LogItem>,
    /// Restore points removed, once finished (v8.1 `retentionJobInfo`).
    removed_points: Option<usize>,
    /// What it removed, once finished (v8.1 `deletedItems`).
    pub deleted: Vec<Deleted>,
}

impl Session {
    /// A session of `version` that has just started (at `started`), with its first records.
    fn running(
        id: String,
        version: ApiVersion,
        targets: Vec<Target>,
        job: Job,
        started: DateTime<Utc>,
        log: Vec<LogItem>,
    ) -> Self {
        Self {
            id,
            version,
            targets,
            job,
            status: Status::Running,
            started,
            started_at: Instant::now(),
            stopped: None,
            polls: 0,
            usn: 0,
            log,
            removed_points: None,
            deleted: Vec::new(),
        }
    }

    /// A v1 deletion session for one VM, numbered `number`.
    pub(super) fn v1_deletion(number: u64, vm_id: &str) -> Self {
        let started = now();
        let target = Target {
            id: vm_id.to_string(),
            name: vm_id.to_string(),
            has_backups: true,
        };
        let log = vec![LogItem::new(
            started,
            Status::Success,
            format!("Backup deletion of virtual machine {vm_id} has started"),
        )];
        Self::running(
            number.to_string(),
            ApiVersion::V1,
            vec![target],
            Job::VM_BACKUPS,
            started,
            log,
        )
    }

    /// A v8.1 removal session of `job` for `targets` (one item, or a batch; the item of the
    /// point for a point's removal), with an id of its own.
    pub(super) fn v8_1_removal(job: Job, targets: Vec<Target>) -> Self {
        let started = now();
        let id = random_uuid();
        let noun = job.workload().noun();
        let (first, queued) = match job {
            Job::Items { scope, .. } => (
                format!(
                    "{} of {} {noun}(s) has started ({})",
                    job.verb(),
                    targets.len(),
                    scope.extent()
                ),
                job.verb().to_lowercase(),
            ),
            Job::Point { bits, .. } => (
                format!(
                    "{} of restore point {} has started",
                    job.verb(),
                    crate::inventory::uuid_text(bits)
                ),
                "restore point deletion".to_string(),
            ),
        };
        let mut log = vec![LogItem::new(started, Status::Success, first)];
        let extent = match job {
            Job::Items { scope, .. } => scope.extent(),
            Job::Point { .. } => String::new(),
        };
        for target in &targets {
            let message = if target.has_backups {
                format!(
                    "{} {} is queued for {queued}",
                    capitalized(noun),
                    target.name
                )
            } else {
                format!(
                    "{} {} has no {} to remove ({extent})",
                    capitalized(noun),
                    target.name,
                    job.what()
                )
            };
            log.push(LogItem::new(started, Status::Success, message).about(&target.id));
        }
        Self::running(id, ApiVersion::V8_1, targets, job, started, log)
    }

    /// Counts a read as a poll, logs progress, and says whether the session ends now, with
    /// the status it ends with. Time passes whether or not the session is read.
    pub(super) fn step(
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

    /// Ends a v8.1 session with `status`, having removed `deleted`.
    pub(super) fn finish_v8_1(&mut self, status: Status, deleted: Vec<Deleted>) {
        let at = now();
        let what = capitalized(self.job.what());
        if status != Status::Canceled {
            for target in self.targets.iter().filter(|t| t.has_backups) {
                let message = match status {
                    Status::Success => format!("{what} of {} have been removed", target.name),
                    Status::Warning => {
                        format!("{what} of {} have been removed with warnings", target.name)
                    }
                    _ => format!(
                        "Failed to remove the {} of {}",
                        self.job.what(),
                        target.name
                    ),
                };
                self.log
                    .push(LogItem::new(at, status, message).about(&target.id));
            }
        }
        let removed = deleted.len();
        let summary = match status {
            Status::Canceled => "The session was stopped by a user".to_string(),
            Status::Error => format!("{} has failed", self.job.verb()),
            _ => format!(
                "{} has finished: {removed} restore point(s) removed",
                self.job.verb()
            ),
        };
        self.log.push(LogItem::new(at, status, summary));
        self.removed_points = Some(removed);
        self.deleted = deleted;
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
        let (kind, localized) = self.job.session_type();
        [kind, localized]
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
        let (kind, localized) = self.job.session_type();
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
                "type": kind,
                "localizedType": localized,
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

    /// The session's `type`, as the list's `Types` filter names it.
    pub(crate) fn kind(&self) -> &'static str {
        self.job.session_type().0
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

/// `text` with its first letter in upper case, to begin a sentence.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
