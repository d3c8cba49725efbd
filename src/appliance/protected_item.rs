//! One model of a protected item whatever its workload (API v8.1): the fields a housekeeping
//! script needs from the four documents' shapes of a VM, a SQL database, a Cosmos DB account
//! and a file share.

use serde::Serialize;

use crate::appliance::Workload;
use crate::v8_1::types::{
    ProtectedCosmosDbAccount, ProtectedDatabase, ProtectedFileShare, ProtectedVirtualMachine,
};
use crate::{Timestamp, UndecodableItem};

/// A protected item of any workload, as API v8.1 describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ProtectedItem {
    /// The appliance's identifier of the item (in paths, batches, and as a restore point's
    /// [`item_id`](crate::RestorePoint::item_id)).
    pub id: String,
    /// Its name in Azure.
    pub name: Option<String>,
    /// Its kind.
    pub workload: Workload,
    /// When it was last backed up (for file shares: its newest snapshot; for Cosmos DB
    /// accounts: their newest backup in a repository).
    pub last_backup: Option<Timestamp>,
    /// The Azure region it lives in, as Azure names regions (`westeurope`).
    pub region: Option<String>,
    /// Its size in bytes: of its disks (VMs), of the database or the share; for a Cosmos DB
    /// account, which the appliance gives no size of, the size of its backups in both tiers.
    pub size_bytes: Option<i64>,
}

const MIB: i64 = 1024 * 1024;
const GIB: i64 = 1024 * MIB;

/// A generated protected item that becomes a [`ProtectedItem`]. An item without an id cannot
/// be named in any later request, so it is an [`UndecodableItem`] like one that does not
/// decode.
pub(crate) trait IntoProtectedItem: Serialize + Sized {
    /// The item, or why it cannot be one.
    fn into_item(self) -> Result<ProtectedItem, UndecodableItem>;
}

/// `item` with the id it must have, or the item as an [`UndecodableItem`].
fn with_id<T: Serialize>(
    raw: &T,
    id: Option<String>,
    build: impl FnOnce(String) -> ProtectedItem,
) -> Result<ProtectedItem, UndecodableItem> {
    match id {
        Some(id) if !id.is_empty() => Ok(build(id)),
        _ => Err(UndecodableItem {
            value: serde_json::to_value(raw).unwrap_or_default(),
            reason: "the item has no `id`".to_string(),
        }),
    }
}

impl IntoProtectedItem for ProtectedVirtualMachine {
    fn into_item(self) -> Result<ProtectedItem, UndecodableItem> {
        with_id(&self, self.id.clone(), |id| ProtectedItem {
            id,
            name: self.name.clone(),
            workload: Workload::Vm,
            last_backup: self.last_backup,
            region: self
                .region_name
                .clone()
                .or_else(|| self.region.as_ref().and_then(|r| r.0.as_ref()?.id.clone())),
            size_bytes: self
                .total_size_in_gb
                .map(|gb| i64::from(gb).saturating_mul(GIB)),
        })
    }
}

impl IntoProtectedItem for ProtectedDatabase {
    fn into_item(self) -> Result<ProtectedItem, UndecodableItem> {
        with_id(&self, self.id.clone(), |id| ProtectedItem {
            id,
            name: self.name.clone(),
            workload: Workload::Sql,
            last_backup: self.last_backup,
            region: self.region.as_ref().and_then(|r| r.0.as_ref()?.id.clone()),
            size_bytes: self.size_in_mb.map(|mb| mb.saturating_mul(MIB)),
        })
    }
}

impl IntoProtectedItem for ProtectedFileShare {
    fn into_item(self) -> Result<ProtectedItem, UndecodableItem> {
        with_id(&self, self.id.clone(), |id| ProtectedItem {
            id,
            name: self.name.clone(),
            workload: Workload::FileShare,
            last_backup: self.last_backup,
            region: self.region_name.clone(),
            size_bytes: self.size_in_mb.map(|mb| mb.saturating_mul(MIB)),
        })
    }
}

impl IntoProtectedItem for ProtectedCosmosDbAccount {
    fn into_item(self) -> Result<ProtectedItem, UndecodableItem> {
        let size_bytes = match (self.backup_size_bytes, self.archive_size_bytes) {
            (None, None) => None,
            (standard, archive) => Some(standard.unwrap_or(0).saturating_add(archive.unwrap_or(0))),
        };
        with_id(&self, self.id.clone(), |id| ProtectedItem {
            id,
            name: self.name.clone(),
            workload: Workload::CosmosDb,
            last_backup: self.latest_backup,
            region: self.region_name.clone(),
            size_bytes,
        })
    }
}
