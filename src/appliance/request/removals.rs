//! Removing backups or snapshots of protected items of any workload (v8.1): which operation
//! a removal is for each workload, of one item or of many.

use crate::appliance::{BatchDeletion, DeleteOutcome, Removal, Workload, BATCH_LIMIT};
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::v8_1::types::{self as t, BackupTier, RemovalBatch};
use crate::{Appliance, Error, ErrorKind};

/// The name errors found before any operation is chosen give: a removal the appliance does
/// not offer has no operation of the document.
pub(crate) const REMOVING: &str = "removing";

/// The operation of removing one item's `removal` of `workload`, when the appliance has one
/// for a single item.
fn single_operation(workload: Workload, removal: Removal) -> Option<&'static str> {
    Some(match (workload, removal) {
        (Workload::Vm, Removal::Backups) => ops::DELETE_VIRTUAL_MACHINE_BACKUPS,
        (Workload::Vm, Removal::Snapshots) => ops::DELETE_VIRTUAL_MACHINE_SNAPSHOTS,
        (Workload::Vm, Removal::ManualSnapshots) => ops::DELETE_VIRTUAL_MACHINE_MANUAL_SNAPSHOTS,
        (Workload::Sql, Removal::Backups) => ops::DELETE_DATABASE_BACKUPS,
        (Workload::Sql, Removal::ManualBackups) => ops::DELETE_DATABASE_MANUAL_BACKUPS,
        (Workload::CosmosDb, Removal::Backups) => ops::DELETE_COSMOS_DB_ACCOUNT_BACKUPS,
        (Workload::CosmosDb, Removal::ManualBackups) => {
            ops::DELETE_COSMOS_DB_ACCOUNT_MANUAL_BACKUPS
        }
        (Workload::CosmosDb, Removal::ContinuousBackups) => {
            ops::DELETE_COSMOS_DB_ACCOUNT_CONTINUOUS_BACKUPS
        }
        _ => return None,
    })
}

/// The operation of removing many items' `removal` of `workload` in one request, when the
/// appliance has one.
fn batch_operation(workload: Workload, removal: Removal) -> Option<&'static str> {
    Some(match (workload, removal) {
        (Workload::Vm, Removal::Backups) => ops::DELETE_VIRTUAL_MACHINES_BACKUPS,
        (Workload::Vm, Removal::Snapshots) => ops::DELETE_VIRTUAL_MACHINES_SNAPSHOTS,
        (Workload::Vm, Removal::ManualSnapshots) => ops::DELETE_VIRTUAL_MACHINES_MANUAL_SNAPSHOTS,
        (Workload::FileShare, Removal::Snapshots) => ops::DELETE_FILE_SHARES_SNAPSHOTS,
        (Workload::FileShare, Removal::ManualSnapshots) => ops::DELETE_FILE_SHARES_MANUAL_SNAPSHOTS,
        _ => return None,
    })
}

