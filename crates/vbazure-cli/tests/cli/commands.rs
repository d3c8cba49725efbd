//! The real `vbazure` binary against the mock appliance: every command, text and JSON output
//! (golden snapshots), exit codes 0 to 5, files of ids, bulk runs and failures.

use std::io::Write;
use std::time::Duration;

use assert_cmd::Command;
use vbazure_mock::{
    ApiVersion, FinalStatus, MockAppliance, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME,
};

use crate::support::{confirmed, json_lines, logged_in, stable, vbazure_with, Run};

/// Runs `vbazure` with `args` against `url` (logging in with the mock's credentials).
async fn vbazure(url: &str, args: &[&str], stdin: Option<String>) -> Run {
    let env = [
        ("VBAZURE_URL", url),
        ("VBAZURE_USERNAME", DEFAULT_USERNAME),
        ("VBAZURE_PASSWORD", DEFAULT_PASSWORD),
    ];
    vbazure_with(&env, confirmed(args), stdin).await
}

/// A mock serving API v1 only, which these tests were written for (by default it also serves
/// v8.1, which the CLI's detection would pick).
async fn mock(progress: Progress, final_status: FinalStatus) -> MockAppliance {
    MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .progress(progress)
        .final_status(final_status)
        .start()
        .await
        .expect("the mock starts")
}

const FAST: [&str; 2] = ["--poll-interval", "10ms"];

