//! Reading protected VMs (v8.1): a page of them, and all of them.

use futures_util::Stream;

use crate::appliance::{ProtectedVm, VmPage};
use crate::{Appliance, Error};

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
