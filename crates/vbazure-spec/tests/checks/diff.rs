//! The breaking-change report classifies every fixture pair (`tests/fixtures/diff/<case>/`).

use std::path::Path;

use vbazure_spec::{diff, Change, Direction, Document, Report, Severity};

fn full(case: &str) -> Vec<Change> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(case);
    let load = |name: &str| Document::load(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
    diff(&load("old.yaml"), &load("new.yaml"))
}

fn changes(case: &str) -> Vec<(Severity, &'static str, String)> {
    full(case)
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
    let cases: [(&str, Vec<(Severity, &str)>); 18] = [
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
        (
            "required_in_request",
            vec![(Breaking, "field-now-required")],
        ),
        (
            "required_in_response",
            vec![(Breaking, "field-now-required")],
        ),
        (
            "nullable_in_request",
            vec![(Breaking, "now-nullable"), (Compatible, "now-nullable")],
        ),
        (
            "nullable_in_response",
            vec![(Breaking, "now-nullable"), (Breaking, "now-nullable")],
        ),
        (
            "component_in_both",
            vec![(Breaking, "field-now-required"), (Breaking, "now-nullable")],
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

/// Kind, where the change lies (its pointer's last token), direction, wire, Rust.
type Placed = (&'static str, String, Direction, bool, bool);
type Expected = (&'static str, &'static str, Direction, bool, bool);

fn placed(case: &str) -> Vec<Placed> {
    let mut found: Vec<Placed> = full(case)
        .into_iter()
        .map(|c| {
            let last = c.pointer.rsplit('/').next().unwrap_or_default().to_string();
            (c.kind, last, c.direction, c.breaks.wire, c.breaks.rust)
        })
        .collect();
    found.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    found
}

#[test]
fn each_change_says_its_direction_and_what_it_breaks() {
    use Direction::{Both, Request, Response};
    let cases: [(&str, Vec<Expected>); 11] = [
        // Required in a request: the old client may leave it out, and `Option<T>` becomes `T`.
        (
            "required_in_request",
            vec![("field-now-required", "schedule", Request, true, true)],
        ),
        // Required in an answer: fine on the wire, but `Option<T>` becomes `T`.
        (
            "required_in_response",
            vec![("field-now-required", "schedule", Response, false, true)],
        ),
        (
            "field_now_required",
            vec![("field-now-required", "usn", Response, false, true)],
        ),
        // Nullable in a request: the server accepts more; a required field's type changes.
        (
            "nullable_in_request",
            vec![
                ("now-nullable", "name", Request, false, true),
                ("now-nullable", "schedule", Request, false, false),
            ],
        ),
        // Nullable in an answer: the old client fails on a null.
        (
            "nullable_in_response",
            vec![
                ("now-nullable", "id", Response, true, true),
                ("now-nullable", "schedule", Response, true, false),
            ],
        ),
        // `Policy` is sent and read; `Schedule` is reached from it through a `$ref`.
        (
            "component_in_both",
            vec![
                ("field-now-required", "hour", Both, true, true),
                ("now-nullable", "description", Both, true, false),
            ],
        ),
        // int64 → int32 in an answer: the old client's i64 reads it; the Rust type changes.
        (
            "format_changed",
            vec![("format-changed", "format", Response, false, true)],
        ),
        (
            "enum_value_removed",
            vec![("enum-value-removed", "enum", Response, false, true)],
        ),
        (
            "enum_value_added_open",
            vec![("enum-value-added", "enum", Response, false, false)],
        ),
        (
            "parameter_added_required",
            vec![("parameter-added-required", "1", Request, true, true)],
        ),
        (
            "v8_1_move",
            vec![
                ("operation-moved", "post", Both, true, false),
                ("parameter-added", "1", Request, false, false),
                (
                    "response-status-changed",
                    "responses",
                    Response,
                    true,
                    false,
                ),
                (
                    "response-status-changed",
                    "responses",
                    Response,
                    true,
                    false,
                ),
            ],
        ),
    ];
    for (case, expected) in cases {
        let expected: Vec<Placed> = expected
            .into_iter()
            .map(|(k, at, d, w, r)| (k, at.to_string(), d, w, r))
            .collect();
        assert_eq!(placed(case), expected, "{case}: {:#?}", full(case));
    }
}

#[test]
fn breaking_means_it_breaks_the_wire_or_rust_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diff");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let case = entry.expect("entry").file_name();
        for change in full(&case.to_string_lossy()) {
            let breaks = change.breaks.wire || change.breaks.rust;
            assert_eq!(change.severity == Breaking, breaks, "{change:?}");
            let json = change.to_json();
            assert_eq!(json["breaks"]["wire"], change.breaks.wire);
            assert_eq!(json["direction"], change.direction.as_str());
            seen += 1;
        }
    }
    assert!(seen > 20, "{seen}");
}
