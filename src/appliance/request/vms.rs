//! Reading protected VMs (v8.1): a page of them, and all of them.

use futures_util::Stream;

use crate::appliance::paging::{pages, Fetched};
use crate::appliance::window::window;
use crate::appliance::{ProtectedVm, VmPage};
use crate::operations::v8_1 as ops;
use crate::v8_1::types::{ListProtectedVirtualMachinesAnswer, ProtectedVirtualMachinePage};
use crate::{Appliance, Error, ErrorKind};

impl Appliance {
    /// One page of protected VMs, `limit` at a time after the first `offset` (v8.1): all of
    /// them, or those whose name contains a [`search`](ProtectedVmsPage::search)
    /// pattern; with [`rescan`](ProtectedVmsPage::rescan) the appliance first rescans
    /// Azure, and when it answers with an asynchronous operation, the operation is followed to
    /// its result.
    pub fn protected_vms_page(&self, offset: u32, limit: u32) -> ProtectedVmsPage<'_> {
        ProtectedVmsPage::new(self, offset, limit)
    }

    /// Every protected VM (or those whose name contains a
    /// [`search`](ProtectedVms::search) pattern), `page_size` at a time (v8.1), paged
    /// as [`job_sessions`](Self::job_sessions) is: each VM once, a VM that does not decode as
    /// an [`ErrorKind::UndecodableItem`] error and the stream goes on, a page of VMs already
    /// given ends it with [`ErrorKind::RepeatedPage`]; any other error ends it.
    pub fn protected_vms(&self, page_size: u32) -> ProtectedVms<'_> {
        ProtectedVms::new(self, page_size)
    }

    /// The protected VM named exactly `name` (v8.1): the appliance is searched for the name,
    /// then the one VM whose name is exactly it is taken. No such VM, or several, is an
    /// [`ErrorKind::VmName`] error naming the candidates.
    pub async fn find_vm_by_name(&self, name: &str) -> Result<ProtectedVm, Error> {
        use futures_util::TryStreamExt;
        // A VM the client cannot read could be the one asked for: its error ends the search.
        let found: Vec<ProtectedVm> = self.vms_stream(100, Some(name)).try_collect().await?;
        let shown = |vm: &ProtectedVm| {
            format!(
                "{} ({})",
                vm.name.as_deref().unwrap_or("?"),
                vm.id.as_deref().unwrap_or("no id")
            )
        };
        let exact: Vec<&ProtectedVm> = found
            .iter()
            .filter(|vm| vm.name.as_deref() == Some(name))
            .collect();
        match exact.as_slice() {
            [one] => Ok((*one).clone()),
            [] => Err(Error::new(
                ops::LIST_PROTECTED_VIRTUAL_MACHINES,
                ErrorKind::VmName {
                    name: name.to_string(),
                    ambiguous: false,
                    candidates: found.iter().map(shown).collect(),
                },
            )),
            several => Err(Error::new(
                ops::LIST_PROTECTED_VIRTUAL_MACHINES,
                ErrorKind::VmName {
                    name: name.to_string(),
                    ambiguous: true,
                    candidates: several.iter().map(|vm| shown(vm)).collect(),
                },
            )),
        }
    }

    async fn vms_page(
        &self,
        offset: u64,
        limit: u32,
        search: Option<&str>,
        sync: bool,
    ) -> Result<VmPage, Error> {
        let operation = ops::LIST_PROTECTED_VIRTUAL_MACHINES;
        let client = self.v8_1_only(operation, "the protected VM list").await?;
        let window = window(operation, offset, limit)?;
        let mut request = client
            .list_protected_virtual_machines()
            .offset(window.offset)
            .limit(window.limit_i32);
        if let Some(search) = search {
            request = request.search_pattern(search.to_string());
        }
        if sync {
            request = request.sync(true);
        }
        let page = match self.send(operation, request.send_answer()).await? {
            ListProtectedVirtualMachinesAnswer::Ok(page) => page,
            ListProtectedVirtualMachinesAnswer::Accepted(started) => {
                self.operation_result::<ProtectedVirtualMachinePage>(operation, started)
                    .await?
            }
        };
        Ok(VmPage {
            offset: u64::try_from(page.offset).unwrap_or(0),
            total_count: page.total_count.and_then(|n| u64::try_from(n).ok()),
            vms: page
                .results
                .unwrap_or_default()
                .into_iter()
                .map(crate::Lenient::into_result)
                .collect(),
        })
    }

    fn vms_stream<'a>(
        &'a self,
        page_size: u32,
        search: Option<&'a str>,
    ) -> impl Stream<Item = Result<ProtectedVm, Error>> + Send + 'a {
        let fetch = move |offset| async move {
            let page = self.vms_page(offset, page_size, search, false).await?;
            Ok(Fetched {
                items: page.vms,
                total: page.total_count,
                operation: ops::LIST_PROTECTED_VIRTUAL_MACHINES,
            })
        };
        pages(fetch, |vm: &ProtectedVm| vm.id.clone())
    }
}

/// One page of protected VMs, `limit` at a time after the first `offset` (v8.1). Made by
/// [`Appliance::protected_vms_page`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct ProtectedVmsPage<'a> {
    appliance: &'a Appliance,
    offset: u32,
    limit: u32,
    search: Option<&'a str>,
    sync: bool,
}

impl<'a> ProtectedVmsPage<'a> {
    pub(crate) fn new(appliance: &'a Appliance, offset: u32, limit: u32) -> Self {
        Self {
            appliance,
            offset,
            limit,
            search: None,
            sync: false,
        }
    }

    /// Only the VMs whose name contains `pattern` (`SearchPattern`).
    pub fn search(mut self, pattern: impl Into<Option<&'a str>>) -> Self {
        self.search = pattern.into();
        self
    }

    /// Have the appliance rescan Azure first (`Sync`); when it answers with an asynchronous
    /// operation, the operation is followed to its result.
    pub fn rescan(mut self) -> Self {
        self.sync = true;
        self
    }

    /// Reads the page.
    pub async fn send(self) -> Result<VmPage, Error> {
        self.appliance
            .vms_page(self.offset.into(), self.limit, self.search, self.sync)
            .await
    }
}

/// Every protected VM, read `page_size` at a time (v8.1). Made by
/// [`Appliance::protected_vms`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until streamed"]
pub struct ProtectedVms<'a> {
    appliance: &'a Appliance,
    page_size: u32,
    search: Option<&'a str>,
}

impl<'a> ProtectedVms<'a> {
    pub(crate) fn new(appliance: &'a Appliance, page_size: u32) -> Self {
        Self {
            appliance,
            page_size,
            search: None,
        }
    }

    /// Only the VMs whose name contains `pattern`.
    pub fn search(mut self, pattern: impl Into<Option<&'a str>>) -> Self {
        self.search = pattern.into();
        self
    }

    /// The VMs, page after page, as [`Appliance::protected_vms`] describes.
    pub fn stream(self) -> impl Stream<Item = Result<ProtectedVm, Error>> + Send + 'a {
        self.appliance.vms_stream(self.page_size, self.search)
    }
}
