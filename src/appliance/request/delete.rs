//! Removing backups: of one VM, or of many in batches (v8.1).

use crate::appliance::{BatchDeletion, DeleteOutcome, BATCH_LIMIT};
use crate::operations::v8_1 as ops;
use crate::v8_1::types::{BackupTier, DeleteBackupsRequest, DeleteVirtualMachinesBackupsAnswer};
use crate::{Appliance, Error, ErrorKind};

impl Appliance {
    /// Removing every backup of the virtual machine `vm_id`: a session to follow, or, on v8.1,
    /// [`DeleteOutcome::NothingToDelete`] when there was nothing to remove. Options (a backup
    /// tier) are methods of the request; `send()` starts it.
    pub fn delete_backups<'a>(&'a self, vm_id: &'a str) -> DeleteBackups<'a> {
        DeleteBackups::new(self, vm_id)
    }

    /// Removing the backups of many VMs, [`BATCH_LIMIT`] per request, one session per request
    /// (v8.1). The requests are made in the order of `vm_ids`; one that fails does not stop
    /// the others, and each request's outcome is given with its VMs, so that no session
    /// started is lost. An empty id fails the whole call before anything is sent. A backup
    /// tier is an option of the request; `send()` makes the requests.
    pub fn delete_backups_batch<'a>(&'a self, vm_ids: &'a [String]) -> DeleteBackupsBatch<'a> {
        DeleteBackupsBatch::new(self, vm_ids)
    }

    pub(in crate::appliance) async fn batch_delete(
        &self,
        vm_ids: &[String],
        tier: Option<BackupTier>,
    ) -> Result<Vec<BatchDeletion>, Error> {
        let operation = ops::DELETE_VIRTUAL_MACHINES_BACKUPS;
        let client = self.v8_1_only(operation, "batch deletion").await?;
        if let Some(position) = vm_ids.iter().position(|id| id.trim().is_empty()) {
            return Err(Error::new(
                operation,
                ErrorKind::InvalidRequest {
                    message: format!("VM id number {} is empty", position + 1),
                },
            ));
        }
        // The chunks are made before the first request, so that what each request names is
        // known whatever happens to the others.
        let chunks: Vec<Vec<String>> = vm_ids.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
        let mut done = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            let body = DeleteBackupsRequest {
                ids: chunk.clone(),
                backup_tier: tier,
            };
            let outcome = self
                .send(
                    operation,
                    client
                        .delete_virtual_machines_backups()
                        .body(body)
                        .send_answer(),
                )
                .await
                .map(|answer| match answer {
                    DeleteVirtualMachinesBackupsAnswer::Accepted(session) => {
                        DeleteOutcome::Started(session.into())
                    }
                    DeleteVirtualMachinesBackupsAnswer::NoContent => DeleteOutcome::NothingToDelete,
                });
            done.push(BatchDeletion {
                vm_ids: chunk,
                outcome,
            });
        }
        Ok(done)
    }
}

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
