//! `--output table|json|yaml|csv` and `--columns` against the mock appliance (v8.1): a golden
//! transcript of the tables and CSV files, YAML that holds the same objects as the JSON lines,
//! tables cut to the terminal's width, and the choices refused before anything is sent.

use vbazure_mock::{ApiVersion, MockAppliance, Progress};

use crate::support::against_mock as vbazure;
use crate::support::{json_lines, stable, vbazure_with};

/// Three protected VMs on v8.1; sessions end at their first read.
async fn mock() -> MockAppliance {
    MockAppliance::builder()
        .api_versions([ApiVersion::V8_1])
        .progress(Progress::Polls(1))
        .vm("web-01", "vm-web-01")
        .vm("db-01", "vm-db-01")
        .vm("app-03", "vm-app-03")
        .start()
        .await
        .expect("the mock starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn tables_and_csv_show_the_columns_chosen() {
    let mock = mock().await;
    let url = mock.url().to_string();
    let deleted = vbazure(
        &url,
        &[
            "--output",
            "json",
            "delete-backups",
            "vm-db-01",
            "--wait",
            "--poll-interval",
            "10ms",
        ],
        &[],
    )
    .await;
    assert_eq!(deleted.code, 0, "{}", deleted.stderr);
    let session = json_lines(&deleted.stdout)[0]["id"]
        .as_str()
        .expect("the session has an id")
        .to_string();

    let mut transcript = String::new();
    let cases: Vec<Vec<&str>> = vec![
        vec!["vms", "list", "--output", "csv"],
        vec![
            "vms",
            "list",
            "--columns",
            "name,os,size,total-size-gb,availability-zone",
        ],
        vec!["-o", "csv", "--columns", "name,last-backup", "vms", "list"],
        vec![
            "sessions",
            "list",
            "--output",
            "csv",
            "--columns",
            "type,status,localized-type",
        ],
        vec![
            "sessions",
            "show",
            &session,
            "--columns",
            "type,status,stopped",
        ],
        vec!["sessions", "show", &session, "--output", "csv"],
        vec![
            "sessions",
            "log",
            &session,
            "--output",
            "csv",
            "--columns",
            "status,message",
        ],
        vec!["sessions", "log", &session, "--columns", "status,message"],
        vec![
            "delete-backups",
            "vm-web-01",
            "--dry-run",
            "--columns",
            "name,os",
        ],
    ];
    for args in cases {
        let run = vbazure(&url, &args, &[]).await;
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        transcript.push_str(&format!("$ vbazure {}\n{}", args.join(" "), run.stdout));
        if args.contains(&"csv") {
            // Whatever the header says, every record has as many fields.
            let mut reader = csv_fields(&run.stdout);
            let width = reader.remove(0).len();
            assert!(reader.iter().all(|r| r.len() == width), "{}", run.stdout);
        }
    }
    stable().bind(|| insta::assert_snapshot!("tables_and_csv", transcript));
}

/// Each CSV record's fields (quoted fields hold no separators in these answers).
fn csv_fields(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| line.split(',').map(str::to_string).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_table_fits_the_terminal_width() {
    let mock = mock().await;
    let url = mock.url().to_string();
    let args = ["vms", "list", "--columns", "id,name,azure-id"];
    let whole = vbazure(&url, &args, &[]).await;
    let cut = vbazure(&url, &args, &[("COLUMNS", "60")]).await;
    assert_eq!(
        (whole.code, cut.code),
        (0, 0),
        "{}{}",
        whole.stderr,
        cut.stderr
    );
    // Without a terminal the cells are whole (an Azure id is longer than 60 columns).
    assert!(whole.stdout.lines().any(|l| l.chars().count() > 60));
    let table: Vec<&str> = cut
        .stdout
        .lines()
        .filter(|l| !l.starts_with("VMs "))
        .collect();
    for line in &table {
        assert!(line.chars().count() <= 60, "wider than 60: {line:?}");
    }
    // The widest column gave way; the ids and names are whole.
    assert!(
        table[1].starts_with("vm-web-01  web-01  /subscriptions/"),
        "{table:#?}"
    );
    assert!(table[1].ends_with('…'));
    stable().bind(|| insta::assert_snapshot!("table_at_60_columns", cut.stdout));
}

#[tokio::test(flavor = "multi_thread")]
async fn yaml_holds_the_objects_the_json_lines_hold() {
    let mock = mock().await;
    let url = mock.url().to_string();
    let json = vbazure(&url, &["--output", "json", "vms", "list"], &[]).await;
    let yaml = vbazure(&url, &["--output", "yaml", "vms", "list"], &[]).await;
    assert_eq!(
        (json.code, yaml.code),
        (0, 0),
        "{}{}",
        json.stderr,
        yaml.stderr
    );
    let documents: Vec<serde_json::Value> = serde_norway::Deserializer::from_str(&yaml.stdout)
        .map(|doc| serde::Deserialize::deserialize(doc).expect("each document is YAML"))
        .collect();
    assert_eq!(documents, json_lines(&json.stdout));
    assert_eq!(documents.len(), 3);
    // The page's footer is for people: not among the documents.
    assert!(!yaml.stdout.contains("VMs 1-3"), "{}", yaml.stdout);
}

#[tokio::test(flavor = "multi_thread")]
async fn choices_a_command_cannot_write_are_refused_before_anything_is_sent() {
    let mock = mock().await;
    let url = mock.url().to_string();
    let cases: [(&[&str], &str); 5] = [
        (
            &["vms", "list", "--columns", "id,colour"],
            "a VM has no column `colour`; its columns are id, name, region",
        ),
        (
            &["sessions", "log", "1", "--columns", "type"],
            "a log record has no column `type`",
        ),
        (
            &["--output", "csv", "delete-backups", "vm-web-01"],
            "--output csv: delete-backups has no rows to write",
        ),
        (
            &["--columns", "id", "delete-backups", "vm-web-01"],
            "--columns: delete-backups prints no table",
        ),
        (
            &["--output", "csv", "conformance"],
            "--output csv: conformance has no rows to write",
        ),
    ];
    for (args, message) in cases {
        let run = vbazure(&url, args, &[]).await;
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(message), "{args:?}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
    }
    assert_eq!(mock.requests(), 0, "a refused choice sends nothing");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_shows_what_columns_and_csv_print() {
    let table = vbazure_with(
        &[],
        [
            "--mock",
            "vms",
            "list",
            "--columns",
            "name,os,size,total-size-gb",
        ]
        .map(String::from)
        .to_vec(),
        None,
    )
    .await;
    let csv = vbazure_with(
        &[],
        [
            "--mock",
            "-o",
            "csv",
            "vms",
            "list",
            "--columns",
            "id,name,os",
        ]
        .map(String::from)
        .to_vec(),
        None,
    )
    .await;
    assert_eq!(
        (table.code, csv.code),
        (0, 0),
        "{}{}",
        table.stderr,
        csv.stderr
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shown = crate::readme::readme_block(&root, "$ vbazure --mock vms list --columns");
    crate::readme::assert_shows(&shown, &format!("{}{}", table.stdout, csv.stdout));
}
