//! The `vbazure-spec` command: check, lint, diff and conform as a person or a CI job runs them.

use std::path::PathBuf;

use assert_cmd::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn diff_fixture(case: &str, file: &str) -> String {
    root()
        .join("crates/vbazure-spec/tests/fixtures/diff")
        .join(case)
        .join(file)
        .display()
        .to_string()
}

fn conform_fixture(case: &str, file: &str) -> String {
    root()
        .join("crates/vbazure-spec/tests/fixtures/conform")
        .join(case)
        .join(file)
        .display()
        .to_string()
}

fn conform_args(case: &str, extra: &[&str]) -> Vec<String> {
    let mut args = vec![
        "conform".to_string(),
        conform_fixture(case, "ours.yaml"),
        conform_fixture(case, "theirs.yaml"),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    args
}

fn run(args: &[String]) -> (i32, String, String) {
    let output = Command::cargo_bin("vbazure-spec")
        .expect("built")
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn the_repository_spec_passes_check_and_lint() {
    let spec = root().join("openapi.yaml").display().to_string();
    for command in ["check", "lint"] {
        let (code, stdout, stderr) = run(&[command.to_string(), spec.clone()]);
        assert_eq!(code, 0, "{command}: {stdout}{stderr}");
        assert!(stdout.ends_with("no problems\n"), "{stdout}");
    }
}

#[test]
fn a_broken_spec_fails_check_with_places() {
    let broken = root()
        .join("crates/vbazure-codegen/tests/fixtures/broken/several_problems.yaml")
        .display()
        .to_string();
    let (code, stdout, stderr) = run(&["check".to_string(), broken]);
    assert_eq!(code, 1);
    assert_eq!(stdout.lines().count(), 3, "{stdout}");
    assert!(
        stdout.contains("several_problems.yaml:1:1: openapi-version"),
        "{stdout}"
    );
    assert!(stderr.contains("3 problem(s)"), "{stderr}");
}

#[test]
fn diff_text_names_each_change() {
    let args = [
        "diff".to_string(),
        diff_fixture("v8_1_move", "old.yaml"),
        diff_fixture("v8_1_move", "new.yaml"),
    ];
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 0, "no --fail-on-breaking");
    // Severity, what breaks, direction, then the change.
    assert!(stdout.contains("BREAKING    wire       both      deleteBackups: operation deleteBackups moved: POST /api/v1/virtualMachines/{id}/deleteBackups → POST /api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"), "{stdout}");
    assert!(
        stdout.contains("compatible  -          request   deleteBackups: an optional query parameter `BackupTier` was added"),
        "{stdout}"
    );
    assert!(
        stdout.contains("3 breaking, 1 compatible change(s)"),
        "{stdout}"
    );
}

#[test]
fn diff_json_is_for_tools_and_the_flag_fails_on_breaking() {
    let mut args = vec![
        "diff".to_string(),
        diff_fixture("v8_1_move", "old.yaml"),
        diff_fixture("v8_1_move", "new.yaml"),
    ];
    args.extend([
        "--output".to_string(),
        "json".to_string(),
        "--fail-on-breaking".to_string(),
    ]);
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["breaking"], 3);
    assert_eq!(report["compatible"], 1);
    assert_eq!(report["changes"][0]["severity"], "breaking");
    assert_eq!(report["changes"][0]["operation"], "deleteBackups");
    assert_eq!(report["changes"][0]["direction"], "both");
    assert_eq!(report["changes"][0]["breaks"]["wire"], true);
    assert_eq!(report["changes"][0]["breaks"]["rust"], false);

    // Breaking for Rust code only still fails the job.
    let rust_only = [
        "diff".to_string(),
        diff_fixture("required_in_response", "old.yaml"),
        diff_fixture("required_in_response", "new.yaml"),
        "--fail-on-breaking".to_string(),
    ];
    let (code, stdout, _) = run(&rust_only);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("BREAKING    rust       response  the field `schedule` became required"),
        "{stdout}"
    );

    let compatible = [
        "diff".to_string(),
        diff_fixture("enum_value_added_open", "old.yaml"),
        diff_fixture("enum_value_added_open", "new.yaml"),
        "--fail-on-breaking".to_string(),
    ];
    assert_eq!(run(&compatible).0, 0);
}

