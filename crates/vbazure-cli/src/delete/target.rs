//! What a run removes: the kind of protected item, the removal, and the backup tier; and what
//! follows from it (the words of the lines, the session type a lost request is looked for by,
//! whether requests are batches). Every stage reads one [`Target`]: one pipeline for every
//! kind.

use clap::ValueEnum;
use vbazure::v8_1::types::{BackupTier, SessionTypeFilter};
use vbazure::{Removal, Workload};

use crate::args::{BackupsKind, Command, DeleteBackups, DeleteOptions, DeleteSnapshots, TierArg};
use crate::exit::Exit;
use crate::journal;
use crate::Failure;

/// What a run removes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub(crate) workload: Workload,
    pub(crate) removal: Removal,
    /// `--backup-tier` (only where the removal takes one).
    pub(crate) tier: Option<TierArg>,
}

/// A removal command as the stages read it: its options and what it removes.
pub(crate) struct Asked<'a> {
    pub(crate) options: &'a DeleteOptions,
    pub(crate) target: Target,
}

/// The removal `command` asks for, checked (a usage error, exit 2, before anything is sent);
/// an internal error for a command that removes nothing.
pub(crate) fn asked(command: &Command) -> Result<Asked<'_>, Failure> {
    match command {
        Command::DeleteBackups(args) => Ok(Asked {
            options: &args.options,
            target: Target::of_backups(args)?,
        }),
        Command::DeleteSnapshots(args) => Ok(Asked {
            options: &args.options,
            target: Target::of_snapshots(args)?,
        }),
        _ => Err(Failure::new(
            Exit::Api,
            "internal error: a command that removes nothing reached the removal".to_string(),
        )),
    }
}

fn usage(message: String) -> Failure {
    Failure::new(Exit::Usage, format!("{message}; nothing was sent"))
}

impl Target {
    /// `delete-backups`: the kind's backups, manual backups (`--manual-only`) or continuous
    /// backups (`--continuous`).
    pub(crate) fn of_backups(args: &DeleteBackups) -> Result<Self, Failure> {
        let workload = match args.kind {
            BackupsKind::Vm => Workload::Vm,
            BackupsKind::Sql => Workload::Sql,
            BackupsKind::CosmosDb => Workload::CosmosDb,
            BackupsKind::FileShare => {
                let manual = if args.manual_only {
                    " --manual-only"
                } else {
                    ""
                };
                return Err(usage(format!(
                    "delete-backups --kind file-share: the appliance keeps no backups of file \
                     shares to remove, only snapshots: use `vbazure delete-snapshots --kind \
                     file-share{manual}` (with --manual-only for the snapshots taken by hand)"
                )));
            }
        };
        let removal = match (args.manual_only, args.continuous) {
            (false, false) => Removal::Backups,
            (true, _) => Removal::ManualBackups,
            (false, true) => Removal::ContinuousBackups,
        };
        if workload == Workload::Vm && removal == Removal::ManualBackups {
            return Err(usage(
                "--manual-only: the appliance removes a VM's backups all together (or one \
                 --backup-tier), not its manual ones apart; for the snapshots of a VM taken by \
                 hand use `vbazure delete-snapshots --manual-only`"
                    .to_string(),
            ));
        }
        if removal == Removal::ContinuousBackups && workload != Workload::CosmosDb {
            return Err(usage(
                "--continuous: only Cosmos DB accounts have continuous backups (--kind \
                 cosmos-db)"
                    .to_string(),
            ));
        }
        let target = Self {
            workload,
            removal,
            tier: args.backup_tier,
        };
        target.checked(&args.options)
    }

    /// `delete-snapshots`: the kind's snapshots, or its manual ones (`--manual-only`).
    pub(crate) fn of_snapshots(args: &DeleteSnapshots) -> Result<Self, Failure> {
        let workload = match args.kind {
            crate::args::SnapshotsKind::Vm => Workload::Vm,
            crate::args::SnapshotsKind::FileShare => Workload::FileShare,
        };
        let removal = if args.manual_only {
            Removal::ManualSnapshots
        } else {
            Removal::Snapshots
        };
        Self {
            workload,
            removal,
            tier: None,
        }
        .checked(&args.options)
    }

    /// The target, if the appliance offers it with these options.
    fn checked(self, options: &DeleteOptions) -> Result<Self, Failure> {
        if !self.removal.is_offered(self.workload) {
            return Err(usage(format!(
                "the appliance has no removal of the {} of {}",
                self.what(),
                self.nouns()
            )));
        }
        if self.tier.is_some() && !self.removal.takes_tier(self.workload) {
            return Err(usage(format!(
                "--backup-tier: the removal of the {} of {} takes no tier",
                self.what(),
                self.nouns()
            )));
        }
        if options.batch && !self.batchable() {
            return Err(usage(format!(
                "--batch: the appliance removes the {} of {} one per request; it has no batch \
                 request for them",
                self.what(),
                self.nouns()
            )));
        }
        Ok(self)
    }

