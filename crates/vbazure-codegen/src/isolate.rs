//! Finding what the generator was working on when it panicked, by generating parts of the spec
//! alone: the component schemas with no operation, then each operation in turn.

use progenitor::GenerationSettings;
use serde_json::{Map, Value};
use vbazure_spec::Document;

use crate::unwind;

/// `while generating operation X` / `while generating the component schemas` / a shrug.
///
/// `spec` is what the generator was given (the document, perhaps rewritten); `doc` lists its
/// operations.
pub(crate) fn culprit(doc: &Document, spec: &Value, settings: &GenerationSettings) -> String {
    let panics = |candidate: &Value| -> bool {
        let Ok(parsed) = serde_json::from_value::<openapiv3::OpenAPI>(candidate.clone()) else {
            return false;
        };
        unwind::catch(|| progenitor::Generator::new(settings).generate_tokens(&parsed)).is_err()
    };
    let mut without_paths = spec.clone();
    without_paths["paths"] = Value::Object(Map::new());
    if panics(&without_paths) {
        return "while generating the component schemas".to_string();
    }
    for operation in doc.operations() {
        let Some(value) = spec.pointer(&operation.pointer) else {
            continue;
        };
        // The operation alone in its path item, with the parameters it shares.
        let mut single_item = Map::new();
        single_item.insert(operation.method.to_string(), value.clone());
        if let Some(shared) = spec.pointer(&format!("{}/parameters", operation.item_pointer)) {
            single_item.insert("parameters".to_string(), shared.clone());
        }
        let mut candidate = without_paths.clone();
        candidate["paths"] = Value::Object(Map::from_iter([(
            operation.path.clone(),
            Value::Object(single_item),
        )]));
        if panics(&candidate) {
            return format!(
                "while generating operation {} ({} {})",
                operation.name,
                operation.method.to_uppercase(),
                operation.path
            );
        }
    }
    "(no single operation or schema reproduces it alone)".to_string()
}
