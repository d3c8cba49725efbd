//! The inventory's tests: the made-up items, and what removals take.

use chrono::{TimeDelta, Utc};

use super::*;

fn plan_with_vm() -> Plan {
    Plan {
        vms: vec![("a".into(), "id-a".into())],
        ..Plan::default()
    }
}

fn inventory(plan: &Plan) -> Inventory {
    Inventory::from_plan(plan).expect("a valid plan")
}

#[test]
fn the_generated_inventory_is_the_same_on_every_run() {
    let plan = Plan {
        generated_vms: 6,
        ..Plan::default()
    };
    let ids = |i: &Inventory| i.iter().map(|vm| vm.id.clone()).collect::<Vec<_>>();
    let (one, two) = (inventory(&plan), inventory(&plan));
    assert_eq!(ids(&one), ids(&two));
    let names: Vec<&str> = one.iter().map(|vm| vm.name.as_str()).collect();
    assert_eq!(
        names,
        ["web-01", "db-01", "app-03", "app-04", "app-05", "app-06"]
    );
    for vm in one.iter() {
        let id = vm.id.as_bytes();
        assert_eq!(
            (id.len(), id[8], id[13], id[18], id[23]),
            (36, b'-', b'-', b'-', b'-')
        );
        assert!(vm.holds(Scope::Backups(None), Utc::now()));
        assert!((10..=11).contains(&vm.points.len()), "{}", vm.points.len());
    }
    // The other kinds have their made-up items, the document's examples first.
    for (workload, id, name) in [
        (
            Workload::Sql,
            "6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62",
            "orders",
        ),
        (
            Workload::CosmosDb,
            "1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75",
            "catalog-cosmos",
        ),
        (
            Workload::FileShare,
            "2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75",
            "finance",
        ),
    ] {
        assert_eq!(one.catalog(workload).len(), 3);
        assert_eq!(
            one.catalog(workload)
                .at(0)
                .map(|i| (i.id.as_str(), i.name.as_str())),
            Some((id, name))
        );
    }
    // The document's example points are there, each of its kind only.
    assert!(one
        .point(Workload::Vm, "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21")
        .is_some());
    assert!(one
        .point(Workload::Sql, "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21")
        .is_none());
    let (_, locked) = one
        .point(Workload::Sql, "b2d4f6a8-0c3e-4f57-9b1d-2e4a6c8e0f32")
        .expect("the locked example");
    assert!(locked.is_locked(Utc::now()));
    // Ages spread over about 120 days.
    let oldest = one
        .iter()
        .flat_map(|vm| vm.points.iter())
        .map(|p| p.created)
        .min();
    assert!(oldest.is_some_and(|t| Utc::now() - t > TimeDelta::days(119)));
}

#[test]
fn a_removal_takes_exactly_its_scope_and_leaves_immutable_points() {
    let now = Utc::now();
    let mut plan = plan_with_vm();
    plan.points.push((
        "id-a".into(),
        vec![
            RestorePointSpec::snapshot(),
            RestorePointSpec::snapshot().manual().days_old(2),
            RestorePointSpec::backup().days_old(10),
            RestorePointSpec::backup().manual().days_old(11),
            RestorePointSpec::backup().days_old(70).archived(),
            RestorePointSpec::backup()
                .days_old(80)
                .archived()
                .immutable_for_days(10),
        ],
    ));
    let mut inventory = inventory(&plan);
    assert_eq!(inventory.point_count(), 6 + 3 * 7 + 3 * 6 + 3 * 8 + 3);
    let manual = inventory.remove(Workload::Vm, "id-a", Scope::ManualSnapshots, now);
    assert_eq!(manual.len(), 1);
    let archived = inventory.remove(
        Workload::Vm,
        "id-a",
        Scope::Backups(Some(Tier::Archive)),
        now,
    );
    assert_eq!(archived.len(), 1, "the immutable archived backup stays");
    let vm = inventory.get("id-a").expect("the VM");
    assert!(!vm.holds(Scope::Backups(Some(Tier::Archive)), now));
    assert!(vm.holds(Scope::Backups(Some(Tier::NonArchive)), now));
    let rest = inventory.remove(Workload::Vm, "id-a", Scope::Backups(None), now);
    assert_eq!(rest.len(), 2);
    assert_eq!(
        inventory
            .remove(Workload::Vm, "id-a", Scope::Snapshots, now)
            .len(),
        1
    );
    let vm = inventory.get("id-a").expect("the VM");
    assert_eq!(vm.points.len(), 1, "only the immutable point is left");
    assert!(!vm.holds(Scope::Backups(None), now));
    assert_eq!(rest[0].item_name, "a");
    assert_eq!(
        rest[0].to_json()["resource"]["resourceType"],
        "VirtualMachine"
    );
}

