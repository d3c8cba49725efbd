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

/// Writes `vbazure.1` and one page per visible command and subcommand
/// (`vbazure-sessions-list.1`, as git names its pages) into `dir`, and returns how many were
/// written.
pub(crate) fn man_pages(dir: &Path) -> Result<usize, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::new(
            Exit::Usage,
            format!("cannot make the directory {}: {e}", dir.display()),
        )
    })?;
    let mut command = Cli::command().disable_help_subcommand(true);
    // Gives each subcommand its full name (`vbazure-sessions-list`) and the global flags.
    command.build();
    write_pages(command, dir)
}

/// The page of `command`, then those of its visible subcommands; the number written.
fn write_pages(command: clap::Command, dir: &Path) -> Result<usize, Failure> {
    let mut written = 0;
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        written += write_pages(sub.clone(), dir)?;
    }
    let page = clap_mangen::Man::new(command);
    page.generate_to(dir).map_err(|e| {
        Failure::new(
            Exit::Usage,
            format!(
                "cannot write {}: {e}",
                dir.join(page.get_filename()).display()
            ),
        )
    })?;
    Ok(written + 1)
}
