//! API v8.1 through the mock, with plain HTTP requests: tokens (lower-case fields, MFA,
//! logout), protected VMs (search, paging, asynchronous rescans), deletion of one VM or a
//! batch, and job sessions with their filters, logs and stops.
//!
//! Where time must pass, tests run on paused tokio time and advance it.

use std::time::Duration;

use serde_json::{json, Value};
use vbazure_mock::{ApiVersion, FinalStatus, MockAppliance, Progress};

const WEB_1: &str = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";
const WEB_2: &str = "0d9f6b1e-3a5c-4e7d-9b2f-6c8e0a4d2f57";
const DB_1: &str = "8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20";
const UNKNOWN: &str = "11111111-2222-4333-8444-555555555555";

/// Requests to one mock with one access token.
struct Api {
    url: String,
    token: String,
}

/// An answer: status and JSON body (`Null` when there is none).
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Value,
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Answer { status, body }
}

impl Api {
    async fn new(mock: &MockAppliance) -> Self {
        let token = token(mock.url(), "username", "password").await["access_token"]
            .as_str()
            .expect("an access token")
            .to_string();
        Self {
            url: mock.url().to_string(),
            token,
        }
    }

    fn at(&self, path: &str) -> String {
        format!("{}/api/v8.1{path}", self.url)
    }

    async fn get(&self, path: &str, query: &[(&str, &str)]) -> Answer {
        let request = crate::support::http()
            .get(self.at(path))
            .query(query)
            .bearer_auth(&self.token);
        read(request.send().await.expect("answers")).await
    }

    async fn post(&self, path: &str, query: &[(&str, &str)], body: Option<Value>) -> Answer {
        let mut request = crate::support::http()
            .post(self.at(path))
            .query(query)
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        read(request.send().await.expect("answers")).await
    }

    async fn delete_one(&self, vm: &str, tier: Option<&str>) -> Answer {
        let query: Vec<(&str, &str)> = tier.map(|t| ("BackupTier", t)).into_iter().collect();
        self.post(
            &format!("/protectedItem/virtualMachines/{vm}/deleteBackups"),
            &query,
            None,
        )
        .await
    }

    async fn delete_batch(&self, body: Value) -> Answer {
        self.post(
            "/protectedItem/virtualMachines/deleteBackups",
            &[],
            Some(body),
        )
        .await
    }

    async fn session(&self, id: &str) -> Answer {
        self.get(&format!("/jobSessions/{id}"), &[]).await
    }

    async fn log(&self, id: &str, instance: Option<&str>) -> Answer {
        let query: Vec<(&str, &str)> = instance.map(|i| ("instanceId", i)).into_iter().collect();
        self.get(&format!("/jobSessions/{id}/log"), &query).await
    }

    async fn sessions(&self, query: &[(&str, &str)]) -> Answer {
        self.get("/jobSessions", query).await
    }
}

