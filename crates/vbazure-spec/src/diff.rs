//! What changed between two versions of the spec, each change classed as breaking or compatible
//! for code that uses the client generated from it.
//!
//! Each change says in which direction it lies — in what the client sends (parameters, request
//! bodies), in what it reads (answers), or both — and what it breaks: the **wire** (a client
//! generated from the old version, talking to a server of the new one, has its requests
//! refused or cannot decode the answers) and/or **Rust** code using the generated types (a
//! type, field or variant changes or goes). A component schema is compared once, where it is
//! defined, with the direction of every place that uses it, `$ref`s followed transitively.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use crate::compat::{format_fit, nullable_of, rust_type, type_accepts, FormatFit};
use crate::usage::{usage, Usage};
use crate::{pointer, Document, MediaType, Operation, Report, ReportParts};

/// Whether code using the generated client keeps compiling and working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Severity {
    /// Code using the client breaks: it breaks the wire or Rust code (see [`Breaks`]).
    Breaking,
    /// Code using the client keeps working.
    Compatible,
}

impl Severity {
    /// `breaking` or `compatible`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Where a change lies: in what the client sends, in what it reads, or both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr)]
#[strum(serialize_all = "lowercase")]
pub enum Direction {
    /// Requests: parameters and request bodies, and the schemas only they use.
    Request,
    /// Answers, and the schemas only they use.
    Response,
    /// Both: a schema requests and answers use, or a whole operation.
    Both,
    /// A component schema no operation uses (it is still a generated type).
    Unused,
}

impl Direction {
    /// `request`, `response`, `both` or `unused`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    fn of(request: bool, response: bool) -> Self {
        match (request, response) {
            (true, true) => Self::Both,
            (true, false) => Self::Request,
            (false, true) => Self::Response,
            (false, false) => Self::Unused,
        }
    }
}

/// What a change breaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Breaks {
    /// A client generated from the old version, talking to a server of the new one, has
    /// requests refused or answers it cannot decode.
    pub wire: bool,
    /// Rust code using the types generated from the old version stops compiling or changes
    /// meaning once they are generated from the new one (`Option<T>` becomes `T`, a field,
    /// variant or type goes or is renamed).
    pub rust: bool,
}

impl Breaks {
    const NOTHING: Self = Self::new(false, false);
    const BOTH: Self = Self::new(true, true);
    const WIRE: Self = Self::new(true, false);
    const RUST: Self = Self::new(false, true);

    const fn new(wire: bool, rust: bool) -> Self {
        Self { wire, rust }
    }

    /// `wire+rust`, `wire`, `rust`, or `-` for nothing.
    pub fn as_str(self) -> &'static str {
        match (self.wire, self.rust) {
            (true, true) => "wire+rust",
            (true, false) => "wire",
            (false, true) => "rust",
            (false, false) => "-",
        }
    }
}

/// One change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Breaking (it breaks the wire or Rust code) or compatible.
    pub severity: Severity,
    /// Where it lies: requests, answers, both.
    pub direction: Direction,
    /// What it breaks.
    pub breaks: Breaks,
    /// What kind of change (`operation-moved`, `field-removed`, `enum-value-added`, ...).
    pub kind: &'static str,
    /// Where, as a JSON pointer (in the new version; in the old one for removals).
    pub pointer: String,
    /// The operation it concerns, if it concerns one.
    pub operation: Option<String>,
    /// What changed, for people.
    pub message: String,
}

