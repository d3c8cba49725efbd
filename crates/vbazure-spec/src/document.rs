//! A loaded spec: its JSON value, where each part stands in the file, and `$ref` resolution.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use serde_json::Value;

use crate::error::{LoadError, Location};
use crate::operations::Operation;
use crate::{pointer, yaml};

/// An OpenAPI document as read from YAML (or JSON, a subset of YAML), with the source location
/// of every value.
#[derive(Debug, Clone)]
pub struct Document {
    source_name: String,
    value: Value,
    locations: BTreeMap<String, Location>,
    /// The operations, read on first use (see [`Document::operations`]).
    pub(crate) operations: OnceLock<Vec<Operation>>,
}

impl Document {
    /// Reads and parses the file at `path`.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let source_name = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
            source_name: source_name.clone(),
            error,
        })?;
        Self::parse(source_name, &text)
    }

    /// Parses `text`; `source_name` is how messages name it (usually its file name).
    pub fn parse(source_name: impl Into<String>, text: &str) -> Result<Self, LoadError> {
        let source_name = source_name.into();
        match yaml::parse(text) {
            Ok(parsed) => Ok(Self {
                source_name,
                value: parsed.value,
                locations: parsed.locations,
                operations: OnceLock::new(),
            }),
            Err(problem) => Err(LoadError::Syntax {
                source_name,
                location: problem.location,
                message: problem.message,
            }),
        }
    }

    /// How messages name the document (its file name).
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The whole document as JSON.
    pub fn value(&self) -> &Value {
        &self.value
    }

    /// The value at a JSON pointer, if there is one.
    pub fn get(&self, pointer: &str) -> Option<&Value> {
        self.value.pointer(pointer)
    }

    /// Where the value at `pointer` stands in the source; for a pointer to nothing, where its
    /// nearest existing ancestor stands.
    pub fn location(&self, pointer: &str) -> Location {
        let mut p = pointer;
        loop {
            if let Some(location) = self.locations.get(p) {
                return *location;
            }
            match pointer::parent(p) {
                Some(parent) => p = parent,
                None => return Location { line: 1, column: 1 },
            }
        }
    }

    /// `file:line:column` of the value at `pointer`, for messages.
    pub fn describe(&self, pointer: &str) -> String {
        format!("{}:{}", self.source_name, self.location(pointer))
    }

    /// Follows a local `$ref` (`#/components/...`) to the pointer and value it names.
    pub fn resolve_ref<'a>(&'a self, reference: &'a str) -> Option<(&'a str, &'a Value)> {
        let target = reference.strip_prefix('#')?;
        self.value.pointer(target).map(|v| (target, v))
    }

    /// The value at `pointer`, with any chain of `$ref`s followed, and the pointer where it
    /// really stands. Stops (returning `None`) on a missing target or a cycle.
    pub fn deref(&self, pointer: &str) -> Option<(String, &Value)> {
        let mut at = pointer.to_string();
        let mut value = self.value.pointer(pointer)?;
        for _ in 0..32 {
            match value.get("$ref").and_then(Value::as_str) {
                Some(reference) => {
                    let target = reference.strip_prefix('#')?;
                    value = self.value.pointer(target)?;
                    at = target.to_string();
                }
                None => return Some((at, value)),
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_fall_back_to_the_nearest_ancestor() {
        let doc = Document::parse("spec.yaml", "a:\n  b: 1\n").ok().unwrap();
        assert_eq!(doc.describe("/a/b"), "spec.yaml:2:3");
        assert_eq!(doc.describe("/a/b/c/d"), "spec.yaml:2:3");
        assert_eq!(doc.describe("/zzz"), "spec.yaml:1:1");
    }

    #[test]
    fn refs_are_followed_and_cycles_stop() {
        let text =
            "x: {$ref: '#/y'}\ny: {$ref: '#/z'}\nz: 1\nc: {$ref: '#/c'}\nm: {$ref: '#/nope'}\n";
        let doc = Document::parse("spec.yaml", text).ok().unwrap();
        assert_eq!(
            doc.deref("/x").map(|(p, v)| (p, v.clone())),
            Some(("/z".to_string(), 1.into()))
        );
        assert!(doc.deref("/c").is_none());
        assert!(doc.deref("/m").is_none());
    }

    #[test]
    fn load_names_the_file_it_could_not_read() {
        let e = Document::load("/nonexistent/openapi.yaml").err().unwrap();
        assert!(
            e.to_string()
                .starts_with("/nonexistent/openapi.yaml: cannot read"),
            "{e}"
        );
    }
}
