//! The "delete a VM's backups, then follow the job session" flow, against a local stand-in for
//! the appliance that answers with the examples documented in `openapi.yaml` (the mock
//! appliance and the CLI of later milestones replace it).
//!
//! Run: `cargo run --example delete_backups [VM_ID]`

use std::error::Error;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use vbazure::{Appliance, WaitOptions};
use wiremock::matchers::{header, method, path_regex};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let vm_id = std::env::args().nth(1);
    run(vm_id.as_deref(), &mut std::io::stdout()).await
}

/// Deletes the backups of `vm_id` (the spec's example VM by default) and follows the session
/// to its end, writing what happens to `out`.
pub async fn run(vm_id: Option<&str>, out: &mut impl Write) -> Result<(), Box<dyn Error>> {
    let spec_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
    let spec = vbazure_spec::Document::load(spec_path)?;
    let example = |name: &str| -> Result<Value, Box<dyn Error>> {
        vbazure_spec::examples(&spec)
            .found
            .into_iter()
            .find(|e| e.name == name)
            .map(|e| e.value)
            .ok_or_else(|| format!("openapi.yaml has no example {name}").into())
    };
    let default_vm = example("deleteBackups.param-id")?;
    let vm_id = vm_id.or(default_vm.as_str()).ok_or("no VM id")?;

    let token = "example-access-token";
    let stand_in = MockServer::start().await;
    let bearer = format!("Bearer {token}");
    let json = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("POST"))
        .and(path_regex(r"^/api/v1/virtualMachines/[^/]+/deleteBackups$"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(json(example("deleteBackups.200")?))
        .mount(&stand_in)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/v1/jobSessions/11$"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(json(example("getJobSession.200.finished")?))
        .mount(&stand_in)
        .await;
    writeln!(out, "appliance (local stand-in): {}", stand_in.uri())?;

    let appliance = Appliance::builder(stand_in.uri())
        .access_token(token)
        .build()?;
    let session = appliance.delete_backups(vm_id).await?;
    writeln!(
        out,
        "deleteBackups {vm_id}: session {} {} {}",
        session.id, session.type_, session.status
    )?;
    let options = WaitOptions {
        initial_interval: Duration::from_millis(50),
        ..WaitOptions::with_timeout(Duration::from_secs(60))
    };
    let mut progress = Vec::new();
    let done = appliance
        .wait_session(session, &options, |s| {
            progress.push(format!(
                "session {}: {} after {:#}",
                s.id, s.status, s.execution_duration
            ))
        })
        .await?;
    for line in progress {
        writeln!(out, "{line}")?;
    }
    let stopped = done
        .execution_stop_time
        .map(|t| t.to_string())
        .unwrap_or_default();
    writeln!(out, "finished: {} at {stopped}", done.status)?;
    Ok(())
}
