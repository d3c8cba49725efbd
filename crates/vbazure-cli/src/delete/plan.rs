//! The first stage: what the journal of earlier runs leaves to do, and the requests to make.
//! Nothing is sent here.

use vbazure::{SessionStatus, Timestamp, BATCH_LIMIT};

use super::tally::Tally;
use super::Target;
use crate::exit::Exit;
use crate::journal::{self, State};
use crate::output::Printer;

/// What one removal request names: one item, or a batch of them.
pub(super) struct Unit {
    /// How lines name it: the item's id (its name with `--by-name`), or
    /// `batch 2/3 (1000 VMs)`.
    pub(super) label: String,
    /// The item ids of the request.
    pub(super) ids: Vec<String>,
    /// Whether it is a batch request (v8.1 `deleteVirtualMachinesBackups`,
    /// `deleteFileSharesSnapshots`, ...).
    pub(super) batch: bool,
}

/// What the journal of earlier runs leaves to do: the items to send, the sessions to follow
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
    target: Target,
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
                    "{label}  no {} to delete (recorded by an earlier run)",
                    target.what()
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
                    unit.label =
                        format!("{} {} of session {session}", unit.ids.len(), target.nouns());
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

/// The requests to make: one per item, or with `--batch` (and always for file shares) one per
/// [`BATCH_LIMIT`] items.
pub(super) fn units(target: Target, targets: Vec<(String, String)>, batch: bool) -> Vec<Unit> {
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
                "batch {}/{count} ({} {}{})",
                i + 1,
                chunk.len(),
                target.noun(),
                if chunk.len() == 1 { "" } else { "s" }
            ),
            ids: chunk.to_vec(),
            batch: true,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{units, Target};
    use vbazure::{Removal, Workload};

    const VMS: Target = Target {
        workload: Workload::Vm,
        removal: Removal::Backups,
        tier: None,
    };

    fn targets(n: usize) -> Vec<(String, String)> {
        (0..n)
            .map(|i| (format!("vm-{i}"), format!("vm-{i}")))
            .collect()
    }

    #[test]
    fn batches_hold_at_most_the_limit_in_the_order_given() {
        let batches = units(VMS, targets(2500), true);
        let sizes: Vec<usize> = batches.iter().map(|u| u.ids.len()).collect();
        assert_eq!(sizes, [1000, 1000, 500]);
        assert_eq!(batches[0].label, "batch 1/3 (1000 VMs)");
        assert_eq!(batches[2].ids[0], "vm-2000");
        assert_eq!(batches[2].ids[499], "vm-2499");
        assert!(batches.iter().all(|u| u.batch));
        assert_eq!(units(VMS, targets(3), false).len(), 3);
        assert_eq!(units(VMS, targets(1), true)[0].label, "batch 1/1 (1 VM)");
        let shares = Target {
            workload: Workload::FileShare,
            removal: Removal::Snapshots,
            tier: None,
        };
        assert_eq!(
            units(shares, targets(2), true)[0].label,
            "batch 1/1 (2 file shares)"
        );
    }
}
