//! v8.1's removals through the mock, with plain HTTP requests: restore points of each kind
//! listed with their filters, read and removed one at a time (423 for an immutable one);
//! what protected items hold removed by scope (snapshots, manual ones, backups of a tier,
//! continuous backups), one item or a batch; and what each session removed.

use serde_json::{json, Value};
use vbazure_mock::{MockAppliance, Progress, RestorePointSpec};

const WEB: &str = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";
const ORDERS: &str = "6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62";
const CATALOG: &str = "1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75";
const FINANCE: &str = "2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75";
const VM_POINT: &str = "a1c3e5f7-9b2d-4e46-8a0c-1d3f5b7d9e21";
const LOCKED_SQL_POINT: &str = "b2d4f6a8-0c3e-4f57-9b1d-2e4a6c8e0f32";
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";

/// Requests to one mock with one access token: (status, JSON body or `Null`).
struct Api {
    url: String,
    token: String,
}

impl Api {
    async fn new(mock: &MockAppliance) -> Self {
        Self {
            url: mock.url().to_string(),
            token: crate::support::access_token(mock.url()).await,
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .expect("answers");
        let status = response.status().as_u16();
        let text = response.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
        };
        (status, body)
    }

    async fn get(&self, path: &str, query: &[(&str, &str)]) -> (u16, Value) {
        let url = format!("{}/api/v8.1{path}", self.url);
        self.send(crate::support::http().get(url).query(query))
            .await
    }

    async fn post(&self, path: &str, body: Option<Value>) -> (u16, Value) {
        let mut request = crate::support::http().post(format!("{}/api/v8.1{path}", self.url));
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(request).await
    }

    async fn delete(&self, path: &str) -> (u16, Value) {
        let url = format!("{}/api/v8.1{path}", self.url);
        self.send(crate::support::http().delete(url)).await
    }

    /// Reads the session of a 202 until it has ended; its last state.
    async fn finish(&self, started: &(u16, Value)) -> Value {
        assert_eq!(started.0, 202, "{started:?}");
        let id = started.1["id"].as_str().expect("a session id");
        for _ in 0..10 {
            let (status, session) = self.get(&format!("/jobSessions/{id}"), &[]).await;
            assert_eq!(status, 200);
            if session["status"] != "Running" {
                return session;
            }
        }
        panic!("session {id} did not end");
    }

    /// The ids of every restore point a list gives with `query`.
    async fn point_ids(&self, path: &str, query: &[(&str, &str)]) -> Vec<String> {
        let mut query = query.to_vec();
        query.push(("Limit", "-1"));
        let (status, page) = self.get(path, &query).await;
        assert_eq!(status, 200, "{page}");
        results(&page)
            .iter()
            .map(|p| p["id"].as_str().expect("an id").to_string())
            .collect()
    }
}

fn results(page: &Value) -> Vec<Value> {
    page["results"].as_array().cloned().unwrap_or_default()
}

async fn mock() -> MockAppliance {
    MockAppliance::builder()
        .progress(Progress::Polls(1))
        .start()
        .await
        .expect("starts")
}

fn no_violations(mock: &MockAppliance) {
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn restore_points_are_listed_newest_first_with_their_filters() {
    let mock = mock().await;
    let api = Api::new(&mock).await;
    let (status, page) = api
        .get(
            "/restorePoints/virtualMachines",
            &[("VirtualMachineId", WEB), ("Limit", "-1")],
        )
        .await;
    assert_eq!(status, 200);
    let points = results(&page);
    assert_eq!(page["totalCount"], points.len());
    assert!(points.len() >= 10, "{}", points.len());
    assert!(points
        .iter()
        .all(|p| p["resourceHashId"] == WEB && p["vmName"] == "web-01"));
    let times: Vec<&str> = points
        .iter()
        .filter_map(|p| p["pointInTime"].as_str())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {times:?}"
    );
    assert!(points.iter().any(|p| p["id"] == VM_POINT));
    // One page after another gives the same points, none twice.
    let mut paged = Vec::new();
    for offset in ["0", "4", "8", "12"] {
        let query = [
            ("VirtualMachineId", WEB),
            ("Offset", offset),
            ("Limit", "4"),
        ];
        paged.extend(results(
            &api.get("/restorePoints/virtualMachines", &query).await.1,
        ));
    }
    assert_eq!(paged, points);

    let latest = api
        .point_ids("/restorePoints/virtualMachines", &[("OnlyLatest", "true")])
        .await;
    assert_eq!(latest.len(), mock.vms().len(), "one per VM");
    let archived = api
        .get(
            "/restorePoints/sql",
            &[("StorageAccessTier", "Archive"), ("Limit", "-1")],
        )
        .await
        .1;
    assert!(!results(&archived).is_empty());
    assert!(results(&archived)
        .iter()
        .all(|p| p["accessTier"] == "Archive"));
    let immutable = api
        .point_ids("/restorePoints/sql", &[("ImmutabilityEnabled", "true")])
        .await;
    assert!(
        immutable.contains(&LOCKED_SQL_POINT.to_string()),
        "{immutable:?}"
    );
    let old = api
        .get(
            "/restorePoints/fileShares",
            &[
                ("FileShareId", FINANCE),
                ("PointInTime", "2000-01-01T00:00:00Z"),
            ],
        )
        .await
        .1;
    assert_eq!(old["totalCount"], 0);
    let manual = api
        .get(
            "/restorePoints/cosmosDb/repository",
            &[
                ("CosmosDbAccountId", CATALOG),
                ("BackupDestination", "ManualBackup"),
            ],
        )
        .await
        .1;
    assert!(!results(&manual).is_empty());
    assert!(results(&manual)
        .iter()
        .all(|p| p["backupDestination"] == "ManualBackup" && p["accountId"] == CATALOG));
    no_violations(&mock);
}

