//! Checking a JSON value against a schema of the document, as OpenAPI 3.0 defines schemas
//! (`nullable` included). Used to check examples, and every body the mock appliance sends.

use serde_json::Value;

use crate::{pointer, Document, Report, ReportParts};

/// One way a value breaks its schema, in parts a program can use without reading the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Where in the value (a JSON pointer; `""` for the whole value).
    pub instance: String,
    /// Where the rule is, in the document (the pointer of the keyword).
    pub schema: String,
    /// The schema keyword that is broken (`type`, `required`, `enum`, `format`, ...), or `$ref`
    /// when the schema itself cannot be followed.
    pub keyword: String,
    /// The property concerned, for `required` (the missing one) and `additionalProperties`
    /// (the one not allowed); for other keywords the last token of `instance`, if any.
    pub property: Option<String>,
    /// What is wrong, for people.
    pub message: String,
}

/// Its rule is the keyword broken; its place is in the value, never in an operation.
impl Report for Violation {
    fn parts(&self) -> ReportParts<'_> {
        ReportParts::new(&self.keyword, None, &self.instance, &self.message)
    }

    fn whole(&self) -> &'static str {
        "(the whole value)"
    }
}

/// `/where/in/the/value: message (schema /where/in/the/document)`.
impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = self.shown_pointer();
        write!(f, "{at}: {} (schema {})", self.message, self.schema)
    }
}

/// Checks `value` against the schema at `schema_pointer`; returns every violation found.
///
/// Understood: `$ref`, `type`, `nullable`, `enum`, `format` (`int32`, `int64`, `date-time`,
/// `time-span`), `properties`, `required`, `additionalProperties`, `items`, `minimum`,
/// `maximum`, `minLength`, `maxLength`, `minItems`, `maxItems`, `allOf`, `anyOf`, `oneOf`.
/// Other keywords (`pattern`, `not`, ...) are not checked.
pub fn validate(doc: &Document, schema_pointer: &str, value: &Value) -> Vec<Violation> {
    validate_with(doc, schema_pointer, value, &ValidateOptions::default())
}

/// What [`validate_with`] checks beyond the schema's own keywords.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ValidateOptions {
    /// Report each property an object schema with `properties` does not declare (and whose
    /// `additionalProperties` does not describe) as a violation of keyword `undeclared`, at the
    /// schema's `properties`. OpenAPI allows such properties; a conformance check of a server's
    /// answers wants to know of them.
    pub undeclared: bool,
}

/// [`validate`], with options.
pub fn validate_with(
    doc: &Document,
    schema_pointer: &str,
    value: &Value,
    options: &ValidateOptions,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let cx = Cx { doc, options };
    check(&cx, schema_pointer, value, "", &mut out, 0);
    out
}

/// What every step of a validation reads.
struct Cx<'a> {
    doc: &'a Document,
    options: &'a ValidateOptions,
}

fn violation(out: &mut Vec<Violation>, instance: &str, schema: &str, message: String) {
    let keyword = pointer::tokens(schema)
        .pop()
        .filter(|k| KEYWORDS.contains(&k.as_str()))
        .unwrap_or_else(|| "$ref".to_string());
    out.push(Violation {
        instance: instance.to_string(),
        schema: schema.to_string(),
        keyword,
        property: pointer::tokens(instance).pop(),
        message,
    });
}

/// A violation of `required` or `additionalProperties`, which concerns one named property.
fn property_violation(
    out: &mut Vec<Violation>,
    instance: &str,
    schema: &str,
    property: &str,
    message: String,
) {
    violation(out, instance, schema, message);
    if let Some(last) = out.last_mut() {
        last.property = Some(property.to_string());
    }
}

