//! `delete-backups` / `delete-snapshots --journal FILE`: one JSON line per event, each written
//! whole, flushed and fsynced before the next step, so that a run cut off at any point (Ctrl-C,
//! SIGKILL, a crash) can be resumed without removing anything twice.
//!
//! Events, each with the time it was written (`at`, UTC) and the ids of the protected items
//! it concerns (`vms`, whatever their kind: the name is that of the first journals; several
//! for a batch):
//!
//! - `planned`: the run is about to remove these items (with `names` when given by name, the
//!   `kind` of item and the `removal`, and the `backupTier` it asks for: a resume must ask for
//!   the same);
//! - `sending`: the removal request is about to leave (written before it does), with
//!   `answerBy`: when the client gives up waiting for its answer (its request timeout);
//! - `accepted`: the appliance started `session` (`found: true` when a resumed run found it on
//!   the appliance rather than in an answer);
//! - `nothing-to-delete`: the appliance had nothing to remove (v8.1's 204);
//! - `refused`: the appliance answered with an error: nothing started (sent again on resume);
//! - `no-answer`: the request may have reached the appliance but no answer came (treated
//!   like a `sending` with no answer);
//! - `ended`: `session` ended with `status` (with `--wait`).

use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};
use vbazure::Timestamp;

use crate::exit::Exit;
use crate::Failure;

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) enum Event {
    Planned {
        at: String,
        vms: Vec<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
        /// `--backup-tier` as given (`all`, `archive`, `non-archive`), or `unset`. Journals
        /// written before it was recorded have none: nothing to compare.
        #[serde(
            default,
            rename = "backupTier",
            skip_serializing_if = "Option::is_none"
        )]
        backup_tier: Option<String>,
        /// The kind of protected item (`vm`, `sql`, `cosmos-db`, `file-share`) and the removal
        /// (`backups`, `manual-snapshots`, ...) of the run: a resume must remove the same.
        /// Journals written before they were recorded were all of VMs' backups.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        removal: Option<String>,
    },
    Sending {
        at: String,
        vms: Vec<String>,
        /// `at` plus the request timeout: by then the request was answered or given up on.
        #[serde(default, rename = "answerBy", skip_serializing_if = "Option::is_none")]
        answer_by: Option<String>,
    },
    Accepted {
        at: String,
        vms: Vec<String>,
        session: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        found: bool,
    },
    NothingToDelete {
        at: String,
        vms: Vec<String>,
    },
    Refused {
        at: String,
        vms: Vec<String>,
        error: String,
    },
    NoAnswer {
        at: String,
        vms: Vec<String>,
        error: String,
    },
    Ended {
        at: String,
        vms: Vec<String>,
        session: String,
        status: String,
    },
}

/// What [`Event::Planned`] records when no `--backup-tier` was given.
pub(crate) const TIER_UNSET: &str = "unset";

/// The kind and removal of a `planned` event that records none: journals were of VMs'
/// backups before they recorded them.
pub(crate) const KIND_BEFORE: &str = "vm";
pub(crate) const REMOVAL_BEFORE: &str = "backups";

/// Where a VM stands after the events read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum State {
    /// Nothing sent (or refused): it may be sent.
    Pending,
    /// A deletion was about to be sent at `at`, for the ids of `group`, and no answer was
    /// recorded: it may have reached the appliance.
    Uncertain {
        at: Timestamp,
        /// When the request was answered or given up on at the latest (none recorded: `at`).
        answer_by: Timestamp,
        group: Vec<String>,
    },
    /// The appliance started `session`.
    Accepted { session: String },
    /// The appliance had nothing to delete.
    Nothing,
    /// `session` ended with `status`.
    Ended { session: String, status: String },
}

/// What a journal says: each VM's state, and the sessions it names.
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub states: HashMap<String, State>,
    pub sessions: HashSet<String>,
    /// The length of the whole lines (an incomplete last line is cut off before appending).
    valid_len: u64,
    /// Whether the file ended in an incomplete line.
    pub truncated_line: Option<usize>,
    /// The `backupTier` of the first `planned` event that records one, and its line.
    pub backup_tier: Option<(String, usize)>,
    /// The `kind` and `removal` of the first `planned` event (`vm` and `backups` when it
    /// records none: it was written before they were), and its line.
    pub target: Option<(String, String, usize)>,
}

