//! The `vbazure-mock` binary, started as a separate process, driven through the whole flow.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use futures_util::TryStreamExt;
use vbazure::{SessionStatus, WaitOptions};

#[tokio::test]
async fn the_binary_serves_the_flow_and_exits_on_sigterm() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args([
            "--listen",
            "127.0.0.1:0",
            "--finish-after-polls",
            "2",
            "--final-status",
            "warning",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut first_line = String::new();
    BufReader::new(stdout)
        .read_line(&mut first_line)
        .expect("a first line");
    let url = first_line.trim().to_string();
    assert!(url.starts_with("http://127.0.0.1:"), "{url:?}");

    let appliance = vbazure::Appliance::builder(&url)
        .credentials(
            vbazure_mock::DEFAULT_USERNAME,
            vbazure_mock::DEFAULT_PASSWORD,
        )
        .build()
        .expect("builds");
    appliance.login().await.expect("token");
    let session = common::delete(
        &appliance,
        "ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy",
    )
    .await;
    let options = WaitOptions {
        timeout: Some(Duration::from_secs(10)),
        initial_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(20),
    };
    let done = appliance
        .wait_session(session, &options, |_| {})
        .await
        .expect("polling");
    assert_eq!(done.status, SessionStatus::Warning);
    let log = appliance.job_session_log(&done.id).await.expect("log");
    assert!(log.entries.len() >= 2);
    let all: Vec<_> = appliance
        .job_sessions(10)
        .try_collect()
        .await
        .expect("list");
    assert_eq!(all.len(), 1);

    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let status = child.wait().expect("exits");
    assert!(status.success(), "exit status {status:?}");
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
