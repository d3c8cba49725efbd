//! A provider's full document, as large as the appliance publishes, generated here: the
//! conformance check's performance is measured on it (tests/checks/conform.rs and benches/conform.rs).
//! Its shape follows what ASP.NET's Swagger generators write: every operation with parameters,
//! statuses 200/400/401/403/404/500, `allOf` wrappers for nullable `$ref`s, enums of strings,
//! descriptions on every field.

use serde_json::{json, Map, Value};

/// A sentence of filler, as long as a real field description.
const PROSE: &str = "The value as the appliance reports it; it may be absent for resources \
created before the feature existed, and later versions may refine what it means.";

/// A document with `operations` operations (four per path) and `schemas` object schemas.
pub(crate) fn large(operations: usize, schemas: usize) -> Value {
    let schemas = schemas.max(1);
    let mut components = Map::new();
    for i in 0..20 {
        let values: Vec<String> = (0..12).map(|v| format!("State{i}x{v}")).collect();
        components.insert(
            format!("Status{i}"),
            json!({"type": "string", "description": PROSE, "enum": values}),
        );
    }
    components.insert(
        "ProblemDetails".into(),
        json!({
            "type": "object",
            "additionalProperties": {},
            "properties": {
                "type": {"type": "string", "nullable": true},
                "title": {"type": "string", "nullable": true},
                "status": {"type": "integer", "format": "int32", "nullable": true},
                "detail": {"type": "string", "nullable": true},
                "instance": {"type": "string", "nullable": true},
            },
        }),
    );
    for i in 0..schemas {
        let mut properties = Map::new();
        let mut field = |name: String, schema: Value| {
            let mut schema = schema;
            schema["description"] = Value::String(format!("{name}: {PROSE}"));
            properties.insert(name, schema);
        };
        field("id".into(), json!({"type": "string", "format": "uuid"}));
        field("name".into(), json!({"type": "string", "nullable": true}));
        field(
            "count".into(),
            json!({"type": "integer", "format": "int32", "nullable": true}),
        );
        field("size".into(), json!({"type": "integer", "format": "int64"}));
        field(
            "ratio".into(),
            json!({"type": "number", "format": "double", "nullable": true}),
        );
        field(
            "active".into(),
            json!({"type": "boolean", "nullable": true}),
        );
        field(
            "created".into(),
            json!({"type": "string", "format": "date-time", "nullable": true}),
        );
        field(
            "status".into(),
            json!({"allOf": [{"$ref": format!("#/components/schemas/Status{}", i % 20)}], "nullable": true}),
        );
        field(
            "tags".into(),
            json!({"type": "array", "nullable": true, "items": {"type": "string"}}),
        );
        field(
            "parent".into(),
            json!({"allOf": [{"$ref": format!("#/components/schemas/Model{}", (i + 1) % schemas)}], "nullable": true}),
        );
        field(
            "children".into(),
            json!({"type": "array", "nullable": true, "items": {"$ref": format!("#/components/schemas/Model{}", (i + 7) % schemas)}}),
        );
        field(
            "labels".into(),
            json!({"type": "object", "nullable": true, "additionalProperties": {"type": "string"}}),
        );
        for k in 0..8 {
            field(
                format!("detail{k}"),
                json!({"type": "string", "nullable": true}),
            );
        }
        components.insert(
            format!("Model{i}"),
            json!({
                "type": "object",
                "description": PROSE,
                "required": ["id"],
                "additionalProperties": false,
                "properties": properties,
            }),
        );
    }
    let mut paths = Map::new();
    let error = |status: &str| {
        json!({
            "description": format!("{status}: {PROSE}"),
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}},
                "text/json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}},
            },
        })
    };
    for i in 0..operations {
        let path = format!("/api/v8.1/resources{}/{{id}}", i / 4);
        let method = ["get", "put", "post", "delete"][i % 4];
        let model = format!("#/components/schemas/Model{}", i % schemas);
        let mut operation = json!({
            "tags": [format!("Resources{}", i / 4)],
            "summary": format!("Operation {i}"),
            "description": PROSE,
            "operationId": format!("operation{i}"),
            "parameters": [
                {"name": "id", "in": "path", "required": true, "description": PROSE, "schema": {"type": "string", "format": "uuid"}},
                {"name": "Offset", "in": "query", "description": PROSE, "schema": {"type": "integer", "format": "int32", "default": 0}},
                {"name": "Limit", "in": "query", "description": PROSE, "schema": {"type": "integer", "format": "int32", "default": 100}},
                {"name": "Filter", "in": "query", "description": PROSE, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": PROSE,
                    "content": {
                        "application/json": {"schema": {"$ref": model}},
                        "text/json": {"schema": {"$ref": model}},
                    },
                },
                "400": error("400"),
                "401": {"description": PROSE},
                "403": {"description": PROSE},
                "404": error("404"),
                "500": error("500"),
            },
        });
        if matches!(method, "put" | "post") {
            operation["requestBody"] = json!({
                "content": {
                    "application/json": {"schema": {"$ref": model}},
                    "text/json": {"schema": {"$ref": model}},
                    "application/*+json": {"schema": {"$ref": model}},
                },
            });
        }
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        item[method] = operation;
    }
    json!({
        "openapi": "3.0.1",
        "info": {"title": "A provider's full API", "version": "v8.1"},
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"Bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"Bearer": []}],
    })
}

