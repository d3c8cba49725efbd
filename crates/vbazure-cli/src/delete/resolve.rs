//! `--by-name`: every name resolved to one protected VM before anything is deleted.

use std::collections::HashMap;

use futures_util::TryStreamExt;
use vbazure::{Appliance, ErrorKind, ProtectedVm};

use crate::exit::Exit;
use crate::Failure;

/// Up to this many names are looked up one search each; more are matched against one listing
/// of every protected VM.
pub(super) const SEARCH_EACH_UP_TO: usize = 3;

/// The page size of that listing.
pub(super) const LISTING_PAGE: u32 = 1000;

/// At most this many candidates are named for a name that does not resolve.
pub(super) const CANDIDATES_SHOWN: usize = 10;

/// Every protected VM, in pages of [`LISTING_PAGE`]; a failure names `what` was being done.
pub(super) async fn every_vm(
    appliance: &Appliance,
    what: &str,
) -> Result<Vec<ProtectedVm>, Failure> {
    appliance
        .protected_vms(LISTING_PAGE)
        .stream()
        .try_collect()
        .await
        .map_err(|e| Failure::api(what, &e))
}

/// Each name's VM: `(name, id)` in the order given. Any name that matches no protected VM, or
/// several, stops the run here, before anything is deleted, each such name on a line of its
/// own with the candidates.
pub(super) async fn resolve(
    appliance: &Appliance,
    names: Vec<String>,
) -> Result<Vec<(String, String)>, Failure> {
    let mut problems = Vec::new();
    let mut resolved = Vec::with_capacity(names.len());
    if names.len() <= SEARCH_EACH_UP_TO {
        for name in names {
            match appliance.find_vm_by_name(&name).await {
                Ok(vm) => match vm.id {
                    Some(id) if !id.is_empty() => resolved.push((name, id)),
                    _ => problems.push(format!(
                        "VM name {name:?}: the appliance lists the VM without an id"
                    )),
                },
                Err(e) => match e.kind() {
                    ErrorKind::VmName { candidates, .. } => {
                        problems.push(name_problem(&name, candidates))
                    }
                    _ => return Err(Failure::api("looking up the VM names", &e)),
                },
            }
        }
    } else {
        // One listing of every protected VM, matched here. A VM the client cannot read could
        // be one of those asked for: it stops the run too.
        let listed = every_vm(appliance, "looking up the VM names").await?;
        let mut by_name: HashMap<&str, Vec<&ProtectedVm>> = HashMap::new();
        for vm in &listed {
            if let Some(name) = vm.name.as_deref() {
                by_name.entry(name).or_default().push(vm);
            }
        }
        tracing::debug!(
            vms = listed.len(),
            names = names.len(),
            "matching the names against the protected VMs"
        );
        for name in names {
            match by_name.get(name.as_str()).map(Vec::as_slice) {
                Some([vm]) => match vm.id.as_deref() {
                    Some(id) if !id.is_empty() => resolved.push((name.clone(), id.to_string())),
                    _ => problems.push(format!(
                        "VM name {name:?}: the appliance lists the VM without an id"
                    )),
                },
                Some(several) if several.len() > 1 => {
                    let candidates: Vec<String> = several.iter().map(|vm| shown_vm(vm)).collect();
                    problems.push(name_problem(&name, &candidates))
                }
                _ => {
                    let lower = name.to_lowercase();
                    let similar: Vec<String> = listed
                        .iter()
                        .filter(|vm| {
                            vm.name
                                .as_deref()
                                .is_some_and(|n| n.to_lowercase().contains(&lower))
                        })
                        .map(shown_vm)
                        .collect();
                    problems.push(name_problem(&name, &similar))
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
                "{count} VM name(s) did not resolve to exactly one protected VM; nothing was deleted"
            ),
        ));
    }
    for (name, id) in &resolved {
        tracing::debug!(name = name.as_str(), id = id.as_str(), "VM name resolved");
    }
    Ok(resolved)
}

/// Why `name` names no one VM: `candidates` (as `name (id)`) are the VMs named exactly so
/// when there are several, else those whose names contain it.
pub(super) fn name_problem(name: &str, candidates: &[String]) -> String {
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
            "VM name {name:?}: {} protected VMs are named {name:?}: {list}; give the VM's id \
             instead (without --by-name)",
            candidates.len()
        )
    } else if candidates.is_empty() {
        format!("VM name {name:?}: no protected VM is named {name:?}")
    } else {
        format!(
            "VM name {name:?}: no protected VM is named exactly {name:?}; names that contain it: \
             {list}"
        )
    }
}

/// `name (id)`.
pub(super) fn shown_vm(vm: &ProtectedVm) -> String {
    format!(
        "{} ({})",
        vm.name.as_deref().unwrap_or("?"),
        vm.id.as_deref().unwrap_or("no id")
    )
}
