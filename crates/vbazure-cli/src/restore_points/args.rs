//! `vbazure restore-points ...`: the command line, as clap reads it.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand, ValueEnum};
use vbazure::{FollowOptions, RestorePointDestination, Workload};

use crate::args::{Waiting, MAX_RUNNING};
use crate::filters::parse_rate;

const LIST_HELP: &str = "\
Lists the restore points of one kind of protected item (API v8.1), newest first per item, with
their id, item, creation time, age, type, destination, size, storage tier and the time until
which they are immutable. The selectors are those of `restore-points delete`, with one
difference: without --keep-last every point is listed, each item's newest too (--keep-last N
leaves out each item's newest N), and immutable points are listed (a deletion leaves them
out). `restore-points delete --dry-run` shows exactly what would go.

Examples:
  vbazure restore-points list --kind vm
  vbazure restore-points list --kind sql --item orders --older-than 90d
  vbazure restore-points list --kind file-share --destination snapshot -o csv > points.csv";

const DELETE_HELP: &str = "\
Deletes restore points one by one (API v8.1: DELETE restorePoints/{kind}/{id}, one session
each). Which ones: every point of the kind (or of the items given with --item / --from-file,
or the points named by id in the file), of the --destination(s) given, created more than
--older-than ago, minus the newest points of each item: the newest one always, the newest N
with --keep-last N; only --allow-deleting-newest lets an item lose its newest point. The
newest points are counted per item among the points of the --destination(s) given.

Before anything is sent the plan is printed: how many points would go, per item how many and
the oldest and newest of them, and the total size where the appliance gives one; points still
immutable (immutableTill in the future) are left out of the plan and counted. A selection
that matches nothing deletes nothing, says so and exits 0. An --item name that several items
have, or that no item of the kind has, stops the run with exit 2, naming the candidates.

On a terminal the command asks for `yes`; --yes skips the question, and without a terminal it
is needed: else nothing is sent (exit 2). --dry-run prints the plan's points (--output table,
json, yaml or csv) and sends no deletion.

A point the appliance refuses (423 Locked: immutable; 404: already gone) is reported on its own
line and the others go on. --journal FILE records every step as delete-backups does (one JSON
line each, fsynced; the ids in `vms` are the restore points', and its `planned` line marks the
journal as one of `restore-points delete --kind K`: a journal of another command or kind is
refused before anything is sent). Running the same command with the same journal skips the
points already deleted or accepted; a point whose deletion was being sent when a run was cut
off is looked up first (after its --request-timeout has passed): gone (404) means that
deletion went through, and it is not sent again; still there, the deletion sessions started
since then that the journal does not name are waited for, and the point is looked up again
before it is sent. The first Ctrl-C starts no more deletions, lets those in flight finish,
prints the command that resumes and exits 130.

Examples:
  vbazure restore-points delete --kind vm --older-than 90d --keep-last 3 --dry-run
  vbazure restore-points delete --kind sql --item orders --older-than 30d --yes --wait
  vbazure restore-points delete --kind vm --from-file old-points.txt --journal rp.jsonl --yes
  vbazure -o json restore-points delete --kind cosmos-db --destination manual-backup \\
      --older-than 180d --yes";

/// `vbazure restore-points ...` (v8.1).
#[derive(Debug, Subcommand)]
pub(crate) enum RestorePoints {
    /// List the restore points of one kind of item, narrowed by the selectors
    #[command(after_help = LIST_HELP)]
    List(ListArgs),
    /// Delete the restore points the selectors choose: a plan first, then one deletion each
    #[command(after_help = DELETE_HELP)]
    Delete(DeleteArgs),
}

/// `restore-points list`.
#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    #[command(flatten)]
    pub selectors: Selectors,
}

/// Which restore points: the same for `list` and `delete`.
#[derive(Debug, Args)]
pub(crate) struct Selectors {
    /// The kind of protected item
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: KindArg,
    /// Only the points of this item: its appliance id, or its name (repeatable); a name that
    /// several items have is refused
    #[arg(long = "item", value_name = "ID|NAME")]
    pub items: Vec<String>,
    /// Only the points created longer ago than this (90d, 12h, 2w)
    #[arg(long, value_name = "AGE", value_parser = parse_age)]
    pub older_than: Option<Duration>,
    /// Keep the newest N points of each item, whatever the other selectors say [default: 1]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..),
          conflicts_with = "allow_deleting_newest")]
    pub keep_last: Option<u32>,
    /// Let the selectors take an item's newest point too (without it, each item keeps at
    /// least its newest point)
    #[arg(long)]
    pub allow_deleting_newest: bool,
    /// Only the points kept there (repeatable)
    #[arg(long = "destination", value_enum, value_name = "WHERE")]
    pub destinations: Vec<DestinationArg>,
}

