//! The real `vbazure` binary against a scripted v8.1 appliance (wiremock): what it sends for
//! the v8.1 flags (tiers, batches, names, filters, `instanceId`), the MFA step, the logout at
//! the end, `-v` without secrets, and a restore point refused (423) that the listing showed
//! unlocked. Each scripted answer says how often it must be asked for,
//! so a request sent too often, or one that should not have been sent at all, fails the test.

use serde_json::{json, Value};
use wiremock::matchers::{body_json, body_string_contains, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{confirmed, json_answer, vbazure_with, Run};

const PASSWORD: &str = "pw-SECRET-5f2a";
const TOKEN: &str = "tok-SECRET-9c1e";
const REFRESH: &str = "refresh-SECRET-77d0";
const SESSION: &str = "6a0d4c1e-2b3f-4e5a-8c7d-9e0f1a2b3c4d";

/// Runs `vbazure ARGS...` against `url`, logging in as `operator` with [`PASSWORD`], with
/// `env` added to an otherwise empty environment.
async fn vbazure(url: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec![
        ("VBAZURE_URL", url),
        ("VBAZURE_USERNAME", "operator"),
        ("VBAZURE_PASSWORD", PASSWORD),
    ];
    all.extend_from_slice(env);
    vbazure_with(&all, confirmed(args), None).await
}

fn session(id: &str, status: &str) -> Value {
    let mut body = json!({
        "id": id,
        "type": "BackupDeletion",
        "localizedType": "Backup Deletion",
        "executionStartTime": "2026-05-01T10:00:00Z",
        "executionDuration": "00:00:01",
        "status": status,
    });
    if status != "Running" {
        body["executionStopTime"] = json!("2026-05-01T10:00:01Z");
    }
    body
}

fn vm(id: &str, name: &str) -> Value {
    json!({
        "id": id,
        "name": name,
        "regionName": "westeurope",
        "lastBackup": "2026-04-30T22:00:00Z",
        "subscription": {"id": "0b6c7d8e-9f01-4a2b-8c3d-4e5f60718293"},
    })
}

fn page(items: Vec<Value>) -> Value {
    json!({"offset": 0, "limit": 1000, "totalCount": items.len(), "results": items})
}

/// A v8.1 appliance that logs in `operator`, logs out, and answers `GET /system/about`
/// anonymously with 401 (so that detection finds v8.1).
async fn appliance() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(body_string_contains("grant_type=Password"))
        .respond_with(json_answer(
            200,
            &json!({
                "access_token": TOKEN,
                "token_type": "bearer",
                "refresh_token": REFRESH,
                "expires_in": 3600,
            }),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/oauth2/token"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    // Refused without a token; with one, the read that confirms the version.
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(json_answer(200, &json!({"serverVersion": "8.0.1.202"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .respond_with(json_answer(
            401,
            &json!({"type": "about:blank", "title": "Unauthorized", "status": 401}),
        ))
        .with_priority(10)
        .mount(&server)
        .await;
    server
}

/// The session ends at once with `Success`.
async fn sessions_end(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION}")))
        .respond_with(json_answer(200, &session(SESSION, "Success")))
        .mount(server)
        .await;
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn logged_out(requests: &[Request]) -> bool {
    requests
        .iter()
        .any(|r| r.method.as_str() == "DELETE" && r.url.path() == "/api/oauth2/token")
}

fn deletions(requests: &[Request]) -> usize {
    requests
        .iter()
        .filter(|r| r.method.as_str() == "POST" && r.url.path().ends_with("/deleteBackups"))
        .count()
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_shows_the_version_and_each_request_and_never_a_secret() {
    let server = appliance().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-1/deleteBackups",
        ))
        .respond_with(json_answer(202, &session(SESSION, "Running")))
        .expect(1)
        .mount(&server)
        .await;
    sessions_end(&server).await;
    let run = vbazure(
        &server.uri(),
        &[
            "-v",
            "delete-backups",
            "vm-1",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The operations as the library's events name them (progenitor's names).
    for expected in [
        "the appliance serves API v8.1: an anonymous GET /api/v8.1/system/about answered 401, and 200 with a token",
        "speaking API v8.1",
        "operation=\"createToken\" status=200",
        "obtained an access token",
        "operation=\"deleteVirtualMachineBackups\" status=202",
        "operation=\"getJobSession\" status=200",
        "elapsed_ms=",
        "operation=\"revokeToken\" status=204",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    for secret in [PASSWORD, TOKEN, REFRESH] {
        assert!(!run.stderr.contains(secret), "{secret} in: {}", run.stderr);
        assert!(!run.stdout.contains(secret), "{secret} in: {}", run.stdout);
    }
    assert!(
        logged_out(&requests(&server).await),
        "a password run logs out"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_logout_that_fails_is_a_warning_and_a_token_run_does_not_log_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(json_answer(
            200,
            &json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/oauth2/token"))
        .respond_with(json_answer(
            500,
            &json!({"type": "about:blank", "title": "Internal", "status": 500}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION}")))
        .respond_with(json_answer(200, &session(SESSION, "Success")))
        .expect(2)
        .mount(&server)
        .await;
    let run = vbazure(
        &server.uri(),
        &["--api-version", "8.1", "sessions", "show", SESSION],
        &[],
    )
    .await;
    assert_eq!(
        run.code, 0,
        "a failed logout changes no exit code: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("vbazure: warning: logout: "),
        "{}",
        run.stderr
    );
    // With a token given, the run leaves it alone: no second logout (expect(1) above).
    let run = vbazure(
        &server.uri(),
        &["--api-version", "8.1", "sessions", "show", SESSION],
        &[("VBAZURE_TOKEN", TOKEN)],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("logout"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_with_mfa_gets_its_code_from_the_environment_or_a_clear_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(body_string_contains("grant_type=Password"))
        .respond_with(json_answer(
            200,
            &json!({"mfa_enabled": true, "mfa_token": "mfa-SECRET-step", "token_type": "bearer"}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(body_string_contains("grant_type=Mfa"))
        .and(body_string_contains("mfa_code=482913"))
        .and(body_string_contains("mfa_token=mfa-SECRET-step"))
        .respond_with(json_answer(
            200,
            &json!({"access_token": TOKEN, "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/api/oauth2/token"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION}")))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(json_answer(200, &session(SESSION, "Success")))
        .expect(1)
        .mount(&server)
        .await;
    let args = ["--api-version", "8.1", "sessions", "show", SESSION];
    let run = vbazure(&server.uri(), &args, &[("VBAZURE_MFA_CODE", "482913")]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("Success"), "{}", run.stdout);

    // No terminal here and no VBAZURE_MFA_CODE: a usage error that says what to set.
    let run = vbazure(&server.uri(), &args, &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("set VBAZURE_MFA_CODE"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("mfa-SECRET"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tier_is_sent_as_backup_tier_and_a_204_is_counted_apart() {
    let server = appliance().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-1/deleteBackups",
        ))
        .and(query_param("BackupTier", "Archive"))
        .respond_with(json_answer(202, &session(SESSION, "Running")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-2/deleteBackups",
        ))
        .and(query_param("BackupTier", "Archive"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let run = vbazure(
        &server.uri(),
        &[
            "delete-backups",
            "vm-1",
            "vm-2",
            "--backup-tier",
            "archive",
            "--concurrency",
            "1",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "vm-1  session {SESSION}  Running\nvm-2  no backups to delete\nsummary: 2 VM(s): 1 \
             deletion session(s) started, 0 failed, 1 with no backups to delete\n"
        )
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn batches_hold_at_most_1000_ids_each_followed_as_one_session() {
    let server = appliance().await;
    let ids: Vec<String> = (0..2500).map(|i| format!("vm-{i:04}")).collect();
    for (n, chunk) in ids.chunks(1000).enumerate() {
        Mock::given(method("POST"))
            .and(path(
                "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
            ))
            .and(body_json(json!({"ids": chunk, "backupTier": "NonArchive"})))
            .respond_with(if n == 1 {
                // The second batch had nothing to delete.
                ResponseTemplate::new(204)
            } else {
                json_answer(202, &session(SESSION, "Running"))
            })
            .expect(1)
            .mount(&server)
            .await;
    }
    sessions_end(&server).await;
    let file = std::env::temp_dir().join(format!("vbazure-batch-{}.txt", std::process::id()));
    std::fs::write(&file, ids.join("\n")).expect("writes");
    let run = vbazure(
        &server.uri(),
        &[
            "delete-backups",
            "--from-file",
            &file.to_string_lossy(),
            "--batch",
            "--backup-tier",
            "non-archive",
            "--wait",
            "--poll-interval",
            "10ms",
            "--concurrency",
            "1",
        ],
        &[],
    )
    .await;
    std::fs::remove_file(&file).ok();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{}", run.stdout);
    assert!(
        lines.contains(&"batch 2/3 (1000 VMs)  no backups to delete"),
        "{}",
        run.stdout
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&format!("batch 3/3 (500 VMs)  session {SESSION}  Success"))),
        "{}",
        run.stdout
    );
    assert_eq!(
        lines[3],
        "summary: 2500 VM(s) in 3 batch request(s), 2 session(s): 1500 succeeded, 0 ended with \
         warnings, 0 failed, 1000 with no backups to delete"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn names_are_resolved_before_anything_is_deleted() {
    let server = appliance().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_param("SearchPattern", "web-01"))
        .respond_with(json_answer(
            200,
            &page(vec![
                vm("id-web-01", "web-01"),
                vm("id-web-01-old", "web-01-old"),
            ]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_param("SearchPattern", "db"))
        .respond_with(json_answer(
            200,
            &page(vec![vm("id-db-a", "db"), vm("id-db-b", "db")]),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_param("SearchPattern", "gone"))
        .respond_with(json_answer(200, &page(vec![])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/id-web-01/deleteBackups",
        ))
        .respond_with(json_answer(202, &session(SESSION, "Running")))
        .expect(1)
        .mount(&server)
        .await;

    // An ambiguous and an unknown name: the run stops before the first deletion, even of the
    // name that resolves (given first), and names the candidates.
    let run = vbazure(
        &server.uri(),
        &["delete-backups", "--by-name", "web-01", "db", "gone"],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(deletions(&requests(&server).await), 0, "nothing deleted");
    assert!(
        run.stderr.contains("db (id-db-a), db (id-db-b)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("no protected VM is named \"gone\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "2 VM name(s) did not resolve to exactly one protected VM; nothing was deleted"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);

    // The exact name, not the longer one that contains it.
    let run = vbazure(
        &server.uri(),
        &["delete-backups", "--by-name", "web-01"],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with(&format!("web-01  session {SESSION}")),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn many_names_are_matched_against_one_listing() {
    let server = appliance().await;
    let listed: Vec<Value> = (0..6)
        .map(|i| vm(&format!("id-{i}"), &format!("app-{i}")))
        .chain([vm("id-x", "App-1-copy")])
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_param("Limit", "1000"))
        .respond_with(json_answer(200, &page(listed)))
        .expect(2)
        .mount(&server)
        .await;
    for i in 0..5 {
        Mock::given(method("POST"))
            .and(path(format!(
                "/api/v8.1/protectedItem/virtualMachines/id-{i}/deleteBackups"
            )))
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;
    }
    let names = ["app-0", "app-1", "app-2", "app-3", "app-4"];
    let mut args = vec!["delete-backups", "--by-name"];
    args.extend(names);
    let run = vbazure(&server.uri(), &args, &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("5 with no backups to delete"),
        "{}",
        run.stdout
    );

    // A name with no exact match names those that contain it, in any casing.
    let mut args = vec!["delete-backups", "--by-name", "app-"];
    args.extend(["app-0", "app-2", "app-3"]);
    args.push("app-9");
    let run = vbazure(&server.uri(), &args, &[]).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("VM name \"app-9\": no protected VM is named \"app-9\""),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("names that contain it: app-0 (id-0), app-1 (id-1)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("App-1-copy (id-x)"), "{}", run.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn session_filters_are_sent_as_the_document_says() {
    let server = appliance().await;
    let policy = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .and(query_param("FromUtc", "2026-05-01T00:00:00Z"))
        .and(query_param("ToUtc", "2026-05-02T00:00:00Z"))
        .and(query_param("PolicyId", policy))
        .and(query_param("ResourceId", "vm-7"))
        .and(query_param("Filter", "web"))
        .and(query_param("Offset", "0"))
        .and(query_param("Limit", "30"))
        .respond_with(json_answer(
            200,
            &json!({"offset": 0, "limit": 30, "totalCount": 1, "results": [session(SESSION, "Error")]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = vbazure(
        &server.uri(),
        &[
            "sessions",
            "list",
            "--status",
            "error",
            "--status",
            "Warning",
            "--type",
            "BackupDeletion",
            "--type",
            "policybackup",
            "--since",
            "2026-05-01T00:00:00Z",
            "--until",
            "2026-05-02T00:00:00Z",
            "--policy-id",
            policy,
            "--resource-id",
            "vm-7",
            "--filter",
            "web",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("sessions 1-1 of 1"), "{}", run.stdout);
    let sent = requests(&server).await;
    let list = sent
        .iter()
        .find(|r| r.url.path() == "/api/v8.1/jobSessions")
        .expect("listed");
    let query = list.url.query().unwrap_or_default();
    // Arrays repeat their key (form, explode), in the order given.
    assert!(query.contains("Status=Error&Status=Warning"), "{query}");
    assert!(
        query.contains("Types=BackupDeletion&Types=PolicyBackup"),
        "{query}"
    );

    let run = vbazure(
        &server.uri(),
        &["sessions", "list", "--type", "VmSnapshotRetention"],
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("VmSnapshotRetention is a type sessions can have, but the appliance does not accept it as a filter"),
        "{}",
        run.stderr
    );
    let run = vbazure(
        &server.uri(),
        &["sessions", "list", "--since", "yesterday"],
        &[],
    )
    .await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("YYYY-MM-DDTHH:MM:SSZ"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_log_for_one_resource_asks_with_instance_id() {
    let server = appliance().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION}/log")))
        .and(query_param("instanceId", "vm-7"))
        .respond_with(json_answer(
            200,
            &json!({"jobSessionId": SESSION, "log": [{
                "logTime": "2026-05-01T10:00:00Z", "status": "Success",
                "message": "Backups of vm-7 removed", "resourceHashId": "vm-7"}]}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let run = vbazure(
        &server.uri(),
        &["sessions", "log", SESSION, "--resource-id", "vm-7"],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Backups of vm-7 removed"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn vms_list_shows_id_name_region_and_last_backup() {
    let server = appliance().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_param("SearchPattern", "web"))
        .respond_with(json_answer(
            200,
            &json!({"offset": 0, "limit": 30, "totalCount": 2, "results": [
                vm("id-web-01", "web-01"),
                {"id": "id-web-02", "name": "web-02", "region": {"name": "northeurope"},
                 "lastBackup": null, "subscription": {"id": "0b6c7d8e-9f01-4a2b-8c3d-4e5f60718293"}},
            ]}),
        ))
        .expect(2)
        .mount(&server)
        .await;
    let run = vbazure(&server.uri(), &["vms", "list", "--search", "web"], &[]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "ID         NAME    REGION       LAST BACKUP\n\
         id-web-01  web-01  westeurope   2026-04-30T22:00:00Z\n\
         id-web-02  web-02  northeurope  -\n\
         VMs 1-2 of 2\n"
    );
    let run = vbazure(
        &server.uri(),
        &["--output", "json", "vms", "list", "--search", "web"],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["regionName"], "westeurope");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deletion_path_the_appliance_does_not_have_is_refused_and_names_the_version() {
    // The deletion answers 404 with no body: no such path on this appliance, which a wrong
    // version explains. Nothing was started: the journal says refused, not "no answer".
    let server = appliance().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-1/deleteBackups",
        ))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let journal =
        std::env::temp_dir().join(format!("vbazure-no-such-path-{}.jsonl", std::process::id()));
    std::fs::remove_file(&journal).ok();
    let journal_arg = journal.display().to_string();
    let run = vbazure(
        &server.uri(),
        &["delete-backups", "vm-1", "--journal", &journal_arg],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    for part in ["no such path", "API v8.1", "--api-version 1"] {
        assert!(run.stderr.contains(part), "{part:?} not in {}", run.stderr);
    }
    let written = std::fs::read_to_string(&journal).unwrap_or_default();
    std::fs::remove_file(&journal).ok();
    assert!(written.contains("\"refused\""), "{written}");
    assert!(!written.contains("\"no-answer\""), "{written}");
}

/// A VM restore point of web-01 (as the listing writes one), `days` old, with no immutability
/// shown.
fn restore_point(id: &str, days: i64) -> Value {
    let created = chrono::Utc::now() - chrono::TimeDelta::days(days);
    json!({
        "id": id,
        "type": "Full",
        "vmName": "web-01",
        "resourceHashId": "vm-1",
        "pointInTime": created.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        "backupSizeBytes": 1_073_741_824_i64,
        "backupDestination": "AzureBlob",
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn a_point_the_listing_shows_unlocked_but_the_appliance_refuses_is_reported_locked_once() {
    // Immutability can be set after the listing (or be the repository's, not shown on the
    // point): the plan has the point, the DELETE is answered 423. It is not sent again, the
    // other point is deleted, and the run says which one was locked and exits 1.
    let server = appliance().await;
    let (newest, refused, deleted) = (
        "0e1f2a3b-4c5d-4e6f-8a7b-000000000001",
        "0e1f2a3b-4c5d-4e6f-8a7b-000000000002",
        "0e1f2a3b-4c5d-4e6f-8a7b-000000000003",
    );
    Mock::given(method("GET"))
        .and(path("/api/v8.1/restorePoints/virtualMachines"))
        .respond_with(json_answer(
            200,
            &page(vec![
                restore_point(refused, 200),
                restore_point(newest, 1),
                restore_point(deleted, 300),
            ]),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/api/v8.1/restorePoints/virtualMachines/{refused}"
        )))
        .respond_with(json_answer(
            423,
            &json!({
                "type": "about:blank",
                "title": "Locked",
                "status": 423,
                "detail": "The restore point is immutable until 2027-03-01T00:00:00Z.",
            }),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!(
            "/api/v8.1/restorePoints/virtualMachines/{deleted}"
        )))
        .respond_with(json_answer(202, &session(SESSION, "Running")))
        .expect(1)
        .mount(&server)
        .await;
    sessions_end(&server).await;
    let run = vbazure(
        &server.uri(),
        &[
            "--output",
            "json",
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "90d",
            "--yes",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    let steps: Vec<(String, String)> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap_or_default())
        .map(|s| {
            (
                s["event"].as_str().unwrap_or_default().to_string(),
                s["restorePoint"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert!(
        steps.contains(&("locked".to_string(), refused.to_string())),
        "{steps:?}"
    );
    assert!(
        steps.contains(&("ended".to_string(), deleted.to_string())),
        "{steps:?}"
    );
    assert_eq!(steps.len(), 2, "{steps:?}");
    assert!(
        run.stderr.contains(refused) && run.stderr.contains("immutable until 2027-03-01"),
        "{}",
        run.stderr
    );
    let newest_deleted = requests(&server)
        .await
        .iter()
        .any(|r| r.method.as_str() == "DELETE" && r.url.path().ends_with(newest));
    assert!(!newest_deleted, "the newest point was sent for deletion");
}
