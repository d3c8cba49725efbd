//! Conformance: every answer checked against the document of the API version in use.
//!
//! Opt in with [`ApplianceBuilder::conformance`](crate::ApplianceBuilder::conformance) (or
//! [`ClientState::with_conformance`](crate::ClientState::with_conformance) for the raw
//! generated clients). Each answer is then read whole, checked, and handed on unchanged: a
//! documented status, the content type, and the body against its schema (types, the
//! `date-time` and `time-span` formats, required fields, nullability, enumerations, fields the
//! document does not declare). What departs from the document becomes a [`Finding`], classed by
//! what it does to a client generated from the document ([`FindingKind`]).

mod check;
mod documents;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

pub(crate) use check::{check_answer, Contract};
pub(crate) use documents::{v1_document, v8_1_document};
/// What every finding says (its kind, operation, place and message) and its JSON.
pub use vbazure_spec::{Report, ReportParts};

/// What a departure from the document does to a client generated from it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr, strum::Display,
)]
#[strum(serialize_all = "lowercase")]
pub enum FindingKind {
    /// The generated client fails on it: a type it cannot decode, a required field missing, a
    /// `null` where the document forbids one, a value a closed enumeration lacks, a malformed
    /// timestamp or duration, a status the document does not list.
    Breaking,
    /// Undocumented but tolerated: a field the document does not declare, a value an open
    /// enumeration does not list and the client does not know, another content type, a bound
    /// the answer oversteps, anything in an error answer (read leniently).
    Drift,
    /// Undocumented by this document but known to the client: a value of an open enumeration
    /// that a later version documents and the hand-written type knows.
    Fine,
}

impl FindingKind {
    /// `breaking`, `drift` or `fine`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One departure of an answer from the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The operation answered (`operationId`).
    pub operation: String,
    /// The answer's status.
    pub status: u16,
    /// Where in the body (a JSON pointer; `""` for the whole body, or the answer itself).
    pub pointer: String,
    /// What the document says there (a schema keyword and its value, the statuses listed, ...).
    pub expected: String,
    /// What came (the value, shortened).
    pub found: String,
    /// What it does to the generated client.
    pub kind: FindingKind,
    /// The document's rule, in words.
    pub message: String,
}

/// Its rule is its kind: the check has no rules of its own.
impl Report for Finding {
    fn parts(&self) -> ReportParts<'_> {
        let operation = Some(self.operation.as_str());
        ReportParts::new(self.kind.as_str(), operation, &self.pointer, &self.message)
    }

    fn whole(&self) -> &'static str {
        "the answer"
    }

    /// The finding as a JSON object, for tools: its kind, the answer's status, and what the
    /// document says beside what came.
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "kind": self.kind.as_str(),
            "operation": self.operation,
            "status": self.status,
            "pointer": self.pointer,
            "expected": self.expected,
            "found": self.found,
            "message": self.message,
        })
    }
}

/// `kind operation status at /pointer: message (the document says ...; came ...)`.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = self.shown_pointer();
        write!(
            f,
            "{:<8} {} {} at {at}: {} (the document says {}; came {})",
            self.kind, self.operation, self.status, self.message, self.expected, self.found
        )
    }
}

/// How many answers of one operation were checked, and what was found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OperationReport {
    /// Answers checked.
    pub answers: usize,
    /// Findings by kind.
    pub breaking: usize,
    /// See [`FindingKind::Drift`].
    pub drift: usize,
    /// See [`FindingKind::Fine`].
    pub fine: usize,
}

#[derive(Debug, Default)]
struct Record {
    findings: Vec<Finding>,
    operations: BTreeMap<String, OperationReport>,
}

/// Where the answers' findings are collected; cheap to clone (clones share the record). Give
/// it to the builder and read it at any time.
#[derive(Clone, Debug, Default)]
pub struct Conformance {
    record: Arc<Mutex<Record>>,
}

impl Conformance {
    /// An empty record.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every finding so far, in the order the answers came.
    pub fn findings(&self) -> Vec<Finding> {
        self.lock().findings.clone()
    }

    /// Per operation (`operationId`, sorted): the answers checked and the findings by kind.
    pub fn report(&self) -> BTreeMap<String, OperationReport> {
        self.lock().operations.clone()
    }

    /// Whether any finding is [`FindingKind::Breaking`].
    pub fn has_breaking(&self) -> bool {
        self.lock()
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::Breaking)
    }

    pub(crate) fn add(&self, operation: &str, findings: Vec<Finding>) {
        let mut record = self.lock();
        let report = record.operations.entry(operation.to_string()).or_default();
        report.answers += 1;
        for finding in &findings {
            match finding.kind {
                FindingKind::Breaking => report.breaking += 1,
                FindingKind::Drift => report.drift += 1,
                FindingKind::Fine => report.fine += 1,
            }
        }
        record.findings.extend(findings);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Record> {
        // Each change under the lock is a push or an increment: always consistent.
        self.record.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
