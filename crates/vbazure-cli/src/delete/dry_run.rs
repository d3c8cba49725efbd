//! `--dry-run`: what would be deleted, and nothing sent.

use std::collections::HashMap;

use vbazure::{ApiVersion, Appliance, ErrorKind, ProtectedVm};

use super::resolve::{every_vm, SEARCH_EACH_UP_TO};
use super::Context;
use crate::exit::Exit;
use crate::journal::{self, State};
use crate::output::region;
use crate::Failure;

/// `--dry-run`: every VM resolved and printed (v8.1: name, id, region, last backup from the
/// protected-VM list; v1: the ids as given), with what an earlier run's journal recorded.
/// Nothing is deleted; exit 1 when a VM is not a protected VM (v8.1).
pub(super) async fn dry_run(
    appliance: &Appliance,
    targets: &[(String, String)],
    earlier: &journal::Read,
    cx: &Context,
) -> Result<Exit, Failure> {
    let printer = &cx.printer;
    let mut exit = Exit::Ok;
    let mut found: HashMap<String, ProtectedVm> = HashMap::new();
    if cx.version == ApiVersion::V8_1 {
        if targets.len() <= SEARCH_EACH_UP_TO {
            for (_, id) in targets {
                match appliance.protected_vm(id).await {
                    Ok(vm) => {
                        found.insert(id.clone(), vm);
                    }
                    Err(e) if matches!(e.kind(), ErrorKind::NotFound(_)) => {}
                    Err(e) => return Err(Failure::api("looking up the VMs", &e)),
                }
            }
        } else {
            for vm in every_vm(appliance, "looking up the VMs").await? {
                if let Some(id) = vm.id.clone() {
                    found.insert(id, vm);
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
        let vm = found.get(id);
        if cx.version == ApiVersion::V8_1 && vm.is_none() {
            eprintln!("error: VM {label}: no protected VM has the id {id}; it cannot be deleted");
            exit = Exit::Api;
            continue;
        }
        planned.push((id.clone(), vm.cloned(), action));
    }
    if printer.structured() {
        for (id, vm, action) in &planned {
            let mut line = serde_json::json!({"id": id, "action": action});
            if let Some(vm) = vm {
                line["name"] = serde_json::json!(vm.name);
                line["region"] = serde_json::json!(region(vm));
                line["lastBackup"] =
                    serde_json::json!(vm.last_backup.as_ref().map(|t| t.to_string()));
            }
            printer.object(&line);
        }
    } else if cx.version == ApiVersion::V8_1 {
        let vms: Vec<ProtectedVm> = planned.iter().filter_map(|(_, vm, _)| vm.clone()).collect();
        printer.rows(&vms)?;
    } else {
        for (id, _, _) in &planned {
            printer.text(id);
        }
    }
    let mut line = format!(
        "dry run: the backups of {} VM(s) would be deleted; nothing was sent",
        planned.len() - skipped
    );
    if skipped > 0 {
        line.push_str(&format!(
            " ({skipped} VM(s) handled by an earlier run of the journal: followed or looked for, \
             not sent again)"
        ));
    }
    printer.summary(&line);
    Ok(exit)
}