/// Its rule is its kind of change.
impl Report for Change {
    fn parts(&self) -> ReportParts<'_> {
        ReportParts::new(
            self.kind,
            self.operation.as_deref(),
            &self.pointer,
            &self.message,
        )
    }

    /// The change as a JSON object, for tools: its severity, direction and what it breaks,
    /// and its kind of change (its rule) under `kind`.
    fn to_json(&self) -> Value {
        json!({
            "severity": self.severity.as_str(),
            "direction": self.direction.as_str(),
            "breaks": {"wire": self.breaks.wire, "rust": self.breaks.rust},
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
    /// Where each document's component schemas are used.
    used_old: Usage,
    used_new: Usage,
}

/// A schema's place as a field of an object, which decides whether its Rust type is an
/// `Option` anyway.
#[derive(Clone, Copy, Debug)]
struct Field {
    was_required: bool,
    is_required: bool,
}

/// Where a comparison stands: the operation it belongs to (none for a component schema, which
/// is compared once for all its uses) and the direction its values travel.
#[derive(Clone, Copy, Debug)]
struct Site<'o> {
    op: Option<&'o str>,
    direction: Direction,
}

impl<'o> Site<'o> {
    fn new(op: Option<&'o str>, direction: Direction) -> Self {
        Self { op, direction }
    }
}

/// Every change from `old` to `new`, breaking ones first.
pub fn diff(old: &Document, new: &Document) -> Vec<Change> {
    let mut differ = Differ {
        old,
        new,
        changes: Vec::new(),
        compared: BTreeSet::new(),
        used_old: usage(old),
        used_new: usage(new),
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
    /// Records a change at `site`: `request` is what it breaks in requests, `response` what it
    /// breaks in answers; a change in both directions breaks what either does.
    fn push(
        &mut self,
        kind: &'static str,
        pointer: &str,
        site: Site<'_>,
        request: Breaks,
        response: Breaks,
        message: String,
    ) {
        let breaks = match site.direction {
            Direction::Request => request,
            Direction::Response => response,
            Direction::Both => {
                Breaks::new(request.wire || response.wire, request.rust || response.rust)
            }
            // Nothing travels through an unused schema; its generated type still changes.
            Direction::Unused => Breaks::new(false, request.rust || response.rust),
        };
        let severity = if breaks.wire || breaks.rust {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        self.changes.push(Change {
            severity,
            direction: site.direction,
            breaks,
            kind,
            pointer: pointer.to_string(),
            operation: site.op.map(str::to_string),
            message,
        });
    }

    /// A change of a whole operation, or of something with one direction: `breaks` either way.
    fn push_one(
        &mut self,
        kind: &'static str,
        pointer: &str,
        site: Site<'_>,
        breaks: Breaks,
        message: String,
    ) {
        self.push(kind, pointer, site, breaks, breaks, message);
    }

    /// Where the component schemas `old` (in the old version) and `new` are used.
    fn component_direction(&self, old: &str, new: &str) -> Direction {
        Direction::of(
            self.used_old.request.contains(old) || self.used_new.request.contains(new),
            self.used_old.response.contains(old) || self.used_new.response.contains(new),
        )
    }

    fn operations(&mut self) {
        let old = operations(self.old);
        let new = operations(self.new);
        for (key, before) in &old {
            let Some(after) = new.get(key) else {
                let message = format!("operation {key} ({}) was removed", before.method_and_path());
                self.push_one(
                    "operation-removed",
                    &before.pointer,
                    Site::new(Some(key), Direction::Both),
                    Breaks::BOTH,
                    message,
                );
                continue;
            };
            if before.method != after.method || before.path != after.path {
                let message = format!(
                    "operation {key} moved: {} → {}",
                    before.method_and_path(),
                    after.method_and_path()
                );
                // The generated method keeps its name and arguments; only requests go astray.
                self.push_one(
                    "operation-moved",
                    &after.pointer,
                    Site::new(Some(key), Direction::Both),
                    Breaks::WIRE,
                    message,
                );
            }
            self.operation(before, after);
        }
        for (key, after) in &new {
            if !old.contains_key(key) {
                let message = format!("operation {key} ({}) was added", after.method_and_path());
                self.push_one(
                    "operation-added",
                    &after.pointer,
                    Site::new(Some(key), Direction::Both),
                    Breaks::NOTHING,
                    message,
                );
            }
        }
    }

    fn operation(&mut self, before: &Operation, after: &Operation) {
        let op = Some(after.name.as_str());
        self.parameters(before, after, Site::new(op, Direction::Request));
        self.request_body(before, after, Site::new(op, Direction::Request));
        self.responses(before, after, Site::new(op, Direction::Response));
    }

    /// Parameters, by name and place (path-item parameters included).
    fn parameters(&mut self, before: &Operation, after: &Operation, site: Site<'_>) {
        let params_old = parameters(before);
        let params_new = parameters(after);
        for (key, (at, required, _)) in &params_old {
            if !params_new.contains_key(key) {
                let message = format!("the {} parameter `{}` was removed", key.1, key.0);
                // Servers ignore parameters they do not know; the builder method goes.
                self.push_one("parameter-removed", at, site, Breaks::RUST, message);
            } else if let Some((new_at, new_required, _)) = params_new.get(key) {
                if *new_required && !required {
                    let message = format!("the {} parameter `{}` became required", key.1, key.0);
                    self.push_one(
                        "parameter-now-required",
                        new_at,
                        site,
                        Breaks::BOTH,
                        message,
                    );
                }
            }
        }
        for (key, (at, required, _)) in &params_new {
            if params_old.contains_key(key) {
                continue;
            }
            // The generated client takes parameters through a builder: an optional one more
            // changes no code.
            let (kind, breaks, shown) = if *required {
                ("parameter-added-required", Breaks::BOTH, "a required")
            } else {
                ("parameter-added", Breaks::NOTHING, "an optional")
            };
            let message = format!("{shown} {} parameter `{}` was added", key.1, key.0);
            self.push_one(kind, at, site, breaks, message);
        }
        for (key, (_, was_required, schema_old)) in &params_old {
            if let (Some(old_schema), Some((_, is_required, Some(new_schema)))) =
                (schema_old, params_new.get(key))
            {
                let field = Field {
                    was_required: *was_required,
                    is_required: *is_required,
                };
                self.schema(old_schema, new_schema, site, Some(field));
            }
        }
    }

    /// The request body: added, removed, or its schema compared.
    fn request_body(&mut self, before: &Operation, after: &Operation, site: Site<'_>) {
        match (&before.request_body, &after.request_body) {
            (None, Some(body)) => {
                let breaks = if body.required {
                    Breaks::BOTH
                } else {
                    Breaks::NOTHING
                };
                self.push_one(
                    "request-body-added",
                    &body.target,
                    site,
                    breaks,
                    "a request body was added".into(),
                );
            }
            (Some(body), None) => {
                // A server ignores a body it does not read; the generated argument goes.
                self.push_one(
                    "request-body-removed",
                    &body.target,
                    site,
                    Breaks::RUST,
                    "the request body was removed".into(),
                );
            }
            (Some(old_body), Some(new_body)) => {
                if let (Some(a), Some(b)) = (
                    body_schema(&old_body.content),
                    body_schema(&new_body.content),
                ) {
                    self.schema(&a, &b, site, None);
                }
            }
            (None, None) => {}
        }
    }

    /// The success statuses, then the success bodies.
    fn responses(&mut self, before: &Operation, after: &Operation, site: Site<'_>) {
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
            // The old client takes an undocumented status for a failure. Rust code changes
            // only when an answer enum (several successes) gains or loses a variant.
            let rust = old_success.len() > 1 || new_success.len() > 1;
            self.push_one(
                "response-status-changed",
                &responses_new,
                site,
                Breaks::new(true, rust),
                message,
            );
        }
        for (status, a) in &old_success {
            let Some(b) = new_success.get(status) else {
                continue;
            };
            match (a, b) {
                (Some(a), Some(b)) => self.schema(a, b, site, None),
                (Some(_), None) => self.push_one(
                    "response-body-removed",
                    &pointer::push(&responses_new, status),
                    site,
                    Breaks::BOTH,
                    format!("the {status} answer no longer has a JSON body"),
                ),
                // The old client ignores a body it does not expect; the answer's type changes.
                (None, Some(_)) => self.push_one(
                    "response-body-added",
                    &pointer::push(&responses_new, status),
                    site,
                    Breaks::RUST,
                    format!("the {status} answer now has a JSON body"),
                ),
                (None, None) => {}
            }
        }
    }

    fn components(&mut self) {
        let names = |doc: &Document| keys(doc.get("/components/schemas"));
        let (old, new) = (names(self.old), names(self.new));
        for name in old.difference(&new) {
            let at = pointer::push("/components/schemas", name);
            let site = Site::new(None, self.component_direction(name, ""));
            self.push_one(
                "schema-removed",
                &at,
                site,
                Breaks::RUST,
                format!("the schema {name} (a generated type) was removed"),
            );
        }
        for name in new.difference(&old) {
            let at = pointer::push("/components/schemas", name);
            let site = Site::new(None, self.component_direction("", name));
            self.push_one(
                "schema-added",
                &at,
                site,
                Breaks::NOTHING,
                format!("the schema {name} was added"),
            );
        }
        for name in old.intersection(&new) {
            let at = pointer::push("/components/schemas", name);
            self.schema(&at, &at, Site::new(None, Direction::Unused), None);
        }
    }

    /// Compares the schema at `a` (old) with the one at `b` (new), used at `site` (a component
    /// takes the direction of all its uses instead), as `field` when it is one.
    fn schema(&mut self, a: &str, b: &str, site: Site<'_>, field: Option<Field>) {
        match (component_name(self.old, a), component_name(self.new, b)) {
            (Some(x), Some(y)) => {
                if x != y {
                    let message =
                        format!("the schema changed from {x} to {y} (another generated type)");
                    self.push_one("type-renamed", b, site, Breaks::RUST, message);
                }
                // A `nullable` beside the `$ref` belongs to this use, not to the component.
                let beside = |doc: &Document, at: &str| doc.get(at).is_some_and(nullable_of);
                let (was, is) = (beside(self.old, a), beside(self.new, b));
                if was != is {
                    self.nullable_changed(was, is, b, site, field);
                }
                // A component is compared once, where it is defined, not at each use.
                if self.compared.insert((x.clone(), y.clone())) {
                    let (pa, pb) = (
                        pointer::push("/components/schemas", &x),
                        pointer::push("/components/schemas", &y),
                    );
                    let site = Site::new(None, self.component_direction(&x, &y));
                    self.schema_at(&pa, &pb, site, None);
                }
            }
            _ => self.schema_at(a, b, site, field),
        }
    }

    fn schema_at(&mut self, a: &str, b: &str, site: Site<'_>, field: Option<Field>) {
        let (Some((pa, va)), Some((pb, vb))) = (self.old.deref(a), self.new.deref(b)) else {
            return;
        };
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (old_type, new_type) = (va.get("type").cloned(), vb.get("type").cloned());
        if old_type != new_type {
            let message = format!("type changed: {} → {}", shown(&old_type), shown(&new_type));
            // The server must accept what the old client sends; the old client must read
            // what the server now sends.
            let request = Breaks::new(!types_accept(&new_type, &old_type), true);
            let response = Breaks::new(!types_accept(&old_type, &new_type), true);
            let at = pointer::push(&pb, "type");
            self.push("type-changed", &at, site, request, response, message);
        }
        let (old_format, new_format) = (text(va, "format"), text(vb, "format"));
        if old_format != new_format {
            let message = format!(
                "format changed: {} → {}",
                old_format.as_deref().unwrap_or("(none)"),
                new_format.as_deref().unwrap_or("(none)")
            );
            let rust = rust_type(text(va, "type").as_deref(), old_format.as_deref())
                != rust_type(text(vb, "type").as_deref(), new_format.as_deref());
            let request = Breaks::new(
                format_fit(new_format.as_deref(), old_format.as_deref()) != FormatFit::Fits,
                rust,
            );
            let response = Breaks::new(
                format_fit(old_format.as_deref(), new_format.as_deref()) != FormatFit::Fits,
                rust,
            );
            let at = pointer::push(&pb, "format");
            self.push("format-changed", &at, site, request, response, message);
        }
        let nullable = |doc: &Document, at: &str, v: &Value| {
            nullable_of(v) || doc.get(at).is_some_and(nullable_of)
        };
        let (was, is) = (nullable(self.old, a, va), nullable(self.new, b, vb));
        if was != is {
            self.nullable_changed(was, is, &pb, site, field);
        }
        self.enums(&pa, va, &pb, vb, site);
        self.properties(&pa, va, &pb, vb, site);
        for key in ["items", "additionalProperties"] {
            if va.get(key).is_some_and(Value::is_object)
                && vb.get(key).is_some_and(Value::is_object)
            {
                let (ia, ib) = (pointer::push(&pa, key), pointer::push(&pb, key));
                self.schema(&ia, &ib, site, None);
            }
        }
    }

    /// `nullable` changed from `was` to `is` at `at`.
    fn nullable_changed(
        &mut self,
        was: bool,
        is: bool,
        at: &str,
        site: Site<'_>,
        field: Option<Field>,
    ) {
        // An optional field is an `Option` in Rust either way; anything else becomes or stops
        // being one.
        let rust = field.is_none_or(|f| f.was_required || f.is_required);
        let tokens = pointer::tokens(at);
        let what = match tokens.as_slice() {
            [.., properties, name] if properties == "properties" => format!("the field `{name}`"),
            [components, schemas, name] if components == "components" && schemas == "schemas" => {
                format!("the schema {name}")
            }
            _ => "the value".to_string(),
        };
        if is && !was {
            // The old client fails on a null in an answer; a server now accepts more.
            self.push(
                "now-nullable",
                at,
                site,
                Breaks::new(false, rust),
                Breaks::new(true, rust),
                format!("{what} became nullable"),
            );
        } else {
            // The old client may send null, which the server now refuses; answers lose a case.
            self.push(
                "no-longer-nullable",
                at,
                site,
                Breaks::new(true, rust),
                Breaks::new(false, rust),
                format!("{what} is no longer nullable"),
            );
        }
    }

    fn enums(&mut self, pa: &str, va: &Value, pb: &str, vb: &Value, site: Site<'_>) {
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
            // The old client may send it and be refused; answers merely stop carrying it.
            self.push(
                "enum-value-removed",
                &pointer::push(pa, "enum"),
                site,
                Breaks::BOTH,
                Breaks::RUST,
                format!("the value {removed} was removed"),
            );
        }
        for added in new.iter().filter(|v| !old.contains(v)) {
            let (request, response, why) = if open {
                (
                    Breaks::NOTHING,
                    Breaks::NOTHING,
                    "the enum is open: clients keep unknown values",
                )
            } else {
                (
                    // A new variant breaks exhaustive matches; requests never carry it.
                    Breaks::RUST,
                    Breaks::BOTH,
                    "a closed enum generated from it rejects the new value",
                )
            };
            let message = format!("the value {added} was added ({why})");
            self.push("enum-value-added", &at, site, request, response, message);
        }
    }

    fn properties(&mut self, pa: &str, va: &Value, pb: &str, vb: &Value, site: Site<'_>) {
        let props = |v: &Value| keys(v.get("properties"));
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
        let closed = vb.get("additionalProperties") == Some(&Value::Bool(false));
        let prop = |base: &str, name: &str| pointer::push(&pointer::push(base, "properties"), name);
        for name in old.difference(&new) {
            // A server refuses the old client's field only when it forbids unknown ones; the
            // old client fails on an answer without a field it requires.
            self.push(
                "field-removed",
                &prop(pa, name),
                site,
                Breaks::new(closed, true),
                Breaks::new(old_required.contains(name), true),
                format!("the field `{name}` was removed"),
            );
        }
        for name in new.difference(&old) {
            if new_required.contains(name) {
                let message = format!("the required field `{name}` was added");
                // The old client does not send it; in an answer it is one more field to read.
                self.push(
                    "field-added-required",
                    &prop(pb, name),
                    site,
                    Breaks::BOTH,
                    Breaks::NOTHING,
                    message,
                );
            } else {
                self.push_one(
                    "field-added",
                    &prop(pb, name),
                    site,
                    Breaks::NOTHING,
                    format!("the optional field `{name}` was added"),
                );
            }
        }
        for name in old.intersection(&new) {
            let field = Field {
                was_required: old_required.contains(name),
                is_required: new_required.contains(name),
            };
            self.field_kept(name, &prop(pa, name), &prop(pb, name), field, site);
        }
    }

    /// The field `name`, in both versions (at `a` in the old, `b` in the new): whether it
    /// became required or optional, then its schema.
    fn field_kept(&mut self, name: &str, a: &str, b: &str, field: Field, site: Site<'_>) {
        let (was, is) = (field.was_required, field.is_required);
        if is && !was {
            // The old client may leave it out of a request; an answer that always has it is
            // fine on the wire, but the field's type changes from `Option<T>` to `T`.
            self.push(
                "field-now-required",
                b,
                site,
                Breaks::BOTH,
                Breaks::RUST,
                format!("the field `{name}` became required"),
            );
        } else if was && !is {
            let message = format!(
                "the field `{name}` became optional (its generated type becomes an Option)"
            );
            // The old client always sends it; it fails on an answer without it.
            self.push(
                "field-now-optional",
                b,
                site,
                Breaks::RUST,
                Breaks::BOTH,
                message,
            );
        }
        self.schema(a, b, site, Some(field));
    }
}

/// The keys of an object (none when it is absent or not an object).
fn keys(object: Option<&Value>) -> BTreeSet<String> {
    object
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect()
}

/// A `type` keyword's value for messages.
fn shown(value: &Option<Value>) -> String {
    value.as_ref().map_or_else(
        || "(none)".to_string(),
        |v| v.as_str().map_or_else(|| v.to_string(), str::to_string),
    )
}

/// Whether a receiver of `type: receiver` accepts every value of `type: sender` (no type:
/// any value).
fn types_accept(receiver: &Option<Value>, sender: &Option<Value>) -> bool {
    let list = |v: &Option<Value>| -> Option<Vec<String>> {
        match v {
            None => None,
            Some(Value::String(t)) => Some(vec![t.clone()]),
            Some(Value::Array(ts)) => Some(
                ts.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            ),
            Some(_) => Some(Vec::new()),
        }
    };
    match (list(receiver), list(sender)) {
        (None, _) => true,
        (Some(_), None) => false,
        (Some(r), Some(s)) => s.iter().all(|s| r.iter().any(|r| type_accepts(r, s))),
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
    // A `$ref` into a component (`.../Thing/properties/id`) is not the component itself.
    doc.get(at)
        .and_then(crate::component_schema_name)
        .filter(|name| !name.contains('/'))
}
