//! The real `vbazure` binary against the mock appliance serving API v8.1: a golden transcript of
//! every v8.1 command in text and JSON (stdout and stderr), MFA, the logout at the end, and the
//! request record of a run that stopped on a name before deleting anything.

use std::time::Duration;

use vbazure_mock::{ApiVersion, MockAppliance, Progress};

use crate::support::against_mock as vbazure;
use crate::support::{json_lines, stable, Run};

/// A mock serving v8.1 only, with six protected VMs; `vm-cache-05` has no backups. Sessions
/// end at their first read (a list read counts).
async fn mock() -> MockAppliance {
    MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .progress(Progress::Polls(1))
        .vm("web-01", "vm-web-01")
        .vm("db-01", "vm-db-01")
        .vm("app-03", "vm-app-03")
        .vm("app-04", "vm-app-04")
        .vm("cache-05", "vm-cache-05")
        .vm("db-06", "vm-db-06")
        .no_backups("vm-cache-05")
        .start()
        .await
        .expect("the mock starts")
}

const FAST: [&str; 2] = ["--poll-interval", "10ms"];

/// The session id of a `VM  session ID  STATUS` line.
fn session_of(line: &str) -> String {
    line.split("  session ")
        .nth(1)
        .and_then(|rest| rest.split("  ").next())
        .unwrap_or_else(|| panic!("no session in {line:?}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_v8_1_command_in_text_and_json() {
    let mock = mock().await;
    let url = mock.url().to_string();
    let mut transcript = String::new();
    let mut record = |title: &str, run: &Run, code: i32| {
        transcript.push_str(&format!(
            "$ vbazure {title}\n[exit {}]\n{}",
            run.code, run.stdout
        ));
        for line in run.stderr.lines() {
            transcript.push_str(&format!("stderr: {line}\n"));
        }
        assert_eq!(run.code, code, "{title}: {}", run.stderr);
    };
    let run = |args: Vec<&str>| {
        let url = url.clone();
        let args: Vec<String> = args.into_iter().map(str::to_string).collect();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            vbazure(&url, &args, &[]).await
        }
    };

    // Deletions: one at a time, so that lines come in order.
    let deleted = run(vec![
        "delete-backups",
        "vm-web-01",
        "vm-cache-05",
        "--concurrency",
        "1",
    ])
    .await;
    record(
        "delete-backups vm-web-01 vm-cache-05 --concurrency 1",
        &deleted,
        0,
    );
    let web_session = session_of(deleted.stdout.lines().next().unwrap_or_default());
    let mut args = vec!["delete-backups", "--by-name", "app-03", "--wait"];
    args.extend(FAST);
    record(
        "delete-backups --by-name app-03 --wait",
        &run(args).await,
        0,
    );
    let mut args = vec![
        "--output",
        "json",
        "delete-backups",
        "--by-name",
        "app-04",
        "web-01",
        "--batch",
        "--wait",
    ];
    args.extend(FAST);
    record(
        "--output json delete-backups --by-name app-04 web-01 --batch --wait",
        &run(args).await,
        0,
    );
    record(
        "delete-backups --by-name app db-01",
        &run(vec!["delete-backups", "--by-name", "app", "db-01"]).await,
        1,
    );
    let mut args = vec![
        "delete-backups",
        "vm-web-01",
        "vm-db-01",
        "vm-cache-05",
        "--batch",
        "--backup-tier",
        "non-archive",
        "--wait",
    ];
    args.extend(FAST);
    record(
        "delete-backups vm-web-01 vm-db-01 vm-cache-05 --batch --backup-tier non-archive --wait",
        &run(args).await,
        0,
    );

    // Protected VMs.
    record("vms list", &run(vec!["vms", "list"]).await, 0);
    record(
        "vms list --search app --all",
        &run(vec!["vms", "list", "--search", "app", "--all"]).await,
        0,
    );
    record(
        "--output json vms list --offset 1 --limit 1",
        &run(vec![
            "--output", "json", "vms", "list", "--offset", "1", "--limit", "1",
        ])
        .await,
        0,
    );

    // Sessions, narrowed by the appliance.
    record("sessions list", &run(vec!["sessions", "list"]).await, 0);
    // A list read counts as a poll of each session it shows (and the mock ends a session at
    // its first poll): started here, this session is the one the next list shows running.
    let tiered = run(vec![
        "--output",
        "json",
        "delete-backups",
        "vm-db-01",
        "--backup-tier",
        "archive",
    ])
    .await;
    record(
        "--output json delete-backups vm-db-01 --backup-tier archive",
        &tiered,
        0,
    );
    assert_eq!(json_lines(&tiered.stdout)[0]["status"], "Running");
    record(
        "sessions list --status Running --type BackupDeletion",
        &run(vec![
            "sessions",
            "list",
            "--status",
            "Running",
            "--type",
            "BackupDeletion",
        ])
        .await,
        0,
    );
    record(
        "sessions list --status Success --status Warning --all --limit 2",
        &run(vec![
            "sessions", "list", "--status", "Success", "--status", "Warning", "--all", "--limit",
            "2",
        ])
        .await,
        0,
    );
    record(
        "--output json sessions list --resource-id vm-app-03 --since 2000-01-01T00:00:00Z --until 2999-01-01T00:00:00Z",
        &run(vec![
            "--output",
            "json",
            "sessions",
            "list",
            "--resource-id",
            "vm-app-03",
            "--since",
            "2000-01-01T00:00:00Z",
            "--until",
            "2999-01-01T00:00:00Z",
        ])
        .await,
        0,
    );
    record(
        "sessions list --filter cache-05",
        &run(vec!["sessions", "list", "--filter", "cache-05"]).await,
        0,
    );
    record(
        "sessions list --type VmSnapshotRetention",
        &run(vec!["sessions", "list", "--type", "VmSnapshotRetention"]).await,
        2,
    );
    record(
        "sessions list --policy-id 3fa85f64-5717-4562-b3fc-2c963f66afa6",
        &run(vec![
            "sessions",
            "list",
            "--policy-id",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        ])
        .await,
        0,
    );

    // One session: show, log (all of it, and about one VM), wait, stop.
    record(
        "sessions show WEB_SESSION",
        &run(vec!["sessions", "show", &web_session]).await,
        0,
    );
    record(
        "--output json sessions show WEB_SESSION",
        &run(vec!["--output", "json", "sessions", "show", &web_session]).await,
        0,
    );
    record(
        "sessions log WEB_SESSION",
        &run(vec!["sessions", "log", &web_session]).await,
        0,
    );
    record(
        "sessions log WEB_SESSION --resource-id vm-web-01",
        &run(vec![
            "sessions",
            "log",
            &web_session,
            "--resource-id",
            "vm-web-01",
        ])
        .await,
        0,
    );
    record(
        "--output json sessions log WEB_SESSION --resource-id vm-web-01",
        &run(vec![
            "--output",
            "json",
            "sessions",
            "log",
            &web_session,
            "--resource-id",
            "vm-web-01",
        ])
        .await,
        0,
    );
    // Started after the lists, so that it is still running when it is stopped.
    let again = run(vec!["delete-backups", "vm-db-06"]).await;
    record("delete-backups vm-db-06", &again, 0);
    let db_session = session_of(again.stdout.lines().next().unwrap_or_default());
    record(
        "sessions stop DB_SESSION",
        &run(vec!["sessions", "stop", &db_session]).await,
        0,
    );
    let mut args = vec!["sessions", "wait", &db_session];
    args.extend(FAST);
    record("sessions wait DB_SESSION", &run(args).await, 4);
    let mut args = vec!["--output", "json", "sessions", "wait", &web_session];
    args.extend(FAST);
    record(
        "--output json sessions wait WEB_SESSION",
        &run(args).await,
        0,
    );

    stable().bind(|| insta::assert_snapshot!("every_v8_1_command", transcript));
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

/// The requests of a mock's record (`MockBuilder::record`): `METHOD path status`, in order.
fn recorded(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|line| {
            let request: serde_json::Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
            format!(
                "{} {} {}",
                request["method"].as_str().unwrap_or_default(),
                request["path"].as_str().unwrap_or_default(),
                request["status"]
            )
        })
        .collect()
}

fn record_file(name: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("vbazure-cli-{name}-{}.jsonl", std::process::id()));
    std::fs::remove_file(&path).ok();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn an_account_with_mfa_logs_in_with_the_code_and_out_at_the_end() {
    let record = record_file("mfa");
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .mfa_code("246810")
        .record(&record)
        .start()
        .await
        .expect("starts");
    let args = ["sessions", "list"];
    let run = vbazure(mock.url(), &args, &[("VBAZURE_MFA_CODE", "246810")]).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        recorded(&record),
        [
            "GET /api/v8.1/system/about 401",
            "POST /api/oauth2/token 200",
            "POST /api/oauth2/token 200",
            "GET /api/v8.1/system/about 200",
            "GET /api/v8.1/jobSessions 200",
            "DELETE /api/oauth2/token 204",
        ],
        "the password step, the code step, the confirming read, the list, the logout"
    );

    let run = vbazure(mock.url(), &args, &[("VBAZURE_MFA_CODE", "000000")]).await;
    assert_eq!(
        run.code, 1,
        "a wrong code is the appliance's refusal: {}",
        run.stderr
    );
    assert!(run.stderr.starts_with("error: login: "), "{}", run.stderr);
    assert!(!run.stderr.contains("000000"), "{}", run.stderr);

    let run = vbazure(mock.url(), &args, &[]).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("set VBAZURE_MFA_CODE"),
        "{}",
        run.stderr
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    std::fs::remove_file(&record).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_name_that_does_not_resolve_stops_the_run_before_any_deletion() {
    let record = record_file("names");
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .vm("web-01", "vm-web-01")
        .vm("web-01", "vm-web-01-copy")
        .vm("db-01", "vm-db-01")
        .record(&record)
        .start()
        .await
        .expect("starts");
    // Few names: one search each; many: one listing. Either way, nothing deleted.
    for names in [
        vec!["db-01", "web-01"],
        vec!["db-01", "web-01", "db-02", "db-01x", "db"],
    ] {
        let mut args = vec!["delete-backups", "--by-name", "--wait"];
        args.extend(&names);
        let run = vbazure(mock.url(), &args, &[]).await;
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(
                "VM name \"web-01\": 2 protected VMs are named \"web-01\": web-01 (vm-web-01), \
                 web-01 (vm-web-01-copy); give the VM's id instead"
            ),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains("nothing was deleted"), "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    let requests = recorded(&record);
    assert!(
        !requests.iter().any(|r| r.contains("deleteBackups")),
        "{requests:#?}"
    );
    // The second run matched its five names against one listing.
    let listings = requests
        .iter()
        .filter(|r| r.starts_with("GET /api/v8.1/protectedItem/virtualMachines "))
        .count();
    assert_eq!(listings, 2 + 1, "{requests:#?}");
    std::fs::remove_file(&record).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_vms_in_one_batch_take_a_handful_of_requests() {
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .generate_vms(100)
        .progress(Progress::Time(Duration::from_secs(2)))
        .latency(Duration::from_millis(20))
        .start()
        .await
        .expect("starts");
    let ids: Vec<String> = mock.vms().into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), 100);
    let file = std::env::temp_dir().join(format!("vbazure-cli-batch-{}.txt", std::process::id()));
    std::fs::write(&file, ids.join("\n")).expect("writes");
    let path = file.to_string_lossy().into_owned();
    let run = vbazure(
        mock.url(),
        &["delete-backups", "--from-file", &path, "--batch", "--wait"],
        &[],
    )
    .await;
    std::fs::remove_file(&file).ok();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "summary: 100 VM(s) in 1 batch request(s), 1 session(s): 100 succeeded, 0 ended with \
             warnings, 0 failed"
        ),
        "{}",
        run.stdout
    );
    // The probe, the login, one deletion, a few polls (from 1 s, growing), the logout.
    let requests = mock.requests();
    assert!(requests <= 8, "{requests} requests for 100 VMs");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}