/// The prefix the provider's generator gives its schema names (.NET namespaces).
const NAMESPACE: &str = "Provider.Models.";

/// A provider's full document grown from a consumer's subset `ours`, the way the published one
/// differs from a hand-written subset without contradicting it: schemas under other names,
/// component-level `nullable` moved onto each use (`allOf` wrappers), more optional fields,
/// more values in open enums and in enums only requests carry, explicit error statuses instead
/// of ranges (403 without a body), `text/json` beside `application/json`, more optional
/// parameters, path parameters named differently, more operations.
pub(crate) fn grown_from(ours: &Value) -> Value {
    let mut doc = ours.clone();
    let schemas = doc["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let flag = |name: &str, key: &str| schemas[name].get(key) == Some(&Value::Bool(true));
    let nullable: Vec<String> = schemas
        .keys()
        .filter(|n| flag(n, "nullable"))
        .cloned()
        .collect();
    let open: Vec<String> = schemas
        .keys()
        .filter(|n| flag(n, "x-vbazure-open-enum"))
        .cloned()
        .collect();
    strip_extensions(&mut doc);

    let mut renamed = Map::new();
    for (name, mut schema) in schemas {
        let schema_map = schema.as_object_mut().expect("a schema object");
        schema_map.remove("nullable");
        schema_map.retain(|k, _| !k.starts_with("x-vbazure"));
        if let Some(Value::Object(properties)) = schema_map.get_mut("properties") {
            for (field, property) in properties.iter_mut() {
                wrap_nullable_refs(property, &nullable);
                // Identifiers the provider documents as UUIDs: a format OURS does not decode.
                if field == "id" && property["type"] == "string" && property.get("format").is_none()
                {
                    property["format"] = "uuid".into();
                }
            }
            for k in 0..3 {
                properties.insert(
                    format!("providerDetail{k}"),
                    json!({"type": "string", "nullable": true, "description": PROSE}),
                );
            }
        }
        if let Some(Value::Array(values)) = schema_map.get_mut("enum") {
            // Open enums grow; so does the grant type, which only requests carry.
            if open.contains(&name) || name == "GrantType" {
                values.push("ProviderFutureValue".into());
            }
        }
        renamed.insert(format!("{NAMESPACE}{name}"), schema);
    }
    doc["components"]["schemas"] = Value::Object(renamed);
    rename_refs(&mut doc);
    doc["components"]["responses"]["Forbidden"] = json!({"description": "Forbidden: no body."});

    let shared = doc["components"]["parameters"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let paths = doc["paths"].as_object_mut().expect("paths");
    let mut grown = Map::new();
    for (path, item) in std::mem::take(paths) {
        let mut item = item;
        for (_, operation) in item.as_object_mut().into_iter().flatten() {
            grow_operation(operation);
        }
        let path = if path.contains("/virtualMachines/{id}") {
            rename_path_parameter(&mut item, &shared, "id", "virtualMachineId");
            path.replace("{id}", "{virtualMachineId}")
        } else {
            path
        };
        grown.insert(path, item);
    }
    for i in 0..40 {
        grown.insert(
            format!("/api/v8.1/providerOnly{i}"),
            json!({"get": {
                "operationId": format!("providerOnly{i}"),
                "responses": {"200": {"description": PROSE}},
            }}),
        );
    }
    *paths = grown;
    doc
}

/// Adds an operation to `doc` for each operation of `extra`, and its schemas: a merge of two
/// generated documents whose names do not collide.
pub(crate) fn merge(doc: &mut Value, extra: Value) {
    let Value::Object(extra) = extra else { return };
    for (path, item) in extra["paths"].as_object().cloned().unwrap_or_default() {
        doc["paths"][path] = item;
    }
    for (name, schema) in extra["components"]["schemas"]
        .as_object()
        .cloned()
        .unwrap_or_default()
    {
        doc["components"]["schemas"][name] = schema;
    }
}

fn strip_extensions(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|k, _| !k.starts_with("x-vbazure"));
            map.values_mut().for_each(strip_extensions);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_extensions),
        _ => {}
    }
}

