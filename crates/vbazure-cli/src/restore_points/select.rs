//! Which restore points the selectors choose: the whole rule in one pure function, so that it
//! can be tested point by point.
//!
//! The points are grouped by item and sorted newest first in each group (whatever order the
//! appliance listed them in). In each group, among the points of the `--destination`s given,
//! the newest `keep` are kept (never chosen, whatever the other selectors say); of the others,
//! those in scope (of an item or a point named, or every point when none is named) and older
//! than `--older-than` are chosen.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use vbazure::RestorePointDestination;

use super::point::Point;

/// What the selectors ask for.
#[derive(Debug, Default)]
pub(crate) struct Criteria {
    /// Only points created before now minus this.
    pub older_than: Option<Duration>,
    /// Each item's newest points (among those of `destinations`) never chosen.
    pub keep: usize,
    /// Only points kept in one of these (empty: anywhere).
    pub destinations: Vec<RestorePointDestination>,
    /// Only these points and the points of these items (`None`: every point).
    pub scope: Option<Scope>,
}

/// Points named by id, and items named by [`Point::item_key`].
#[derive(Debug, Default)]
pub(crate) struct Scope {
    pub points: HashSet<String>,
    pub items: HashSet<String>,
}

/// What the selectors chose, and what they matched but leaves alone.
#[derive(Debug, Default)]
pub(crate) struct Selection {
    /// The points chosen, item by item (in the order items were first listed), newest first.
    pub chosen: Vec<Point>,
    /// Points that matched but are among the newest `keep` of their item.
    pub kept: usize,
}

/// The points `criteria` chooses of `points` at `now`.
///
/// The points stay in their vector: groups hold indices, what is not chosen is dropped in
/// place and the rest sorted in place, so that the points (about 100,000 at 10,000 VMs, most
/// of the command's memory) are never held twice.
pub(crate) fn select(
    mut points: Vec<Point>,
    criteria: &Criteria,
    now: chrono::DateTime<chrono::Utc>,
) -> Selection {
    let cutoff = criteria
        .older_than
        .map(|age| now - chrono::TimeDelta::from_std(age).unwrap_or(chrono::TimeDelta::MAX));
    // Each item's place (the order items were first listed in), and its points' indices.
    let mut place: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, point) in points.iter().enumerate() {
        let destined = criteria.destinations.is_empty()
            || point
                .destination
                .as_ref()
                .is_some_and(|d| criteria.destinations.contains(d));
        if !destined {
            continue;
        }
        let group = *place
            .entry(point.item_key().to_string())
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[group].push(index);
    }
    let mut chosen = vec![false; points.len()];
    let mut kept = 0;
    for mut group in groups {
        // Newest first; a stable sort, so points of the same time keep the listing's order.
        group.sort_by_key(|&i| std::cmp::Reverse(points[i].created.as_datetime()));
        for (rank, index) in group.into_iter().enumerate() {
            let point = &points[index];
            let in_scope = criteria.scope.as_ref().is_none_or(|scope| {
                scope.points.contains(&point.id) || scope.items.contains(point.item_key())
            });
            let old_enough = cutoff.is_none_or(|cutoff| point.created.as_datetime() < cutoff);
            if !(in_scope && old_enough) {
                continue;
            }
            if rank < criteria.keep {
                kept += 1;
            } else {
                chosen[index] = true;
            }
        }
    }
    let mut index = 0;
    points.retain(|_| {
        index += 1;
        chosen[index - 1]
    });
    // Item by item, newest first: the order of the groups. The sort keeps equal keys in
    // their order, as the group's sort did, and moves the points in place.
    points.sort_by_cached_key(|p| {
        (
            place.get(p.item_key()).copied().unwrap_or(usize::MAX),
            std::cmp::Reverse(p.created.as_datetime()),
        )
    });
    Selection {
        chosen: points,
        kept,
    }
}

#[cfg(test)]
mod tests {
    use super::super::point::tests::point;
    use super::*;

    fn days(n: u64) -> Option<Duration> {
        Some(Duration::from_secs(n * 86_400))
    }

    fn ids(selection: &Selection) -> Vec<&str> {
        selection.chosen.iter().map(|p| p.id.as_str()).collect()
    }

