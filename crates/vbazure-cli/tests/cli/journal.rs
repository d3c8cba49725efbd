//! `delete-backups` run safely: `--dry-run`, the confirmation (`--yes`), the journal
//! (`--journal`), resuming after SIGKILL and Ctrl-C, and the deletions an earlier run may have
//! sent without recording the answer. The mock runs in this process (its `--record` log, kept
//! by the builder, counts the requests), the CLI as a child process, so that killing the CLI
//! leaves the mock running.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use futures_util::TryStreamExt;
use serde_json::Value;
use vbazure_mock::{ApiVersion, MockAppliance, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::logged_in;

/// A directory of its own for each test.
fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("vbazure-journal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The CLI against `url`, stdout and stderr into files of `dir` (named after `tag`), stdin
/// not a terminal.
fn spawn(url: &str, args: &[String], dir: &Path, tag: &str) -> Child {
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

/// What a finished run left: its exit code, stdout and stderr.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
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

async fn run(url: &str, args: &[String], dir: &Path, tag: &str) -> Run {
    let child = spawn(url, args, dir, tag);
    finish(child, dir, tag).await
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// The journal's events (every line must be one, but a last line cut by a kill).
fn events(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut events = Vec::new();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, line) in lines.iter().enumerate() {
        match serde_json::from_str::<Value>(line.trim_end()) {
            Ok(event) => events.push(event),
            Err(e) if i + 1 == lines.len() && !line.ends_with('\n') => {
                eprintln!("the last line is cut: {e}")
            }
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

/// The deletion POSTs of the record, per VM id.
fn deletions(record: &Path) -> HashMap<String, usize> {
    let mut per_vm = HashMap::new();
    for line in std::fs::read_to_string(record).unwrap_or_default().lines() {
        let request: Value = serde_json::from_str(line).unwrap();
        let path = request["path"].as_str().unwrap_or_default();
        if request["method"] == "POST" && path.ends_with("/deleteBackups") {
            let segments: Vec<&str> = path.split('/').collect();
            let id = segments[segments.len() - 2].to_string();
            *per_vm.entry(id).or_insert(0) += 1;
        }
    }
    per_vm
}

/// Every session on the appliance is named in the journal, and every VM has exactly one
/// session there, ended `Success`.
async fn accounted_for(mock: &MockAppliance, journal: &Path, ids: &[String]) {
    let events = events(journal);
    let accepted: HashSet<&str> = events
        .iter()
        .filter(|e| e["event"] == "accepted")
        .filter_map(|e| e["session"].as_str())
        .collect();
    let appliance = logged_in(mock).await;
    let sessions: Vec<vbazure::Session> = appliance
        .job_sessions(100)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sessions.len(), ids.len(), "one session per VM");
    for session in &sessions {
        assert!(
            accepted.contains(session.id.as_str()),
            "session {} is not in the journal",
            session.id
        );
    }
    for id in ids {
        let ended: Vec<&Value> = events
            .iter()
            .filter(|e| {
                e["event"] == "ended" && e["vms"].as_array().unwrap().iter().any(|v| v == id)
            })
            .collect();
        assert!(!ended.is_empty(), "{id}: no `ended` line");
        assert!(
            ended.iter().all(|e| e["status"] == "Success"),
            "{id}: {ended:?}"
        );
    }
}

async fn many_vms(n: usize, record: &Path, latency_ms: u64) -> (MockAppliance, Vec<String>) {
    let mock = MockAppliance::builder()
        .generate_vms(n)
        .latency(Duration::from_millis(latency_ms))
        .progress(Progress::Polls(2))
        .record(record)
        .start()
        .await
        .unwrap();
    let ids: Vec<String> = mock.vms().into_iter().map(|(_, id)| id).collect();
    assert_eq!(ids.len(), n);
    (mock, ids)
}

fn delete_args(ids_file: &Path, journal: &Path) -> Vec<String> {
    strings(&[
        "delete-backups",
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
        // Longer than the slowest answer of these tests' mocks; a resume right after a kill
        // waits this long for the killed run's requests before looking for them.
        "--request-timeout",
        "3s",
    ])
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn killed_at_several_points_and_resumed_every_vm_is_deleted_exactly_once() {
    let dir = dir("kill");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    let (mock, ids) = many_vms(200, &record, 20).await;
    let ids_file = dir.join("ids.txt");
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let args = delete_args(&ids_file, &journal);
    // Killed after 15, then 40 more, then 60 more deletions about to be sent.
    let mut sent = 0;
    for (round, more) in [15, 40, 60].into_iter().enumerate() {
        let tag = format!("killed-{round}");
        let mut child = spawn(mock.url(), &args, &dir, &tag);
        sent += more;
        until_sending(&journal, sent, &mut child).await;
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        sent = count(&journal, "sending");
    }
    let done = run(mock.url(), &args, &dir, "resumed").await;
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stdout.contains("summary: 200 VM(s): 200 succeeded"),
        "{}",
        done.stdout
    );
    let per_vm = deletions(&record);
    for id in &ids {
        assert_eq!(
            per_vm.get(id),
            Some(&1),
            "{id} deleted {:?} times",
            per_vm.get(id)
        );
    }
    assert_eq!(per_vm.len(), 200);
    accounted_for(&mock, &journal, &ids).await;
    // A run of the finished journal sends nothing more.
    let again = run(mock.url(), &args, &dir, "again").await;
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert_eq!(deletions(&record).values().sum::<usize>(), 200);
    assert!(
        again.stdout.contains("ended in an earlier run"),
        "{}",
        again.stdout
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn ctrl_c_lets_requests_in_flight_finish_prints_the_resume_command_and_exits_130() {
    let dir = dir("sigint");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    let (mock, ids) = many_vms(120, &record, 30).await;
    let ids_file = dir.join("ids.txt");
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let args = delete_args(&ids_file, &journal);
    let mut child = spawn(mock.url(), &args, &dir, "interrupted");
    until_sending(&journal, 30, &mut child).await;
    interrupt(&child);
    let interrupted = finish(child, &dir, "interrupted").await;
    assert_eq!(interrupted.code, Some(130), "{}", interrupted.stderr);
    assert!(
        interrupted
            .stderr
            .contains("interrupted: no more deletions are started"),
        "{}",
        interrupted.stderr
    );
    let resume = interrupted
        .stderr
        .lines()
        .find_map(|l| {
            l.strip_prefix("vbazure: to resume (what was accepted is followed, not sent again): ")
        })
        .unwrap_or_else(|| panic!("no resume command: {}", interrupted.stderr));
    assert!(
        resume.contains(&format!("--journal {}", journal.display())),
        "{resume}"
    );
    assert!(resume.contains("delete-backups --from-file"), "{resume}");
    // Every request that had left got its answer into the journal before the exit.
    let answered = ["accepted", "nothing-to-delete", "refused", "no-answer"]
        .iter()
        .map(|e| count(&journal, e))
        .sum::<usize>();
    let sending = count(&journal, "sending");
    assert_eq!(sending, answered);
    assert!(
        sending < ids.len(),
        "the interrupt stopped the run early ({sending} sent)"
    );

    let done = run(mock.url(), &args, &dir, "resumed").await;
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    let per_vm = deletions(&record);
    assert_eq!(per_vm.len(), ids.len());
    assert!(per_vm.values().all(|n| *n == 1), "{per_vm:?}");
    accounted_for(&mock, &journal, &ids).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_terminal_or_yes_nothing_is_sent_and_a_dry_run_sends_no_deletion() {
    let dir = dir("refuse");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .vm("web-01", "vm-web")
        .record(&record)
        .start()
        .await
        .unwrap();
    let refused = run(
        mock.url(),
        &strings(&["delete-backups", "vm-web"]),
        &dir,
        "refused",
    )
    .await;
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("pass --yes to confirm"),
        "{}",
        refused.stderr
    );
    // Refused before anything was sent: not even a login.
    assert_eq!(std::fs::read_to_string(&record).unwrap_or_default(), "");

    let dry = run(
        mock.url(),
        &strings(&["delete-backups", "vm-web", "--dry-run"]),
        &dir,
        "dry",
    )
    .await;
    assert_eq!(dry.code, Some(0), "{}", dry.stderr);
    assert!(
        dry.stdout.contains("vm-web") && dry.stdout.contains("web-01"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("nothing was sent"), "{}", dry.stdout);
    let json = run(
        mock.url(),
        &strings(&[
            "--output",
            "json",
            "delete-backups",
            "vm-web",
            "vm-gone",
            "--dry-run",
        ]),
        &dir,
        "dry-json",
    )
    .await;
    assert_eq!(
        json.code,
        Some(1),
        "an id that is no protected VM: {}",
        json.stderr
    );
    assert!(json.stderr.contains("vm-gone"), "{}", json.stderr);
    let plan: Vec<Value> = json
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(plan.len(), 1, "{}", json.stdout);
    assert_eq!(plan[0]["id"], "vm-web");
    assert_eq!(plan[0]["name"], "web-01");
    assert_eq!(plan[0]["action"], "delete");
    assert!(plan[0].get("region").is_some() && plan[0].get("lastBackup").is_some());
    assert!(deletions(&record).is_empty(), "a dry run deleted");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unanswered_deletion_is_looked_for_before_it_is_sent_again() {
    let dir = dir("window");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .vm("a", "vm-a")
        .vm("b", "vm-b")
        .record(&record)
        .start()
        .await
        .unwrap();
    // vm-a was deleted (its answer lost), vm-b's request never left.
    let first = run(
        mock.url(),
        &strings(&["delete-backups", "vm-a", "--yes"]),
        &dir,
        "first",
    )
    .await;
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    let journal = dir.join("journal.jsonl");
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    std::fs::write(
        &journal,
        format!(
            "{{\"event\":\"sending\",\"at\":\"{now}\",\"vms\":[\"vm-a\"]}}\n\
             {{\"event\":\"sending\",\"at\":\"{now}\",\"vms\":[\"vm-b\"]}}\n\
             {{\"event\":\"accep"
        ),
    )
    .unwrap();
    let args = strings(&[
        "delete-backups",
        "vm-a",
        "vm-b",
        "--yes",
        "--journal",
        journal.to_str().unwrap(),
    ]);
    let resumed = run(mock.url(), &args, &dir, "resumed").await;
    assert_eq!(resumed.code, Some(0), "{}", resumed.stderr);
    assert!(
        resumed.stderr.contains("line 3 is incomplete"),
        "{}",
        resumed.stderr
    );
    assert!(
        resumed.stdout.contains("found on the appliance"),
        "{}",
        resumed.stdout
    );
    let per_vm = deletions(&record);
    assert_eq!(per_vm.get("vm-a"), Some(&1), "vm-a sent again");
    assert_eq!(per_vm.get("vm-b"), Some(&1));
    let found: Vec<Value> = events(&journal)
        .into_iter()
        .filter(|e| e["event"] == "accepted" && e["found"] == true)
        .collect();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["vms"][0], "vm-a");
}

#[tokio::test(flavor = "multi_thread")]
async fn on_v1_a_deletion_session_nothing_accounts_for_makes_the_vm_unknown_and_nothing_is_sent() {
    let dir = dir("v1");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .record(&record)
        .start()
        .await
        .unwrap();
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let journal = dir.join("journal.jsonl");
    let line =
        |vm: &str| format!("{{\"event\":\"sending\",\"at\":\"{now}\",\"vms\":[\"{vm}\"]}}\n");
    // No deletion session on the appliance: vm-z's request did not reach it; sent again.
    std::fs::write(&journal, line("vm-z")).unwrap();
    let args = |vm: &str| {
        strings(&[
            "delete-backups",
            vm,
            "--yes",
            "--journal",
            journal.to_str().unwrap(),
        ])
    };
    let sent = run(mock.url(), &args("vm-z"), &dir, "sent").await;
    assert_eq!(sent.code, Some(0), "{}", sent.stderr);
    assert_eq!(deletions(&record).get("vm-z"), Some(&1));
    // Now a deletion session the journal does not account for exists (another tool's, or
    // vm-y's): v1 cannot say which VM it concerns, so vm-y is not sent again.
    let other = run(
        mock.url(),
        &strings(&["delete-backups", "vm-x", "--yes"]),
        &dir,
        "other",
    )
    .await;
    assert_eq!(other.code, Some(0), "{}", other.stderr);
    std::fs::write(&journal, line("vm-y")).unwrap();
    let unknown = run(mock.url(), &args("vm-y"), &dir, "unknown").await;
    assert_eq!(unknown.code, Some(1), "{}", unknown.stderr);
    assert!(
        unknown
            .stderr
            .contains("unknown: a deletion may have been sent"),
        "{}",
        unknown.stderr
    );
    assert!(
        unknown
            .stderr
            .contains("sessions list --all --type BackupDeletion --since"),
        "{}",
        unknown.stderr
    );
    assert_eq!(deletions(&record).get("vm-y"), None, "vm-y was sent again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_that_is_not_one_stops_the_run_naming_the_file_and_line() {
    let dir = dir("garbage");
    let record = dir.join("record.jsonl");
    let mock = MockAppliance::builder()
        .record(&record)
        .start()
        .await
        .unwrap();
    let journal = dir.join("journal.jsonl");
    std::fs::write(
        &journal,
        "{\"event\":\"planned\",\"at\":\"2026-05-01T10:00:00Z\",\"vms\":[]}\nnot json\n{}\n",
    )
    .unwrap();
    let args = strings(&[
        "delete-backups",
        "vm-1",
        "--yes",
        "--journal",
        journal.to_str().unwrap(),
    ]);
    let bad = run(mock.url(), &args, &dir, "bad").await;
    assert_eq!(bad.code, Some(2), "{}", bad.stderr);
    assert!(
        bad.stderr
            .contains(&format!("journal {}, line 2", journal.display())),
        "{}",
        bad.stderr
    );
    assert!(!bad.stderr.contains("panicked"), "{}", bad.stderr);
    assert!(deletions(&record).is_empty());
}

/// Waits (at most 60 s) until `file` holds `text`.
async fn until_written(file: &Path, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !std::fs::read_to_string(file)
        .unwrap_or_default()
        .contains(text)
    {
        assert!(
            Instant::now() < deadline,
            "{text:?} not written within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// Sends SIGINT to `child`, as Ctrl-C on its terminal does.
fn interrupt(child: &Child) {
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_second_ctrl_c_exits_at_once_and_the_resume_waits_for_and_finds_the_deletions_left_unanswered(
) {
    let dir = dir("sigint-twice");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    // Slow answers: after the first Ctrl-C, eight deletions are still in flight for a while.
    let (mock, ids) = many_vms(40, &record, 1500).await;
    let ids_file = dir.join("ids.txt");
    std::fs::write(&ids_file, ids.join("\n")).unwrap();
    let args = delete_args(&ids_file, &journal);
    let mut child = spawn(mock.url(), &args, &dir, "twice");
    until_sending(&journal, 16, &mut child).await;
    interrupt(&child);
    until_written(&dir.join("twice.err"), "no more deletions are started").await;
    interrupt(&child);
    let twice = finish(child, &dir, "twice").await;
    assert_eq!(twice.code, Some(130), "{}", twice.stderr);
    assert!(
        twice.stderr.contains("interrupted again: exiting now"),
        "{}",
        twice.stderr
    );
    // It did not wait for the answers: deletions were sent and their answers never recorded.
    let answered = ["accepted", "nothing-to-delete", "refused", "no-answer"]
        .iter()
        .map(|e| count(&journal, e))
        .sum::<usize>();
    let sending = count(&journal, "sending");
    assert!(
        answered < sending,
        "every deletion was answered ({answered} of {sending}): the exit was not at once"
    );

    // The appliance carries out what reached it, after its latency. The resume starts at once
    // and answers come at once now: it must wait for the killed run's requests (their
    // `answerBy`) before it looks for them, or it would not find them and send them again.
    mock.configure(|c| c.latency = Duration::ZERO);
    let done = run(mock.url(), &args, &dir, "resumed").await;
    assert_eq!(done.code, Some(0), "{}", done.stderr);
    assert!(
        done.stderr.contains("may still be on their way: waiting"),
        "{}",
        done.stderr
    );
    assert!(
        done.stdout.contains("found on the appliance"),
        "{}",
        done.stdout
    );
    let per_vm = deletions(&record);
    assert_eq!(per_vm.len(), ids.len());
    assert!(per_vm.values().all(|n| *n == 1), "{per_vm:?}");
    accounted_for(&mock, &journal, &ids).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_resume_that_asks_for_another_backup_tier_is_refused_before_anything_is_sent() {
    let dir = dir("tier");
    let record = dir.join("record.jsonl");
    let journal = dir.join("journal.jsonl");
    let mock = MockAppliance::builder()
        .vm("a", "vm-a")
        .vm("b", "vm-b")
        .record(&record)
        .start()
        .await
        .unwrap();
    let with_tier = |tier: Option<&str>| {
        let mut args = strings(&[
            "delete-backups",
            "vm-a",
            "vm-b",
            "--yes",
            "--journal",
            journal.to_str().unwrap(),
        ]);
        if let Some(tier) = tier {
            args.extend(strings(&["--backup-tier", tier]));
        }
        args
    };
    let archive = run(mock.url(), &with_tier(Some("archive")), &dir, "archive").await;
    assert_eq!(archive.code, Some(0), "{}", archive.stderr);
    assert_eq!(deletions(&record).len(), 2);
    let planned = events(&journal);
    assert_eq!(planned[0]["backupTier"], "archive");

    for (tier, shown) in [
        (Some("all"), "--backup-tier all"),
        (None, "no --backup-tier"),
    ] {
        let other = run(mock.url(), &with_tier(tier), &dir, "other").await;
        assert_eq!(other.code, Some(2), "{}", other.stderr);
        assert!(
            other.stderr.contains(&format!(
                "journal {}, line 1: written by a run with --backup-tier archive, and this run \
                 asks for {shown}; nothing was sent",
                journal.display()
            )),
            "{}",
            other.stderr
        );
    }
    assert_eq!(deletions(&record).values().sum::<usize>(), 2);
    // The same tier resumes (here: everything ended, nothing is sent).
    let same = run(mock.url(), &with_tier(Some("archive")), &dir, "same").await;
    assert_eq!(same.code, Some(0), "{}", same.stderr);
    assert_eq!(deletions(&record).values().sum::<usize>(), 2);
}