#[tokio::test]
async fn a_removed_point_is_gone_and_an_immutable_one_is_locked() {
    let mock = mock().await;
    let api = Api::new(&mock).await;
    let path = format!("/restorePoints/virtualMachines/{VM_POINT}");
    assert_eq!(api.get(&path, &[]).await.0, 200);
    assert_eq!(
        api.get(&format!("/restorePoints/sql/{VM_POINT}"), &[])
            .await
            .0,
        404,
        "a point of another kind"
    );
    let started = api.delete(&path).await;
    assert_eq!(started.1["type"], "BackupDeletion");
    assert_eq!(api.get(&path, &[]).await.0, 404, "hidden while removed");
    assert_eq!(api.delete(&path).await.0, 404);
    let session = api.finish(&started).await;
    assert_eq!(session["status"], "Success");
    assert_eq!(session["retentionJobInfo"]["deletedRestorePointsCount"], 1);
    let listed = api
        .point_ids(
            "/restorePoints/virtualMachines",
            &[("VirtualMachineId", WEB)],
        )
        .await;
    assert!(!listed.contains(&VM_POINT.to_string()));
    let id = session["id"].as_str().expect("an id");
    let (status, deleted) = api
        .get(&format!("/jobSessions/{id}/deletedItems"), &[])
        .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["totalCount"], 1);
    assert_eq!(deleted["results"][0]["resource"]["id"], WEB);
    assert_eq!(deleted["results"][0]["resource"]["name"], "web-01");
    assert!(deleted["results"][0]["snapshotTime"].is_string());

    let locked = api
        .delete(&format!("/restorePoints/sql/{LOCKED_SQL_POINT}"))
        .await;
    assert_eq!(locked.0, 423, "{locked:?}");
    assert_eq!(locked.1["title"], "Locked");
    assert_eq!(locked.1["status"], 423);
    assert_eq!(
        locked.1["instance"],
        format!("/api/v8.1/restorePoints/sql/{LOCKED_SQL_POINT}")
    );
    assert!(locked.1["detail"]
        .as_str()
        .is_some_and(|d| d.contains("immutable until")));
    assert_eq!(
        api.get(&format!("/restorePoints/sql/{LOCKED_SQL_POINT}"), &[])
            .await
            .0,
        200
    );
    for (kind, session_type) in [
        ("sql", "SqlBackupDeletion"),
        ("fileShares", "FileShareSnapshotDeletion"),
        ("cosmosDb/repository", "CosmosDbBackupDeletion"),
    ] {
        let ids = api
            .point_ids(
                &format!("/restorePoints/{kind}"),
                &[("ImmutabilityEnabled", "false")],
            )
            .await;
        let started = api
            .delete(&format!("/restorePoints/{kind}/{}", ids[0]))
            .await;
        assert_eq!(started.1["type"], session_type, "{kind}");
        assert_eq!(api.finish(&started).await["status"], "Success");
        assert_eq!(
            api.get(&format!("/restorePoints/{kind}/{}", ids[0]), &[])
                .await
                .0,
            404
        );
    }
    assert_eq!(
        api.get(&format!("/jobSessions/{UNKNOWN}/deletedItems"), &[])
            .await
            .0,
        404
    );
    no_violations(&mock);
}

