//! `conform`: each rule's violation in a fixture pair (`tests/fixtures/conform/<case>/`, OURS
//! and THEIRS), the project's own v8.1 document against a provider's document grown from it,
//! and the time a provider's document of several megabytes takes.

use crate::provider;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use vbazure_spec::{conform, ConformFinding, ConformKind, Document, Report};

use ConformKind::{Breaking, Drift, Note};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture(case: &str) -> Vec<ConformFinding> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/conform")
        .join(case);
    let load = |name: &str| Document::load(dir.join(name)).unwrap_or_else(|e| panic!("{e}"));
    conform(&load("ours.yaml"), &load("theirs.yaml"))
}

/// Rule, kind, OURS's `line:column` and pointer, THEIRS's `line:column` and pointer.
type Expected = (
    &'static str,
    ConformKind,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[test]
fn each_rule_is_found_with_both_places() {
    let cases: [(&str, &[Expected]); 28] = [
        (
            "additional_properties",
            &[(
                "additional-properties",
                Breaking,
                "21:9",
                "/components/schemas/NewThing/properties/color",
                "19:7",
                "/components/schemas/NewThing/additionalProperties",
            )],
        ),
        (
            "enum_unconstrained",
            &[(
                "enum-unconstrained",
                Drift,
                "27:7",
                "/components/schemas/State/enum",
                "24:5",
                "/components/schemas/State",
            )],
        ),
        (
            "enum_value_missing",
            &[(
                "enum-value-missing",
                Breaking,
                "27:7",
                "/components/schemas/State/enum",
                "27:7",
                "/components/schemas/State/enum",
            )],
        ),
        (
            "enum_value_missing_open",
            &[(
                "enum-value-missing",
                Drift,
                "28:7",
                "/components/schemas/State/enum",
                "27:7",
                "/components/schemas/State/enum",
            )],
        ),
        (
            "enum_value_missing_request",
            &[(
                "enum-value-missing",
                Breaking,
                "29:7",
                "/components/schemas/State/enum",
                "29:7",
                "/components/schemas/State/enum",
            )],
        ),
        (
            "field_missing",
            &[
                (
                    "field-missing",
                    Breaking,
                    "21:9",
                    "/components/schemas/Thing/properties/id",
                    "19:7",
                    "/components/schemas/Thing/properties",
                ),
                (
                    "field-missing",
                    Drift,
                    "22:9",
                    "/components/schemas/Thing/properties/size",
                    "19:7",
                    "/components/schemas/Thing/properties",
                ),
            ],
        ),
        (
            "field_missing_request",
            &[(
                "field-missing",
                Breaking,
                "21:9",
                "/components/schemas/NewThing/properties/color",
                "19:7",
                "/components/schemas/NewThing/properties",
            )],
        ),
        (
            "field_type",
            &[
                (
                    "field-type",
                    Breaking,
                    "22:9",
                    "/components/schemas/Thing/properties/size",
                    "22:9",
                    "/components/schemas/Thing/properties/size",
                ),
                (
                    "field-type",
                    Drift,
                    "23:33",
                    "/components/schemas/Thing/properties/created/format",
                    "23:9",
                    "/components/schemas/Thing/properties/created",
                ),
            ],
        ),
        (
            "media_type",
            &[(
                "media-type",
                Breaking,
                "10:11",
                "/paths/~1api~1things/post/requestBody/content/application~1x-www-form-urlencoded",
                "9:9",
                "/paths/~1api~1things/post/requestBody/content",
            )],
        ),
        (
            "nullable_mismatch",
            &[(
                "nullable-mismatch",
                Breaking,
                "21:9",
                "/components/schemas/Thing/properties/id",
                "21:9",
                "/components/schemas/Thing/properties/id",
            )],
        ),
        (
            "nullable_mismatch_request",
            &[(
                "nullable-mismatch",
                Drift,
                "21:9",
                "/components/schemas/NewThing/properties/color",
                "21:9",
                "/components/schemas/NewThing/properties/color",
            )],
        ),
        (
            "openapi_version",
            &[(
                "openapi-version",
                Breaking,
                "1:1",
                "/openapi",
                "1:1",
                "/swagger",
            )],
        ),
        (
            "operation_deprecated",
            &[(
                "operation-deprecated",
                Drift,
                "5:5",
                "/paths/~1api~1things~1{id}/get",
                "7:7",
                "/paths/~1api~1things~1{id}/get/deprecated",
            )],
        ),
        (
            "operation_missing",
            &[(
                "operation-missing",
                Breaking,
                "5:5",
                "/paths/~1api~1things~1{id}/get",
                "4:3",
                "/paths/~1api~1thing~1{id}",
            )],
        ),
        (
            "parameter_location",
            &[(
                "parameter-location",
                Breaking,
                "9:12",
                "/paths/~1api~1things~1{id}/get/parameters/1",
                "9:12",
                "/paths/~1api~1things~1{id}/get/parameters/1",
            )],
        ),
        (
            "parameter_missing",
            &[(
                "parameter-missing",
                Breaking,
                "9:12",
                "/paths/~1api~1things~1{id}/get/parameters/1",
                "7:7",
                "/paths/~1api~1things~1{id}/get/parameters",
            )],
        ),
        (
            "parameter_name_case",
            &[(
                "parameter-name-case",
                Drift,
                "9:12",
                "/paths/~1api~1things~1{id}/get/parameters/1",
                "9:12",
                "/paths/~1api~1things~1{id}/get/parameters/1",
            )],
        ),
        (
            "parameter_type",
            &[
                (
                    "parameter-type",
                    Breaking,
                    "9:36",
                    "/paths/~1api~1things~1{id}/get/parameters/1/schema",
                    "9:36",
                    "/paths/~1api~1things~1{id}/get/parameters/1/schema",
                ),
                (
                    "parameter-type",
                    Breaking,
                    "10:61",
                    "/paths/~1api~1things~1{id}/get/parameters/2/schema/format",
                    "10:61",
                    "/paths/~1api~1things~1{id}/get/parameters/2/schema/format",
                ),
            ],
        ),
        (
            "path_parameter_name",
            &[(
                "path-parameter-name",
                Note,
                "8:12",
                "/paths/~1api~1things~1{id}/get/parameters/0",
                "8:12",
                "/paths/~1api~1things~1{thingId}/get/parameters/0",
            )],
        ),
        (
            "request_body_missing",
            &[(
                "request-body-missing",
                Breaking,
                "7:7",
                "/paths/~1api~1things/post/requestBody",
                "5:5",
                "/paths/~1api~1things/post",
            )],
        ),
        (
            "required_parameter",
            &[
                (
                    "required-mismatch",
                    Breaking,
                    "7:7",
                    "/paths/~1api~1things~1{id}/get/parameters",
                    "10:12",
                    "/paths/~1api~1things~1{id}/get/parameters/2",
                ),
                (
                    "required-mismatch",
                    Breaking,
                    "9:12",
                    "/paths/~1api~1things~1{id}/get/parameters/1",
                    "9:12",
                    "/paths/~1api~1things~1{id}/get/parameters/1",
                ),
            ],
        ),
        (
            "required_request_field",
            &[
                (
                    "required-mismatch",
                    Breaking,
                    "19:7",
                    "/components/schemas/NewThing/properties",
                    "18:7",
                    "/components/schemas/NewThing/required",
                ),
                (
                    "required-mismatch",
                    Breaking,
                    "21:9",
                    "/components/schemas/NewThing/properties/color",
                    "21:9",
                    "/components/schemas/NewThing/properties/color",
                ),
            ],
        ),
        (
            "required_response_field",
            &[(
                "required-mismatch",
                Breaking,
                "21:9",
                "/components/schemas/Thing/properties/id",
                "20:9",
                "/components/schemas/Thing/properties/id",
            )],
        ),
        (
            "response_body_missing",
            &[(
                "response-body-missing",
                Breaking,
                "13:13",
                "/paths/~1api~1things~1{id}/get/responses/200/content/application~1json",
                "10:9",
                "/paths/~1api~1things~1{id}/get/responses/200",
            )],
        ),
        (
            "schema_unchecked",
            &[(
                "schema-unchecked",
                Note,
                "17:5",
                "/components/schemas/Thing",
                "17:5",
                "/components/schemas/Thing",
            )],
        ),
        (
            "security_mismatch",
            &[(
                "security-mismatch",
                Breaking,
                "7:7",
                "/paths/~1api~1things~1{id}/get/security",
                "3:1",
                "/security",
            )],
        ),
        (
            "status_missing",
            &[(
                "status-missing",
                Drift,
                "15:9",
                "/paths/~1api~1things~1{id}/get/responses/404",
                "9:7",
                "/paths/~1api~1things~1{id}/get/responses",
            )],
        ),
        (
            "status_undocumented",
            &[
                (
                    "status-undocumented",
                    Breaking,
                    "9:7",
                    "/paths/~1api~1things~1{id}/get/responses",
                    "15:9",
                    "/paths/~1api~1things~1{id}/get/responses/202",
                ),
                (
                    "status-undocumented",
                    Drift,
                    "9:7",
                    "/paths/~1api~1things~1{id}/get/responses",
                    "17:9",
                    "/paths/~1api~1things~1{id}/get/responses/500",
                ),
            ],
        ),
    ];
    for (case, expected) in cases {
        let found = fixture(case);
        let shown: Vec<Expected> = found
            .iter()
            .map(|f| {
                assert!(f.ours.file.ends_with("ours.yaml"), "{f}");
                assert!(f.theirs.file.ends_with("theirs.yaml"), "{f}");
                assert!(!f.message.is_empty());
                let at = |p: &vbazure_spec::Place| -> &'static str {
                    Box::leak(p.location.to_string().into_boxed_str())
                };
                let leak = |s: &str| -> &'static str { Box::leak(s.to_string().into_boxed_str()) };
                (
                    f.rule,
                    f.kind,
                    at(&f.ours),
                    leak(&f.ours.pointer),
                    at(&f.theirs),
                    leak(&f.theirs.pointer),
                )
            })
            .collect();
        assert_eq!(shown, expected, "{case}:\n{}", render(&found));
    }
}

