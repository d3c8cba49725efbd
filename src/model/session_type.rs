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
        /// A backup made from a snapshot.
        SnapshotBackup = "SnapshotBackup",
        /// A backup of Azure SQL run by a policy.
        SqlPolicyBackup = "SqlPolicyBackup",
        /// A backup of Azure SQL started by hand.
        SqlManualBackup = "SqlManualBackup",
        /// A restore of Azure SQL.
        SqlRestore = "SqlRestore",
        /// Retrieval of archived restore-point data.
        RestorePointDataRetrieval = "RestorePointDataRetrieval",
        /// Retrieval of archived Azure SQL restore-point data.
        SqlRestorePointDataRetrieval = "SqlRestorePointDataRetrieval",
        /// A file-share snapshot taken by a policy.
        FileSharePolicySnapshot = "FileSharePolicySnapshot",
        /// A file-share snapshot taken by hand.
        FileShareManualSnapshot = "FileShareManualSnapshot",
        /// A restore of a whole file share.
        FileShareRestore = "FileShareRestore",
        /// A restore of files from a file share.
        FileShareFileRestore = "FileShareFileRestore",
        /// Indexing of a file share's contents.
        FileShareIndexing = "FileShareIndexing",
        /// Removal of file-share snapshots past their retention.
        FileShareSnapshotRetention = "FileShareSnapshotRetention",
        /// Removal of file-share snapshots.
        FileShareSnapshotDeletion = "FileShareSnapshotDeletion",
        /// Removal of a file-share snapshot taken by hand.
        FileShareManualSnapshotDeletion = "FileShareManualSnapshotDeletion",
        /// A backup of the appliance's configuration started by hand.
        ConfigurationBackupManual = "ConfigurationBackupManual",
        /// A scheduled backup of the appliance's configuration.
        ConfigurationBackupScheduled = "ConfigurationBackupScheduled",
        /// Removal of a configuration backup.
        ConfigurationBackupDeletion = "ConfigurationBackupDeletion",
        /// A health check of backups.
        HealthCheck = "HealthCheck",
        /// Download of a configuration backup.
        ConfigurationBackupDownload = "ConfigurationBackupDownload",
        /// A rescan of snapshots.
        SnapshotRescan = "SnapshotRescan",
        /// Synchronisation of configuration backups.
        ConfigurationBackupSync = "ConfigurationBackupSync",
        /// The state of a configuration restore.
        ConfigurationRestoreStatus = "ConfigurationRestoreStatus",
        /// Archiving run by a policy.
        PolicyArchive = "PolicyArchive",
        /// Archiving of Azure SQL backups run by a policy.
        SqlPolicyArchive = "SqlPolicyArchive",
        /// Removal of Azure SQL backups.
        SqlBackupDeletion = "SqlBackupDeletion",
        /// A backup of virtual-network configuration run by a policy.
        VnetPolicyBackup = "VnetPolicyBackup",
        /// A full restore of a virtual-network configuration.
        VnetFullRestore = "VnetFullRestore",
        /// A partial restore of a virtual-network configuration.
        VnetGranularRestore = "VnetGranularRestore",
        /// Removal of virtual-network configuration backups.
        VnetBackupDeletion = "VnetBackupDeletion",
        /// Removal of virtual-network backups past their retention.
        VnetRetention = "VnetRetention",
        /// Import of virtual-network backups from a repository.
        VnetRepositoryImport = "VnetRepositoryImport",
        /// A virtual-network backup to a repository run by a policy.
        VnetPolicyBackupToRepository = "VnetPolicyBackupToRepository",
        /// Configuration of Cosmos DB protection.
        CosmosDbConfiguration = "CosmosDbConfiguration",
        /// A restore of Cosmos DB.
        CosmosDbRestore = "CosmosDbRestore",
        /// A backup of PostgreSQL run by a policy.
        PostgresDbPolicyBackup = "PostgresDbPolicyBackup",
        /// Archiving of PostgreSQL backups run by a policy.
        PostgresDbPolicyArchive = "PostgresDbPolicyArchive",
        /// A backup of PostgreSQL started by hand.
        PostgresDbManualBackup = "PostgresDbManualBackup",
        /// Retention of Cosmos DB continuous backups.
        CosmosDbContinuousRetention = "CosmosDbContinuousRetention",
        /// Retrieval of archived Cosmos DB restore-point data.
        CosmosDbRestorePointDataRetrieval = "CosmosDbRestorePointDataRetrieval",
        /// Removal of Cosmos DB backups.
        CosmosDbBackupDeletion = "CosmosDbBackupDeletion",
        /// A rescan of the Azure infrastructure.
        InfrastructureRescan = "InfrastructureRescan",
        /// A backup of MongoDB started by hand.
        MongoDbManualBackup = "MongoDbManualBackup",
        /// A backup of MongoDB run by a policy.
        MongoDbPolicyBackup = "MongoDbPolicyBackup",
        /// Archiving of MongoDB backups run by a policy.
        MongoDbPolicyArchive = "MongoDbPolicyArchive",
        /// Removal of Cosmos DB continuous backups.
        CosmosDbContinuousBackupDeletion = "CosmosDbContinuousBackupDeletion",
        /// Removal of VM snapshots past their retention (answers only: the session filter does not take it).
        VmSnapshotRetention = "VmSnapshotRetention",
        /// The appliance's own word for a kind it cannot name.
        Unknown = "Unknown",
    }
}
