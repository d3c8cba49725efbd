//! The plan: what the selection would delete, per item, and what it leaves out; printed
//! before anything is sent (and all of `--dry-run`).

use vbazure::Workload;

use super::point::Point;
use super::select::Selection;
use crate::output::size;
use crate::output::Printer;

/// At most this many items are shown in the plan (`--dry-run` lists every point).
const ITEMS_SHOWN: usize = 20;

/// At most this many immutable points are named.
const IMMUTABLE_SHOWN: usize = 10;

/// What would go and what stays.
pub(crate) struct Plan {
    /// The points to delete, oldest first.
    pub to_delete: Vec<Point>,
    /// Points the selectors chose that are immutable now: left out.
    pub immutable: Vec<Point>,
    /// Points the selectors matched that are among their item's newest kept.
    pub kept: usize,
    /// How many of each item's newest points are kept.
    pub keep: usize,
}

impl Plan {
    /// The plan of `selection` at `now`.
    pub(crate) fn new(
        selection: Selection,
        keep: usize,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        // In place, not partitioned into two new vectors: the chosen points can be most of
        // the command's memory.
        let mut to_delete = selection.chosen;
        let immutable: Vec<Point> = to_delete.extract_if(.., |p| p.immutable_at(now)).collect();
        // Oldest first: a run cut short has taken the oldest. (A cached-key sort keeps equal
        // points in their order and moves them in place, without a buffer of half of them.)
        to_delete.sort_by_cached_key(|p| p.created.as_datetime());
        Self {
            to_delete,
            immutable,
            kept: selection.kept,
            keep,
        }
    }

    /// The plan for people: on stdout in table form, else on stderr.
    pub(crate) fn print(&self, workload: Workload, printer: &Printer, verb: &str) {
        let items = per_item(&self.to_delete);
        let mut head = format!(
            "plan: {verb} {} {workload} restore point(s) of {} item(s)",
            self.to_delete.len(),
            items.len()
        );
        head.push_str(&total_size(self.to_delete.iter()));
        if !self.to_delete.is_empty() {
            printer.summary(&head);
        }
        for item in items.iter().take(ITEMS_SHOWN) {
            let oldest = &item.points[0];
            let newest = &item.points[item.points.len() - 1];
            let mut line = format!(
                "  {}  {} point(s)  oldest {} ({}d)  newest {} ({}d)",
                oldest.item_label(),
                item.points.len(),
                oldest.created,
                oldest.age_days,
                newest.created,
                newest.age_days
            );
            line.push_str(&total_size(item.points.iter().copied()));
            printer.summary(&line);
        }
        if items.len() > ITEMS_SHOWN {
            printer.summary(&format!(
                "  and {} more item(s) (--dry-run lists every point)",
                items.len() - ITEMS_SHOWN
            ));
        }
        if !self.immutable.is_empty() {
            printer.summary(&format!(
                "left out: {} immutable point(s) (the appliance refuses to delete them until \
                 then):",
                self.immutable.len()
            ));
            for point in self.immutable.iter().take(IMMUTABLE_SHOWN) {
                printer.summary(&format!(
                    "  {}  {}  immutable until {}",
                    point.id,
                    point.item_label(),
                    point
                        .immutable_until
                        .as_ref()
                        .map_or_else(String::new, ToString::to_string)
                ));
            }
            if self.immutable.len() > IMMUTABLE_SHOWN {
                printer.summary(&format!(
                    "  and {} more",
                    self.immutable.len() - IMMUTABLE_SHOWN
                ));
            }
        }
        if self.kept > 0 {
            printer.summary(&format!(
                "kept: {} matching point(s), the newest {} of their item(s) (--keep-last; \
                 --allow-deleting-newest lets the newest go)",
                self.kept, self.keep
            ));
        }
    }
}

/// The points of one item, oldest first.
struct ItemPoints<'a> {
    points: Vec<&'a Point>,
}

/// `points` (oldest first) by item, in the order of their oldest point.
fn per_item(points: &[Point]) -> Vec<ItemPoints<'_>> {
    let mut order: Vec<&str> = Vec::new();
    let mut groups: std::collections::HashMap<&str, Vec<&Point>> = std::collections::HashMap::new();
    for point in points {
        let key = point.item_key();
        groups
            .entry(key)
            .or_insert_with(|| {
                order.push(key);
                Vec::new()
            })
            .push(point);
    }
    order
        .into_iter()
        .filter_map(|key| groups.remove(key))
        .map(|points| ItemPoints { points })
        .collect()
}

/// `, 40.0 GiB` (`, 40.0 GiB (the size of 3 of 4 given)`), or nothing when no size is given.
fn total_size<'a>(points: impl Iterator<Item = &'a Point> + Clone) -> String {
    let count = points.clone().count();
    let sizes: Vec<i64> = points.filter_map(|p| p.size_bytes).collect();
    if sizes.is_empty() {
        return String::new();
    }
    let total = size(sizes.iter().sum());
    if sizes.len() == count {
        format!(", {total}")
    } else {
        format!(", {total} (the size of {} of {count} given)", sizes.len())
    }
}
