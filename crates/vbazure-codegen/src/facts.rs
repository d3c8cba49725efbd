//! The facts the client's hand-written hooks need about each operation, generated from the
//! document beside the client: `operation_facts.rs`, included by `vbazure::operations`.
//!
//! For each operation: its `operationId` (also as a constant, `CREATE_TOKEN = "createToken"`),
//! the name progenitor passes to the hooks as `OperationInfo::operation_id`, whether it sends
//! the bearer token, whether it may be repeated, and whether its bodies hold secrets. The rules
//! are documented on `vbazure::operations`; [`RETRY_EXTENSION`] is the one extension read.
//! Beside them, `open_enum_knows`: which component schemas are open enums, and whether their
//! hand-written types know a value (what conformance needs to tell drift from fine).

use std::collections::BTreeSet;

use quote::{format_ident, quote};
use serde_json::Value;
use syn::{Expr, ImplItem, Item, Lit, Meta, Stmt};
use vbazure_spec::{pointer, Document, Finding, Operation};

/// The operation extension that says whether a request may be repeated (`true` or `false`),
/// overriding the rule by method.
pub const RETRY_EXTENSION: &str = "x-vbazure-idempotent";

/// Methods RFC 9110 calls safe: repeating them changes nothing on the server.
const SAFE_METHODS: [&str; 4] = ["get", "head", "options", "trace"];

/// How the generated code names one operation: its method and path, and the key its builder
/// passes to the hooks.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct GeneratedOperation {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) key: String,
    /// The builder struct whose `send` makes the request (`DeleteBackups`).
    pub(crate) builder: String,
}

/// Why the facts could not be written.
#[derive(Debug)]
pub(crate) enum FactsError {
    /// The document says something the facts cannot use; each finding names its place.
    Spec(Vec<Finding>),
    /// The generated code does not look the way this module reads it.
    Generated(String),
}

/// The Rust source of `operation_facts.rs` for `doc`, whose generated client is `client`.
pub(crate) fn operation_facts(doc: &Document, client: &syn::File) -> Result<String, FactsError> {
    let generated = generated_operations(client);
    let mut findings = Vec::new();
    let mut constants = Vec::new();
    let mut entries = Vec::new();
    let mut matched = BTreeSet::new();
    for operation in doc.operations() {
        let method = operation.method.to_ascii_uppercase();
        let Some(found) = generated
            .iter()
            .find(|g| g.method == method && g.path == operation.path)
        else {
            return Err(FactsError::Generated(format!(
                "no generated method sends `{method} {}` (operation {}): progenitor's code \
                 changed shape; update crates/vbazure-codegen/src/facts.rs",
                operation.path, operation.name
            )));
        };
        matched.insert(found.key.as_str());
        let Some(id) = operation.operation_id.as_deref() else {
            // `check` refuses a document without operationIds before generation.
            return Err(FactsError::Generated(format!(
                "operation {} has no operationId",
                operation.name
            )));
        };
        let retry_safe = match retry_safe(doc, operation) {
            Ok(safe) => safe,
            Err(finding) => {
                findings.push(finding);
                continue;
            }
        };
        let constant = format_ident!("{}", found.key.to_ascii_uppercase());
        let doc_line = format!(
            " `{method} {}`{}",
            operation.path,
            operation
                .summary
                .as_deref()
                .map(|s| format!(": {}.", s.trim_end_matches('.')))
                .unwrap_or_default()
        );
        constants.push(quote! {
            #[doc = #doc_line]
            pub const #constant: &str = #id;
        });
        let (key, path, sends_token) = (&found.key, &operation.path, operation.needs_token);
        let secret_bodies = secret_bodies(doc, operation);
        entries.push(quote! {
            OperationFacts {
                id: #id,
                key: #key,
                method: #method,
                path: #path,
                sends_token: #sends_token,
                retry_safe: #retry_safe,
                secret_bodies: #secret_bodies,
            }
        });
    }
    if !findings.is_empty() {
        return Err(FactsError::Spec(findings));
    }
    if let Some(extra) = generated.iter().find(|g| !matched.contains(g.key.as_str())) {
        return Err(FactsError::Generated(format!(
            "the generated method `{}` ({} {}) matches no operation of the document",
            extra.key, extra.method, extra.path
        )));
    }
    let open_enums = open_enum_knows(doc);
    let file = quote! {
        #(#constants)*

        /// Every operation of the spec, in document order.
        pub fn all() -> &'static [OperationFacts] {
            const ALL: &[OperationFacts] = &[#(#entries),*];
            ALL
        }

        #open_enums
    };
    let file = syn::parse2::<syn::File>(file)
        .map_err(|e| FactsError::Generated(format!("the facts do not parse: {e}")))?;
    Ok(format!(
        "// Generated by vbazure-codegen from the spec on every build: never edit it.\n\n{}",
        prettyplease::unparse(&file)
    ))
}