fn render(findings: &[ConformFinding]) -> String {
    findings.iter().map(|f| format!("{f}\n")).collect()
}

#[test]
fn messages_say_what_disagrees() {
    let message = |case: &str| fixture(case).remove(0).message;
    assert_eq!(
        message("operation_missing"),
        "THEIRS has no GET /api/things/{id}; the closest path is GET /api/thing/{id}"
    );
    assert_eq!(
        message("nullable_mismatch"),
        "THEIRS may send null for the field `id`, OURS says it is never null: the generated client fails on a null"
    );
    assert!(
        message("enum_value_missing").starts_with("THEIRS may send \"Paused\", which OURS lacks")
    );
    assert_eq!(
        message("parameter_type"),
        "OURS sends string, THEIRS expects integer"
    );
    let finding = fixture("field_missing").remove(0);
    assert_eq!(finding.operation.as_deref(), Some("getThing"));
    let text = finding.to_string();
    assert!(
        text.starts_with("breaking: field-missing: OURS reads the field `id`"),
        "{text}"
    );
    assert!(text.contains("\n  ours:   "), "{text}");
    let json = finding.to_json();
    assert_eq!(json["ours"]["line"], 21);
    assert_eq!(
        json["theirs"]["pointer"],
        "/components/schemas/Thing/properties"
    );
}

