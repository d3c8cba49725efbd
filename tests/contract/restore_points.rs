//! `Appliance`'s restore points (v8.1) against wiremock: every page of a workload's list read
//! into the one `RestorePoint` model, the item and `OnlyLatest` options sent as documented, a
//! removal's session, a 423 told apart from other refusals, a session's deleted items paged,
//! and on v1 an error before anything is sent.

use futures_util::{StreamExt, TryStreamExt};
use serde_json::{json, Value};
use vbazure::{
    ApiVersion, Appliance, ErrorKind, RestorePointDestination, RestorePointType, StorageAccessTier,
    Timestamp, Workload,
};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{bearer, example_v8_1, fast_retries, json, query_is, TOKEN};

/// A client speaking v8.1 with a fixed token, so that no login reaches the server.
fn appliance(uri: &str) -> Appliance {
    Appliance::builder(uri)
        .api_version(ApiVersion::V8_1)
        .access_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// The document's page of VM restore points, its one point repeated under `ids`, out of
/// `total`.
fn vm_page(offset: usize, ids: &[&str], total: usize) -> Value {
    let mut page = example_v8_1("listVirtualMachineRestorePoints.200");
    let point = page["results"][0].clone();
    page["results"] = ids
        .iter()
        .map(|id| {
            let mut point = point.clone();
            point["id"] = json!(id);
            point
        })
        .collect();
    page["offset"] = json!(offset);
    page["limit"] = json!(2);
    page["totalCount"] = json!(total);
    page
}

#[tokio::test]
async fn restore_points_reads_every_page_into_the_one_model() {
    let server = MockServer::start().await;
    let vm = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";
    for (offset, ids) in [("0", &["p1", "p2"][..]), ("2", &["p3"][..])] {
        Mock::given(method("GET"))
            .and(path("/api/v8.1/restorePoints/virtualMachines"))
            .and(bearer(TOKEN))
            .and(query_is(&[
                ("Offset", offset),
                ("Limit", "2"),
                ("VirtualMachineId", vm),
                ("OnlyLatest", "true"),
            ]))
            .respond_with(json(200, &vm_page(offset.parse().unwrap(), ids, 3)))
            .expect(1)
            .mount(&server)
            .await;
    }
    let appliance = appliance(&server.uri());
    let points: Vec<_> = appliance
        .restore_points(Workload::Vm, 2)
        .item(vm)
        .only_latest(true)
        .stream()
        .try_collect()
        .await
        .expect("every page reads");
    let ids: Vec<&str> = points.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, ["p1", "p2", "p3"]);
    let point = &points[0];
    assert_eq!(point.workload, Workload::Vm);
    // The VM's appliance id, as the document's examples give it in `resourceHashId`.
    assert_eq!(point.item_id.as_deref(), Some(vm));
    assert_eq!(point.item_name.as_deref(), Some("web-01"));
    assert_eq!(point.kind, Some(RestorePointType::Full));
    assert_eq!(point.destination, Some(RestorePointDestination::AzureBlob));
    assert_eq!(point.access_tier, Some(StorageAccessTier::Cool));
    assert_eq!(point.size_bytes, Some(21_474_836_480));
    assert_eq!(point.corrupted, Some(false));
    assert_eq!(point.created.to_string(), "2024-07-14T22:00:37.7041182Z");
    assert!(!point.is_immutable_at(point.created));
}

#[tokio::test]
async fn each_workload_reads_its_own_list_and_fields() {
    let cases = [
        (
            Workload::Sql,
            "sql",
            "listSqlRestorePoints.200",
            "orders",
            true,
        ),
        (
            Workload::FileShare,
            "fileShares",
            "listFileShareRestorePoints.200",
            "finance",
            false,
        ),
        (
            Workload::CosmosDb,
            "cosmosDb/repository",
            "listCosmosDbRestorePoints.200",
            "catalog-cosmos",
            false,
        ),
    ];
    for (workload, kind, example, name, immutable) in cases {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path(format!("/api/v8.1/restorePoints/{kind}")))
            .and(query_is(&[("Offset", "0"), ("Limit", "100")]))
            .respond_with(json(200, &example_v8_1(example)))
            .expect(1)
            .mount(&server)
            .await;
        let page = appliance(&server.uri())
            .restore_points_page(workload, 0, 100)
            .send()
            .await
            .expect("the documented page reads");
        assert_eq!(page.total_count, Some(1));
        let point = page.points[0].as_ref().expect("decodes");
        assert_eq!(point.workload, workload);
        assert_eq!(point.item_name.as_deref(), Some(name), "{workload}");
        assert!(point.item_id.is_some(), "{workload}");
        assert!(point.size_bytes.is_some(), "{workload}");
        let before: Timestamp = "2024-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(point.is_immutable_at(before), immutable, "{workload}");
    }
}