#[tokio::test(flavor = "multi_thread")]
async fn every_command_in_text_and_json() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let url = mock.url().to_string();
    let mut transcript = String::new();
    let mut record = |title: &str, run: &Run| {
        transcript.push_str(&format!(
            "$ vbazure {title}\n[exit {}]\n{}",
            run.code, run.stdout
        ));
        assert!(
            run.code == 0 || title.contains("wait 2"),
            "{title}: {}",
            run.stderr
        );
    };

    // One at a time: with more in flight, lines come in the order the sessions start.
    let run = vbazure(
        &url,
        &["delete-backups", "vm-a", "vm-b", "--concurrency", "1"],
        None,
    )
    .await;
    record("delete-backups vm-a vm-b --concurrency 1", &run);
    let run = vbazure(&url, &["--output", "json", "delete-backups", "vm-c"], None).await;
    assert_eq!(json_lines(&run.stdout).len(), 1);
    record("--output json delete-backups vm-c", &run);
    let run = vbazure(&url, &["sessions", "list"], None).await;
    record("sessions list", &run);
    let run = vbazure(
        &url,
        &["sessions", "list", "--offset", "1", "--limit", "1"],
        None,
    )
    .await;
    record("sessions list --offset 1 --limit 1", &run);
    let run = vbazure(
        &url,
        &[
            "--output", "json", "sessions", "list", "--all", "--limit", "2",
        ],
        None,
    )
    .await;
    assert_eq!(json_lines(&run.stdout).len(), 3);
    record("--output json sessions list --all --limit 2", &run);
    let run = vbazure(
        &url,
        &["sessions", "wait", "1", "--poll-interval", "10ms"],
        None,
    )
    .await;
    record("sessions wait 1", &run);
    let run = vbazure(&url, &["sessions", "show", "1"], None).await;
    record("sessions show 1", &run);
    let run = vbazure(&url, &["--output", "json", "sessions", "show", "1"], None).await;
    record("--output json sessions show 1", &run);
    let run = vbazure(&url, &["sessions", "log", "1"], None).await;
    record("sessions log 1", &run);
    let run = vbazure(&url, &["--output", "json", "sessions", "log", "1"], None).await;
    assert_eq!(json_lines(&run.stdout)[0]["jobSessionId"], "1");
    record("--output json sessions log 1", &run);
    let run = vbazure(&url, &["sessions", "stop", "2"], None).await;
    record("sessions stop 2", &run);
    let run = vbazure(
        &url,
        &["sessions", "wait", "2", "--poll-interval", "10ms"],
        None,
    )
    .await;
    assert_eq!(run.code, 4, "a canceled session is an unsuccessful end");
    record("sessions wait 2", &run);

    stable().bind(|| insta::assert_snapshot!("every_command", transcript));
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(flavor = "multi_thread")]
async fn exit_codes_follow_the_sessions_ends() {
    for (final_status, code, word) in [
        (FinalStatus::Success, 0, "Success"),
        (FinalStatus::Warning, 3, "Warning"),
        (FinalStatus::Error, 4, "Error"),
    ] {
        let mock = mock(Progress::Polls(2), final_status).await;
        let mut args = vec!["delete-backups", "vm-1", "vm-2", "--wait"];
        args.extend(FAST);
        let run = vbazure(mock.url(), &args, None).await;
        assert_eq!(run.code, code, "{word}: {}", run.stderr);
        assert_eq!(run.stdout.matches(word).count(), 2, "{}", run.stdout);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_timeout_exits_5_and_says_the_sessions_keep_running() {
    let mock = mock(Progress::Polls(1_000_000), FinalStatus::Success).await;
    let mut args = vec!["delete-backups", "vm-1", "--wait", "--timeout", "300ms"];
    args.extend(FAST);
    let run = vbazure(mock.url(), &args, None).await;
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(
        run.stderr.contains("still running on the appliance"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("1 still running on the appliance"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worst_outcome_wins() {
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .progress(Progress::Polls(1))
        .final_status(FinalStatus::Warning)
        .known_vms(["vm-1"])
        .start()
        .await
        .expect("starts");
    let mut args = vec!["delete-backups", "vm-1", "vm-unknown", "--wait"];
    args.extend(FAST);
    let run = vbazure(mock.url(), &args, None).await;
    assert_eq!(
        run.code, 3,
        "Warning (3) beats a not-found VM (1): {}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: vm-unknown: deleteBackups: not found (404"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("1 ended with warnings, 1 failed"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn ids_from_a_file_with_comments_and_duplicates_are_deleted_once() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let mut file = tempfile();
    writeln!(
        file.1,
        "# decommissioned in March\nvm-1\n\nvm-2\n  vm-1  \n#vm-3\nvm-2"
    )
    .expect("writes");
    let path = file.0.to_string_lossy().into_owned();
    let run = vbazure(
        mock.url(),
        &["delete-backups", "--from-file", &path, "vm-4"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("2 duplicate VM id(s) skipped"),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout
            .contains("summary: 3 VM(s): 3 deletion session(s) started, 0 failed"),
        "{}",
        run.stdout
    );
    let appliance = logged_in(&mock).await;
    assert_eq!(
        appliance
            .job_sessions_page(0, 100)
            .send()
            .await
            .expect("lists")
            .total_count,
        Some(3)
    );

    let run = vbazure(
        mock.url(),
        &["delete-backups", "--from-file", "-"],
        Some("vm-7\nvm-8\nvm-7\n".to_string()),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("2 deletion session(s) started"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_vms_sixteen_at_a_time() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let ids: String = (0..1000).map(|i| format!("vm-{i:04}\n")).collect();
    let mut args = vec![
        "--output",
        "json",
        "delete-backups",
        "--from-file",
        "-",
        "--concurrency",
        "16",
        "--wait",
        // 1,000 polls at the default 50 per second would take 20 s.
        "--max-requests-per-second",
        "1000",
    ];
    args.extend(FAST);
    let run = vbazure(mock.url(), &args, Some(ids)).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sessions = json_lines(&run.stdout);
    assert_eq!(sessions.len(), 1000);
    assert!(sessions.iter().all(|s| s["status"] == "Success"));
    let mut session_ids: Vec<&str> = sessions.iter().filter_map(|s| s["id"].as_str()).collect();
    session_ids.sort();
    session_ids.dedup();
    assert_eq!(session_ids.len(), 1000, "each VM deleted once");
    assert!(
        run.stderr
            .contains("summary: 1000 VM(s): 1000 succeeded, 0 ended with warnings, 0 failed"),
        "{}",
        run.stderr
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

/// The instants of a session JSON's field.
fn instant(session: &serde_json::Value, field: &str) -> vbazure::Timestamp {
    session[field]
        .as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("{field} of {session}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_sessions_are_followed_together_not_four_at_a_time() {
    // Sessions that take 2 s, 20 ms added to every answer, and the CLI's default settings
    // (4 deletions in flight, polls from 1 s, at most 50 requests per second).
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .progress(Progress::Time(Duration::from_secs(2)))
        .latency(Duration::from_millis(20))
        .start()
        .await
        .expect("starts");
    let ids: String = (0..100).map(|i| format!("vm-{i:03}\n")).collect();
    let started = std::time::Instant::now();
    let run = vbazure(
        mock.url(),
        &[
            "--output",
            "json",
            "delete-backups",
            "--from-file",
            "-",
            "--wait",
        ],
        Some(ids),
    )
    .await;
    let elapsed = started.elapsed();
    assert_eq!(run.code, 0, "{}", run.stderr);
    let sessions = json_lines(&run.stdout);
    assert_eq!(sessions.len(), 100);
    assert!(sessions.iter().all(|s| s["status"] == "Success"));
    // Every deletion was sent before the first session ended: deletions do not wait for
    // sessions. (One `delete + wait` per VM, four at a time, started the fifth VM only after
    // the first session had ended, and took 64.6 s.)
    let last_start = sessions
        .iter()
        .map(|s| instant(s, "executionStartTime"))
        .max()
        .expect("sessions");
    let first_stop = sessions
        .iter()
        .map(|s| instant(s, "executionStopTime"))
        .min()
        .expect("sessions");
    assert!(
        last_start < first_stop,
        "the last session started at {last_start}, after one had ended at {first_stop}"
    );
    // Polls are few: at most 3 per session on average, beside the deletions, the login and
    // the detection's two probes. (Each session takes 2 polls with 1 s and then 1.5 s pauses.)
    let requests = mock.requests();
    assert!(
        (203..=403).contains(&requests),
        "{requests} requests for 100 VMs"
    );
    assert!(
        run.stderr.contains("summary: 100 VM(s): 100 succeeded"),
        "{}",
        run.stderr
    );
    // A smoke bound only (64.6 s before; about 5 s on an idle machine).
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(flavor = "multi_thread")]
async fn v8_1_flags_are_refused_on_v1_before_anything_is_sent() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    for (args, flag) in [
        (
            vec!["delete-backups", "vm-1", "--backup-tier", "archive"],
            "--backup-tier needs API v8.1",
        ),
        (vec!["delete-backups", "vm-1", "--batch"], "--batch needs API v8.1"),
        (
            vec!["delete-backups", "web-01", "--by-name", "--batch"],
            "--by-name and --batch need API v8.1",
        ),
        (vec!["vms", "list"], "vms list needs API v8.1"),
        (
            vec!["sessions", "log", "1", "--resource-id", "vm-1"],
            "sessions log --resource-id needs API v8.1",
        ),
        (
            vec!["sessions", "list", "--all", "--policy-id", "3fa85f64-5717-4562-b3fc-2c963f66afa6"],
            "--policy-id needs API v8.1",
        ),
        (
            vec!["sessions", "list", "--all", "--filter", "web", "--resource-id", "x"],
            "--resource-id and --filter need API v8.1",
        ),
        (
            vec!["sessions", "list", "--status", "Success"],
            "vbazure applies --status, --type, --since and --until itself, to every session, so add --all",
        ),
    ] {
        let mut all = vec!["--api-version", "1"];
        all.extend(&args);
        let run = vbazure(mock.url(), &all, None).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(flag), "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stdout.is_empty(), "{}", run.stdout);
    }
    assert_eq!(mock.requests(), 0, "nothing was sent");
    // Detected, not chosen: the two anonymous probes (v8.1 404, v1 401), the login and the
    // read that confirms v1; no deletion.
    let run = vbazure(mock.url(), &["delete-backups", "vm-1", "--batch"], None).await;
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("this appliance speaks API v1; nothing was sent"),
        "{}",
        run.stderr
    );
    assert_eq!(
        mock.requests(),
        4,
        "the detection, confirmed after logging in"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn on_v1_the_client_filters_every_session_itself() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let run = vbazure(
        mock.url(),
        &["delete-backups", "vm-1", "vm-2", "vm-3"],
        None,
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = vbazure(mock.url(), &["sessions", "stop", "2"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = vbazure(mock.url(), &["sessions", "show", "1"], None).await;
    assert!(run.stdout.contains("Success"), "{}", run.stdout);
    let run = vbazure(mock.url(), &["sessions", "show", "2"], None).await;
    assert!(run.stdout.contains("Canceled"), "{}", run.stdout);

    let ids = |args: &[&str]| {
        let mut all = vec![
            "--output", "json", "sessions", "list", "--all", "--limit", "2",
        ];
        all.extend(args);
        let url = mock.url().to_string();
        let all: Vec<String> = all.iter().map(|s| s.to_string()).collect();
        async move {
            let args: Vec<&str> = all.iter().map(String::as_str).collect();
            let run = vbazure(&url, &args, None).await;
            assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
            json_lines(&run.stdout)
                .iter()
                .map(|s| s["id"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<String>>()
        }
    };
    assert_eq!(ids(&["--status", "success"]).await, ["1"]);
    assert_eq!(
        ids(&["--status", "Canceled", "--status", "Success"]).await,
        ["1", "2"]
    );
    assert_eq!(ids(&["--type", "BackupDeletion"]).await, ["1", "2", "3"]);
    assert!(ids(&["--type", "PolicyBackup"]).await.is_empty());
    assert!(ids(&["--since", "2999-01-01T00:00:00Z"]).await.is_empty());
    assert_eq!(ids(&["--until", "2999-01-01T00:00:00Z"]).await.len(), 3);
    let run = vbazure(
        mock.url(),
        &["sessions", "list", "--all", "--status", "Running"],
        None,
    )
    .await;
    assert_eq!(
        run.stdout.lines().last(),
        Some("1 session(s)"),
        "{}",
        run.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_against_the_mock_never_shows_the_password() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let mut args = vec!["-vv", "delete-backups", "vm-1", "--wait"];
    args.extend(FAST);
    let run = vbazure(mock.url(), &args, None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("speaking API v1"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("operation=\"deleteBackups\" status=200"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(DEFAULT_PASSWORD), "{}", run.stderr);
    // No line carries a bearer token or a token field.
    for word in ["Bearer", "access_token", "refresh_token"] {
        assert!(!run.stderr.contains(word), "{word}: {}", run.stderr);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wrong_token_exits_1_with_a_hint() {
    let mock = mock(Progress::Polls(1), FinalStatus::Success).await;
    let url = mock.url().to_string();
    let output = tokio::task::spawn_blocking(move || {
        Command::cargo_bin("vbazure")
            .expect("built")
            .env_clear()
            .envs(crate::support::isolated())
            .env("VBAZURE_URL", url)
            .env("VBAZURE_TOKEN", "wrong-token-SECRET")
            .args(["sessions", "list"])
            .output()
            .expect("runs")
    })
    .await
    .expect("completes");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("the token was rejected: check VBAZURE_TOKEN or the credentials"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrong-token-SECRET"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "one line per problem: {stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_url_exits_1() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener);
    let run = vbazure(&url, &["sessions", "show", "1"], None).await;
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("cannot connect to the appliance"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("check --url / VBAZURE_URL"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut command = Command::cargo_bin("vbazure").expect("built");
        command
            .env_clear()
            .envs(crate::support::isolated())
            .args(args);
        for (k, v) in env {
            command.env(k, v);
        }
        let output = command.output().expect("runs");
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let (code, stderr) = run(
        &["--mock", "sessions", "wait", "1", "--timeout", "soon"],
        &[],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("\"soon\" is not a duration like 90s, 15m, 2h"),
        "{stderr}"
    );

    // No password and no terminal to ask on (stdin is not a terminal here).
    let (code, stderr) = run(
        &["sessions", "list"],
        &[
            ("VBAZURE_URL", "http://127.0.0.1:9"),
            ("VBAZURE_USERNAME", "admin"),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("no password: set VBAZURE_PASSWORD"),
        "{stderr}"
    );

    let (code, stderr) = run(&["sessions", "list"], &[]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no appliance URL"), "{stderr}");

    let (code, stderr) = run(
        &["delete-backups"],
        &[
            ("VBAZURE_URL", "http://127.0.0.1:9"),
            ("VBAZURE_TOKEN", "t"),
        ],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("no VM ids"), "{stderr}");

    let (code, stderr) = run(
        &["--url", "ftp://x", "--token", "t", "sessions", "list"],
        &[],
    );
    assert_eq!(code, Some(2));
    assert!(stderr.contains("the scheme must be https"), "{stderr}");

    let (code, _) = run(&["delete-backups", "x", "--concurrency", "0"], &[]);
    assert_eq!(code, Some(2));
    let (code, _) = run(&["frobnicate"], &[]);
    assert_eq!(code, Some(2));
}

#[test]
fn help_documents_the_exit_codes() {
    let output = Command::cargo_bin("vbazure")
        .expect("built")
        .arg("--help")
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    for line in [
        "0  done",
        "1  an error talking to the API",
        "2  usage error",
        "3  a waited session ended Warning",
        "5  --timeout reached",
    ] {
        assert!(help.contains(line), "{line}: {help}");
    }
}

#[test]
fn the_readme_main_command_runs_on_the_built_in_mock() {
    let output = Command::cargo_bin("vbazure")
        .expect("built")
        .env_clear()
        .envs(crate::support::isolated())
        .args([
            "--mock",
            "delete-backups",
            "ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy",
            "--wait",
            "--poll-interval",
            "20ms",
        ])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("using the built-in mock appliance at http://127.0.0.1:"),
        "{stderr}"
    );
    // The built-in mock serves v8.1 (picked by the detection) and holds the VM given.
    let first = stdout.lines().next().unwrap_or_default();
    assert!(
        first.starts_with("ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy  session ")
            && first.contains("  Success  "),
        "{stdout}"
    );
}

/// A file in the temporary directory, removed when the test process ends its use.
fn tempfile() -> (std::path::PathBuf, std::fs::File) {
    let path = std::env::temp_dir().join(format!(
        "vbazure-cli-test-{}-{}.txt",
        std::process::id(),
        fastrand_suffix()
    ));
    let file = std::fs::File::create(&path).expect("creates");
    (path, file)
}

fn fastrand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_appliance_refusing_every_anonymous_request_is_still_spoken_to_in_its_version() {
    // It authenticates before it routes (`gate_anonymous`): the probe of v8.1 is refused as
    // the probe of v1 is, so only the reads with the token tell the versions apart.
    for (served, status) in [
        (ApiVersion::V1, 401),
        (ApiVersion::V1, 403),
        (ApiVersion::V8_1, 401),
        (ApiVersion::V8_1, 403),
    ] {
        let mock = MockAppliance::builder()
            .api_versions([served])
            .gate_anonymous(status)
            .start()
            .await
            .expect("starts");
        let run = vbazure(mock.url(), &["-v", "sessions", "list"], None).await;
        let context = format!("v{served} answering {status}: {}", run.stderr);
        assert_eq!(run.code, 0, "{context}");
        assert!(
            run.stderr.contains(&format!(
                "the appliance serves API v{served}: an anonymous GET"
            )) && run
                .stderr
                .contains(&format!("answered {status}, and 200 with a token")),
            "{context}"
        );
        assert!(
            run.stderr.contains(&format!("speaking API v{served}")),
            "{context}"
        );
        assert_eq!(
            mock.unexpected_violations(),
            Vec::<String>::new(),
            "{context}"
        );
    }
}
