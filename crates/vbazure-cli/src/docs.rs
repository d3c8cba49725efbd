//! `vbazure completions` and `vbazure man-pages`: both made from the clap definitions in
//! `args.rs`, so they cannot drift from what the command accepts.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;
use clap_complete::Shell as Generator;

use crate::args::{Cli, Shell};
use crate::exit::Exit;
use crate::Failure;

/// Writes the completion script for `shell` to `out`.
pub(crate) fn completions(shell: Shell, out: &mut dyn Write) {
    let generator = match shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::Powershell => Generator::PowerShell,
    };
    let mut command = Cli::command();
    clap_complete::generate(generator, &mut command, "vbazure", out);
}

/// Writes `vbazure.1` and one page per command and subcommand (`vbazure-sessions-list.1`, as
/// git names its pages) into `dir`, and returns how many were written.
pub(crate) fn man_pages(dir: &Path) -> Result<usize, Failure> {
    let fail =
        |what: String| move |e: std::io::Error| Failure::new(Exit::Usage, format!("{what}: {e}"));
    std::fs::create_dir_all(dir)
        .map_err(fail(format!("cannot make the directory {}", dir.display())))?;
    clap_mangen::generate_to(Cli::command(), dir).map_err(fail(format!(
        "cannot write the man pages into {}",
        dir.display()
    )))?;
    Ok(count(&Cli::command().disable_help_subcommand(true)))
}

/// The pages `generate_to` writes: the command and each of its visible subcommands.
fn count(command: &clap::Command) -> usize {
    1 + command
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(count)
        .sum::<usize>()
}