    /// VMs' backups: the removal API v1 has too (`delete_backups`), whose output and requests
    /// are those of the first versions of `delete-backups`.
    pub(crate) fn is_vm_backups(self) -> bool {
        self.workload == Workload::Vm && self.removal == Removal::Backups
    }

    /// The command that makes this removal.
    pub(crate) fn command(self) -> &'static str {
        match self.removal {
            Removal::Snapshots | Removal::ManualSnapshots => "delete-snapshots",
            Removal::Backups | Removal::ManualBackups | Removal::ContinuousBackups => {
                "delete-backups"
            }
        }
    }

    /// The command and the flags that make this removal (not the tier):
    /// `delete-snapshots --kind file-share --manual-only`.
    pub(crate) fn command_line(self) -> String {
        let mut line = self.command().to_string();
        if self.workload != Workload::Vm {
            line.push_str(&format!(" --kind {}", self.workload));
        }
        match self.removal {
            Removal::ManualBackups | Removal::ManualSnapshots => line.push_str(" --manual-only"),
            Removal::ContinuousBackups => line.push_str(" --continuous"),
            Removal::Backups | Removal::Snapshots => {}
        }
        line
    }

    /// The flag that needs API v8.1, when the removal does (every one but VMs' backups).
    pub(crate) fn v8_1_flag(self) -> Option<&'static str> {
        if self.is_vm_backups() {
            None
        } else if self.command() == "delete-snapshots" {
            Some("delete-snapshots")
        } else if self.workload != Workload::Vm {
            Some(match self.workload {
                Workload::Sql => "--kind sql",
                Workload::CosmosDb => "--kind cosmos-db",
                Workload::FileShare => "--kind file-share",
                Workload::Vm => "--kind vm",
            })
        } else {
            Some("--manual-only")
        }
    }

    /// One item, as lines name it: `VM`, `SQL database`, ...
    pub(crate) fn noun(self) -> &'static str {
        match self.workload {
            Workload::Vm => "VM",
            Workload::Sql => "SQL database",
            Workload::CosmosDb => "Cosmos DB account",
            Workload::FileShare => "file share",
        }
    }

    /// Several items: `VMs`, `SQL databases`, ...
    pub(crate) fn nouns(self) -> String {
        format!("{}s", self.noun())
    }

    /// `n VM(s)`, `n SQL database(s)`.
    pub(crate) fn count(self, n: usize) -> String {
        format!("{n} {}(s)", self.noun())
    }

    /// What goes: `backups`, `manual snapshots`, ...
    pub(crate) fn what(self) -> &'static str {
        match self.removal {
            Removal::Backups => "backups",
            Removal::ManualBackups => "manual backups",
            Removal::ContinuousBackups => "continuous backups",
            Removal::Snapshots => "snapshots",
            Removal::ManualSnapshots => "manual snapshots",
        }
    }

    /// What the question says goes: `every backup`, `the Archive backups`, `the manual
    /// snapshots`.
    pub(crate) fn which(self) -> String {
        match (self.removal, self.tier) {
            (Removal::Backups, Some(tier)) if tier != TierArg::All => {
                format!("the {} backups", tier.tier())
            }
            (Removal::Backups, _) => "every backup".to_string(),
            (Removal::Snapshots, _) => "every snapshot".to_string(),
            _ => format!("the {}", self.what()),
        }
    }

    /// The type of the sessions this removal starts, by which one a cut-off run may have
    /// started is looked for (the document's examples).
    pub(crate) fn session_type(self) -> SessionTypeFilter {
        match (self.workload, self.removal) {
            (Workload::Vm, Removal::Snapshots) => SessionTypeFilter::SnapshotDeletion,
            (Workload::Vm, Removal::ManualSnapshots) => SessionTypeFilter::ManualSnapshotDeletion,
            (Workload::Sql, _) => SessionTypeFilter::SqlBackupDeletion,
            (Workload::CosmosDb, Removal::ContinuousBackups) => {
                SessionTypeFilter::CosmosDbContinuousBackupDeletion
            }
            (Workload::CosmosDb, _) => SessionTypeFilter::CosmosDbBackupDeletion,
            (Workload::FileShare, Removal::ManualSnapshots) => {
                SessionTypeFilter::FileShareManualSnapshotDeletion
            }
            (Workload::FileShare, _) => SessionTypeFilter::FileShareSnapshotDeletion,
            (Workload::Vm, _) => SessionTypeFilter::BackupDeletion,
        }
    }

    /// Whether the appliance has a batch request for this removal (VMs' three, file shares').
    pub(crate) fn batchable(self) -> bool {
        matches!(self.workload, Workload::Vm | Workload::FileShare)
    }

    /// Whether it has only a batch request (file shares): every request is one.
    pub(crate) fn batch_only(self) -> bool {
        self.workload == Workload::FileShare
    }

    /// The tier the requests ask for.
    pub(crate) fn backup_tier(self) -> Option<BackupTier> {
        self.tier.map(TierArg::tier)
    }

    /// `--backup-tier` as the journal records it (only for a removal that takes one).
    pub(crate) fn tier_recorded(self) -> Option<String> {
        if !self.removal.takes_tier(self.workload) {
            return None;
        }
        Some(match self.tier.and_then(|t| t.to_possible_value()) {
            Some(value) => value.get_name().to_string(),
            None => journal::TIER_UNSET.to_string(),
        })
    }

    /// Refuses a journal an earlier run of another kind or removal wrote (or, for the same,
    /// with another `--backup-tier`): its items' states are those of that removal, so
    /// skipping or following them would be wrong, and a resume must never remove twice
    /// across kinds.
    pub(crate) fn check_journal(
        self,
        path: &std::path::Path,
        read: &journal::Read,
    ) -> Result<(), Failure> {
        if let Some((kind, removal, line)) = &read.target {
            if *kind != self.workload.as_str() || *removal != self.removal.as_str() {
                let theirs = match (kind.parse::<Workload>(), removal.parse::<Removal>()) {
                    (Ok(workload), Ok(removal)) => format!(
                        "`{}` (the {removal} of {kind} items)",
                        Self {
                            workload,
                            removal,
                            tier: None,
                        }
                        .command_line()
                    ),
                    _ if removal == "restore-points" => {
                        format!("`restore-points delete --kind {kind}`")
                    }
                    _ => format!("another vbazure (kind {kind:?}, removal {removal:?})"),
                };
                return Err(Failure::new(
                    Exit::Usage,
                    format!(
                        "journal {}, line {line}: written by a run of {theirs}, and this run is \
                         `{}` (the {} of {} items); nothing was sent. Resume with the command \
                         of that run, or use another journal",
                        path.display(),
                        self.command_line(),
                        self.removal,
                        self.workload,
                    ),
                ));
            }
        }
        match self.tier_recorded() {
            Some(tier) => read.check_backup_tier(path, &tier),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(workload: Workload, removal: Removal) -> Target {
        Target {
            workload,
            removal,
            tier: None,
        }
    }

    #[test]
    fn each_removal_has_its_command_words_and_session_type() {
        let vm = target(Workload::Vm, Removal::Backups);
        assert!(vm.is_vm_backups());
        assert_eq!(vm.command_line(), "delete-backups");
        assert_eq!(vm.count(2), "2 VM(s)");
        assert_eq!(vm.which(), "every backup");
        assert_eq!(vm.session_type(), SessionTypeFilter::BackupDeletion);
        assert_eq!(vm.v8_1_flag(), None);
        let shares = target(Workload::FileShare, Removal::ManualSnapshots);
        assert_eq!(
            shares.command_line(),
            "delete-snapshots --kind file-share --manual-only"
        );
        assert_eq!(
            shares.session_type(),
            SessionTypeFilter::FileShareManualSnapshotDeletion
        );
        assert!(shares.batch_only());
        assert_eq!(shares.which(), "the manual snapshots");
        let cosmos = target(Workload::CosmosDb, Removal::ContinuousBackups);
        assert_eq!(
            cosmos.command_line(),
            "delete-backups --kind cosmos-db --continuous"
        );
        assert_eq!(
            cosmos.session_type(),
            SessionTypeFilter::CosmosDbContinuousBackupDeletion
        );
        assert_eq!(cosmos.tier_recorded(), None);
        assert_eq!(cosmos.v8_1_flag(), Some("--kind cosmos-db"));
        let sql = target(Workload::Sql, Removal::ManualBackups);
        assert_eq!(sql.session_type(), SessionTypeFilter::SqlBackupDeletion);
        assert!(!sql.batchable());
        assert_eq!(
            target(Workload::Sql, Removal::Backups).tier_recorded(),
            Some(journal::TIER_UNSET.to_string())
        );
        assert_eq!(
            target(Workload::Vm, Removal::Snapshots).v8_1_flag(),
            Some("delete-snapshots")
        );
    }
}
