//! What a v8.1 removal session takes away: points of a scope from its items, or one restore
//! point; and the session type and words each kind of removal has.

use crate::inventory::{Scope, Workload};

/// The work of a v8.1 removal session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Job {
    /// The points of `scope` of each of the session's items (but immutable ones).
    Items { workload: Workload, scope: Scope },
    /// One restore point, hidden while the session runs.
    Point { workload: Workload, bits: u128 },
}

impl Job {
    /// The removal of every backup of VMs, as v1 and v8.1's `deleteBackups` do.
    pub(crate) const VM_BACKUPS: Self = Self::Items {
        workload: Workload::Vm,
        scope: Scope::Backups(None),
    };

    pub(crate) fn workload(self) -> Workload {
        match self {
            Self::Items { workload, .. } | Self::Point { workload, .. } => workload,
        }
    }

    /// The session's `type` and `localizedType`, as the document's examples of each
    /// operation show them (a single point's removal: the type of its kind's backups).
    pub(crate) fn session_type(self) -> (&'static str, &'static str) {
        let workload = self.workload();
        let scope = match self {
            Self::Items { scope, .. } => Some(scope),
            Self::Point { .. } => None,
        };
        match (workload, scope) {
            (Workload::Vm, Some(Scope::Snapshots)) => ("SnapshotDeletion", "Snapshot Deletion"),
            (Workload::Vm, Some(Scope::ManualSnapshots)) => {
                ("ManualSnapshotDeletion", "Manual Snapshot Deletion")
            }
            (Workload::Vm, _) => ("BackupDeletion", "Backup Deletion"),
            (Workload::Sql, _) => ("SqlBackupDeletion", "SQL Backup Deletion"),
            (Workload::CosmosDb, Some(Scope::ContinuousBackups)) => (
                "CosmosDbContinuousBackupDeletion",
                "Cosmos DB Continuous Backup Deletion",
            ),
            (Workload::CosmosDb, _) => ("CosmosDbBackupDeletion", "Cosmos DB Backup Deletion"),
            (Workload::FileShare, Some(Scope::ManualSnapshots)) => (
                "FileShareManualSnapshotDeletion",
                "File Share Manual Snapshot Deletion",
            ),
            (Workload::FileShare, _) => {
                ("FileShareSnapshotDeletion", "File Share Snapshot Deletion")
            }
        }
    }

    /// What the session does, for its log: `Backup deletion`, `Snapshot deletion`...
    pub(crate) fn verb(self) -> &'static str {
        match self {
            Self::Point { .. } => "Restore point deletion",
            Self::Items { scope, .. } => match scope {
                Scope::Backups(_) => "Backup deletion",
                Scope::ManualBackups => "Manual backup deletion",
                Scope::ContinuousBackups => "Continuous backup deletion",
                Scope::Snapshots => "Snapshot deletion",
                Scope::ManualSnapshots => "Manual snapshot deletion",
            },
        }
    }

    /// What it takes of each item, for its log: `backups`, `snapshots`...
    pub(crate) fn what(self) -> &'static str {
        match self {
            Self::Items { scope, .. } => scope.what(),
            Self::Point { .. } => "the restore point",
        }
    }
}
