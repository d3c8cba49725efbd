//! The generated clients' public surfaces, one line per operation and type, one snapshot per
//! document. Any edit of `openapi.yaml` or `openapi-v8.1.yaml` that changes what users of a
//! client see shows up here as a diff to review.

/// `vbazure::v1`, generated from `openapi.yaml`.
#[test]
fn v1_api_surface() {
    insta::with_settings!({ omit_expression => true, description => "vbazure::v1 from openapi.yaml" }, {
        insta::assert_snapshot!("v1_api_surface", vbazure::v1::API_SURFACE);
    });
}

/// `vbazure::v8_1`, generated from `openapi-v8.1.yaml`.
#[test]
fn v8_1_api_surface() {
    insta::with_settings!({ omit_expression => true, description => "vbazure::v8_1 from openapi-v8.1.yaml" }, {
        insta::assert_snapshot!("v8_1_api_surface", vbazure::v8_1::API_SURFACE);
    });
}
