//! The counts of a run by outcome, and the summary line they make.

use crate::exit::Exit;

/// Counts of restore points by outcome, and the exit code so far.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// How many points the plan has this run delete (or follow).
    pub total: usize,
    pub started: usize,
    pub succeeded: usize,
    pub warned: usize,
    pub failed: usize,
    /// Sessions still running when `--timeout` ended the wait.
    pub running: usize,
    /// Points gone already (404), or found gone after a cut-off run.
    pub gone: usize,
    /// Points the appliance refused to delete: immutable (423).
    pub locked: usize,
    /// Points done by an earlier run of the journal.
    pub earlier: usize,
    pub exit: Option<Exit>,
}

impl Tally {
    pub(crate) fn worst(&mut self, exit: Exit) {
        self.exit = Some(self.exit.map_or(exit, |e| e.max(exit)));
    }

    /// A point whose session ended with the outcome `this`.
    pub(crate) fn count_ended(&mut self, this: Exit) {
        match this {
            Exit::Ok => self.succeeded += 1,
            Exit::Warning => self.warned += 1,
            _ => self.failed += 1,
        }
        self.worst(this);
    }

    /// `summary: 12 restore point(s): ...`.
    pub(crate) fn summary(&self, wait: bool) -> String {
        let mut line = format!("summary: {} restore point(s): ", self.total);
        if wait {
            line.push_str(&format!(
                "{} deleted, {} ended with warnings, {} failed",
                self.succeeded, self.warned, self.failed
            ));
            if self.running > 0 {
                line.push_str(&format!(
                    ", {} still running on the appliance (wait timed out)",
                    self.running
                ));
            }
        } else {
            line.push_str(&format!(
                "{} deletion session(s) started, {} failed",
                self.started, self.failed
            ));
        }
        if self.locked > 0 {
            line.push_str(&format!(
                ", {} locked (immutable: not deleted)",
                self.locked
            ));
        }
        if self.gone > 0 {
            line.push_str(&format!(", {} already gone", self.gone));
        }
        if self.earlier > 0 {
            line.push_str(&format!(
                ", {} done by an earlier run of the journal",
                self.earlier
            ));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn the_summary_counts_points_by_outcome() {
        let tally = Tally {
            total: 5,
            succeeded: 3,
            locked: 1,
            gone: 1,
            ..Tally::default()
        };
        assert_eq!(
            tally.summary(true),
            "summary: 5 restore point(s): 3 deleted, 0 ended with warnings, 0 failed, 1 locked \
             (immutable: not deleted), 1 already gone"
        );
        let tally = Tally {
            total: 2,
            started: 2,
            ..Tally::default()
        };
        assert_eq!(
            tally.summary(false),
            "summary: 2 restore point(s): 2 deletion session(s) started, 0 failed"
        );
    }
}
