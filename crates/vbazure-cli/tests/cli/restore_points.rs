//! `restore-points list|delete` against the mock (in this process, its requests recorded):
//! each kind listed, the selection (`--older-than`, `--keep-last`, each item's newest kept,
//! immutable points left out), the plan, a dry run that sends no DELETE, a real deletion that
//! leaves what it should, nothing matched, an ambiguous name, a journal of another kind, and
//! a run killed (SIGKILL) mid-way then resumed with its journal: no point deleted twice, and
//! one stopped by Ctrl-C (no more sent, those in flight answered) then resumed.

use std::collections::HashMap;
use std::fs::File;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use futures_util::TryStreamExt;
use serde_json::Value;
use vbazure::Workload;
use vbazure_mock::{MockAppliance, Progress, RestorePointSpec, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::{against_mock, json_lines, logged_in, scratch, stable, Run};

const WEB: &str = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";
const DB: &str = "8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20";

/// A point id that reads as its number.
fn pid(n: u32) -> String {
    format!("00000000-0000-4000-8000-{n:012}")
}

/// web-01: points 1..=7, 1 to 120 days old (5 immutable for 30 more days); db-01: point 11,
/// 200 days old, its only one.
async fn two_vms(record: &Path) -> MockAppliance {
    let ages = [1, 10, 30, 60, 95, 100, 120];
    let web = ages.iter().enumerate().map(|(i, days)| {
        let spec = RestorePointSpec::backup()
            .days_old(*days)
            .id(pid(i as u32 + 1));
        if i + 1 == 5 {
            spec.immutable_for_days(30)
        } else {
            spec
        }
    });
    MockAppliance::builder()
        .vm("web-01", WEB)
        .vm("db-01", DB)
        .restore_points(WEB, web.collect::<Vec<_>>())
        .restore_points(DB, [RestorePointSpec::backup().days_old(200).id(pid(11))])
        .progress(Progress::Polls(1))
        .record(record)
        .start()
        .await
        .unwrap()
}

fn ids(run: &Run) -> Vec<String> {
    json_lines(&run.stdout)
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect()
}

/// The DELETE requests of the record, per restore point id.
fn deletions(record: &Path) -> HashMap<String, usize> {
    let mut per_point = HashMap::new();
    for line in std::fs::read_to_string(record).unwrap_or_default().lines() {
        let request: Value = serde_json::from_str(line).unwrap();
        let path = request["path"].as_str().unwrap_or_default();
        if request["method"] == "DELETE" && path.contains("/restorePoints/") {
            let id = path.rsplit('/').next().unwrap_or_default().to_string();
            *per_point.entry(id).or_insert(0) += 1;
        }
    }
    per_point
}

/// The ids of the points the mock still has of `workload`.
async fn remaining(mock: &MockAppliance, workload: Workload) -> Vec<String> {
    let appliance = logged_in(mock).await;
    let points: Vec<vbazure::RestorePoint> = appliance
        .restore_points(workload, 1000)
        .stream()
        .try_collect()
        .await
        .unwrap();
    let mut ids: Vec<String> = points.into_iter().map(|p| p.id).collect();
    ids.sort();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn each_kind_is_listed() {
    let dir = scratch("rp", "kinds");
    let mock = MockAppliance::builder()
        .record(dir.join("record.jsonl"))
        .start()
        .await
        .unwrap();
    for kind in ["vm", "sql", "file-share", "cosmos-db"] {
        let run = against_mock(
            mock.url(),
            &["-o", "json", "restore-points", "list", "--kind", kind],
            &[],
        )
        .await;
        assert_eq!(run.code, 0, "{kind}: {}", run.stderr);
        let points = json_lines(&run.stdout);
        assert!(points.len() > 3, "{kind}: {}", run.stdout);
        assert!(points.iter().all(|p| p["kind"] == kind), "{kind}");
        assert!(points.iter().all(|p| p["itemName"].is_string()), "{kind}");
    }
    let table = against_mock(
        mock.url(),
        &[
            "restore-points",
            "list",
            "--kind",
            "sql",
            "--columns",
            "item,age,destination,tier",
        ],
        &[],
    )
    .await;
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.starts_with("ITEM"), "{}", table.stdout);
    assert!(
        table.stdout.contains("sql restore point(s)"),
        "{}",
        table.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn older_than_and_keep_last_choose_the_right_points_and_the_plan_says_so() {
    let dir = scratch("rp", "select");
    let record = dir.join("record.jsonl");
    let mock = two_vms(&record).await;
    let list = |args: &'static [&'static str]| {
        let url = mock.url().to_string();
        async move {
            let mut all = vec!["-o", "json", "restore-points", "list", "--kind", "vm"];
            all.extend_from_slice(args);
            let run = against_mock(&url, &all, &[]).await;
            assert_eq!(run.code, 0, "{}", run.stderr);
            ids(&run)
        }
    };
    // list shows every point matched (the newest too, immutable too).
    assert_eq!(
        list(&["--older-than", "90d"]).await,
        [pid(5), pid(6), pid(7), pid(11)]
    );
    assert_eq!(
        list(&["--older-than", "20d", "--keep-last", "4"]).await,
        [pid(5), pid(6), pid(7)]
    );
    assert_eq!(list(&["--item", "db-01"]).await, [pid(11)]);
    assert_eq!(list(&["--item", WEB, "--older-than", "50d"]).await.len(), 4);

    // delete: each item's newest stays (db-01's lone point), the immutable one is left out.
    let dry = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "90d",
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert_eq!(dry.code, 0, "{}", dry.stderr);
    stable().bind(|| insta::assert_snapshot!("restore_points_plan", dry.stdout));
    let json = against_mock(
        mock.url(),
        &[
            "-o",
            "json",
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "90d",
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert_eq!(ids(&json), [pid(7), pid(6)]);
    assert!(
        json.stderr.contains("left out: 1 immutable point(s)"),
        "{}",
        json.stderr
    );
    assert!(
        json.stderr.contains("kept: 1 matching point(s)"),
        "{}",
        json.stderr
    );
    // --allow-deleting-newest lets db-01's lone point go; --keep-last 6 keeps all of web-01's
    // but its oldest.
    let allowed = against_mock(
        mock.url(),
        &[
            "-o",
            "json",
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "90d",
            "--allow-deleting-newest",
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert_eq!(ids(&allowed), [pid(11), pid(7), pid(6)]);
    let kept = against_mock(
        mock.url(),
        &[
            "-o",
            "json",
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--keep-last",
            "6",
            "--dry-run",
        ],
        &[],
    )
    .await;
    assert_eq!(ids(&kept), [pid(7)]);
    // No dry run sent a deletion.
    assert!(deletions(&record).is_empty(), "{:?}", deletions(&record));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deletion_with_yes_and_wait_leaves_the_expected_points() {
    let dir = scratch("rp", "delete");
    let record = dir.join("record.jsonl");
    let mock = two_vms(&record).await;
    let run = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "50d",
            "--yes",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[],
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("summary: 3 restore point(s): 3 deleted, 0 ended with warnings, 0 failed"),
        "{}",
        run.stdout
    );
    // 60, 100 and 120 days went; 95 (immutable), db-01's lone point and the young stay.
    let mut expected = vec![pid(1), pid(2), pid(3), pid(5), pid(11)];
    expected.sort();
    assert_eq!(remaining(&mock, Workload::Vm).await, expected);
    let sent = deletions(&record);
    assert_eq!(sent.len(), 3);
    assert!(sent.values().all(|n| *n == 1), "{sent:?}");
    assert!(!sent.contains_key(&pid(5)), "the immutable point was sent");

    // Again: nothing matches now; said so, exit 0, nothing sent.
    let again = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "50d",
            "--yes",
        ],
        &[],
    )
    .await;
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.contains("nothing to delete"),
        "{}",
        again.stdout
    );
    assert_eq!(deletions(&record).len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_ambiguous_or_unknown_name_is_refused_and_nothing_matched_exits_0() {
    let dir = scratch("rp", "names");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .sql_database("6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62", "orders")
        .sql_database("3e5a7c9b-1d2f-4a84-9b6d-8f0a2c4e6b13", "orders")
        .sql_database("7c9e1a3b-5d7f-4b26-8a4c-0e2b4d6f8a35", "inventory")
        .record(&record)
        .start()
        .await
        .unwrap();
    let ambiguous = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "sql",
            "--item",
            "orders",
            "--yes",
        ],
        &[],
    )
    .await;
    assert_eq!(ambiguous.code, 2, "{}", ambiguous.stderr);
    assert!(
        ambiguous.stderr.contains("2 sql items are named so")
            && ambiguous
                .stderr
                .contains("6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62")
            && ambiguous
                .stderr
                .contains("3e5a7c9b-1d2f-4a84-9b6d-8f0a2c4e6b13"),
        "{}",
        ambiguous.stderr
    );
    let unknown = against_mock(
        mock.url(),
        &[
            "restore-points",
            "list",
            "--kind",
            "sql",
            "--item",
            "inventry",
        ],
        &[],
    )
    .await;
    assert_eq!(unknown.code, 2, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains("no sql item has this id or name"),
        "{}",
        unknown.stderr
    );
    let nothing = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "sql",
            "--item",
            "inventory",
            "--older-than",
            "3650d",
            "--yes",
        ],
        &[],
    )
    .await;
    assert_eq!(nothing.code, 0, "{}", nothing.stderr);
    assert!(
        nothing.stdout.contains("nothing to delete"),
        "{}",
        nothing.stdout
    );
    assert!(deletions(&record).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_or_yes_nothing_is_sent_and_a_journal_of_another_kind_is_refused() {
    let dir = scratch("rp", "refuse");
    let record = dir.join("record.jsonl");
    let mock = two_vms(&record).await;
    let mut all = crate::support::isolated();
    all.extend(
        [
            ("VBAZURE_URL", mock.url()),
            ("VBAZURE_USERNAME", DEFAULT_USERNAME),
            ("VBAZURE_PASSWORD", DEFAULT_PASSWORD),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let env: Vec<(&str, &str)> = all.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let refused = crate::support::vbazure_with(
        &env,
        [
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "50d",
        ]
        .map(String::from)
        .to_vec(),
        None,
    )
    .await;
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("pass --yes"), "{}", refused.stderr);

    let journal = dir.join("journal.jsonl");
    let journal = journal.to_str().unwrap();
    let vm = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "50d",
            "--yes",
            "--journal",
            journal,
        ],
        &[],
    )
    .await;
    assert_eq!(vm.code, 0, "{}", vm.stderr);
    let sent = deletions(&record).len();
    let sql = against_mock(
        mock.url(),
        &[
            "restore-points",
            "delete",
            "--kind",
            "sql",
            "--older-than",
            "50d",
            "--yes",
            "--journal",
            journal,
        ],
        &[],
    )
    .await;
    assert_eq!(sql.code, 2, "{}", sql.stderr);
    assert!(
        sql.stderr
            .contains("written by `restore-points delete --kind vm`"),
        "{}",
        sql.stderr
    );
    let backups = against_mock(
        mock.url(),
        &["delete-backups", WEB, "--journal", journal],
        &[],
    )
    .await;
    assert_eq!(backups.code, 2, "{}", backups.stderr);
    assert_eq!(deletions(&record).len(), sent);
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

/// How many lines of the journal are `event`.
fn count(journal: &Path, event: &str) -> usize {
    std::fs::read_to_string(journal)
        .unwrap_or_default()
        .lines()
        .filter(|l| l.contains(&format!("\"event\":\"{event}\"")))
        .count()
}

/// `restore-points delete` of the VM points older than 25 days, with `journal`, `--yes`,
/// `--wait` and at most `concurrency` deletions at a time.
fn journaled_deletion<'a>(journal: &'a Path, concurrency: &'a str) -> Vec<&'a str> {
    vec![
        "restore-points",
        "delete",
        "--kind",
        "vm",
        "--older-than",
        "25d",
        "--journal",
        journal.to_str().unwrap(),
        "--yes",
        "--concurrency",
        concurrency,
        "--wait",
        "--poll-interval",
        "10ms",
    ]
}

/// The points a dry run of `args` plans (the same command with `--dry-run`, as JSON lines).
async fn planned_by_dry_run(url: &str, args: &[&str]) -> Vec<String> {
    let mut dry_args = vec!["-o", "json"];
    dry_args.extend_from_slice(args);
    dry_args.push("--dry-run");
    ids(&against_mock(url, &dry_args, &[]).await)
}

/// A slow mock of `vms` generated VMs whose requests `record` gets.
async fn slow_mock(vms: usize, latency_ms: u64, polls: u32, record: &Path) -> MockAppliance {
    MockAppliance::builder()
        .generate_vms(vms)
        .latency(Duration::from_millis(latency_ms))
        .progress(Progress::Polls(polls))
        .record(record)
        .start()
        .await
        .unwrap()
}

/// Waits until the journal has `sent` `sending` lines, the run still going.
async fn until_sending(journal: &Path, sent: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(journal, "sending") < sent {
        assert!(child.try_wait().unwrap().is_none(), "the run ended early");
        assert!(Instant::now() < deadline, "no {sent} sendings within 60 s");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// The exit code of `child` (spawned with `tag`) once it ends, and its stderr.
async fn finished(child: Child, dir: &Path, tag: &str) -> (Option<i32>, String) {
    let output = tokio::task::spawn_blocking(move || child.wait_with_output().unwrap())
        .await
        .unwrap();
    let stderr = std::fs::read_to_string(dir.join(format!("{tag}.err"))).unwrap();
    (output.status.code(), stderr)
}

/// Every planned point was sent for deletion exactly once, no other was, and the mock no
/// longer has any of them.
async fn each_deleted_once(mock: &MockAppliance, record: &Path, planned: &[String]) {
    let per_point = deletions(record);
    for id in planned {
        assert_eq!(
            per_point.get(id),
            Some(&1),
            "{id} deleted {:?} times",
            per_point.get(id)
        );
    }
    assert_eq!(per_point.len(), planned.len());
    let left = remaining(mock, Workload::Vm).await;
    assert!(planned.iter().all(|id| !left.contains(id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_several_points_and_resumed_no_point_is_deleted_twice() {
    let dir = scratch("rp", "kill");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    let mock = slow_mock(40, 20, 2, &record).await;
    let mut args = journaled_deletion(&journal, "8");
    // Longer than the slowest answer; a resume right after a kill waits this long.
    args.extend(["--request-timeout", "3s"]);
    let planned = planned_by_dry_run(mock.url(), &args).await;
    assert!(planned.len() > 100, "{} points planned", planned.len());
    let before = mock.restore_point_count();

    let mut sent = 0;
    for (round, more) in [10, 30, 40].into_iter().enumerate() {
        let mut child = spawn(mock.url(), &args, &dir, &format!("killed-{round}"));
        until_sending(&journal, sent + more, &mut child).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        sent = count(&journal, "sending");
    }
    let resumed = spawn(mock.url(), &args, &dir, "resumed");
    let (code, stderr) = finished(resumed, &dir, "resumed").await;
    assert_eq!(code, Some(0), "{stderr}");
    each_deleted_once(&mock, &record, &planned).await;
    assert_eq!(mock.restore_point_count(), before - planned.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ctrl_c_starts_no_more_deletions_waits_for_those_in_flight_and_the_resume_sends_the_rest_once(
) {
    let dir = scratch("rp", "ctrl-c");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    // Slow answers, so that deletions are in flight when Ctrl-C comes.
    let mock = slow_mock(20, 200, 1, &record).await;
    let args = journaled_deletion(&journal, "4");
    let planned = planned_by_dry_run(mock.url(), &args).await;
    assert!(planned.len() > 40, "{} points planned", planned.len());

    let mut child = spawn(mock.url(), &args, &dir, "interrupted");
    until_sending(&journal, 8, &mut child).await;
    // SIGINT, as Ctrl-C on its terminal sends.
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let (code, stderr) = finished(child, &dir, "interrupted").await;
    assert_eq!(code, Some(130), "{stderr}");
    assert!(
        stderr.contains("interrupted: no more deletions are started")
            && stderr.contains("to resume"),
        "{stderr}"
    );
    // The deletions in flight were waited for: each one sent has its answer in the journal,
    // and far fewer than planned were sent.
    let sent = count(&journal, "sending");
    assert_eq!(count(&journal, "accepted"), sent, "{stderr}");
    assert!(sent < planned.len() / 2, "{sent} of {} sent", planned.len());
    assert_eq!(deletions(&record).len(), sent);

    let resumed = spawn(mock.url(), &args, &dir, "resumed");
    let (code, stderr) = finished(resumed, &dir, "resumed").await;
    assert_eq!(code, Some(0), "{stderr}");
    each_deleted_once(&mock, &record, &planned).await;
}

/// The most sessions open at once, as the journal shows them: a deletion counts from its
/// `sending` line (written before the request leaves) to its `ended` line (written once its
/// session is seen to end). Every deletion of these runs is accepted.
fn most_open_at_once(journal: &Path) -> usize {
    let (mut open, mut most) = (0usize, 0usize);
    for line in std::fs::read_to_string(journal).unwrap().lines() {
        let step: Value = serde_json::from_str(line).unwrap();
        match step["event"].as_str() {
            Some("sending") => {
                open += 1;
                most = most.max(open);
            }
            Some("ended") => open -= 1,
            Some("planned" | "accepted") => {}
            other => panic!("{other:?} in {line}"),
        }
    }
    assert_eq!(open, 0, "a session was never seen to end");
    most
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn max_running_bounds_the_sessions_followed_at_once_and_every_point_still_goes() {
    let mut most = Vec::new();
    for max_running in [None, Some("3")] {
        let dir = scratch(
            "rp",
            &format!("max-running-{}", max_running.unwrap_or("none")),
        );
        let record = dir.join("record.jsonl");
        let journal = dir.join("journal.jsonl");
        let mock = slow_mock(3, 5, 3, &record).await;
        let mut args = vec![
            "restore-points",
            "delete",
            "--kind",
            "vm",
            "--older-than",
            "0d",
            "--yes",
            "--wait",
            "--concurrency",
            "8",
            "--poll-interval",
            "10ms",
            "--journal",
            journal.to_str().unwrap(),
        ];
        if let Some(max) = max_running {
            args.extend(["--max-running", max]);
        }
        let planned = planned_by_dry_run(mock.url(), &args).await;
        assert!(planned.len() > 15, "{} points planned", planned.len());
        let run = against_mock(mock.url(), &args, &[]).await;
        assert_eq!(run.code, 0, "{}", run.stderr);
        each_deleted_once(&mock, &record, &planned).await;
        most.push(most_open_at_once(&journal));
    }
    // Unbounded, the eight deletions in flight open eight sessions together; bounded, never
    // more than three are open, and the run still deletes every point.
    assert!(
        most[0] > 3,
        "without --max-running at most {} open",
        most[0]
    );
    assert!(
        most[1] <= 3,
        "with --max-running 3, {} open at once",
        most[1]
    );
}
