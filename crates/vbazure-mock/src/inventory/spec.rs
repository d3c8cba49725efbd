//! Restore points as tests describe them ([`RestorePointSpec`]), and the points the mock's
//! items have when none are described: ages spread over about 120 days, each destination,
//! some archived, a few immutable.

use chrono::{DateTime, TimeDelta, Utc};

use super::points::{parse_uuid, random_uuid_bits, AccessTier, Destination, Kind, Point};
use super::workload::Workload;

/// A restore point a mock item has, for [`crate::MockBuilder::restore_points`]: a backup in a
/// repository or a snapshot, of some age, tier and immutability.
///
/// ```
/// use vbazure_mock::RestorePointSpec;
/// let points = [
///     // A policy backup in the archive tier, 70 days old, immutable for 10 more days.
///     RestorePointSpec::backup().days_old(70).archived().immutable_for_days(10),
///     // A snapshot taken by hand yesterday.
///     RestorePointSpec::snapshot().manual().days_old(1),
/// ];
/// # let _ = points;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestorePointSpec {
    destination: Destination,
    days_old: u32,
    tier: Option<AccessTier>,
    immutable_days: Option<u32>,
    size: Option<u64>,
    id: Option<String>,
}

impl RestorePointSpec {
    fn of(destination: Destination, tier: Option<AccessTier>) -> Self {
        Self {
            destination,
            days_old: 0,
            tier,
            immutable_days: None,
            size: None,
            id: None,
        }
    }

    /// A backup in a repository (`AzureBlob`), made by a policy today, in the hot tier.
    pub fn backup() -> Self {
        Self::of(Destination::AzureBlob, Some(AccessTier::Hot))
    }

    /// A snapshot next to the item in Azure (`Snapshot`), made by a policy today.
    pub fn snapshot() -> Self {
        Self::of(Destination::Snapshot, None)
    }

    /// What a Cosmos DB account's continuous backup keeps (removed by
    /// `deleteContinuousBackups`; listed by no restore point list).
    pub fn continuous() -> Self {
        Self::of(Destination::Continuous, None)
    }

    /// Made by hand rather than by a policy: a backup becomes `ManualBackup`, a snapshot
    /// `ManualSnapshot`.
    pub fn manual(mut self) -> Self {
        self.destination = match self.destination {
            Destination::AzureBlob => Destination::ManualBackup,
            Destination::Snapshot => Destination::ManualSnapshot,
            other => other,
        };
        self
    }

    /// Made this many days ago (and a few hours more, so that 0 is in the past too).
    pub fn days_old(mut self, days: u32) -> Self {
        self.days_old = days;
        self
    }

    /// Kept in the archive tier (a backup; a snapshot has no tier).
    pub fn archived(mut self) -> Self {
        self.tier = self.tier.map(|_| AccessTier::Archive);
        self
    }

    /// Kept in the cool tier (a backup; a snapshot has no tier).
    pub fn cool(mut self) -> Self {
        self.tier = self.tier.map(|_| AccessTier::Cool);
        self
    }

    /// Immutable for this many days from the mock's start: its removal answers 423 until
    /// then, and item removals leave it.
    pub fn immutable_for_days(mut self, days: u32) -> Self {
        self.immutable_days = Some(days);
        self
    }

    /// Its size in bytes (otherwise one that fits its kind).
    pub fn size_bytes(mut self, bytes: u64) -> Self {
        self.size = Some(bytes);
        self
    }

    /// Its identifier, a UUID in the hyphenated form (otherwise a made-up one, the same on
    /// every run). The mock refuses to start with another text.
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The identifier asked for, if it is not a UUID.
    pub(crate) fn bad_id(&self) -> Option<&str> {
        self.id.as_deref().filter(|id| parse_uuid(id).is_none())
    }

