//! Generates vbazure's typed client from `openapi.yaml` with progenitor.
//!
//! The build script of the `vbazure` package calls [`generate_files`]; keeping the work here, in a
//! library, lets tests run it on any spec and assert what a person would be told.

mod answers;
mod facts;
mod isolate;
mod lenient;
mod naming;
mod settings;
mod surface;
mod unwind;

use std::path::Path;

use vbazure_spec::Document;

pub use facts::RETRY_EXTENSION;
pub use lenient::LENIENT_ITEMS_EXTENSION;
pub use settings::{generation_settings, HANDWRITTEN_FORMATS};
pub use surface::api_surface;

/// The generated client: its source, the facts its hooks need, and a summary of its public
/// surface for review.
pub struct Generated {
    /// The client's Rust source, formatted.
    pub source: String,
    /// The Rust source of `operation_facts.rs`: each operation's `operationId`, the name
    /// progenitor gives its method, and whether it sends a token, may be repeated and has
    /// secret bodies (see `vbazure::operations` for the rules).
    pub operation_facts: String,
    /// One line per operation and per type, for a reviewable snapshot of every spec change.
    pub surface: String,
}

/// Why the client could not be generated; its `Display` is what the build prints.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    /// The spec could not be read as YAML.
    #[error("{0}")]
    Load(#[from] vbazure_spec::LoadError),
    /// The spec has problems the generator cannot handle; each names its place.
    #[error("{} has {} problem(s):\n{}", .source_name, .findings.len(), render(.source_name, .findings))]
    Check {
        /// The spec's file name.
        source_name: String,
        /// What is wrong, where.
        findings: Vec<vbazure_spec::Finding>,
    },
    /// The YAML is not an OpenAPI 3.0 document progenitor can read.
    #[error("{source_name}: not an OpenAPI 3.0 document the generator can read: {message}")]
    Shape {
        /// The spec's file name.
        source_name: String,
        /// What the OpenAPI reader said.
        message: String,
    },
    /// The generator refused the spec, or failed inside.
    #[error("{source_name}: the client generator failed: {message}")]
    Generator {
        /// The spec's file name.
        source_name: String,
        /// What went wrong.
        message: String,
    },
}

/// Generates the client from spec text; `source_name` names the spec in messages.
pub fn generate(source_name: &str, text: &str) -> Result<Generated, GenerateError> {
    let doc = Document::parse(source_name, text)?;
    generate_document(&doc)
}

/// Generates the client from a loaded spec.
pub fn generate_document(doc: &Document) -> Result<Generated, GenerateError> {
    let source_name = doc.source_name().to_string();
    let findings = vbazure_spec::check(doc);
    if !findings.is_empty() {
        return Err(GenerateError::Check {
            source_name,
            findings,
        });
    }
    // What progenitor reads: the document, with the success answers of operations that have
    // several body types made raw (the answer enums are added to the code afterwards).
    let several_answers = answers::plan(doc);
    let mut for_generator = doc.value().clone();
    answers::raw_success_bodies(&mut for_generator, &several_answers);
    let spec: openapiv3::OpenAPI =
        serde_json::from_value(for_generator.clone()).map_err(|e| GenerateError::Shape {
            source_name: source_name.clone(),
            message: e.to_string(),
        })?;
    let settings = generation_settings(doc);
    let generator_failed = |message: String| GenerateError::Generator {
        source_name: source_name.clone(),
        message,
    };
    // progenitor panics on some specs the checks do not foresee; turn that into a message that
    // names the operation (or the schemas) it was generating.
    let tokens =
        match unwind::catch(|| progenitor::Generator::new(&settings).generate_tokens(&spec)) {
            Ok(result) => result.map_err(|e| generator_failed(e.to_string()))?,
            Err(panic) => {
                let culprit = isolate::culprit(doc, &for_generator, &settings);
                // The first line says what; the rest is often a long Debug dump of the generator's own.
                let first_line = panic.lines().next().unwrap_or_default();
                return Err(generator_failed(format!(
                    "it panicked {culprit}: {first_line}"
                )));
            }
        };
    let mut file = syn::parse2::<syn::File>(tokens)
        .map_err(|e| generator_failed(format!("it produced code that does not parse: {e}")))?;
    let operation_facts = facts::operation_facts(doc, &file).map_err(|e| match e {
        facts::FactsError::Spec(findings) => GenerateError::Check {
            source_name: source_name.clone(),
            findings,
        },
        facts::FactsError::Generated(message) => generator_failed(message),
    })?;
    answers::add_to(&mut file, &several_answers).map_err(generator_failed)?;
    lenient::apply(doc, &mut file).map_err(generator_failed)?;
    Ok(Generated {
        surface: api_surface(&file),
        operation_facts,
        source: prettyplease::unparse(&file),
    })
}

/// Reads the spec at `spec_path` and writes `{module}_generated.rs`,
/// `{module}_operation_facts.rs` and `{module}_api_surface.txt` into `out_dir` (one module per
/// API version: `v1`, `v8_1`). Returns the message to print when it cannot.
pub fn generate_files(
    spec_path: &Path,
    source_name: &str,
    out_dir: &Path,
    module: &str,
) -> Result<(), String> {
    let text = std::fs::read_to_string(spec_path)
        .map_err(|e| format!("{source_name}: cannot read the spec: {e}"))?;
    let generated = generate(source_name, &text).map_err(|e| e.to_string())?;
    for (name, content) in [
        ("generated.rs", &generated.source),
        ("operation_facts.rs", &generated.operation_facts),
        ("api_surface.txt", &generated.surface),
    ] {
        let path = out_dir.join(format!("{module}_{name}"));
        std::fs::write(&path, content)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

fn render(source_name: &str, findings: &[vbazure_spec::Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("  {}", f.render(source_name)))
        .collect::<Vec<_>>()
        .join("\n")
}
