//! The removals of what protected items hold (v8.1): VMs' backups and snapshots, one or a
//! batch; SQL databases' and Cosmos DB accounts' backups; file shares' snapshots (batches).
//! Each starts one session of the kind the document shows, or answers 204 when there is
//! nothing to remove; unknown items answer 404.

use std::collections::HashSet;

use chrono::Utc;
use serde_json::Value;

use crate::call::Call;
use crate::inventory::{Scope, Tier, Workload};
use crate::reply::Reply;
use crate::shared::Shared;
use crate::state::{Job, Target};

use super::paging::text;

/// The path parameter that names the item of each kind.
fn item_param(workload: Workload) -> &'static str {
    match workload {
        Workload::Vm => "id",
        Workload::Sql => "databaseId",
        Workload::CosmosDb => "cosmosDbAccountId",
        Workload::FileShare => "fileShareId",
    }
}

/// The 404 for items of `workload` there are not: the first, and how many more.
pub(super) fn unknown_items(call: &Call<'_>, workload: Workload, unknown: &[&str]) -> Reply {
    let first = unknown.first().copied().unwrap_or_default();
    let more = match unknown.len() {
        0 | 1 => String::new(),
        n => format!(" ({} more unknown ids)", n - 1),
    };
    let noun = match workload {
        Workload::Vm => "Protected virtual machine",
        Workload::Sql => "Protected database",
        Workload::CosmosDb => "Protected Cosmos DB account",
        Workload::FileShare => "Protected file share",
    };
    Reply::not_found(format!("{noun} {first} was not found{more}."), call.path)
}

/// Starts the removal of `scope` from `ids` (known to exist): 202 with the session, or 204
/// when none of them has anything to remove there.
fn start(shared: &Shared, workload: Workload, ids: &[&str], scope: Scope) -> Reply {
    let mut state = shared.state();
    // A session that has ended by time has already taken its points, read or not.
    state.advance_all_v8_1(shared.progression());
    let now = Utc::now();
    let catalog = state.inventory.catalog(workload);
    let targets: Vec<Target> = ids
        .iter()
        .filter_map(|id| catalog.get(id))
        .map(|item| Target {
            id: item.id.clone(),
            name: item.name.clone(),
            has_backups: item.holds(scope, now),
        })
        .collect();
    if !targets.iter().any(|t| t.has_backups) {
        return Reply::empty(204);
    }
    let index = state.start_v8_1_removal(Job::Items { workload, scope }, targets);
    match state.v8_1_session(index) {
        Some(session) => Reply::json(202, session.to_json(&shared.base_url, true)),
        None => Reply::problem(500, "The new session was lost."),
    }
}

/// A removal from the one item the path names.
pub(super) fn one(shared: &Shared, call: &Call<'_>, workload: Workload, scope: Scope) -> Reply {
    let id = call.path_param(item_param(workload));
    if shared.state().inventory.catalog(workload).get(id).is_none() {
        return unknown_items(call, workload, &[id]);
    }
    start(shared, workload, &[id], scope)
}

/// The `BackupTier` query parameter's tier (the document has checked it is one).
pub(super) fn query_tier(call: &Call<'_>) -> Option<Tier> {
    text(call, "BackupTier").and_then(Tier::parse)
}

/// The member `name` of a body, in any casing of its name, as the server binds it.
fn member<'a>(body: Option<&'a serde_json::Map<String, Value>>, name: &str) -> Option<&'a Value> {
    let body = body?;
    body.get(name).or_else(|| {
        body.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// A removal from the items a batch body names, in the tier it names (`backupTier`, for
/// VMs' backups) or `scope` otherwise.
pub(super) fn batch(shared: &Shared, call: &Call<'_>, workload: Workload, scope: Scope) -> Reply {
    let body = call.body.as_ref().and_then(Value::as_object);
    // The document has checked the body: `ids` is an array of at most 1000 texts, and no
    // member it does not list (none: 204).
    let ids: Vec<&str> = member(body, "ids")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut seen = HashSet::new();
    let ids: Vec<&str> = ids.into_iter().filter(|id| seen.insert(*id)).collect();
    let unknown: Vec<&str> = {
        let state = shared.state();
        let catalog = state.inventory.catalog(workload);
        ids.iter()
            .copied()
            .filter(|id| catalog.get(id).is_none())
            .collect()
    };
    if !unknown.is_empty() {
        return unknown_items(call, workload, &unknown);
    }
    let scope = match scope {
        Scope::Backups(_) => Scope::Backups(
            member(body, "backupTier")
                .and_then(Value::as_str)
                .and_then(Tier::parse),
        ),
        other => other,
    };
    start(shared, workload, &ids, scope)
}