#[test]
fn identical_documents_conform() {
    for file in ["openapi.yaml", "openapi-v8.1.yaml"] {
        let doc = Document::load(root().join(file)).unwrap_or_else(|e| panic!("{e}"));
        let found = conform(&doc, &doc);
        assert!(found.is_empty(), "{file}:\n{}", render(&found));
    }
}

fn v8_1() -> Document {
    Document::load(root().join("openapi-v8.1.yaml")).unwrap_or_else(|e| panic!("{e}"))
}

/// The drift and notes the grown provider document must show: it is grown so as to contradict
/// OURS only where OURS is built to cope.
fn assert_conforms(ours: &Document, theirs: &Document, findings: &[ConformFinding]) {
    let breaking: Vec<&ConformFinding> = findings.iter().filter(|f| f.kind == Breaking).collect();
    assert!(breaking.is_empty(), "{}", render(findings));
    let has = |rule: &str, kind: ConformKind, ours_pointer: &str| {
        findings
            .iter()
            .any(|f| f.rule == rule && f.kind == kind && f.ours.pointer == ours_pointer)
    };
    // Open enums in answers: THEIRS's new value is drift.
    assert!(
        has(
            "enum-value-missing",
            Drift,
            "/components/schemas/SessionStatus/enum"
        ),
        "{}",
        render(findings)
    );
    // A 403 without the problem body OURS reads from every 4XX answer.
    assert!(
        has(
            "response-body-missing",
            Drift,
            "/components/responses/ClientError/content/application~1problem+json"
        ),
        "{}",
        render(findings)
    );
    // `{id}` of the machine paths is `{virtualMachineId}` in THEIRS.
    assert!(
        findings
            .iter()
            .any(|f| f.rule == "path-parameter-name" && f.kind == Note),
        "{}",
        render(findings)
    );
    // Every finding names places that exist in both documents.
    assert!(ours.operations().len() >= 10);
    for finding in findings {
        assert!(ours.get(&finding.ours.pointer).is_some(), "{finding}");
        assert!(theirs.get(&finding.theirs.pointer).is_some(), "{finding}");
    }
}

