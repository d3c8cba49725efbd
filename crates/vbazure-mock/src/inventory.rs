//! The protected virtual machines of the v8.1 appliance: who they are, and which of their
//! backups are left.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{json, Value};

use crate::dotnet::{guid, timestamp};

/// The most VMs `--generate-vms` makes: a page of all of them (`Limit=-1`) is then about
/// 100 MB of JSON, as much as a load test needs.
pub(crate) const MAX_GENERATED: usize = 100_000;

/// The VMs a mock has when it is given none: the two of the v8.1 document's examples (so
/// that the ids the documentation shows work) and two more.
pub(crate) const DEFAULT_GENERATED: usize = 4;

/// The subscription every mock VM lives in: the one of the document's examples.
pub(crate) const SUBSCRIPTION_ID: &str = "9a2f4c6e-1d3b-4e5f-8a7c-6b0d2e4f1a39";
const TENANT_ID: &str = "2e8d4b6a-0c1f-4a3e-9b57-8d6f0a2c4e19";
const RESOURCE_GROUP_ID: &str = "1f3b5d7e-9a2c-4e60-8b14-3d5f7a9c1e28";
const RESOURCE_GROUP: &str = "vbazure-mock";

/// Restore points a VM holds in each tier before anything is deleted.
const STANDARD_POINTS: u32 = 14;
const ARCHIVE_POINTS: u32 = 3;

/// Which backups a deletion concerns (`BackupTier`, v8.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
pub(crate) enum Tier {
    NonArchive,
    Archive,
    All,
    Unknown,
}

impl Tier {
    /// The tier as the API writes it; `None` for a text that names none.
    pub(crate) fn parse(text: &str) -> Option<Self> {
        text.parse().ok()
    }

    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }

    /// Which of the two stores a deletion of this tier (or of every tier, for `None`)
    /// empties: (standard, archive). `Unknown` names no store a VM has, so it empties none.
    fn stores(tier: Option<Self>) -> (bool, bool) {
        match tier {
            None | Some(Self::All) => (true, true),
            Some(Self::NonArchive) => (true, false),
            Some(Self::Archive) => (false, true),
            Some(Self::Unknown) => (false, false),
        }
    }
}

/// One protected VM.
#[derive(Clone, Debug)]
pub(crate) struct Vm {
    pub id: String,
    pub name: String,
    os: &'static str,
    size: &'static str,
    disk_gb: u32,
    zone: Option<&'static str>,
    last_backup: DateTime<Utc>,
    /// Restore points left in the standard and the archive tier.
    standard: u32,
    archive: u32,
}

impl Vm {
    fn new(index: usize, id: String, name: String) -> Self {
        let windows = index % 3 == 1;
        Self {
            id,
            name,
            os: if windows { "Windows" } else { "Linux" },
            size: if windows {
                "Standard_D4s_v5"
            } else {
                "Standard_B2s"
            },
            disk_gb: if windows { 512 } else { 64 },
            zone: (index % 2 == 1).then_some("2"),
            // Backed up last night, as a daily policy would have.
            last_backup: Utc::now() - TimeDelta::hours(10),
            standard: STANDARD_POINTS,
            archive: ARCHIVE_POINTS,
        }
    }

    /// Whether a deletion of `tier` (every tier for `None`) would find anything to remove.
    pub(crate) fn holds(&self, tier: Option<Tier>) -> bool {
        let (standard, archive) = Tier::stores(tier);
        (standard && self.standard > 0) || (archive && self.archive > 0)
    }

    /// Removes the backups of `tier`; how many restore points went.
    pub(crate) fn remove(&mut self, tier: Option<Tier>) -> u32 {
        let (standard, archive) = Tier::stores(tier);
        let mut removed = 0;
        if standard {
            removed += std::mem::take(&mut self.standard);
        }
        if archive {
            removed += std::mem::take(&mut self.archive);
        }
        removed
    }

    /// A VM with nothing left in any tier (the `--no-backups` scenario).
    fn empty(mut self) -> Self {
        self.standard = 0;
        self.archive = 0;
        self
    }

    /// As `ProtectedVirtualMachine` of the v8.1 document.
    pub(crate) fn to_json(&self, base_url: &str) -> Value {
        let azure_id = format!(
            "/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachines/{}",
            self.name
        );
        let backed_up = self.standard > 0 || self.archive > 0;
        json!({
            "id": self.id,
            "azureId": azure_id,
            "name": self.name,
            "regionName": "westeurope",
            "vmSize": self.size,
            "availabilityZone": self.zone,
            "azureEnvironment": "Global",
            "osType": self.os,
            "totalSizeInGB": self.disk_gb,
            "isController": false,
            "lastBackup": backed_up.then(|| timestamp(self.last_backup)),
            "subscription": {
                "id": SUBSCRIPTION_ID,
                "environment": "Global",
                "tenantId": TENANT_ID,
                "tenantName": "Contoso",
                "name": "Production",
                "status": "Active",
                "availability": "Available",
                "workerResourceGroupName": null,
            },
            "region": {"id": "westeurope", "name": "West Europe", "resourceId": null},
            "resourceGroup": {
                "id": RESOURCE_GROUP_ID,
                "resourceId": format!("/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}"),
                "name": RESOURCE_GROUP,
                "azureEnvironment": "Global",
                "subscriptionId": SUBSCRIPTION_ID,
                "tenantId": TENANT_ID,
                "regionId": "westeurope",
            },
            "_links": {"self": {"href": format!(
                "{base_url}/api/v8.1/protectedItem/virtualMachines/{}",
                crate::reply::segment(&self.id)
            )}},
        })
    }
}

