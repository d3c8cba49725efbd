//! The generated page types of API v8.1 have one shape (`offset`, `totalCount`, `results` of
//! items each decoded on its own): one trait reads them all for the pager.

use crate::appliance::paging::Fetched;
use crate::v8_1::types as t;
use crate::{Lenient, UndecodableItem};

/// A generated page: where it starts, the total when given, and its items.
pub(crate) trait GeneratedPage {
    /// The generated type of its items.
    type Item;

    /// Its offset (0 for a negative one), total, and items.
    fn into_parts(self) -> (u64, Option<u64>, Vec<Lenient<Self::Item>>);

    /// Its items converted by `convert` (an item that does not decode stays an
    /// [`UndecodableItem`]), as the pager takes them.
    fn fetched<T>(
        self,
        operation: &'static str,
        convert: impl Fn(Self::Item) -> Result<T, UndecodableItem>,
    ) -> (u64, Fetched<T>)
    where
        Self: Sized,
    {
        let (offset, total, items) = self.into_parts();
        let items = items
            .into_iter()
            .map(|item| item.into_result().and_then(&convert))
            .collect();
        (
            offset,
            Fetched {
                items,
                total,
                operation,
            },
        )
    }
}

macro_rules! generated_page {
    ($($page:ident => $item:ident),+ $(,)?) => {$(
        impl GeneratedPage for t::$page {
            type Item = t::$item;

            fn into_parts(self) -> (u64, Option<u64>, Vec<Lenient<t::$item>>) {
                (
                    u64::try_from(self.offset).unwrap_or(0),
                    self.total_count.and_then(|n| u64::try_from(n).ok()),
                    self.results.unwrap_or_default(),
                )
            }
        }
    )+};
}

generated_page! {
    ProtectedVirtualMachinePage => ProtectedVirtualMachine,
    ProtectedDatabasePage => ProtectedDatabase,
    ProtectedCosmosDbAccountPage => ProtectedCosmosDbAccount,
    ProtectedFileSharePage => ProtectedFileShare,
    VirtualMachineRestorePointPage => VirtualMachineRestorePoint,
    SqlRestorePointPage => SqlRestorePoint,
    CosmosDbRestorePointPage => CosmosDbRestorePoint,
    FileShareRestorePointPage => FileShareRestorePoint,
    DeletedRestorePointPage => DeletedRestorePoint,
}
