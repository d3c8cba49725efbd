//! A restore point a removal took away, as a session's `deletedItems` lists it.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::dotnet::timestamp;

use super::points::{AccessTier, Destination, Point};
use super::workload::Workload;
use super::SUBSCRIPTION_ID;

/// A removed restore point and the item it belonged to.
#[derive(Clone, Debug)]
pub(crate) struct Deleted {
    pub workload: Workload,
    pub item_id: String,
    pub item_name: String,
    pub created: DateTime<Utc>,
    pub size: u64,
    destination: Destination,
    tier: Option<AccessTier>,
}

impl Deleted {
    pub(crate) fn new(workload: Workload, item_id: &str, item_name: &str, point: &Point) -> Self {
        Self {
            workload,
            item_id: item_id.to_string(),
            item_name: item_name.to_string(),
            created: point.created,
            size: point.size,
            destination: point.destination,
            tier: point.tier,
        }
    }

    /// The repository a backup was kept in; none for snapshots.
    fn repository(&self) -> Option<(&'static str, &'static str)> {
        if !self.destination.is_backup() {
            return None;
        }
        Some(match self.tier {
            Some(AccessTier::Archive) => ("0c2e4a6c-8e0a-4c2e-9a6c-8e0a2c4e6a8d", "repo-archive"),
            _ => ("0c2e4a6c-8e0a-4c2e-9a6c-8e0a2c4e6a8c", "repo-cool"),
        })
    }

    /// As `DeletedRestorePoint` of the v8.1 document.
    pub(crate) fn to_json(&self) -> Value {
        let repository = self.repository();
        json!({
            "backupSizeBytes": self.size,
            "snapshotTime": timestamp(self.created),
            "repositoryId": repository.map(|r| r.0),
            "repositoryName": repository.map(|r| r.1),
            "resource": {
                "id": self.item_id,
                "name": self.item_name,
                "displayName": self.item_name,
                "resourceGroupName": self.workload.resource_group(),
                "resourceType": self.workload.resource_type(),
                "regionId": "westeurope",
                "regionName": "West Europe",
                "subscriptionId": SUBSCRIPTION_ID,
                "subscriptionName": "Production",
                "_links": null,
            },
            "_links": null,
        })
    }
}
