//! The protected virtual machines: the made-up ones, and how the API writes a VM and its
//! restore points.

use serde_json::{json, Value};

use crate::dotnet::{guid, timestamp};
use crate::reply::segment;

use super::item::{Catalog, Item};
use super::points::Point;
use super::{MAX_GENERATED, SUBSCRIPTION_ID, TENANT_ID};

const RESOURCE_GROUP_ID: &str = "1f3b5d7e-9a2c-4e60-8b14-3d5f7a9c1e28";
const RESOURCE_GROUP: &str = "vbazure-mock";

/// Adds `count` made-up VMs (at most [`MAX_GENERATED`]) to `vms`: the document's two example
/// VMs first (their ids appear in the documentation), then `app-03`, `app-04`...
pub(super) fn generate(vms: &mut Catalog, count: usize, rng: &mut fastrand::Rng) {
    let documented = [
        ("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64", "web-01"),
        ("8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20", "db-01"),
    ];
    for i in 0..count.min(MAX_GENERATED) {
        let (id, name) = match documented.get(i) {
            Some((id, name)) => (id.to_string(), name.to_string()),
            None => (guid(rng.u128(..)), format!("app-{:02}", i + 1)),
        };
        vms.add(id, name);
    }
}

fn azure_id(vm: &Item) -> String {
    format!(
        "/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachines/{}",
        vm.name
    )
}

/// As `ProtectedVirtualMachine` of the v8.1 document. Its `lastBackup` is its newest backup
/// in a repository (none once they are removed); its size, OS and zone follow from its place.
pub(crate) fn vm_json(vm: &Item, base_url: &str) -> Value {
    let windows = vm.index % 3 == 1;
    let last_backup = vm.newest(|p| p.destination.is_backup()).map(|p| p.created);
    json!({
        "id": vm.id,
        "azureId": azure_id(vm),
        "name": vm.name,
        "regionName": "westeurope",
        "vmSize": if windows { "Standard_D4s_v5" } else { "Standard_B2s" },
        "availabilityZone": (vm.index % 2 == 1).then_some("2"),
        "azureEnvironment": "Global",
        "osType": if windows { "Windows" } else { "Linux" },
        "totalSizeInGB": if windows { 512 } else { 64 },
        "isController": false,
        "lastBackup": last_backup.map(timestamp),
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
            segment(&vm.id)
        )}},
    })
}

/// As `VirtualMachineRestorePoint` of the v8.1 document: the VM's appliance id is its
/// `resourceHashId`.
pub(crate) fn vm_point_json(vm: &Item, point: &Point) -> Value {
    let id = super::points::uuid_text(point.id);
    json!({
        "id": id,
        "type": point.kind.as_str(),
        "pointInTime": timestamp(point.created),
        "backupSizeBytes": point.size,
        "isCorrupted": false,
        "vmName": vm.name,
        "resourceHashId": vm.id,
        "regionId": "westeurope",
        "regionName": "West Europe",
        "backupDestination": point.destination.as_str(),
        "state": point.state(),
        "gfsFlags": point.gfs_flags(),
        "jobSessionId": null,
        "immutableTill": point.immutable_till.map(timestamp),
        "accessTier": point.tier.map(|t| t.as_str()),
        // No links, as the document's examples: a page of 100,000 points is lighter so.
        "_links": null,
    })
}
