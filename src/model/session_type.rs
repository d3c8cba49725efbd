//! The kind of job a session runs.

use super::open_enum::open_enum;

open_enum! {
    /// The kind of job a session runs.
    ///
    /// Version 1 appliances show a handful of these; API v8.1 documents 63. A value this client
    /// does not know decodes as `Unrecognized` and is written back unchanged, so match with a
    /// wildcard arm:
    ///
    /// ```
    /// use vbazure::SessionType;
    ///
    /// fn is_cleanup(kind: &SessionType) -> bool {
    ///     match kind {
    ///         SessionType::BackupDeletion | SessionType::SnapshotDeletion => true,
    ///         SessionType::ManualSnapshotDeletion => true,
    ///         _ => false,
    ///     }
    /// }
    ///
    /// assert!(is_cleanup(&"BackupDeletion".into()));
    /// let later: SessionType = "ArchiveRetention".into();
    /// assert!(!is_cleanup(&later));
    /// assert_eq!(later.to_string(), "ArchiveRetention");
    /// ```
    pub enum SessionType {
        /// A backup the appliance started on its own.
        AutoBackup = "AutoBackup",
        /// Removal of backups past their retention.
        BackupRetention = "BackupRetention",
        /// Restore of disks.
        RestoreDisks = "RestoreDisks",
        /// Restore of files and folders.
        FileLevelRestore = "FileLevelRestore",
        /// Removal of obsolete snapshots.
        ObsoleteSnapshotRetention = "ObsoleteSnapshotRetention",
        /// A snapshot taken by hand.
        ManualSnapshot = "ManualSnapshot",
        /// A backup run by a policy.
        PolicyBackup = "PolicyBackup",
        /// A snapshot taken by a policy.
        PolicySnapshot = "PolicySnapshot",
        /// Restore of whole virtual machines.
        RestoreVms = "RestoreVms",
        /// Removal of a virtual machine's backups (`deleteBackups`).
        BackupDeletion = "BackupDeletion",
        /// Removal of a virtual machine's snapshots.
        SnapshotDeletion = "SnapshotDeletion",
        /// Creation of a backup repository.
        RepositoryCreation = "RepositoryCreation",
        /// Removal of a backup repository.
        RepositoryDeletion = "RepositoryDeletion",
        /// A change to a backup repository.
        RepositoryEdit = "RepositoryEdit",
        /// Removal of a snapshot taken by hand.
        ManualSnapshotDeletion = "ManualSnapshotDeletion",
        /// Removal of invalid snapshots.
        InvalidSnapshotRetention = "InvalidSnapshotRetention",
        /// Removal of orphaned snapshots.
        OrphanedSnapshotRetention = "OrphanedSnapshotRetention",
    }
}
