//! Finding what the generator was working on when it panicked, by generating parts of the spec
//! alone: the component schemas with no operation, then each operation in turn.

use progenitor::GenerationSettings;
use serde_json::{Map, Value};

use crate::unwind;

/// `while generating operation X` / `while generating the component schemas` / a shrug.
pub(crate) fn culprit(spec: &Value, settings: &GenerationSettings) -> String {
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
    for (path, item) in spec
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (method, operation) in item.as_object().into_iter().flatten() {
            if !operation.is_object() || method == "parameters" {
                continue;
            }
            let mut single_item = Map::new();
            single_item.insert(method.clone(), operation.clone());
            if let Some(shared) = item.get("parameters") {
                single_item.insert("parameters".to_string(), shared.clone());
            }
            let mut candidate = without_paths.clone();
            candidate["paths"] =
                Value::Object(Map::from_iter([(path.clone(), Value::Object(single_item))]));
            if panics(&candidate) {
                let id = operation.get("operationId").and_then(Value::as_str);
                let name = id.map_or_else(
                    || format!("{} {path}", method.to_uppercase()),
                    str::to_string,
                );
                return format!(
                    "while generating operation {name} ({} {path})",
                    method.to_uppercase()
                );
            }
        }
    }
    "(no single operation or schema reproduces it alone)".to_string()
}