    /// vm-a: points a0 (newest, 1 day) .. a4 (120 days); vm-b: b0 (10 days), b1 (100 days);
    /// vm-c: c0 (95 days) alone; listed in no particular order.
    fn inventory() -> Vec<Point> {
        vec![
            point("a3", "vm-a", 95),
            point("b1", "vm-b", 100),
            point("a0", "vm-a", 1),
            point("c0", "vm-c", 95),
            point("a1", "vm-a", 30),
            point("a4", "vm-a", 120),
            point("b0", "vm-b", 10),
            point("a2", "vm-a", 60),
        ]
    }

    #[test]
    fn older_than_never_takes_an_items_newest_point() {
        let now = chrono::Utc::now();
        let criteria = Criteria {
            older_than: days(90),
            keep: 1,
            ..Criteria::default()
        };
        let selection = select(inventory(), &criteria, now);
        // c0 is old enough but vm-c's only (so newest) point.
        assert_eq!(ids(&selection), ["a3", "a4", "b1"]);
        assert_eq!(selection.kept, 1);
    }

    #[test]
    fn keep_last_keeps_the_newest_n_of_each_item_whatever_their_age() {
        let now = chrono::Utc::now();
        let criteria = Criteria {
            older_than: days(20),
            keep: 3,
            ..Criteria::default()
        };
        let selection = select(inventory(), &criteria, now);
        // vm-a keeps a0, a1, a2; vm-b and vm-c have no more than 3. Counted as kept: the
        // points old enough that keeping saved (a1, a2, b1, c0).
        assert_eq!(ids(&selection), ["a3", "a4"]);
        assert_eq!(selection.kept, 4);
        let criteria = Criteria {
            keep: 2,
            ..Criteria::default()
        };
        assert_eq!(
            ids(&select(inventory(), &criteria, now)),
            ["a2", "a3", "a4"]
        );
    }

    #[test]
    fn allowing_the_newest_lets_a_lone_point_go() {
        let now = chrono::Utc::now();
        let criteria = Criteria {
            older_than: days(90),
            keep: 0,
            ..Criteria::default()
        };
        assert_eq!(
            ids(&select(inventory(), &criteria, now)),
            ["a3", "a4", "b1", "c0"]
        );
    }

    #[test]
    fn a_point_named_by_id_is_still_kept_when_it_is_its_items_newest() {
        let now = chrono::Utc::now();
        let scope = Scope {
            points: ["a0", "a2", "c0"].map(String::from).into(),
            items: ["vm-b"].map(String::from).into(),
        };
        let criteria = Criteria {
            keep: 1,
            scope: Some(scope),
            ..Criteria::default()
        };
        let selection = select(inventory(), &criteria, now);
        assert_eq!(ids(&selection), ["a2", "b1"]);
        assert_eq!(selection.kept, 3);
    }

    #[test]
    fn newest_points_are_counted_among_the_destinations_given() {
        let now = chrono::Utc::now();
        let mut points = inventory();
        // vm-a's newest two are snapshots; its backups are a2..a4.
        for p in &mut points {
            if p.id == "a0" || p.id == "a1" {
                p.destination = Some(RestorePointDestination::Snapshot);
            }
        }
        let criteria = Criteria {
            keep: 1,
            destinations: vec![RestorePointDestination::AzureBlob],
            ..Criteria::default()
        };
        let selection = select(points.clone(), &criteria, now);
        // The newest backup of vm-a (a2) is kept, not a0.
        assert_eq!(ids(&selection), ["a3", "a4", "b1"]);
        let criteria = Criteria {
            keep: 1,
            destinations: vec![RestorePointDestination::Snapshot],
            ..Criteria::default()
        };
        assert_eq!(ids(&select(points, &criteria, now)), ["a1"]);
    }

    #[test]
    fn nothing_matched_is_an_empty_selection() {
        let now = chrono::Utc::now();
        let criteria = Criteria {
            older_than: days(365),
            keep: 1,
            ..Criteria::default()
        };
        let selection = select(inventory(), &criteria, now);
        assert!(selection.chosen.is_empty());
        assert_eq!(selection.kept, 0);
    }
}