#[test]
fn the_v8_1_document_conforms_to_a_provider_document_grown_from_it() {
    let ours = v8_1();
    let grown = provider::grown_from(ours.value());
    let theirs = Document::parse(
        "provider.yaml",
        &serde_json::to_string_pretty(&grown).unwrap(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(theirs.operations().len() > ours.operations().len() + 30);
    let findings = conform(&ours, &theirs);
    assert_conforms(&ours, &theirs, &findings);
    // The grown document fails where it must: a null where OURS reads a status.
    let mut broken = grown.clone();
    broken["components"]["schemas"]["Provider.Models.JobSession"]["properties"]["status"] = serde_json::json!({"allOf": [{"$ref": "#/components/schemas/Provider.Models.SessionStatus"}], "nullable": true});
    let theirs = Document::parse("broken.json", &serde_json::to_string(&broken).unwrap())
        .unwrap_or_else(|e| panic!("{e}"));
    let findings = conform(&ours, &theirs);
    assert!(
        findings.iter().any(|f| f.rule == "nullable-mismatch"
            && f.kind == Breaking
            && f.ours.pointer == "/components/schemas/JobSession/properties/status"),
        "{}",
        render(&findings)
    );
}

/// A provider's document as large as the appliance's (a few megabytes, hundreds of operations
/// and schemas, one line of JSON as Swagger UI serves it) reads and conforms in well under a
/// second on two cores in a release build; the bound here is loose so that a debug build on a
/// busy machine cannot flake. `cargo bench -p vbazure-spec --bench conform` measures it.
#[test]
fn a_provider_document_of_megabytes_conforms_in_seconds() {
    let ours = v8_1();
    let mut grown = provider::grown_from(ours.value());
    provider::merge(&mut grown, provider::large(400, 600));
    let text = serde_json::to_string(&grown).unwrap();
    assert!(text.len() > 4_000_000, "{} bytes", text.len());
    let started = Instant::now();
    let theirs = Document::parse("provider.json", &text).unwrap_or_else(|e| panic!("{e}"));
    let parsed = started.elapsed();
    let findings = conform(&ours, &theirs);
    let elapsed = started.elapsed();
    assert!(theirs.operations().len() >= 400);
    assert!(
        theirs
            .get("/components/schemas")
            .and_then(|s| s.as_object())
            .unwrap()
            .len()
            >= 600
    );
    assert_conforms(&ours, &theirs, &findings);
    eprintln!(
        "{} bytes: parsed in {parsed:?}, conformed in {:?}",
        text.len(),
        elapsed - parsed
    );
    assert!(elapsed < Duration::from_secs(20), "{elapsed:?}");
}

#[test]
fn the_fixtures_cover_every_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conform");
    let mut rules = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let case = entry.expect("entry").file_name();
        rules.extend(fixture(&case.to_string_lossy()).iter().map(|f| f.rule));
    }
    let all = [
        "additional-properties",
        "enum-unconstrained",
        "enum-value-missing",
        "field-missing",
        "field-type",
        "media-type",
        "nullable-mismatch",
        "openapi-version",
        "operation-deprecated",
        "operation-missing",
        "parameter-location",
        "parameter-missing",
        "parameter-name-case",
        "parameter-type",
        "path-parameter-name",
        "request-body-missing",
        "required-mismatch",
        "response-body-missing",
        "schema-unchecked",
        "security-mismatch",
        "status-missing",
        "status-undocumented",
    ];
    assert_eq!(rules.into_iter().collect::<Vec<_>>(), all);
}
