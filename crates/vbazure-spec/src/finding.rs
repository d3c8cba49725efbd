//! A problem found in the spec, said so that a person can go straight to it.

use std::fmt;

use crate::{Document, Location, Report, ReportParts};

/// One problem in the spec: the rule it breaks, where, and in which operation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// A short name of the rule (`missing-ref`, `unknown-type`, ...).
    pub rule: &'static str,
    /// The JSON pointer of the offending value.
    pub pointer: String,
    /// Its line and column in the file.
    pub location: Location,
    /// The operation it belongs to, when it belongs to one.
    pub operation: Option<String>,
    /// What is wrong and, where it helps, what to do.
    pub message: String,
}

impl Finding {
    pub(crate) fn new(
        doc: &Document,
        rule: &'static str,
        pointer: &str,
        operation: Option<&str>,
        message: String,
    ) -> Self {
        Self {
            rule,
            pointer: pointer.to_string(),
            location: doc.location(pointer),
            operation: operation.map(str::to_string),
            message,
        }
    }

    /// `file:line:column: rule: message (operation X, at /json/pointer)`.
    pub fn render(&self, source_name: &str) -> String {
        format!("{source_name}:{self}")
    }
}

impl Report for Finding {
    fn parts(&self) -> ReportParts<'_> {
        ReportParts::new(
            self.rule,
            self.operation.as_deref(),
            &self.pointer,
            &self.message,
        )
    }
}

/// `line:column: rule: message (operation X, at /json/pointer)`; [`Finding::render`] puts the
/// file name in front.
impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.location, self.rule, self.message)?;
        let at = self.shown_pointer();
        match &self.operation {
            Some(operation) => write!(f, " (operation {operation}, at {at})"),
            None => write!(f, " (at {at})"),
        }
    }
}