impl Read {
    /// The state of `vm` (pending when the journal does not name it).
    pub(crate) fn state(&self, vm: &str) -> State {
        self.states.get(vm).cloned().unwrap_or(State::Pending)
    }

    /// Refuses a run that asks for another `--backup-tier` (`tier`, as [`Event::Planned`]
    /// records it) than the run that wrote the journal: skipping the VMs it deleted would
    /// silently give them the other run's tier.
    pub(crate) fn check_backup_tier(&self, path: &Path, tier: &str) -> Result<(), Failure> {
        let Some((recorded, line)) = &self.backup_tier else {
            return Ok(());
        };
        if recorded == tier {
            return Ok(());
        }
        let shown = |tier: &str| match tier {
            TIER_UNSET => "no --backup-tier".to_string(),
            tier => format!("--backup-tier {tier}"),
        };
        Err(Failure::new(
            Exit::Usage,
            format!(
                "journal {}, line {line}: written by a run with {}, and this run asks for {}; \
                 nothing was sent. Resume with the options of that run, or use another journal",
                path.display(),
                shown(recorded),
                shown(tier),
            ),
        ))
    }

    fn apply(&mut self, event: Event, shown: &str, number: usize) -> Result<(), Failure> {
        match event {
            Event::Planned {
                backup_tier,
                kind,
                removal,
                ..
            } => {
                if let (None, Some(tier)) = (&self.backup_tier, backup_tier) {
                    self.backup_tier = Some((tier, number));
                }
                if self.target.is_none() {
                    self.target = Some((
                        kind.unwrap_or_else(|| KIND_BEFORE.to_string()),
                        removal.unwrap_or_else(|| REMOVAL_BEFORE.to_string()),
                        number,
                    ));
                }
            }
            Event::Sending { at, vms, answer_by } => {
                let at: Timestamp = at
                    .parse()
                    .map_err(|e| bad(shown, number, &format!("`at` is not a time ({e})")))?;
                let answer_by: Timestamp = match answer_by {
                    Some(time) => time.parse().map_err(|e| {
                        bad(shown, number, &format!("`answerBy` is not a time ({e})"))
                    })?,
                    None => at,
                };
                for vm in &vms {
                    self.states.insert(
                        vm.clone(),
                        State::Uncertain {
                            at,
                            answer_by,
                            group: vms.clone(),
                        },
                    );
                }
            }
            // The `sending` line before it stands: the VM stays uncertain.
            Event::NoAnswer { .. } => {}
            Event::Refused { vms, .. } => {
                for vm in vms {
                    self.states.insert(vm, State::Pending);
                }
            }
            Event::Accepted { vms, session, .. } => {
                self.sessions.insert(session.clone());
                for vm in vms {
                    self.states.insert(
                        vm,
                        State::Accepted {
                            session: session.clone(),
                        },
                    );
                }
            }
            Event::NothingToDelete { vms, .. } => {
                for vm in vms {
                    self.states.insert(vm, State::Nothing);
                }
            }
            Event::Ended {
                vms,
                session,
                status,
                ..
            } => {
                self.sessions.insert(session.clone());
                for vm in vms {
                    self.states.insert(
                        vm,
                        State::Ended {
                            session: session.clone(),
                            status: status.clone(),
                        },
                    );
                }
            }
        }
        Ok(())
    }
}

fn bad(shown: &str, number: usize, what: &str) -> Failure {
    Failure::new(
        Exit::Usage,
        format!(
            "journal {shown}, line {number}: {what}; nothing was sent (is it the journal of a \
             `vbazure delete-backups` run?)"
        ),
    )
}

/// Reads the journal at `path` (none yet: empty). A line that is not an event is an error
/// naming the file and line; an incomplete last line (the run was cut off while writing it)
/// is left out: its step had not been taken, since each step waits for its line.
pub(crate) fn read(path: &Path) -> Result<Read, Failure> {
    let shown = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::default()),
        Err(e) => {
            return Err(Failure::new(
                Exit::Usage,
                format!("cannot read the journal {shown}: {e}"),
            ))
        }
    };
    let mut read = Read::default();
    let mut start = 0;
    let mut number = 0;
    while start < bytes.len() {
        number += 1;
        let (line, next, complete) = match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(end) => (&bytes[start..start + end], start + end + 1, true),
            None => (&bytes[start..], bytes.len(), false),
        };
        let parsed = std::str::from_utf8(line)
            .map_err(|_| "not UTF-8 text".to_string())
            .and_then(|text| {
                if text.trim().is_empty() {
                    Ok(None)
                } else {
                    serde_json::from_str::<Event>(text)
                        .map(Some)
                        .map_err(|e| format!("not a journal event ({e})"))
                }
            });
        match parsed {
            Ok(Some(event)) => read.apply(event, &shown, number)?,
            Ok(None) => {}
            Err(_) if !complete => {
                read.truncated_line = Some(number);
                break;
            }
            Err(what) => return Err(bad(&shown, number, &what)),
        }
        if complete {
            read.valid_len = next as u64;
        } else {
            // A whole event without its newline: kept, and the newline added on opening.
            read.valid_len = bytes.len() as u64;
        }
        start = next;
    }
    Ok(read)
}

