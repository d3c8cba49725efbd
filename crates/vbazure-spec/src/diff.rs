//! What changed between two versions of the spec, each change classed as breaking or compatible
//! for code that uses the client generated from it.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::{pointer, Document, MediaType, Operation};

/// Whether code using the generated client keeps compiling and working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code using the client breaks: it no longer compiles, or requests or answers it relies
    /// on no longer work.
    Breaking,
    /// Code using the client keeps working.
    Compatible,
}

impl Severity {
    /// `breaking` or `compatible`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Breaking => "breaking",
            Self::Compatible => "compatible",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Breaking or compatible.
    pub severity: Severity,
    /// What kind of change (`operation-moved`, `field-removed`, `enum-value-added`, ...).
    pub kind: &'static str,
    /// Where, as a JSON pointer (in the new version; in the old one for removals).
    pub pointer: String,
    /// The operation it concerns, if it concerns one.
    pub operation: Option<String>,
    /// What changed, for people.
    pub message: String,
}

impl Change {
    /// The change as a JSON object, for tools.
    pub fn to_json(&self) -> Value {
        json!({
            "severity": self.severity.as_str(),
            "kind": self.kind,
            "pointer": self.pointer,
            "operation": self.operation,
            "message": self.message,
        })
    }
}

/// The operations of a document by name (`operationId`, or `METHOD path`).
fn operations(doc: &Document) -> BTreeMap<&str, &Operation> {
    doc.operations()
        .iter()
        .map(|o| (o.name.as_str(), o))
        .collect()
}

struct Differ<'a> {
    old: &'a Document,
    new: &'a Document,
    changes: Vec<Change>,
    /// Component schemas already compared (by old and new name), so each is reported once.
    compared: BTreeSet<(String, String)>,
}

/// Every change from `old` to `new`, breaking ones first.
pub fn diff(old: &Document, new: &Document) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        compared: BTreeSet::new(),
    };
    differ.operations();
    differ.components();
    let mut changes = differ.changes;
    changes.sort_by(|a, b| {
        (a.severity, &a.operation, &a.pointer).cmp(&(b.severity, &b.operation, &b.pointer))
    });
    changes
}

