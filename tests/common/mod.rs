//! What the integration tests share: the spec, loaded once per test binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use vbazure_spec::Document;

/// The repository's `openapi.yaml`.
pub fn spec() -> &'static Document {
    static SPEC: OnceLock<Document> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
        Document::load(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The documented example named `name` (see `vbazure_spec::Example::name`).
pub fn example(name: &str) -> serde_json::Value {
    vbazure_spec::examples(spec())
        .found
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("openapi.yaml has no example named {name}"))
        .value
}
