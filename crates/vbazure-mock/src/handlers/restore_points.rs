//! The restore points of each kind of protected item (v8.1): pages of them, newest first,
//! with their filters; one by id; and the removal of one, which a session carries out
//! (the point is hidden meanwhile) and immutability refuses (423).

use std::cmp::Ordering;

use chrono::{DateTime, Utc};

use crate::call::Call;
use crate::dotnet::timestamp;
use crate::inventory::{point_json, Item, Point, Refusal, Workload};
use crate::reply::Reply;
use crate::shared::Shared;
use crate::state::{Job, Target};

use super::paging::{echoed, flag, page_json, text, texts, time, window};

/// The query parameter of a list that names one item.
fn item_filter(workload: Workload) -> &'static str {
    match workload {
        Workload::Vm => "VirtualMachineId",
        Workload::Sql => "DatabaseId",
        Workload::CosmosDb => "CosmosDbAccountId",
        Workload::FileShare => "FileShareId",
    }
}

/// What a list of restore points keeps of each item's points.
struct Filter<'a> {
    before: Option<DateTime<Utc>>,
    tiers: Vec<&'a str>,
    immutable: Option<bool>,
    destinations: Vec<&'a str>,
    now: DateTime<Utc>,
}

impl Filter<'_> {
    fn keeps(&self, point: &Point) -> bool {
        point.is_visible()
            && self.before.is_none_or(|t| point.created <= t)
            && (self.tiers.is_empty()
                || point.tier.is_some_and(|t| self.tiers.contains(&t.as_str())))
            && self
                .immutable
                .is_none_or(|i| point.is_locked(self.now) == i)
            && (self.destinations.is_empty()
                || self.destinations.contains(&point.destination.as_str()))
    }
}

/// Newest first; the id sets points of the same time apart, so that pages do not overlap.
fn newest_first(a: &(&Item, &Point), b: &(&Item, &Point)) -> Ordering {
    b.1.created.cmp(&a.1.created).then(a.1.id.cmp(&b.1.id))
}

/// The first `count` of `points` newest first, sorting no more than that many (a load
/// test's lists hold 100,000 points).
fn first_newest<'a>(
    mut points: Vec<(&'a Item, &'a Point)>,
    count: usize,
) -> Vec<(&'a Item, &'a Point)> {
    if count == 0 {
        return Vec::new();
    }
    if count < points.len() {
        points.select_nth_unstable_by(count - 1, newest_first);
        points.truncate(count);
    }
    points.sort_unstable_by(newest_first);
    points
}

/// A page of the restore points of `workload`.
pub(super) fn list(shared: &Shared, call: &Call<'_>, workload: Workload) -> Reply {
    let before = match time(call, "PointInTime") {
        Ok(before) => before,
        Err(reply) => return reply,
    };
    let filter = Filter {
        before,
        tiers: texts(call, "StorageAccessTier"),
        immutable: flag(call, "ImmutabilityEnabled"),
        destinations: texts(call, "BackupDestination"),
        now: Utc::now(),
    };
    let only_latest = flag(call, "OnlyLatest") == Some(true);
    let (offset, limit) = window(call);
    let state = shared.state();
    let catalog = state.inventory.catalog(workload);
    let items: Vec<&Item> = match text(call, item_filter(workload)) {
        Some(id) => catalog.get(id).into_iter().collect(),
        None => catalog.iter().collect(),
    };
    let mut matching: Vec<(&Item, &Point)> = Vec::new();
    for item in items {
        let kept = item.points.iter().filter(|p| filter.keeps(p));
        if only_latest {
            matching.extend(
                kept.max_by_key(|p| (p.created, std::cmp::Reverse(p.id)))
                    .map(|p| (item, p)),
            );
        } else {
            matching.extend(kept.map(|p| (item, p)));
        }
    }
    let total = matching.len();
    let skip = usize::try_from(offset).unwrap_or(usize::MAX);
    let take = usize::try_from(limit).unwrap_or(usize::MAX);
    let base = &shared.base_url;
    let results = first_newest(matching, skip.saturating_add(take))
        .into_iter()
        .skip(skip)
        .map(|(item, point)| point_json(workload, item, point))
        .collect();
    let mut names = vec![item_filter(workload)];
    names.extend([
        "OnlyLatest",
        "PointInTime",
        "StorageAccessTier",
        "ImmutabilityEnabled",
        "BackupDestination",
    ]);
    let extra = echoed(call, &names);
    Reply::json(
        200,
        page_json(
            base,
            workload.points_path(),
            (offset, limit),
            total,
            results,
            &extra,
        ),
    )
}

fn not_found(call: &Call<'_>, id: &str) -> Reply {
    Reply::not_found(format!("Restore point {id} was not found."), call.path)
}

/// One restore point of `workload`, or 404.
pub(super) fn get(shared: &Shared, call: &Call<'_>, workload: Workload) -> Reply {
    let id = call.path_param("restorePointId");
    let state = shared.state();
    match state.inventory.point(workload, id) {
        Some((item, point)) => Reply::json(200, point_json(workload, item, point)),
        None => not_found(call, id),
    }
}

/// Starts the removal of one restore point of `workload`: 202 with its session, 404 for
/// none (or one already being removed), 423 for an immutable one.
pub(super) fn delete(shared: &Shared, call: &Call<'_>, workload: Workload) -> Reply {
    let id = call.path_param("restorePointId");
    let mut state = shared.state();
    // A session that has ended by time has already taken its point, read or not.
    state.advance_all_v8_1(shared.progression());
    let (bits, item_id, name) = match state
        .inventory
        .start_point_removal(workload, id, Utc::now())
    {
        Ok(found) => found,
        Err(Refusal::NotFound) => return not_found(call, id),
        Err(Refusal::Locked(till)) => return locked(call, till),
    };
    let target = Target {
        id: item_id,
        name,
        has_backups: true,
    };
    let index = state.start_v8_1_removal(Job::Point { workload, bits }, vec![target]);
    match state.v8_1_session(index) {
        Some(session) => Reply::json(202, session.to_json(&shared.base_url, true)),
        None => Reply::problem(500, "The new session was lost."),
    }
}

/// The 423 for a point under immutability until `till`.
fn locked(call: &Call<'_>, till: DateTime<Utc>) -> Reply {
    let mut reply = Reply::problem(
        423,
        format!("The restore point is immutable until {}.", timestamp(till)),
    );
    if let Some(body) = reply.body.as_mut() {
        body["instance"] = serde_json::json!(call.path);
    }
    reply
}