/// A password login with the fields spelled `user_field` and `password_field`.
async fn token(url: &str, user_field: &str, password_field: &str) -> Value {
    let answer = read(
        crate::support::http()
            .post(format!("{url}/api/oauth2/token"))
            .form(&[
                ("grant_type", "Password"),
                (user_field, vbazure_mock::DEFAULT_USERNAME),
                (password_field, vbazure_mock::DEFAULT_PASSWORD),
            ])
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    answer.body
}

/// A mock with three named VMs.
async fn three_vms() -> MockAppliance {
    three_vms_with(MockAppliance::builder()).await
}

async fn three_vms_with(builder: vbazure_mock::MockBuilder) -> MockAppliance {
    builder
        .vm("web-01", WEB_1)
        .vm("Web-02", WEB_2)
        .vm("db-01", DB_1)
        .start()
        .await
        .expect("starts")
}

fn ids(page: &Value) -> Vec<String> {
    page["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|item| item["id"].as_str().expect("an id").to_string())
        .collect()
}

fn messages(log: &Value) -> Vec<String> {
    log["log"]
        .as_array()
        .expect("items")
        .iter()
        .map(|item| item["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn no_violations(mock: &MockAppliance) {
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

/// Reads a session until it is no longer running; its last state.
async fn poll_to_end(api: &Api, id: &str) -> Value {
    for _ in 0..20 {
        let answer = api.session(id).await;
        assert_eq!(answer.status, 200, "{answer:?}");
        if !matches!(
            answer.body["status"].as_str(),
            Some("Running" | "Canceling")
        ) {
            return answer.body;
        }
    }
    panic!("session {id} did not end");
}

#[tokio::test]
async fn the_token_takes_lower_case_fields_and_answers_in_v8_1s_form() {
    let mock = MockAppliance::start().await.expect("starts");
    for (user, password) in [
        ("username", "password"),
        ("Username", "Password"),
        ("USERNAME", "pAsSwOrD"),
    ] {
        let answer = token(mock.url(), user, password).await;
        assert_eq!(answer["token_type"], "bearer");
        assert_eq!(answer["username"], "administrator");
        assert_eq!(answer["mfa_enabled"], false);
        assert_eq!(answer["userType"], "Internal");
        assert!(
            answer["userId"].as_str().is_some_and(|id| id.len() == 36),
            "{answer}"
        );
    }
    // A flag of the v8.1 form arrives as text and is read as the boolean it is.
    let answer = read(
        crate::support::http()
            .post(format!("{}/api/oauth2/token", mock.url()))
            .form(&[
                ("grant_type", "Password"),
                ("username", vbazure_mock::DEFAULT_USERNAME),
                ("password", vbazure_mock::DEFAULT_PASSWORD),
                ("short_lived_refresh_token", "true"),
            ])
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(
        (answer.status, &answer.body["shortLived"]),
        (200, &json!(true))
    );
    let answer = read(
        crate::support::http()
            .post(format!("{}/api/oauth2/token", mock.url()))
            .form(&[("grant_type", "Saml")])
            .send()
            .await
            .expect("answers"),
    )
    .await;
    // A grant both documents list but this appliance does not accept: a refused login.
    assert_eq!(answer.status, 401, "{answer:?}");
    assert!(
        answer.body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("Saml grant is not available")),
        "{answer:?}"
    );
    no_violations(&mock);
}

#[tokio::test]
async fn mfa_takes_a_token_and_the_right_code() {
    let mock = MockAppliance::builder()
        .mfa_code("424242")
        .start()
        .await
        .expect("starts");
    let first = token(mock.url(), "username", "password").await;
    assert_eq!(first["mfa_enabled"], true);
    assert!(first["access_token"].is_null(), "{first}");
    let mfa_token = first["mfa_token"]
        .as_str()
        .expect("an MFA token")
        .to_string();
    let second = |code: &'static str| {
        let mfa_token = mfa_token.clone();
        let url = format!("{}/api/oauth2/token", mock.url());
        async move {
            read(
                crate::support::http()
                    .post(url)
                    .form(&[
                        ("grant_type", "Mfa"),
                        ("mfa_token", &mfa_token),
                        ("mfa_code", code),
                    ])
                    .send()
                    .await
                    .expect("answers"),
            )
            .await
        }
    };
    let wrong = second("000000").await;
    assert_eq!(wrong.status, 401, "{wrong:?}");
    let right = second("424242").await;
    assert_eq!(right.status, 200, "{right:?}");
    let access = right.body["access_token"]
        .as_str()
        .expect("an access token");
    assert_eq!(right.body["mfa_enabled"], true);
    let about = crate::support::http()
        .get(format!("{}/api/v8.1/system/about", mock.url()))
        .bearer_auth(access)
        .send()
        .await
        .expect("answers");
    assert_eq!(about.status(), 200);
    assert_eq!(
        second("424242").await.status,
        401,
        "an MFA token is used once"
    );
    no_violations(&mock);
}

#[tokio::test]
async fn mfa_needs_v8_1_served() {
    let error = MockAppliance::builder()
        .mfa_code("1")
        .api_versions([ApiVersion::V1])
        .start()
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("needs API v8.1"), "{error}");
}

#[tokio::test]
async fn logout_revokes_the_token_and_its_refresh_token() {
    let mock = MockAppliance::start().await.expect("starts");
    let login = token(mock.url(), "username", "password").await;
    let access = login["access_token"].as_str().expect("a token");
    let about = || {
        crate::support::http()
            .get(format!("{}/api/v8.1/system/about", mock.url()))
            .bearer_auth(access)
            .send()
    };
    let answer = read(about().await.expect("answers")).await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.body["serverVersion"], "8.0.1.202");
    let logout = crate::support::http()
        .delete(format!("{}/api/oauth2/token", mock.url()))
        .bearer_auth(access)
        .send()
        .await
        .expect("answers");
    assert_eq!(logout.status(), 204);
    assert_eq!(about().await.expect("answers").status(), 401, "revoked");
    let refresh = crate::support::http()
        .post(format!("{}/api/oauth2/token", mock.url()))
        .form(&[
            ("grant_type", "Refresh_token"),
            (
                "refresh_token",
                login["refresh_token"].as_str().expect("a refresh token"),
            ),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(refresh.status(), 401, "the refresh token went with it");
    no_violations(&mock);
}

#[tokio::test]
async fn protected_vms_are_listed_searched_paged_and_read() {
    let mock = three_vms().await;
    let api = Api::new(&mock).await;
    let all = api.get("/protectedItem/virtualMachines", &[]).await;
    assert_eq!(all.status, 200);
    assert_eq!(ids(&all.body), [WEB_1, WEB_2, DB_1]);
    assert_eq!(
        (all.body["limit"].clone(), all.body["totalCount"].clone()),
        (json!(100), json!(3))
    );

    let search = api
        .get(
            "/protectedItem/virtualMachines",
            &[("SearchPattern", "WEB")],
        )
        .await;
    assert_eq!(
        ids(&search.body),
        [WEB_1, WEB_2],
        "name contains, in any case"
    );
    assert_eq!(search.body["totalCount"], 2);

    let page = api
        .get(
            "/protectedItem/virtualMachines",
            &[("Offset", "1"), ("Limit", "1")],
        )
        .await;
    assert_eq!(ids(&page.body), [WEB_2]);
    assert_eq!(page.body["totalCount"], 3);
    let next = page.body["_links"]["next"]["href"]
        .as_str()
        .expect("a next page");
    assert!(
        next.ends_with("/api/v8.1/protectedItem/virtualMachines?Offset=2&Limit=1"),
        "{next}"
    );
    // -1 is every VM; parameter names bind in any casing.
    let every = api
        .get(
            "/protectedItem/virtualMachines",
            &[("offset", "1"), ("limit", "-1")],
        )
        .await;
    assert_eq!(ids(&every.body), [WEB_2, DB_1]);
    assert!(every.body["_links"]["next"].is_null());
    let refused = api
        .get("/protectedItem/virtualMachines", &[("Limit", "-2")])
        .await;
    assert_eq!(refused.status, 400);
    assert!(refused.body["errors"]["Limit"].is_array(), "{refused:?}");

    let one = api
        .get(&format!("/protectedItem/virtualMachines/{DB_1}"), &[])
        .await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body["name"], "db-01");
    assert!(one.body["lastBackup"].is_string());
    let unknown = api
        .get(&format!("/protectedItem/virtualMachines/{UNKNOWN}"), &[])
        .await;
    assert_eq!(unknown.status, 404);
    no_violations(&mock);
}

#[tokio::test]
async fn without_vms_given_the_mock_makes_up_the_same_few() {
    let one = MockAppliance::start().await.expect("starts");
    let two = MockAppliance::builder()
        .generate_vms(250)
        .start()
        .await
        .expect("starts");
    let names: Vec<String> = one.vms().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["web-01", "db-01", "app-03", "app-04"]);
    assert_eq!(one.vms()[0].1, WEB_1, "the documented example's id");
    assert_eq!(two.vms()[..4], one.vms()[..], "the same on every run");
    let api = Api::new(&two).await;
    let page = api
        .get(
            "/protectedItem/virtualMachines",
            &[("SearchPattern", "app-2"), ("Limit", "-1")],
        )
        .await;
    // app-20 to app-29 and app-200 to app-250.
    assert_eq!(
        page.body["totalCount"],
        10 + 51,
        "{:?}",
        page.body["totalCount"]
    );
    no_violations(&two);
}

#[tokio::test]
async fn a_sync_list_is_an_operation_that_runs_then_gives_the_page() {
    let mock = three_vms_with(MockAppliance::builder().operation_polls(3)).await;
    let api = Api::new(&mock).await;
    let query = [("SearchPattern", "web"), ("Sync", "true")];
    let started = api.get("/protectedItem/virtualMachines", &query).await;
    assert_eq!(started.status, 202, "{started:?}");
    assert_eq!(started.body["status"], "Running");
    assert!(started.body["result"].is_null());
    let id = started.body["id"].as_str().expect("an operation id");
    let statuses = {
        let mut seen = Vec::new();
        for _ in 0..3 {
            let operation = api.get(&format!("/operations/{id}"), &[]).await;
            assert_eq!(operation.status, 200);
            seen.push(
                operation.body["status"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            );
            if operation.body["status"] == "Success" {
                assert_eq!(
                    ids(&operation.body["result"]),
                    [WEB_1, WEB_2],
                    "the page asked for"
                );
                assert_eq!(operation.body["result"]["totalCount"], 2);
            }
        }
        seen
    };
    assert_eq!(statuses, ["Running", "Running", "Success"]);
    let one = api
        .get(
            &format!("/protectedItem/virtualMachines/{DB_1}"),
            &[("sync", "true")],
        )
        .await;
    assert_eq!(one.status, 202);
    let unknown = api.get(&format!("/operations/{UNKNOWN}"), &[]).await;
    assert_eq!(unknown.status, 404);
    no_violations(&mock);
}

#[tokio::test]
async fn delete_one_vm_then_poll_to_success_and_it_has_nothing_left() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(2))).await;
    let api = Api::new(&mock).await;
    let started = api.delete_one(WEB_1, None).await;
    assert_eq!(started.status, 202, "{started:?}");
    let session = &started.body;
    assert_eq!(
        (session["type"].as_str(), session["status"].as_str()),
        (Some("BackupDeletion"), Some("Running"))
    );
    assert!(session["executionStopTime"].is_null());
    let id = session["id"].as_str().expect("an id").to_string();
    assert_eq!(id.len(), 36, "a UUID: {id}");
    assert_eq!(
        session["_links"]["self"]["href"],
        format!("{}/api/v8.1/jobSessions/{id}", mock.url())
    );
    assert_eq!(api.session(&id).await.body["status"], "Running");
    let done = api.session(&id).await.body;
    assert_eq!(done["status"], "Success");
    assert!(done["executionStopTime"].is_string());
    // Its backups in repositories (policy and manual, every tier; the document's example
    // point among them); its snapshots stay.
    assert_eq!(done["retentionJobInfo"]["deletedRestorePointsCount"], 8);
    let log = api.log(&id, None).await;
    assert_eq!(log.body["jobSessionId"], id.as_str());
    assert!(
        messages(&log.body).contains(&"Backups of web-01 have been removed".to_string()),
        "{log:?}"
    );

    let again = api.delete_one(WEB_1, None).await;
    assert_eq!(
        (again.status, &again.body),
        (204, &Value::Null),
        "nothing left to delete"
    );
    let vm = api
        .get(&format!("/protectedItem/virtualMachines/{WEB_1}"), &[])
        .await;
    assert!(vm.body["lastBackup"].is_null(), "{vm:?}");
    assert_eq!(api.delete_one(UNKNOWN, None).await.status, 404);
    // Another version's session is not found here, nor one of this version there.
    assert_eq!(api.session("1").await.status, 404);
    no_violations(&mock);
}

