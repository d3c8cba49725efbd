//! The `vbazure-mock` binary, started as a separate process, driven through the whole flow.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use futures_util::TryStreamExt;
use vbazure::{SessionStatus, WaitOptions};

/// The binary running as a child process. A test that fails before it stops the child kills
/// it on the way out, so that no server outlives its test.
struct Running(Option<Child>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// Starts the binary with `args` on a free loopback port; the child and its base URL.
fn start(args: &[&str]) -> (Running, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args(["--listen", "127.0.0.1:0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take();
    let running = Running(Some(child));
    let mut first_line = String::new();
    BufReader::new(stdout.expect("stdout"))
        .read_line(&mut first_line)
        .expect("a first line");
    (running, first_line.trim().to_string())
}

/// Stops the binary with SIGTERM and asserts it exits 0 (1 would mean an answer of it broke
/// the spec).
fn stop(mut running: Running) {
    let mut child = running.0.take().expect("running");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("exits");
    assert!(
        status.success(),
        "exit status {status:?}: an answer broke the spec"
    );
}

#[tokio::test]
async fn the_binary_serves_the_flow_and_exits_on_sigterm() {
    let (running, url) = start(&["--finish-after-polls", "2", "--final-status", "warning"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");

    // The v1 flow: the binary serves v8.1 beside it, which a detecting client would pick.
    let appliance = vbazure::Appliance::builder(&url)
        .credentials(
            vbazure_mock::DEFAULT_USERNAME,
            vbazure_mock::DEFAULT_PASSWORD,
        )
        .api_version(vbazure::ApiVersion::V1)
        .build()
        .expect("builds");
    appliance.login().await.expect("token");
    let session = crate::support::delete(
        &appliance,
        "ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy",
    )
    .await;
    let options = WaitOptions::default()
        .with_timeout(Duration::from_secs(10))
        .with_intervals(Duration::from_millis(10), Duration::from_millis(20));
    let done = appliance
        .wait_session(session, &options, |_| {})
        .await
        .expect("polling");
    assert_eq!(done.status, SessionStatus::Warning);
    let log = appliance
        .job_session_log(&done.id)
        .send()
        .await
        .expect("log");
    assert!(log.entries.len() >= 2);
    let all: Vec<_> = appliance
        .job_sessions(10)
        .stream()
        .try_collect()
        .await
        .expect("list");
    assert_eq!(all.len(), 1);
    stop(running);
}

#[test]
fn the_binary_refuses_a_public_address_with_a_message() {
    let output = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("loopback only"), "{stderr}");
}

#[tokio::test]
async fn the_binary_serves_the_versions_vms_and_record_it_is_given() {
    let record = std::env::temp_dir().join(format!(
        "vbazure-mock-binary-{}-{}.jsonl",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0)
    ));
    let record_arg = record.to_string_lossy().into_owned();
    let (running, url) = start(&[
        "--api-versions",
        "8.1",
        "--vm",
        "web-01=vm-web",
        "--vm",
        "plain-id",
        "--no-backups",
        "vm-empty",
        "--record",
        &record_arg,
    ]);
    let http = crate::support::http();
    let anonymous = |path: &str| http.get(format!("{url}{path}")).send();
    assert_eq!(
        anonymous("/api/v8.1/system/about")
            .await
            .expect("answers")
            .status(),
        401
    );
    assert_eq!(
        anonymous("/api/v1/jobSessions")
            .await
            .expect("answers")
            .status(),
        404,
        "v1 is not served"
    );
    let token = crate::support::access_token(&url).await;
    let vms: serde_json::Value = http
        .get(format!("{url}/api/v8.1/protectedItem/virtualMachines"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("a page");
    let names: Vec<&str> = vms["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|vm| vm["name"].as_str())
        .collect();
    assert_eq!(names, ["web-01", "plain-id", "vm-empty"], "{vms}");
    let delete = |id: &str| {
        http.post(format!(
            "{url}/api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"
        ))
        .bearer_auth(&token)
        .send()
    };
    assert_eq!(delete("vm-empty").await.expect("answers").status(), 204);
    assert_eq!(delete("vm-web").await.expect("answers").status(), 202);
    stop(running);
    let recorded = std::fs::read_to_string(&record).expect("the record");
    let statuses: Vec<u64> = recorded
        .lines()
        .map(|line| {
            let line: serde_json::Value = serde_json::from_str(line).expect("JSON");
            line["status"].as_u64().expect("a status")
        })
        .collect();
    assert_eq!(statuses, [401, 404, 200, 200, 204, 202]);
    let _ = std::fs::remove_file(&record);
}

#[test]
fn the_binary_refuses_a_version_it_does_not_serve() {
    let output = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args(["--api-versions", "1,8"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("(1 or 8.1)"), "{stderr}");
}
