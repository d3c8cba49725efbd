//! The spec's house rules, beyond what the generator needs: what makes it a good source of
//! truth for the client, the mock and the tests.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::check::operation_of;
use crate::{check, examples, pointer, validate, Document, Finding};

/// Every finding of [`check`] and of the rules here:
/// - `missing-summary`: every operation has a `summary`;
/// - `missing-success-response`: every operation documents a 2xx answer;
/// - `missing-example`: every response body has an example;
/// - `example-schema` / `default-schema`: every example and every `default` conforms to its
///   schema (OpenAPI 3.0's `nullable` understood);
/// - `unreadable-example`: examples given in a form that cannot be checked;
/// - `unused-component`: every component is referred to;
/// - `duplicate-parameter`: no parameter is declared twice in one list.
pub fn lint(doc: &Document) -> Vec<Finding> {
    let mut out = check(doc);
    operations(doc, &mut out);
    example_conformance(doc, &mut out);
    defaults(doc, doc.value(), "", &mut out);
    unused_components(doc, &mut out);
    // A shared component is reached from several operations: report each problem once.
    let mut seen = BTreeSet::new();
    out.retain(|f| seen.insert((f.rule, f.pointer.clone(), f.message.clone())));
    out.sort_by_key(|f| f.location);
    out
}

fn operations(doc: &Document, out: &mut Vec<Finding>) {
    // A path item's parameter list is shared by its operations: report each repeat once.
    let mut repeats = BTreeSet::new();
    for operation in doc.operations() {
        let name = Some(operation.name.as_str());
        for repeat in &operation.duplicate_parameters {
            if repeats.insert(repeat.pointer.clone()) {
                out.push(Finding::new(
                    doc,
                    "duplicate-parameter",
                    &repeat.pointer,
                    operation_of(doc, &repeat.pointer).as_deref(),
                    format!(
                        "the {} parameter `{}` is declared twice",
                        repeat.location.as_str(),
                        repeat.name
                    ),
                ));
            }
        }
        if operation
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            out.push(Finding::new(
                doc,
                "missing-summary",
                &operation.pointer,
                name,
                "the operation has no `summary`".into(),
            ));
        }
        if let Some(responses) = &operation.responses_pointer {
            if !operation.responses.iter().any(crate::Response::is_success) {
                out.push(Finding::new(
                    doc,
                    "missing-success-response",
                    responses,
                    name,
                    "the operation documents no 2xx answer".into(),
                ));
            }
        }
        for response in &operation.responses {
            for media in response.content.iter().filter(|m| m.schema.is_some()) {
                if !media.has_example() {
                    out.push(Finding::new(
                        doc,
                        "missing-example",
                        &media.pointer,
                        name,
                        format!(
                            "the {} {} body has no example",
                            response.status, media.media_type
                        ),
                    ));
                }
            }
        }
    }
}

fn example_conformance(doc: &Document, out: &mut Vec<Finding>) {
    let walked = examples(doc);
    for unreadable in walked.unreadable {
        let operation = operation_of(doc, &unreadable.pointer);
        out.push(Finding::new(
            doc,
            "unreadable-example",
            &unreadable.pointer,
            operation.as_deref(),
            unreadable.reason,
        ));
    }
    for example in walked.found {
        let Some(schema) = &example.schema_pointer else {
            continue;
        };
        for violation in validate(doc, schema, &example.value) {
            let at = format!("{}{}", example.pointer, violation.instance);
            out.push(Finding::new(
                doc,
                "example-schema",
                &at,
                example.operation_id.as_deref(),
                format!(
                    "the example {} breaks its schema: {violation}",
                    example.name
                ),
            ));
        }
    }
}