impl Appliance {
    /// Removing `removal` (backups, snapshots, ...) of protected items of `workload`: of one
    /// item with [`of`](Removing::of), of many with [`of_batch`](Removing::of_batch). A
    /// removal the workload does not offer ([`Removal::offered`]) fails with
    /// [`ErrorKind::NotOffered`] before anything is sent.
    ///
    /// API v8.1 only, but for the backups of one VM, which is
    /// [`delete_backups`](Self::delete_backups) and has its v1 equivalent; on v1 every other
    /// removal fails with [`ErrorKind::NotInVersion`] before anything is sent, v1 having no
    /// equivalent.
    pub fn removing(&self, workload: Workload, removal: Removal) -> Removing<'_> {
        Removing {
            appliance: self,
            workload,
            removal,
            tier: None,
        }
    }

    /// The error of a removal or option the workload does not offer.
    fn not_offered(workload: Workload, removal: Removal, option: Option<&'static str>) -> Error {
        Error::new(
            REMOVING,
            ErrorKind::NotOffered {
                workload,
                removal,
                option,
            },
        )
    }

    async fn remove_one(
        &self,
        workload: Workload,
        removal: Removal,
        id: &str,
        tier: Option<BackupTier>,
    ) -> Result<DeleteOutcome, Error> {
        if single_operation(workload, removal).is_some() {
            return self.remove_single(workload, removal, id, tier).await;
        }
        if batch_operation(workload, removal).is_none() {
            return Err(Self::not_offered(workload, removal, None));
        }
        // File shares are removed in batches only: a batch of one.
        let ids = [id.to_string()];
        match self.remove_chunks(workload, removal, &ids).await?.pop() {
            Some(deletion) => deletion.outcome,
            None => Err(Error::new(
                REMOVING,
                ErrorKind::InvalidRequest {
                    message: "a batch of one made no request".to_string(),
                },
            )),
        }
    }

    async fn remove_batch(
        &self,
        workload: Workload,
        removal: Removal,
        ids: &[String],
        tier: Option<BackupTier>,
    ) -> Result<Vec<BatchDeletion>, Error> {
        if (workload, removal) == (Workload::Vm, Removal::Backups) {
            return self.batch_delete(ids, tier).await;
        }
        if batch_operation(workload, removal).is_some() {
            return self.remove_chunks(workload, removal, ids).await;
        }
        if single_operation(workload, removal).is_some() {
            return self.remove_each(workload, removal, ids, tier).await;
        }
        Err(Self::not_offered(workload, removal, None))
    }

    /// One item's removal by the operation for a single item.
    async fn remove_single(
        &self,
        workload: Workload,
        removal: Removal,
        id: &str,
        tier: Option<BackupTier>,
    ) -> Result<DeleteOutcome, Error> {
        if (workload, removal) == (Workload::Vm, Removal::Backups) {
            // The flow's own removal, which v1 has too.
            return self.delete_backups(id).tier(tier).send().await;
        }
        let Some(operation) = single_operation(workload, removal) else {
            return Err(Self::not_offered(workload, removal, None));
        };
        let client = self.v8_1_only(operation, "this removal").await?;
        path_segment::check(operation, "item id", id)?;
        // Each operation has its own builder and answer type, alike in what is used here.
        macro_rules! remove {
            ($method:ident, $id:ident, $answer:ident $(, $tier:ident)?) => {{
                #[allow(unused_mut)]
                let mut request = client.$method().$id(id);
                $(if let Some(tier) = tier {
                    request = request.$tier(tier);
                })?
                match self.send(operation, request.send_answer()).await? {
                    t::$answer::Accepted(session) => DeleteOutcome::Started(session.into()),
                    t::$answer::NoContent => DeleteOutcome::NothingToDelete,
                }
            }};
        }
        Ok(match (workload, removal) {
            (Workload::Vm, Removal::Snapshots) => remove!(
                delete_virtual_machine_snapshots,
                id,
                DeleteVirtualMachineSnapshotsAnswer
            ),
            (Workload::Vm, Removal::ManualSnapshots) => remove!(
                delete_virtual_machine_manual_snapshots,
                id,
                DeleteVirtualMachineManualSnapshotsAnswer
            ),
            (Workload::Sql, Removal::Backups) => remove!(
                delete_database_backups,
                database_id,
                DeleteDatabaseBackupsAnswer,
                backup_tier
            ),
            (Workload::Sql, Removal::ManualBackups) => remove!(
                delete_database_manual_backups,
                database_id,
                DeleteDatabaseManualBackupsAnswer
            ),
            (Workload::CosmosDb, Removal::Backups) => remove!(
                delete_cosmos_db_account_backups,
                cosmos_db_account_id,
                DeleteCosmosDbAccountBackupsAnswer,
                backup_tier
            ),
            (Workload::CosmosDb, Removal::ManualBackups) => remove!(
                delete_cosmos_db_account_manual_backups,
                cosmos_db_account_id,
                DeleteCosmosDbAccountManualBackupsAnswer
            ),
            (Workload::CosmosDb, Removal::ContinuousBackups) => remove!(
                delete_cosmos_db_account_continuous_backups,
                cosmos_db_account_id,
                DeleteCosmosDbAccountContinuousBackupsAnswer
            ),
            _ => return Err(Self::not_offered(workload, removal, None)),
        })
    }

    /// Many items' removal by the batch operation, [`BATCH_LIMIT`] per request.
    async fn remove_chunks(
        &self,
        workload: Workload,
        removal: Removal,
        ids: &[String],
    ) -> Result<Vec<BatchDeletion>, Error> {
        let Some(operation) = batch_operation(workload, removal) else {
            return Err(Self::not_offered(workload, removal, None));
        };
        let client = self.v8_1_only(operation, "batch removal").await?;
        check_ids(operation, ids)?;
        // The chunks are made before the first request, so that what each request names is
        // known whatever happens to the others.
        let chunks: Vec<Vec<String>> = ids.chunks(BATCH_LIMIT).map(<[String]>::to_vec).collect();
        let mut done = Vec::with_capacity(chunks.len());
        for chunk in chunks {
            let body = RemovalBatch { ids: chunk.clone() };
            macro_rules! remove {
                ($method:ident, $answer:ident) => {
                    self.send(operation, client.$method().body(body).send_answer())
                        .await
                        .map(|answer| match answer {
                            t::$answer::Accepted(session) => DeleteOutcome::Started(session.into()),
                            t::$answer::NoContent => DeleteOutcome::NothingToDelete,
                        })
                };
            }
            let outcome = match (workload, removal) {
                (Workload::Vm, Removal::Snapshots) => remove!(
                    delete_virtual_machines_snapshots,
                    DeleteVirtualMachinesSnapshotsAnswer
                ),
                (Workload::Vm, Removal::ManualSnapshots) => remove!(
                    delete_virtual_machines_manual_snapshots,
                    DeleteVirtualMachinesManualSnapshotsAnswer
                ),
                (Workload::FileShare, Removal::Snapshots) => remove!(
                    delete_file_shares_snapshots,
                    DeleteFileSharesSnapshotsAnswer
                ),
                (Workload::FileShare, Removal::ManualSnapshots) => remove!(
                    delete_file_shares_manual_snapshots,
                    DeleteFileSharesManualSnapshotsAnswer
                ),
                _ => return Err(Self::not_offered(workload, removal, None)),
            };
            done.push(BatchDeletion {
                vm_ids: chunk,
                outcome,
            });
        }
        Ok(done)
    }

    /// A batch of a removal the appliance takes for one item at a time: one request per item,
    /// in order, each outcome given with its item.
    async fn remove_each(
        &self,
        workload: Workload,
        removal: Removal,
        ids: &[String],
        tier: Option<BackupTier>,
    ) -> Result<Vec<BatchDeletion>, Error> {
        if let Some(operation) = single_operation(workload, removal) {
            // Version and ids are checked before the first request, as for a real batch.
            self.v8_1_only(operation, "this removal").await?;
            check_ids(operation, ids)?;
            for id in ids {
                path_segment::check(operation, "item id", id)?;
            }
        }
        let mut done = Vec::with_capacity(ids.len());
        for id in ids {
            let outcome = self.remove_single(workload, removal, id, tier).await;
            done.push(BatchDeletion {
                vm_ids: vec![id.clone()],
                outcome,
            });
        }
        Ok(done)
    }
}

