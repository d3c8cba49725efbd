//! `Appliance::removing` and `Appliance::protected_items` (v8.1) against wiremock: each
//! workload's removal reaches its own operation (the tier only where one is taken), batches
//! are cut at `BATCH_LIMIT` or made one request per item where the appliance has no batch,
//! file shares' single removals are batches of one, a removal not offered and a tier not
//! taken send nothing, on v1 nothing is sent either (but for a VM's backups, which v1 has);
//! protected items of every workload are read page after page into one model.

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use vbazure::v8_1::types::BackupTier;
use vbazure::{ApiVersion, Appliance, DeleteOutcome, ErrorKind, Removal, Workload, BATCH_LIMIT};
use wiremock::matchers::{any, body_json, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{example_v8_1, fast_retries, json, query_is, TOKEN};

fn appliance(uri: &str) -> Appliance {
    Appliance::builder(uri)
        .api_version(ApiVersion::V8_1)
        .access_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// A removal, the path under `protectedItem/` it must reach, its operation and its query.
type Case = (
    Workload,
    Removal,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

fn started(operation: &str) -> ResponseTemplate {
    json(202, &example_v8_1(&format!("{operation}.202")))
}

#[tokio::test]
async fn single_removals_reach_each_workloads_operation() {
    let server = MockServer::start().await;
    let cases: [Case; 7] = [
        (
            Workload::Vm,
            Removal::Snapshots,
            "virtualMachines/vm-1/deleteSnapshots",
            "deleteVirtualMachineSnapshots",
            &[],
        ),
        (
            Workload::Vm,
            Removal::ManualSnapshots,
            "virtualMachines/vm-1/deleteManualSnapshots",
            "deleteVirtualMachineManualSnapshots",
            &[],
        ),
        (
            Workload::Sql,
            Removal::Backups,
            "sql/vm-1/deleteBackups",
            "deleteDatabaseBackups",
            &[("BackupTier", "Archive")],
        ),
        (
            Workload::Sql,
            Removal::ManualBackups,
            "sql/vm-1/deleteManualBackups",
            "deleteDatabaseManualBackups",
            &[],
        ),
        (
            Workload::CosmosDb,
            Removal::Backups,
            "cosmosDb/vm-1/deleteBackups",
            "deleteCosmosDbAccountBackups",
            &[("BackupTier", "Archive")],
        ),
        (
            Workload::CosmosDb,
            Removal::ManualBackups,
            "cosmosDb/vm-1/deleteManualBackups",
            "deleteCosmosDbAccountManualBackups",
            &[],
        ),
        (
            Workload::CosmosDb,
            Removal::ContinuousBackups,
            "cosmosDb/vm-1/deleteContinuousBackups",
            "deleteCosmosDbAccountContinuousBackups",
            &[],
        ),
    ];
    for (_, _, at, operation, query) in &cases {
        Mock::given(method("POST"))
            .and(path(format!("/api/v8.1/protectedItem/{at}")))
            .and(query_is(query))
            .respond_with(started(operation))
            .expect(1)
            .mount(&server)
            .await;
    }
    let appliance = appliance(&server.uri());
    for (workload, removal, ..) in cases {
        let tier = removal.takes_tier(workload).then_some(BackupTier::Archive);
        let outcome = appliance
            .removing(workload, removal)
            .tier(tier)
            .of("vm-1")
            .send()
            .await
            .unwrap_or_else(|e| panic!("{workload} {removal}: {e}"));
        assert!(
            matches!(outcome, DeleteOutcome::Started(_)),
            "{workload} {removal}"
        );
    }
}

#[tokio::test]
async fn a_file_share_is_removed_as_a_batch_of_one_and_204_is_nothing_to_delete() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/fileShares/deleteManualSnapshots",
        ))
        .and(body_json(json!({"ids": ["share-1"]})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let outcome = appliance(&server.uri())
        .removing(Workload::FileShare, Removal::ManualSnapshots)
        .of("share-1")
        .send()
        .await
        .expect("204 is an answer");
    assert!(matches!(outcome, DeleteOutcome::NothingToDelete));
}

#[tokio::test]
async fn batches_are_cut_at_the_limit_and_each_request_keeps_its_ids() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (0..BATCH_LIMIT + 1).map(|n| format!("vm-{n}")).collect();
    let first: Vec<String> = ids[..BATCH_LIMIT].to_vec();
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteSnapshots",
        ))
        .and(body_json(json!({ "ids": first })))
        .respond_with(started("deleteVirtualMachinesSnapshots"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteSnapshots",
        ))
        .and(body_json(json!({ "ids": [ids[BATCH_LIMIT].clone()] })))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let done = appliance(&server.uri())
        .removing(Workload::Vm, Removal::Snapshots)
        .of_batch(&ids)
        .send()
        .await
        .expect("the requests are made");
    assert_eq!(done.len(), 2);
    assert_eq!(done[0].vm_ids, first);
    assert!(matches!(done[0].outcome, Ok(DeleteOutcome::Started(_))));
    assert!(matches!(
        done[1].outcome,
        Ok(DeleteOutcome::NothingToDelete)
    ));
}