/// The keywords a violation can name.
const KEYWORDS: [&str; 15] = [
    "type",
    "nullable",
    "enum",
    "format",
    "required",
    "additionalProperties",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "allOf",
    "anyOf",
    "oneOf",
];

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn check(
    cx: &Cx<'_>,
    schema_pointer: &str,
    value: &Value,
    at: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    if depth > 64 {
        violation(
            out,
            at,
            schema_pointer,
            "the schema nests too deeply (a `$ref` cycle?)".into(),
        );
        return;
    }
    let doc = cx.doc;
    let Some((schema_pointer, schema)) = doc.deref(schema_pointer) else {
        violation(
            out,
            at,
            schema_pointer,
            "the schema's `$ref` leads nowhere".into(),
        );
        return;
    };
    let Some(schema) = schema.as_object() else {
        return; // `true`/`{}`-like schemas accept everything.
    };
    let keyword = |k: &str| pointer::push(&schema_pointer, k);

    if value.is_null() {
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        let typed = schema.contains_key("type");
        if !nullable && typed {
            violation(
                out,
                at,
                &keyword("nullable"),
                "null where the schema is not nullable".into(),
            );
        }
        return;
    }

    check_combinators(cx, schema, &schema_pointer, value, at, out, depth);

    if let Some(expected) = schema.get("type").and_then(Value::as_str) {
        let actual = type_name(value);
        let fits = actual == expected || (expected == "number" && actual == "integer");
        if !fits {
            violation(
                out,
                at,
                &keyword("type"),
                format!("expected {expected}, found {actual}"),
            );
            return;
        }
    }

    if let Some(allowed) = schema.get("enum").and_then(Value::as_array) {
        if !allowed.contains(value) {
            violation(
                out,
                at,
                &keyword("enum"),
                format!("{value} is not one of the listed values"),
            );
        }
    }

    match value {
        Value::String(text) => check_string(schema, text, at, &keyword, out),
        Value::Number(number) => check_number(schema, number, at, &keyword, out),
        Value::Array(items) => check_array(cx, schema, &schema_pointer, items, at, out, depth),
        Value::Object(fields) => check_object(cx, schema, &schema_pointer, fields, at, out, depth),
        Value::Null | Value::Bool(_) => {}
    }
}

type Schema = serde_json::Map<String, Value>;

/// `allOf`, `anyOf` and `oneOf`: each part checked on its own, and the count that pass judged.
fn check_combinators(
    cx: &Cx<'_>,
    schema: &Schema,
    schema_pointer: &str,
    value: &Value,
    at: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    let keyword = |k: &str| pointer::push(schema_pointer, k);
    for combinator in ["allOf", "anyOf", "oneOf"] {
        let Some(parts) = schema.get(combinator).and_then(Value::as_array) else {
            continue;
        };
        let results: Vec<Vec<Violation>> = (0..parts.len())
            .map(|i| {
                let mut inner = Vec::new();
                let p = pointer::push(&keyword(combinator), &i.to_string());
                check(cx, &p, value, at, &mut inner, depth + 1);
                inner
            })
            .collect();
        let passing = results.iter().filter(|r| r.is_empty()).count();
        match combinator {
            "allOf" => out.extend(results.into_iter().flatten()),
            "anyOf" if passing == 0 => violation(
                out,
                at,
                &keyword(combinator),
                "matches none of the `anyOf` schemas".into(),
            ),
            "oneOf" if passing != 1 => violation(
                out,
                at,
                &keyword(combinator),
                format!("matches {passing} of the `oneOf` schemas, not exactly one"),
            ),
            _ => {}
        }
    }
}

/// An array's bounds and items.
fn check_array(
    cx: &Cx<'_>,
    schema: &Schema,
    schema_pointer: &str,
    items: &[Value],
    at: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    let keyword = |k: &str| pointer::push(schema_pointer, k);
    let count = items.len() as u64;
    let bounds = ["minItems", "maxItems"];
    check_count(schema, bounds, count, "items", at, &keyword, out);
    if schema.contains_key("items") {
        for (i, item) in items.iter().enumerate() {
            check(
                cx,
                &keyword("items"),
                item,
                &pointer::push(at, &i.to_string()),
                out,
                depth + 1,
            );
        }
    }
}

