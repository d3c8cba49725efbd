//! One model of a restore point whatever its workload (API v8.1). The four documents' shapes
//! agree but for the names of the item's fields and of the size, and file shares' points have
//! no immutability or tier: one macro maps them all.

use serde::Serialize;

use crate::appliance::Workload;
use crate::v8_1::types::{
    CosmosDbRestorePoint, FileShareRestorePoint, SqlRestorePoint, VirtualMachineRestorePoint,
};
use crate::{
    RestorePointDestination, RestorePointType, StorageAccessTier, Timestamp, UndecodableItem,
};

/// A restore point of any workload, as API v8.1 describes it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[non_exhaustive]
pub struct RestorePoint {
    /// The appliance's identifier of the restore point (in paths).
    pub id: String,
    /// The workload of the item it was taken of.
    pub workload: Workload,
    /// The appliance's identifier of that item, the [`ProtectedItem::id`](crate::ProtectedItem)
    /// of it. For VMs the appliance names it `resourceHashId` (the document's examples give the
    /// protected VM's `id` there).
    pub item_id: Option<String>,
    /// The item's name.
    pub item_name: Option<String>,
    /// When the restore point was created.
    pub created: Timestamp,
    /// How it was made (full, incremental, continuous).
    pub kind: Option<RestorePointType>,
    /// Where it is kept (a snapshot, a repository backup, manual or not).
    pub destination: Option<RestorePointDestination>,
    /// Its size in bytes, when the appliance says.
    pub size_bytes: Option<i64>,
    /// Until when it is immutable (cannot be removed: a removal is answered 423), if it is.
    /// File shares' points have none.
    pub immutable_until: Option<Timestamp>,
    /// The storage tier it is kept in (file shares' points have none).
    pub access_tier: Option<StorageAccessTier>,
    /// Whether it is damaged (a damaged point cannot be restored from).
    pub corrupted: Option<bool>,
}

impl RestorePoint {
    /// Whether the point is still immutable at `now`: the appliance refuses to remove it
    /// (423) until [`immutable_until`](Self::immutable_until) has passed.
    pub fn is_immutable_at(&self, now: Timestamp) -> bool {
        self.immutable_until.is_some_and(|until| until > now)
    }
}

/// A generated restore point that becomes a [`RestorePoint`].
pub(crate) trait IntoRestorePoint: Sized {
    /// The restore point; every shape has the required `id` and `pointInTime`, so this cannot
    /// fail once decoded.
    fn into_point(self) -> RestorePoint;

    /// As an item of a page.
    fn into_item(self) -> Result<RestorePoint, UndecodableItem> {
        Ok(self.into_point())
    }
}

/// Implements [`IntoRestorePoint`] for a generated type: its workload, the names of its item
/// and size fields, and, where it has them, its immutability and tier fields.
macro_rules! restore_point_from {
    ($($type:ty => $workload:ident {
        item_id: $item_id:ident,
        item_name: $item_name:ident,
        size: $size:ident
        $(, immutable_until: $immutable:ident, access_tier: $tier:ident)? $(,)?
    })+) => {$(
        impl IntoRestorePoint for $type {
            fn into_point(self) -> RestorePoint {
                RestorePoint {
                    id: self.id,
                    workload: Workload::$workload,
                    item_id: self.$item_id,
                    item_name: self.$item_name,
                    created: self.point_in_time,
                    kind: self.type_,
                    destination: self.backup_destination,
                    size_bytes: self.$size,
                    immutable_until: None $(.or(self.$immutable))?,
                    access_tier: None $(.or(self.$tier))?,
                    corrupted: self.is_corrupted,
                }
            }
        }
    )+};
}

restore_point_from! {
    VirtualMachineRestorePoint => Vm {
        item_id: resource_hash_id,
        item_name: vm_name,
        size: backup_size_bytes,
        immutable_until: immutable_till,
        access_tier: access_tier,
    }
    SqlRestorePoint => Sql {
        item_id: database_id,
        item_name: database_name,
        size: backup_size_bytes,
        immutable_until: immutable_till,
        access_tier: access_tier,
    }
    CosmosDbRestorePoint => CosmosDb {
        item_id: account_id,
        item_name: account_name,
        size: backup_size_bytes,
        immutable_until: immutable_till,
        access_tier: access_tier,
    }
    FileShareRestorePoint => FileShare {
        item_id: file_share_id,
        item_name: file_share_name,
        size: size_in_bytes,
    }
}

/// One page of restore points, each decoded on its own.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RestorePointPage {
    /// How many restore points come before this page.
    pub offset: u64,
    /// How many there are in all, when the appliance says.
    pub total_count: Option<u64>,
    /// The restore points of this page, newest first as the appliance lists them.
    pub points: Vec<Result<RestorePoint, UndecodableItem>>,
}
