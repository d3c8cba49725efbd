//! Reads vbazure's `openapi.yaml`: loads it with the line and column of every value, resolves
//! `$ref`s, walks its examples and validates values against its schemas.
//!
//! It is the one place that reads the spec: the build script, the test suites, the mock
//! appliance and the spec tools all use it.

mod check;
mod document;
mod error;
mod examples;
mod finding;
pub mod formats;
mod lint;
pub mod pointer;
mod validate;
mod yaml;

pub use check::check;
pub use document::Document;
pub use error::{LoadError, Location};
pub use examples::{
    component_schema_name, examples, Example, ExampleKind, Examples, UnreadableExample, METHODS,
};
pub use finding::Finding;
pub use lint::lint;
pub use validate::{validate, Violation};
