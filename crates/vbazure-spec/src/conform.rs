//! Does a consumer's document agree with its provider's?
//!
//! OURS is a hand-written subset of an API (what the generated client sends and reads); THEIRS
//! is the provider's full published document (what the server accepts and answers). Requests
//! flow from OURS to THEIRS, answers from THEIRS to OURS, so each rule is judged in the
//! direction the values travel: a request is fine when THEIRS accepts everything OURS can send;
//! an answer is fine when OURS can read everything THEIRS may send.
//!
//! Each finding is one of three kinds:
//! - **breaking**: the generated client fails or is refused (a value it cannot decode, a
//!   request the server rejects or does not understand);
//! - **drift**: it probably works, but the two documents disagree (a value of an open enum the
//!   client keeps as unknown, a status nobody answers, a detail THEIRS leaves unsaid);
//! - **note**: worth knowing, harmless (a path parameter named differently, a schema neither
//!   side lets the check read).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use serde_json::{json, Value};

use crate::compat::{format_fit, nullable_of, type_accepts, FormatFit};
use crate::report::DOCUMENT_ROOT;
use crate::{
    pointer, Document, Location, MediaType, Operation, Parameter, Report, ReportParts, Response,
};

/// How much a finding matters to the client generated from OURS.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr, strum::Display,
)]
#[strum(serialize_all = "lowercase")]
pub enum ConformKind {
    /// The generated client fails, or its requests are refused or misunderstood.
    Breaking,
    /// The documents disagree in a way the client probably survives.
    Drift,
    /// Harmless, reported so that nothing is skipped silently.
    Note,
}

impl ConformKind {
    /// `breaking`, `drift` or `note`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A place in one of the two documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The document's name (its file name).
    pub file: String,
    /// The JSON pointer of the value concerned.
    pub pointer: String,
    /// Its line and column.
    pub location: Location,
}

impl Place {
    fn new(doc: &Document, at: &str) -> Self {
        Self {
            file: doc.source_name().to_string(),
            pointer: at.to_string(),
            location: doc.location(at),
        }
    }

    /// The place as a JSON object, for tools.
    pub fn to_json(&self) -> Value {
        json!({
            "file": self.file,
            "line": self.location.line,
            "column": self.location.column,
            "pointer": self.pointer,
        })
    }
}

/// `file:line:column at /json/pointer`.
impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = pointer::shown(&self.pointer, DOCUMENT_ROOT);
        write!(f, "{}:{} at {at}", self.file, self.location)
    }
}

/// One disagreement between OURS and THEIRS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConformFinding {
    /// The rule (`operation-missing`, `nullable-mismatch`, ...).
    pub rule: &'static str,
    /// How much it matters.
    pub kind: ConformKind,
    /// The operation of OURS it was found in (a component shared by several is reported once,
    /// under the first).
    pub operation: Option<String>,
    /// Where in OURS.
    pub ours: Place,
    /// Where in THEIRS (for something THEIRS lacks, where it would be).
    pub theirs: Place,
    /// What disagrees, for people.
    pub message: String,
}

/// Its place is the place in OURS, the document the finding is about.
impl Report for ConformFinding {
    fn parts(&self) -> ReportParts<'_> {
        let operation = self.operation.as_deref();
        ReportParts::new(self.rule, operation, &self.ours.pointer, &self.message)
    }

    /// The finding as a JSON object, for tools: its kind, and both places whole.
    fn to_json(&self) -> Value {
        json!({
            "rule": self.rule,
            "kind": self.kind.as_str(),
            "operation": self.operation,
            "message": self.message,
            "ours": self.ours.to_json(),
            "theirs": self.theirs.to_json(),
        })
    }
}

/// `kind: rule: message (operation X)`, then both places on lines of their own.
impl fmt::Display for ConformFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.kind, self.rule, self.message)?;
        if let Some(operation) = &self.operation {
            write!(f, " (operation {operation})")?;
        }
        write!(f, "\n  ours:   {}\n  theirs: {}", self.ours, self.theirs)
    }
}

/// Which way values travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Flow {
    /// From OURS (the client) to THEIRS (the server).
    Request,
    /// From THEIRS to OURS.
    Response,
}

impl Flow {
    /// OURS's and THEIRS's sides as (the sender's, the receiver's).
    fn sender_receiver<T>(self, ours: T, theirs: T) -> (T, T) {
        match self {
            Self::Request => (ours, theirs),
            Self::Response => (theirs, ours),
        }
    }
}

/// What a schema describes, which names the rule of a type mismatch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Subject {
    Parameter,
    Body,
}

impl Subject {
    fn type_rule(self) -> &'static str {
        match self {
            Self::Parameter => "parameter-type",
            Self::Body => "field-type",
        }
    }
}

/// Deeper than any two real documents nest: a hostile document cannot exhaust the stack.
const MAX_DEPTH: usize = 64;
/// `allOf` chains deeper than this are not followed.
const MAX_ALL_OF_DEPTH: usize = 16;

/// Checks OURS (a consumer's subset) against THEIRS (the provider's full document); every
/// disagreement found, breaking ones first, then in the order they stand in OURS.
pub fn conform(ours: &Document, theirs: &Document) -> Vec<ConformFinding> {
    let mut checker = Checker {
        ours,
        theirs,
        findings: Vec::new(),
        compared: HashSet::new(),
        operation: None,
    };
    if checker.versions() {
        checker.operations();
    }
    let mut findings = checker.findings;
    // Operations that share a component of OURS and one of THEIRS (an error answer) find the
    // same thing in the same two places: it is reported once, under the first operation.
    let mut seen = HashSet::new();
    findings.retain(|f| seen.insert((f.rule, f.ours.pointer.clone(), f.theirs.pointer.clone())));
    findings.sort_by(|a, b| {
        (
            a.kind,
            a.ours.location,
            &a.ours.pointer,
            a.rule,
            &a.theirs.pointer,
        )
            .cmp(&(
                b.kind,
                b.ours.location,
                &b.ours.pointer,
                b.rule,
                &b.theirs.pointer,
            ))
    });
    findings
}

