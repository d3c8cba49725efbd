//! `delete-backups --kind` and `delete-snapshots` against the stateful mock: a dry run and a
//! real run of every kind of removal (the mock's restore points checked afterwards), names
//! that resolve to no item or to several, a journal that another kind's run wrote, a run
//! killed with SIGKILL and resumed, and each command's `--help`. The mock runs in this
//! process (its `--record` log counts the requests), the CLI as a child process.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use futures_util::TryStreamExt;
use serde_json::Value;
use vbazure::{RestorePoint, Workload};
use vbazure_mock::{MockAppliance, Progress, RestorePointSpec, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::{json_lines, logged_in, scratch, stable};

const VM: &str = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";
const OTHER_VM: &str = "8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20";
const SQL: &str = "6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62";
const OTHER_SQL: &str = "7b9d1f3a-5c7e-4a92-8b4d-6f8a0c2e4b73";
const COSMOS: &str = "1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75";
const SHARE: &str = "2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75";
const OTHER_SHARE: &str = "3a5c7e9b-1d3f-4b75-9c9e-5d7f9b1d3f86";

/// The polls of the sessions: fast, so that `--wait` ends at once.
const FAST: [&str; 2] = ["--poll-interval", "10ms"];

/// What a finished run left: its exit code, stdout and stderr.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// The CLI against `url`, stdout and stderr into files of `dir` (named after `tag`), stdin
/// not a terminal.
fn spawn(url: &str, args: &[&str], dir: &Path, tag: &str) -> Child {
    Command::cargo_bin("vbazure")
        .expect("the binary is built")
        .env_clear()
        .envs(crate::support::isolated())
        .env("VBAZURE_URL", url)
        .env("VBAZURE_USERNAME", DEFAULT_USERNAME)
        .env("VBAZURE_PASSWORD", DEFAULT_PASSWORD)
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(dir.join(format!("{tag}.out"))).unwrap())
        .stderr(File::create(dir.join(format!("{tag}.err"))).unwrap())
        .spawn()
        .expect("the CLI starts")
}

/// Waits (at most 120 s, then kills) for `child` to end.
async fn finish(mut child: Child, dir: &Path, tag: &str) -> Run {
    let status = tokio::task::spawn_blocking(move || {
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("the CLI did not end within 120 s");
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    })
    .await
    .unwrap();
    Run {
        code: status.code(),
        stdout: std::fs::read_to_string(dir.join(format!("{tag}.out"))).unwrap(),
        stderr: std::fs::read_to_string(dir.join(format!("{tag}.err"))).unwrap(),
    }
}

async fn run(url: &str, args: &[&str], dir: &Path, tag: &str) -> Run {
    let child = spawn(url, args, dir, tag);
    finish(child, dir, tag).await
}

/// The removal requests of the record (POSTs whose path ends in `/delete...`), per path.
fn removals(record: &Path) -> HashMap<String, usize> {
    let mut per_path = HashMap::new();
    for line in std::fs::read_to_string(record).unwrap_or_default().lines() {
        let request: Value = serde_json::from_str(line).unwrap();
        let path = request["path"].as_str().unwrap_or_default();
        let last = path.rsplit('/').next().unwrap_or_default();
        if request["method"] == "POST" && last.starts_with("delete") {
            *per_path.entry(path.to_string()).or_insert(0) += 1;
        }
    }
    per_path
}

fn sent(record: &Path) -> usize {
    removals(record).values().sum()
}

/// The points every item of this module's mock starts with: of each destination its kind
/// has, some archived.
fn points(workload: Workload) -> Vec<RestorePointSpec> {
    match workload {
        Workload::Vm => vec![
            RestorePointSpec::backup().days_old(10),
            RestorePointSpec::backup().days_old(40).archived(),
            RestorePointSpec::snapshot().days_old(1),
            RestorePointSpec::snapshot().manual().days_old(2),
        ],
        Workload::Sql => vec![
            RestorePointSpec::backup().days_old(10),
            RestorePointSpec::backup().days_old(40).archived(),
            RestorePointSpec::backup().manual().days_old(3),
        ],
        Workload::CosmosDb => vec![
            RestorePointSpec::backup().days_old(10),
            RestorePointSpec::backup().manual().days_old(3),
            RestorePointSpec::continuous().days_old(1),
        ],
        Workload::FileShare => vec![
            RestorePointSpec::snapshot().days_old(1),
            RestorePointSpec::snapshot().manual().days_old(2),
        ],
    }
}