/// A journal open for appending.
pub(crate) struct Journal {
    file: Mutex<File>,
    path: PathBuf,
}

impl Journal {
    /// Opens (or creates) the journal at `path` to append to what `read` read of it: an
    /// incomplete last line is cut off first.
    pub(crate) fn open(path: &Path, read: &Read) -> Result<Self, Failure> {
        let shown = path.display();
        let fail = |e: std::io::Error| {
            Failure::new(
                Exit::Usage,
                format!("cannot write the journal {shown}: {e}; nothing was sent"),
            )
        };
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(fail)?;
        let len = file.metadata().map_err(fail)?.len();
        if len > read.valid_len {
            file.set_len(read.valid_len).map_err(fail)?;
        }
        if read.valid_len > 0 {
            // Whole lines end in a newline: a last event written without one gets it.
            let bytes = std::fs::read(path).map_err(fail)?;
            if bytes.last() != Some(&b'\n') {
                file.write_all(b"\n").map_err(fail)?;
            }
        }
        file.sync_all().map_err(fail)?;
        if !existed {
            // The new file's name is on disk too.
            if let Some(dir) = path.parent() {
                let dir = if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                };
                if let Ok(dir) = File::open(dir) {
                    let _ = dir.sync_all();
                }
            }
        }
        Ok(Self {
            file: Mutex::new(file),
            path: path.to_path_buf(),
        })
    }

    /// Appends `event` as one line, flushed and fsynced before it returns.
    pub(crate) fn record(&self, event: &Event) -> Result<(), Failure> {
        let mut line = serde_json::to_string(event)
            .map_err(|e| Failure::new(Exit::Api, format!("cannot encode a journal event: {e}")))?;
        line.push('\n');
        let mut file = self.file.lock().unwrap_or_else(|e| e.into_inner());
        file.write_all(line.as_bytes())
            .and_then(|()| file.flush())
            .and_then(|()| file.sync_data())
            .map_err(|e| {
                Failure::new(
                    Exit::Api,
                    format!("cannot write the journal {}: {e}", self.path.display()),
                )
            })
    }
}

/// Now, as journal lines write it.
pub(crate) fn now() -> String {
    Timestamp::from(chrono::Utc::now()).to_string()
}