/// A schema read flat: `$ref`s followed and `allOf` parts merged, as one set of facts.
#[derive(Debug, Default)]
struct Shape<'a> {
    /// Where it stands after `$ref`s: the key of the comparison memo.
    at: String,
    /// The JSON types it allows; `None` for any.
    types: Option<BTreeSet<&'a str>>,
    format: Option<&'a str>,
    nullable: bool,
    /// The `enum` keyword's place and values.
    enumeration: Option<(String, Vec<&'a Value>)>,
    open_enum: bool,
    /// Each property's name and where its schema stands.
    properties: BTreeMap<&'a str, String>,
    required: BTreeSet<&'a str>,
    required_at: Option<String>,
    additional: Additional,
    items: Option<String>,
    /// Why the check cannot read it, when it cannot.
    unreadable: Option<String>,
}

#[derive(Debug, Default, PartialEq, Eq)]
enum Additional {
    /// No `additionalProperties`: OpenAPI allows other properties.
    #[default]
    Unspecified,
    /// `additionalProperties: true` or `{}`.
    Allowed,
    /// `additionalProperties: false`, at this pointer.
    Forbidden(String),
    /// A schema for the values of other properties (a map), at this pointer.
    Schema(String),
}

impl Additional {
    fn allows_any(&self) -> bool {
        matches!(self, Self::Allowed | Self::Schema(_))
    }
}

impl<'a> Shape<'a> {
    /// The shape of the schema at `at`, or why it cannot be read.
    fn read(doc: &'a Document, at: &str) -> Result<Self, String> {
        let raw = doc
            .get(at)
            .ok_or_else(|| "there is no schema there".to_string())?;
        let (target, value) = doc
            .deref(at)
            .ok_or_else(|| "its `$ref` leads nowhere (or round in a circle)".to_string())?;
        let mut shape = Shape {
            at: target.clone(),
            ..Shape::default()
        };
        shape.absorb(doc, &target, value, 0);
        // A `nullable` written beside a `$ref` (OpenAPI 3.0 ignores siblings of `$ref`, but
        // documents write it so and generators honour it).
        shape.nullable |= nullable_of(raw);
        if shape.types.is_none() {
            if !shape.properties.is_empty() || shape.additional != Additional::Unspecified {
                shape.types = Some(BTreeSet::from(["object"]));
            } else if shape.items.is_some() {
                shape.types = Some(BTreeSet::from(["array"]));
            }
        }
        Ok(shape)
    }

    /// Merges the facts of the schema `value` (standing at `at`) into this shape.
    fn absorb(&mut self, doc: &'a Document, at: &str, value: &'a Value, depth: usize) {
        let Some(map) = value.as_object() else {
            self.unreadable = Some("it is not a schema object".to_string());
            return;
        };
        if depth == 0 {
            self.nullable |= nullable_of(value);
        }
        let types: Option<BTreeSet<&str>> = match map.get("type") {
            Some(Value::String(t)) => Some(BTreeSet::from([t.as_str()])),
            Some(Value::Array(list)) => Some(
                list.iter()
                    .filter_map(Value::as_str)
                    .filter(|t| *t != "null")
                    .collect(),
            ),
            _ => None,
        };
        if let Some(types) = types {
            self.types = Some(match self.types.take() {
                Some(known) => known.intersection(&types).copied().collect(),
                None => types,
            });
        }
        if let Some(format) = map.get("format").and_then(Value::as_str) {
            self.format.get_or_insert(format);
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            if self.enumeration.is_none() {
                self.enumeration =
                    Some((pointer::push(at, "enum"), values.iter().collect::<Vec<_>>()));
            }
        }
        self.open_enum |= map.get("x-vbazure-open-enum") == Some(&Value::Bool(true));
        let properties_at = pointer::push(at, "properties");
        for (name, _) in map
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            self.properties
                .entry(name.as_str())
                .or_insert_with(|| pointer::push(&properties_at, name));
        }
        if let Some(required) = map.get("required").and_then(Value::as_array) {
            self.required
                .extend(required.iter().filter_map(Value::as_str));
            self.required_at
                .get_or_insert_with(|| pointer::push(at, "required"));
        }
        if self.additional == Additional::Unspecified {
            let here = pointer::push(at, "additionalProperties");
            self.additional = match map.get("additionalProperties") {
                Some(Value::Bool(false)) => Additional::Forbidden(here),
                Some(Value::Bool(true)) => Additional::Allowed,
                Some(Value::Object(o)) if o.is_empty() => Additional::Allowed,
                Some(Value::Object(_)) => Additional::Schema(here),
                _ => Additional::Unspecified,
            };
        }
        if map.get("items").is_some_and(Value::is_object) {
            self.items.get_or_insert_with(|| pointer::push(at, "items"));
        }
        self.absorb_parts(doc, at, map, depth);
    }

    /// Merges the schemas that the schema `map` (standing at `at`) is made of: its `allOf`
    /// parts, and a `oneOf` or `anyOf` of one schema. Real alternatives and `not` make it
    /// unreadable.
    fn absorb_parts(
        &mut self,
        doc: &'a Document,
        at: &str,
        map: &'a serde_json::Map<String, Value>,
        depth: usize,
    ) {
        // A single alternative is how some generators write a nullable `$ref`: read it as
        // `allOf`. Real alternatives cannot be compared field by field.
        let mut parts = Vec::new();
        for keyword in ["allOf", "oneOf", "anyOf"] {
            let Some(list) = map.get(keyword).and_then(Value::as_array) else {
                continue;
            };
            if keyword != "allOf" && list.len() > 1 {
                self.unreadable = Some(format!("it is a `{keyword}` of {} schemas", list.len()));
                continue;
            }
            let list_at = pointer::push(at, keyword);
            parts.extend((0..list.len()).map(|i| pointer::push(&list_at, &i.to_string())));
        }
        if map.contains_key("not") {
            self.unreadable = Some("it uses `not`".to_string());
        }
        if parts.is_empty() {
            return;
        }
        if depth >= MAX_ALL_OF_DEPTH {
            self.unreadable = Some("its `allOf` parts nest too deep".to_string());
            return;
        }
        let mut all_nullable = true;
        for part in parts {
            match doc.deref(&part) {
                Some((target, value)) => {
                    all_nullable &= nullable_of(value);
                    self.absorb(doc, &target, value, depth + 1);
                }
                None => {
                    self.unreadable = Some(format!("its part {part} leads nowhere"));
                    all_nullable = false;
                }
            }
        }
        // A value matches `allOf` only when it matches every part: null only when each allows it.
        self.nullable |= all_nullable;
    }

    fn is_free_form(&self) -> bool {
        self.properties.is_empty() && !matches!(self.additional, Additional::Forbidden(_))
    }

    /// Where a property would stand: the `properties` keyword, or the schema itself.
    fn properties_place(&self, doc: &Document) -> String {
        keyword_place(doc, &self.at, "properties")
    }

    fn shown_types(&self) -> String {
        match &self.types {
            Some(types) if !types.is_empty() => {
                types.iter().copied().collect::<Vec<_>>().join(" or ")
            }
            Some(_) => "no type at all".to_string(),
            None => "any type".to_string(),
        }
    }
}

