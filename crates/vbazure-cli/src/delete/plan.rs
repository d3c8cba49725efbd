//! The first stage: what the journal of earlier runs leaves to do, and the requests to make.
//! Nothing is sent here.

use clap::ValueEnum;
use vbazure::{SessionStatus, Timestamp, BATCH_LIMIT};

use super::tally::Tally;
use crate::args::DeleteBackups;
use crate::exit::Exit;
use crate::journal::{self, State};
use crate::output::Printer;

/// What one deletion request names: one VM, or a batch of them.
pub(super) struct Unit {
    /// How lines name it: the VM's id (its name with `--by-name`), or `batch 2/3 (1000 VMs)`.
    pub(super) label: String,
    /// The VM ids of the request.
    pub(super) ids: Vec<String>,
    /// Whether it is a batch request (v8.1 `deleteVirtualMachinesBackups`).
    pub(super) batch: bool,
}

/// What the journal of earlier runs leaves to do: the VMs to send, the sessions to follow
/// again, the deletions to look for first (a cut-off run's), and what is already settled
/// (counted in the tally and printed).
pub(super) struct Plan {
    pub(super) tally: Tally,
    pub(super) to_send: Vec<(String, String)>,
    pub(super) resumed: Vec<(Unit, String)>,
    /// Members of one request an earlier run may have sent, and when it was sent.
    pub(super) uncertain: Vec<(Vec<(String, String)>, Timestamp)>,
    /// The latest time an earlier run's unanswered request could still have been answered.
    pub(super) settled_by: Option<Timestamp>,
}

pub(super) fn plan(
    targets: Vec<(String, String)>,
    earlier: &journal::Read,
    printer: &Printer,
) -> Plan {
    let mut tally = Tally::default();
    let mut to_send: Vec<(String, String)> = Vec::new();
    let mut resumed: Vec<(Unit, String)> = Vec::new();
    let mut uncertain: Vec<(Vec<(String, String)>, Timestamp)> = Vec::new();
    // The latest time an earlier run's unanswered request could still have been answered.
    let mut settled_by: Option<Timestamp> = None;
    for (label, id) in targets {
        match earlier.state(&id) {
            State::Pending => to_send.push((label, id)),
            State::Nothing => {
                tally.nothing += 1;
                printer.text(&format!(
                    "{label}  no backups to delete (recorded by an earlier run)"
                ));
            }
            State::Ended { session, status } => {
                let status: SessionStatus = status.as_str().into();
                let this = match status {
                    SessionStatus::Success => Exit::Ok,
                    SessionStatus::Warning => Exit::Warning,
                    _ => Exit::Failed,
                };
                tally.count_ended(this, 1);
                printer.text(&format!(
                    "{label}  session {session}  {status}  (ended in an earlier run; not sent again)"
                ));
            }
            State::Accepted { session } => match resumed.iter_mut().find(|(_, s)| *s == session) {
                Some((unit, _)) => {
                    unit.ids.push(id);
                    unit.label = format!("{} VMs of session {session}", unit.ids.len());
                }
                None => resumed.push((
                    Unit {
                        label,
                        ids: vec![id],
                        batch: false,
                    },
                    session,
                )),
            },
            State::Uncertain {
                at,
                answer_by,
                group,
            } => {
                if settled_by.is_none_or(|t| t.as_datetime() < answer_by.as_datetime()) {
                    settled_by = Some(answer_by);
                }
                match uncertain
                    .iter_mut()
                    .find(|(members, _)| group.contains(&members[0].1))
                {
                    Some((members, _)) => members.push((label, id)),
                    None => uncertain.push((vec![(label, id)], at)),
                }
            }
        }
    }
    Plan {
        tally,
        to_send,
        resumed,
        uncertain,
        settled_by,
    }
}

/// The requests to make: one per VM, or with `--batch` one per [`BATCH_LIMIT`] VMs.
pub(super) fn units(targets: Vec<(String, String)>, batch: bool) -> Vec<Unit> {
    if !batch {
        return targets
            .into_iter()
            .map(|(label, id)| Unit {
                label,
                ids: vec![id],
                batch: false,
            })
            .collect();
    }
    let ids: Vec<String> = targets.into_iter().map(|(_, id)| id).collect();
    let count = ids.len().div_ceil(BATCH_LIMIT);
    ids.chunks(BATCH_LIMIT)
        .enumerate()
        .map(|(i, chunk)| Unit {
            label: format!(
                "batch {}/{count} ({} VM{})",
                i + 1,
                chunk.len(),
                if chunk.len() == 1 { "" } else { "s" }
            ),
            ids: chunk.to_vec(),
            batch: true,
        })
        .collect()
}

/// `--backup-tier` as the journal records it.
pub(super) fn tier_recorded(args: &DeleteBackups) -> String {
    match args.backup_tier.and_then(|t| t.to_possible_value()) {
        Some(value) => value.get_name().to_string(),
        None => journal::TIER_UNSET.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::units;

    fn targets(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("vm-{i}"), format!("vm-{i}")))
            .collect()
    }

    #[test]
    fn batches_hold_at_most_the_limit_in_the_order_given() {
        let batches = units(targets(2500), true);
        let sizes: Vec<usize> = batches.iter().map(|u| u.ids.len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(batches[0].label, "batch 1/3 (1000 VMs)");
        assert_eq!(batches[2].ids[0], "vm-2000");
        assert_eq!(batches[2].ids[499], "vm-2499");
        assert!(batches.iter().all(|u| u.batch));
        assert_eq!(units(targets(3), false).len(), 3);
        assert_eq!(units(targets(1), true)[0].label, "batch 1/1 (1 VM)");
    }
}
