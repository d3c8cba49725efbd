//! `openapi.yaml` keeps the house rules (see `vbazure_spec::lint`): operation ids, summaries and
//! success answers, an example for every response body, examples and defaults that conform to
//! their schemas, no unused component, no parameter declared twice.

mod common;

#[test]
fn the_spec_passes_the_lint() {
    let spec = common::spec();
    let findings: Vec<String> = vbazure_spec::lint(spec)
        .iter()
        .map(|f| f.render("openapi.yaml"))
        .collect();
    assert!(
        findings.is_empty(),
        "openapi.yaml breaks {} rule(s):\n{}",
        findings.len(),
        findings.join("\n")
    );
}
