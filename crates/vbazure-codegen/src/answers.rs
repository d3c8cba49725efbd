//! Operations with several success answers.
//!
//! progenitor gives each operation one success type (its issue #344): an operation that
//! answers 202 with a session or 204 with nothing makes it panic. Such operations are handed to
//! it with raw success bodies, so that it generates a `send` returning the bytes, and this
//! module adds, from the document, an enum with one variant per documented success status
//! (`types::<OperationId>Answer`) and a `send_answer` on the operation's builder that decodes
//! the bytes into it. Nothing here is written per operation.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, ToTokens};
use serde_json::{json, Value};
use syn::{File, ImplItem, Item};
use vbazure_spec::Document;

/// An operation whose success answers the enum tells apart.
pub(crate) struct SeveralAnswers {
    /// The operation's name in the document (its `operationId`).
    operation: String,
    /// Its method, upper-case, and path template: how the generated code is searched.
    method: String,
    path: String,
    /// Where its responses stand in the document.
    responses_pointer: String,
    /// Its success answers, by status code.
    answers: Vec<Answer>,
}

struct Answer {
    status: u16,
    /// The component schema of the body; `None` for an answer without one.
    schema: Option<String>,
    description: String,
}

/// The operations whose success answers have more than one body type (the checks made sure
/// each has its own status code and no body or a component schema).
pub(crate) fn plan(doc: &Document) -> Vec<SeveralAnswers> {
    let mut out = Vec::new();
    for operation in doc.operations() {
        let answers: Vec<Answer> = operation
            .responses
            .iter()
            .filter(|r| r.is_success())
            .filter_map(|r| {
                let status = r.status.parse().ok()?;
                let schema = r
                    .json()
                    .and_then(|m| m.schema.as_deref())
                    .and_then(|at| doc.get(at))
                    .and_then(vbazure_spec::component_schema_name);
                let description = r
                    .target
                    .as_deref()
                    .and_then(|t| doc.get(t))
                    .and_then(|v| v.get("description"))
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .trim()
                    .to_string();
                Some(Answer {
                    status,
                    schema,
                    description,
                })
            })
            .collect();
        let mut kinds: Vec<&Option<String>> = answers.iter().map(|a| &a.schema).collect();
        kinds.sort();
        kinds.dedup();
        if kinds.len() > 1 {
            if let (Some(name), Some(responses_pointer)) = (
                operation.operation_id.clone(),
                operation.responses_pointer.clone(),
            ) {
                out.push(SeveralAnswers {
                    operation: name,
                    method: operation.method.to_ascii_uppercase(),
                    path: operation.path.clone(),
                    responses_pointer,
                    answers,
                });
            }
        }
    }
    out
}

/// Rewrites the copy of the document progenitor reads: every success answer of a planned
/// operation becomes a raw body, which progenitor accepts as one success type.
pub(crate) fn raw_success_bodies(spec: &mut Value, plans: &[SeveralAnswers]) {
    for plan in plans {
        let Some(responses) = spec.pointer_mut(&plan.responses_pointer) else {
            continue;
        };
        for answer in &plan.answers {
            if let Some(response) = responses.get_mut(answer.status.to_string()) {
                *response = json!({
                    "description": answer.description,
                    "content": {"application/octet-stream": {}},
                });
            }
        }
    }
}