/// An empty id fails a whole batch before anything is sent.
fn check_ids(operation: &'static str, ids: &[String]) -> Result<(), Error> {
    match ids.iter().position(|id| id.trim().is_empty()) {
        Some(position) => Err(Error::new(
            operation,
            ErrorKind::InvalidRequest {
                message: format!("item id number {} is empty", position + 1),
            },
        )),
        None => Ok(()),
    }
}

/// Removing backups or snapshots of one workload's items (v8.1; the backups of one VM also on
/// v1). Made by [`Appliance::removing`]; [`of`](Self::of) or [`of_batch`](Self::of_batch)
/// names the items.
#[derive(Clone, Copy, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct Removing<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    removal: Removal,
    tier: Option<BackupTier>,
}

impl<'a> Removing<'a> {
    /// Only the backups of this tier (`BackupTier`): for the backups of VMs, SQL databases and
    /// Cosmos DB accounts ([`Removal::takes_tier`]). Given to any other removal, the request
    /// fails with [`ErrorKind::NotOffered`] before anything is sent.
    pub fn tier(mut self, tier: impl Into<Option<BackupTier>>) -> Self {
        self.tier = tier.into();
        self
    }

    /// Of the item `id` (the appliance's id of it, a [`ProtectedItem::id`](crate::ProtectedItem)).
    /// File shares are removed in batches only: this sends a batch of one.
    pub fn of(self, id: &'a str) -> RemoveOne<'a> {
        RemoveOne { removing: self, id }
    }

    /// Of many items: [`BATCH_LIMIT`] per request where the appliance removes in batches (the
    /// backups, snapshots and manual snapshots of VMs, and file shares' snapshots), else one
    /// request per item; in the order of `ids`.
    pub fn of_batch(self, ids: &'a [String]) -> RemoveBatch<'a> {
        RemoveBatch {
            removing: self,
            ids,
        }
    }

    /// The error for what this removal does not offer, before anything is sent.
    fn check(&self) -> Result<(), Error> {
        if !self.removal.is_offered(self.workload) {
            return Err(Appliance::not_offered(self.workload, self.removal, None));
        }
        if self.tier.is_some() && !self.removal.takes_tier(self.workload) {
            return Err(Appliance::not_offered(
                self.workload,
                self.removal,
                Some("backup tier"),
            ));
        }
        Ok(())
    }
}

/// Removing backups or snapshots of one item. Made by [`Removing::of`].
#[derive(Clone, Copy, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct RemoveOne<'a> {
    removing: Removing<'a>,
    id: &'a str,
}

impl RemoveOne<'_> {
    /// Starts the removal: a session to follow, or [`DeleteOutcome::NothingToDelete`] when
    /// the item had nothing to remove.
    pub async fn send(self) -> Result<DeleteOutcome, Error> {
        let Removing {
            appliance,
            workload,
            removal,
            tier,
        } = self.removing;
        self.removing.check()?;
        appliance.remove_one(workload, removal, self.id, tier).await
    }
}

/// Removing backups or snapshots of many items. Made by [`Removing::of_batch`].
#[derive(Clone, Copy, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct RemoveBatch<'a> {
    removing: Removing<'a>,
    ids: &'a [String],
}

impl RemoveBatch<'_> {
    /// Makes the requests in the order of the ids: one per [`BATCH_LIMIT`] ids where the
    /// appliance takes batches, else one per id. One that fails does not stop the others,
    /// and each request's outcome is given with its items
    /// ([`BatchDeletion::vm_ids`](crate::BatchDeletion) holds them, whatever the workload), so
    /// that no session started is lost. An empty id fails the whole call before anything is
    /// sent.
    pub async fn send(self) -> Result<Vec<BatchDeletion>, Error> {
        let Removing {
            appliance,
            workload,
            removal,
            tier,
        } = self.removing;
        self.removing.check()?;
        appliance
            .remove_batch(workload, removal, self.ids, tier)
            .await
    }
}
