//! How progenitor is told to generate vbazure's client.

use progenitor::{GenerationSettings, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use schemars::schema::{InstanceType, SchemaObject};
use serde_json::Value;
use vbazure_spec::Document;

/// String formats whose every schema is generated as a hand-written type of the `vbazure`
/// crate: `(format, type)`.
pub const HANDWRITTEN_FORMATS: [(&str, &str); 3] = [
    // chrono's serde writes nine fractional digits; the server writes up to seven.
    ("date-time", "crate::Timestamp"),
    // A .NET TimeSpan; progenitor would leave it a String.
    ("time-span", "crate::TimeSpan"),
    // Redacted in Debug.
    ("password", "crate::Secret"),
];

/// The extension that marks a string enum of the spec as open: the server may send values it
/// does not list. Each such schema `X` is generated as the hand-written `crate::X`.
pub(crate) const OPEN_ENUM_EXTENSION: &str = "x-vbazure-open-enum";

/// The settings the client is generated with, for this spec.
pub fn generation_settings(doc: &Document) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        // Sorted maps: stable Debug output, snapshots and encodings.
        .with_map_type("::std::collections::BTreeMap")
        .with_derive("PartialEq")
        // Authentication, retries and `Content-Length: 0` live in the hand-written
        // `ClientHooks` impl; its state is the client's inner value. `Expected` turns a missing
        // impl into one compile error instead of silently sending unauthenticated requests.
        .with_inner_type(inner_type())
        .with_hooks(HooksMode::Expected);
    for (format, rust_type) in HANDWRITTEN_FORMATS {
        let impls = if format == "password" {
            vec![]
        } else {
            vec![TypeImpl::Display, TypeImpl::FromStr]
        };
        settings.with_conversion(
            SchemaObject {
                instance_type: Some(InstanceType::String.into()),
                format: Some(format.to_string()),
                ..Default::default()
            },
            rust_type,
            impls.into_iter(),
        );
    }
    for name in open_enums(doc) {
        settings.with_replacement(
            &name,
            format!("crate::{name}"),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Names of the component schemas marked with [`OPEN_ENUM_EXTENSION`].
pub(crate) fn open_enums(doc: &Document) -> Vec<String> {
    doc.get("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| schema.get(OPEN_ENUM_EXTENSION) == Some(&Value::Bool(true)))
        .map(|(name, _)| name.clone())
        .collect()
}

/// The generated `Client`'s inner value: the state of the hand-written hooks.
fn inner_type() -> proc_macro2::TokenStream {
    let path: syn::Path = syn::parse_quote!(crate::ClientState);
    quote::quote!(#path)
}
