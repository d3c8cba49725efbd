//! Restore points of any workload (v8.1): listed page after page, read and removed one by
//! one.

use futures_util::Stream;

use crate::appliance::generated_page::GeneratedPage;
use crate::appliance::paging::{pages, Fetched};
use crate::appliance::restore_point::IntoRestorePoint;
use crate::appliance::window::window;
use crate::appliance::{RestorePoint, RestorePointPage, Session, Workload};
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::{Appliance, Error};

/// What the errors of the version check call the restore point operations.
const FEATURE: &str = "restore points";

/// The options of a restore point list.
#[derive(Clone, Copy, Debug, Default)]
struct Query<'a> {
    item_id: Option<&'a str>,
    only_latest: bool,
}

impl Appliance {
    /// Every restore point of `workload` (or of one [`item`](RestorePoints::item)),
    /// `page_size` at a time, in the appliance's order (newest first), paged as
    /// [`protected_vms`](Self::protected_vms) is. API v8.1 only: v1 has no equivalent, and on
    /// v1 the stream gives one [`ErrorKind::NotInVersion`](crate::ErrorKind) error and nothing
    /// is sent.
    pub fn restore_points(&self, workload: Workload, page_size: u32) -> RestorePoints<'_> {
        RestorePoints {
            appliance: self,
            workload,
            page_size,
            query: Query::default(),
        }
    }

    /// One page of restore points of `workload`, `limit` at a time after the first `offset`
    /// (v8.1 only; v1 has no equivalent and fails with
    /// [`ErrorKind::NotInVersion`](crate::ErrorKind) before anything is sent).
    pub fn restore_points_page(
        &self,
        workload: Workload,
        offset: u32,
        limit: u32,
    ) -> RestorePointsPage<'_> {
        RestorePointsPage {
            appliance: self,
            workload,
            offset,
            limit,
            query: Query::default(),
        }
    }

    /// One restore point of `workload` by the appliance's id of it (v8.1 only; v1 has no
    /// equivalent and fails with [`ErrorKind::NotInVersion`](crate::ErrorKind) before anything
    /// is sent).
    pub fn restore_point<'a>(&'a self, workload: Workload, id: &'a str) -> GetRestorePoint<'a> {
        GetRestorePoint {
            appliance: self,
            workload,
            id,
        }
    }

    /// Removing one restore point of `workload` (`DELETE restorePoints/{kind}/{id}`): the
    /// session that removes it. An immutable point is refused with a 423, which
    /// [`Error::is_locked`] tells apart. API v8.1 only: v1 has no equivalent, and on v1 this
    /// fails with [`ErrorKind::NotInVersion`](crate::ErrorKind) before anything is sent.
    pub fn delete_restore_point<'a>(
        &'a self,
        workload: Workload,
        id: &'a str,
    ) -> DeleteRestorePoint<'a> {
        DeleteRestorePoint {
            appliance: self,
            workload,
            id,
        }
    }

    async fn points_page(
        &self,
        workload: Workload,
        offset: u64,
        limit: u32,
        query: Query<'_>,
    ) -> Result<(u64, Fetched<RestorePoint>), Error> {
        let operation = match workload {
            Workload::Vm => ops::LIST_VIRTUAL_MACHINE_RESTORE_POINTS,
            Workload::Sql => ops::LIST_SQL_RESTORE_POINTS,
            Workload::FileShare => ops::LIST_FILE_SHARE_RESTORE_POINTS,
            Workload::CosmosDb => ops::LIST_COSMOS_DB_RESTORE_POINTS,
        };
        let client = self.v8_1_only(operation, FEATURE).await?;
        let window = window(operation, offset, limit)?;
        // The four lists take the same options under their own builders; only the name of
        // the item's parameter differs.
        macro_rules! list {
            ($method:ident, $item:ident) => {{
                let mut request = client
                    .$method()
                    .offset(window.offset)
                    .limit(window.limit_i32);
                if let Some(item) = query.item_id {
                    request = request.$item(item.to_string());
                }
                if query.only_latest {
                    request = request.only_latest(true);
                }
                let page = self.send(operation, request.send()).await?;
                GeneratedPage::fetched(page, operation, IntoRestorePoint::into_item)
            }};
        }
        Ok(match workload {
            Workload::Vm => list!(list_virtual_machine_restore_points, virtual_machine_id),
            Workload::Sql => list!(list_sql_restore_points, database_id),
            Workload::FileShare => list!(list_file_share_restore_points, file_share_id),
            Workload::CosmosDb => list!(list_cosmos_db_restore_points, cosmos_db_account_id),
        })
    }

    async fn point(&self, workload: Workload, id: &str) -> Result<RestorePoint, Error> {
        let operation = match workload {
            Workload::Vm => ops::GET_VIRTUAL_MACHINE_RESTORE_POINT,
            Workload::Sql => ops::GET_SQL_RESTORE_POINT,
            Workload::FileShare => ops::GET_FILE_SHARE_RESTORE_POINT,
            Workload::CosmosDb => ops::GET_COSMOS_DB_RESTORE_POINT,
        };
        let client = self.v8_1_only(operation, FEATURE).await?;
        path_segment::check(operation, "restore point id", id)?;
        macro_rules! get {
            ($method:ident) => {
                self.send(operation, client.$method().restore_point_id(id).send())
                    .await?
                    .into_point()
            };
        }
        Ok(match workload {
            Workload::Vm => get!(get_virtual_machine_restore_point),
            Workload::Sql => get!(get_sql_restore_point),
            Workload::FileShare => get!(get_file_share_restore_point),
            Workload::CosmosDb => get!(get_cosmos_db_restore_point),
        })
    }

    async fn delete_point(&self, workload: Workload, id: &str) -> Result<Session, Error> {
        let operation = match workload {
            Workload::Vm => ops::DELETE_VIRTUAL_MACHINE_RESTORE_POINT,
            Workload::Sql => ops::DELETE_SQL_RESTORE_POINT,
            Workload::FileShare => ops::DELETE_FILE_SHARE_RESTORE_POINT,
            Workload::CosmosDb => ops::DELETE_COSMOS_DB_RESTORE_POINT,
        };
        let client = self.v8_1_only(operation, FEATURE).await?;
        path_segment::check(operation, "restore point id", id)?;
        macro_rules! delete {
            ($method:ident) => {
                self.send(operation, client.$method().restore_point_id(id).send())
                    .await?
            };
        }
        let session = match workload {
            Workload::Vm => delete!(delete_virtual_machine_restore_point),
            Workload::Sql => delete!(delete_sql_restore_point),
            Workload::FileShare => delete!(delete_file_share_restore_point),
            Workload::CosmosDb => delete!(delete_cosmos_db_restore_point),
        };
        Ok(session.into())
    }
}

