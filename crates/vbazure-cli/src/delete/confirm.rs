//! The question before deleting, and the refusal to delete without one.

use std::io::{IsTerminal, Write};

use crate::args::DeleteBackups;
use crate::exit::Exit;
use crate::Failure;

/// Asks on the terminal for `yes`; anything else (or no terminal) stops the run, nothing sent.
pub(super) fn confirm(labels: &[&str], args: &DeleteBackups) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    let shown: Vec<&str> = labels.iter().take(CONFIRM_SHOWN).copied().collect();
    let more = labels.len() - shown.len();
    let which = match args.backup_tier {
        Some(tier) if tier != crate::args::TierArg::All => {
            format!("the {} backups", tier.tier())
        }
        _ => "every backup".to_string(),
    };
    eprintln!(
        "vbazure: about to delete {which} of {} VM(s): {}{}. This cannot be undone.",
        labels.len(),
        shown.join(", "),
        if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        }
    );
    eprint!("Type yes to go on: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let read = std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(Exit::Usage, format!("cannot read the answer: {e}")))?;
    if read == 0 {
        // The input ended (Ctrl-D) on the prompt's line: the error goes on a line of its own.
        eprintln!();
    }
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(Failure::new(
            Exit::Usage,
            "not confirmed (the answer was not `yes`): nothing was deleted".to_string(),
        ))
    }
}

/// `delete-backups` with no terminal to confirm on and no `--yes`: refused, nothing sent.
pub(crate) fn no_terminal() -> Failure {
    Failure::new(
        Exit::Usage,
        "delete-backups deletes backups for good and asks first, but there is no terminal to \
         ask on: pass --yes to confirm (or --dry-run to see what would be deleted); nothing was \
         sent"
            .to_string(),
    )
}

/// Whether the run must be refused before anything is sent: no `--yes`, no terminal.
pub(crate) fn refuse_without_terminal(args: &DeleteBackups, mock: bool) -> Result<(), Failure> {
    if args.yes || args.dry_run || mock || std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(no_terminal())
    }
}

/// At most this many VMs are named in the question.
pub(super) const CONFIRM_SHOWN: usize = 5;