impl Selectors {
    /// How many of each item's newest points are never deleted.
    pub(crate) fn keep(&self) -> usize {
        match (self.keep_last, self.allow_deleting_newest) {
            (Some(n), _) => n as usize,
            (None, true) => 0,
            (None, false) => 1,
        }
    }
}

/// `restore-points delete`.
#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    #[command(flatten)]
    pub selectors: Selectors,
    /// Read restore point ids, or item ids or names, from a file, one per line (blank lines
    /// and # comments ignored; - for stdin)
    #[arg(long, value_name = "PATH")]
    pub from_file: Option<PathBuf>,
    /// Print the plan and the points that would be deleted; send no deletion
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (needed when there is no terminal to ask on)
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Append every step to this file (JSON lines, each fsynced before the next step); run
    /// the same command with the same journal to resume
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Follow each deletion's session until it ends
    #[arg(long)]
    pub wait: bool,
    #[command(flatten)]
    pub waiting: Waiting,
    /// How many deletion requests are in flight at once
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,
    /// With --wait: the most status requests per second, all sessions together
    #[arg(long, value_name = "N", value_parser = parse_rate,
          default_value_t = FollowOptions::default().requests_per_second)]
    pub max_requests_per_second: f64,
    /// With --wait: the most deletion sessions not yet seen to end; no deletion is sent
    /// while that many are being followed
    #[arg(long, value_name = "N", default_value_t = MAX_RUNNING,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub max_running: u32,
}

/// `--kind`: the kinds of protected item, as the library names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KindArg {
    /// Azure virtual machines.
    Vm,
    /// Azure SQL databases.
    Sql,
    /// Azure Files shares.
    FileShare,
    /// Azure Cosmos DB accounts (their backups in repositories).
    CosmosDb,
}

impl KindArg {
    pub(crate) fn workload(self) -> Workload {
        match self {
            Self::Vm => Workload::Vm,
            Self::Sql => Workload::Sql,
            Self::FileShare => Workload::FileShare,
            Self::CosmosDb => Workload::CosmosDb,
        }
    }
}

/// `--destination`: where a point is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DestinationArg {
    /// A snapshot a policy took.
    Snapshot,
    /// A snapshot taken by hand.
    ManualSnapshot,
    /// A snapshot the appliance found and took over (file shares).
    ImportedSnapshot,
    /// A backup in a repository (Azure blob storage).
    Backup,
    /// A backup taken by hand.
    ManualBackup,
}

impl DestinationArg {
    /// As the API names it.
    pub(crate) fn destination(self) -> RestorePointDestination {
        match self {
            Self::Snapshot => RestorePointDestination::Snapshot,
            Self::ManualSnapshot => RestorePointDestination::ManualSnapshot,
            Self::ImportedSnapshot => RestorePointDestination::ImportedSnapshot,
            Self::Backup => RestorePointDestination::AzureBlob,
            Self::ManualBackup => RestorePointDestination::ManualBackup,
        }
    }
}

/// The longest age taken: a century (restore points are kept for years, unlike the timeouts
/// `--timeout` takes, which stop at a year).
const OLDEST: Duration = Duration::from_secs(100 * 366 * 86_400);

/// An age as humantime reads it (`90d`, `12h`, `2w`, `1y`), as `--timeout` reads durations,
/// but up to a century.
pub(crate) fn parse_age(text: &str) -> Result<Duration, String> {
    let age = humantime::parse_duration(text.trim())
        .map_err(|e| format!("{text:?} is not an age like 90d, 12h or 2w ({e})"))?;
    if age > OLDEST {
        return Err(format!("{text:?} is longer than a century"));
    }
    Ok(age)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_take_days_and_weeks() {
        assert_eq!(parse_age("90d"), Ok(Duration::from_secs(90 * 86_400)));
        assert_eq!(parse_age("2w"), Ok(Duration::from_secs(14 * 86_400)));
        assert_eq!(parse_age(" 12h "), Ok(Duration::from_secs(12 * 3600)));
        assert!(parse_age("400d").is_ok());
        assert!(parse_age("ninety days").is_err());
        assert!(parse_age("200y").is_err());
    }
}
