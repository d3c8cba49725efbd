//! The open enumerations of restore points (API v8.1): how one was made, where it is kept,
//! and in which storage tier.

use super::open_enum::open_enum;

open_enum! {
    /// How a restore point was made. Later appliances may add kinds: a value this client does
    /// not know decodes as `Unrecognized`.
    pub enum RestorePointType {
        /// A complete copy.
        Full = "Full",
        /// The changes since the point before.
        Incremental = "Incremental",
        /// A point of a continuous backup (Cosmos DB point-in-time restore).
        Continuous = "Continuous",
        /// The appliance could not tell.
        Unknown = "Unknown",
    }
}

open_enum! {
    /// Where a restore point is kept: a snapshot next to the item in Azure, or a backup in a
    /// repository. One list for every workload (the vendor's document has one per workload);
    /// a value this client does not know decodes as `Unrecognized`.
    pub enum RestorePointDestination {
        /// A snapshot taken by a policy.
        Snapshot = "Snapshot",
        /// A snapshot taken by hand.
        ManualSnapshot = "ManualSnapshot",
        /// A snapshot the appliance found and took over (file shares).
        ImportedSnapshot = "ImportedSnapshot",
        /// A backup in a repository (Azure blob storage).
        AzureBlob = "AzureBlob",
        /// A backup taken by hand.
        ManualBackup = "ManualBackup",
        /// The appliance could not tell.
        Unknown = "Unknown",
    }
}

impl RestorePointDestination {
    /// Whether the point is a snapshot (kept next to the item), not a backup in a repository.
    pub fn is_snapshot(&self) -> bool {
        matches!(
            self,
            Self::Snapshot | Self::ManualSnapshot | Self::ImportedSnapshot
        )
    }

    /// Whether the point was taken by hand, outside any policy.
    pub fn is_manual(&self) -> bool {
        matches!(self, Self::ManualSnapshot | Self::ManualBackup)
    }
}

open_enum! {
    /// The Azure storage tier a backup is kept in. A value this client does not know decodes
    /// as `Unrecognized`.
    pub enum StorageAccessTier {
        /// Frequently read data.
        Hot = "Hot",
        /// Rarely read data.
        Cool = "Cool",
        /// More rarely read data.
        Cold = "Cold",
        /// The archive tier: reading needs a retrieval first.
        Archive = "Archive",
        /// The account's default tier.
        Inferred = "Inferred",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destinations_say_what_they_are() {
        assert!(RestorePointDestination::ManualSnapshot.is_snapshot());
        assert!(RestorePointDestination::ManualSnapshot.is_manual());
        assert!(!RestorePointDestination::AzureBlob.is_snapshot());
        assert!(RestorePointDestination::ManualBackup.is_manual());
        let later: RestorePointDestination = "Tape".into();
        assert!(!later.is_known());
        assert!(!later.is_snapshot());
        assert_eq!(later.as_str(), "Tape");
    }
}
