//! The documents the answers are checked against: the ones the clients were generated from,
//! embedded at build time and read once, on first use.

use std::sync::OnceLock;

use vbazure_spec::Document;

fn read(name: &str, text: &str) -> Option<Document> {
    match Document::parse(name, text) {
        Ok(doc) => Some(doc),
        Err(e) => {
            // The build generated the client from this very text, so it parses; were it not
            // to, conformance is off rather than the client broken.
            tracing::warn!("conformance is off: {e}");
            None
        }
    }
}

/// `openapi.yaml`, API v1.
pub(crate) fn v1_document() -> Option<&'static Document> {
    static DOC: OnceLock<Option<Document>> = OnceLock::new();
    DOC.get_or_init(|| read("openapi.yaml", include_str!("../../openapi.yaml")))
        .as_ref()
}

/// `openapi-v8.1.yaml`, API v8.1.
pub(crate) fn v8_1_document() -> Option<&'static Document> {
    static DOC: OnceLock<Option<Document>> = OnceLock::new();
    DOC.get_or_init(|| read("openapi-v8.1.yaml", include_str!("../../openapi-v8.1.yaml")))
        .as_ref()
}
