//! `--item` and `--from-file`: what each value names, matched against the restore points
//! listed, before anything is deleted.
//!
//! A value is, in this order: a restore point's id (`--from-file` only), an item's id (as the
//! points carry it), or an item's name. A name several items have is refused, naming them. A
//! value that names none of the points is looked up among the protected items: an item that
//! has no points matches nothing (said so); a value that names no item at all is refused for
//! `--item` (a typo must not pass for "nothing to delete"), and for a line of `--from-file` is
//! left out with a warning (a point listed there may be gone since the file was written).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use futures_util::StreamExt;
use vbazure::{Appliance, ErrorKind, Workload};

use super::point::Point;
use super::select::Scope;
use crate::exit::Exit;
use crate::journal;
use crate::Failure;

/// At most this many candidates are named for a name that does not resolve.
const CANDIDATES_SHOWN: usize = 10;

/// What the values name: `None` when none was given (every point is in scope).
pub(crate) async fn scope(
    appliance: &Appliance,
    workload: Workload,
    items: &[String],
    lines: &[String],
    points: &[Point],
    earlier: &journal::Read,
) -> Result<Option<Scope>, Failure> {
    if items.is_empty() && lines.is_empty() {
        return Ok(None);
    }
    let mut item_ids: BTreeSet<&str> = BTreeSet::new();
    // Item name → the item keys (and labels) of the points carrying it.
    let mut by_name: HashMap<&str, BTreeSet<(&str, String)>> = HashMap::new();
    for point in points {
        if let Some(id) = point.item_id.as_deref() {
            item_ids.insert(id);
        }
        if let Some(name) = point.item_name.as_deref() {
            by_name
                .entry(name)
                .or_default()
                .insert((point.item_key(), point.item_label()));
        }
    }
    let point_ids: BTreeSet<&str> = points.iter().map(|p| p.id.as_str()).collect();
    let mut scope = Scope::default();
    let mut problems = Vec::new();
    let values = items
        .iter()
        .map(|v| (v, true))
        .chain(lines.iter().map(|v| (v, false)));
    for (value, flag) in values {
        if !flag && point_ids.contains(value.as_str()) {
            scope.points.insert(value.clone());
            continue;
        }
        // A point an earlier run of the journal deleted is gone from the listing: no warning.
        if !flag && earlier.states.contains_key(value.as_str()) {
            continue;
        }
        if item_ids.contains(value.as_str()) {
            scope.items.insert(value.clone());
            continue;
        }
        // A name: the items of the points named so, and the protected items named so (an
        // item with no points could share the name: then the name is ambiguous too).
        let mut named: BTreeMap<String, String> = by_name
            .get(value.as_str())
            .into_iter()
            .flatten()
            .map(|(key, label)| (key.to_string(), label.clone()))
            .collect();
        let found = find_item(appliance, workload, value).await?;
        if let Found::Items(items) = &found {
            for (id, label) in items {
                named.entry(id.clone()).or_insert_with(|| label.clone());
            }
        }
        match named.len() {
            1 => {
                let (key, label) = named.into_iter().next().unwrap_or_default();
                if !by_name.contains_key(value.as_str()) && !item_ids.contains(key.as_str()) {
                    eprintln!(
                        "vbazure: {label}: it has no restore points; nothing of it is selected"
                    );
                }
                scope.items.insert(key);
            }
            0 => match found {
                Found::Similar(labels) if flag => problems.push(match labels.as_slice() {
                    [] => format!("--item {value:?}: no {workload} item has this id or name"),
                    _ => format!(
                        "--item {value:?}: no {workload} item has this id or name; names that \
                         contain it: {}",
                        shown(&labels)
                    ),
                }),
                _ => eprintln!(
                    "vbazure: warning: {value:?} (from the file) names no {workload} restore \
                     point or item: left out (a point deleted since the file was written?)"
                ),
            },
            _ => {
                let labels: Vec<String> = named.into_values().collect();
                problems.push(format!(
                    "{value:?}: {} {workload} items are named so: {}; give the item's id instead",
                    labels.len(),
                    shown(&labels)
                ));
            }
        }
    }
    if !problems.is_empty() {
        let count = problems.len();
        for problem in problems {
            eprintln!("error: {problem}");
        }
        return Err(Failure::new(
            Exit::Usage,
            format!(
                "{count} item selector(s) did not name exactly one {workload} item; nothing was \
                 deleted"
            ),
        ));
    }
    Ok(Some(scope))
}

/// What the protected items say of a value that names none of the points.
enum Found {
    /// The items it names (by id, or exactly by name): their ids and `name (id)`.
    Items(Vec<(String, String)>),
    /// None: the items whose names contain it.
    Similar(Vec<String>),
}

async fn find_item(
    appliance: &Appliance,
    workload: Workload,
    value: &str,
) -> Result<Found, Failure> {
    let context = format!("looking up the {workload} item {value:?}");
    match appliance.protected_item(workload, value).send().await {
        Ok(item) => return Ok(Found::Items(vec![(item.id.clone(), label(&item))])),
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::NotFound(_) | ErrorKind::NoSuchPath { .. }
            ) => {}
        Err(e) => return Err(Failure::api(&context, &e)),
    }
    let mut exact = Vec::new();
    let mut similar = Vec::new();
    let lower = value.to_lowercase();
    let mut stream = std::pin::pin!(appliance
        .protected_items(workload, 1000)
        .search(Some(value))
        .stream());
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) if item.name.as_deref() == Some(value) => {
                exact.push((item.id.clone(), label(&item)))
            }
            Ok(item)
                if item
                    .name
                    .as_deref()
                    .is_some_and(|n| n.to_lowercase().contains(&lower)) =>
            {
                similar.push(label(&item))
            }
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::UndecodableItem { .. }) => {}
            Err(e) => return Err(Failure::api(&context, &e)),
        }
    }
    Ok(if exact.is_empty() {
        Found::Similar(similar)
    } else {
        Found::Items(exact)
    })
}

fn label(item: &vbazure::ProtectedItem) -> String {
    format!("{} ({})", item.name.as_deref().unwrap_or("?"), item.id)
}

fn shown(labels: &[String]) -> String {
    let mut list = labels
        .iter()
        .take(CANDIDATES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if labels.len() > CANDIDATES_SHOWN {
        list.push_str(&format!(" and {} more", labels.len() - CANDIDATES_SHOWN));
    }
    list
}
