//! Removing backups: of one VM, or of many in batches (v8.1).

use crate::appliance::{BatchDeletion, DeleteOutcome};
use crate::v8_1::types::BackupTier;
use crate::{Appliance, Error};

/// Removing every backup of one VM, or (v8.1) those of one tier. Made by
/// [`Appliance::delete_backups`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct DeleteBackups<'a> {
    appliance: &'a Appliance,
    vm_id: &'a str,
    tier: Option<BackupTier>,
}

impl<'a> DeleteBackups<'a> {
    pub(crate) fn new(appliance: &'a Appliance, vm_id: &'a str) -> Self {
        Self {
            appliance,
            vm_id,
            tier: None,
        }
    }

    /// Only the backups of this tier (v8.1 `BackupTier`; v1 has no tiers).
    pub fn tier(mut self, tier: impl Into<Option<BackupTier>>) -> Self {
        self.tier = tier.into();
        self
    }

    /// Starts the removal: a session to follow, or, on v8.1,
    /// [`DeleteOutcome::NothingToDelete`] when there was nothing to remove.
    pub async fn send(self) -> Result<DeleteOutcome, Error> {
        let Self {
            appliance,
            vm_id,
            tier,
        } = self;
        appliance
            .ask(move |dialect| dialect.delete_backups(vm_id, tier))
            .await
    }
}

/// Removing the backups of many VMs, [`BATCH_LIMIT`](crate::BATCH_LIMIT) per request, one
/// session per request (v8.1). Made by [`Appliance::delete_backups_batch`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct DeleteBackupsBatch<'a> {
    appliance: &'a Appliance,
    vm_ids: &'a [String],
    tier: Option<BackupTier>,
}

impl<'a> DeleteBackupsBatch<'a> {
    pub(crate) fn new(appliance: &'a Appliance, vm_ids: &'a [String]) -> Self {
        Self {
            appliance,
            vm_ids,
            tier: None,
        }
    }

    /// Only the backups of this tier.
    pub fn tier(mut self, tier: impl Into<Option<BackupTier>>) -> Self {
        self.tier = tier.into();
        self
    }

    /// Makes the requests in the order of the ids. One that fails does not stop the others,
    /// and each request's outcome is given with its VMs, so that no session started is lost.
    /// An empty id fails the whole call before anything is sent.
    pub async fn send(self) -> Result<Vec<BatchDeletion>, Error> {
        self.appliance.batch_delete(self.vm_ids, self.tier).await
    }
}