/// Adds each planned operation's answer enum to `mod types` and its `send_answer` to `mod
/// builder` of the generated file.
pub(crate) fn add_to(file: &mut File, plans: &[SeveralAnswers]) -> Result<(), String> {
    for plan in plans {
        let builder = builder_of(file, plan)?;
        let error_type = send_error_type(file, &builder).ok_or_else(|| {
            format!(
                "the generated builder {builder} of operation {} has no `send` to wrap",
                plan.operation
            )
        })?;
        let enum_ident = format_ident!("{}Answer", builder);
        let mut variants = Vec::new();
        let mut arms = Vec::new();
        for answer in &plan.answers {
            let variant = format_ident!("{}", variant_name(answer.status));
            let doc = format!(" {}: {}", answer.status, answer.description);
            let status = answer.status;
            match &answer.schema {
                Some(schema) => {
                    let ty = type_of(file, schema).ok_or_else(|| {
                        format!(
                            "operation {}: no generated type for the schema {schema} of its {status} answer",
                            plan.operation
                        )
                    })?;
                    variants.push(quote! { #[doc = #doc] #variant(super::types::#ty) });
                    arms.push(quote! {
                        #status => match ::serde_json::from_slice(&bytes) {
                            Ok(body) => super::types::#enum_ident::#variant(body),
                            Err(e) => return Err(Error::InvalidResponsePayload(bytes, e)),
                        }
                    });
                }
                None => {
                    variants.push(quote! { #[doc = #doc] #variant });
                    arms.push(quote! { #status => super::types::#enum_ident::#variant });
                }
            }
        }
        let enum_doc = format!(
            " The documented success answers of `{}`, one variant per status.",
            plan.operation
        );
        let type_item: Item = syn::parse2(quote! {
            #[doc = #enum_doc]
            #[derive(Clone, Debug, PartialEq)]
            pub enum #enum_ident { #(#variants,)* }
        })
        .map_err(|e| format!("operation {}: {e}", plan.operation))?;
        let method_doc = format!(
            " Sends the request and decodes the answer into [`{enum_ident}`](super::types::{enum_ident}), \
             whichever documented success status the appliance chose."
        );
        let builder_ident = syn::Ident::new(&builder, Span::call_site());
        let impl_item: Item = syn::parse2(quote! {
            impl<'a> #builder_ident<'a> {
                #[doc = #method_doc]
                pub async fn send_answer(self) -> Result<ResponseValue<super::types::#enum_ident>, Error<#error_type>> {
                    use ::futures_util::TryStreamExt as _;
                    let raw = self.send().await?;
                    let status = raw.status();
                    let headers = raw.headers().clone();
                    let chunks: Vec<::bytes::Bytes> = raw
                        .into_inner_stream()
                        .try_collect()
                        .await
                        .map_err(Error::ResponseBodyError)?;
                    let bytes = ::bytes::Bytes::from(chunks.concat());
                    let answer = match status.as_u16() {
                        #(#arms,)*
                        other => {
                            let reason = format!("status {other} is not a documented success answer");
                            return Err(Error::InvalidResponsePayload(
                                bytes,
                                <::serde_json::Error as ::serde::de::Error>::custom(reason),
                            ));
                        }
                    };
                    Ok(ResponseValue::new(answer, status, headers))
                }
            }
        })
        .map_err(|e| format!("operation {}: {e}", plan.operation))?;
        push_into(file, "types", type_item)?;
        push_into(file, "builder", impl_item)?;
    }
    Ok(())
}

/// `200` → `Ok`, `202` → `Accepted`, `204` → `NoContent`, others `StatusNNN`.
fn variant_name(status: u16) -> String {
    match status {
        200 => "Ok".into(),
        201 => "Created".into(),
        202 => "Accepted".into(),
        203 => "NonAuthoritative".into(),
        204 => "NoContent".into(),
        205 => "ResetContent".into(),
        206 => "PartialContent".into(),
        other => format!("Status{other}"),
    }
}

/// The builder struct progenitor made for the operation: the one whose `send` makes its
/// request, as the generated code says (see `facts::generated_operations`).
fn builder_of(file: &File, plan: &SeveralAnswers) -> Result<String, String> {
    crate::facts::generated_operations(file)
        .into_iter()
        .find(|g| g.method == plan.method && g.path == plan.path)
        .map(|g| g.builder)
        .ok_or_else(|| {
            format!(
                "no generated builder sends the request of operation {}",
                plan.operation
            )
        })
}

/// `E` of `send(self) -> Result<ResponseValue<ByteStream>, Error<E>>` in the builder's impl.
fn send_error_type(file: &File, builder: &str) -> Option<TokenStream> {
    module_items(file, "builder").find_map(|item| {
        let Item::Impl(block) = item else { return None };
        let syn::Type::Path(p) = block.self_ty.as_ref() else {
            return None;
        };
        if p.path.segments.last()?.ident != builder {
            return None;
        }
        block.items.iter().find_map(|member| {
            let ImplItem::Fn(f) = member else { return None };
            if f.sig.ident != "send" {
                return None;
            }
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                return None;
            };
            // Result<ResponseValue<...>, Error<E>>: the last generic argument of the last one.
            let error = last_generic(ty, 1)?;
            last_generic(error, 0).map(ToTokens::into_token_stream)
        })
    })
}

/// The generic argument `index` of a path type's last segment.
fn last_generic(ty: &syn::Type, index: usize) -> Option<&syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &p.path.segments.last()?.arguments else {
        return None;
    };
    args.args
        .iter()
        .filter_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        })
        .nth(index)
}

/// The generated type for a component schema: its struct, enum or alias in `mod types`.
fn type_of(file: &File, schema: &str) -> Option<syn::Ident> {
    let wanted = crate::naming::type_name(schema);
    module_items(file, "types").find_map(|item| {
        let ident = match item {
            Item::Struct(s) => &s.ident,
            Item::Enum(e) => &e.ident,
            Item::Type(t) => &t.ident,
            _ => return None,
        };
        (*ident == wanted).then(|| ident.clone())
    })
}

fn module_items<'f>(file: &'f File, name: &'f str) -> impl Iterator<Item = &'f Item> {
    file.items
        .iter()
        .filter_map(move |item| match item {
            Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items.iter()),
            _ => None,
        })
        .flatten()
}

fn push_into(file: &mut File, module: &str, new: Item) -> Result<(), String> {
    for item in &mut file.items {
        if let Item::Mod(m) = item {
            if m.ident == module {
                if let Some((_, items)) = &mut m.content {
                    // The module refers to the crate's types through `super::types`.
                    items.push(new);
                    return Ok(());
                }
            }
        }
    }
    Err(format!("the generated code has no `mod {module}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_names_follow_the_status() {
        assert_eq!(variant_name(202), "Accepted");
        assert_eq!(variant_name(204), "NoContent");
        assert_eq!(variant_name(299), "Status299");
    }

    #[test]
    fn only_operations_with_several_body_types_are_planned() {
        let text = r##"
openapi: 3.0.3
paths:
  /a:
    post:
      operationId: startA
      responses:
        "202": {description: started, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
        "204": {description: nothing to do}
  /b:
    get:
      operationId: getB
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
        "201": {description: made, content: {application/json: {schema: {$ref: "#/components/schemas/S"}}}}
components:
  schemas:
    S: {type: object}
"##;
        let doc = Document::parse("t.yaml", text).ok().unwrap();
        let plans = plan(&doc);
        assert_eq!(plans.len(), 1);
        assert_eq!(plans[0].operation, "startA");
        let mut spec = doc.value().clone();
        raw_success_bodies(&mut spec, &plans);
        let rewritten = &spec["paths"]["/a"]["post"]["responses"];
        assert_eq!(
            rewritten["202"]["content"],
            json!({"application/octet-stream": {}})
        );
        assert_eq!(rewritten["204"]["description"], "nothing to do");
        assert!(
            spec["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]
                .is_object()
        );
    }
}
