//! Reading protected items of any workload (v8.1): every one of a kind, and one by id.

use futures_util::Stream;

use crate::appliance::generated_page::GeneratedPage;
use crate::appliance::paging::{pages, Fetched};
use crate::appliance::protected_item::IntoProtectedItem;
use crate::appliance::window::window;
use crate::appliance::{ProtectedItem, Workload};
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::v8_1::types::{
    GetProtectedCosmosDbAccountAnswer, GetProtectedVirtualMachineAnswer,
    ListProtectedCosmosDbAccountsAnswer, ListProtectedDatabasesAnswer,
    ListProtectedFileSharesAnswer, ListProtectedVirtualMachinesAnswer,
};
use crate::{Appliance, Error};

/// What the errors of the version check call the protected item lists.
const FEATURE: &str = "protected items";

impl Appliance {
    /// Every protected item of `workload` (or those whose name contains a
    /// [`search`](ProtectedItems::search) pattern), `page_size` at a time, paged as
    /// [`protected_vms`](Self::protected_vms) is. For [`Workload::Vm`] this reads the
    /// protected VM list. API v8.1 only: v1 has no equivalent, and on v1 the stream gives one
    /// [`ErrorKind::NotInVersion`](crate::ErrorKind) error and nothing is sent.
    pub fn protected_items(&self, workload: Workload, page_size: u32) -> ProtectedItems<'_> {
        ProtectedItems {
            appliance: self,
            workload,
            page_size,
            search: None,
        }
    }

    /// One protected item of `workload` by the appliance's id of it. API v8.1 only: v1 has no
    /// equivalent, and on v1 this fails with [`ErrorKind::NotInVersion`](crate::ErrorKind)
    /// before anything is sent.
    pub fn protected_item<'a>(&'a self, workload: Workload, id: &'a str) -> GetProtectedItem<'a> {
        GetProtectedItem {
            appliance: self,
            workload,
            id,
        }
    }

    async fn items_page(
        &self,
        workload: Workload,
        offset: u64,
        limit: u32,
        search: Option<&str>,
    ) -> Result<Fetched<ProtectedItem>, Error> {
        let operation = match workload {
            Workload::Vm => ops::LIST_PROTECTED_VIRTUAL_MACHINES,
            Workload::Sql => ops::LIST_PROTECTED_DATABASES,
            Workload::FileShare => ops::LIST_PROTECTED_FILE_SHARES,
            Workload::CosmosDb => ops::LIST_PROTECTED_COSMOS_DB_ACCOUNTS,
        };
        let client = self.v8_1_only(operation, FEATURE).await?;
        let window = window(operation, offset, limit)?;
        // Each list has its own builder and answer type, alike in what is used here: the
        // request is made and its page (or an operation's result, if the appliance answers
        // 202 although no rescan was asked for) taken to the pager.
        macro_rules! list {
            ($method:ident, $answer:ident) => {{
                let mut request = client
                    .$method()
                    .offset(window.offset)
                    .limit(window.limit_i32);
                if let Some(search) = search {
                    request = request.search_pattern(search.to_string());
                }
                let page = match self.send(operation, request.send_answer()).await? {
                    $answer::Ok(page) => page,
                    $answer::Accepted(started) => self.operation_result(operation, started).await?,
                };
                GeneratedPage::fetched(page, operation, IntoProtectedItem::into_item).1
            }};
        }
        Ok(match workload {
            Workload::Vm => list!(
                list_protected_virtual_machines,
                ListProtectedVirtualMachinesAnswer
            ),
            Workload::Sql => list!(list_protected_databases, ListProtectedDatabasesAnswer),
            Workload::FileShare => list!(list_protected_file_shares, ListProtectedFileSharesAnswer),
            Workload::CosmosDb => list!(
                list_protected_cosmos_db_accounts,
                ListProtectedCosmosDbAccountsAnswer
            ),
        })
    }

    async fn item(&self, workload: Workload, id: &str) -> Result<ProtectedItem, Error> {
        let operation = match workload {
            Workload::Vm => ops::GET_PROTECTED_VIRTUAL_MACHINE,
            Workload::Sql => ops::GET_PROTECTED_DATABASE,
            Workload::FileShare => ops::GET_PROTECTED_FILE_SHARE,
            Workload::CosmosDb => ops::GET_PROTECTED_COSMOS_DB_ACCOUNT,
        };
        let client = self.v8_1_only(operation, FEATURE).await?;
        path_segment::check(operation, "item id", id)?;
        let item = match workload {
            Workload::Vm => {
                let request = client.get_protected_virtual_machine().id(id);
                match self.send(operation, request.send_answer()).await? {
                    GetProtectedVirtualMachineAnswer::Ok(vm) => vm.into_item(),
                    GetProtectedVirtualMachineAnswer::Accepted(started) => self
                        .operation_result::<crate::ProtectedVm>(operation, started)
                        .await?
                        .into_item(),
                }
            }
            Workload::Sql => {
                let request = client.get_protected_database().database_id(id);
                self.send(operation, request.send()).await?.into_item()
            }
            Workload::FileShare => {
                let request = client.get_protected_file_share().file_share_id(id);
                self.send(operation, request.send()).await?.into_item()
            }
            Workload::CosmosDb => {
                let request = client
                    .get_protected_cosmos_db_account()
                    .cosmos_db_account_id(id);
                match self.send(operation, request.send_answer()).await? {
                    GetProtectedCosmosDbAccountAnswer::Ok(account) => account.into_item(),
                    GetProtectedCosmosDbAccountAnswer::Accepted(started) => self
                        .operation_result::<crate::v8_1::types::ProtectedCosmosDbAccount>(
                            operation, started,
                        )
                        .await?
                        .into_item(),
                }
            }
        };
        item.map_err(|bad| Error::undecodable_item(operation, bad))
    }
}

/// Every protected item of a workload, read `page_size` at a time (v8.1). Made by
/// [`Appliance::protected_items`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until streamed"]
pub struct ProtectedItems<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    page_size: u32,
    search: Option<&'a str>,
}

impl<'a> ProtectedItems<'a> {
    /// Only the items whose name contains `pattern` (`SearchPattern`).
    pub fn search(mut self, pattern: impl Into<Option<&'a str>>) -> Self {
        self.search = pattern.into();
        self
    }

    /// The items, page after page, as [`Appliance::protected_items`] describes: each once,
    /// one that does not decode (or has no id) as an
    /// [`ErrorKind::UndecodableItem`](crate::ErrorKind) error and the stream goes on.
    pub fn stream(self) -> impl Stream<Item = Result<ProtectedItem, Error>> + Send + 'a {
        let Self {
            appliance,
            workload,
            page_size,
            search,
        } = self;
        let fetch = move |offset| appliance.items_page(workload, offset, page_size, search);
        pages(fetch, |item: &ProtectedItem| Some(item.id.clone()))
    }
}

/// One protected item by id (v8.1). Made by [`Appliance::protected_item`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct GetProtectedItem<'a> {
    appliance: &'a Appliance,
    workload: Workload,
    id: &'a str,
}

impl GetProtectedItem<'_> {
    /// Reads the item. One without an id is an [`ErrorKind::UndecodableItem`](crate::ErrorKind)
    /// error.
    pub async fn send(self) -> Result<ProtectedItem, Error> {
        self.appliance.item(self.workload, self.id).await
    }
}