/// What a schema pointer describes, for messages: `the field `id``, `an item`, `the body`.
fn what_is_at(at: &str) -> String {
    let tokens = pointer::tokens(at);
    match tokens.as_slice() {
        [.., properties, name] if properties == "properties" => format!("the field `{name}`"),
        [.., last] if last == "items" => "an item of the array".to_string(),
        [.., last] if last == "additionalProperties" => "a value of the map".to_string(),
        [.., media, last] if last == "schema" && media.contains('/') => "the body".to_string(),
        [.., last] if last == "schema" => "the parameter".to_string(),
        _ => "this value".to_string(),
    }
}

/// The `values` that `other` lacks.
fn lacking<'v>(values: &[&'v Value], other: &[&'v Value]) -> Vec<&'v Value> {
    values
        .iter()
        .copied()
        .filter(|v| !other.contains(v))
        .collect()
}

/// At most a few values, for messages.
fn shown_values(values: &[&Value]) -> String {
    const SHOWN: usize = 6;
    let mut text = values
        .iter()
        .take(SHOWN)
        .map(|v| v.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > SHOWN {
        text.push_str(&format!(" and {} more", values.len() - SHOWN));
    }
    text
}

/// A path template with its parameter names blanked: `/vms/{id}` and `/vms/{vmId}` are the
/// same route.
fn route(path: &str) -> String {
    let trimmed = if path.len() > 1 {
        path.trim_end_matches('/')
    } else {
        path
    };
    trimmed
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') && segment.ends_with('}') {
                "{}"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The names of a path template's parameters, in order.
fn path_names(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .collect()
}

/// An answer's status key, upper-cased so that `4xx` and `4XX` are one.
fn status_key(status: &str) -> String {
    status.to_ascii_uppercase()
}

/// Whether the status key `covering` (exact, a range or `default`) covers the key `status`.
fn covers(covering: &str, status: &str) -> bool {
    let (covering, status) = (status_key(covering), status_key(status));
    covering == status
        || covering == "DEFAULT"
        || (covering.len() == 3
            && covering.ends_with("XX")
            && status.len() == 3
            && covering.as_bytes()[0] == status.as_bytes()[0])
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

struct Checker<'a> {
    ours: &'a Document,
    theirs: &'a Document,
    findings: Vec<ConformFinding>,
    /// Schema pairs already compared (by where each stands after `$ref`s), so that a shared
    /// component is compared once, and recursive schemas end.
    compared: HashSet<(Flow, Subject, String, String)>,
    /// The operation of OURS being checked.
    operation: Option<String>,
}

impl Checker<'_> {
    fn push(
        &mut self,
        rule: &'static str,
        kind: ConformKind,
        ours_at: &str,
        theirs_at: &str,
        message: String,
    ) {
        self.findings.push(ConformFinding {
            rule,
            kind,
            operation: self.operation.clone(),
            ours: Place::new(self.ours, ours_at),
            theirs: Place::new(self.theirs, theirs_at),
            message,
        });
    }

    /// Both documents must be OpenAPI 3: a Swagger 2 document describes bodies and parameters
    /// differently, and comparing it would report everything as missing.
    fn versions(&mut self) -> bool {
        let version = |doc: &Document| {
            doc.get("/openapi")
                .and_then(Value::as_str)
                .map(str::to_string)
                .or_else(|| {
                    doc.get("/swagger")
                        .map(|v| format!("Swagger {}", v.as_str().unwrap_or("?")))
                })
        };
        let mut fine = true;
        for (name, doc) in [("OURS", self.ours), ("THEIRS", self.theirs)] {
            let found = version(doc);
            if found.as_deref().is_some_and(|v| v.starts_with("3.")) {
                continue;
            }
            let at = if doc.get("/swagger").is_some() {
                "/swagger"
            } else {
                "/openapi"
            };
            let message = format!(
                "{name} is {}, not OpenAPI 3: the check reads OpenAPI 3.0 (and 3.1) documents only",
                found.unwrap_or_else(|| "no OpenAPI document (it has no `openapi` version)".into())
            );
            let (ours_at, theirs_at) = if name == "OURS" {
                (at, "/openapi")
            } else {
                ("/openapi", at)
            };
            self.push(
                "openapi-version",
                ConformKind::Breaking,
                ours_at,
                theirs_at,
                message,
            );
            fine = false;
        }
        fine
    }

    fn operations(&mut self) {
        let theirs_ops = self.theirs.operations();
        let mut by_route: HashMap<(&str, String), &Operation> = HashMap::new();
        for operation in theirs_ops {
            by_route
                .entry((operation.method, route(&operation.path)))
                .or_insert(operation);
        }
        for ours_op in self.ours.operations() {
            self.operation = Some(ours_op.name.clone());
            match by_route.get(&(ours_op.method, route(&ours_op.path))) {
                Some(theirs_op) => self.operation_pair(ours_op, theirs_op),
                None => self.operation_missing(ours_op, theirs_ops),
            }
        }
        self.operation = None;
    }

    fn operation_missing(&mut self, ours_op: &Operation, theirs_ops: &[Operation]) {
        let mut message = format!("THEIRS has no {}", ours_op.method_and_path());
        let wanted = route(&ours_op.path);
        let same_path: Vec<String> = theirs_ops
            .iter()
            .filter(|o| route(&o.path) == wanted)
            .map(|o| o.method.to_uppercase())
            .collect();
        let closest = theirs_ops
            .iter()
            .map(|o| (strsim::normalized_levenshtein(&wanted, &route(&o.path)), o))
            .fold(None::<(f64, &Operation)>, |best, (score, o)| match best {
                Some((top, _)) if top >= score => best,
                _ => Some((score, o)),
            });
        let mut theirs_at = "/paths".to_string();
        if !same_path.is_empty() {
            message.push_str(&format!("; at this path it has {}", same_path.join(", ")));
        }
        if let Some(same_id) = ours_op
            .operation_id
            .as_deref()
            .and_then(|id| self.theirs.operation(id))
        {
            message.push_str(&format!(
                "; its operation {} is {}",
                same_id.name,
                same_id.method_and_path()
            ));
            theirs_at = same_id.pointer.clone();
        } else if let Some((_, near)) = closest {
            message.push_str(&format!("; the closest path is {}", near.method_and_path()));
            theirs_at = near.item_pointer.clone();
        }
        self.push(
            "operation-missing",
            ConformKind::Breaking,
            &ours_op.pointer,
            &theirs_at,
            message,
        );
    }

    fn operation_pair(&mut self, ours_op: &Operation, theirs_op: &Operation) {
        if theirs_op.needs_token && !ours_op.needs_token {
            let (ours_at, theirs_at) = (
                security_place(self.ours, ours_op),
                security_place(self.theirs, theirs_op),
            );
            self.push(
                "security-mismatch",
                ConformKind::Breaking,
                &ours_at,
                &theirs_at,
                "THEIRS requires a token for this operation, OURS calls it without one: the server answers 401".to_string(),
            );
        }
        let deprecated = |doc: &Document, op: &Operation| {
            doc.get(&pointer::push(&op.pointer, "deprecated")) == Some(&Value::Bool(true))
        };
        if deprecated(self.theirs, theirs_op) && !deprecated(self.ours, ours_op) {
            self.push(
                "operation-deprecated",
                ConformKind::Drift,
                &ours_op.pointer,
                &pointer::push(&theirs_op.pointer, "deprecated"),
                "THEIRS marks the operation deprecated: it may go in a later version".to_string(),
            );
        }
        self.parameters(ours_op, theirs_op);
        self.request_body(ours_op, theirs_op);
        self.responses(ours_op, theirs_op);
    }

    // ---- Parameters --------------------------------------------------------------------

    fn parameters(&mut self, ours_op: &Operation, theirs_op: &Operation) {
        // Path parameters pair by their position in the template, whatever their names.
        let renamed: HashMap<&str, &str> = path_names(&ours_op.path)
            .into_iter()
            .zip(path_names(&theirs_op.path))
            .collect();
        let theirs_list = keyword_place(self.theirs, &theirs_op.pointer, "parameters");
        let mut matched: HashSet<(String, String)> = HashSet::new();
        for ours_p in &ours_op.parameters {
            let place = ours_p.location.as_str();
            let mut wanted = ours_p.name.as_str();
            if place == "path" {
                if let Some(theirs_name) = renamed.get(wanted).filter(|n| **n != wanted) {
                    let message = format!(
                        "the path parameter `{wanted}` is `{theirs_name}` in THEIRS (the same segment of the path)"
                    );
                    let theirs_at = theirs_op
                        .parameters
                        .iter()
                        .find(|p| p.name == *theirs_name && p.location.as_str() == "path")
                        .map_or(theirs_op.item_pointer.clone(), |p| p.pointer.clone());
                    self.push(
                        "path-parameter-name",
                        ConformKind::Note,
                        &ours_p.pointer,
                        &theirs_at,
                        message,
                    );
                    wanted = theirs_name;
                }
            }
            let exact = theirs_op
                .parameters
                .iter()
                .find(|p| p.name == wanted && p.location == ours_p.location);
            let theirs_p = match exact {
                Some(p) => p,
                None => {
                    let Some(p) = self.parameter_elsewhere(ours_p, wanted, theirs_op, &theirs_list)
                    else {
                        continue;
                    };
                    p
                }
            };
            matched.insert((
                theirs_p.name.clone(),
                theirs_p.location.as_str().to_string(),
            ));
            self.parameter_pair(ours_p, theirs_p);
        }
        for theirs_p in &theirs_op.parameters {
            let key = (
                theirs_p.name.clone(),
                theirs_p.location.as_str().to_string(),
            );
            if theirs_p.required && !matched.contains(&key) {
                let message = format!(
                    "THEIRS requires the {} parameter `{}`, which OURS never sends",
                    key.1, key.0
                );
                let ours_at = keyword_place(self.ours, &ours_op.pointer, "parameters");
                self.push(
                    "required-mismatch",
                    ConformKind::Breaking,
                    &ours_at,
                    &theirs_p.pointer,
                    message,
                );
            }
        }
    }

    /// A parameter of OURS that THEIRS does not have by that name and place: one that differs
    /// in letter case only (returned, to be compared), or one elsewhere, or none.
    fn parameter_elsewhere<'t>(
        &mut self,
        ours_p: &Parameter,
        wanted: &str,
        theirs_op: &'t Operation,
        theirs_list: &str,
    ) -> Option<&'t Parameter> {
        let place = ours_p.location.as_str();
        if let Some(p) = theirs_op
            .parameters
            .iter()
            .find(|p| p.location == ours_p.location && p.name.eq_ignore_ascii_case(wanted))
        {
            let message = format!(
                "OURS sends the {place} parameter `{wanted}`, THEIRS names it `{}`: ASP.NET reads parameter names in any case, other servers may not",
                p.name
            );
            self.push(
                "parameter-name-case",
                ConformKind::Drift,
                &ours_p.pointer,
                &p.pointer,
                message,
            );
            return Some(p);
        }
        if let Some(p) = theirs_op
            .parameters
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(wanted))
        {
            let message = format!(
                "OURS sends `{wanted}` as a {place} parameter, THEIRS reads it from the {}",
                p.location.as_str()
            );
            self.push(
                "parameter-location",
                ConformKind::Breaking,
                &ours_p.pointer,
                &p.pointer,
                message,
            );
            return None;
        }
        let message = format!(
            "OURS sends the {place} parameter `{wanted}`, which THEIRS does not know (the server ignores it at best)"
        );
        self.push(
            "parameter-missing",
            ConformKind::Breaking,
            &ours_p.pointer,
            theirs_list,
            message,
        );
        None
    }

    fn parameter_pair(&mut self, ours_p: &Parameter, theirs_p: &Parameter) {
        if theirs_p.required && !ours_p.required {
            let message = format!(
                "THEIRS requires the {} parameter `{}`, which OURS may leave out",
                theirs_p.location.as_str(),
                theirs_p.name
            );
            self.push(
                "required-mismatch",
                ConformKind::Breaking,
                &ours_p.target,
                &theirs_p.target,
                message,
            );
        }
        if let (Some(o), Some(t)) = (&ours_p.schema, &theirs_p.schema) {
            self.schema(Flow::Request, Subject::Parameter, o, t, 0);
        }
    }

    // ---- Request bodies ----------------------------------------------------------------

    fn request_body(&mut self, ours_op: &Operation, theirs_op: &Operation) {
        match (&ours_op.request_body, &theirs_op.request_body) {
            (None, None) => {}
            (None, Some(theirs_body)) => {
                if theirs_body.required {
                    self.push(
                        "required-mismatch",
                        ConformKind::Breaking,
                        &ours_op.pointer,
                        &theirs_body.target,
                        "THEIRS requires a request body, OURS sends none".to_string(),
                    );
                }
            }
            (Some(ours_body), None) => self.push(
                "request-body-missing",
                ConformKind::Breaking,
                &ours_body.target,
                &theirs_op.pointer,
                "OURS sends a request body, THEIRS takes none".to_string(),
            ),
            (Some(ours_body), Some(theirs_body)) => {
                if theirs_body.required && !ours_body.required {
                    self.push(
                        "required-mismatch",
                        ConformKind::Breaking,
                        &ours_body.target,
                        &theirs_body.target,
                        "THEIRS requires the request body, OURS may leave it out".to_string(),
                    );
                }
                for ours_media in &ours_body.content {
                    let Some(theirs_media) = accepted(&ours_media.essence(), &theirs_body.content)
                    else {
                        let offered = media_types(&theirs_body.content);
                        let message = format!(
                            "OURS sends {}, THEIRS accepts {}",
                            ours_media.media_type,
                            if offered.is_empty() {
                                "no media type"
                            } else {
                                &offered
                            }
                        );
                        let theirs_at = pointer::push(&theirs_body.target, "content");
                        self.push(
                            "media-type",
                            ConformKind::Breaking,
                            &ours_media.pointer,
                            &theirs_at,
                            message,
                        );
                        continue;
                    };
                    if let (Some(o), Some(t)) = (&ours_media.schema, &theirs_media.schema) {
                        self.schema(Flow::Request, Subject::Body, o, t, 0);
                    }
                }
            }
        }
    }

    // ---- Answers -----------------------------------------------------------------------

    fn responses(&mut self, ours_op: &Operation, theirs_op: &Operation) {
        let theirs_responses_at = theirs_op
            .responses_pointer
            .clone()
            .unwrap_or_else(|| theirs_op.pointer.clone());
        for ours_r in &ours_op.responses {
            let matched = answers_for(&ours_r.status, &theirs_op.responses);
            if matched.is_empty() {
                let message = format!(
                    "OURS documents the answer {}, THEIRS does not",
                    ours_r.status
                );
                self.push(
                    "status-missing",
                    ConformKind::Drift,
                    &ours_r.pointer,
                    &theirs_responses_at,
                    message,
                );
                continue;
            }
            for theirs_r in matched {
                self.response_pair(ours_r, theirs_r);
            }
        }
        for theirs_r in &theirs_op.responses {
            if ours_op
                .responses
                .iter()
                .any(|o| covers(&o.status, &theirs_r.status))
            {
                continue;
            }
            let (kind, why) = if is_success(&theirs_r.status) {
                (
                    ConformKind::Breaking,
                    "the generated client treats it as an unexpected answer",
                )
            } else {
                (
                    ConformKind::Drift,
                    "the generated client reads it as an undocumented error",
                )
            };
            let ours_at = ours_op
                .responses_pointer
                .clone()
                .unwrap_or_else(|| ours_op.pointer.clone());
            let message = format!(
                "THEIRS may answer {}, which OURS does not document: {why}",
                theirs_r.status
            );
            self.push(
                "status-undocumented",
                kind,
                &ours_at,
                &theirs_r.pointer,
                message,
            );
        }
    }

    fn response_pair(&mut self, ours_r: &Response, theirs_r: &Response) {
        // An error answer the client cannot read is still an error: reported, but as drift.
        let kind = if is_success(&ours_r.status) {
            ConformKind::Breaking
        } else {
            ConformKind::Drift
        };
        let theirs_at = theirs_r
            .target
            .clone()
            .unwrap_or_else(|| theirs_r.pointer.clone());
        for ours_media in ours_r.content.iter().filter(|m| m.schema.is_some()) {
            if theirs_r.content.is_empty() {
                let message = format!(
                    "OURS reads a body ({}) from the answer {}, THEIRS documents it without one",
                    ours_media.media_type, theirs_r.status
                );
                self.push(
                    "response-body-missing",
                    kind,
                    &ours_media.pointer,
                    &theirs_at,
                    message,
                );
                continue;
            }
            let essence = ours_media.essence();
            let theirs_media = theirs_r
                .content
                .iter()
                .find(|m| m.essence() == essence)
                // The generated client decodes any JSON body whatever its exact type says.
                .or_else(|| {
                    ours_media
                        .is_json()
                        .then(|| theirs_r.content.iter().find(|m| m.is_json()))
                        .flatten()
                });
            let Some(theirs_media) = theirs_media else {
                let offered = media_types(&theirs_r.content);
                let message = format!(
                    "OURS reads {} from the answer {}, THEIRS answers {offered}",
                    ours_media.media_type, theirs_r.status
                );
                self.push(
                    "media-type",
                    kind,
                    &ours_media.pointer,
                    &pointer::push(&theirs_at, "content"),
                    message,
                );
                continue;
            };
            if let (Some(o), Some(t)) = (&ours_media.schema, &theirs_media.schema) {
                self.schema(Flow::Response, Subject::Body, o, t, 0);
            }
        }
    }

    // ---- Schemas -----------------------------------------------------------------------

    /// Compares the schema of OURS at `ours_at` with the one of THEIRS at `theirs_at`, for
    /// values travelling in `flow`.
    fn schema(
        &mut self,
        flow: Flow,
        subject: Subject,
        ours_at: &str,
        theirs_at: &str,
        depth: usize,
    ) {
        if depth > MAX_DEPTH {
            self.push(
                "schema-unchecked",
                ConformKind::Note,
                ours_at,
                theirs_at,
                "the schemas nest too deep to compare further".to_string(),
            );
            return;
        }
        let (ours_doc, theirs_doc) = (self.ours, self.theirs);
        let read = |doc, at, side: &str| {
            Shape::read(doc, at).map_err(|why| format!("{side}'s schema cannot be compared: {why}"))
        };
        // OURS's reason first, when neither can be read.
        let shapes = read(ours_doc, ours_at, "OURS")
            .and_then(|o| Ok((o, read(theirs_doc, theirs_at, "THEIRS")?)));
        let (o, t) = match shapes {
            Ok(shapes) => shapes,
            Err(message) => {
                self.push(
                    "schema-unchecked",
                    ConformKind::Note,
                    ours_at,
                    theirs_at,
                    message,
                );
                return;
            }
        };
        // Nullability belongs to each use (a `nullable` beside a `$ref`), so it is compared
        // before the memo of shared schemas.
        self.nullable(flow, &o, &t, ours_at, theirs_at);
        if !self
            .compared
            .insert((flow, subject, o.at.clone(), t.at.clone()))
        {
            return;
        }
        if let Some(why) = o
            .unreadable
            .as_ref()
            .map(|w| format!("OURS's schema: {w}"))
            .or_else(|| {
                t.unreadable
                    .as_ref()
                    .map(|w| format!("THEIRS's schema: {w}"))
            })
        {
            let message = format!("not compared field by field: {why}");
            self.push("schema-unchecked", ConformKind::Note, &o.at, &t.at, message);
            return;
        }
        if !self.types(flow, subject, &o, &t) {
            return;
        }
        self.format(flow, subject, &o, &t);
        self.enumeration(flow, &o, &t);
        match flow {
            Flow::Response => self.object_read(subject, &o, &t, depth),
            Flow::Request => self.object_sent(subject, &o, &t, depth),
        }
        if let (Some(oi), Some(ti)) = (&o.items, &t.items) {
            self.schema(flow, subject, oi, ti, depth + 1);
        }
    }

    fn nullable(
        &mut self,
        flow: Flow,
        o: &Shape<'_>,
        t: &Shape<'_>,
        ours_at: &str,
        theirs_at: &str,
    ) {
        let what = what_is_at(ours_at);
        match flow {
            Flow::Response if t.nullable && !o.nullable => self.push(
                "nullable-mismatch",
                ConformKind::Breaking,
                ours_at,
                theirs_at,
                format!("THEIRS may send null for {what}, OURS says it is never null: the generated client fails on a null"),
            ),
            Flow::Request if o.nullable && !t.nullable => self.push(
                "nullable-mismatch",
                ConformKind::Drift,
                ours_at,
                theirs_at,
                format!("OURS may send null for {what}, THEIRS does not accept null"),
            ),
            _ => {}
        }
    }

    /// False when the types disagree, and nothing further is worth comparing.
    fn types(&mut self, flow: Flow, subject: Subject, o: &Shape<'_>, t: &Shape<'_>) -> bool {
        let (sender, receiver) = flow.sender_receiver(o, t);
        let rule = subject.type_rule();
        let (Some(sent), Some(read)) = (&sender.types, &receiver.types) else {
            if receiver.types.is_some() {
                let message = match flow {
                    Flow::Response => format!(
                        "THEIRS gives no type here, OURS reads {}",
                        receiver.shown_types()
                    ),
                    Flow::Request => format!(
                        "OURS gives no type here (it may send anything), THEIRS expects {}",
                        receiver.shown_types()
                    ),
                };
                self.push(rule, ConformKind::Drift, &o.at, &t.at, message);
            }
            return true;
        };
        let refused: Vec<&str> = sent
            .iter()
            .copied()
            .filter(|s| !read.iter().any(|r| type_accepts(r, s)))
            .collect();
        if refused.is_empty() {
            return true;
        }
        let message = match flow {
            Flow::Response => format!(
                "THEIRS sends {}, OURS reads {}",
                sender.shown_types(),
                receiver.shown_types()
            ),
            Flow::Request => format!(
                "OURS sends {}, THEIRS expects {}",
                sender.shown_types(),
                receiver.shown_types()
            ),
        };
        self.push(rule, ConformKind::Breaking, &o.at, &t.at, message);
        false
    }

    fn format(&mut self, flow: Flow, subject: Subject, o: &Shape<'_>, t: &Shape<'_>) {
        let (sender, receiver) = flow.sender_receiver(o, t);
        let shown =
            |f: Option<&str>| f.map_or("no format".to_string(), |f| format!("format `{f}`"));
        let (kind, message) = match format_fit(receiver.format, sender.format) {
            FormatFit::Fits => return,
            FormatFit::Unknown => (
                ConformKind::Drift,
                match flow {
                    Flow::Response => format!(
                        "THEIRS gives no format here, OURS decodes {}",
                        shown(receiver.format)
                    ),
                    Flow::Request => format!(
                        "OURS gives no format here (it may send any value), THEIRS expects {}",
                        shown(receiver.format)
                    ),
                },
            ),
            FormatFit::Misfit => (
                ConformKind::Breaking,
                match flow {
                    Flow::Response => format!(
                        "THEIRS sends {}, OURS decodes {}",
                        shown(sender.format),
                        shown(receiver.format)
                    ),
                    Flow::Request => format!(
                        "OURS sends {}, THEIRS expects {}",
                        shown(sender.format),
                        shown(receiver.format)
                    ),
                },
            ),
        };
        // The `format` keyword when it stands in the schema itself; the schema when it is
        // inherited through `allOf`.
        let (ours_at, theirs_at) = (
            keyword_place(self.ours, &o.at, "format"),
            keyword_place(self.theirs, &t.at, "format"),
        );
        self.push(subject.type_rule(), kind, &ours_at, &theirs_at, message);
    }

    fn enumeration(&mut self, flow: Flow, o: &Shape<'_>, t: &Shape<'_>) {
        let values_at = |s: &Shape<'_>| {
            s.enumeration
                .as_ref()
                .map_or(s.at.clone(), |(at, _)| at.clone())
        };
        // At most one finding: which depends on the direction and on the side that lists values.
        let (rule, kind, message) = match (flow, &o.enumeration, &t.enumeration) {
            (Flow::Response, Some((_, ours_values)), Some((_, theirs_values))) => {
                let unknown = lacking(theirs_values, ours_values);
                if unknown.is_empty() {
                    return;
                }
                let (kind, why) = if o.open_enum {
                    (
                        ConformKind::Drift,
                        "OURS's enum is open: the client keeps such a value as unknown",
                    )
                } else {
                    (
                        ConformKind::Breaking,
                        "OURS's enum is closed: the generated client fails on such a value",
                    )
                };
                let message = format!(
                    "THEIRS may send {}, which OURS lacks; {why}",
                    shown_values(&unknown)
                );
                ("enum-value-missing", kind, message)
            }
            (Flow::Response, Some(_), None) if !o.open_enum => (
                "enum-unconstrained",
                ConformKind::Drift,
                "OURS's closed enum lists the values, THEIRS does not: it may send others, on which the generated client fails".to_string(),
            ),
            (Flow::Request, Some((_, ours_values)), Some((_, theirs_values))) => {
                let refused = lacking(ours_values, theirs_values);
                if refused.is_empty() {
                    return;
                }
                let message = format!(
                    "OURS may send {}, which THEIRS does not accept",
                    shown_values(&refused)
                );
                ("enum-value-missing", ConformKind::Breaking, message)
            }
            (Flow::Request, None, Some((_, theirs_values))) => {
                let message = format!(
                    "THEIRS accepts only {}, OURS lists no values: it may send others",
                    shown_values(theirs_values)
                );
                ("enum-unconstrained", ConformKind::Drift, message)
            }
            _ => return,
        };
        self.push(rule, kind, &values_at(o), &values_at(t), message);
    }

    /// An object THEIRS sends and OURS reads: every field OURS reads must come, as OURS says.
    fn object_read(&mut self, subject: Subject, o: &Shape<'_>, t: &Shape<'_>, depth: usize) {
        for (name, ours_at) in &o.properties {
            let ours_requires = o.required.contains(name);
            match t.properties.get(name) {
                Some(theirs_at) => {
                    if ours_requires && !t.required.contains(name) {
                        let message = format!(
                            "OURS requires the field `{name}`, THEIRS may leave it out: the generated client fails without it"
                        );
                        self.push(
                            "required-mismatch",
                            ConformKind::Breaking,
                            ours_at,
                            theirs_at,
                            message,
                        );
                    }
                    self.schema(Flow::Response, subject, ours_at, theirs_at, depth + 1);
                }
                None => {
                    if let Additional::Schema(values) = &t.additional {
                        // A field of THEIRS's map.
                        self.schema(Flow::Response, subject, ours_at, values, depth + 1);
                        continue;
                    }
                    let theirs_at = t.properties_place(self.theirs);
                    let (kind, why) = if t.is_free_form() {
                        (
                            ConformKind::Drift,
                            "THEIRS does not describe the fields of this object",
                        )
                    } else if ours_requires {
                        (
                            ConformKind::Breaking,
                            "OURS requires it: the generated client fails without it",
                        )
                    } else {
                        (
                            ConformKind::Drift,
                            "OURS reads it as optional: the client always finds it absent",
                        )
                    };
                    let message =
                        format!("OURS reads the field `{name}`, THEIRS does not send it; {why}");
                    self.push("field-missing", kind, ours_at, &theirs_at, message);
                }
            }
        }
        if let Additional::Schema(ours_values) = &o.additional {
            match &t.additional {
                Additional::Schema(theirs_values) => {
                    self.schema(
                        Flow::Response,
                        subject,
                        ours_values,
                        theirs_values,
                        depth + 1,
                    );
                }
                _ => {
                    for (name, theirs_at) in &t.properties {
                        if !o.properties.contains_key(name) {
                            self.schema(Flow::Response, subject, ours_values, theirs_at, depth + 1);
                        }
                    }
                }
            }
        }
        if let Additional::Forbidden(ours_at) = &o.additional {
            let extra: Vec<&str> = t
                .properties
                .keys()
                .copied()
                .filter(|n| !o.properties.contains_key(n))
                .collect();
            if !extra.is_empty() || t.additional.allows_any() {
                let what = if extra.is_empty() {
                    "fields of any name".to_string()
                } else {
                    extra
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let message = format!(
                    "OURS forbids fields it does not list, THEIRS may send {what}: the generated client refuses unknown fields"
                );
                let theirs_at = t.properties_place(self.theirs);
                self.push(
                    "additional-properties",
                    ConformKind::Breaking,
                    ours_at,
                    &theirs_at,
                    message,
                );
            }
        }
    }

    /// An object OURS sends and THEIRS reads: THEIRS must know every field and get the ones
    /// it requires.
    fn object_sent(&mut self, subject: Subject, o: &Shape<'_>, t: &Shape<'_>, depth: usize) {
        for (name, ours_at) in &o.properties {
            match t.properties.get(name) {
                Some(theirs_at) => {
                    if t.required.contains(name) && !o.required.contains(name) {
                        let message =
                            format!("THEIRS requires the field `{name}`, OURS may leave it out");
                        self.push(
                            "required-mismatch",
                            ConformKind::Breaking,
                            ours_at,
                            theirs_at,
                            message,
                        );
                    }
                    self.schema(Flow::Request, subject, ours_at, theirs_at, depth + 1);
                }
                None => match &t.additional {
                    Additional::Forbidden(theirs_at) => {
                        let message = format!(
                            "OURS may send the field `{name}`, THEIRS forbids fields it does not list: the request is refused"
                        );
                        self.push(
                            "additional-properties",
                            ConformKind::Breaking,
                            ours_at,
                            theirs_at,
                            message,
                        );
                    }
                    Additional::Schema(values) => {
                        self.schema(Flow::Request, subject, ours_at, values, depth + 1);
                    }
                    _ => {
                        let theirs_at = t.properties_place(self.theirs);
                        let (kind, why) = if t.is_free_form() {
                            (
                                ConformKind::Drift,
                                "THEIRS does not describe the fields of this object",
                            )
                        } else {
                            (ConformKind::Breaking, "the server ignores it at best")
                        };
                        let message = format!(
                            "OURS may send the field `{name}`, which THEIRS does not know; {why}"
                        );
                        self.push("field-missing", kind, ours_at, &theirs_at, message);
                    }
                },
            }
        }
        let is_object = |s: &Shape<'_>| s.types.as_ref().is_some_and(|t| t.contains("object"));
        if is_object(o) || !o.properties.is_empty() {
            for name in &t.required {
                if o.properties.contains_key(name) {
                    continue;
                }
                let kind = if o.is_free_form() || o.additional.allows_any() {
                    // OURS's map may carry it, or not.
                    ConformKind::Drift
                } else {
                    ConformKind::Breaking
                };
                let message = format!("THEIRS requires the field `{name}`, which OURS never sends");
                let ours_at = o.properties_place(self.ours);
                let theirs_at = t.required_at.clone().unwrap_or_else(|| t.at.clone());
                self.push("required-mismatch", kind, &ours_at, &theirs_at, message);
            }
        }
        match (&o.additional, &t.additional) {
            (Additional::Allowed | Additional::Schema(_), Additional::Forbidden(theirs_at)) => {
                let message =
                    "OURS may send fields of any name, THEIRS forbids fields it does not list"
                        .to_string();
                let ours_at = o.at.clone();
                self.push(
                    "additional-properties",
                    ConformKind::Breaking,
                    &ours_at,
                    theirs_at,
                    message,
                );
            }
            (Additional::Schema(ours_values), Additional::Schema(theirs_values)) => {
                self.schema(
                    Flow::Request,
                    subject,
                    ours_values,
                    theirs_values,
                    depth + 1,
                );
            }
            _ => {}
        }
    }
}

