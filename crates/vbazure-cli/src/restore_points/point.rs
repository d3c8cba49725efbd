//! One restore point as the command shows and selects it: the library's
//! [`vbazure::RestorePoint`] with its item named, and the columns of its table.

use serde::Serialize;
use vbazure::{RestorePointDestination, RestorePointType, StorageAccessTier, Timestamp, Workload};

use crate::output::{shown, size, Column, Record};

/// A restore point (a row of the list and of the plan; a JSON line as it serializes).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Point {
    pub id: String,
    pub kind: Workload,
    /// The appliance's id of the item (for VMs, the `resourceHashId`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item_name: Option<String>,
    pub created: Timestamp,
    /// Whole days since `created`, when the command read it.
    pub age_days: i64,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub point_type: Option<RestorePointType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub destination: Option<RestorePointDestination>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_bytes: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub access_tier: Option<StorageAccessTier>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub immutable_until: Option<Timestamp>,
}

impl Point {
    /// The command's view of `point`, its age counted from `now`.
    pub(crate) fn new(point: vbazure::RestorePoint, now: chrono::DateTime<chrono::Utc>) -> Self {
        let age_days = (now - point.created.as_datetime()).num_days();
        Self {
            id: point.id,
            kind: point.workload,
            item_id: point.item_id.filter(|id| !id.is_empty()),
            item_name: point.item_name,
            created: point.created,
            age_days,
            point_type: point.kind,
            destination: point.destination,
            size_bytes: point.size_bytes,
            access_tier: point.access_tier,
            immutable_until: point.immutable_until,
        }
    }

    /// What identifies its item: the item's id, else its name, else (nothing to group it by)
    /// the point's own id, so that a point of no known item is an item of its own.
    pub(crate) fn item_key(&self) -> &str {
        self.item_id
            .as_deref()
            .or(self.item_name.as_deref())
            .unwrap_or(&self.id)
    }

    /// How lines name its item: `name (id)`, or what is known of it.
    pub(crate) fn item_label(&self) -> String {
        match (&self.item_name, &self.item_id) {
            (Some(name), Some(id)) => format!("{name} ({id})"),
            (Some(name), None) => name.clone(),
            (None, Some(id)) => id.clone(),
            (None, None) => format!("no item (point {})", self.id),
        }
    }

    /// Whether it cannot be deleted yet: immutable until after `now`.
    pub(crate) fn immutable_at(&self, now: chrono::DateTime<chrono::Utc>) -> bool {
        self.immutable_until
            .as_ref()
            .is_some_and(|until| until.as_datetime() > now)
    }
}

/// `93d`, or `5h` for a point less than a day old.
fn age(point: &Point) -> String {
    if point.age_days >= 1 {
        return format!("{}d", point.age_days);
    }
    let hours = (chrono::Utc::now() - point.created.as_datetime()).num_hours();
    format!("{}h", hours.max(0))
}

impl Record for Point {
    const KIND: &'static str = "restore point";
    fn columns() -> &'static [Column<Self>] {
        &[
            Column {
                name: "id",
                header: "ID",
                default: true,
                cell: |p| p.id.clone(),
            },
            Column {
                name: "item",
                header: "ITEM",
                default: true,
                cell: |p| shown(p.item_name.as_ref().or(p.item_id.as_ref())),
            },
            Column {
                name: "created",
                header: "CREATED",
                default: true,
                cell: |p| p.created.to_string(),
            },
            Column {
                name: "age",
                header: "AGE",
                default: true,
                cell: age,
            },
            Column {
                name: "type",
                header: "TYPE",
                default: true,
                cell: |p| shown(p.point_type.as_ref()),
            },
            Column {
                name: "destination",
                header: "DESTINATION",
                default: true,
                cell: |p| shown(p.destination.as_ref()),
            },
            Column {
                name: "size",
                header: "SIZE",
                default: true,
                cell: |p| p.size_bytes.map_or_else(|| "-".to_string(), size),
            },
            Column {
                name: "tier",
                header: "TIER",
                default: true,
                cell: |p| shown(p.access_tier.as_ref()),
            },
            Column {
                name: "immutable-until",
                header: "IMMUTABLE UNTIL",
                default: true,
                cell: |p| shown(p.immutable_until.as_ref()),
            },
            Column {
                name: "item-id",
                header: "ITEM ID",
                default: false,
                cell: |p| shown(p.item_id.as_ref()),
            },
            Column {
                name: "size-bytes",
                header: "SIZE (BYTES)",
                default: false,
                cell: |p| shown(p.size_bytes.as_ref()),
            },
            Column {
                name: "kind",
                header: "KIND",
                default: false,
                cell: |p| p.kind.to_string(),
            },
        ]
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A point of `item` created `days` ago (at noon, so that ages are whole days).
    pub(crate) fn point(id: &str, item: &str, days: i64) -> Point {
        let created = chrono::Utc::now() - chrono::TimeDelta::days(days);
        Point {
            id: id.to_string(),
            kind: Workload::Vm,
            item_id: Some(item.to_string()),
            item_name: Some(format!("{item}-name")),
            created: Timestamp::from(created),
            age_days: days,
            point_type: Some(RestorePointType::Full),
            destination: Some(RestorePointDestination::AzureBlob),
            size_bytes: Some(1024),
            access_tier: None,
            immutable_until: None,
        }
    }

    #[test]
    fn a_point_of_no_known_item_is_an_item_of_its_own() {
        let mut p = point("p1", "vm-1", 3);
        assert_eq!(p.item_key(), "vm-1");
        p.item_id = None;
        assert_eq!(p.item_key(), "vm-1-name");
        p.item_name = None;
        assert_eq!(p.item_key(), "p1");
    }
}