/// `after` from now, as journal lines write it.
pub(crate) fn from_now(after: std::time::Duration) -> String {
    let after = chrono::TimeDelta::from_std(after).unwrap_or(chrono::TimeDelta::MAX);
    let at = chrono::Utc::now()
        .checked_add_signed(after)
        .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
    Timestamp::from(at).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str, text: &str) -> PathBuf {
        let path =
            std::env::temp_dir().join(format!("vbazure-journal-{}-{name}", std::process::id()));
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn events_round_trip_and_give_each_vm_its_state() {
        let path = temp("states", "");
        let read0 = read(&path).unwrap();
        let journal = Journal::open(&path, &read0).unwrap();
        let at = now();
        let vms = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for event in [
            Event::Planned {
                at: at.clone(),
                vms: vms(&["a", "b", "c", "d", "e"]),
                names: vec![],
                backup_tier: Some("archive".into()),
                kind: Some("vm".into()),
                removal: Some("backups".into()),
            },
            Event::Sending {
                at: at.clone(),
                vms: vms(&["a"]),
                answer_by: Some(at.clone()),
            },
            Event::Accepted {
                at: at.clone(),
                vms: vms(&["a"]),
                session: "s1".into(),
                found: false,
            },
            Event::Sending {
                at: at.clone(),
                vms: vms(&["b", "c"]),
                answer_by: Some(at.clone()),
            },
            Event::Sending {
                at: at.clone(),
                vms: vms(&["d"]),
                answer_by: Some(at.clone()),
            },
            Event::Refused {
                at: at.clone(),
                vms: vms(&["d"]),
                error: "404".into(),
            },
            Event::Sending {
                at: at.clone(),
                vms: vms(&["e"]),
                answer_by: Some(at.clone()),
            },
            Event::NothingToDelete {
                at: at.clone(),
                vms: vms(&["e"]),
            },
            Event::Ended {
                at: at.clone(),
                vms: vms(&["a"]),
                session: "s1".into(),
                status: "Success".into(),
            },
        ] {
            journal.record(&event).unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("{\"event\":\"planned\",\"at\":\""),
            "{text}"
        );
        let read = read(&path).unwrap();
        std::fs::remove_file(&path).ok();
        assert_eq!(
            read.state("a"),
            State::Ended {
                session: "s1".into(),
                status: "Success".into()
            }
        );
        assert!(matches!(read.state("b"), State::Uncertain { group, .. } if group == ["b", "c"]));
        assert_eq!(read.state("d"), State::Pending);
        assert_eq!(read.state("e"), State::Nothing);
        assert_eq!(read.state("zzz"), State::Pending);
        assert!(read.sessions.contains("s1"));
    }

    #[test]
    fn the_backup_tier_of_the_first_planned_event_is_the_one_a_resume_must_ask_for() {
        let path = temp(
            "tier",
            "{\"event\":\"planned\",\"at\":\"2026-05-01T10:00:00Z\",\"vms\":[\"a\"]}\n\
             {\"event\":\"planned\",\"at\":\"2026-05-01T10:00:00Z\",\"vms\":[\"b\"],\"backupTier\":\"unset\"}\n",
        );
        let read = read(&path).unwrap();
        // The first line comes from a journal that did not record tiers: the second counts.
        assert_eq!(read.backup_tier, Some((TIER_UNSET.to_string(), 2)));
        assert!(read.check_backup_tier(&path, TIER_UNSET).is_ok());
        let refused = read.check_backup_tier(&path, "archive").unwrap_err();
        assert_eq!(refused.exit, Exit::Usage);
        assert!(
            refused.message.contains(
                "line 2: written by a run with no --backup-tier, and this run asks for \
                 --backup-tier archive"
            ),
            "{}",
            refused.message
        );
        // A journal that records no tier at all has nothing to compare.
        let old = temp(
            "tier-old",
            "{\"event\":\"planned\",\"at\":\"2026-05-01T10:00:00Z\",\"vms\":[\"a\"]}\n",
        );
        assert!(super::read(&old)
            .unwrap()
            .check_backup_tier(&old, "all")
            .is_ok());
    }

    #[test]
    fn an_incomplete_last_line_is_cut_off_and_garbage_names_its_line() {
        let good = r#"{"event":"sending","at":"2026-05-01T10:00:00Z","vms":["a"]}"#;
        let path = temp("cut", &format!("{good}\n{{\"event\":\"accep"));
        let got = read(&path).unwrap();
        assert_eq!(got.truncated_line, Some(2));
        assert!(matches!(got.state("a"), State::Uncertain { .. }));
        let journal = Journal::open(&path, &got).unwrap();
        journal
            .record(&Event::NothingToDelete {
                at: now(),
                vms: vec!["b".into()],
            })
            .unwrap();
        let again = read(&path).unwrap();
        assert_eq!(again.truncated_line, None);
        assert_eq!(again.state("b"), State::Nothing);
        std::fs::remove_file(&path).ok();

        let path = temp("garbage", &format!("{good}\nnot json\n{good}\n"));
        let message = read(&path).err().unwrap().message;
        std::fs::remove_file(&path).ok();
        assert!(
            message.contains(&format!("journal {}, line 2", path.display())),
            "{message}"
        );
        let path = temp(
            "time",
            "{\"event\":\"sending\",\"at\":\"yesterday\",\"vms\":[]}\n",
        );
        let message = read(&path).err().unwrap().message;
        std::fs::remove_file(&path).ok();
        assert!(message.contains("line 1: `at` is not a time"), "{message}");
        let path = temp("binary", "\u{0}\u{1}\n");
        assert!(read(&path).is_err());
        std::fs::write(&path, [0xff, 0xfe, b'\n']).unwrap();
        let message = read(&path).err().unwrap().message;
        std::fs::remove_file(&path).ok();
        assert!(message.contains("line 1: not UTF-8"), "{message}");
    }
}