/// A mock with two items of each kind (`OTHER_SQL` named `orders` too when `twins`), each
/// with [`points`], recording its requests to `record`.
async fn mock(record: &Path, twins: bool) -> MockAppliance {
    let other_sql = if twins { "orders" } else { "customers" };
    let other_share = if twins { "finance" } else { "hr" };
    let mut builder = MockAppliance::builder()
        .vm("web-01", VM)
        .vm("db-01", OTHER_VM)
        .sql_database(SQL, "orders")
        .sql_database(OTHER_SQL, other_sql)
        .cosmos_db_account(COSMOS, "catalog-cosmos")
        .file_share(SHARE, "finance")
        .file_share(OTHER_SHARE, other_share)
        .progress(Progress::Polls(1))
        .record(record);
    for (workload, ids) in [
        (Workload::Vm, [VM, OTHER_VM].as_slice()),
        (Workload::Sql, &[SQL, OTHER_SQL]),
        (Workload::CosmosDb, &[COSMOS]),
        (Workload::FileShare, &[SHARE, OTHER_SHARE]),
    ] {
        for id in ids {
            builder = builder.restore_points(*id, points(workload));
        }
    }
    builder.start().await.expect("the mock starts")
}

/// The restore points the mock lists for `item`.
async fn points_of(mock: &MockAppliance, workload: Workload, item: &str) -> Vec<RestorePoint> {
    logged_in(mock)
        .await
        .restore_points(workload, 100)
        .item(item)
        .stream()
        .try_collect()
        .await
        .expect("the mock lists the item's restore points")
}

/// `destination` of each point, as the appliance names it (`Snapshot`, `ManualBackup`, ...),
/// with `/Archive` for a point in the archive tier.
fn kept(points: &[RestorePoint]) -> Vec<String> {
    let mut kept: Vec<String> = points
        .iter()
        .map(|p| {
            let destination = p
                .destination
                .as_ref()
                .map_or("?".to_string(), |d| d.as_str().to_string());
            match p.access_tier.as_ref().map(|t| t.as_str().to_string()) {
                Some(tier) if tier == "Archive" => format!("{destination}/Archive"),
                _ => destination,
            }
        })
        .collect();
    kept.sort();
    kept
}

/// One removal of the table below: its arguments, the kind and item it removes from, and the
/// points the item keeps (as [`kept`] names them).
struct Case {
    args: &'static [&'static str],
    workload: Workload,
    item: &'static str,
    keeps: &'static [&'static str],
}