/// Where `keyword` of the object at `at` stands when it is written there, else the object.
fn keyword_place(doc: &Document, at: &str, keyword: &str) -> String {
    let here = pointer::push(at, keyword);
    if doc.get(&here).is_some() {
        here
    } else {
        at.to_string()
    }
}

/// Where an operation's security requirement is said: its own `security`, else the document's,
/// else the operation.
fn security_place(doc: &Document, operation: &Operation) -> String {
    let own = pointer::push(&operation.pointer, "security");
    if doc.get(&own).is_some() {
        own
    } else if doc.get("/security").is_some() {
        "/security".to_string()
    } else {
        operation.pointer.clone()
    }
}

/// The media types of a body, for messages: `application/json, text/plain`.
fn media_types(content: &[MediaType]) -> String {
    content
        .iter()
        .map(|m| m.media_type.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The media type of THEIRS that accepts a body OURS sends as `essence`: the same type, or a
/// wildcard (`*/*`, `application/*`).
fn accepted<'t>(essence: &str, offered: &'t [MediaType]) -> Option<&'t MediaType> {
    let family = essence.split('/').next().unwrap_or_default();
    offered.iter().find(|m| m.essence() == essence).or_else(|| {
        offered.iter().find(|m| {
            let e = m.essence();
            e == "*/*" || e == format!("{family}/*")
        })
    })
}