    /// The point, made at `now` (hours: extra age, to set items' points apart).
    pub(crate) fn point(&self, now: DateTime<Utc>, hours: i64, rng: &mut fastrand::Rng) -> Point {
        let bits = random_uuid_bits(rng);
        let id = self.id.as_deref().and_then(parse_uuid).unwrap_or(bits);
        let created = now - TimeDelta::days(i64::from(self.days_old)) - TimeDelta::hours(hours);
        let kind = match self.destination {
            Destination::Continuous => Kind::Continuous,
            Destination::AzureBlob if self.tier != Some(AccessTier::Archive) => Kind::Incremental,
            _ => Kind::Full,
        };
        let size = self.size.unwrap_or(match kind {
            Kind::Incremental => 2_147_483_648,
            _ => 21_474_836_480,
        });
        Point {
            id,
            created,
            immutable_till: self
                .immutable_days
                .map(|days| now + TimeDelta::days(i64::from(days))),
            size,
            destination: self.destination,
            tier: self.tier.filter(|_| self.destination.is_backup()),
            kind,
            pending: false,
        }
    }
}

/// The restore points of the document's examples, by the item they belong to, so that the
/// documented ids work: (item id, point id, the point).
fn documented(item_id: &str) -> Option<(&'static str, RestorePointSpec)> {
    Some(match item_id {
        "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64" => (
            "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21",
            RestorePointSpec::backup().days_old(80).cool(),
        ),
        // The point of the document's `locked` example: immutable, so its removal is refused.
        "6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62" => (
            "b2d4f6a8-0c3e-4f57-9b1d-2e4a6c8e0f32",
            RestorePointSpec::backup()
                .days_old(64)
                .archived()
                .immutable_for_days(30),
        ),
        "2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75" => (
            "c3e5a7b9-1d4f-4a68-8c2e-3f5b7d9f1a43",
            RestorePointSpec::snapshot().days_old(14),
        ),
        "1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75" => (
            "d4f6b8c0-2e5a-4b79-9d3f-4a6c8e0a2b54",
            RestorePointSpec::backup().manual().days_old(96),
        ),
        _ => return None,
    })
}

/// The restore points an item of `workload`, the `index`-th of its kind, has unless a test
/// describes them: ten or so, newest first, over about 120 days.
pub(crate) fn default_points(
    workload: Workload,
    index: usize,
    item_id: &str,
) -> Vec<RestorePointSpec> {
    let backup = RestorePointSpec::backup;
    let snapshot = RestorePointSpec::snapshot;
    let mut points = match workload {
        Workload::Vm => vec![
            snapshot(),
            snapshot().days_old(1),
            snapshot().manual().days_old(3),
            backup().days_old(7),
            backup().days_old(14).cool(),
            // Not a manual backup: VMs have none in the vendor's list of VM destinations
            // (Snapshot, ManualSnapshot, AzureBlob), which its client holds answers to.
            backup().days_old(20),
            backup().days_old(30).cool(),
            backup().days_old(60).cool(),
            backup().days_old(90).archived(),
            backup().days_old(120).archived(),
        ],
        Workload::Sql => vec![
            backup().days_old(1),
            backup().manual().days_old(5),
            backup().days_old(8),
            backup().days_old(15).cool(),
            backup().days_old(31).cool(),
            backup().days_old(70).archived(),
            backup().days_old(120).archived(),
        ],
        Workload::CosmosDb => vec![
            RestorePointSpec::continuous(),
            backup().days_old(1),
            backup().days_old(7),
            backup().manual().days_old(10),
            backup().days_old(30).cool(),
            backup().days_old(95).archived(),
        ],
        Workload::FileShare => vec![
            snapshot(),
            snapshot().days_old(1),
            snapshot().days_old(2),
            snapshot().manual().days_old(3),
            snapshot().days_old(7),
            snapshot().days_old(30),
            snapshot().manual().days_old(60),
            snapshot().days_old(110),
        ],
    };
    // A few items have an immutable backup: every fourth VM, every third database and
    // account (file shares' snapshots have no immutability).
    let immutable = match workload {
        Workload::Vm => index % 4 == 3,
        Workload::Sql | Workload::CosmosDb => index % 3 == 2,
        Workload::FileShare => false,
    };
    if immutable {
        if let Some(last) = points.iter_mut().rev().find(|p| p.destination.is_backup()) {
            *last = last.clone().immutable_for_days(45);
        }
    }
    if let Some((id, point)) = documented(item_id) {
        points.push(point.id(id));
    }
    points
}