/// Every removal of both commands, once each, on items of their own.
const CASES: &[Case] = &[
    Case {
        args: &["delete-backups", "--by-name", "web-01"],
        workload: Workload::Vm,
        item: VM,
        keeps: &["ManualSnapshot", "Snapshot"],
    },
    Case {
        args: &["delete-snapshots", "--manual-only", OTHER_VM],
        workload: Workload::Vm,
        item: OTHER_VM,
        keeps: &["AzureBlob", "AzureBlob/Archive", "Snapshot"],
    },
    Case {
        args: &[
            "delete-backups",
            "--kind",
            "sql",
            "--by-name",
            "orders",
            "--backup-tier",
            "archive",
        ],
        workload: Workload::Sql,
        item: SQL,
        keeps: &["AzureBlob", "ManualBackup"],
    },
    Case {
        args: &[
            "delete-backups",
            "--kind",
            "sql",
            "--manual-only",
            OTHER_SQL,
        ],
        workload: Workload::Sql,
        item: OTHER_SQL,
        keeps: &["AzureBlob", "AzureBlob/Archive"],
    },
    Case {
        args: &[
            "delete-backups",
            "--kind",
            "cosmos-db",
            "--continuous",
            "--by-name",
            "catalog-cosmos",
        ],
        workload: Workload::CosmosDb,
        item: COSMOS,
        // The continuous backup is listed by no restore point list: the mock's count says
        // it went (below).
        keeps: &["AzureBlob", "ManualBackup"],
    },
    Case {
        args: &[
            "delete-snapshots",
            "--kind",
            "file-share",
            "--by-name",
            "finance",
        ],
        workload: Workload::FileShare,
        item: SHARE,
        keeps: &[],
    },
    Case {
        args: &[
            "delete-snapshots",
            "--kind",
            "file-share",
            "--manual-only",
            OTHER_SHARE,
        ],
        workload: Workload::FileShare,
        item: OTHER_SHARE,
        keeps: &["Snapshot"],
    },
];

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dry_run_of_every_kind_shows_what_would_go_and_sends_nothing() {
    let dir = scratch("removals", "dry");
    let record = dir.join("record.jsonl");
    let mock = mock(&record, false).await;
    let mut transcript = String::new();
    for case in CASES {
        let mut args = case.args.to_vec();
        args.push("--dry-run");
        let done = run(mock.url(), &args, &dir, "dry").await;
        assert_eq!(done.code, Some(0), "{args:?}: {}", done.stderr);
        assert!(done.stdout.contains(case.item), "{args:?}: {}", done.stdout);
        transcript.push_str(&format!("$ vbazure {}\n{}", args.join(" "), done.stdout));
    }
    // JSON lines: one per item, with its name and last backup.
    let json = run(
        mock.url(),
        &[
            "--output",
            "json",
            "delete-backups",
            "--kind",
            "cosmos-db",
            COSMOS,
            "--dry-run",
        ],
        &dir,
        "json",
    )
    .await;
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let lines = json_lines(&json.stdout);
    assert_eq!(lines.len(), 1, "{}", json.stdout);
    assert_eq!(lines[0]["id"], COSMOS);
    assert_eq!(lines[0]["name"], "catalog-cosmos");
    assert_eq!(lines[0]["action"], "delete");
    assert!(lines[0]["lastBackup"].is_string(), "{}", lines[0]);
    assert!(
        json.stderr
            .contains("dry run: the backups of 1 Cosmos DB account(s) would be deleted"),
        "{}",
        json.stderr
    );
    // An id of another kind is not an item of this one: exit 1, nothing sent.
    let wrong = run(
        mock.url(),
        &["delete-snapshots", "--kind", "file-share", SQL, "--dry-run"],
        &dir,
        "wrong",
    )
    .await;
    assert_eq!(wrong.code, Some(1), "{}", wrong.stderr);
    assert!(
        wrong
            .stderr
            .contains(&format!("no protected file share has the id {SQL}")),
        "{}",
        wrong.stderr
    );
    assert_eq!(sent(&record), 0, "a dry run sends no removal");
    stable().bind(|| insta::assert_snapshot!("dry_runs", transcript));
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_run_of_every_kind_removes_what_it_says_and_leaves_the_rest() {
    let dir = scratch("removals", "real");
    let record = dir.join("record.jsonl");
    let mock = mock(&record, false).await;
    let mut transcript = String::new();
    for case in CASES {
        let before = mock.restore_point_count();
        let mut args = case.args.to_vec();
        args.extend(["--yes", "--wait"]);
        args.extend(FAST);
        let done = run(mock.url(), &args, &dir, "real").await;
        assert_eq!(done.code, Some(0), "{args:?}: {}", done.stderr);
        assert!(
            done.stdout
                .contains(": 1 succeeded, 0 ended with warnings, 0 failed"),
            "{args:?}: {}",
            done.stdout
        );
        transcript.push_str(&format!("$ vbazure {}\n{}", args.join(" "), done.stdout));
        let left = points_of(&mock, case.workload, case.item).await;
        assert_eq!(kept(&left), case.keeps, "{args:?}");
        let gone = points(case.workload).len() - case.keeps.len();
        assert_eq!(
            mock.restore_point_count(),
            before - gone,
            "{args:?}: only this item's points went"
        );
    }
    // One request per case, each of the operation of its kind and removal.
    let paths: HashSet<String> = removals(&record).into_keys().collect();
    let expected: HashSet<String> = [
        format!("/api/v8.1/protectedItem/virtualMachines/{VM}/deleteBackups"),
        format!("/api/v8.1/protectedItem/virtualMachines/{OTHER_VM}/deleteManualSnapshots"),
        format!("/api/v8.1/protectedItem/sql/{SQL}/deleteBackups"),
        format!("/api/v8.1/protectedItem/sql/{OTHER_SQL}/deleteManualBackups"),
        format!("/api/v8.1/protectedItem/cosmosDb/{COSMOS}/deleteContinuousBackups"),
        "/api/v8.1/protectedItem/fileShares/deleteSnapshots".to_string(),
        "/api/v8.1/protectedItem/fileShares/deleteManualSnapshots".to_string(),
    ]
    .into_iter()
    .collect();
    assert_eq!(paths, expected);
    assert_eq!(sent(&record), CASES.len());

    // Done again: nothing left to remove (204), said so, exit 0.
    let again = run(
        mock.url(),
        &["delete-snapshots", "--kind", "file-share", SHARE, "--yes"],
        &dir,
        "again",
    )
    .await;
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(
        again.stdout.contains("no snapshots to delete")
            && again.stdout.contains(
                "summary: 1 file share(s) in 1 batch request(s), 0 session(s): 0 started, 0 \
                 failed, 1 with no snapshots to delete"
            ),
        "{}",
        again.stdout
    );
    // JSON lines: the session of each removal started.
    let json = run(
        mock.url(),
        &[
            "--output",
            "json",
            "delete-snapshots",
            VM,
            "--yes",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &dir,
        "json",
    )
    .await;
    assert_eq!(json.code, Some(0), "{}", json.stderr);
    let lines = json_lines(&json.stdout);
    assert_eq!(lines.len(), 1, "{}", json.stdout);
    assert_eq!(lines[0]["type"], "SnapshotDeletion");
    assert_eq!(lines[0]["status"], "Success");
    assert!(json.stderr.contains("summary: 1 VM(s): 1 succeeded"));
    assert!(kept(&points_of(&mock, Workload::Vm, VM).await).is_empty());
    stable().bind(|| insta::assert_snapshot!("real_runs", transcript));
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_ambiguous_or_unknown_name_and_a_selector_of_nothing_remove_nothing() {
    let dir = scratch("removals", "names");
    let record = dir.join("record.jsonl");
    let mock = mock(&record, true).await;
    let twins = run(
        mock.url(),
        &[
            "delete-snapshots",
            "--kind",
            "file-share",
            "--by-name",
            "finance",
            "--yes",
        ],
        &dir,
        "twins",
    )
    .await;
    assert_eq!(twins.code, Some(1), "{}", twins.stderr);
    assert!(
        twins.stderr.contains(&format!(
            "file share name \"finance\": 2 protected file shares are named \"finance\": \
             finance ({SHARE}), finance ({OTHER_SHARE}); give the file share's id instead"
        )),
        "{}",
        twins.stderr
    );
    let twins = run(
        mock.url(),
        &[
            "delete-backups",
            "--kind",
            "sql",
            "--by-name",
            "orders",
            "--yes",
        ],
        &dir,
        "twins-sql",
    )
    .await;
    assert_eq!(twins.code, Some(1), "{}", twins.stderr);
    assert!(
        twins
            .stderr
            .contains("2 protected SQL databases are named \"orders\""),
        "{}",
        twins.stderr
    );
    // A name of no item of the kind (a VM's name is no SQL database's).
    let unknown = run(
        mock.url(),
        &[
            "delete-backups",
            "--kind",
            "sql",
            "--by-name",
            "web-01",
            "--yes",
        ],
        &dir,
        "unknown",
    )
    .await;
    assert_eq!(unknown.code, Some(1), "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains(
            "SQL database name \"web-01\": no protected SQL database is named \"web-01\""
        ) && unknown.stderr.contains("nothing was deleted"),
        "{}",
        unknown.stderr
    );
    // A list of nothing: a usage error, nothing sent.
    let empty = dir.join("empty.txt");
    std::fs::write(&empty, "# nothing left to clean\n\n").unwrap();
    let nothing = run(
        mock.url(),
        &[
            "delete-snapshots",
            "--kind",
            "file-share",
            "--from-file",
            empty.to_str().unwrap(),
            "--yes",
        ],
        &dir,
        "nothing",
    )
    .await;
    assert_eq!(nothing.code, Some(2), "{}", nothing.stderr);
    assert!(
        nothing.stderr.contains("no file share ids"),
        "{}",
        nothing.stderr
    );
    // File shares have no backups to remove: refused, pointing to delete-snapshots.
    let shares = run(
        mock.url(),
        &["delete-backups", "--kind", "file-share", SHARE, "--yes"],
        &dir,
        "shares",
    )
    .await;
    assert_eq!(shares.code, Some(2), "{}", shares.stderr);
    assert!(
        shares
            .stderr
            .contains("use `vbazure delete-snapshots --kind file-share`"),
        "{}",
        shares.stderr
    );
    // No terminal and no --yes: refused.
    let unasked = run(
        mock.url(),
        &["delete-backups", "--kind", "sql", SQL],
        &dir,
        "unasked",
    )
    .await;
    assert_eq!(unasked.code, Some(2), "{}", unasked.stderr);
    assert!(
        unasked
            .stderr
            .contains("delete-backups deletes backups for good and asks first"),
        "{}",
        unasked.stderr
    );
    assert_eq!(sent(&record), 0, "nothing was sent");
    assert_eq!(
        kept(&points_of(&mock, Workload::FileShare, SHARE).await),
        ["ManualSnapshot", "Snapshot"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_journal_of_one_kind_or_removal_is_refused_by_a_run_of_another() {
    let dir = scratch("removals", "journal");
    let record = dir.join("record.jsonl");
    let mock = mock(&record, false).await;
    let journal = dir.join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let first = run(
        mock.url(),
        &[
            "delete-snapshots",
            "--kind",
            "file-share",
            SHARE,
            "--yes",
            "--journal",
            journal,
        ],
        &dir,
        "first",
    )
    .await;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let planned: Value = serde_json::from_str(
        std::fs::read_to_string(journal)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(planned["event"], "planned");
    assert_eq!(planned["kind"], "file-share");
    assert_eq!(planned["removal"], "snapshots");
    assert_eq!(sent(&record), 1);
    for (args, theirs) in [
        (
            vec!["delete-backups", "--kind", "sql", SQL],
            "this run is `delete-backups --kind sql` (the backups of sql items)",
        ),
        (
            vec![
                "delete-snapshots",
                "--kind",
                "file-share",
                "--manual-only",
                SHARE,
            ],
            "this run is `delete-snapshots --kind file-share --manual-only`",
        ),
        (
            vec!["delete-snapshots", SHARE],
            "this run is `delete-snapshots`",
        ),
        (
            vec!["delete-backups", SHARE],
            "this run is `delete-backups`",
        ),
    ] {
        let mut all = args.clone();
        all.extend(["--yes", "--journal", journal]);
        let refused = run(mock.url(), &all, &dir, "refused").await;
        assert_eq!(refused.code, Some(2), "{args:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains(
                "line 1: written by a run of `delete-snapshots --kind file-share` (the snapshots \
                 of file-share items)"
            ) && refused.stderr.contains(theirs)
                && refused.stderr.contains("nothing was sent"),
            "{args:?}: {}",
            refused.stderr
        );
    }
    assert_eq!(sent(&record), 1, "no refused run sent anything");
    // A journal of VMs' backups (the first journals recorded no kind) is one of VMs' backups.
    let old = dir.join("old.jsonl");
    std::fs::write(
        &old,
        format!("{{\"event\":\"planned\",\"at\":\"2026-05-01T10:00:00Z\",\"vms\":[\"{VM}\"]}}\n"),
    )
    .unwrap();
    let refused = run(
        mock.url(),
        &[
            "delete-snapshots",
            VM,
            "--yes",
            "--journal",
            old.to_str().unwrap(),
        ],
        &dir,
        "old",
    )
    .await;
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused
            .stderr
            .contains("written by a run of `delete-backups` (the backups of vm items)"),
        "{}",
        refused.stderr
    );
    // The same command resumes: done already, nothing sent again.
    let resumed = run(
        mock.url(),
        &[
            "delete-snapshots",
            "--kind",
            "file-share",
            SHARE,
            "--yes",
            "--journal",
            journal,
        ],
        &dir,
        "resumed",
    )
    .await;
    assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
    assert_eq!(sent(&record), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_removal_left_unanswered_is_looked_for_by_the_session_type_of_its_kind() {
    let dir = scratch("removals", "lookup");
    let record = dir.join("record.jsonl");
    let mock = mock(&record, false).await;
    // The removal a killed run sent: it reached the appliance, its answer was not journaled.
    let appliance = logged_in(&mock).await;
    let ids = [SHARE.to_string()];
    let sent_before = appliance
        .removing(Workload::FileShare, vbazure::Removal::ManualSnapshots)
        .of_batch(&ids)
        .send()
        .await
        .expect("the removal is sent");
    assert_eq!(sent_before.len(), 1);
    let at = vbazure::Timestamp::from(chrono::Utc::now() - chrono::TimeDelta::seconds(30));
    let journal_of = |kind: &str, removal: &str, id: &str| {
        format!(
            "{{\"event\":\"planned\",\"at\":\"{at}\",\"vms\":[\"{id}\"],\"kind\":\"{kind}\",\
             \"removal\":\"{removal}\"}}\n{{\"event\":\"sending\",\"at\":\"{at}\",\"vms\":[\"{id}\"],\
             \"answerBy\":\"{at}\"}}\n"
        )
    };
    let journal = dir.join("shares.jsonl");
    std::fs::write(
        &journal,
        journal_of("file-share", "manual-snapshots", SHARE),
    )
    .unwrap();
    let mut args = vec![
        "delete-snapshots",
        "--kind",
        "file-share",
        "--manual-only",
        SHARE,
        "--yes",
        "--wait",
        "--journal",
        journal.to_str().unwrap(),
    ];
    args.extend(FAST);
    let resumed = run(mock.url(), &args, &dir, "found").await;
    assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
    assert!(
        resumed.stdout.contains("found on the appliance"),
        "{}",
        resumed.stdout
    );
    assert_eq!(sent(&record), 1, "found, not sent again");
    let query = std::fs::read_to_string(&record).unwrap();
    assert!(
        query.contains(&format!(
            "ResourceId={SHARE}&Types=FileShareManualSnapshotDeletion"
        )),
        "{query}"
    );
    // A SQL database's removal that never reached the appliance: none found, sent.
    let journal = dir.join("sql.jsonl");
    std::fs::write(&journal, journal_of("sql", "manual-backups", SQL)).unwrap();
    let mut args = vec![
        "delete-backups",
        "--kind",
        "sql",
        "--manual-only",
        SQL,
        "--yes",
        "--wait",
        "--journal",
        journal.to_str().unwrap(),
    ];
    args.extend(FAST);
    let sent_again = run(mock.url(), &args, &dir, "none").await;
    assert_eq!(sent_again.code, Some(0), "{}", sent_again.stderr);
    assert_eq!(sent(&record), 2, "none found: sent");
    assert!(std::fs::read_to_string(&record)
        .unwrap()
        .contains(&format!("ResourceId={SQL}&Types=SqlBackupDeletion")));
    assert_eq!(
        kept(&points_of(&mock, Workload::Sql, SQL).await),
        ["AzureBlob", "AzureBlob/Archive"]
    );
}

/// The journal's events (every line must be one, but a last line cut by a kill).
fn events(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut events = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Value>(line.trim_end()) {
            Ok(event) => events.push(event),
            Err(_) if i + 1 == lines.len() && !line.ends_with('\n') => {}
            Err(e) => panic!("journal line {}: {e}: {line}", i + 1),
        }
    }
    events
}

fn count(path: &Path, event: &str) -> usize {
    events(path).iter().filter(|e| e["event"] == event).count()
}

/// Waits (at most 60 s) until the journal holds `n` `sending` lines, or the child ended.
async fn until_sending(journal: &Path, n: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(journal, "sending") < n {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before {n} sendings"
        );
        assert!(Instant::now() < deadline, "no {n} sendings within 60 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn delete_snapshots_killed_at_several_points_and_resumed_removes_each_vms_once() {
    let dir: PathBuf = scratch("removals", "kill");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    let mock = MockAppliance::builder()
        .generate_vms(150)
        .latency(Duration::from_millis(20))
        .progress(Progress::Polls(2))
        .record(&record)
        .start()
        .await
        .unwrap();
    let ids: Vec<String> = mock.vms().into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), 150);
    let before: Vec<RestorePoint> = logged_in(&mock)
        .await
        .restore_points(Workload::Vm, 1000)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let snapshots = before
        .iter()
        .filter(|p| p.destination.as_ref().is_some_and(|d| d.is_snapshot()))
        .count();
    assert!(snapshots > 0, "the generated VMs have snapshots");
    let ids_file = dir.join("ids.txt");
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let args = [
        "delete-snapshots",
        "--from-file",
        ids_file.to_str().unwrap(),
        "--journal",
        journal.to_str().unwrap(),
        "--yes",
        "--concurrency",
        "8",
        "--wait",
        "--poll-interval",
        "10ms",
        "--request-timeout",
        "3s",
    ];
    let mut sending = 0;
    for (round, more) in [10, 30, 40].into_iter().enumerate() {
        let tag = format!("killed-{round}");
        let mut child = spawn(mock.url(), &args, &dir, &tag);
        sending += more;
        until_sending(&journal, sending, &mut child).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        sending = count(&journal, "sending");
    }
    let done = run(mock.url(), &args, &dir, "resumed").await;
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stdout.contains("summary: 150 VM(s): 150 succeeded"),
        "{}",
        done.stdout
    );
    let per_path = removals(&record);
    for id in &ids {
        let path = format!("/api/v8.1/protectedItem/virtualMachines/{id}/deleteSnapshots");
        assert_eq!(
            per_path.get(&path),
            Some(&1),
            "{id}: {:?}",
            per_path.get(&path)
        );
    }
    assert_eq!(per_path.len(), ids.len(), "{per_path:?}");
    // Every session on the appliance is one the journal names, one per VM, and every
    // snapshot went; the backups stayed.
    let appliance = logged_in(&mock).await;
    let sessions: Vec<vbazure::Session> = appliance
        .job_sessions(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let accepted: HashSet<String> = events(&journal)
        .iter()
        .filter(|e| e["event"] == "accepted")
        .filter_map(|e| e["session"].as_str().map(str::to_string))
        .collect();
    assert_eq!(sessions.len(), ids.len(), "one session per VM");
    for session in &sessions {
        assert!(
            accepted.contains(&session.id),
            "{} not journaled",
            session.id
        );
        assert_eq!(
            session
                .session_type
                .as_ref()
                .map(|t| t.to_string())
                .as_deref(),
            Some("SnapshotDeletion")
        );
    }
    let after: Vec<RestorePoint> = appliance
        .restore_points(Workload::Vm, 1000)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(after
        .iter()
        .all(|p| !p.destination.as_ref().is_some_and(|d| d.is_snapshot())));
    assert_eq!(after.len(), before.len() - snapshots);
    // A run of the finished journal sends nothing more.
    let again = run(mock.url(), &args, &dir, "again").await;
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(sent(&record), ids.len());
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn each_command_s_help_shows_an_example_of_each_kind() {
    let dir = scratch("removals", "help");
    let backups = run(
        "http://127.0.0.1:9",
        &["delete-backups", "--help"],
        &dir,
        "b",
    )
    .await;
    assert_eq!(backups.code, Some(0), "{}", backups.stderr);
    for example in [
        "vbazure delete-backups --by-name web-01",
        "vbazure delete-backups --kind sql --by-name orders",
        "vbazure delete-backups --kind sql --manual-only",
        "vbazure delete-backups --kind cosmos-db --continuous",
        "vbazure delete-backups --kind cosmos-db --manual-only",
        "use `vbazure delete-snapshots --kind file-share`",
        "CosmosDbContinuousBackupDeletion",
    ] {
        assert!(backups.stdout.contains(example), "{example}");
    }
    let snapshots = run(
        "http://127.0.0.1:9",
        &["delete-snapshots", "--help"],
        &dir,
        "s",
    )
    .await;
    assert_eq!(snapshots.code, Some(0), "{}", snapshots.stderr);
    for example in [
        "vbazure delete-snapshots --by-name web-01",
        "vbazure delete-snapshots --manual-only",
        "vbazure delete-snapshots --kind file-share --by-name finance",
        "vbazure delete-snapshots --kind file-share --manual-only",
        "--journal FILE",
    ] {
        assert!(snapshots.stdout.contains(example), "{example}");
    }
    // Snapshots of SQL databases are no removal of the appliance: clap refuses the kind.
    let sql = run(
        "http://127.0.0.1:9",
        &["delete-snapshots", "--kind", "sql", "x"],
        &dir,
        "sql",
    )
    .await;
    assert_eq!(sql.code, Some(2), "{}", sql.stderr);
}

#[tokio::test(flavor = "multi_thread")]
async fn on_v1_every_removal_but_vms_backups_is_refused_before_anything_is_sent() {
    let dir = scratch("removals", "v1");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .api_versions([vbazure_mock::ApiVersion::V1])
        .record(&record)
        .start()
        .await
        .unwrap();
    for (args, flag) in [
        (
            vec!["delete-snapshots", "vm-1"],
            "delete-snapshots needs API v8.1",
        ),
        (
            vec!["delete-backups", "--kind", "sql", "db-1"],
            "--kind sql needs API v8.1",
        ),
    ] {
        let mut all = args.clone();
        all.push("--yes");
        let refused = run(mock.url(), &all, &dir, "v1").await;
        assert_eq!(refused.code, Some(2), "{args:?}: {}", refused.stderr);
        assert!(
            refused.stderr.contains(flag),
            "{args:?}: {}",
            refused.stderr
        );
    }
    assert_eq!(sent(&record), 0);
}
