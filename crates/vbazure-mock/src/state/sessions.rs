//! The sessions of each version, kept apart: v1's numbered, v8.1's by UUID and oldest first.
//! Started, found by the id the mock wrote, and moved on; a v8.1 deletion that finishes
//! removes the backups of its VMs from the inventory.

use vbazure_spec::ApiVersion;

use super::job::Job;
use super::session::{Session, Target};
use super::status::Status;
use super::State;
use crate::config::{FinalStatus, Progress};

/// The number a session id names: only the text the mock wrote (`"11"`), not another spelling
/// of the same number (`"011"`, `"+11"`), which the appliance would not know either.
fn session_number(id: &str) -> Option<u64> {
    let number: u64 = id.parse().ok()?;
    (number.to_string() == id).then_some(number)
}

impl State {
    /// A v1 deletion session for one VM; its id.
    pub(crate) fn start_v1_deletion(&mut self, vm_id: &str) -> String {
        let number = self.next_v1_session;
        self.next_v1_session += 1;
        let session = Session::v1_deletion(number, vm_id);
        let id = session.id.clone();
        self.v1_sessions.insert(number, session);
        id
    }

    /// A v8.1 removal session of `job` for `targets` (one, or a batch); its index.
    pub(crate) fn start_v8_1_removal(&mut self, job: Job, targets: Vec<Target>) -> usize {
        let session = Session::v8_1_removal(job, targets);
        let index = self.sessions.len();
        self.session_index.insert(session.id.clone(), index);
        self.sessions.push(session);
        index
    }

    /// The session of `version` with this id, moved on first (`polled`: the read counts as a
    /// poll), as a read of it finds it.
    pub(crate) fn read_session(
        &mut self,
        version: ApiVersion,
        id: &str,
        progression: (Progress, FinalStatus),
        polled: bool,
    ) -> Option<&Session> {
        match version {
            ApiVersion::V1 => {
                let session = self.v1_session_mut(id)?;
                session.advance_v1(progression, polled);
                Some(session)
            }
            ApiVersion::V8_1 => {
                let index = self.v8_1_index(id)?;
                self.advance_v8_1(index, progression, polled);
                self.v8_1_session(index)
            }
        }
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

    /// Moves a v8.1 session on, and applies its end to the inventory: a removal that ended
    /// `Success` or `Warning` removed its points; a point whose removal did not end so is
    /// back.
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
        let succeeded = matches!(status, Status::Success | Status::Warning);
        let deleted = match session.job {
            Job::Items { workload, scope } if succeeded => {
                let now = chrono::Utc::now();
                let mut deleted = Vec::new();
                for target in session.targets.iter().filter(|t| t.has_backups) {
                    deleted.extend(self.inventory.remove(workload, &target.id, scope, now));
                }
                deleted
            }
            Job::Items { .. } => Vec::new(),
            Job::Point { bits, .. } => self.inventory.end_point_removal(bits, succeeded),
        };
        session.finish_v8_1(status, deleted);
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
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::test_state;
    use super::*;
    use crate::inventory::{Scope, Tier, Workload};

    fn one(id: &str) -> Vec<Target> {
        vec![Target {
            id: id.to_string(),
            name: id.to_string(),
            has_backups: true,
        }]
    }

    #[test]
    fn v1_sessions_are_found_by_the_id_the_mock_wrote_only() {
        let mut state = test_state();
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
        let mut state = test_state();
        let v1 = state.start_v1_deletion("vm-1");
        let index = state.start_v8_1_removal(Job::VM_BACKUPS, one("vm-1"));
        let v8 = state.v8_1_session(index).expect("started").id.clone();
        assert_eq!(v8.len(), 36, "a UUID: {v8}");
        assert!(state.v8_1_index(&v1).is_none());
        assert!(state.v1_session_mut(&v8).is_none());
        assert_eq!(state.v8_1_index(&v8), Some(index));
    }

    #[tokio::test(start_paused = true)]
    async fn a_session_finishes_after_its_time_on_tokios_clock() {
        let progression = (
            Progress::Time(Duration::from_secs(60)),
            FinalStatus::Warning,
        );
        let mut state = test_state();
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
        let archive_only = Job::Items {
            workload: Workload::Vm,
            scope: Scope::Backups(Some(Tier::Archive)),
        };
        let now = chrono::Utc::now();
        let polls = (Progress::Polls(1), FinalStatus::Error);
        let mut state = test_state();
        let failed = state.start_v8_1_removal(Job::VM_BACKUPS, one("vm-1"));
        state.advance_v8_1(failed, polls, true);
        assert_eq!(state.sessions[failed].status, Status::Error);
        assert!(state.sessions[failed].deleted.is_empty());
        let vm = state.inventory.get("vm-1").expect("listed");
        assert!(vm.holds(Scope::Backups(None), now));

        let polls = (Progress::Polls(1), FinalStatus::Success);
        let archive = state.start_v8_1_removal(archive_only, one("vm-1"));
        state.advance_v8_1(archive, polls, true);
        let vm = state.inventory.get("vm-1").expect("listed");
        assert!(!vm.holds(Scope::Backups(Some(Tier::Archive)), now));
        assert!(vm.holds(Scope::Backups(None), now) && vm.holds(Scope::Snapshots, now));
        let body = state.sessions[archive].to_json("http://mock", true);
        assert_eq!(body["retentionJobInfo"]["deletedRestorePointsCount"], 2);
        assert_eq!(body["type"], "BackupDeletion");
        assert_eq!(state.sessions[archive].deleted.len(), 2);
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

    #[test]
    fn each_removal_has_the_session_type_of_its_operation() {
        let mut state = test_state();
        for (job, kind) in [
            (
                Job::Items {
                    workload: Workload::Vm,
                    scope: Scope::Snapshots,
                },
                "SnapshotDeletion",
            ),
            (
                Job::Items {
                    workload: Workload::Vm,
                    scope: Scope::ManualSnapshots,
                },
                "ManualSnapshotDeletion",
            ),
            (
                Job::Items {
                    workload: Workload::Sql,
                    scope: Scope::ManualBackups,
                },
                "SqlBackupDeletion",
            ),
            (
                Job::Items {
                    workload: Workload::CosmosDb,
                    scope: Scope::ContinuousBackups,
                },
                "CosmosDbContinuousBackupDeletion",
            ),
            (
                Job::Items {
                    workload: Workload::FileShare,
                    scope: Scope::ManualSnapshots,
                },
                "FileShareManualSnapshotDeletion",
            ),
            (
                Job::Point {
                    workload: Workload::FileShare,
                    bits: 1,
                },
                "FileShareSnapshotDeletion",
            ),
            (
                Job::Point {
                    workload: Workload::CosmosDb,
                    bits: 1,
                },
                "CosmosDbBackupDeletion",
            ),
        ] {
            let index = state.start_v8_1_removal(job, one("vm-1"));
            let body = state.sessions[index].to_json("http://mock", true);
            assert_eq!(body["type"], kind);
        }
    }
}
