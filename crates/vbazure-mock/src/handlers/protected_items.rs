//! The protected SQL databases, Cosmos DB accounts and file shares (v8.1): pages of them
//! with their filters, and one by id. (The VMs, whose reads may be asynchronous, are in
//! `v8_1.rs`.) A rescan (`Sync=true`) finds nothing new: the answer is the page at once,
//! which the document allows.

use crate::call::Call;
use crate::inventory::{item_json, Item, Workload};
use crate::reply::Reply;
use crate::shared::Shared;

use super::paging::{echoed, page, page_json, text, texts, window};
use super::removals::unknown_items;

/// Whether `item` passes the filters of a list of its kind.
fn matches(call: &Call<'_>, workload: Workload, item: &Item) -> bool {
    let needle = text(call, "SearchPattern").map(str::to_lowercase);
    if needle.is_some_and(|n| !item.name.to_lowercase().contains(&n)) {
        return false;
    }
    let ids = match workload {
        Workload::Sql => texts(call, "DatabaseIds"),
        Workload::CosmosDb => texts(call, "Accounts"),
        _ => Vec::new(),
    };
    if !ids.is_empty() && !ids.contains(&item.id.as_str()) {
        return false;
    }
    match (workload, text(call, "ServerId")) {
        (Workload::Sql, Some(server)) => crate::inventory::sql_server(item).0 == server,
        _ => true,
    }
}

/// A page of the items of `workload`.
pub(super) fn list(shared: &Shared, call: &Call<'_>, workload: Workload) -> Reply {
    let window = window(call);
    let state = shared.state();
    let matching: Vec<&Item> = state
        .inventory
        .catalog(workload)
        .iter()
        .filter(|item| matches(call, workload, item))
        .collect();
    let total = matching.len();
    let base = &shared.base_url;
    let results = page(matching, window.0, window.1)
        .into_iter()
        .map(|item| item_json(workload, item, base))
        .collect();
    let extra = echoed(
        call,
        &["SearchPattern", "ServerId", "DatabaseIds", "Accounts"],
    );
    Reply::json(
        200,
        page_json(base, workload.items_path(), window, total, results, &extra),
    )
}

/// The item of `workload` the path's `param` names, or 404.
pub(super) fn get(shared: &Shared, call: &Call<'_>, workload: Workload, param: &str) -> Reply {
    let id = call.path_param(param);
    let state = shared.state();
    match state.inventory.catalog(workload).get(id) {
        Some(item) => Reply::json(200, item_json(workload, item, &shared.base_url)),
        None => unknown_items(call, workload, &[id]),
    }
}