/// `open_enum_knows`: for each component schema the document marks as an open enum (generated
/// as the hand-written type of the same name, see `settings`), whether that type knows a
/// value. Conformance reads it to tell an enum value the client reads as known from one it
/// keeps as unrecognized, without a list of the open enums of its own.
fn open_enum_knows(doc: &Document) -> proc_macro2::TokenStream {
    let names = crate::settings::open_enums(doc);
    let body = if names.is_empty() {
        quote! {
            let _ = (schema, value);
            None
        }
    } else {
        let arms = names.iter().map(|name| {
            let rust_type = format_ident!("{}", name);
            quote! { #name => Some(crate::#rust_type::from(value).is_known()), }
        });
        quote! {
            match schema {
                #(#arms)*
                _ => None,
            }
        }
    };
    quote! {
        /// Whether the open enumeration generated for the component schema named `schema`
        /// (marked `x-vbazure-open-enum`) knows `value`; `None` when the document marks no
        /// such schema.
        pub fn open_enum_knows(schema: &str, value: &str) -> Option<bool> {
            #body
        }
    }
}

/// The rule of `vbazure::operations`: the extension when present, else a safe method.
fn retry_safe(doc: &Document, operation: &Operation) -> Result<bool, Finding> {
    let at = pointer::push(&operation.pointer, RETRY_EXTENSION);
    match doc.get(&at) {
        None => Ok(SAFE_METHODS.contains(&operation.method)),
        Some(Value::Bool(safe)) => Ok(*safe),
        Some(other) => Err(Finding {
            rule: "idempotent-extension",
            location: doc.location(&at),
            pointer: at,
            operation: Some(operation.name.clone()),
            message: format!("`{RETRY_EXTENSION}` must be true or false, not {other}"),
        }),
    }
}

/// Whether the request body or a success body holds a `format: password` string anywhere.
fn secret_bodies(doc: &Document, operation: &Operation) -> bool {
    let request = operation.request_body.iter().flat_map(|b| &b.content);
    let success = operation
        .responses
        .iter()
        .filter(|r| r.is_success())
        .flat_map(|r| &r.content);
    let mut seen = BTreeSet::new();
    request
        .chain(success)
        .filter_map(|media| media.schema.as_deref())
        .any(|schema| holds_password(doc, schema, &mut seen))
}

/// Whether the schema at `at` (its `$ref`s, properties, items and compositions followed) has a
/// `format: password` string. `seen` ends cycles of recursive schemas.
fn holds_password(doc: &Document, at: &str, seen: &mut BTreeSet<String>) -> bool {
    let Some((target, schema)) = doc.deref(at) else {
        return false;
    };
    if !seen.insert(target.clone()) {
        return false;
    }
    if schema.get("format").and_then(Value::as_str) == Some("password") {
        return true;
    }
    let mut inner: Vec<String> = Vec::new();
    for key in ["items", "additionalProperties", "not"] {
        if schema.get(key).is_some_and(Value::is_object) {
            inner.push(pointer::push(&target, key));
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        let base = pointer::push(&target, "properties");
        inner.extend(properties.keys().map(|name| pointer::push(&base, name)));
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        let count = schema
            .get(key)
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        let base = pointer::push(&target, key);
        inner.extend((0..count).map(|i| pointer::push(&base, &i.to_string())));
    }
    inner.iter().any(|at| holds_password(doc, at, seen))
}

/// Every builder's `send` in the generated code: the `Sends a `METHOD` request to `PATH``
/// line progenitor writes on it, and the `OperationInfo { operation_id: "..." }` it builds.
/// Reading the key here, rather than repeating progenitor's naming rule, means the facts use
/// whatever name the generated code really passes to the hooks.
pub(crate) fn generated_operations(client: &syn::File) -> Vec<GeneratedOperation> {
    let builders = client.items.iter().filter_map(|item| match item {
        Item::Mod(module) if module.ident == "builder" => module.content.as_ref(),
        _ => None,
    });
    let mut out = Vec::new();
    for (_, items) in builders {
        for item in items {
            let Item::Impl(block) = item else { continue };
            let syn::Type::Path(builder) = block.self_ty.as_ref() else {
                continue;
            };
            let Some(builder) = builder.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            for member in &block.items {
                let ImplItem::Fn(function) = member else {
                    continue;
                };
                if function.sig.ident != "send" {
                    continue;
                }
                let target = function.attrs.iter().find_map(|attr| match &attr.meta {
                    Meta::NameValue(doc) if doc.path.is_ident("doc") => match &doc.value {
                        Expr::Lit(text) => match &text.lit {
                            Lit::Str(text) => method_and_path(&text.value()),
                            _ => None,
                        },
                        _ => None,
                    },
                    _ => None,
                });
                let key = function.block.stmts.iter().find_map(operation_key);
                if let (Some((method, path)), Some(key)) = (target, key) {
                    out.push(GeneratedOperation {
                        method,
                        path,
                        key,
                        builder: builder.clone(),
                    });
                }
            }
        }
    }
    out
}

/// `("POST", "/api/oauth2/token")` from ``Sends a `POST` request to `/api/oauth2/token` ``.
fn method_and_path(doc: &str) -> Option<(String, String)> {
    let rest = doc.trim().strip_prefix("Sends a `")?;
    let (method, rest) = rest.split_once("` request to `")?;
    let path = rest.strip_suffix('`')?;
    Some((method.to_string(), path.to_string()))
}

/// The key of `let info = OperationInfo { operation_id: "key" };`.
fn operation_key(statement: &Stmt) -> Option<String> {
    let Stmt::Local(local) = statement else {
        return None;
    };
    let Expr::Struct(info) = local.init.as_ref()?.expr.as_ref() else {
        return None;
    };
    if info.path.segments.last()?.ident != "OperationInfo" {
        return None;
    }
    info.fields
        .iter()
        .find_map(|field| match (&field.member, &field.expr) {
            (syn::Member::Named(name), Expr::Lit(value)) if name == "operation_id" => {
                match &value.lit {
                    Lit::Str(key) => Some(key.value()),
                    _ => None,
                }
            }
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: t, version: "1"}
security: [{bearer: []}]
paths:
  /login:
    post:
      operationId: logIn
      summary: Log in.
      security: []
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Login"}
      responses:
        "200": {description: ok}
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200":
          description: ok
          content:
            application/json: {schema: {$ref: "#/components/schemas/Tree"}}
    put:
      operationId: putThing
      x-vbazure-idempotent: true
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "204": {description: done}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
  schemas:
    Login:
      type: object
      properties:
        nested: {type: array, items: {allOf: [{type: string, format: password}]}}
    Tree:
      type: object
      properties:
        children: {type: array, items: {$ref: "#/components/schemas/Tree"}}
"##;

    fn generate(spec: &str) -> Result<crate::Generated, crate::GenerateError> {
        let doc = Document::parse("t.yaml", spec).unwrap_or_else(|e| panic!("{e}"));
        crate::generate_document(&doc)
    }

    #[test]
    fn facts_follow_security_methods_extensions_and_formats() {
        let source = generate(SPEC).expect("generates").operation_facts;
        let compact: String = source.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            r#"pub const LOG_IN: &str = "logIn";"#,
            r#"id: "logIn", key: "log_in", method: "POST", path: "/login", sends_token: false, retry_safe: false, secret_bodies: true,"#,
            r#"id: "getThing", key: "get_thing", method: "GET", path: "/things/{id}", sends_token: true, retry_safe: true, secret_bodies: false,"#,
            r#"id: "putThing", key: "put_thing", method: "PUT", path: "/things/{id}", sends_token: true, retry_safe: true, secret_bodies: false,"#,
            "/// `POST /login`: Log in.",
        ] {
            assert!(compact.contains(expected), "{expected}\nin\n{source}");
        }
    }

    #[test]
    fn a_retry_extension_that_is_not_a_boolean_is_a_finding() {
        let spec = SPEC.replace("x-vbazure-idempotent: true", "x-vbazure-idempotent: maybe");
        let Err(crate::GenerateError::Check { findings, .. }) = generate(&spec) else {
            panic!("accepted");
        };
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].rule, "idempotent-extension");
        assert_eq!(findings[0].operation.as_deref(), Some("putThing"));
        assert_eq!(findings[0].location.line, 28);
    }

    #[test]
    fn the_send_line_is_read() {
        assert_eq!(
            method_and_path("Sends a `GET` request to `/a/{b}`"),
            Some(("GET".to_string(), "/a/{b}".to_string()))
        );
        assert_eq!(method_and_path("Sends a GET request"), None);
    }
}
