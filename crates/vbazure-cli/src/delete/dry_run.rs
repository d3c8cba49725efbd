//! `--dry-run`: what would be removed, and nothing sent.

use std::collections::HashMap;

use serde::Serialize;
use vbazure::{ApiVersion, Appliance, ErrorKind, ProtectedItem, ProtectedVm, Workload};

use super::resolve::{every, Listed, SEARCH_EACH_UP_TO};
use super::{Context, Target};
use crate::exit::Exit;
use crate::journal::{self, State};
use crate::output::{region, shown, size, Column, Printer, Record};
use crate::Failure;

/// `--dry-run`: every item resolved and printed (v8.1: name, id, region, last backup from the
/// protected items of the kind; v1: the ids as given), with what an earlier run's journal
/// recorded. Nothing is removed; exit 1 when an item is not a protected item of the kind
/// (v8.1).
pub(super) async fn dry_run(
    appliance: &Appliance,
    target: Target,
    targets: &[(String, String)],
    earlier: &journal::Read,
    cx: &Context,
) -> Result<Exit, Failure> {
    let printer = &cx.printer;
    let noun = target.noun();
    let mut exit = Exit::Ok;
    let mut found: HashMap<String, Listed> = HashMap::new();
    if cx.version == ApiVersion::V8_1 {
        let context = format!("looking up the {}", target.nouns());
        if targets.len() <= SEARCH_EACH_UP_TO {
            for (_, id) in targets {
                match one(appliance, target, id).await {
                    Ok(item) => {
                        found.insert(id.clone(), item);
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::NotFound(_)) => {}
                    Err(e) => return Err(Failure::api(&context, &e)),
                }
            }
        } else {
            for item in every(appliance, target, &context).await? {
                if let Some(id) = item.id().map(str::to_string) {
                    found.insert(id, item);
                }
            }
        }
    }
    let mut planned = Vec::new();
    let mut skipped = 0;
    for (label, id) in targets {
        let action = match earlier.state(id) {
            State::Pending => "delete",
            State::Uncertain { .. } => "look-for-earlier-deletion",
            State::Accepted { .. } => "follow-earlier-session",
            State::Nothing | State::Ended { .. } => "done-earlier",
        };
        if action != "delete" {
            skipped += 1;
        }
        let item = found.get(id);
        if cx.version == ApiVersion::V8_1 && item.is_none() {
            eprintln!(
                "error: {noun} {label}: no protected {noun} has the id {id}; it cannot be deleted"
            );
            exit = Exit::Api;
            continue;
        }
        planned.push((id.clone(), item.cloned(), action));
    }
    if printer.structured() {
        for (id, item, action) in &planned {
            printer.object(&json_line(id, item.as_ref(), action));
        }
    } else if cx.version == ApiVersion::V8_1 {
        print_rows(
            printer,
            planned.iter().filter_map(|(_, item, _)| item.clone()),
        )?;
    } else {
        for (id, _, _) in &planned {
            printer.text(id);
        }
    }
    let mut line = format!(
        "dry run: the {} of {} would be deleted; nothing was sent",
        target.what(),
        target.count(planned.len() - skipped)
    );
    if skipped > 0 {
        line.push_str(&format!(
            " ({} handled by an earlier run of the journal: followed or looked for, not sent \
             again)",
            target.count(skipped)
        ));
    }
    printer.summary(&line);
    Ok(exit)
}

/// The protected item `id` of the target's kind.
async fn one(appliance: &Appliance, target: Target, id: &str) -> Result<Listed, vbazure::Error> {
    match target.workload {
        Workload::Vm => appliance
            .protected_vm(id)
            .await
            .map(|vm| Listed::Vm(Box::new(vm))),
        workload => appliance
            .protected_item(workload, id)
            .send()
            .await
            .map(Listed::Item),
    }
}

/// A dry run's JSON line: the id and the action, with the item's name, region and last
/// backup (and, for other kinds than VMs, its size in bytes) when it was found.
fn json_line(id: &str, item: Option<&Listed>, action: &str) -> serde_json::Value {
    let mut line = serde_json::json!({"id": id, "action": action});
    match item {
        Some(Listed::Vm(vm)) => {
            line["name"] = serde_json::json!(vm.name);
            line["region"] = serde_json::json!(region(vm));
            line["lastBackup"] = serde_json::json!(vm.last_backup.as_ref().map(|t| t.to_string()));
        }
        Some(Listed::Item(item)) => {
            line["name"] = serde_json::json!(item.name);
            line["region"] = serde_json::json!(item.region);
            line["lastBackup"] =
                serde_json::json!(item.last_backup.as_ref().map(|t| t.to_string()));
            line["sizeBytes"] = serde_json::json!(item.size_bytes);
        }
        None => {}
    }
    line
}

/// The items as a table (or CSV): VMs as `vms list` shows them, other kinds as [`Item`]s.
fn print_rows(printer: &Printer, items: impl Iterator<Item = Listed>) -> Result<(), Failure> {
    let mut vms: Vec<ProtectedVm> = Vec::new();
    let mut others: Vec<Item> = Vec::new();
    for item in items {
        match item {
            Listed::Vm(vm) => vms.push(*vm),
            Listed::Item(item) => others.push(Item(item)),
        }
    }
    // One run is of one kind: one of the two is empty.
    if others.is_empty() {
        printer.rows(&vms)
    } else {
        printer.rows(&others)
    }
}

/// That `--columns` names columns of the rows a dry run of `target` prints.
pub(super) fn check_columns(target: Target, printer: &Printer) -> Result<(), Failure> {
    if target.workload == Workload::Vm {
        printer.check_columns::<ProtectedVm>()
    } else {
        printer.check_columns::<Item>()
    }
}

/// A protected SQL database, Cosmos DB account or file share as a dry run's row.
#[derive(Serialize)]
#[serde(transparent)]
struct Item(ProtectedItem);

impl Record for Item {
    const KIND: &'static str = "protected item";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "id",
                header: "ID",
                default: true,
                cell: |item| item.0.id.clone(),
            },
            Column {
                name: "name",
                header: "NAME",
                default: true,
                cell: |item| shown(item.0.name.as_ref()),
            },
            Column {
                name: "region",
                header: "REGION",
                default: true,
                cell: |item| shown(item.0.region.as_ref()),
            },
            Column {
                name: "last-backup",
                header: "LAST BACKUP",
                default: true,
                cell: |item| shown(item.0.last_backup.as_ref()),
            },
            Column {
                name: "size",
                header: "SIZE",
                default: true,
                cell: |item| shown(item.0.size_bytes.map(size).as_ref()),
            },
            Column {
                name: "kind",
                header: "KIND",
                default: false,
                cell: |item| item.0.workload.to_string(),
            },
        ]
    }
}
