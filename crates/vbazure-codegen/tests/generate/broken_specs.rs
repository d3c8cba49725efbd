//! Each class of broken spec gets a message that names the file, line and column, the rule and
//! the operation, never a panic from inside the generator. The build script prints exactly
//! these messages (it calls the same `generate`).

use std::path::Path;

fn generate(fixture: &str) -> Result<vbazure_codegen::Generated, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/broken")
        .join(fixture);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    vbazure_codegen::generate(fixture, &text).map_err(|e| e.to_string())
}

fn message(fixture: &str) -> String {
    match generate(fixture) {
        Ok(_) => panic!("{fixture} generated a client"),
        Err(message) => {
            assert!(
                !message.contains("panicked at") && !message.contains("RUST_BACKTRACE"),
                "{message}"
            );
            message
        }
    }
}

fn assert_says(fixture: &str, expected: &[&str]) {
    let message = message(fixture);
    for part in expected {
        assert!(
            message.contains(part),
            "{fixture}: {part:?} not in:\n{message}"
        );
    }
}

#[test]
fn the_valid_fixture_generates() {
    let generated = generate("valid.yaml").expect("generates");
    assert!(generated.surface.contains("Client::get_thing"));
}

#[test]
fn invalid_yaml_names_its_line() {
    assert_says("invalid_yaml.yaml", &["invalid_yaml.yaml:7:"]);
}

#[test]
fn openapi_3_1_is_refused() {
    assert_says(
        "openapi_3_1.yaml",
        &["openapi_3_1.yaml:1:1: openapi-version: OpenAPI 3.1.0 is not supported"],
    );
}

#[test]
fn a_missing_operation_id() {
    assert_says(
        "missing_operation_id.yaml",
        &[
            "missing_operation_id.yaml:5:5: missing-operation-id",
            "(operation GET /things/{id}, at /paths/~1things~1{id}/get)",
        ],
    );
}

#[test]
fn a_duplicate_operation_id() {
    assert_says(
        "duplicate_operation_id.yaml",
        &["duplicate_operation_id.yaml:23:7: duplicate-operation-id: `operationId: getThing` is already used at duplicate_operation_id.yaml:6:7"],
    );
}

#[test]
fn a_ref_to_a_missing_component() {
    assert_says(
        "missing_ref.yaml",
        &[
            "missing_ref.yaml:15:",
            "missing-ref: `$ref: #/components/schemas/Thingy` points at nothing",
            "(operation getThing,",
        ],
    );
}

#[test]
fn an_unknown_type() {
    assert_says(
        "unknown_type.yaml",
        &[
            "unknown_type.yaml:26:",
            "unknown-type: `type: integr` is not one of string, number",
            "/components/schemas/Thing/properties/id/type",
        ],
    );
}

#[test]
fn path_parameters_declared_and_used() {
    assert_says(
        "undeclared_path_parameter.yaml",
        &[
            "undeclared-path-parameter: the path has `{partId}` but no parameter `partId`",
            "(operation getThing,",
        ],
    );
    assert_says(
        "unused_path_parameter.yaml",
        &["unused_path_parameter.yaml:10:", "unused-path-parameter: the path parameter `version` is declared but the path has no `{version}`"],
    );
}

#[test]
fn one_success_and_one_error_body_type() {
    assert_says(
        "two_success_bodies.yaml",
        &[
            "two_success_bodies.yaml:10:",
            "several-body-types: the success answers have 2 different body types",
            "(operation getThing,",
        ],
    );
    assert_says(
        "two_error_bodies.yaml",
        &["several-body-types: the error answers have 2 different body types"],
    );
}

#[test]
fn missing_responses() {
    assert_says(
        "missing_responses.yaml",
        &[
            "missing_responses.yaml:5:5: missing-responses",
            "(operation getThing,",
        ],
    );
}

#[test]
fn several_problems_are_reported_together() {
    let message = message("several_problems.yaml");
    assert!(
        message.starts_with("several_problems.yaml has 3 problem(s):"),
        "{message}"
    );
    for rule in ["openapi-version", "missing-ref", "unknown-type"] {
        assert!(message.contains(rule), "{rule}: {message}");
    }
}

#[test]
fn a_panic_inside_the_generator_names_the_operation() {
    assert_says(
        "generator_panic.yaml",
        &["the client generator failed: it panicked while generating operation getThing (GET /things/{id})"],
    );
}