#[tokio::test]
async fn item_removals_take_their_scope_only_then_answer_204() {
    let mock = mock().await;
    let api = Api::new(&mock).await;
    let vm_points = |query: &'static [(&'static str, &'static str)]| {
        let api = &api;
        async move {
            let mut query = query.to_vec();
            query.push(("VirtualMachineId", WEB));
            api.point_ids("/restorePoints/virtualMachines", &query)
                .await
                .len()
        }
    };
    let before = vm_points(&[]).await;
    let manual = api
        .post(
            &format!("/protectedItem/virtualMachines/{WEB}/deleteManualSnapshots"),
            None,
        )
        .await;
    assert_eq!(manual.1["type"], "ManualSnapshotDeletion");
    assert_eq!(
        api.finish(&manual).await["retentionJobInfo"]["deletedRestorePointsCount"],
        1
    );
    assert_eq!(vm_points(&[]).await, before - 1);
    let again = api
        .post(
            &format!("/protectedItem/virtualMachines/{WEB}/deleteManualSnapshots"),
            None,
        )
        .await;
    assert_eq!(again, (204, Value::Null));
    let snapshots = api
        .post(
            "/protectedItem/virtualMachines/deleteSnapshots",
            Some(json!({"ids": [WEB]})),
        )
        .await;
    assert_eq!(snapshots.1["type"], "SnapshotDeletion");
    let session = api.finish(&snapshots).await;
    assert_eq!(session["retentionJobInfo"]["deletedRestorePointsCount"], 2);
    assert_eq!(vm_points(&[]).await, before - 3, "the backups stay");
    assert_eq!(
        api.post(
            &format!("/protectedItem/virtualMachines/{WEB}/deleteSnapshots"),
            None
        )
        .await
        .0,
        204
    );
    let id = session["id"].as_str().expect("an id");
    let deleted = api
        .get(
            &format!("/jobSessions/{id}/deletedItems"),
            &[("NameSearchPattern", "WEB")],
        )
        .await
        .1;
    assert_eq!(deleted["totalCount"], 2);
    let none = api
        .get(
            &format!("/jobSessions/{id}/deletedItems"),
            &[("NameSearchPattern", "db-")],
        )
        .await
        .1;
    assert_eq!(none["totalCount"], 0);

    let archive = api
        .post(
            &format!("/protectedItem/sql/{ORDERS}/deleteBackups?BackupTier=Archive"),
            None,
        )
        .await;
    assert_eq!(archive.1["type"], "SqlBackupDeletion");
    // The immutable archived point stays.
    assert_eq!(
        api.finish(&archive).await["retentionJobInfo"]["deletedRestorePointsCount"],
        2
    );
    let archived = api
        .point_ids(
            "/restorePoints/sql",
            &[("DatabaseId", ORDERS), ("StorageAccessTier", "Archive")],
        )
        .await;
    assert_eq!(archived, [LOCKED_SQL_POINT]);
    assert_eq!(
        api.post(
            &format!("/protectedItem/sql/{ORDERS}/deleteBackups?BackupTier=Archive"),
            None
        )
        .await
        .0,
        204
    );
    let manual = api
        .post(
            &format!("/protectedItem/sql/{ORDERS}/deleteManualBackups"),
            None,
        )
        .await;
    assert_eq!(
        api.finish(&manual).await["retentionJobInfo"]["deletedRestorePointsCount"],
        1
    );

    let continuous = api
        .post(
            &format!("/protectedItem/cosmosDb/{CATALOG}/deleteContinuousBackups"),
            None,
        )
        .await;
    assert_eq!(continuous.1["type"], "CosmosDbContinuousBackupDeletion");
    api.finish(&continuous).await;
    let account = api
        .get(&format!("/protectedItem/cosmosDb/{CATALOG}"), &[])
        .await
        .1;
    assert_eq!(account["restorePointTypes"], json!(["Backup"]));
    let backups = api
        .post(
            &format!("/protectedItem/cosmosDb/{CATALOG}/deleteBackups"),
            None,
        )
        .await;
    assert_eq!(backups.1["type"], "CosmosDbBackupDeletion");
    api.finish(&backups).await;
    assert!(api
        .point_ids(
            "/restorePoints/cosmosDb/repository",
            &[("CosmosDbAccountId", CATALOG)]
        )
        .await
        .is_empty());

    let shares = api
        .post(
            "/protectedItem/fileShares/deleteSnapshots",
            Some(json!({"ids": [FINANCE]})),
        )
        .await;
    assert_eq!(shares.1["type"], "FileShareSnapshotDeletion");
    api.finish(&shares).await;
    assert_eq!(
        api.post(
            "/protectedItem/fileShares/deleteManualSnapshots",
            Some(json!({"ids": [FINANCE]}))
        )
        .await
        .0,
        204
    );
    no_violations(&mock);
}