#[tokio::test]
async fn a_backup_tier_is_logged_and_empties_that_tier_only() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(1))).await;
    let api = Api::new(&mock).await;
    let archive = api.delete_one(DB_1, Some("Archive")).await;
    assert_eq!(archive.status, 202);
    let id = archive.body["id"].as_str().expect("an id");
    assert_eq!(
        poll_to_end(&api, id).await["retentionJobInfo"]["deletedRestorePointsCount"],
        2
    );
    assert!(
        messages(&api.log(id, None).await.body)[0].contains("backup tier Archive"),
        "the tier asked for is in the log"
    );
    assert_eq!(api.delete_one(DB_1, Some("Archive")).await.status, 204);
    let standard = api.delete_one(DB_1, Some("NonArchive")).await;
    assert_eq!(
        standard.status, 202,
        "the standard tier still holds backups"
    );
    let id = standard.body["id"].as_str().expect("an id");
    poll_to_end(&api, id).await;
    assert_eq!(api.delete_one(DB_1, None).await.status, 204);
    assert_eq!(api.delete_one(DB_1, Some("Cold")).await.status, 400);
    no_violations(&mock);
}

#[tokio::test]
async fn vms_without_backups_answer_204() {
    let mock = three_vms_with(MockAppliance::builder().no_backups(WEB_2)).await;
    let api = Api::new(&mock).await;
    assert_eq!(api.delete_one(WEB_2, None).await.status, 204);
    assert_eq!(api.delete_batch(json!({"ids": [WEB_2]})).await.status, 204);
    assert_eq!(api.delete_one(WEB_1, None).await.status, 202);
    no_violations(&mock);
}