#[test]
fn one_point_is_hidden_while_removed_and_comes_back_if_that_fails() {
    let now = Utc::now();
    let mut plan = plan_with_vm();
    let id = "0b6d2f48-3c1e-4a95-b7d0-9e2f4a6c8b13";
    let locked = "1b6d2f48-3c1e-4a95-b7d0-9e2f4a6c8b13";
    plan.points.push((
        "id-a".into(),
        vec![
            RestorePointSpec::backup().id(id),
            RestorePointSpec::backup().id(locked).immutable_for_days(1),
        ],
    ));
    let mut inventory = inventory(&plan);
    assert!(matches!(
        inventory.start_point_removal(Workload::Vm, locked, now),
        Err(Refusal::Locked(_))
    ));
    assert_eq!(
        inventory.start_point_removal(Workload::Sql, id, now).err(),
        Some(Refusal::NotFound),
        "a point of another kind"
    );
    let (bits, item, _) = inventory
        .start_point_removal(Workload::Vm, id, now)
        .expect("starts");
    assert_eq!(item, "id-a");
    assert!(
        inventory.point(Workload::Vm, id).is_none(),
        "hidden meanwhile"
    );
    assert_eq!(
        inventory.start_point_removal(Workload::Vm, id, now).err(),
        Some(Refusal::NotFound)
    );
    assert!(inventory.end_point_removal(bits, false).is_empty());
    assert!(
        inventory.point(Workload::Vm, id).is_some(),
        "back after a failure"
    );
    inventory
        .start_point_removal(Workload::Vm, id, now)
        .expect("starts again");
    assert_eq!(inventory.end_point_removal(bits, true).len(), 1);
    assert!(inventory.point(Workload::Vm, id).is_none());
    assert!(
        inventory.end_point_removal(bits, true).is_empty(),
        "gone once"
    );
}

#[test]
fn vms_without_backups_exist_and_hold_nothing() {
    let mut plan = plan_with_vm();
    plan.empty = vec!["id-a".into(), "id-b".into()];
    let inventory = inventory(&plan);
    assert_eq!(inventory.iter().count(), 2);
    for id in ["id-a", "id-b"] {
        assert!(inventory.get(id).expect("listed").points.is_empty());
    }
    assert_eq!(inventory.get("id-a").map(|vm| vm.name.as_str()), Some("a"));
    let vm = inventory.get("id-a").expect("listed");
    assert!(item_json(Workload::Vm, vm, "http://mock")["lastBackup"].is_null());
}

#[test]
fn plans_naming_no_item_or_a_bad_id_are_refused() {
    let mut plan = plan_with_vm();
    plan.points
        .push(("nothing".into(), vec![RestorePointSpec::backup()]));
    assert!(Inventory::from_plan(&plan).is_err());
    let mut plan = plan_with_vm();
    plan.points
        .push(("id-a".into(), vec![RestorePointSpec::backup().id("rp-1")]));
    assert!(Inventory::from_plan(&plan).is_err());
}
