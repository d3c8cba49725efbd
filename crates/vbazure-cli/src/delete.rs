//! `vbazure delete-backups`: many VMs, a few at a time, each followed to its end if asked.

use futures_util::StreamExt;
use vbazure::{Appliance, DeleteOutcome, Session, WaitOptions};

use crate::args::{DeleteBackups, Waiting};
use crate::exit::Exit;
use crate::output::{duration, Printer};
use crate::progress::Progress;
use crate::{error_line, ids, Failure};

/// What happened to one VM.
enum Outcome {
    Started(Session),
    Finished(Session),
    /// The appliance had no backups of the VM to remove (v8.1's 204).
    NothingToDelete,
    Failed(vbazure::Error),
}

pub(crate) async fn run(
    appliance: &Appliance,
    args: &DeleteBackups,
    printer: Printer,
) -> Result<Exit, Failure> {
    let (vm_ids, duplicates) = ids::collect(&args.vm_ids, args.from_file.as_deref())?;
    if duplicates > 0 {
        eprintln!("vbazure: {duplicates} duplicate VM id(s) skipped: each VM is deleted once");
    }
    let progress = Progress::new(args.wait && !printer.json());
    let options = wait_options(&args.waiting);
    let mut outcomes = futures_util::stream::iter(vm_ids.iter())
        .map(|vm_id| one_vm(appliance, vm_id, args.wait.then_some(&options), &progress))
        .buffer_unordered(args.concurrency as usize);

    let mut exit = Exit::Ok;
    let (mut succeeded, mut warned, mut failed, mut running, mut started) = (0, 0, 0, 0, 0);
    let mut nothing = 0;
    while let Some((vm_id, outcome)) = outcomes.next().await {
        match outcome {
            Outcome::Started(session) => {
                started += 1;
                progress.print(|| {
                    printer.text(&format!(
                        "{vm_id}  session {}  {}",
                        session.id, session.status
                    ));
                    printer.object(&session);
                });
            }
            Outcome::Finished(session) => {
                let this = Exit::of_finished(&session);
                match this {
                    Exit::Ok => succeeded += 1,
                    Exit::Warning => warned += 1,
                    _ => failed += 1,
                }
                exit = exit.max(this);
                progress.print(|| {
                    printer.text(&format!(
                        "{vm_id}  session {}  {}  {}",
                        session.id,
                        session.status,
                        duration(&session)
                    ));
                    printer.object(&session);
                });
            }
            Outcome::NothingToDelete => {
                nothing += 1;
                progress.print(|| printer.text(&format!("{vm_id}  no backups to delete")));
            }
            Outcome::Failed(error) => {
                let this = Exit::of_error(&error);
                if this == Exit::TimedOut {
                    running += 1;
                } else {
                    failed += 1;
                }
                exit = exit.max(this);
                progress.print(|| eprintln!("error: {}", error_line(&vm_id, &error)));
            }
        }
    }
    let total = vm_ids.len();
    let mut summary = if args.wait {
        let mut line = format!("summary: {total} VM(s): {succeeded} succeeded, {warned} ended with warnings, {failed} failed");
        if running > 0 {
            line.push_str(&format!(
                ", {running} still running on the appliance (wait timed out)"
            ));
        }
        line
    } else {
        format!("summary: {total} VM(s): {started} deletion session(s) started, {failed} failed")
    };
    if nothing > 0 {
        summary.push_str(&format!(", {nothing} with no backups to delete"));
    }
    printer.summary(&summary);
    Ok(exit)
}

pub(crate) fn wait_options(waiting: &Waiting) -> WaitOptions {
    WaitOptions {
        timeout: waiting.timeout,
        initial_interval: waiting.poll_interval,
        max_interval: WaitOptions::default()
            .max_interval
            .max(waiting.poll_interval),
    }
}

async fn one_vm(
    appliance: &Appliance,
    vm_id: &str,
    wait: Option<&WaitOptions>,
    progress: &Progress,
) -> (String, Outcome) {
    let session = match appliance.delete_backups(vm_id).await {
        Ok(DeleteOutcome::Started(session)) => session,
        Ok(DeleteOutcome::NothingToDelete) => return (vm_id.to_string(), Outcome::NothingToDelete),
        Err(error) => return (vm_id.to_string(), Outcome::Failed(error)),
    };
    let Some(options) = wait else {
        return (vm_id.to_string(), Outcome::Started(session));
    };
    let line = progress.line(format!(
        "{vm_id}  session {}  {}",
        session.id, session.status
    ));
    let outcome = match appliance
        .wait_session(session, options, |s| {
            line.update(format!("{vm_id}  session {}  {}", s.id, s.status))
        })
        .await
    {
        Ok(done) => Outcome::Finished(done),
        Err(error) => Outcome::Failed(error),
    };
    (vm_id.to_string(), outcome)
}
