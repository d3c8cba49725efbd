//! One restore point as the inventory keeps it (compactly: a load test holds 100,000 of
//! them), and which points a removal concerns.

use chrono::{DateTime, TimeDelta, Utc};

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

    /// Whether a point kept in `tier` (none: a snapshot) is of this backup tier (every tier,
    /// for `None`). `Unknown` names no tier a point is kept in.
    fn covers(tier: Option<Self>, access: Option<AccessTier>) -> bool {
        let archived = access == Some(AccessTier::Archive);
        match tier {
            None | Some(Self::All) => true,
            Some(Self::NonArchive) => !archived,
            Some(Self::Archive) => archived,
            Some(Self::Unknown) => false,
        }
    }
}

/// Where a restore point is kept (`RestorePointDestination`), and the continuous backups of
/// Cosmos DB accounts, which no restore point list shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
pub(crate) enum Destination {
    Snapshot,
    ManualSnapshot,
    AzureBlob,
    ManualBackup,
    Continuous,
}

impl Destination {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }

    pub(crate) fn is_snapshot(self) -> bool {
        matches!(self, Self::Snapshot | Self::ManualSnapshot)
    }

    /// Whether the point is a backup in a repository (policy or manual).
    pub(crate) fn is_backup(self) -> bool {
        matches!(self, Self::AzureBlob | Self::ManualBackup)
    }
}

/// The Azure storage tier a backup is kept in (`StorageAccessTier`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr, strum::EnumString)]
pub(crate) enum AccessTier {
    Hot,
    Cool,
    Archive,
}

impl AccessTier {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// What an item removal takes away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Backups in repositories, policy and manual, of a tier (every tier for `None`).
    Backups(Option<Tier>),
    ManualBackups,
    ContinuousBackups,
    /// Snapshots, policy and manual.
    Snapshots,
    ManualSnapshots,
}

impl Scope {
    /// Whether a removal of this scope takes `point` (immutability aside).
    pub(crate) fn covers(self, point: &Point) -> bool {
        let destination = point.destination;
        match self {
            Self::Backups(tier) => destination.is_backup() && Tier::covers(tier, point.tier),
            Self::ManualBackups => destination == Destination::ManualBackup,
            Self::ContinuousBackups => destination == Destination::Continuous,
            Self::Snapshots => destination.is_snapshot(),
            Self::ManualSnapshots => destination == Destination::ManualSnapshot,
        }
    }

    /// What the removal takes, as its log names it: `backups`, `snapshots`...
    pub(crate) fn what(self) -> &'static str {
        match self {
            Self::Backups(_) => "backups",
            Self::ManualBackups => "manual backups",
            Self::ContinuousBackups => "continuous backups",
            Self::Snapshots => "snapshots",
            Self::ManualSnapshots => "manual snapshots",
        }
    }

    /// The part of the items the removal concerns, for its first log record.
    pub(crate) fn extent(self) -> String {
        match self {
            Self::Backups(Some(tier)) => format!("backup tier {}", tier.as_str()),
            Self::Backups(None) => "every backup tier".to_string(),
            Self::Snapshots => "policy and manual snapshots".to_string(),
            other => other.what().to_string(),
        }
    }
}

/// How a restore point was made (`RestorePointType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, strum::IntoStaticStr)]
pub(crate) enum Kind {
    Full,
    Incremental,
    Continuous,
}

impl Kind {
    pub(crate) fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One restore point of an item.
#[derive(Clone, Debug)]
pub(crate) struct Point {
    /// Its UUID, as 128 bits (written by [`uuid_text`]).
    pub id: u128,
    pub created: DateTime<Utc>,
    pub immutable_till: Option<DateTime<Utc>>,
    pub size: u64,
    pub destination: Destination,
    pub tier: Option<AccessTier>,
    pub kind: Kind,
    /// A removal of this one point is under way: it is not found or listed meanwhile, and
    /// comes back if that removal fails.
    pub pending: bool,
}

impl Point {
    /// Whether it is under immutability at `now` (it cannot be removed).
    pub(crate) fn is_locked(&self, now: DateTime<Utc>) -> bool {
        self.immutable_till.is_some_and(|till| till > now)
    }