#[tokio::test(start_paused = true)]
async fn a_session_that_ended_by_time_has_emptied_its_vm_unread() {
    let mock =
        three_vms_with(MockAppliance::builder().progress(Progress::Time(Duration::from_secs(600))))
            .await;
    let api = Api::new(&mock).await;
    assert_eq!(api.delete_one(WEB_1, None).await.status, 202);
    tokio::time::advance(Duration::from_secs(599)).await;
    assert_eq!(
        api.delete_one(WEB_1, None).await.status,
        202,
        "still running: more to do"
    );
    tokio::time::advance(Duration::from_secs(600)).await;
    assert_eq!(api.delete_one(WEB_1, None).await.status, 204);
    let finished = api.sessions(&[("Status", "Success")]).await;
    assert_eq!(finished.body["totalCount"], 2, "{finished:?}");
    no_violations(&mock);
}

#[tokio::test]
async fn a_batch_is_one_session_whose_log_names_each_vm() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(1))).await;
    let api = Api::new(&mock).await;
    let started = api
        .delete_batch(json!({"ids": [WEB_1, WEB_2, DB_1, WEB_1], "backupTier": "All"}))
        .await;
    assert_eq!(started.status, 202, "{started:?}");
    let id = started.body["id"].as_str().expect("an id").to_string();

    let log = api.log(&id, None).await.body;
    let about: Vec<&str> = log["log"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|item| item["resourceHashId"].as_str())
        .collect();
    assert_eq!(about, [WEB_1, WEB_2, DB_1], "one record per VM, once each");
    let one = api.log(&id, Some(WEB_2)).await.body;
    assert_eq!(
        messages(&one),
        ["Virtual machine Web-02 is queued for backup deletion"]
    );
    assert_eq!(api.session(&id).await.body["status"], "Success");
    assert_eq!(
        api.sessions(&[]).await.body["totalCount"],
        1,
        "one session for all"
    );
    let one = api.log(&id, Some(WEB_2)).await.body;
    assert_eq!(
        messages(&one),
        [
            "Virtual machine Web-02 is queued for backup deletion",
            "Backups of Web-02 have been removed"
        ]
    );
    let instance = api
        .get(&format!("/jobSessions/{id}"), &[("instanceId", DB_1)])
        .await;
    assert_eq!(instance.status, 200);
    let other = api
        .get(&format!("/jobSessions/{id}"), &[("instanceId", UNKNOWN)])
        .await;
    assert_eq!(other.status, 404, "the session did not process it");
    assert_eq!(
        api.delete_batch(json!({"IDS": [WEB_1, WEB_2]}))
            .await
            .status,
        204,
        "names bind in any casing; nothing left"
    );
    no_violations(&mock);
}

