//! What a removal or retention session deleted (v8.1 `deletedItems`), page after page.

use futures_util::Stream;

use crate::appliance::generated_page::GeneratedPage;
use crate::appliance::paging::pages;
use crate::appliance::window::window;
use crate::appliance::DeletedItem;
use crate::operations::v8_1 as ops;
use crate::transport::path_segment;
use crate::{Appliance, Error};

impl Appliance {
    /// Every restore point the session `session_id` deleted, `page_size` at a time
    /// (`listJobSessionDeletedItems`), paged as [`protected_vms`](Self::protected_vms) is.
    /// API v8.1 only: v1 has no equivalent, and on v1 the stream gives one
    /// [`ErrorKind::NotInVersion`](crate::ErrorKind) error and nothing is sent.
    pub fn deleted_items<'a>(&'a self, session_id: &'a str, page_size: u32) -> DeletedItems<'a> {
        DeletedItems {
            appliance: self,
            session_id,
            page_size,
            search: None,
        }
    }
}

/// The items a deleted restore point is known by, to give each once: the appliance gives
/// them no id of their own.
fn key(item: &DeletedItem) -> Option<String> {
    let resource = item
        .resource
        .as_ref()
        .and_then(|r| r.0.as_ref()?.id.as_deref());
    let time = item.snapshot_time.map(|t| t.to_string());
    if resource.is_none() && time.is_none() {
        return None;
    }
    Some(format!(
        "{}|{}|{}",
        resource.unwrap_or_default(),
        time.unwrap_or_default(),
        item.repository_id.as_deref().unwrap_or_default()
    ))
}

/// The restore points one session deleted, read `page_size` at a time (v8.1). Made by
/// [`Appliance::deleted_items`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until streamed"]
pub struct DeletedItems<'a> {
    appliance: &'a Appliance,
    session_id: &'a str,
    page_size: u32,
    search: Option<&'a str>,
}

impl<'a> DeletedItems<'a> {
    /// Only the items whose name contains `pattern` (`NameSearchPattern`).
    pub fn search(mut self, pattern: impl Into<Option<&'a str>>) -> Self {
        self.search = pattern.into();
        self
    }

    /// The items, page after page: each once, one that does not decode as an
    /// [`ErrorKind::UndecodableItem`](crate::ErrorKind) error and the stream goes on.
    pub fn stream(self) -> impl Stream<Item = Result<DeletedItem, Error>> + Send + 'a {
        let Self {
            appliance,
            session_id,
            page_size,
            search,
        } = self;
        let fetch = move |offset| async move {
            let operation = ops::LIST_JOB_SESSION_DELETED_ITEMS;
            let client = appliance
                .v8_1_only(operation, "a session's deleted items")
                .await?;
            path_segment::check(operation, "session id", session_id)?;
            let window = window(operation, offset, page_size)?;
            let mut request = client
                .list_job_session_deleted_items()
                .session_id(session_id)
                .offset(window.offset)
                .limit(window.limit_i32);
            if let Some(search) = search {
                request = request.name_search_pattern(search.to_string());
            }
            let page = appliance.send(operation, request.send()).await?;
            Ok(GeneratedPage::fetched(page, operation, Ok).1)
        };
        pages(fetch, key)
    }
}
