//! Reads vbazure's `openapi.yaml`: loads it with the line and column of every value, resolves
//! `$ref`s, walks its examples, validates values against its schemas, checks and lints the
//! spec, compares two versions of it, and checks a consumer's document against its provider's.
//!
//! It is the one place that reads the spec: the build script, the test suites, the mock
//! appliance and the spec tools all use it.

mod check;
mod compat;
mod conform;
mod diff;
mod document;
mod error;
mod examples;
mod finding;
pub mod formats;
mod lint;
mod operations;
pub mod pointer;
mod report;
mod usage;
mod validate;
mod version;
mod yaml;

pub use check::check;
pub use conform::{conform, ConformFinding, ConformKind, Place};
pub use diff::{diff, Breaks, Change, Direction, Severity};
pub use document::Document;
pub use error::{LoadError, Location};
pub use examples::{
    component_schema_name, examples, Example, ExampleKind, Examples, UnreadableExample,
};
pub use finding::Finding;
pub use lint::lint;
pub use operations::{
    MediaType, Operation, Parameter, ParameterIn, RequestBody, Response, METHODS,
};
pub use report::{Report, ReportParts};
pub use validate::{validate, validate_with, ValidateOptions, Violation};
pub use version::ApiVersion;
