//! The `vbazure-spec` command: check, lint and diff as a person or a CI job runs them.

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
    assert!(stdout.contains("BREAKING    deleteBackups: operation deleteBackups moved: POST /api/v1/virtualMachines/{id}/deleteBackups → POST /api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"), "{stdout}");
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
