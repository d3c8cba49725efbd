//! One answer against its operation in the document.

use serde_json::Value;
use vbazure_spec::{pointer, Document, Operation, ValidateOptions, Violation};

use super::{Finding, FindingKind};

/// The longest excerpt of a value a finding keeps.
const SHOWN: usize = 120;

/// A version's document, and what its generated client makes of the document's open enums.
#[derive(Clone, Copy)]
pub(crate) struct Contract {
    pub(crate) document: &'static Document,
    /// The version's `operations::<version>::open_enum_knows`, generated from the document.
    pub(crate) open_enum_knows: fn(&str, &str) -> Option<bool>,
}

/// Checks the answer `status` / `content_type` / `body` of `operation_id` against the
/// contract's document.
pub(crate) fn check_answer(
    contract: &Contract,
    operation_id: &str,
    status: u16,
    content_type: Option<&str>,
    body: &[u8],
) -> Vec<Finding> {
    let doc = contract.document;
    let Some(operation) = doc.operation(operation_id) else {
        return Vec::new();
    };
    let finding = |pointer: &str, expected: String, found: String, kind, message: String| Finding {
        operation: operation_id.to_string(),
        status,
        pointer: pointer.to_string(),
        expected,
        found,
        kind,
        message,
    };
    let Some(response) = documented(operation, status) else {
        let listed: Vec<&str> = operation
            .responses
            .iter()
            .map(|r| r.status.as_str())
            .collect();
        return vec![finding(
            "",
            format!("a status among {}", listed.join(", ")),
            status.to_string(),
            FindingKind::Breaking,
            "the document lists no such status for this operation".to_string(),
        )];
    };
    // Error answers are read leniently (problem details or not): nothing there breaks.
    let success = (200..300).contains(&status);
    let worst = |kind: FindingKind| if success { kind } else { FindingKind::Drift };
    let essence = content_type
        .map(|t| {
            t.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    if response.content.is_empty() {
        if body.is_empty() {
            return Vec::new();
        }
        return vec![finding(
            "",
            "no body".to_string(),
            format!("{} bytes of {}", body.len(), shown_type(&essence)),
            FindingKind::Drift,
            "the document says this answer has no body".to_string(),
        )];
    }
    let mut out = Vec::new();
    let media = match response.content.iter().find(|m| m.essence() == essence) {
        Some(media) => media,
        None => {
            let listed: Vec<&str> = response
                .content
                .iter()
                .map(|m| m.media_type.as_str())
                .collect();
            out.push(finding(
                "",
                listed.join(" or "),
                shown_type(&essence),
                FindingKind::Drift,
                "the answer's content type is not the documented one".to_string(),
            ));
            match response.content.iter().find(|m| m.is_json()) {
                Some(json) => json,
                None => return out,
            }
        }
    };
    if !media.is_json() {
        return out;
    }
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            out.push(finding(
                "",
                "a JSON body".to_string(),
                excerpt(&String::from_utf8_lossy(body)),
                worst(FindingKind::Breaking),
                format!("the body is not JSON ({e})"),
            ));
            return out;
        }
    };
    let Some(schema) = &media.schema else {
        return out;
    };
    let options = ValidateOptions { undeclared: true };
    for violation in vbazure_spec::validate_with(doc, schema, &value, &options) {
        let kind = worst(classify(contract, &violation, &value));
        out.push(finding(
            &violation.instance,
            expected(doc, &violation),
            found(&value, &violation),
            kind,
            violation.message.clone(),
        ));
    }
    out
}

/// The documented answer for `status`: the exact code, its range, or `default`.
fn documented(operation: &Operation, status: u16) -> Option<&vbazure_spec::Response> {
    let exact = status.to_string();
    operation
        .responses
        .iter()
        .find(|r| r.status == exact)
        .or_else(|| operation.responses.iter().find(|r| r.covers(status)))
        .or_else(|| operation.responses.iter().find(|r| r.status == "default"))
}

