//! The generated client's public surface, one line per operation and type. Any edit of
//! `openapi.yaml` that changes what users of the client see shows up here as a diff to review.

#[test]
fn generated_api_surface() {
    insta::with_settings!({ omit_expression => true }, {
        insta::assert_snapshot!(vbazure::API_SURFACE);
    });
}