fn rename_refs(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(name) = reference.strip_prefix("#/components/schemas/") {
                    *reference = format!("#/components/schemas/{NAMESPACE}{name}");
                }
            }
            map.values_mut().for_each(rename_refs);
        }
        Value::Array(items) => items.iter_mut().for_each(rename_refs),
        _ => {}
    }
}

/// `{$ref: X}` where X was nullable becomes `{allOf: [{$ref: X}], nullable: true}`, as
/// ASP.NET's generators write a nullable reference, here and in any `items`.
fn wrap_nullable_refs(schema: &mut Value, nullable: &[String]) {
    let target = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"));
    if let Some(name) = target {
        if nullable.iter().any(|n| n == name) {
            let reference = schema["$ref"].clone();
            *schema =
                json!({"allOf": [{"$ref": reference}], "nullable": true, "description": PROSE});
        }
        return;
    }
    if let Some(items) = schema.get_mut("items") {
        wrap_nullable_refs(items, nullable);
    }
}

fn grow_operation(operation: &mut Value) {
    if let Some(parameters) = operation["parameters"].as_array_mut() {
        parameters
            .push(json!({"name": "ProviderTrace", "in": "query", "schema": {"type": "string"}}));
    }
    if let Some(Value::Object(content)) = operation.pointer_mut("/requestBody/content") {
        if let Some(json_body) = content.get("application/json").cloned() {
            content.insert("text/json".into(), json_body.clone());
            content.insert("application/*+json".into(), json_body);
        }
        if let Some(form) = content.get("application/x-www-form-urlencoded").cloned() {
            content.insert("multipart/form-data".into(), form);
        }
    }
    let Some(responses) = operation["responses"].as_object_mut() else {
        return;
    };
    for (_, response) in responses.iter_mut() {
        if let Some(Value::Object(content)) = response.get_mut("content") {
            if let Some(json_body) = content.get("application/json").cloned() {
                content.insert("text/json".into(), json_body);
            }
        }
    }
    // Explicit statuses instead of OURS's ranges.
    if let Some(client) = responses.remove("4XX") {
        for status in ["400", "401", "404", "409"] {
            responses.insert(status.into(), client.clone());
        }
        responses.insert(
            "403".into(),
            json!({"$ref": "#/components/responses/Forbidden"}),
        );
    }
    if let Some(server) = responses.remove("5XX") {
        responses.insert("500".into(), server);
    }
}

/// Renames the path parameter `from` of every operation of `item` to `to`, writing it in
/// place (a `$ref` to a shared parameter of that name included).
fn rename_path_parameter(item: &mut Value, shared: &Map<String, Value>, from: &str, to: &str) {
    for (_, operation) in item.as_object_mut().into_iter().flatten() {
        for parameter in operation["parameters"].as_array_mut().into_iter().flatten() {
            let resolved = parameter
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/parameters/"))
                .and_then(|name| shared.get(name))
                .unwrap_or(parameter);
            if resolved["name"] == from && resolved["in"] == "path" {
                *parameter = json!({"name": to, "in": "path", "required": true, "schema": {"type": "string"}});
            }
        }
    }
}