/// What a violation does to the generated client.
fn classify(contract: &Contract, violation: &Violation, value: &Value) -> FindingKind {
    match violation.keyword.as_str() {
        // The generated types ignore fields they do not know.
        "undeclared" => FindingKind::Drift,
        "enum" => {
            // Only a component schema can be an open enum: the generated client then reads
            // it as the hand-written type of the same name, which keeps unknown values.
            let component = pointer::parent(&violation.schema)
                .and_then(|schema| schema.strip_prefix("/components/schemas/"))
                .filter(|name| !name.contains('/'));
            let came = value.pointer(&violation.instance).and_then(Value::as_str);
            match (component, came) {
                (Some(name), Some(came)) => match (contract.open_enum_knows)(name, came) {
                    Some(true) => FindingKind::Fine,
                    Some(false) => FindingKind::Drift,
                    None => FindingKind::Breaking,
                },
                // A closed enum, or a value that is not a string: serde refuses it.
                _ => FindingKind::Breaking,
            }
        }
        // Bounds are not enforced on answers by the generated types.
        "minimum" | "maximum" | "minLength" | "maxLength" | "minItems" | "maxItems" => {
            FindingKind::Drift
        }
        // A type, a required field, a null, a format, `additionalProperties: false`, a
        // composition: serde refuses the answer.
        _ => FindingKind::Breaking,
    }
}

/// The keyword and its value, as the document writes them: `type: string`.
fn expected(doc: &Document, violation: &Violation) -> String {
    if violation.keyword == "undeclared" {
        let declared: Vec<&str> = doc
            .get(&violation.schema)
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        return excerpt(&format!("only the properties {}", declared.join(", ")));
    }
    let Some(value) = doc.get(&violation.schema) else {
        // The keyword is not written: `nullable` then means never null.
        return match violation.keyword.as_str() {
            "nullable" => "never null".to_string(),
            keyword => format!("{keyword} (not written)"),
        };
    };
    let shown = match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    excerpt(&format!("{}: {shown}", violation.keyword))
}

/// The value that came where the violation is (absent for a missing required field).
fn found(value: &Value, violation: &Violation) -> String {
    if violation.keyword == "required" {
        return "nothing".to_string();
    }
    value
        .pointer(&violation.instance)
        .map_or_else(|| "nothing".to_string(), |v| excerpt(&v.to_string()))
}

fn shown_type(essence: &str) -> String {
    if essence.is_empty() {
        "no content type".to_string()
    } else {
        essence.to_string()
    }
}

fn excerpt(text: &str) -> String {
    if text.chars().count() <= SHOWN {
        return text.to_string();
    }
    let cut: String = text.chars().take(SHOWN).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contract() -> Contract {
        Contract {
            document: crate::conformance::v8_1_document().expect("the embedded document parses"),
            open_enum_knows: crate::operations::v8_1::open_enum_knows,
        }
    }

    fn kinds(status: u16, content_type: &str, body: &str) -> Vec<(String, FindingKind)> {
        check_answer(
            &contract(),
            "getJobSession",
            status,
            Some(content_type),
            body.as_bytes(),
        )
        .into_iter()
        .map(|f| (f.pointer, f.kind))
        .collect()
    }

    const JSON: &str = "application/json; charset=utf-8";

    #[test]
    fn a_documented_answer_has_no_finding() {
        let body = r#"{"id": "a", "status": "Running", "type": "BackupDeletion", "executionDuration": null}"#;
        assert_eq!(kinds(200, JSON, body), vec![]);
    }

    #[test]
    fn each_departure_has_its_kind_and_place() {
        let body = r#"{"id": 7, "status": "Paused", "type": "AutoBackup", "executionStartTime": "yesterday", "surprise": true}"#;
        let found = kinds(200, JSON, body);
        for expected in [
            ("/id".to_string(), FindingKind::Breaking),
            ("/status".to_string(), FindingKind::Drift),
            ("/type".to_string(), FindingKind::Fine),
            ("/executionStartTime".to_string(), FindingKind::Breaking),
            ("/surprise".to_string(), FindingKind::Drift),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        let missing = kinds(200, JSON, r#"{"id": "a"}"#);
        assert_eq!(missing, vec![(String::new(), FindingKind::Breaking)]);
    }

    #[test]
    fn statuses_content_types_and_error_answers() {
        assert_eq!(
            kinds(302, JSON, ""),
            vec![(String::new(), FindingKind::Breaking)]
        );
        assert_eq!(
            kinds(200, "text/html", r#"{"status": "Running"}"#),
            vec![(String::new(), FindingKind::Drift)]
        );
        // An error answer that breaks its schema is drift: errors are read leniently.
        let error = kinds(404, "application/problem+json", r#"{"status": "gone"}"#);
        assert_eq!(error, vec![("/status".to_string(), FindingKind::Drift)]);
        assert_eq!(
            kinds(200, JSON, "<html>"),
            vec![(String::new(), FindingKind::Breaking)]
        );
    }
}