    /// Whether a list or a read finds it: not under removal, and not a continuous backup
    /// (kept by Azure, listed by no restore point list).
    pub(crate) fn is_visible(&self) -> bool {
        !self.pending && self.destination != Destination::Continuous
    }

    /// Its `state`: snapshots have none the appliance checks.
    pub(crate) fn state(&self) -> &'static str {
        if self.destination.is_snapshot() {
            "NotApplicable"
        } else {
            "Ok"
        }
    }

    /// Its `gfsFlags`: backups older than four weeks are kept as monthly ones.
    pub(crate) fn gfs_flags(&self) -> Option<&'static str> {
        let age = Utc::now() - self.created;
        (self.destination.is_backup() && age >= TimeDelta::days(28)).then_some("Monthly")
    }
}

/// 128 bits in the hyphenated 8-4-4-4-12 text form of a UUID, lower case, as written.
pub(crate) fn uuid_text(bits: u128) -> String {
    let hex = format!("{bits:032x}");
    // 32 ASCII digits: the slices are in bounds.
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The bits of a UUID in its hyphenated form (any case, as .NET reads one); `None` for any
/// other text.
pub(crate) fn parse_uuid(text: &str) -> Option<u128> {
    let bytes = text.as_bytes();
    if bytes.len() != 36 || [8, 13, 18, 23].iter().any(|&i| bytes.get(i) != Some(&b'-')) {
        return None;
    }
    let digits: String = text.chars().filter(|c| *c != '-').collect();
    if digits.len() != 32 || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(&digits, 16).ok()
}

/// 128 random bits made a version-4 UUID (the version and variant bits set).
pub(crate) fn random_uuid_bits(rng: &mut fastrand::Rng) -> u128 {
    let bits = rng.u128(..);
    let version = (bits & !(0xf_u128 << 76)) | (0x4_u128 << 76);
    (version & !(0x3_u128 << 62)) | (0x2_u128 << 62)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_read_back_as_written() {
        let text = "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21";
        let bits = parse_uuid(text).expect("a UUID");
        assert_eq!(uuid_text(bits), text);
        assert_eq!(parse_uuid(&text.to_uppercase()), Some(bits));
        for wrong in [
            "",
            "a1c3e5f7",
            "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e2g",
            "+1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21",
        ] {
            assert_eq!(parse_uuid(wrong), None, "{wrong:?}");
        }
        let mut rng = fastrand::Rng::with_seed(1);
        let random = uuid_text(random_uuid_bits(&mut rng));
        assert_eq!(random.as_bytes()[14], b'4', "{random}");
        assert!(
            matches!(random.as_bytes()[19], b'8' | b'9' | b'a' | b'b'),
            "{random}"
        );
    }

    #[test]
    fn scopes_take_their_own_points() {
        let point = |destination, tier| Point {
            id: 1,
            created: Utc::now(),
            immutable_till: None,
            size: 1,
            destination,
            tier,
            kind: Kind::Full,
            pending: false,
        };
        let archived = point(Destination::AzureBlob, Some(AccessTier::Archive));
        let manual = point(Destination::ManualBackup, Some(AccessTier::Hot));
        let snapshot = point(Destination::ManualSnapshot, None);
        assert!(Scope::Backups(Some(Tier::Archive)).covers(&archived));
        assert!(!Scope::Backups(Some(Tier::NonArchive)).covers(&archived));
        assert!(Scope::Backups(Some(Tier::NonArchive)).covers(&manual));
        assert!(!Scope::Backups(Some(Tier::Unknown)).covers(&manual));
        assert!(Scope::ManualBackups.covers(&manual) && !Scope::ManualBackups.covers(&archived));
        assert!(Scope::Snapshots.covers(&snapshot) && Scope::ManualSnapshots.covers(&snapshot));
        assert!(!Scope::Backups(None).covers(&snapshot));
        assert!(!Scope::ContinuousBackups.covers(&manual));
    }
}
