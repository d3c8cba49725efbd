//! The question before deleting, and the refusal to delete without one.

use std::io::{IsTerminal, Write};

use super::Target;
use crate::args::DeleteOptions;
use crate::exit::Exit;
use crate::Failure;

/// Asks on the terminal for `yes`; anything else (or no terminal) stops the run, nothing sent.
pub(super) fn confirm(labels: &[&str], target: Target) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal(target));
    }
    let shown: Vec<&str> = labels.iter().take(CONFIRM_SHOWN).copied().collect();
    let more = labels.len() - shown.len();
    eprintln!(
        "vbazure: about to delete {} of {}: {}{}. This cannot be undone.",
        target.which(),
        target.count(labels.len()),
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

/// A removal with no terminal to confirm on and no `--yes`: refused, nothing sent.
pub(super) fn no_terminal(target: Target) -> Failure {
    Failure::new(
        Exit::Usage,
        format!(
            "{} deletes {} for good and asks first, but there is no terminal to ask on: pass \
             --yes to confirm (or --dry-run to see what would be deleted); nothing was sent",
            target.command(),
            target.what()
        ),
    )
}

/// Whether the run must be refused before anything is sent: no `--yes`, no terminal.
pub(super) fn refuse_without_terminal(
    options: &DeleteOptions,
    target: Target,
    mock: bool,
) -> Result<(), Failure> {
    if options.yes || options.dry_run || mock || std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(no_terminal(target))
    }
}

/// At most this many items are named in the question.
pub(super) const CONFIRM_SHOWN: usize = 5;
