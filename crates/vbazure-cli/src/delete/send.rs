//! One removal request, journaled before it leaves and after its answer.

use vbazure::{Appliance, BatchDeletion, DeleteOutcome, Error, Session};

use super::lookup::may_have_started;
use super::plan::Unit;
use super::Target;
use crate::exit::Exit;
use crate::journal::{self, Event, Journal};
use crate::Failure;

/// What a removal request gave.
pub(super) enum Deleted {
    Started(Session),
    /// The appliance had nothing to remove (v8.1's 204).
    NothingToDelete,
    Failed(Failure),
}

/// One removal request; with a journal, its `sending` line is on disk before the request
/// leaves, and its answer after. Also gives the failure to write the answer's line, if any.
pub(super) async fn delete(
    appliance: &Appliance,
    target: Target,
    unit: Unit,
    journal: Option<&Journal>,
    request_timeout: std::time::Duration,
) -> (Unit, Deleted, Option<Failure>) {
    let context = match unit.ids.as_slice() {
        [_] => unit.label.clone(),
        [first, .., last] => format!("{} (from {first} to {last} as given)", unit.label),
        [] => unit.label.clone(),
    };
    if let Some(journal) = journal {
        let sending = Event::Sending {
            at: journal::now(),
            vms: unit.ids.clone(),
            answer_by: Some(journal::from_now(request_timeout)),
        };
        if let Err(failure) = journal.record(&sending) {
            let not_sent = Failure::new(
                failure.exit,
                format!("{context}: not sent: {}", failure.message),
            );
            return (unit, Deleted::Failed(not_sent), Some(failure));
        }
    }
    let outcome = if unit.batch {
        match send_batch(appliance, target, &unit.ids).await {
            // The unit holds at most BATCH_LIMIT ids: one request, one answer.
            Ok(mut answers) if answers.len() == 1 => answers.remove(0).outcome,
            Ok(answers) => {
                let failure = Failure::new(
                    Exit::Api,
                    format!(
                        "{context}: internal error: {} answers to one batch request",
                        answers.len()
                    ),
                );
                let event = Event::NoAnswer {
                    at: journal::now(),
                    vms: unit.ids.clone(),
                    error: failure.message.clone(),
                };
                let journal_error = journal.and_then(|j| j.record(&event).err());
                return (unit, Deleted::Failed(failure), journal_error);
            }
            Err(e) => Err(e),
        }
    } else {
        let id = unit.ids.first().map_or("", String::as_str);
        send_one(appliance, target, id).await
    };
    let at = journal::now();
    let vms = unit.ids.clone();
    let (deleted, event) = match outcome {
        Ok(DeleteOutcome::Started(session)) => {
            let event = Event::Accepted {
                at,
                vms,
                session: session.id.clone(),
                found: false,
            };
            (Deleted::Started(session), event)
        }
        Ok(DeleteOutcome::NothingToDelete) => {
            (Deleted::NothingToDelete, Event::NothingToDelete { at, vms })
        }
        Err(e) => {
            let failure = Failure::api(&context, &e);
            let error = e.to_string();
            let event = if may_have_started(&e) {
                Event::NoAnswer { at, vms, error }
            } else {
                Event::Refused { at, vms, error }
            };
            (Deleted::Failed(failure), event)
        }
    };
    let journal_error = journal.and_then(|j| j.record(&event).err());
    (unit, deleted, journal_error)
}

/// The request for one item: VMs' backups as the first versions sent it (v1 has it too),
/// every other removal through the appliance's removal of that kind.
async fn send_one(appliance: &Appliance, target: Target, id: &str) -> Result<DeleteOutcome, Error> {
    let tier = target.backup_tier();
    if target.is_vm_backups() {
        appliance.delete_backups(id).tier(tier).send().await
    } else {
        appliance
            .removing(target.workload, target.removal)
            .tier(tier)
            .of(id)
            .send()
            .await
    }
}

/// The batch request for `ids` (at most [`BATCH_LIMIT`](vbazure::BATCH_LIMIT)).
async fn send_batch(
    appliance: &Appliance,
    target: Target,
    ids: &[String],
) -> Result<Vec<BatchDeletion>, Error> {
    let tier = target.backup_tier();
    if target.is_vm_backups() {
        appliance.delete_backups_batch(ids).tier(tier).send().await
    } else {
        appliance
            .removing(target.workload, target.removal)
            .tier(tier)
            .of_batch(ids)
            .send()
            .await
    }
}