#[tokio::test]
async fn a_batch_is_checked_before_anything_starts() {
    let mock = three_vms().await;
    let api = Api::new(&mock).await;
    let too_many: Vec<String> = (0..1001).map(|i| format!("vm-{i}")).collect();
    let answer = api.delete_batch(json!({"ids": too_many})).await;
    assert_eq!(answer.status, 400, "{answer:?}");
    let message = answer.body["errors"]["ids"][0].as_str().unwrap_or_default();
    assert!(
        message.contains("1001") && message.contains("1000"),
        "{answer:?}"
    );

    let unknown = api.delete_batch(json!({"ids": [WEB_1, UNKNOWN]})).await;
    assert_eq!(unknown.status, 404, "{unknown:?}");
    assert!(unknown.body["detail"]
        .as_str()
        .unwrap_or_default()
        .contains(UNKNOWN));
    for body in [
        json!({}),
        json!({"ids": [WEB_1], "backupTier": "Cold"}),
        json!({"ids": [WEB_1], "tier": "Archive"}),
    ] {
        assert_eq!(api.delete_batch(body.clone()).await.status, 400, "{body}");
    }
    // An empty list names nothing to remove: 204, as the vendor's document allows it.
    let empty = api.delete_batch(json!({"ids": []})).await;
    assert_eq!(empty.status, 204, "{empty:?}");
    assert_eq!(
        api.sessions(&[]).await.body["totalCount"],
        0,
        "nothing started"
    );
    no_violations(&mock);
}

