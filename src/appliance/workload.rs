//! The kinds of protected item (API v8.1) and the removals each offers: the one table that
//! says which removal the appliance has for which workload.

use serde::{Deserialize, Serialize};

/// A kind of protected item. Its text form (`vm`, `sql`, `file-share`, `cosmos-db`) is what
/// [`Display`](std::fmt::Display), [`FromStr`](std::str::FromStr) and serde use.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Workload {
    /// Azure virtual machines.
    Vm,
    /// Azure SQL databases.
    Sql,
    /// Azure Files shares.
    FileShare,
    /// Azure Cosmos DB accounts.
    CosmosDb,
}

impl Workload {
    /// Every workload, in the order above.
    pub const ALL: [Workload; 4] = [Self::Vm, Self::Sql, Self::FileShare, Self::CosmosDb];

    /// The workload as text (`vm`, `sql`, `file-share`, `cosmos-db`).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What a removal takes away from a protected item (API v8.1). Its text form
/// (`backups`, `manual-backups`, `continuous-backups`, `snapshots`, `manual-snapshots`) is what
/// [`Display`](std::fmt::Display), [`FromStr`](std::str::FromStr) and serde use.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::Display,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Removal {
    /// Every backup in a repository (of one tier, or all).
    Backups,
    /// The backups taken by hand, outside any policy.
    ManualBackups,
    /// The continuous backups (Cosmos DB point-in-time restore).
    ContinuousBackups,
    /// Every snapshot, those of policies and those taken by hand.
    Snapshots,
    /// The snapshots taken by hand.
    ManualSnapshots,
}

impl Removal {
    /// Every removal, in the order above.
    pub const ALL: [Removal; 5] = [
        Self::Backups,
        Self::ManualBackups,
        Self::ContinuousBackups,
        Self::Snapshots,
        Self::ManualSnapshots,
    ];

    /// The removals the appliance offers for `workload`: VMs have backups, snapshots and
    /// manual snapshots; SQL databases backups and manual backups; Cosmos DB accounts backups,
    /// manual backups and continuous backups; file shares snapshots and manual snapshots.
    pub fn offered(workload: Workload) -> &'static [Removal] {
        match workload {
            Workload::Vm => &[Self::Backups, Self::Snapshots, Self::ManualSnapshots],
            Workload::Sql => &[Self::Backups, Self::ManualBackups],
            Workload::CosmosDb => &[Self::Backups, Self::ManualBackups, Self::ContinuousBackups],
            Workload::FileShare => &[Self::Snapshots, Self::ManualSnapshots],
        }
    }

    /// Whether the appliance offers this removal for `workload`.
    pub fn is_offered(self, workload: Workload) -> bool {
        Self::offered(workload).contains(&self)
    }

    /// Whether the removal takes a backup tier (`BackupTier`): the backups of VMs, SQL
    /// databases and Cosmos DB accounts.
    pub fn takes_tier(self, workload: Workload) -> bool {
        self == Self::Backups && workload != Workload::FileShare
    }

    /// The removal as text (`backups`, `manual-snapshots`, ...).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for workload in Workload::ALL {
            assert_eq!(workload.to_string().parse::<Workload>(), Ok(workload));
        }
        for removal in Removal::ALL {
            assert_eq!(removal.to_string().parse::<Removal>(), Ok(removal));
        }
        assert_eq!(Workload::FileShare.as_str(), "file-share");
        assert_eq!(Workload::CosmosDb.as_str(), "cosmos-db");
        assert_eq!(Removal::ManualSnapshots.as_str(), "manual-snapshots");
        assert!("virtual-machine".parse::<Workload>().is_err());
    }

    #[test]
    fn every_removal_is_offered_somewhere() {
        for removal in Removal::ALL {
            assert!(Workload::ALL.iter().any(|w| removal.is_offered(*w)));
        }
        assert!(!Removal::Snapshots.is_offered(Workload::Sql));
        assert!(!Removal::Backups.is_offered(Workload::FileShare));
    }
}
