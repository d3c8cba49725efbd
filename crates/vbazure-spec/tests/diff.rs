//! The breaking-change report classifies every fixture pair (`tests/fixtures/diff/<case>/`).

use std::path::Path;

use vbazure_spec::{diff, Document, Severity};

fn changes(case: &str) -> Vec<(Severity, &'static str, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(case);
    let load = |name: &str| Document::load(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
    diff(&load("old.yaml"), &load("new.yaml"))
        .into_iter()
        .map(|c| (c.severity, c.kind, c.message))
        .collect()
}

fn kinds(case: &str) -> Vec<(Severity, &'static str)> {
    changes(case).into_iter().map(|(s, k, _)| (s, k)).collect()
}

use Severity::{Breaking, Compatible};

#[test]
fn identical_specs_have_no_changes() {
    assert_eq!(changes("identical"), vec![]);
}

#[test]
fn the_move_of_delete_backups_to_v8_1_is_breaking() {
    let found = changes("v8_1_move");
    let expected = [
        (Breaking, "operation-moved", "operation deleteBackups moved: POST /api/v1/virtualMachines/{id}/deleteBackups → POST /api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"),
        (Breaking, "response-status-changed", "the success status changed: 200 → 202"),
        (Breaking, "response-status-changed", "the success status changed: 200 → 204"),
        (Compatible, "parameter-added", "an optional query parameter `BackupTier` was added"),
    ];
    for (severity, kind, message) in expected {
        assert!(
            found
                .iter()
                .any(|(s, k, m)| *s == severity && *k == kind && m == message),
            "{kind}: {message} not in {found:#?}"
        );
    }
    assert_eq!(found.len(), 4, "{found:#?}");
}

#[test]
fn each_fixture_pair_is_classified() {
    let cases: [(&str, Vec<(Severity, &str)>); 13] = [
        ("operation_removed", vec![(Breaking, "operation-removed")]),
        ("operation_added", vec![(Compatible, "operation-added")]),
        ("field_removed", vec![(Breaking, "field-removed")]),
        ("field_now_required", vec![(Breaking, "field-now-required")]),
        ("field_added_optional", vec![(Compatible, "field-added")]),
        (
            "type_changed",
            vec![(Breaking, "format-changed"), (Breaking, "type-changed")],
        ),
        ("format_changed", vec![(Breaking, "format-changed")]),
        ("enum_value_removed", vec![(Breaking, "enum-value-removed")]),
        (
            "enum_value_added_open",
            vec![(Compatible, "enum-value-added")],
        ),
        (
            "enum_value_added_closed",
            vec![(Breaking, "enum-value-added")],
        ),
        (
            "parameter_added_required",
            vec![(Breaking, "parameter-added-required")],
        ),
        (
            "parameter_added_optional",
            vec![(Compatible, "parameter-added")],
        ),
        (
            "response_status_changed",
            vec![(Breaking, "response-status-changed")],
        ),
    ];
    for (case, expected) in cases {
        let mut found = kinds(case);
        found.sort();
        let mut expected = expected;
        expected.sort();
        assert_eq!(found, expected, "{case}: {:#?}", changes(case));
    }
}