/// Every `default` inside a schema conforms to that schema.
fn defaults(doc: &Document, value: &Value, at: &str, out: &mut Vec<Finding>) {
    let Some(map) = value.as_object() else {
        if let Some(items) = value.as_array() {
            for (i, item) in items.iter().enumerate() {
                defaults(doc, item, &pointer::push(at, &i.to_string()), out);
            }
        }
        return;
    };
    let is_schema =
        map.contains_key("type") || map.contains_key("$ref") || map.contains_key("properties");
    if let (true, Some(default)) = (is_schema, map.get("default")) {
        for violation in validate(doc, at, default) {
            let default_pointer = pointer::push(at, "default");
            out.push(Finding::new(
                doc,
                "default-schema",
                &default_pointer,
                operation_of(doc, at).as_deref(),
                format!(
                    "the default {default} breaks its schema: {}",
                    violation.message
                ),
            ));
        }
    }
    for (key, child) in map {
        if key == "example" || key == "examples" || key == "default" {
            continue;
        }
        defaults(doc, child, &pointer::push(at, key), out);
    }
}

fn unused_components(doc: &Document, out: &mut Vec<Finding>) {
    let mut referenced = BTreeSet::new();
    collect_refs(doc.value(), &mut referenced);
    // Security schemes are named in `security` requirements, not referred to by `$ref`.
    let mut schemes = BTreeSet::new();
    collect_security(doc.value(), &mut schemes);
    for (kind, members) in doc
        .get("/components")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (name, _) in members.as_object().into_iter().flatten() {
            let at = pointer::push(&pointer::push("/components", kind), name);
            let used = if kind == "securitySchemes" {
                schemes.contains(name)
            } else {
                referenced.contains(&format!("#{at}"))
            };
            if !used {
                out.push(Finding::new(
                    doc,
                    "unused-component",
                    &at,
                    None,
                    format!("components/{kind}/{name} is never used"),
                ));
            }
        }
    }
}

fn collect_refs(value: &Value, into: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            if let Some(r) = map.get("$ref").and_then(Value::as_str) {
                into.insert(r.to_string());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

fn collect_security(value: &Value, into: &mut BTreeSet<String>) {
    if let Value::Object(map) = value {
        if let Some(requirements) = map.get("security").and_then(Value::as_array) {
            for requirement in requirements.iter().filter_map(Value::as_object) {
                into.extend(requirement.keys().cloned());
            }
        }
        map.values().for_each(|v| collect_security(v, into));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{bearer: []}]
paths:
  /things:
    get:
      operationId: listThings
      summary: List things
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 1, default: 30}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              example: {id: "1", size: null}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer, nullable: true}
"##;

    fn rules(text: &str) -> Vec<(&'static str, String)> {
        let doc = Document::parse("t.yaml", text).ok().unwrap();
        lint(&doc)
            .into_iter()
            .map(|f| (f.rule, f.render("t.yaml")))
            .collect()
    }

    #[test]
    fn a_clean_spec_has_no_findings() {
        assert_eq!(rules(GOOD), vec![]);
    }

    #[test]
    fn each_rule_fires_where_it_should() {
        let cases = [
            (GOOD.replace("      summary: List things\n", ""), "missing-summary", "t.yaml:7:5"),
            (GOOD.replace("\"200\":", "\"404\":"), "missing-success-response", "t.yaml:12:7"),
            (GOOD.replace("              example: {id: \"1\", size: null}\n", ""), "missing-example", "t.yaml:16:13"),
            (GOOD.replace("example: {id: \"1\", size: null}", "example: {id: 1}"), "example-schema", "/example/id"),
            (GOOD.replace("default: 30", "default: 0"), "default-schema", "t.yaml:11:"),
            (GOOD.replace("        - {name: limit", "        - {name: limit, in: query, schema: {type: integer}}\n        - {name: limit"), "duplicate-parameter", "the query parameter `limit` is declared twice"),
            (GOOD.replace("  schemas:\n", "  schemas:\n    Unused: {type: string}\n"), "unused-component", "components/schemas/Unused is never used"),
            (GOOD.replace("security: [{bearer: []}]\n", ""), "unused-component", "components/securitySchemes/bearer"),
        ];
        for (text, rule, place) in cases {
            let found = rules(&text);
            assert!(
                found
                    .iter()
                    .any(|(r, rendered)| *r == rule && rendered.contains(place)),
                "{rule} at {place} not in {found:#?}"
            );
        }
    }
}