/// Every restore point of a workload, read `page_size` at a time (v8.1). Made by
/// [`Appliance::restore_points`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until streamed"]
pub struct RestorePoints<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    page_size: u32,
    query: Query<'a>,
}

impl<'a> RestorePoints<'a> {
    /// Only the points of one item: the appliance's id of it, a
    /// [`ProtectedItem::id`](crate::ProtectedItem) (`VirtualMachineId`, `DatabaseId`,
    /// `FileShareId` or `CosmosDbAccountId`).
    pub fn item(mut self, item_id: impl Into<Option<&'a str>>) -> Self {
        self.query.item_id = item_id.into();
        self
    }

    /// Only the newest point of each item (`OnlyLatest`).
    pub fn only_latest(mut self, only_latest: bool) -> Self {
        self.query.only_latest = only_latest;
        self
    }

    /// The points, page after page, as [`Appliance::restore_points`] describes: each once,
    /// one that does not decode as an [`ErrorKind::UndecodableItem`](crate::ErrorKind) error
    /// and the stream goes on.
    pub fn stream(self) -> impl Stream<Item = Result<RestorePoint, Error>> + Send + 'a {
        let Self {
            appliance,
            workload,
            page_size,
            query,
        } = self;
        let fetch = move |offset| async move {
            let (_, fetched) = appliance
                .points_page(workload, offset, page_size, query)
                .await?;
            Ok(fetched)
        };
        pages(fetch, |point: &RestorePoint| Some(point.id.clone()))
    }
}

/// One page of restore points (v8.1). Made by [`Appliance::restore_points_page`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct RestorePointsPage<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    offset: u32,
    limit: u32,
    query: Query<'a>,
}

impl<'a> RestorePointsPage<'a> {
    /// Only the points of one item (see [`RestorePoints::item`]).
    pub fn item(mut self, item_id: impl Into<Option<&'a str>>) -> Self {
        self.query.item_id = item_id.into();
        self
    }

    /// Only the newest point of each item (`OnlyLatest`).
    pub fn only_latest(mut self, only_latest: bool) -> Self {
        self.query.only_latest = only_latest;
        self
    }

    /// Reads the page.
    pub async fn send(self) -> Result<RestorePointPage, Error> {
        let (offset, fetched) = self
            .appliance
            .points_page(self.workload, self.offset.into(), self.limit, self.query)
            .await?;
        Ok(RestorePointPage {
            offset,
            total_count: fetched.total,
            points: fetched.items,
        })
    }
}

/// One restore point by id (v8.1). Made by [`Appliance::restore_point`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct GetRestorePoint<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    id: &'a str,
}

impl GetRestorePoint<'_> {
    /// Reads the restore point.
    pub async fn send(self) -> Result<RestorePoint, Error> {
        self.appliance.point(self.workload, self.id).await
    }
}

/// Removing one restore point (v8.1). Made by [`Appliance::delete_restore_point`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct DeleteRestorePoint<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    id: &'a str,
}

impl DeleteRestorePoint<'_> {
    /// Starts the removal: the session to follow. A 423 (an immutable point) is an error for
    /// which [`Error::is_locked`] is true; nothing was removed then.
    pub async fn send(self) -> Result<Session, Error> {
        self.appliance.delete_point(self.workload, self.id).await
    }
}
