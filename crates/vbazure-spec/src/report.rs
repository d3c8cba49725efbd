//! What every finding says, whatever found it: the rule, the operation, the place and the
//! message, with one way to show the place and one JSON shape of those four.

use serde_json::{json, Value};

use crate::pointer;

/// How an empty pointer into a document is shown.
pub(crate) const DOCUMENT_ROOT: &str = "the document root";

/// The four parts every finding has, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReportParts<'a> {
    /// What names it: the rule broken (`missing-ref`, `nullable-mismatch`), the schema keyword
    /// (`required`), the kind of change (`field-removed`). The library's conformance check has
    /// no rules of its own: its findings are named by their kind (`breaking`, `drift`, `fine`).
    pub rule: &'a str,
    /// The operation it concerns, when it concerns one.
    pub operation: Option<&'a str>,
    /// Where, as a JSON pointer; `""` for the whole document, value or answer.
    pub pointer: &'a str,
    /// What is wrong, or what changed, for people.
    pub message: &'a str,
}

impl<'a> ReportParts<'a> {
    /// The parts, in the order of the fields.
    pub fn new(
        rule: &'a str,
        operation: Option<&'a str>,
        pointer: &'a str,
        message: &'a str,
    ) -> Self {
        Self {
            rule,
            operation,
            pointer,
            message,
        }
    }
}

/// One thing found in a document or an answer: a problem of the spec ([`Finding`]), a
/// disagreement with the provider's document ([`ConformFinding`]), a change between two
/// versions ([`Change`]), a value that breaks its schema ([`Violation`]), or an answer that
/// departs from its document (the library's conformance findings).
///
/// Each has the same four parts ([`ReportParts`]); what each type adds (a line and column,
/// both documents' places, a severity, the schema's place) stays its own. The spec tool prints
/// and serialises every kind through this trait.
///
/// [`Finding`]: crate::Finding
/// [`ConformFinding`]: crate::ConformFinding
/// [`Change`]: crate::Change
/// [`Violation`]: crate::Violation
pub trait Report {
    /// Its rule, operation, pointer and message.
    fn parts(&self) -> ReportParts<'_>;

    /// What an empty pointer stands for, as messages show it: `the document root` unless the
    /// type says otherwise (`the answer`).
    fn whole(&self) -> &'static str {
        DOCUMENT_ROOT
    }

    /// The pointer for people: [`Report::whole`] when it is empty.
    fn shown_pointer(&self) -> &str {
        pointer::shown(self.parts().pointer, self.whole())
    }

    /// The four parts as a JSON object for tools: `rule`, `operation`, `pointer`, `message`.
    /// A type whose published shape has more parts, or names them otherwise, writes its own.
    fn to_json(&self) -> Value {
        let parts = self.parts();
        json!({
            "rule": parts.rule,
            "operation": parts.operation,
            "pointer": parts.pointer,
            "message": parts.message,
        })
    }
}
