//! Operations with several success answers get an enum with a variant per documented status,
//! generated from the document: adding a status to the document changes it.

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: fixture, version: "1"}
paths:
  /things/{id}/purge:
    post:
      operationId: purgeThing
      summary: Purge a thing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        "202":
          description: Started.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Job"}
        "204":
          description: Nothing to purge.
        "4XX":
          description: Refused.
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
components:
  schemas:
    Job:
      type: object
      properties:
        id: {type: string}
    Report:
      type: object
      properties:
        purged: {type: integer}
    Problem:
      type: object
      properties:
        title: {type: string}
"##;

fn surface(spec: &str) -> String {
    match vbazure_codegen::generate("fixture.yaml", spec) {
        Ok(generated) => generated.surface,
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn each_documented_success_answer_is_a_variant() {
    let lines = surface(SPEC);
    assert!(
        lines.contains("types::PurgeThingAnswer = Accepted(Job) | NoContent\n"),
        "{lines}"
    );
    assert!(
        lines.contains(
            "builder::PurgeThing::send_answer(Self) -> Result<ResponseValue<PurgeThingAnswer>, Error<ByteStream>>"
        ),
        "{lines}"
    );
}

#[test]
fn a_success_status_added_to_the_document_changes_the_enum() {
    let with_200 = SPEC.replace(
        "        \"202\":",
        "        \"200\":\n          description: Purged at once.\n          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/Report\"}\n        \"202\":",
    );
    let lines = surface(&with_200);
    assert!(
        lines.contains("types::PurgeThingAnswer = Ok(Report) | Accepted(Job) | NoContent\n"),
        "{lines}"
    );
}

#[test]
fn an_inline_success_body_among_several_is_still_refused_with_its_operation() {
    let inline = SPEC.replace(
        "              schema: {$ref: \"#/components/schemas/Job\"}",
        "              schema: {type: object, properties: {id: {type: string}}}",
    );
    let error = vbazure_codegen::generate("fixture.yaml", &inline)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        error.contains("several-body-types") && error.contains("operation purgeThing"),
        "{error}"
    );
}