#[tokio::test]
async fn unknown_items_and_bad_batches_are_refused() {
    let mock = mock().await;
    let api = Api::new(&mock).await;
    for path in [
        format!("/protectedItem/sql/{UNKNOWN}"),
        format!("/protectedItem/cosmosDb/{UNKNOWN}"),
        format!("/protectedItem/fileShares/{UNKNOWN}"),
        format!("/restorePoints/virtualMachines/{UNKNOWN}"),
        "/restorePoints/fileShares/not-a-uuid".to_string(),
    ] {
        let (status, body) = api.get(&path, &[]).await;
        assert_eq!(
            (status, body["status"].as_i64()),
            (404, Some(404)),
            "{path}"
        );
    }
    assert_eq!(
        api.post(&format!("/protectedItem/sql/{UNKNOWN}/deleteBackups"), None)
            .await
            .0,
        404
    );
    assert_eq!(
        api.post(
            &format!("/protectedItem/virtualMachines/{UNKNOWN}/deleteSnapshots"),
            None
        )
        .await
        .0,
        404
    );
    let unknown = api
        .post(
            "/protectedItem/fileShares/deleteSnapshots",
            Some(json!({"ids": [FINANCE, UNKNOWN]})),
        )
        .await;
    assert_eq!(unknown.0, 404);
    assert_eq!(
        api.post(
            "/protectedItem/virtualMachines/deleteManualSnapshots",
            Some(json!({"ids": [WEB], "tier": "All"}))
        )
        .await
        .0,
        400
    );
    let many: Vec<String> = (0..1001).map(|i| format!("vm-{i}")).collect();
    assert_eq!(
        api.post(
            "/protectedItem/fileShares/deleteManualSnapshots",
            Some(json!({"ids": many}))
        )
        .await
        .0,
        400
    );
    assert_eq!(
        api.post(
            "/protectedItem/fileShares/deleteSnapshots",
            Some(json!({"ids": []}))
        )
        .await
        .0,
        204
    );
    let page = api
        .get("/protectedItem/sql", &[("SearchPattern", "ORD")])
        .await
        .1;
    assert_eq!(page["totalCount"], 1);
    assert_eq!(page["results"][0]["id"], ORDERS);
    no_violations(&mock);
}

#[tokio::test]
async fn tests_describe_the_items_and_their_points() {
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(1))
        .vm("web", "vm-1")
        .sql_database("db-1", "billing")
        .file_share("fs-1", "scans")
        .cosmos_db_account("ca-1", "carts")
        .restore_points(
            "vm-1",
            [
                RestorePointSpec::snapshot().manual().days_old(1),
                RestorePointSpec::backup()
                    .days_old(70)
                    .archived()
                    .immutable_for_days(10),
                RestorePointSpec::backup()
                    .days_old(100)
                    .cool()
                    .size_bytes(42),
            ],
        )
        .restore_points("db-1", [])
        .start()
        .await
        .expect("starts");
    let api = Api::new(&mock).await;
    let points = api
        .get("/restorePoints/virtualMachines", &[("Limit", "-1")])
        .await
        .1;
    let points = results(&points);
    assert_eq!(points.len(), 3);
    assert_eq!(points[0]["backupDestination"], "ManualSnapshot");
    assert_eq!(points[1]["accessTier"], "Archive");
    assert!(points[1]["immutableTill"].is_string());
    assert_eq!(points[2]["backupSizeBytes"], 42);
    let databases = api.get("/protectedItem/sql", &[]).await.1;
    assert_eq!(databases["totalCount"], 1);
    assert_eq!(databases["results"][0]["name"], "billing");
    assert_eq!(
        api.post("/protectedItem/sql/db-1/deleteBackups", None)
            .await
            .0,
        204
    );
    let backups = api
        .post("/protectedItem/virtualMachines/vm-1/deleteBackups", None)
        .await;
    assert_eq!(
        api.finish(&backups).await["retentionJobInfo"]["deletedRestorePointsCount"],
        1
    );
    // vm-1 keeps its snapshot and immutable backup; the share and account have the made-up
    // points (8 and 6), the database none.
    assert_eq!(mock.restore_point_count(), 2 + 8 + 6);
    let refused = MockAppliance::builder()
        .restore_points("no-such-item", [RestorePointSpec::backup()])
        .start()
        .await;
    assert!(refused.is_err());
    no_violations(&mock);
}
