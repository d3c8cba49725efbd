//! The protected Azure SQL databases: the made-up ones, and how the API writes a database and
//! its restore points.

use serde_json::{json, Value};

use crate::dotnet::timestamp;
use crate::reply::segment;

use super::item::Item;
use super::points::{uuid_text, Point};
use super::SUBSCRIPTION_ID;

/// The databases a mock has when it is given none: the document's example first.
pub(super) const DEFAULTS: [(&str, &str); 3] = [
    ("6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62", "orders"),
    ("3e5a7c9b-1d2f-4a84-9b6d-8f0a2c4e6b13", "customers"),
    ("7c9e1a3b-5d7f-4b26-8a4c-0e2b4d6f8a35", "inventory"),
];

/// The SQL server hosting a database: the document's `sql-prod` for every other one.
pub(crate) fn server(database: &Item) -> (&'static str, &'static str, &'static str) {
    if database.index.is_multiple_of(2) {
        (
            "2c4e6a8b-0d2f-4e41-8c6a-9b1d3f5a7c80",
            "sql-prod",
            "Managed",
        )
    } else {
        (
            "5a7c9e1b-3d5f-4c48-9e2a-4b6d8f0a2c57",
            "sql-dev",
            "Unmanaged",
        )
    }
}

/// As `ProtectedDatabase` of the v8.1 document.
pub(crate) fn database_json(database: &Item, base_url: &str) -> Value {
    let (server_id, server_name, server_type) = server(database);
    let last_backup = database
        .newest(|p| p.destination.is_backup())
        .map(|p| p.created);
    json!({
        "id": database.id,
        "azureId": format!(
            "/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/data/providers/Microsoft.Sql/servers/{server_name}/databases/{}",
            database.name
        ),
        "name": database.name,
        "sqlServer": {"id": server_id, "name": server_name, "serverType": server_type},
        "sizeInMb": 20480 + 1024 * database.index as u64,
        "subscriptionId": SUBSCRIPTION_ID,
        "lastBackup": last_backup.map(timestamp),
        "region": {"id": "westeurope", "name": "West Europe", "resourceId": null},
        "_links": {"self": {"href": format!(
            "{base_url}/api/v8.1/protectedItem/sql/{}",
            segment(&database.id)
        )}},
    })
}

/// As `SqlRestorePoint` of the v8.1 document.
pub(crate) fn database_point_json(database: &Item, point: &Point) -> Value {
    let (server_id, server_name, _) = server(database);
    let id = uuid_text(point.id);
    json!({
        "id": id,
        "type": point.kind.as_str(),
        "databaseId": database.id,
        "databaseName": database.name,
        "sqlServerId": server_id,
        "sqlServerName": server_name,
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