/// An object's required, declared and additional properties.
fn check_object(
    cx: &Cx<'_>,
    schema: &Schema,
    schema_pointer: &str,
    fields: &serde_json::Map<String, Value>,
    at: &str,
    out: &mut Vec<Violation>,
    depth: usize,
) {
    let keyword = |k: &str| pointer::push(schema_pointer, k);
    if let Some(required) = schema.get("required").and_then(Value::as_array) {
        for name in required.iter().filter_map(Value::as_str) {
            if !fields.contains_key(name) {
                property_violation(
                    out,
                    at,
                    &keyword("required"),
                    name,
                    format!("the required property `{name}` is missing"),
                );
            }
        }
    }
    let properties = schema.get("properties").and_then(Value::as_object);
    for (name, field) in fields {
        let field_at = pointer::push(at, name);
        if properties.is_some_and(|p| p.contains_key(name)) {
            let p = pointer::push(&keyword("properties"), name);
            check(cx, &p, field, &field_at, out, depth + 1);
            continue;
        }
        match schema.get("additionalProperties") {
            Some(Value::Bool(false)) => property_violation(
                out,
                &field_at,
                &keyword("additionalProperties"),
                name,
                format!("the property `{name}` is not allowed"),
            ),
            Some(Value::Object(_)) => check(
                cx,
                &keyword("additionalProperties"),
                field,
                &field_at,
                out,
                depth + 1,
            ),
            _ if cx.options.undeclared && properties.is_some() => {
                property_violation(
                    out,
                    &field_at,
                    &keyword("properties"),
                    name,
                    format!("the property `{name}` is not declared"),
                );
                if let Some(last) = out.last_mut() {
                    last.keyword = "undeclared".to_string();
                }
            }
            _ => {}
        }
    }
}

/// The bounds `[min, max]` (`minItems`/`maxItems`, `minLength`/`maxLength`) of a value that
/// has `count` of `what` (items, characters).
fn check_count(
    schema: &Schema,
    [min_key, max_key]: [&str; 2],
    count: u64,
    what: &str,
    at: &str,
    keyword: &dyn Fn(&str) -> String,
    out: &mut Vec<Violation>,
) {
    if let Some(min) = schema.get(min_key).and_then(Value::as_u64) {
        if count < min {
            let message = format!("{count} {what}, fewer than {min}");
            violation(out, at, &keyword(min_key), message);
        }
    }
    if let Some(max) = schema.get(max_key).and_then(Value::as_u64) {
        if count > max {
            let message = format!("{count} {what}, more than {max}");
            violation(out, at, &keyword(max_key), message);
        }
    }
}

fn check_string(
    schema: &Schema,
    text: &str,
    at: &str,
    keyword: &dyn Fn(&str) -> String,
    out: &mut Vec<Violation>,
) {
    let length = text.chars().count() as u64;
    let bounds = ["minLength", "maxLength"];
    check_count(schema, bounds, length, "characters", at, keyword, out);
    let format_ok = match schema.get("format").and_then(Value::as_str) {
        Some("date-time") => crate::formats::is_date_time(text),
        Some("time-span") => crate::formats::is_time_span(text),
        _ => true,
    };
    if !format_ok {
        let format = schema
            .get("format")
            .and_then(Value::as_str)
            .unwrap_or_default();
        violation(
            out,
            at,
            &keyword("format"),
            format!("{text:?} is not a valid {format}"),
        );
    }
}

