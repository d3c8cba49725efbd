//! Request texts read as the appliance (an ASP.NET service) binds them: names in any casing,
//! texts as the types their schemas declare, and Guids in the forms .NET reads.

use serde_json::{Map, Value};
use vbazure_spec::Document;

/// The schema of a body's properties, keyed by name (for binding names in any casing).
fn properties<'d>(doc: &'d Document, schema: Option<&str>) -> Option<&'d Map<String, Value>> {
    doc.deref(schema?)?.1.get("properties")?.as_object()
}

/// The `type` of the schema at `pointer` (`$ref`s followed).
fn schema_type<'d>(doc: &'d Document, pointer: &str) -> Option<&'d str> {
    doc.deref(pointer)?.1.get("type")?.as_str()
}

/// A body object with its top-level names as the schema spells them, for validation: the
/// appliance (an ASP.NET service) binds form fields and JSON members in any casing, so
/// `Username` reaches `username` and `IDS` reaches `ids`. A name the schema spells exactly
/// wins over another casing of it; form texts become the type their property declares.
pub(super) fn bound(doc: &Document, schema: Option<&str>, body: &Value, form: bool) -> Value {
    let Some(object) = body.as_object() else {
        return body.clone();
    };
    let declared = properties(doc, schema);
    let schema_pointer = schema.and_then(|s| doc.deref(s)).map(|(p, _)| p);
    let mut out = Map::new();
    for (key, value) in object {
        let name = declared
            .and_then(|props| {
                props
                    .keys()
                    .find(|k| *k == key)
                    .or_else(|| props.keys().find(|k| k.eq_ignore_ascii_case(key)))
            })
            .cloned()
            .unwrap_or_else(|| key.clone());
        if out.contains_key(&name) && name != *key {
            continue;
        }
        let value = match (form, value.as_str(), &schema_pointer) {
            (true, Some(text), Some(at)) => {
                let property = vbazure_spec::pointer::push(
                    &vbazure_spec::pointer::push(at, "properties"),
                    &name,
                );
                // A text that is not of the declared type stays a text, for validation to
                // name.
                typed(doc, Some(&property), text).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        };
        out.insert(name, value);
    }
    Value::Object(out)
}

/// The query values of `name`: those of the key spelled exactly so, else of the key in
/// another casing (the appliance binds query parameters case-insensitively).
pub(super) fn query_values<'q>(pairs: &'q [(String, String)], name: &str) -> Vec<&'q str> {
    let exact: Vec<&str> = pairs
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect();
    if !exact.is_empty() {
        return exact;
    }
    pairs
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A parameter's text (or texts, for an array repeated as `key=a&key=b`) as the JSON value
/// its schema asks for, or why not.
pub(super) fn parameter_value(
    doc: &Document,
    schema: Option<&str>,
    raw: &[&str],
) -> Result<Value, String> {
    let resolved = schema.and_then(|s| doc.deref(s));
    match resolved {
        Some((at, s)) if s.get("type").and_then(Value::as_str) == Some("array") => {
            let items = vbazure_spec::pointer::push(&at, "items");
            raw.iter()
                .map(|text| typed(doc, Some(&items), text))
                .collect::<Result<Vec<Value>, String>>()
                .map(Value::Array)
        }
        // A scalar repeated takes its first value, as ASP.NET binds it.
        _ => typed(doc, schema, raw.first().copied().unwrap_or_default()),
    }
}

/// Formats the shared validator leaves to the reader: `uuid` (the v8.1 document's .NET
/// Guids), which an ASP.NET server refuses to bind when malformed.
pub(super) fn format_problem(
    doc: &Document,
    schema: Option<&str>,
    value: &Value,
) -> Option<String> {
    let (_, s) = doc.deref(schema?)?;
    let text = value.as_str()?;
    (s.get("format").and_then(Value::as_str) == Some("uuid") && !is_uuid(text))
        .then(|| format!("{text:?} is not a valid uuid."))
}

/// A Guid as .NET reads it in its usual forms: 32 hex digits, hyphenated 8-4-4-4-12 or not,
/// optionally in braces or parentheses.
fn is_uuid(text: &str) -> bool {
    let inner = text
        .strip_prefix('{')
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('(').and_then(|t| t.strip_suffix(')')))
        .unwrap_or(text);
    let hex = |s: &str| s.bytes().all(|b| b.is_ascii_hexdigit());
    match inner.len() {
        32 => hex(inner),
        36 => inner.split('-').map(str::len).eq([8, 4, 4, 4, 12]) && hex(&inner.replace('-', "")),
        _ => false,
    }
}

/// A text parameter as the JSON value its schema's type asks for.
pub(super) fn typed(doc: &Document, schema: Option<&str>, raw: &str) -> Result<Value, String> {
    match schema.and_then(|s| schema_type(doc, s)) {
        Some("integer") => raw
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("{raw:?} is not an integer.")),
        Some("number") => raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map(Value::Number)
            .ok_or_else(|| format!("{raw:?} is not a number.")),
        // ASP.NET reads `true` and `false` in any casing, and nothing else.
        Some("boolean") if raw.eq_ignore_ascii_case("true") => Ok(Value::Bool(true)),
        Some("boolean") if raw.eq_ignore_ascii_case("false") => Ok(Value::Bool(false)),
        Some("boolean") => Err(format!("{raw:?} is not true or false.")),
        _ => Ok(Value::String(raw.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_read_in_the_forms_dotnet_reads() {
        for good in [
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20",
            "2D8F4B6A0C3E4A179D5B7F1E3A5C9B20",
            "{2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20}",
            "(2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20)",
        ] {
            assert!(is_uuid(good), "{good}");
        }
        for bad in [
            "",
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b2",
            "2d8f4b6a-0c3e-4a17-9d5b7-f1e3a5c9b20",
            "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b2g",
            "{2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20",
            "2d8f4b6a--c3e-4a17-9d5b-7f1e3a5c9b20",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn bodies_bind_their_names_in_any_casing() {
        let doc = Document::parse("t.yaml", crate::SPEC_V8_1).ok().unwrap();
        let schema = "/components/schemas/TokenRequest";
        let form = serde_json::json!({
            "Grant_Type": "Password", "Username": "u", "short_lived_refresh_token": "TRUE",
            "extra": "x",
        });
        let bound = bound(&doc, Some(schema), &form, true);
        assert_eq!(
            bound,
            serde_json::json!({
                "grant_type": "Password", "username": "u", "short_lived_refresh_token": true,
                "extra": "x",
            })
        );
        assert!(vbazure_spec::validate(&doc, schema, &bound).is_empty());
        let not_a_flag =
            serde_json::json!({"grant_type": "Password", "short_lived_refresh_token": "yes"});
        let bound = super::bound(&doc, Some(schema), &not_a_flag, true);
        assert_eq!(
            bound["short_lived_refresh_token"], "yes",
            "left for validation to name"
        );
    }
}
