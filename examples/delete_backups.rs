//! The "delete a VM's backups, then follow the job session" flow through the generated client,
//! against a local stand-in for the appliance that answers with the examples documented in
//! `openapi.yaml` (the mock appliance and the CLI of later milestones replace it).
//!
//! Run: `cargo run --example delete_backups [VM_ID]`

use std::error::Error;
use std::io::Write;
use std::path::Path;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use serde_json::Value;
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
    let appliance = MockServer::start().await;
    let json = |body: Value| ResponseTemplate::new(200).set_body_json(body);
    Mock::given(method("POST"))
        .and(path_regex(r"^/api/v1/virtualMachines/[^/]+/deleteBackups$"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(json(example("deleteBackups.200")?))
        .mount(&appliance)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(r"^/api/v1/jobSessions/11$"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(json(example("getJobSession.200.finished")?))
        .mount(&appliance)
        .await;
    writeln!(out, "appliance (local stand-in): {}", appliance.uri())?;

    let mut headers = HeaderMap::new();
    headers.insert(
        AUTHORIZATION,
        HeaderValue::from_str(&format!("Bearer {token}"))?,
    );
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()?;
    let client = vbazure::Client::new_with_client(&appliance.uri(), http);

    let mut session = client.delete_backups().id(vm_id).send().await?.into_inner();
    writeln!(
        out,
        "deleteBackups {vm_id}: session {} {} {}",
        session.id, session.type_, session.status
    )?;
    while !session.is_finished() {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        session = client
            .get_job_session()
            .session_id(&session.id)
            .send()
            .await?
            .into_inner();
        writeln!(
            out,
            "session {}: {} after {:#}",
            session.id, session.status, session.execution_duration
        )?;
    }
    let stopped = session
        .execution_stop_time
        .map(|t| t.to_string())
        .unwrap_or_default();
    writeln!(out, "finished: {} at {stopped}", session.status)?;
    Ok(())
}
