//! One protected item of any kind (its id, name and restore points; what else the API shows
//! of it follows from its place among its kind), and the items of one kind with their index.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::points::{Point, Scope};

/// A protected item: a VM, an SQL database, a Cosmos DB account or a file share.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    pub id: String,
    pub name: String,
    /// Its place among the items of its kind, from which its made-up details (size, OS...)
    /// follow, so that they need no memory of their own.
    pub index: usize,
    /// Its restore points, in no order.
    pub points: Vec<Point>,
}

impl Item {
    /// Whether a removal of `scope` would find anything to remove at `now` (an immutable
    /// point cannot be removed).
    pub(crate) fn holds(&self, scope: Scope, now: DateTime<Utc>) -> bool {
        self.points
            .iter()
            .any(|p| scope.covers(p) && !p.is_locked(now))
    }

    /// The newest of its points that `keep` keeps, if any.
    pub(crate) fn newest(&self, keep: impl Fn(&Point) -> bool) -> Option<&Point> {
        self.points
            .iter()
            .filter(|p| keep(p))
            .max_by_key(|p| p.created)
    }
}

/// The items of one kind, in the order the appliance lists them, and an index by id.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    items: Vec<Item>,
    by_id: HashMap<String, usize>,
}

impl Catalog {
    /// Adds an item, unless one has its id already (the first keeps its name); its place.
    pub(crate) fn add(&mut self, id: String, name: String) -> usize {
        if let Some(&index) = self.by_id.get(&id) {
            return index;
        }
        let index = self.items.len();
        self.by_id.insert(id.clone(), index);
        self.items.push(Item {
            id,
            name,
            index,
            points: Vec::new(),
        });
        index
    }

    pub(crate) fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub(crate) fn get(&self, id: &str) -> Option<&Item> {
        self.at(self.position(id)?)
    }

    pub(crate) fn at(&self, index: usize) -> Option<&Item> {
        self.items.get(index)
    }

    pub(crate) fn at_mut(&mut self, index: usize) -> Option<&mut Item> {
        self.items.get_mut(index)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Item> {
        self.items.iter()
    }

    pub(crate) fn len(&self) -> usize {
        self.items.len()
    }
}