#[tokio::test]
async fn a_batch_without_a_batch_operation_is_one_request_per_item_and_one_failure_stops_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v8.1/protectedItem/sql/db-1/deleteManualBackups"))
        .respond_with(ResponseTemplate::new(500))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/v8.1/protectedItem/sql/db-2/deleteManualBackups"))
        .respond_with(started("deleteDatabaseManualBackups"))
        .expect(1)
        .mount(&server)
        .await;
    let ids = vec!["db-1".to_string(), "db-2".to_string()];
    let done = appliance(&server.uri())
        .removing(Workload::Sql, Removal::ManualBackups)
        .of_batch(&ids)
        .send()
        .await
        .expect("the requests are made");
    assert_eq!(done.len(), 2);
    assert_eq!(done[0].vm_ids, ["db-1"]);
    assert!(done[0].outcome.is_err());
    assert!(matches!(done[1].outcome, Ok(DeleteOutcome::Started(_))));
}

#[tokio::test]
async fn what_a_workload_does_not_offer_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let appliance = appliance(&server.uri());
    let ids = vec!["x".to_string()];
    for workload in Workload::ALL {
        for removal in Removal::ALL {
            if removal.is_offered(workload) {
                continue;
            }
            let one = appliance.removing(workload, removal).of("x").send().await;
            let many = appliance
                .removing(workload, removal)
                .of_batch(&ids)
                .send()
                .await;
            for error in [one.map(drop), many.map(drop)] {
                let error = error.expect_err("not offered");
                assert!(
                    matches!(error.kind(), ErrorKind::NotOffered { option: None, .. }),
                    "{workload} {removal}: {error}"
                );
            }
        }
    }
    let error = appliance
        .removing(Workload::Vm, Removal::Snapshots)
        .tier(BackupTier::Archive)
        .of("x")
        .send()
        .await
        .expect_err("snapshots take no tier");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::NotOffered {
                option: Some(_),
                ..
            }
        ),
        "{error}"
    );
    let error = appliance
        .removing(Workload::FileShare, Removal::Snapshots)
        .of_batch(&[String::new()])
        .send()
        .await
        .expect_err("an empty id");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
        "{error}"
    );
}

#[tokio::test]
async fn on_v1_only_a_vms_backups_are_removed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/virtualMachines/vm-1/deleteBackups"))
        .respond_with(|_: &Request| json(200, &crate::support::example("deleteBackups.200")))
        .expect(1)
        .mount(&server)
        .await;
    let appliance = Appliance::builder(server.uri())
        .api_version(ApiVersion::V1)
        .access_token(TOKEN)
        .build()
        .expect("valid settings");
    let outcome = appliance
        .removing(Workload::Vm, Removal::Backups)
        .of("vm-1")
        .send()
        .await
        .expect("v1 has it");
    assert!(matches!(outcome, DeleteOutcome::Started(_)));
    let error = appliance
        .removing(Workload::Sql, Removal::Backups)
        .of("db-1")
        .send()
        .await
        .expect_err("v1 has no SQL");
    assert!(
        matches!(error.kind(), ErrorKind::NotInVersion { .. }),
        "{error}"
    );
    let error = appliance
        .protected_items(Workload::CosmosDb, 10)
        .stream()
        .boxed()
        .next()
        .await
        .expect("one item")
        .expect_err("v1 has no Cosmos DB");
    assert!(
        matches!(error.kind(), ErrorKind::NotInVersion { .. }),
        "{error}"
    );
}

