//! What the v8.1 appliance protects: virtual machines, Azure SQL databases, Cosmos DB
//! accounts and file shares, each with its restore points, and what removals take of them.
//!
//! Each part has a file of its own: [`workload`] (the kinds of items), [`item`] (one item
//! and the items of a kind), [`points`] (one restore point, and which points a removal
//! concerns), [`spec`] (points as tests describe them, and the made-up ones), [`deleted`]
//! (what a removal took), and one file per kind for how the API writes its items and
//! points: [`vms`], [`databases`], [`cosmos`], [`file_shares`]. This file holds the
//! [`Inventory`] of them all and the index of points by id.

mod cosmos;
mod databases;
mod deleted;
mod file_shares;
mod item;
mod points;
mod spec;
mod vms;
mod workload;

use std::collections::HashMap;

use chrono::{DateTime, Utc};

pub(crate) use self::databases::server as sql_server;
pub(crate) use self::deleted::Deleted;
pub(crate) use self::item::{Catalog, Item};
pub(crate) use self::points::{parse_uuid, uuid_text, Point, Scope, Tier};
pub use self::spec::RestorePointSpec;
pub(crate) use self::workload::Workload;

/// The most VMs `--generate-vms` makes: a page of all of them (`Limit=-1`) is then about
/// 100 MB of JSON, as much as a load test needs.
pub(crate) const MAX_GENERATED: usize = 100_000;

/// The VMs a mock has when it is given none: the two of the v8.1 document's examples (so
/// that the ids the documentation shows work) and two more.
pub(crate) const DEFAULT_GENERATED: usize = 4;

/// The subscription every mock item lives in: the one of the document's examples.
pub(crate) const SUBSCRIPTION_ID: &str = "9a2f4c6e-1d3b-4e5f-8a7c-6b0d2e4f1a39";
pub(crate) const TENANT_ID: &str = "2e8d4b6a-0c1f-4a3e-9b57-8d6f0a2c4e19";

/// What the inventory is made of: the items given, how many VMs to make up, and the points
/// tests describe.
#[derive(Clone, Debug, Default)]
pub(crate) struct Plan {
    /// VMs given, as (name, id).
    pub vms: Vec<(String, String)>,
    pub generated_vms: usize,
    /// Ids of VMs without any restore point (added when not among the VMs).
    pub empty: Vec<String>,
    /// Items of the other kinds given, as (kind, id, name); a kind given none has the
    /// made-up ones.
    pub items: Vec<(Workload, String, String)>,
    /// The restore points of items, by item id, in place of the made-up ones.
    pub points: Vec<(String, Vec<RestorePointSpec>)>,
}

/// The items of every kind and an index of their restore points by id.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    catalogs: [Catalog; 4],
    /// Where each point is: its item's kind and place.
    points: HashMap<u128, (Workload, u32)>,
}

/// Why a restore point cannot be removed.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    NotFound,
    Locked(DateTime<Utc>),
}

/// An item as the API writes it (`ProtectedVirtualMachine`, `ProtectedDatabase`...).
pub(crate) fn item_json(workload: Workload, item: &Item, base_url: &str) -> serde_json::Value {
    match workload {
        Workload::Vm => vms::vm_json(item, base_url),
        Workload::Sql => databases::database_json(item, base_url),
        Workload::CosmosDb => cosmos::account_json(item),
        Workload::FileShare => file_shares::share_json(item, base_url),
    }
}

/// A restore point of `item` as the API writes it (`VirtualMachineRestorePoint`...).
pub(crate) fn point_json(workload: Workload, item: &Item, point: &Point) -> serde_json::Value {
    match workload {
        Workload::Vm => vms::vm_point_json(item, point),
        Workload::Sql => databases::database_point_json(item, point),
        Workload::CosmosDb => cosmos::account_point_json(item, point),
        Workload::FileShare => file_shares::share_point_json(item, point),
    }
}

fn slot(workload: Workload) -> usize {
    match workload {
        Workload::Vm => 0,
        Workload::Sql => 1,
        Workload::CosmosDb => 2,
        Workload::FileShare => 3,
    }
}

impl Inventory {
    /// The inventory `plan` describes; why not, for points of an item there is not or with
    /// an id that is no UUID.
    pub(crate) fn from_plan(plan: &Plan) -> Result<Self, String> {
        let mut inventory = Self::default();
        let now = Utc::now();
        // Seeded: the same ids on every run, so that tests and documentation can name them.
        let mut rng = fastrand::Rng::with_seed(0x7662_617a_7572_6501);
        for (name, id) in &plan.vms {
            inventory
                .catalog_mut(Workload::Vm)
                .add(id.clone(), name.clone());
        }
        vms::generate(
            inventory.catalog_mut(Workload::Vm),
            plan.generated_vms,
            &mut rng,
        );
        for id in &plan.empty {
            inventory
                .catalog_mut(Workload::Vm)
                .add(id.clone(), id.clone());
        }
        for workload in [Workload::Sql, Workload::CosmosDb, Workload::FileShare] {
            let given: Vec<_> = plan.items.iter().filter(|(w, ..)| *w == workload).collect();
            if given.is_empty() {
                let defaults = match workload {
                    Workload::Sql => databases::DEFAULTS,
                    Workload::CosmosDb => cosmos::DEFAULTS,
                    _ => file_shares::DEFAULTS,
                };
                for (id, name) in defaults {
                    inventory
                        .catalog_mut(workload)
                        .add(id.to_string(), name.to_string());
                }
            }
            for (_, id, name) in given {
                inventory
                    .catalog_mut(workload)
                    .add(id.clone(), name.clone());
            }
        }
        inventory.fill(plan, now, &mut rng)?;
        Ok(inventory)
    }