fn check_number(
    schema: &Schema,
    number: &serde_json::Number,
    at: &str,
    keyword: &dyn Fn(&str) -> String,
    out: &mut Vec<Violation>,
) {
    let as_f64 = number.as_f64().unwrap_or(f64::NAN);
    let range = match schema.get("format").and_then(Value::as_str) {
        Some("int32") => Some((i64::from(i32::MIN), i64::from(i32::MAX))),
        Some("int64") => Some((i64::MIN, i64::MAX)),
        _ => None,
    };
    if let Some((low, high)) = range {
        if !number.as_i64().is_some_and(|n| n >= low && n <= high) {
            violation(
                out,
                at,
                &keyword("format"),
                format!("{number} does not fit the format"),
            );
        }
    }
    if let Some(min) = schema.get("minimum").and_then(Value::as_f64) {
        if as_f64 < min {
            violation(
                out,
                at,
                &keyword("minimum"),
                format!("{number} is below the minimum {min}"),
            );
        }
    }
    if let Some(max) = schema.get("maximum").and_then(Value::as_f64) {
        if as_f64 > max {
            violation(
                out,
                at,
                &keyword("maximum"),
                format!("{number} is above the maximum {max}"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = r##"
components:
  schemas:
    Session:
      type: object
      required: [id, status]
      properties:
        id: {type: string, minLength: 1}
        status: {$ref: "#/components/schemas/Status"}
        usn: {type: integer, format: int32, minimum: 0}
        stop: {type: string, format: date-time, nullable: true}
        took: {type: string, format: time-span}
        links: {type: object, additionalProperties: {$ref: "#/components/schemas/Link"}}
        tags: {type: array, items: {type: string}, maxItems: 2}
    Status: {type: string, enum: [Running, Success]}
    Link: {type: object, required: [href], properties: {href: {type: string}}, additionalProperties: false}
"##;

    fn problems(value: serde_json::Value) -> Vec<String> {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        validate(&doc, "/components/schemas/Session", &value)
            .into_iter()
            .map(|v| format!("{} {}", v.instance, v.message))
            .collect()
    }

    /// Each violation's place in the value, keyword and property.
    fn places(found: &[Violation]) -> Vec<(&str, &str, Option<&str>)> {
        found
            .iter()
            .map(|v| {
                (
                    v.instance.as_str(),
                    v.keyword.as_str(),
                    v.property.as_deref(),
                )
            })
            .collect()
    }

    #[test]
    fn a_conforming_value_passes() {
        let ok = json!({"id": "1", "status": "Running", "usn": 3, "stop": null,
            "took": "00:00:01.5000000", "links": {"self": {"href": "x"}}, "tags": ["a"], "extra": 1});
        assert_eq!(problems(ok), Vec::<String>::new());
    }

    #[test]
    fn each_rule_is_reported_where_it_breaks() {
        let bad = json!({"status": "Done", "usn": -1, "took": "1 second",
            "stop": "2020-02-30T00:00:00Z", "links": {"self": {"ref": "x"}}, "tags": [1, "b", "c"]});
        let found = problems(bad);
        for expected in [
            " the required property `id` is missing",
            "/status \"Done\" is not one of the listed values",
            "/usn -1 is below the minimum 0",
            "/took \"1 second\" is not a valid time-span",
            "/stop \"2020-02-30T00:00:00Z\" is not a valid date-time",
            "/links/self the required property `href` is missing",
            "/links/self/ref the property `ref` is not allowed",
            "/tags 3 items, more than 2",
            "/tags/0 expected string, found integer",
        ] {
            assert!(
                found.iter().any(|f| f == expected),
                "{expected:?} not in {found:#?}"
            );
        }
        assert_eq!(
            problems(json!({"id": "", "status": "Running", "usn": 3_000_000_000u64})).len(),
            2
        );
        assert_eq!(
            problems(json!({"id": null, "status": "Running"})),
            ["/id null where the schema is not nullable"]
        );
    }

    #[test]
    fn undeclared_properties_are_reported_only_when_asked() {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        let value =
            json!({"id": "1", "status": "Running", "extra": 1, "links": {"self": {"href": "x"}}});
        assert!(validate(&doc, "/components/schemas/Session", &value).is_empty());
        let asked = ValidateOptions { undeclared: true };
        let found = validate_with(&doc, "/components/schemas/Session", &value, &asked);
        let parts = places(&found);
        // `links` is a map (`additionalProperties` describes its members): not undeclared.
        assert_eq!(parts, [("/extra", "undeclared", Some("extra"))]);
    }

    #[test]
    fn violations_name_their_keyword_and_property() {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        let found = validate(
            &doc,
            "/components/schemas/Session",
            &json!({"status": "Done", "links": {"self": {"href": "x", "rel": 1}}}),
        );
        let parts = places(&found);
        assert_eq!(
            parts,
            [
                ("", "required", Some("id")),
                ("/status", "enum", Some("status")),
                ("/links/self/rel", "additionalProperties", Some("rel")),
            ]
        );
        let nowhere = Document::parse("t.yaml", "a: {$ref: '#/b'}\n")
            .ok()
            .unwrap();
        assert_eq!(validate(&nowhere, "/a", &json!(1))[0].keyword, "$ref");
    }
}