#[tokio::test]
async fn the_session_list_applies_every_filter() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(1))).await;
    let api = Api::new(&mock).await;
    let start = |answer: Answer| answer.body["id"].as_str().expect("an id").to_string();
    let first = start(api.delete_one(WEB_1, Some("Archive")).await);
    let batch = start(api.delete_batch(json!({"ids": [WEB_2, DB_1]})).await);
    let third = start(api.delete_one(WEB_1, Some("NonArchive")).await);
    assert_eq!(api.session(&first).await.body["status"], "Success");
    // From here on a list read counts as a poll of each listed session: the running ones
    // stay running, and the stopped one ends Canceled at the first list that shows it.
    mock.configure(|c| c.progress = Progress::Polls(u32::MAX));
    assert_eq!(
        api.post(&format!("/jobSessions/{third}/stop"), &[], None)
            .await
            .status,
        204
    );

    let all = api.sessions(&[]).await.body;
    assert_eq!(
        ids(&all),
        [third.clone(), batch.clone(), first.clone()],
        "newest first"
    );
    assert_eq!(all["totalCount"], 3);
    let count = |query: &'static [(&'static str, &'static str)]| {
        let api = &api;
        async move { ids(&api.sessions(query).await.body) }
    };
    assert_eq!(count(&[("Status", "Success")]).await, [first.as_str()]);
    assert_eq!(
        count(&[("Status", "Running"), ("Status", "Canceled")]).await,
        [third.clone(), batch.clone()],
        "repeated keys"
    );
    assert_eq!(count(&[("Types", "BackupDeletion")]).await.len(), 3);
    assert!(
        count(&[("Types", "PolicyBackup"), ("Types", "HealthCheck")])
            .await
            .is_empty()
    );
    assert!(count(&[("FromUtc", "2999-01-01T00:00:00Z")])
        .await
        .is_empty());
    assert!(count(&[("ToUtc", "2000-01-01T00:00:00Z")]).await.is_empty());
    assert_eq!(
        count(&[
            ("FromUtc", "2000-01-01T00:00:00Z"),
            ("ToUtc", "2999-01-01T00:00:00Z")
        ])
        .await
        .len(),
        3
    );
    let processed = ids(&api.sessions(&[("ResourceId", WEB_1)]).await.body);
    assert_eq!(processed, [third.clone(), first.clone()]);
    assert!(
        count(&[("PolicyId", "3a5c7e9b-1d2f-4b60-8a4c-5e7a9c1b3d26")])
            .await
            .is_empty()
    );
    assert_eq!(
        count(&[("Filter", "web-02")]).await,
        [batch.as_str()],
        "a VM's name"
    );
    assert_eq!(
        count(&[("Filter", "backup del")]).await.len(),
        3,
        "the localized type"
    );
    assert!(count(&[("Filter", "restore")]).await.is_empty());

    let page = api
        .sessions(&[
            ("Offset", "1"),
            ("Limit", "1"),
            ("Status", "Running"),
            ("Status", "Canceled"),
        ])
        .await
        .body;
    assert_eq!(ids(&page), [batch.as_str()]);
    assert_eq!(page["totalCount"], 2, "the filtered count");
    let page = api.sessions(&[("Offset", "1"), ("Limit", "1")]).await.body;
    assert_eq!(
        (ids(&page), page["totalCount"].clone()),
        (vec![batch.clone()], json!(3))
    );
    assert!(page["_links"]["next"]["href"]
        .as_str()
        .is_some_and(|h| h.contains("Offset=2&Limit=1")));

    for refused in [
        &[("Types", "VmSnapshotRetention")][..],
        &[("Status", "Done")],
        &[("PolicyId", "not-a-uuid")],
        &[("FromUtc", "yesterday")],
    ] {
        let answer = api.sessions(refused).await;
        assert_eq!(answer.status, 400, "{refused:?}: {answer:?}");
        assert!(answer.body["errors"][refused[0].0].is_array(), "{answer:?}");
    }
    no_violations(&mock);
}

