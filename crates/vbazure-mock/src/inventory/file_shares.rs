//! The protected Azure file shares: the made-up ones, and how the API writes a share and its
//! restore points (snapshots).

use serde_json::{json, Value};

use crate::dotnet::timestamp;
use crate::reply::segment;

use super::item::Item;
use super::points::{uuid_text, Point};
use super::SUBSCRIPTION_ID;

/// The shares a mock has when it is given none: the document's example first.
pub(super) const DEFAULTS: [(&str, &str); 3] = [
    ("2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75", "finance"),
    ("6b8d0f2a-4c6e-4a08-9c2e-8e0a2c4e6a31", "hr"),
    ("0a2c4e6b-8d0f-4c2a-8e4c-2a4c6e8b0d53", "engineering"),
];

const STORAGE_ACCOUNT_ID: &str = "4b6d8f0a-2c4e-4a86-9d0f-6e8a0c2e4a97";
const STORAGE_ACCOUNT: &str = "stfiles";

/// As `ProtectedFileShare` of the v8.1 document.
pub(crate) fn share_json(share: &Item, base_url: &str) -> Value {
    let account = format!(
        "/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/files/providers/Microsoft.Storage/storageAccounts/{STORAGE_ACCOUNT}"
    );
    let last = share.newest(|_| true).map(|p| p.created);
    json!({
        "id": share.id,
        "azureId": format!("{account}/fileServices/default/shares/{}", share.name),
        "name": share.name,
        "storageAccount": {"id": STORAGE_ACCOUNT_ID, "resourceId": account, "name": STORAGE_ACCOUNT},
        "regionName": "westeurope",
        "sizeInMb": 102400 + 10240 * share.index as u64,
        "subscriptionId": SUBSCRIPTION_ID,
        "lastBackup": last.map(timestamp),
        "_links": {"self": {"href": format!(
            "{base_url}/api/v8.1/protectedItem/fileShares/{}",
            segment(&share.id)
        )}},
    })
}

/// As `FileShareRestorePoint` of the v8.1 document.
pub(crate) fn share_point_json(share: &Item, point: &Point) -> Value {
    let id = uuid_text(point.id);
    json!({
        "id": id,
        "type": point.kind.as_str(),
        "fileShareId": share.id,
        "fileShareName": share.name,
        "regionId": "westeurope",
        "regionName": "West Europe",
        "pointInTime": timestamp(point.created),
        "backupDestination": point.destination.as_str(),
        "sizeInBytes": point.size,
        "isCorrupted": null,
        "state": point.state(),
        "gfsFlags": point.gfs_flags(),
        "jobSessionId": null,
        // No links, as the document's examples: a page of 100,000 points is lighter so.
        "_links": null,
    })
}