/// The VMs in the order the appliance lists them, and an index by id.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    vms: Vec<Vm>,
    by_id: HashMap<String, usize>,
}

impl Inventory {
    /// `explicit` (name, id) VMs, then `generated` made-up ones, then the `empty` ids not yet
    /// among them (VMs that exist but have no backups); every VM whose id is in `empty` has
    /// no backups. A repeated id keeps its first name.
    pub(crate) fn new(explicit: &[(String, String)], generated: usize, empty: &[String]) -> Self {
        let mut inventory = Self::default();
        for (name, id) in explicit {
            inventory.add(id.clone(), name.clone());
        }
        // The document's example VMs come first: their ids appear in the documentation.
        let documented = [
            ("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64", "web-01"),
            ("8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20", "db-01"),
        ];
        // Seeded: the same ids on every run, so that tests and documentation can name them.
        let mut rng = fastrand::Rng::with_seed(0x7662_617a_7572_6501);
        for i in 0..generated.min(MAX_GENERATED) {
            let (id, name) = match documented.get(i) {
                Some((id, name)) => (id.to_string(), name.to_string()),
                None => (guid(rng.u128(..)), format!("app-{:02}", i + 1)),
            };
            inventory.add(id, name);
        }
        for id in empty {
            inventory.add(id.clone(), id.clone());
            if let Some(vm) = inventory.get_mut(id) {
                *vm = vm.clone().empty();
            }
        }
        inventory
    }

    fn add(&mut self, id: String, name: String) {
        if self.by_id.contains_key(&id) {
            return;
        }
        self.by_id.insert(id.clone(), self.vms.len());
        let vm = Vm::new(self.vms.len(), id, name);
        self.vms.push(vm);
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Vm> {
        self.by_id.get(id).and_then(|&i| self.vms.get(i))
    }

    pub(crate) fn get_mut(&mut self, id: &str) -> Option<&mut Vm> {
        let index = *self.by_id.get(id)?;
        self.vms.get_mut(index)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Vm> {
        self.vms.iter()
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.vms.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generated_inventory_is_the_same_on_every_run() {
        let one = Inventory::new(&[], 6, &[]);
        let two = Inventory::new(&[], 6, &[]);
        let ids = |i: &Inventory| i.iter().map(|vm| vm.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&one), ids(&two));
        assert_eq!(one.len(), 6);
        assert_eq!(
            one.get("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
                .map(|vm| vm.name.as_str()),
            Some("web-01")
        );
        for vm in one.iter() {
            let id = vm.id.as_bytes();
            assert_eq!(vm.id.len(), 36, "{}", vm.id);
            assert_eq!((id[8], id[13], id[18], id[23]), (b'-', b'-', b'-', b'-'));
            assert!(vm.holds(None));
        }
        let names: Vec<&str> = one.iter().map(|vm| vm.name.as_str()).collect();
        assert_eq!(
            names,
            ["web-01", "db-01", "app-03", "app-04", "app-05", "app-06"]
        );
    }

    #[test]
    fn tiers_empty_their_own_store_only() {
        let mut inventory = Inventory::new(&[("a".into(), "id-a".into())], 0, &[]);
        let vm = inventory.get_mut("id-a").expect("the VM");
        assert!(
            !vm.holds(Some(Tier::Unknown)),
            "no store is of an unknown tier"
        );
        assert_eq!(vm.remove(Some(Tier::Archive)), ARCHIVE_POINTS);
        assert!(!vm.holds(Some(Tier::Archive)));
        assert!(vm.holds(Some(Tier::NonArchive)) && vm.holds(None));
        assert_eq!(vm.remove(Some(Tier::All)), STANDARD_POINTS);
        assert!(!vm.holds(None));
        assert_eq!(vm.remove(None), 0);
        assert!(vm.to_json("http://mock")["lastBackup"].is_null());
    }

    #[test]
    fn vms_without_backups_exist_and_hold_nothing() {
        let inventory = Inventory::new(
            &[("a".into(), "id-a".into())],
            0,
            &["id-a".into(), "id-b".into()],
        );
        assert_eq!(inventory.len(), 2);
        assert!(!inventory.get("id-a").expect("listed").holds(None));
        assert!(!inventory.get("id-b").expect("added").holds(None));
        assert_eq!(
            inventory.get("id-a").map(|vm| vm.name.as_str()),
            Some("a"),
            "an explicit VM keeps its name"
        );
    }
}