#[tokio::test]
async fn a_list_read_counts_as_a_poll_of_each_session_it_shows() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(2))).await;
    let api = Api::new(&mock).await;
    let started = api.delete_one(WEB_1, None).await;
    let id = started.body["id"].as_str().expect("an id").to_string();
    let status = |page: &Value| page["results"][0]["status"].clone();
    // The page shows the session as it was when read; the read counts once it is written.
    assert_eq!(status(&api.sessions(&[]).await.body), "Running");
    assert_eq!(status(&api.sessions(&[]).await.body), "Running");
    // Two reads were two polls: a follower that only lists sees the session end.
    assert_eq!(status(&api.sessions(&[]).await.body), "Success");
    // A page that does not show it does not count.
    let other = api.delete_one(WEB_2, None).await.body["id"]
        .as_str()
        .expect("an id")
        .to_string();
    for _ in 0..3 {
        api.sessions(&[("ResourceId", WEB_1)]).await;
    }
    assert_eq!(api.session(&other).await.body["status"], "Running");
    assert_eq!(api.session(&id).await.body["status"], "Success");
    no_violations(&mock);
}

#[tokio::test]
async fn stop_answers_204_and_the_session_ends_canceled() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(100))).await;
    let api = Api::new(&mock).await;
    let started = api.delete_one(WEB_1, None).await;
    let id = started.body["id"].as_str().expect("an id");
    let stop = api
        .post(&format!("/jobSessions/{id}/stop"), &[], None)
        .await;
    assert_eq!((stop.status, &stop.body), (204, &Value::Null));
    let ended = poll_to_end(&api, id).await;
    assert_eq!(ended["status"], "Canceled");
    assert!(ended["executionStopTime"].is_string());
    let log = messages(&api.log(id, None).await.body);
    assert!(
        log.contains(&"Stop requested by a user".to_string()),
        "{log:?}"
    );
    // Stopping it again changes nothing and is answered as the vendor's document lists.
    let again = api
        .post(&format!("/jobSessions/{id}/stop"), &[], None)
        .await;
    assert_eq!((again.status, &again.body), (204, &Value::Null));
    assert_eq!(poll_to_end(&api, id).await["status"], "Canceled");
    assert_eq!(
        api.post(&format!("/jobSessions/{UNKNOWN}/stop"), &[], None)
            .await
            .status,
        404
    );
    assert_eq!(
        api.delete_one(WEB_1, None).await.status,
        202,
        "a canceled deletion removed nothing"
    );
    no_violations(&mock);
}

#[tokio::test]
async fn the_final_status_is_the_scenarios_and_an_error_removes_nothing() {
    let mock = three_vms_with(
        MockAppliance::builder()
            .progress(Progress::Polls(1))
            .final_status(FinalStatus::Error),
    )
    .await;
    let api = Api::new(&mock).await;
    let id = api.delete_one(WEB_1, None).await.body["id"]
        .as_str()
        .expect("an id")
        .to_string();
    assert_eq!(poll_to_end(&api, &id).await["status"], "Error");
    assert!(messages(&api.log(&id, None).await.body)
        .contains(&"Failed to remove the backups of web-01".to_string()));
    assert_eq!(api.delete_one(WEB_1, None).await.status, 202);
    no_violations(&mock);
}

#[tokio::test]
async fn the_vbazure_client_detects_v8_1_and_runs_the_flow() {
    let mock = three_vms_with(MockAppliance::builder().progress(Progress::Polls(2))).await;
    let config = mock.config();
    let appliance = vbazure::Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .build()
        .expect("builds");
    assert_eq!(
        appliance.api_version().await.expect("detects"),
        vbazure::ApiVersion::V8_1
    );
    let session = crate::support::delete(&appliance, DB_1).await;
    let options = vbazure::WaitOptions::default()
        .with_timeout(Duration::from_secs(10))
        .with_intervals(Duration::from_millis(5), Duration::from_millis(20));
    let done = appliance
        .wait_session(session, &options, |_| {})
        .await
        .expect("finishes");
    assert_eq!(done.status, vbazure::SessionStatus::Success);
    let again = appliance
        .delete_backups(DB_1)
        .send()
        .await
        .expect("answers");
    assert!(
        matches!(again, vbazure::DeleteOutcome::NothingToDelete),
        "{again:?}"
    );
    appliance.logout().await.expect("logs out");
    no_violations(&mock);
}
