//! What every finding says, whatever found it: the rule, the operation, the place and the
//! message, with one way to show the place and one JSON shape of those four.

use serde_json::{json, Value};

use crate::pointer;

/// How an empty pointer into a document is shown.
pub(crate) const DOCUMENT_ROOT: &str = "the document root";

/// One thing found in a document or an answer: a problem of the spec ([`Finding`]), a
/// disagreement with the provider's document ([`ConformFinding`]), a change between two
/// versions ([`Change`]), a value that breaks its schema ([`Violation`]), or an answer that
/// departs from its document (the library's conformance findings).
///
/// Each says the same four things, which this trait reads; what each type adds (a line and
/// column, both documents' places, a severity, the schema's place) stays its own. The spec
/// tool prints and serialises every kind through it.
///
/// [`Finding`]: crate::Finding
/// [`ConformFinding`]: crate::ConformFinding
/// [`Change`]: crate::Change
/// [`Violation`]: crate::Violation
pub trait Report {
    /// What names it: the rule broken (`missing-ref`, `nullable-mismatch`), the schema keyword
    /// (`required`), the kind of change (`field-removed`). The library's conformance check has
    /// no rules of its own: its findings are named by their kind (`breaking`, `drift`, `fine`).
    fn rule(&self) -> &str;

    /// The operation it concerns, when it concerns one.
    fn operation(&self) -> Option<&str>;

    /// Where, as a JSON pointer; `""` for the whole document, value or answer.
    fn pointer(&self) -> &str;

    /// What is wrong, or what changed, for people.
    fn message(&self) -> &str;

    /// What an empty pointer stands for, as messages show it (`the document root`, `the
    /// answer`).
    fn whole(&self) -> &'static str;

    /// The pointer for people: [`Report::whole`] when it is empty.
    fn shown_pointer(&self) -> &str {
        pointer::shown(self.pointer(), self.whole())
    }

    /// The four parts as a JSON object for tools: `rule`, `operation`, `pointer`, `message`.
    /// A type whose published shape has more parts, or names them otherwise, writes its own.
    fn to_json(&self) -> Value {
        json!({
            "rule": self.rule(),
            "operation": self.operation(),
            "pointer": self.pointer(),
            "message": self.message(),
        })
    }
}
