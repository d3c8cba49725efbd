//! Both documents keep the house rules (see `vbazure_spec::lint`): operation ids, summaries and
//! success answers, an example for every response body, examples and defaults that conform to
//! their schemas, no unused component, no parameter declared twice.

use vbazure_spec::Document;

/// Every finding of the lint on `document`, as `file:line:column: rule: message` lines.
fn findings(document: &Document, file_name: &str) -> Vec<String> {
    vbazure_spec::lint(document)
        .iter()
        .map(|f| f.render(file_name))
        .collect()
}

#[test]
fn the_v1_document_passes_the_lint() {
    let findings = findings(crate::support::spec(), "openapi.yaml");
    assert!(
        findings.is_empty(),
        "openapi.yaml breaks {} rule(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
}

#[test]
fn the_v8_1_document_passes_the_lint() {
    let findings = findings(crate::support::spec_v8_1(), "openapi-v8.1.yaml");
    assert!(
        findings.is_empty(),
        "openapi-v8.1.yaml breaks {} rule(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
}
