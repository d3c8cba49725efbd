//! The library flow, "delete a VM's backups, then follow the job session", against the mock
//! appliance started in-process (`vbazure-mock`). For a real appliance, build the `Appliance`
//! with its URL and credentials instead.
//!
//! Run: `cargo run --example delete_backups [VM_ID]`

use std::error::Error;
use std::io::Write;
use std::time::Duration;

use vbazure::{Appliance, DeleteOutcome, WaitOptions};
use vbazure_mock::{MockAppliance, Progress};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let vm_id = std::env::args().nth(1);
    run(vm_id.as_deref(), &mut std::io::stdout()).await
}

/// Deletes the backups of `vm_id` (the documentation's example VM by default) and follows the
/// session to its end, writing what happens to `out`.
pub(crate) async fn run(vm_id: Option<&str>, out: &mut impl Write) -> Result<(), Box<dyn Error>> {
    let vm_id = vm_id.unwrap_or("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64");
    // The mock serves API v8.1 and v1, as an appliance that accepts several versions does; it
    // protects one VM here, named web-01.
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(2))
        .vm("web-01", vm_id)
        .start()
        .await?;
    writeln!(out, "appliance (mock): {}", mock.url())?;

    // The URL and credentials of this appliance: for a real one, its address and an account.
    let credentials = mock.config();
    let appliance = Appliance::builder(mock.url())
        .credentials(credentials.username, credentials.password)
        .build()?;
    appliance.login().await?;
    // The version the appliance speaks is found out on first use (this mock speaks v1; an
    // appliance of today v8.1): the flow is the same.
    let session = match appliance.delete_backups(vm_id).send().await? {
        DeleteOutcome::Started(session) => session,
        DeleteOutcome::NothingToDelete => {
            writeln!(out, "deleteBackups {vm_id}: no backups to delete")?;
            return Ok(());
        }
    };
    writeln!(
        out,
        "deleteBackups {vm_id} (API v{}): session {} {} {}",
        appliance.api_version().await?,
        session.id,
        session
            .session_type
            .as_ref()
            .map_or_else(|| "-".to_string(), ToString::to_string),
        session.status
    )?;
    let defaults = WaitOptions::default();
    let options = defaults
        .clone()
        .with_timeout(Duration::from_secs(60))
        .with_intervals(Duration::from_millis(50), defaults.max_interval);
    let mut changes = Vec::new();
    let done = appliance
        .wait_session(session, &options, |s| {
            changes.push(format!("session {}: {}", s.id, s.status))
        })
        .await?;
    for line in changes {
        writeln!(out, "{line}")?;
    }
    match done.execution_duration {
        Some(took) => writeln!(out, "finished: {} after {took:#}", done.status)?,
        None => writeln!(out, "finished: {}", done.status)?,
    }
    for item in appliance.job_session_log(&done.id).send().await?.entries {
        writeln!(
            out,
            "log: {} {}",
            item.status,
            item.message.unwrap_or_default()
        )?;
    }
    Ok(())
}
