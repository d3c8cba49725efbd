//! The counts of a run by outcome, and the summary line they make.

use super::Target;
use crate::exit::Exit;

/// Counts of items (and sessions) by outcome, and the exit code so far.
#[derive(Default)]
pub(super) struct Tally {
    pub(super) started: usize,
    pub(super) succeeded: usize,
    pub(super) warned: usize,
    pub(super) failed: usize,
    pub(super) running: usize,
    pub(super) nothing: usize,
    pub(super) sessions: usize,
    /// Items a removal may have been sent for by an earlier run that nothing accounts for.
    pub(super) unknown: usize,
    pub(super) exit: Option<Exit>,
}

impl Tally {
    pub(super) fn worst(&mut self, exit: Exit) {
        self.exit = Some(self.exit.map_or(exit, |e| e.max(exit)));
    }

    /// `vms` items whose session ended with the outcome `this`.
    pub(super) fn count_ended(&mut self, this: Exit, vms: usize) {
        match this {
            Exit::Ok => self.succeeded += vms,
            Exit::Warning => self.warned += vms,
            _ => self.failed += vms,
        }
        self.worst(this);
    }
}

/// The summary line: items by outcome, and with batches the requests and sessions.
pub(super) fn summary(
    target: Target,
    total: usize,
    tally: &Tally,
    wait: bool,
    batches: Option<usize>,
) -> String {
    let items = target.count(total);
    let head = match batches {
        None => format!("summary: {items}"),
        Some(requests) => format!(
            "summary: {items} in {requests} batch request(s), {} session(s)",
            tally.sessions
        ),
    };
    let mut line = if wait {
        let mut line = format!(
            "{head}: {} succeeded, {} ended with warnings, {} failed",
            tally.succeeded, tally.warned, tally.failed
        );
        if tally.running > 0 {
            line.push_str(&format!(
                ", {} still running on the appliance (wait timed out)",
                tally.running
            ));
        }
        line
    } else if batches.is_some() {
        format!("{head}: {} started, {} failed", tally.started, tally.failed)
    } else {
        format!(
            "{head}: {} deletion session(s) started, {} failed",
            tally.started, tally.failed
        )
    };
    if tally.nothing > 0 {
        line.push_str(&format!(
            ", {} with no {} to delete",
            tally.nothing,
            target.what()
        ));
    }
    if tally.unknown > 0 {
        line.push_str(&format!(
            ", {} unknown (a deletion may have been sent: not sent again)",
            tally.unknown
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::{summary, Tally, Target};
    use vbazure::{Removal, Workload};

    const VMS: Target = Target {
        workload: Workload::Vm,
        removal: Removal::Backups,
        tier: None,
    };

    #[test]
    fn the_summary_counts_vms_and_with_batches_sessions() {
        let tally = Tally {
            succeeded: 1500,
            failed: 1000,
            sessions: 3,
            ..Tally::default()
        };
        assert_eq!(
            summary(VMS, 2500, &tally, true, Some(3)),
            "summary: 2500 VM(s) in 3 batch request(s), 3 session(s): 1500 succeeded, 0 ended \
             with warnings, 1000 failed"
        );
        let tally = Tally {
            started: 2,
            nothing: 1,
            ..Tally::default()
        };
        assert_eq!(
            summary(VMS, 3, &tally, false, None),
            "summary: 3 VM(s): 2 deletion session(s) started, 0 failed, 1 with no backups to delete"
        );
        let shares = Target {
            workload: Workload::FileShare,
            removal: Removal::ManualSnapshots,
            tier: None,
        };
        assert_eq!(
            summary(shares, 3, &tally, false, Some(1)),
            "summary: 3 file share(s) in 1 batch request(s), 0 session(s): 2 started, 0 failed, \
             1 with no manual snapshots to delete"
        );
    }
}
