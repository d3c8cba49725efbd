//! The kinds of protected items the v8.1 appliance keeps restore points of, and how each is
//! named in paths, logs and deleted items.

/// A kind of protected item.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Workload {
    Vm,
    Sql,
    CosmosDb,
    FileShare,
}

impl Workload {
    /// Every kind, in the order the inventory holds them.
    pub(crate) const ALL: [Self; 4] = [Self::Vm, Self::Sql, Self::CosmosDb, Self::FileShare];

    /// The item as a log message names it, lower case.
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Self::Vm => "virtual machine",
            Self::Sql => "database",
            Self::CosmosDb => "Cosmos DB account",
            Self::FileShare => "file share",
        }
    }

    /// The `resourceType` of a deleted item's resource, one of the vendor's `ResourceType`
    /// values (its client refuses others): the mock's databases are managed ones, and its
    /// Cosmos DB accounts are of the NoSQL API.
    pub(crate) fn resource_type(self) -> &'static str {
        match self {
            Self::Vm => "VirtualMachine",
            Self::Sql => "ManagedDatabase",
            Self::CosmosDb => "NoSqlCosmosAccount",
            Self::FileShare => "FileShare",
        }
    }

    /// The path of the protected items of this kind, below `/api/v8.1`.
    pub(crate) fn items_path(self) -> &'static str {
        match self {
            Self::Vm => "/protectedItem/virtualMachines",
            Self::Sql => "/protectedItem/sql",
            Self::CosmosDb => "/protectedItem/cosmosDb",
            Self::FileShare => "/protectedItem/fileShares",
        }
    }

    /// The path of the restore points of this kind, below `/api/v8.1`.
    pub(crate) fn points_path(self) -> &'static str {
        match self {
            Self::Vm => "/restorePoints/virtualMachines",
            Self::Sql => "/restorePoints/sql",
            Self::CosmosDb => "/restorePoints/cosmosDb/repository",
            Self::FileShare => "/restorePoints/fileShares",
        }
    }

    /// The resource group the mock's items of this kind live in.
    pub(crate) fn resource_group(self) -> &'static str {
        match self {
            Self::Vm => "vbazure-mock",
            Self::Sql => "data",
            Self::CosmosDb => "catalog",
            Self::FileShare => "files",
        }
    }
}
