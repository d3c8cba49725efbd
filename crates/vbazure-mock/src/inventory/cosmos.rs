//! The protected Cosmos DB accounts: the made-up ones, and how the API writes an account and
//! its restore points (backups in repositories; continuous backups are listed by none).

use serde_json::{json, Value};

use crate::dotnet::timestamp;

use super::item::Item;
use super::points::{uuid_text, AccessTier, Destination, Point};
use super::SUBSCRIPTION_ID;

/// The accounts a mock has when it is given none: the document's example first.
pub(super) const DEFAULTS: [(&str, &str); 3] = [
    ("1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75", "catalog-cosmos"),
    ("4d6f8a0c-2e4b-4d86-9f18-6b8d0f2a4c97", "sessions-cosmos"),
    ("8f0b2d4e-6a8c-4e08-8b3a-2c4e6a8b0d19", "telemetry-cosmos"),
];

const ACCOUNT_TYPES: [&str; 3] = ["NoSql", "MongoRU", "Table"];

/// The bytes of the account's backups in `archived` (or the other) tiers.
fn backup_bytes(account: &Item, archived: bool) -> u64 {
    account
        .points
        .iter()
        .filter(|p| p.destination.is_backup())
        .filter(|p| (p.tier == Some(AccessTier::Archive)) == archived)
        .map(|p| p.size)
        .sum()
}

/// As `ProtectedCosmosDbAccount` of the v8.1 document.
pub(crate) fn account_json(account: &Item) -> Value {
    let latest = account
        .newest(|p| p.destination.is_backup())
        .map(|p| p.created);
    let mut types = Vec::new();
    if account
        .points
        .iter()
        .any(|p| p.destination == Destination::Continuous)
    {
        types.push("Continuous");
    }
    if account.points.iter().any(|p| p.destination.is_backup()) {
        types.push("Backup");
    }
    json!({
        "id": account.id,
        "name": account.name,
        "accountType": ACCOUNT_TYPES.get(account.index % ACCOUNT_TYPES.len()).copied(),
        "policyName": "cosmos-daily",
        "latestBackup": latest.map(timestamp),
        "backupSizeBytes": backup_bytes(account, false),
        "archiveSizeBytes": backup_bytes(account, true),
        "subscriptionId": SUBSCRIPTION_ID,
        "regionName": "westeurope",
        "resourceGroupName": "catalog",
        "restorePointTypes": types,
        // No `_links`: the vendor's schema of an account has none and takes no member it does
        // not list, so its client refuses an account with links.
    })
}

/// As `CosmosDbRestorePoint` of the v8.1 document.
pub(crate) fn account_point_json(account: &Item, point: &Point) -> Value {
    let id = uuid_text(point.id);
    json!({
        "id": id,
        "type": point.kind.as_str(),
        "accountName": account.name,
        "accountId": account.id,
        "pointInTime": timestamp(point.created),
        "backupSizeBytes": point.size,
        "isCorrupted": false,
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
