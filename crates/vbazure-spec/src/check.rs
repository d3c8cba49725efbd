//! Checks that a spec is one the client generator can use, before it runs: each problem a
//! generator would panic on (or silently get wrong) becomes a [`Finding`] with its place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::operations::Operation;
use crate::{pointer, Document, Finding, ParameterIn};

const TYPES: [&str; 6] = ["string", "number", "integer", "boolean", "array", "object"];

/// Every problem found, in document order. Empty means the generator can run.
pub fn check(doc: &Document) -> Vec<Finding> {
    let mut out = Vec::new();
    version(doc, &mut out);
    refs_and_types(doc, doc.value(), "", &mut out);
    operations(doc, &mut out);
    out.sort_by_key(|f| f.location);
    out
}

fn version(doc: &Document, out: &mut Vec<Finding>) {
    match doc.get("/openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") || v == "3.0" => {}
        Some(v) => out.push(Finding::new(
            doc,
            "openapi-version",
            "/openapi",
            None,
            format!("OpenAPI {v} is not supported: the generator reads 3.0.x only"),
        )),
        None => out.push(Finding::new(
            doc,
            "openapi-version",
            "",
            None,
            "the document has no `openapi: 3.0.x` version".into(),
        )),
    }
}

/// Every `$ref` leads somewhere; every `type` is one of OpenAPI's.
fn refs_and_types(doc: &Document, value: &Value, at: &str, out: &mut Vec<Finding>) {
    match value {
        Value::Object(map) => {
            if let Some(target) = map.get("$ref") {
                let ok = target
                    .as_str()
                    .is_some_and(|r| doc.resolve_ref(r).is_some());
                if !ok {
                    let shown = target
                        .as_str()
                        .map_or_else(|| target.to_string(), str::to_string);
                    out.push(Finding::new(
                        doc,
                        "missing-ref",
                        &pointer::push(at, "$ref"),
                        operation_of(doc, at).as_deref(),
                        format!("`$ref: {shown}` points at nothing in this document"),
                    ));
                }
            }
            if is_schema_position(at) {
                if let Some(kind) = map.get("type") {
                    if !kind.as_str().is_some_and(|k| TYPES.contains(&k)) {
                        out.push(Finding::new(
                            doc,
                            "unknown-type",
                            &pointer::push(at, "type"),
                            operation_of(doc, at).as_deref(),
                            format!(
                                "`type: {}` is not one of {}",
                                kind.as_str().unwrap_or(&kind.to_string()),
                                TYPES.join(", ")
                            ),
                        ));
                    }
                }
            }
            for (key, child) in map {
                // Examples are data, not schemas.
                if (key == "example" || key == "examples") && !at.ends_with("/properties") {
                    continue;
                }
                refs_and_types(doc, child, &pointer::push(at, key), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                refs_and_types(doc, item, &pointer::push(at, &i.to_string()), out);
            }
        }
        _ => {}
    }
}

/// Whether the object at `at` is a schema (so its `type` is a schema type): under
/// `components/schemas`, or reached through `schema`, `items`, `properties/*`,
/// `additionalProperties`, `allOf`/`anyOf`/`oneOf` or `not`.
fn is_schema_position(at: &str) -> bool {
    let tokens = pointer::tokens(at);
    let n = tokens.len();
    let last = tokens.last().map(String::as_str);
    let parent = n.checked_sub(2).map(|i| tokens[i].as_str());
    matches!(
        last,
        Some("schema" | "items" | "additionalProperties" | "not")
    ) || matches!(parent, Some("properties" | "allOf" | "anyOf" | "oneOf"))
        || (n == 3 && tokens[0] == "components" && tokens[1] == "schemas")
}

/// The operation a pointer lies in, by its name (`operationId`, or `METHOD path`).
pub(crate) fn operation_of(doc: &Document, at: &str) -> Option<String> {
    doc.operation_at(at).map(|o| o.name.clone())
}

fn operations(doc: &Document, out: &mut Vec<Finding>) {
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for operation in doc.operations() {
        let name = Some(operation.name.as_str());
        match &operation.operation_id {
            None => out.push(Finding::new(
                doc,
                "missing-operation-id",
                &operation.pointer,
                name,
                "the operation has no `operationId`; the generator names methods after it".into(),
            )),
            Some(id) => {
                let id_pointer = pointer::push(&operation.pointer, "operationId");
                match ids.get(id.as_str()) {
                    Some(first) => out.push(Finding::new(
                        doc,
                        "duplicate-operation-id",
                        &id_pointer,
                        name,
                        format!(
                            "`operationId: {id}` is already used at {}",
                            doc.describe(first)
                        ),
                    )),
                    None => {
                        ids.insert(id, id_pointer);
                    }
                }
            }
        }
        path_parameters(doc, operation, out);
        responses(doc, operation, out);
    }
    // A path item's parameter is shared by its operations: report a problem with it once.
    let mut seen = BTreeSet::new();
    out.retain(|f| seen.insert((f.rule, f.pointer.clone(), f.message.clone())));
}

/// Path parameters: every `{name}` declared, every declared one in the path.
fn path_parameters(doc: &Document, operation: &Operation, out: &mut Vec<Finding>) {
    let name = Some(operation.name.as_str());
    let in_path: BTreeSet<&str> = operation
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect();
    let declared: Vec<_> = operation
        .parameters
        .iter()
        .filter(|p| p.location == ParameterIn::Path)
        .collect();
    for missing in in_path
        .iter()
        .filter(|p| !declared.iter().any(|d| d.name == **p))
    {
        out.push(Finding::new(
            doc,
            "undeclared-path-parameter",
            &operation.pointer,
            name,
            format!("the path has `{{{missing}}}` but no parameter `{missing}` with `in: path` is declared"),
        ));
    }
    for extra in declared
        .iter()
        .filter(|p| !in_path.contains(p.name.as_str()))
    {
        out.push(Finding::new(
            doc,
            "unused-path-parameter",
            &extra.pointer,
            name,
            format!(
                "the path parameter `{}` is declared but the path has no `{{{}}}`",
                extra.name, extra.name
            ),
        ));
    }
}

/// `responses` exists, and its success and error answers each have one body type at most: the
/// generator gives each operation one success type and one error type.
fn responses(doc: &Document, operation: &Operation, out: &mut Vec<Finding>) {
    let name = Some(operation.name.as_str());
    let Some(at) = &operation.responses_pointer else {
        out.push(Finding::new(
            doc,
            "missing-responses",
            &operation.pointer,
            name,
            "the operation has no `responses`".into(),
        ));
        return;
    };
    let mut success: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut error: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let has_success_range = operation.responses.iter().any(|r| r.status == "2XX");
    // The codegen tells several success answers apart when each has its own status code and
    // a body that is either absent or a component schema (see `several_success_answers`).
    let mut one_type_per_code = true;
    for response in &operation.responses {
        let kind = body_kind(doc, response);
        let status = &response.status;
        let is_default = status == "default";
        if response.is_success() || (is_default && !has_success_range) {
            let exact = status.len() == 3 && status.bytes().all(|b| b.is_ascii_digit());
            one_type_per_code &= exact && (kind == "no body" || kind.starts_with('`'));
            success
                .entry(kind.clone())
                .or_default()
                .push(status.clone());
        }
        if response.is_error() {
            error.entry(kind).or_default().push(status.clone());
        }
    }
    if one_type_per_code {
        success.clear();
    }
    for (group, kinds) in [("success", success), ("error", error)] {
        if kinds.len() > 1 {
            let described: Vec<String> = kinds
                .iter()
                .map(|(kind, statuses)| format!("{} → {kind}", statuses.join(", ")))
                .collect();
            let advice = if group == "success" {
                "several success answers are generated only when each has its own status code \
                 (no range, no `default`) and either no body or a `$ref` to a component schema"
            } else {
                "the generator allows one error type: give them one schema (use 4XX/5XX ranges)"
            };
            out.push(Finding::new(
                doc,
                "several-body-types",
                at,
                name,
                format!(
                    "the {group} answers have {} different body types ({}); {advice}",
                    kinds.len(),
                    described.join("; ")
                ),
            ));
        }
    }
}

/// What the generator makes of a response's body: a JSON schema, no body, or raw bytes.
fn body_kind(doc: &Document, response: &crate::Response) -> String {
    if response.target.is_none() {
        return "unresolved".into();
    }
    if response.content.is_empty() {
        return "no body".into();
    }
    let json = response.content.iter().find(|m| {
        m.media_type == "application/json" || m.media_type.starts_with("application/json;")
    });
    match json {
        Some(media) => match &media.schema {
            Some(schema_at) => match doc
                .get(schema_at)
                .and_then(|schema| schema.get("$ref"))
                .and_then(Value::as_str)
            {
                Some(reference) => format!("`{reference}`"),
                None => format!("the inline schema at {schema_at}"),
            },
            None => "JSON without a schema".into(),
        },
        None => "raw bytes".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_positions() {
        assert!(is_schema_position("/components/schemas/X"));
        assert!(is_schema_position("/components/schemas/X/properties/a"));
        assert!(is_schema_position(
            "/paths/~1a/get/responses/200/content/application~1json/schema"
        ));
        assert!(!is_schema_position("/components/schemas/X/properties"));
        assert!(!is_schema_position("/components/securitySchemes/bearer"));
    }
}
