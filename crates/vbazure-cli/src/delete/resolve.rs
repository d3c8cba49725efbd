//! `--by-name`: every name resolved to one protected item of the run's kind before anything
//! is removed.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use vbazure::{Appliance, ProtectedItem, ProtectedVm, Workload};

use super::Target;
use crate::exit::Exit;
use crate::Failure;

/// Up to this many names are looked up one search each; more are matched against one listing
/// of every protected item of the kind.
pub(super) const SEARCH_EACH_UP_TO: usize = 3;

/// The page size of that listing.
pub(super) const LISTING_PAGE: u32 = 1000;

/// The page size of a search for one name.
const SEARCH_PAGE: u32 = 100;

/// At most this many candidates are named for a name that does not resolve.
pub(super) const CANDIDATES_SHOWN: usize = 10;

/// A protected item as the appliance lists it: a VM as the protected-VM list gives it (a dry
/// run shows it as `vms list` does), another kind as the library's one model of them.
#[derive(Clone)]
pub(super) enum Listed {
    /// Boxed: a VM is six times the size of an item, and a listing holds every one.
    Vm(Box<ProtectedVm>),
    Item(ProtectedItem),
}

impl Listed {
    pub(super) fn id(&self) -> Option<&str> {
        match self {
            Self::Vm(vm) => vm.id.as_deref(),
            Self::Item(item) => Some(item.id.as_str()),
        }
    }

    pub(super) fn name(&self) -> Option<&str> {
        match self {
            Self::Vm(vm) => vm.name.as_deref(),
            Self::Item(item) => item.name.as_deref(),
        }
    }
}

/// The protected items of the target's kind whose names contain `search` (all of them
/// without), in pages of `page`.
async fn listing(
    appliance: &Appliance,
    target: Target,
    search: Option<&str>,
    page: u32,
) -> Result<Vec<Listed>, vbazure::Error> {
    match target.workload {
        Workload::Vm => {
            appliance
                .protected_vms(page)
                .search(search)
                .stream()
                .map_ok(|vm| Listed::Vm(Box::new(vm)))
                .try_collect()
                .await
        }
        workload => {
            appliance
                .protected_items(workload, page)
                .search(search)
                .stream()
                .map_ok(Listed::Item)
                .try_collect()
                .await
        }
    }
}

/// Every protected item of the target's kind, in pages of [`LISTING_PAGE`]; a failure names
/// `what` was being done.
pub(super) async fn every(
    appliance: &Appliance,
    target: Target,
    what: &str,
) -> Result<Vec<Listed>, Failure> {
    listing(appliance, target, None, LISTING_PAGE)
        .await
        .map_err(|e| Failure::api(what, &e))
}

/// Each name's item: `(name, id)` in the order given. Any name that matches no protected item
/// of the kind, or several, stops the run here, before anything is removed, each such name on
/// a line of its own with the candidates.
pub(super) async fn resolve(
    appliance: &Appliance,
    target: Target,
    names: Vec<String>,
) -> Result<Vec<(String, String)>, Failure> {
    let noun = target.noun();
    let context = format!("looking up the {noun} names");
    let mut problems = Vec::new();
    let mut resolved = Vec::with_capacity(names.len());
    let no_id =
        |name: &str| format!("{noun} name {name:?}: the appliance lists the {noun} without an id");
    if names.len() <= SEARCH_EACH_UP_TO {
        for name in names {
            // An item the client cannot read could be the one asked for: its error ends the
            // search.
            let found = listing(appliance, target, Some(&name), SEARCH_PAGE)
                .await
                .map_err(|e| Failure::api(&context, &e))?;
            let exact: Vec<&Listed> = found
                .iter()
                .filter(|item| item.name() == Some(name.as_str()))
                .collect();
            match exact.as_slice() {
                [one] => match one.id() {
                    Some(id) if !id.is_empty() => resolved.push((name, id.to_string())),
                    _ => problems.push(no_id(&name)),
                },
                [] => {
                    let candidates: Vec<String> = found.iter().map(shown).collect();
                    problems.push(name_problem(target, &name, &candidates))
                }
                several => {
                    let candidates: Vec<String> = several.iter().map(|i| shown(i)).collect();
                    problems.push(name_problem(target, &name, &candidates))
                }
            }
        }
    } else {
        // One listing of every protected item, matched here. An item the client cannot read
        // could be one of those asked for: it stops the run too.
        let listed = every(appliance, target, &context).await?;
        let mut by_name: HashMap<&str, Vec<&Listed>> = HashMap::new();
        for item in &listed {
            if let Some(name) = item.name() {
                by_name.entry(name).or_default().push(item);
            }
        }
        tracing::debug!(
            items = listed.len(),
            names = names.len(),
            "matching the names against the protected {}",
            target.nouns()
        );
        for name in names {
            match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([item]) => match item.id() {
                    Some(id) if !id.is_empty() => resolved.push((name.clone(), id.to_string())),
                    _ => problems.push(no_id(&name)),
                },
                Some(several) if several.len() > 1 => {
                    let candidates: Vec<String> = several.iter().map(|i| shown(i)).collect();
                    problems.push(name_problem(target, &name, &candidates))
                }
                _ => {
                    let lower = name.to_lowercase();
                    let similar: Vec<String> = listed
                        .iter()
                        .filter(|item| {
                            item.name()
                                .is_some_and(|n| n.to_lowercase().contains(&lower))
                        })
                        .map(shown)
                        .collect();
                    problems.push(name_problem(target, &name, &similar))
                }
            }
        }
    }
    if !problems.is_empty() {
        let count = problems.len();
        for problem in problems {
            eprintln!("error: {problem}");
        }
        return Err(Failure::new(
            Exit::Api,
            format!(
                "{count} {noun} name(s) did not resolve to exactly one protected {noun}; nothing \
                 was deleted"
            ),
        ));
    }
    for (name, id) in &resolved {
        tracing::debug!(
            name = name.as_str(),
            id = id.as_str(),
            "{noun} name resolved"
        );
    }
    Ok(resolved)
}

/// Why `name` names no one item: `candidates` (as `name (id)`) are the items named exactly so
/// when there are several, else those whose names contain it.
pub(super) fn name_problem(target: Target, name: &str, candidates: &[String]) -> String {
    let noun = target.noun();
    let nouns = target.nouns();
    let exact = format!("{name} (");
    let ambiguous = candidates.len() > 1 && candidates.iter().all(|c| c.starts_with(&exact));
    let mut list = candidates
        .iter()
        .take(CANDIDATES_SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if candidates.len() > CANDIDATES_SHOWN {
        list.push_str(&format!(
            " and {} more",
            candidates.len() - CANDIDATES_SHOWN
        ));
    }
    if ambiguous {
        format!(
            "{noun} name {name:?}: {} protected {nouns} are named {name:?}: {list}; give the \
             {noun}'s id instead (without --by-name)",
            candidates.len()
        )
    } else if candidates.is_empty() {
        format!("{noun} name {name:?}: no protected {noun} is named {name:?}")
    } else {
        format!(
            "{noun} name {name:?}: no protected {noun} is named exactly {name:?}; names that \
             contain it: {list}"
        )
    }
}

/// `name (id)`.
pub(super) fn shown(item: &Listed) -> String {
    format!(
        "{} ({})",
        item.name().unwrap_or("?"),
        item.id().unwrap_or("no id")
    )
}
