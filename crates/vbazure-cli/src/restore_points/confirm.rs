//! The question before deleting, and the refusal to delete without one (as delete-backups
//! asks).

use std::io::{IsTerminal, Write};

use vbazure::Workload;

use super::args::DeleteArgs;
use crate::exit::Exit;
use crate::Failure;

/// Asks on the terminal for `yes`; anything else (or no terminal) stops the run, nothing sent.
pub(crate) fn confirm(points: usize, items: usize, workload: Workload) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(no_terminal());
    }
    eprintln!(
        "vbazure: about to delete {points} {workload} restore point(s) of {items} item(s) (the \
         plan above). This cannot be undone."
    );
    eprint!("Type yes to go on: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let read = std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::new(Exit::Usage, format!("cannot read the answer: {e}")))?;
    if read == 0 {
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

fn no_terminal() -> Failure {
    Failure::new(
        Exit::Usage,
        "restore-points delete deletes restore points for good and asks first, but there is no \
         terminal to ask on: pass --yes to confirm (or --dry-run to see what would be deleted); \
         nothing was sent"
            .to_string(),
    )
}

/// Whether the run must be refused before anything is sent: no `--yes`, no terminal.
pub(crate) fn refuse_without_terminal(args: &DeleteArgs, mock: bool) -> Result<(), Failure> {
    if args.yes || args.dry_run || mock || std::io::stdin().is_terminal() {
        Ok(())
    } else {
        Err(no_terminal())
    }
}