#[tokio::test]
async fn a_restore_point_is_read_and_removed_by_its_workload_path() {
    let server = MockServer::start().await;
    let id = "b2d4f6a8-0c3e-4f57-9b1d-2e4a6c8e0f32";
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/restorePoints/sql/{id}")))
        .respond_with(json(200, &example_v8_1("getSqlRestorePoint.200")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/api/v8.1/restorePoints/sql/{id}")))
        .respond_with(json(202, &example_v8_1("deleteSqlRestorePoint.202")))
        .expect(1)
        .mount(&server)
        .await;
    let appliance = appliance(&server.uri());
    let point = appliance
        .restore_point(Workload::Sql, id)
        .send()
        .await
        .expect("reads");
    assert_eq!(point.workload, Workload::Sql);
    let session = appliance
        .delete_restore_point(Workload::Sql, id)
        .send()
        .await
        .expect("the removal starts");
    assert!(!session.id.is_empty());
}

#[tokio::test]
async fn an_immutable_point_is_told_apart_from_other_refusals() {
    let server = MockServer::start().await;
    let problem = |name: &str| {
        let body = example_v8_1(&format!("components.responses.ClientError.{name}"));
        let status = body["status"].as_u64().unwrap() as u16;
        ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/problem+json")
    };
    Mock::given(method("DELETE"))
        .and(path("/api/v8.1/restorePoints/virtualMachines/locked"))
        .respond_with(problem("locked"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/v8.1/restorePoints/virtualMachines/busy"))
        .respond_with(problem("conflict"))
        .expect(1)
        .mount(&server)
        .await;
    let appliance = appliance(&server.uri());
    let locked = appliance
        .delete_restore_point(Workload::Vm, "locked")
        .send()
        .await
        .expect_err("423");
    assert!(locked.is_locked(), "{locked}");
    assert_eq!(locked.status(), Some(423));
    assert!(matches!(locked.kind(), ErrorKind::Conflict(_)));
    let busy = appliance
        .delete_restore_point(Workload::Vm, "busy")
        .send()
        .await
        .expect_err("409");
    assert!(!busy.is_locked(), "{busy}");
}

#[tokio::test]
async fn deleted_items_are_paged() {
    let server = MockServer::start().await;
    let session = "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20";
    let mut page = example_v8_1("listJobSessionDeletedItems.200");
    let item = page["results"][0].clone();
    let mut other = item.clone();
    other["snapshotTime"] = json!("2024-07-15T22:00:37.7041182Z");
    page["results"] = json!([item, other]);
    page["totalCount"] = json!(2);
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v8.1/jobSessions/{session}/deletedItems"
        )))
        .and(query_is(&[("Offset", "0"), ("Limit", "10")]))
        .respond_with(json(200, &page))
        .expect(1)
        .mount(&server)
        .await;
    let items: Vec<_> = appliance(&server.uri())
        .deleted_items(session, 10)
        .stream()
        .try_collect()
        .await
        .expect("reads");
    assert_eq!(items.len(), 2);
}

#[tokio::test]
async fn on_v1_restore_points_fail_before_anything_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let appliance = Appliance::builder(server.uri())
        .api_version(ApiVersion::V1)
        .access_token(TOKEN)
        .build()
        .expect("valid settings");
    let errors = [
        appliance
            .restore_points(Workload::Vm, 10)
            .stream()
            .boxed()
            .next()
            .await
            .expect("one item")
            .expect_err("v1"),
        appliance
            .restore_point(Workload::Sql, "x")
            .send()
            .await
            .expect_err("v1"),
        appliance
            .delete_restore_point(Workload::FileShare, "x")
            .send()
            .await
            .expect_err("v1"),
        appliance
            .deleted_items("s", 10)
            .stream()
            .boxed()
            .next()
            .await
            .expect("one item")
            .expect_err("v1"),
    ];
    for error in errors {
        assert!(
            matches!(error.kind(), ErrorKind::NotInVersion { .. }),
            "{error}"
        );
    }
}