#[test]
fn an_unreadable_file_exits_2() {
    let (code, _, stderr) = run(&["lint".to_string(), "/nonexistent/openapi.yaml".to_string()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/openapi.yaml: cannot read the file"),
        "{stderr}"
    );
}

#[test]
fn conform_text_names_both_places_and_fails_on_breaking() {
    let (code, stdout, stderr) = run(&conform_args("nullable_mismatch", &[]));
    assert_eq!(code, 1, "{stdout}{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(
        lines[0],
        "BREAKING  getThing: THEIRS may send null for the field `id`, OURS says it is never null: the generated client fails on a null  [nullable-mismatch]"
    );
    assert!(lines[1].trim_start().starts_with("ours:   "), "{stdout}");
    assert!(
        lines[1].ends_with(
            "nullable_mismatch/ours.yaml:21:9 at /components/schemas/Thing/properties/id"
        ),
        "{stdout}"
    );
    assert!(
        lines[2].ends_with(
            "nullable_mismatch/theirs.yaml:21:9 at /components/schemas/Thing/properties/id"
        ),
        "{stdout}"
    );
    assert!(
        lines[3].starts_with("1 breaking, 0 drift, 0 note(s): "),
        "{stdout}"
    );
}

#[test]
fn conform_json_is_for_tools() {
    let (code, stdout, _) = run(&conform_args("field_missing", &["--output", "json"]));
    assert_eq!(code, 1);
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(report["breaking"], 1);
    assert_eq!(report["drift"], 1);
    assert_eq!(report["note"], 0);
    let first = &report["findings"][0];
    assert_eq!(first["rule"], "field-missing");
    assert_eq!(first["kind"], "breaking");
    assert_eq!(first["operation"], "getThing");
    assert_eq!(first["ours"]["line"], 21);
    assert_eq!(first["ours"]["column"], 9);
    assert_eq!(
        first["ours"]["pointer"],
        "/components/schemas/Thing/properties/id"
    );
    assert_eq!(
        first["theirs"]["pointer"],
        "/components/schemas/Thing/properties"
    );
    assert!(first["theirs"]["file"]
        .as_str()
        .unwrap_or_default()
        .ends_with("theirs.yaml"));
    assert_eq!(report["findings"][1]["kind"], "drift");
}

#[test]
fn conform_exit_codes_follow_the_threshold() {
    // Drift only: fine by default, a failure with --fail-on drift.
    assert_eq!(run(&conform_args("enum_value_missing_open", &[])).0, 0);
    assert_eq!(
        run(&conform_args(
            "enum_value_missing_open",
            &["--fail-on", "drift"]
        ))
        .0,
        1
    );
    // A note is never a failure.
    assert_eq!(
        run(&conform_args(
            "path_parameter_name",
            &["--fail-on", "drift"]
        ))
        .0,
        0
    );
    // Breaking, unless the job only wants the report.
    assert_eq!(
        run(&conform_args(
            "status_undocumented",
            &["--fail-on", "breaking"]
        ))
        .0,
        1
    );
    assert_eq!(
        run(&conform_args(
            "status_undocumented",
            &["--fail-on", "never"]
        ))
        .0,
        0
    );
    // Usage errors are 2.
    let (code, _, stderr) = run(&conform_args(
        "status_undocumented",
        &["--fail-on", "sometimes"],
    ));
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn conform_of_the_v1_document_against_v8_1_finds_the_moved_operations() {
    let args = [
        "conform".to_string(),
        root().join("openapi.yaml").display().to_string(),
        root().join("openapi-v8.1.yaml").display().to_string(),
    ];
    let (code, stdout, _) = run(&args);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("BREAKING  listJobSessions: THEIRS has no GET /api/v1/jobSessions; its operation listJobSessions is GET /api/v8.1/jobSessions  [operation-missing]"),
        "{stdout}"
    );
}

#[test]
fn an_unreadable_or_malformed_document_exits_2_naming_the_place() {
    let ours = conform_fixture("nullable_mismatch", "ours.yaml");
    let (code, _, stderr) = run(&[
        "conform".to_string(),
        ours.clone(),
        "/nonexistent/theirs.json".to_string(),
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/theirs.json: cannot read the file"),
        "{stderr}"
    );

    let dir = std::env::temp_dir().join(format!("vbazure-spec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let broken = dir.join("theirs.json");
    std::fs::write(
        &broken,
        "{\"openapi\": \"3.0.1\",\n  \"paths\": {\"/a\": [1, 2}\n}\n",
    )
    .expect("write");
    let (code, _, stderr) = run(&["conform".to_string(), ours, broken.display().to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!("error: {}:2:", broken.display())),
        "{stderr}"
    );
}

#[path = "../../../tests/support/readme.rs"]
mod readme;

/// Runs `vbazure-spec` from the repository's root with `args` as the README writes them.
fn run_in_root(args: &[&str]) -> (i32, String) {
    let output = Command::cargo_bin("vbazure-spec")
        .expect("built")
        .current_dir(root())
        .args(args)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[test]
fn the_readme_shows_what_diff_and_conform_print() {
    let diff = "crates/vbazure-spec/tests/fixtures/diff";
    let conform = "crates/vbazure-spec/tests/fixtures/conform/field_missing";
    // (the command as the README shows it, its exit code, a line that begins the README's block)
    let shown: [(Vec<String>, i32, &str); 4] = [
        (
            vec![
                "diff".into(),
                format!("{diff}/v8_1_move/old.yaml"),
                format!("{diff}/v8_1_move/new.yaml"),
            ],
            0,
            "3 breaking, 1 compatible change(s) from",
        ),
        (
            vec![
                "diff".into(),
                format!("{diff}/component_in_both/old.yaml"),
                format!("{diff}/component_in_both/new.yaml"),
            ],
            0,
            "BREAKING    wire       both      the field `description` became nullable",
        ),
        (
            vec![
                "conform".into(),
                format!("{conform}/ours.yaml"),
                format!("{conform}/theirs.yaml"),
            ],
            // A breaking finding: exit 1, as the README says.
            1,
            "1 breaking, 1 drift, 0 note(s):",
        ),
        (
            vec![
                "conform".into(),
                "openapi.yaml".into(),
                "openapi-v8.1.yaml".into(),
            ],
            // A breaking finding: exit 1, as the README says.
            1,
            "BREAKING  listJobSessions: THEIRS has no GET /api/v1/jobSessions",
        ),
    ];
    for (args, expected, marker) in shown {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stdout) = run_in_root(&args);
        assert_eq!(code, expected, "{args:?}\n{stdout}");
        readme::assert_shows(&readme::readme_block(&root(), marker), &stdout);
    }
}