    /// Gives every item its points: those `plan` describes, none for the empty VMs, the
    /// made-up ones otherwise.
    fn fill(
        &mut self,
        plan: &Plan,
        now: DateTime<Utc>,
        rng: &mut fastrand::Rng,
    ) -> Result<(), String> {
        let described: HashMap<&str, &Vec<RestorePointSpec>> = plan
            .points
            .iter()
            .map(|(id, specs)| (id.as_str(), specs))
            .collect();
        for (id, specs) in &described {
            if !Workload::ALL
                .iter()
                .any(|w| self.catalog(*w).get(id).is_some())
            {
                return Err(format!(
                    "restore points of {id:?}, which is no protected item"
                ));
            }
            if let Some(bad) = specs.iter().find_map(RestorePointSpec::bad_id) {
                return Err(format!("the restore point id {bad:?} is not a UUID"));
            }
        }
        for workload in Workload::ALL {
            for index in 0..self.catalog(workload).len() {
                let Some(item) = self.catalog(workload).at(index) else {
                    continue;
                };
                let specs = match described.get(item.id.as_str()) {
                    Some(specs) => (*specs).clone(),
                    None if workload == Workload::Vm && plan.empty.contains(&item.id) => Vec::new(),
                    None => spec::default_points(workload, index, &item.id),
                };
                let hours = 2 + (index % 12) as i64;
                let points: Vec<Point> = specs.iter().map(|s| s.point(now, hours, rng)).collect();
                for point in &points {
                    let place = u32::try_from(index).map_err(|_| "too many items".to_string())?;
                    self.points.insert(point.id, (workload, place));
                }
                if let Some(item) = self.catalog_mut(workload).at_mut(index) {
                    item.points = points;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn catalog(&self, workload: Workload) -> &Catalog {
        &self.catalogs[slot(workload)]
    }

    fn catalog_mut(&mut self, workload: Workload) -> &mut Catalog {
        &mut self.catalogs[slot(workload)]
    }

    /// The protected VM with this id.
    pub(crate) fn get(&self, id: &str) -> Option<&Item> {
        self.catalog(Workload::Vm).get(id)
    }

    /// The protected VMs, in the order the appliance lists them.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Item> {
        self.catalog(Workload::Vm).iter()
    }

    /// The restore point of `workload` with this id, and its item, if a read finds it.
    pub(crate) fn point(&self, workload: Workload, id: &str) -> Option<(&Item, &Point)> {
        let bits = parse_uuid(id)?;
        let &(kind, place) = self.points.get(&bits)?;
        if kind != workload {
            return None;
        }
        let item = self.catalog(kind).at(place as usize)?;
        let point = item.points.iter().find(|p| p.id == bits)?;
        point.is_visible().then_some((item, point))
    }

    /// Starts the removal of one point: it is hidden until [`Inventory::end_point_removal`];
    /// its id bits and its item's (id, name).
    pub(crate) fn start_point_removal(
        &mut self,
        workload: Workload,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<(u128, String, String), Refusal> {
        let (item, point) = self.point(workload, id).ok_or(Refusal::NotFound)?;
        if let Some(till) = point.immutable_till.filter(|_| point.is_locked(now)) {
            return Err(Refusal::Locked(till));
        }
        let (bits, item_id, name, place) =
            (point.id, item.id.clone(), item.name.clone(), item.index);
        if let Some(point) = self
            .catalog_mut(workload)
            .at_mut(place)
            .and_then(|item| item.points.iter_mut().find(|p| p.id == bits))
        {
            point.pending = true;
        }
        Ok((bits, item_id, name))
    }

    /// Ends the removal of one point: gone if it `succeeded`, back otherwise; what went.
    pub(crate) fn end_point_removal(&mut self, bits: u128, succeeded: bool) -> Vec<Deleted> {
        let Some(&(workload, place)) = self.points.get(&bits) else {
            return Vec::new();
        };
        let Some(item) = self.catalog_mut(workload).at_mut(place as usize) else {
            return Vec::new();
        };
        let Some(at) = item.points.iter().position(|p| p.id == bits) else {
            return Vec::new();
        };
        if !succeeded {
            if let Some(point) = item.points.get_mut(at) {
                point.pending = false;
            }
            return Vec::new();
        }
        let point = item.points.swap_remove(at);
        let deleted = Deleted::new(workload, &item.id, &item.name, &point);
        self.points.remove(&bits);
        vec![deleted]
    }

    /// Removes the points of `scope` the item with this id has, but immutable ones; what went.
    pub(crate) fn remove(
        &mut self,
        workload: Workload,
        item_id: &str,
        scope: Scope,
        now: DateTime<Utc>,
    ) -> Vec<Deleted> {
        let catalog = self.catalog_mut(workload);
        let Some(item) = catalog.position(item_id).and_then(|i| catalog.at_mut(i)) else {
            return Vec::new();
        };
        let (gone, kept): (Vec<Point>, Vec<Point>) = std::mem::take(&mut item.points)
            .into_iter()
            .partition(|p| scope.covers(p) && !p.is_locked(now));
        item.points = kept;
        let deleted: Vec<Deleted> = gone
            .iter()
            .map(|p| Deleted::new(workload, &item.id, &item.name, p))
            .collect();
        for point in gone {
            self.points.remove(&point.id);
        }
        deleted
    }

    /// How many restore points there are, of every kind.
    #[cfg(test)]
    pub(crate) fn point_count(&self) -> usize {
        self.points.len()
    }
}

#[cfg(test)]
mod tests;
