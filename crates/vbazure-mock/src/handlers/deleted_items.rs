//! What a v8.1 session removed (`deletedItems`): the restore points, with the item each
//! belonged to, a page at a time; none until the session has ended.

use crate::call::Call;
use crate::inventory::Deleted;
use crate::reply::Reply;
use crate::shared::Shared;

use super::job_session::read_session;
use super::paging::{echoed, page, page_json, text, window};

pub(super) fn list(shared: &Shared, call: &Call<'_>) -> Reply {
    let window = window(call);
    let needle = text(call, "NameSearchPattern").map(str::to_lowercase);
    // A read of the list moves the session on as a read of the session does, without
    // counting as a poll of it.
    read_session(shared, call, false, |session| {
        let matching: Vec<&Deleted> = session
            .deleted
            .iter()
            .filter(|d| {
                needle
                    .as_deref()
                    .is_none_or(|n| d.item_name.to_lowercase().contains(n))
            })
            .collect();
        let total = matching.len();
        let results = page(matching, window.0, window.1)
            .into_iter()
            .map(Deleted::to_json)
            .collect();
        let path = format!("/jobSessions/{}/deletedItems", session.id);
        let extra = echoed(call, &["NameSearchPattern"]);
        Reply::json(
            200,
            page_json(&shared.base_url, &path, window, total, results, &extra),
        )
    })
}