/// The answers of THEIRS that an answer of OURS with this status key stands for: the same
/// status, the range or `default` that covers it, or for a range of OURS every status of
/// THEIRS in it.
fn answers_for<'t>(status: &str, theirs: &'t [Response]) -> Vec<&'t Response> {
    let key = status_key(status);
    if let Some(exact) = theirs.iter().find(|r| status_key(&r.status) == key) {
        return vec![exact];
    }
    let within: Vec<&Response> = if key == "DEFAULT" {
        theirs.iter().filter(|r| r.is_error()).collect()
    } else if key.ends_with("XX") {
        theirs.iter().filter(|r| covers(&key, &r.status)).collect()
    } else {
        theirs
            .iter()
            .filter(|r| status_key(&r.status) != "DEFAULT" && covers(&r.status, &key))
            .collect()
    };
    if !within.is_empty() {
        return within;
    }
    theirs
        .iter()
        .filter(|r| status_key(&r.status) == "DEFAULT")
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_ignore_parameter_names_and_statuses_cover_ranges() {
        assert_eq!(route("/vms/{id}/backups/"), "/vms/{}/backups");
        assert_eq!(route("/vms/{vmId}/backups"), "/vms/{}/backups");
        assert_eq!(path_names("/a/{x}/b/{y}"), ["x", "y"]);
        assert!(covers("4XX", "404") && covers("4xx", "4XX") && covers("default", "200"));
        assert!(!covers("4XX", "500") && !covers("404", "4XX"));
    }

    #[test]
    fn a_shape_merges_all_of_and_keeps_nullable_beside_a_ref() {
        let text = r##"
a: {nullable: true, allOf: [{$ref: "#/b"}, {properties: {y: {type: string}}, required: [y]}]}
b: {type: object, properties: {x: {type: integer}}, additionalProperties: false}
c: {$ref: "#/b", nullable: true}
d: {oneOf: [{type: string}, {type: integer}]}
"##;
        let doc = Document::parse("t.yaml", text).ok().unwrap();
        let a = Shape::read(&doc, "/a").ok().unwrap();
        assert!(a.nullable);
        assert_eq!(a.properties.keys().copied().collect::<Vec<_>>(), ["x", "y"]);
        assert_eq!(a.properties["x"], "/b/properties/x");
        assert!(a.required.contains("y"));
        assert_eq!(
            a.additional,
            Additional::Forbidden("/b/additionalProperties".into())
        );
        assert!(Shape::read(&doc, "/c").ok().unwrap().nullable);
        assert!(!Shape::read(&doc, "/b").ok().unwrap().nullable);
        assert!(Shape::read(&doc, "/d").ok().unwrap().unreadable.is_some());
        assert!(Shape::read(&doc, "/nothing").is_err());
    }
}
