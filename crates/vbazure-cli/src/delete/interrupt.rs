//! Ctrl-C: what is still running, and the command that resumes.

use std::collections::BTreeMap;

use super::Target;
use crate::args::DeleteOptions;
use crate::exit::Exit;

/// Waits for Ctrl-C: the first is sent on `first`; the second exits at once (each journal
/// line is written whole and fsynced before its step, so the journal is consistent: at most
/// a line being written is cut, and a resumed run leaves it out).
pub(crate) async fn watch_interrupts(first: tokio::sync::mpsc::UnboundedSender<()>) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    let _ = first.send(());
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("vbazure: interrupted again: exiting now (the sessions go on on the appliance)");
        std::process::exit(i32::from(Exit::Interrupted.code()));
    }
}

/// After an interrupt (or a journal that cannot be written): the sessions still running, and
/// how to resume.
pub(super) fn report_stopped(
    running: &BTreeMap<String, String>,
    not_started: &[String],
    options: &DeleteOptions,
    target: Target,
    interrupted: bool,
) {
    if !running.is_empty() {
        eprintln!(
            "vbazure: {} session(s) not seen to end; they go on on the appliance:",
            running.len()
        );
        for (id, label) in running {
            eprintln!("  {label}  session {id}");
        }
    }
    if !not_started.is_empty() {
        eprintln!("vbazure: {} not sent", target.count(not_started.len()));
    }
    match (&options.journal, interrupted) {
        (Some(_), true) => eprintln!(
            "vbazure: to resume (what was accepted is followed, not sent again): {}",
            resume_command()
        ),
        (Some(path), false) => eprintln!(
            "vbazure: fix the journal {} (disk full? permissions?), then run the same command \
             again to resume",
            path.display()
        ),
        (None, _) => {
            let shown: Vec<&str> = not_started.iter().take(10).map(String::as_str).collect();
            if !shown.is_empty() {
                let more = not_started.len() - shown.len();
                eprintln!(
                    "vbazure: not sent: {}{}; run again with only these (pass --journal FILE to \
                     make a run resumable)",
                    shown.join(" "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
}

/// This command line, quoted for a shell, without a `--token` (it comes from VBAZURE_TOKEN).
pub(crate) fn resume_command() -> String {
    let mut words = Vec::new();
    let mut skip = false;
    for arg in std::env::args() {
        if skip {
            skip = false;
            continue;
        }
        if arg == "--token" {
            skip = true;
            continue;
        }
        if arg.starts_with("--token=") {
            continue;
        }
        words.push(shell_quote(&arg));
    }
    words.join(" ")
}

pub(super) fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,@%+".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}