impl Differ<'_> {
    fn push(
        &mut self,
        severity: Severity,
        kind: &'static str,
        pointer: &str,
        operation: Option<&str>,
        message: String,
    ) {
        self.changes.push(Change {
            severity,
            kind,
            pointer: pointer.to_string(),
            operation: operation.map(str::to_string),
            message,
        });
    }

    fn operations(&mut self) {
        let old = operations(self.old);
        let new = operations(self.new);
        for (key, before) in &old {
            let Some(after) = new.get(key) else {
                let message = format!(
                    "operation {key} ({} {}) was removed",
                    before.method.to_uppercase(),
                    before.path
                );
                self.push(
                    Severity::Breaking,
                    "operation-removed",
                    &before.pointer,
                    Some(key),
                    message,
                );
                continue;
            };
            if before.method != after.method || before.path != after.path {
                let message = format!(
                    "operation {key} moved: {} {} → {} {}",
                    before.method.to_uppercase(),
                    before.path,
                    after.method.to_uppercase(),
                    after.path
                );
                self.push(
                    Severity::Breaking,
                    "operation-moved",
                    &after.pointer,
                    Some(key),
                    message,
                );
            }
            self.operation(before, after);
        }
        for (key, after) in &new {
            if !old.contains_key(key) {
                let message = format!(
                    "operation {key} ({} {}) was added",
                    after.method.to_uppercase(),
                    after.path
                );
                self.push(
                    Severity::Compatible,
                    "operation-added",
                    &after.pointer,
                    Some(key),
                    message,
                );
            }
        }
    }

    fn operation(&mut self, before: &Operation, after: &Operation) {
        let op = Some(after.name.as_str());
        // Parameters, by name and place (path-item parameters included).
        let params_old = parameters(before);
        let params_new = parameters(after);
        for (key, (at, required, _)) in &params_old {
            if !params_new.contains_key(key) {
                let message = format!("the {} parameter `{}` was removed", key.1, key.0);
                self.push(Severity::Breaking, "parameter-removed", at, op, message);
            } else if let Some((new_at, new_required, _)) = params_new.get(key) {
                if *new_required && !required {
                    let message = format!("the {} parameter `{}` became required", key.1, key.0);
                    self.push(
                        Severity::Breaking,
                        "parameter-now-required",
                        new_at,
                        op,
                        message,
                    );
                }
            }
        }
        for (key, (at, required, _)) in &params_new {
            if params_old.contains_key(key) {
                continue;
            }
            let (severity, kind) = if *required {
                (Severity::Breaking, "parameter-added-required")
            } else {
                (Severity::Compatible, "parameter-added")
            };
            let shown = if *required {
                "a required"
            } else {
                "an optional"
            };
            self.push(
                severity,
                kind,
                at,
                op,
                format!("{shown} {} parameter `{}` was added", key.1, key.0),
            );
        }
        for (key, (_, _, schema_old)) in &params_old {
            if let (Some(old_schema), Some((_, _, Some(new_schema)))) =
                (schema_old, params_new.get(key))
            {
                self.schema(old_schema, new_schema, op);
            }
        }
        // Request body.
        match (&before.request_body, &after.request_body) {
            (None, Some(body)) => {
                let severity = if body.required {
                    Severity::Breaking
                } else {
                    Severity::Compatible
                };
                self.push(
                    severity,
                    "request-body-added",
                    &body.target,
                    op,
                    "a request body was added".into(),
                );
            }
            (Some(body), None) => {
                self.push(
                    Severity::Breaking,
                    "request-body-removed",
                    &body.target,
                    op,
                    "the request body was removed".into(),
                );
            }
            (Some(old_body), Some(new_body)) => {
                if let (Some(a), Some(b)) = (
                    body_schema(&old_body.content),
                    body_schema(&new_body.content),
                ) {
                    self.schema(&a, &b, op);
                }
            }
            (None, None) => {}
        }
        // Responses: the success statuses, then the success body.
        let responses_new = pointer::push(&after.pointer, "responses");
        let success = |operation: &'_ Operation| -> BTreeMap<String, Option<String>> {
            operation
                .responses
                .iter()
                .filter(|r| r.is_success())
                .map(|r| (r.status.clone(), body_schema(&r.content)))
                .collect()
        };
        let (old_success, new_success) = (success(before), success(after));
        if old_success.keys().ne(new_success.keys()) {
            let list = |s: &BTreeMap<String, Option<String>>| {
                s.keys().cloned().collect::<Vec<_>>().join(", ")
            };
            let message = format!(
                "the success status changed: {} → {}",
                list(&old_success),
                list(&new_success)
            );
            self.push(
                Severity::Breaking,
                "response-status-changed",
                &responses_new,
                op,
                message,
            );
        }
        for (status, a) in &old_success {
            let Some(b) = new_success.get(status) else {
                continue;
            };
            match (a, b) {
                (Some(a), Some(b)) => self.schema(a, b, op),
                (Some(_), None) => self.push(
                    Severity::Breaking,
                    "response-body-removed",
                    &pointer::push(&responses_new, status),
                    op,
                    format!("the {status} answer no longer has a JSON body"),
                ),
                (None, Some(_)) => self.push(
                    Severity::Breaking,
                    "response-body-added",
                    &pointer::push(&responses_new, status),
                    op,
                    format!("the {status} answer now has a JSON body"),
                ),
                (None, None) => {}
            }
        }
    }

    fn components(&mut self) {
        let names = |doc: &Document| -> BTreeSet<String> {
            doc.get("/components/schemas")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect()
        };
        let (old, new) = (names(self.old), names(self.new));
        for name in old.difference(&new) {
            let at = pointer::push("/components/schemas", name);
            self.push(
                Severity::Breaking,
                "schema-removed",
                &at,
                None,
                format!("the schema {name} (a generated type) was removed"),
            );
        }
        for name in new.difference(&old) {
            let at = pointer::push("/components/schemas", name);
            self.push(
                Severity::Compatible,
                "schema-added",
                &at,
                None,
                format!("the schema {name} was added"),
            );
        }
        for name in old.intersection(&new) {
            let at = pointer::push("/components/schemas", name);
            self.schema(&at, &at, None);
        }
    }

    /// Compares the schema at `a` (old) with the one at `b` (new).
    fn schema(&mut self, a: &str, b: &str, op: Option<&str>) {
        match (component_name(self.old, a), component_name(self.new, b)) {
            (Some(x), Some(y)) => {
                if x != y {
                    let message =
                        format!("the schema changed from {x} to {y} (another generated type)");
                    self.push(Severity::Breaking, "type-renamed", b, op, message);
                }
                // A component is compared once, where it is defined, not at each use.
                if self.compared.insert((x.clone(), y.clone())) {
                    let (pa, pb) = (
                        pointer::push("/components/schemas", &x),
                        pointer::push("/components/schemas", &y),
                    );
                    self.schema_at(&pa, &pb, None);
                }
            }
            _ => self.schema_at(a, b, op),
        }
    }

    fn schema_at(&mut self, a: &str, b: &str, op: Option<&str>) {
        let (Some((pa, va)), Some((pb, vb))) = (self.old.deref(a), self.new.deref(b)) else {
            return;
        };
        let field = |v: &Value, k: &str| v.get(k).cloned();
        for (key, kind) in [("type", "type-changed"), ("format", "format-changed")] {
            let (x, y) = (field(va, key), field(vb, key));
            if x != y {
                let shown = |v: Option<Value>| {
                    v.map_or_else(
                        || "(none)".to_string(),
                        |v| v.as_str().map_or_else(|| v.to_string(), str::to_string),
                    )
                };
                let message = format!("{key} changed: {} → {}", shown(x), shown(y));
                self.push(
                    Severity::Breaking,
                    kind,
                    &pointer::push(&pb, key),
                    op,
                    message,
                );
            }
        }
        self.enums(&pa, va, &pb, vb, op);
        self.properties(&pa, va, &pb, vb, op);
        for key in ["items", "additionalProperties"] {
            if va.get(key).is_some_and(Value::is_object)
                && vb.get(key).is_some_and(Value::is_object)
            {
                self.schema(&pointer::push(&pa, key), &pointer::push(&pb, key), op);
            }
        }
    }

    fn enums(&mut self, pa: &str, va: &Value, pb: &str, vb: &Value, op: Option<&str>) {
        let values = |v: &Value| -> Vec<Value> {
            v.get("enum")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let (old, new) = (values(va), values(vb));
        if old.is_empty() && new.is_empty() {
            return;
        }
        let open = vb.get("x-vbazure-open-enum") == Some(&Value::Bool(true));
        let at = pointer::push(pb, "enum");
        for removed in old.iter().filter(|v| !new.contains(v)) {
            self.push(
                Severity::Breaking,
                "enum-value-removed",
                &pointer::push(pa, "enum"),
                op,
                format!("the value {removed} was removed"),
            );
        }
        for added in new.iter().filter(|v| !old.contains(v)) {
            let (severity, why) = if open {
                (
                    Severity::Compatible,
                    "the enum is open: clients keep unknown values",
                )
            } else {
                (
                    Severity::Breaking,
                    "a closed enum generated from it rejects the new value",
                )
            };
            self.push(
                severity,
                "enum-value-added",
                &at,
                op,
                format!("the value {added} was added ({why})"),
            );
        }
    }

    fn properties(&mut self, pa: &str, va: &Value, pb: &str, vb: &Value, op: Option<&str>) {
        let props = |v: &Value| -> BTreeSet<String> {
            v.get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect()
        };
        let required = |v: &Value| -> BTreeSet<String> {
            v.get("required")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        };
        let (old, new) = (props(va), props(vb));
        let (old_required, new_required) = (required(va), required(vb));
        let prop = |base: &str, name: &str| pointer::push(&pointer::push(base, "properties"), name);
        for name in old.difference(&new) {
            self.push(
                Severity::Breaking,
                "field-removed",
                &prop(pa, name),
                op,
                format!("the field `{name}` was removed"),
            );
        }
        for name in new.difference(&old) {
            if new_required.contains(name) {
                let message = format!("the required field `{name}` was added");
                self.push(
                    Severity::Breaking,
                    "field-added-required",
                    &prop(pb, name),
                    op,
                    message,
                );
            } else {
                self.push(
                    Severity::Compatible,
                    "field-added",
                    &prop(pb, name),
                    op,
                    format!("the optional field `{name}` was added"),
                );
            }
        }
        for name in old.intersection(&new) {
            let (was, is) = (old_required.contains(name), new_required.contains(name));
            if is && !was {
                self.push(
                    Severity::Breaking,
                    "field-now-required",
                    &prop(pb, name),
                    op,
                    format!("the field `{name}` became required"),
                );
            } else if was && !is {
                let message = format!(
                    "the field `{name}` became optional (its generated type becomes an Option)"
                );
                self.push(
                    Severity::Breaking,
                    "field-now-optional",
                    &prop(pb, name),
                    op,
                    message,
                );
            }
            self.schema(&prop(pa, name), &prop(pb, name), op);
        }
    }
}

/// Parameters of an operation (its path item's included) by (name, in): pointer, required,
/// schema pointer.
fn parameters(operation: &Operation) -> BTreeMap<(String, String), (String, bool, Option<String>)> {
    operation
        .parameters
        .iter()
        .map(|p| {
            (
                (p.name.clone(), p.location.as_str().to_string()),
                (p.pointer.clone(), p.required, p.schema.clone()),
            )
        })
        .collect()
}

/// The schema of a body: its JSON (or `+json`, or form) media type's.
fn body_schema(content: &[MediaType]) -> Option<String> {
    content
        .iter()
        .find(|m| m.is_json() || m.essence() == "application/x-www-form-urlencoded")
        .and_then(|m| m.schema.clone())
}

fn component_name(doc: &Document, at: &str) -> Option<String> {
    if let Some(name) = at
        .strip_prefix("/components/schemas/")
        .filter(|n| !n.contains('/'))
    {
        return Some(pointer::unescape(name));
    }
    doc.get(at).and_then(crate::component_schema_name)
}
