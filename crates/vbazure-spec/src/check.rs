//! Checks that a spec is one the client generator can use, before it runs: each problem a
//! generator would panic on (or silently get wrong) becomes a [`Finding`] with its place.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::examples::METHODS;
use crate::{pointer, Document, Finding};

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

/// The operation a pointer lies in, as `operationId` (or `METHOD path`).
pub(crate) fn operation_of(doc: &Document, at: &str) -> Option<String> {
    let tokens = pointer::tokens(at);
    if tokens.len() < 3 || tokens[0] != "paths" || !METHODS.contains(&tokens[2].as_str()) {
        return None;
    }
    let op = pointer::push(&pointer::push("/paths", &tokens[1]), &tokens[2]);
    Some(
        doc.get(&pointer::push(&op, "operationId"))
            .and_then(Value::as_str)
            .map_or_else(
                || format!("{} {}", tokens[2].to_uppercase(), tokens[1]),
                str::to_string,
            ),
    )
}

fn operations(doc: &Document, out: &mut Vec<Finding>) {
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in doc
        .get("/paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_pointer = pointer::push("/paths", path);
        let in_path: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_string)
            .collect();
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let op_pointer = pointer::push(&item_pointer, method);
            let name = operation_of(doc, &op_pointer);
            let name = name.as_deref();
            match operation.get("operationId").and_then(Value::as_str) {
                None => out.push(Finding::new(
                    doc,
                    "missing-operation-id",
                    &op_pointer,
                    name,
                    "the operation has no `operationId`; the generator names methods after it"
                        .into(),
                )),
                Some(id) => {
                    let id_pointer = pointer::push(&op_pointer, "operationId");
                    if let Some(first) = ids.insert(id.to_string(), id_pointer.clone()) {
                        out.push(Finding::new(
                            doc,
                            "duplicate-operation-id",
                            &id_pointer,
                            name,
                            format!(
                                "`operationId: {id}` is already used at {}",
                                doc.describe(&first)
                            ),
                        ));
                    }
                }
            }
            path_parameters(doc, &item_pointer, &op_pointer, &in_path, name, out);
            responses(doc, &op_pointer, name, out);
        }
    }
}

/// Path parameters: every `{name}` declared, every declared one in the path.
fn path_parameters(
    doc: &Document,
    item: &str,
    op: &str,
    in_path: &BTreeSet<String>,
    name: Option<&str>,
    out: &mut Vec<Finding>,
) {
    let mut declared: BTreeMap<String, String> = BTreeMap::new();
    for list in [
        pointer::push(item, "parameters"),
        pointer::push(op, "parameters"),
    ] {
        let count = doc.get(&list).and_then(Value::as_array).map_or(0, Vec::len);
        for i in 0..count {
            let at = pointer::push(&list, &i.to_string());
            let Some((_, param)) = doc.deref(&at) else {
                continue;
            };
            if param.get("in").and_then(Value::as_str) == Some("path") {
                if let Some(param_name) = param.get("name").and_then(Value::as_str) {
                    declared.insert(param_name.to_string(), at);
                }
            }
        }
    }
    for missing in in_path.iter().filter(|p| !declared.contains_key(*p)) {
        out.push(Finding::new(
            doc,
            "undeclared-path-parameter",
            op,
            name,
            format!("the path has `{{{missing}}}` but no parameter `{missing}` with `in: path` is declared"),
        ));
    }
    for (extra, at) in declared.iter().filter(|(p, _)| !in_path.contains(*p)) {
        out.push(Finding::new(
            doc,
            "unused-path-parameter",
            at,
            name,
            format!("the path parameter `{extra}` is declared but the path has no `{{{extra}}}`"),
        ));
    }
}

/// `responses` exists, and its success and error answers each have one body type at most: the
/// generator gives each operation one success type and one error type.
fn responses(doc: &Document, op: &str, name: Option<&str>, out: &mut Vec<Finding>) {
    let at = pointer::push(op, "responses");
    let Some(responses) = doc.get(&at).and_then(Value::as_object) else {
        out.push(Finding::new(
            doc,
            "missing-responses",
            op,
            name,
            "the operation has no `responses`".into(),
        ));
        return;
    };
    let mut success: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut error: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let has_success_range = responses.contains_key("2XX");
    for (status, _) in responses {
        let status_pointer = pointer::push(&at, status);
        let kind = body_kind(doc, &status_pointer);
        let is_default = status == "default";
        if status.starts_with('2') || (is_default && !has_success_range) {
            success
                .entry(kind.clone())
                .or_default()
                .push(status.clone());
        }
        if status.starts_with('4') || status.starts_with('5') || is_default {
            error.entry(kind).or_default().push(status.clone());
        }
    }
    for (group, kinds) in [("success", success), ("error", error)] {
        if kinds.len() > 1 {
            let described: Vec<String> = kinds
                .iter()
                .map(|(kind, statuses)| format!("{} → {kind}", statuses.join(", ")))
                .collect();
            out.push(Finding::new(
                doc,
                "several-body-types",
                &at,
                name,
                format!(
                    "the {group} answers have {} different body types ({}); the generator allows one: \
                     give them one schema (use 4XX/5XX ranges for errors)",
                    kinds.len(),
                    described.join("; ")
                ),
            ));
        }
    }
}

/// What the generator makes of a response's body: a JSON schema, no body, or raw bytes.
fn body_kind(doc: &Document, response: &str) -> String {
    let Some((target, value)) = doc.deref(response) else {
        return "unresolved".into();
    };
    let Some(content) = value
        .get("content")
        .and_then(Value::as_object)
        .filter(|c| !c.is_empty())
    else {
        return "no body".into();
    };
    let json = content
        .iter()
        .find(|(media, _)| *media == "application/json" || media.starts_with("application/json;"));
    match json {
        Some((media, body)) => match body.get("schema") {
            Some(schema) => match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => format!("`{reference}`"),
                None => format!(
                    "the inline schema at {}",
                    pointer::push(
                        &pointer::push(&pointer::push(&target, "content"), media),
                        "schema"
                    )
                ),
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
