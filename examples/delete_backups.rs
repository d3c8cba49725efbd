//! The library flow, "delete a VM's backups, then follow the job session", against the mock
//! appliance started in-process (`vbazure-mock`). For a real appliance, build the `Appliance`
//! with its URL and credentials instead.
//!
//! Run: `cargo run --example delete_backups [VM_ID]`

use std::error::Error;
use std::io::Write;
use std::time::Duration;

use vbazure::{Appliance, WaitOptions};
use vbazure_mock::{MockAppliance, Progress};

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let vm_id = std::env::args().nth(1);
    run(vm_id.as_deref(), &mut std::io::stdout()).await
}

/// Deletes the backups of `vm_id` (the documentation's example VM by default) and follows the
/// session to its end, writing what happens to `out`.
pub async fn run(vm_id: Option<&str>, out: &mut impl Write) -> Result<(), Box<dyn Error>> {
    let vm_id = vm_id.unwrap_or("ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy");
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(2))
        .start()
        .await?;
    writeln!(out, "appliance (mock): {}", mock.url())?;

    // The URL and credentials of this appliance: for a real one, its address and an account.
    let credentials = mock.config();
    let appliance = Appliance::builder(mock.url())
        .credentials(credentials.username, credentials.password)
        .build()?;
    appliance.login().await?;
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
    let mut changes = Vec::new();
    let done = appliance
        .wait_session(session, &options, |s| {
            changes.push(format!("session {}: {}", s.id, s.status))
        })
        .await?;
    for line in changes {
        writeln!(out, "{line}")?;
    }
    writeln!(
        out,
        "finished: {} after {:#}",
        done.status, done.execution_duration
    )?;
    for item in appliance.job_session_log(&done.id).await?.log {
        writeln!(out, "log: {} {}", item.status, item.message)?;
    }
    Ok(())
}