/// The document's page of `operation`, its one item repeated under `ids`, out of `total`.
fn items_page(operation: &str, offset: usize, ids: &[&str], total: usize) -> Value {
    let mut page = example_v8_1(&format!("{operation}.200"));
    let item = page["results"][0].clone();
    page["results"] = ids
        .iter()
        .map(|id| {
            let mut item = item.clone();
            item["id"] = json!(id);
            item
        })
        .collect();
    page["offset"] = json!(offset);
    page["totalCount"] = json!(total);
    page
}

#[tokio::test]
async fn protected_items_of_every_workload_are_paged_into_one_model() {
    let cases = [
        (
            Workload::Vm,
            "virtualMachines",
            "listProtectedVirtualMachines",
        ),
        (Workload::Sql, "sql", "listProtectedDatabases"),
        (Workload::FileShare, "fileShares", "listProtectedFileShares"),
        (
            Workload::CosmosDb,
            "cosmosDb",
            "listProtectedCosmosDbAccounts",
        ),
    ];
    for (workload, at, operation) in cases {
        let server = MockServer::start().await;
        for (offset, ids) in [("0", &["a", "b"][..]), ("2", &["c"][..])] {
            Mock::given(method("GET"))
                .and(path(format!("/api/v8.1/protectedItem/{at}")))
                .and(query_is(&[
                    ("Offset", offset),
                    ("Limit", "2"),
                    ("SearchPattern", "x"),
                ]))
                .respond_with(json(
                    200,
                    &items_page(operation, offset.parse().unwrap(), ids, 3),
                ))
                .expect(1)
                .mount(&server)
                .await;
        }
        let items: Vec<_> = appliance(&server.uri())
            .protected_items(workload, 2)
            .search("x")
            .stream()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{workload}: {e}"));
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"], "{workload}");
        let item = &items[0];
        assert_eq!(item.workload, workload);
        assert!(item.name.is_some(), "{workload}");
        assert!(item.last_backup.is_some(), "{workload}");
        assert_eq!(item.region.as_deref(), Some("westeurope"), "{workload}");
        assert!(item.size_bytes.is_some_and(|s| s > 0), "{workload}");
    }
}

#[tokio::test]
async fn a_protected_item_without_an_id_is_an_undecodable_item_and_the_stream_goes_on() {
    let server = MockServer::start().await;
    let mut page = items_page("listProtectedDatabases", 0, &["a", "b"], 2);
    page["results"][0]["id"] = Value::Null;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/sql"))
        .respond_with(json(200, &page))
        .expect(1)
        .mount(&server)
        .await;
    let items: Vec<_> = appliance(&server.uri())
        .protected_items(Workload::Sql, 100)
        .stream()
        .collect()
        .await;
    assert_eq!(items.len(), 2);
    let error = items[0].as_ref().expect_err("no id");
    assert!(
        matches!(error.kind(), ErrorKind::UndecodableItem { .. }),
        "{error}"
    );
    assert_eq!(items[1].as_ref().expect("decodes").id, "b");
}

#[tokio::test]
async fn a_protected_item_is_read_by_its_workloads_path() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/fileShares/share-1"))
        .respond_with(json(200, &example_v8_1("getProtectedFileShare.200")))
        .expect(1)
        .mount(&server)
        .await;
    let item = appliance(&server.uri())
        .protected_item(Workload::FileShare, "share-1")
        .send()
        .await
        .expect("reads");
    assert_eq!(item.workload, Workload::FileShare);
    assert_eq!(item.size_bytes, Some(102_400 * 1024 * 1024));
}
