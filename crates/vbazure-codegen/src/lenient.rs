//! Lists whose items decode one by one.
//!
//! A page of sessions from a real appliance can hold one session the client cannot read (a
//! format it does not know); decoding the page as a whole would then hide every other session.
//! An array property marked [`LENIENT_ITEMS_EXTENSION`] in the document is generated as
//! `Vec<crate::Lenient<T>>`: each item decodes on its own, and one that does not is kept with
//! its JSON and the reason.

use serde_json::Value;
use syn::visit_mut::{self, VisitMut};
use syn::{Fields, File, GenericArgument, ImplItem, Item, PathArguments, Type};
use vbazure_spec::{pointer, Document};

/// The extension on an array property whose items decode one by one.
pub const LENIENT_ITEMS_EXTENSION: &str = "x-vbazure-lenient-items";

/// (component schema, property) of every array marked lenient.
pub(crate) fn marked(doc: &Document) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (schema, value) in doc
        .get("/components/schemas")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        for (property, definition) in value
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if definition.get(LENIENT_ITEMS_EXTENSION) == Some(&Value::Bool(true)) {
                out.push((schema.clone(), property.clone()));
            }
        }
    }
    out
}

/// Rewrites each marked property in `mod types` from `Vec<T>` to `Vec<crate::Lenient<T>>`
/// (inside an `Option` too): the struct's field, and the field and setter of the struct's
/// builder in `mod types::builder`.
pub(crate) fn apply(doc: &Document, file: &mut File) -> Result<(), String> {
    for (schema, property) in marked(doc) {
        let at = pointer::push(&pointer::push("/components/schemas", &schema), "properties");
        let place = doc.describe(&pointer::push(&at, &property));
        let type_name = crate::naming::type_name(&schema);
        let not_generated = || {
            format!("{place}: {LENIENT_ITEMS_EXTENSION} on {schema}.{property}, which was not generated as a struct field")
        };
        let types = types_module(file).ok_or_else(not_generated)?;
        let field = named_fields(types, &type_name)
            .and_then(|fields| {
                fields
                    .iter_mut()
                    .find(|f| wire_name(f).as_deref() == Some(property.as_str()))
            })
            .ok_or_else(not_generated)?;
        let Some(ident) = field.ident.clone() else {
            return Err(not_generated());
        };
        let mut items = Wrap {
            item: item_type(&field.ty).ok_or_else(|| {
                format!("{place}: {LENIENT_ITEMS_EXTENSION} on {schema}.{property}, which is not an array")
            })?,
            wrapped: 0,
        };
        items.visit_type_mut(&mut field.ty);
        // typify's builder of the struct holds the same field and a setter for it.
        if let Some(builder) = types.iter_mut().find_map(|item| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        }) {
            if let Some(field) = named_fields(builder, &type_name)
                .and_then(|fields| fields.iter_mut().find(|f| f.ident.as_ref() == Some(&ident)))
            {
                items.visit_type_mut(&mut field.ty);
            }
            for item in builder.iter_mut() {
                let Item::Impl(block) = item else { continue };
                if block.trait_.is_some() || !is_named(&block.self_ty, &type_name) {
                    continue;
                }
                for member in &mut block.items {
                    if let ImplItem::Fn(setter) = member {
                        if setter.sig.ident == ident {
                            items.visit_signature_mut(&mut setter.sig);
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Wraps every `Vec<item>` it visits into `Vec<crate::Lenient<item>>`.
struct Wrap {
    item: Type,
    wrapped: usize,
}

impl VisitMut for Wrap {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty {
            if let Some(last) = path.path.segments.last_mut() {
                if last.ident == "Vec" {
                    if let PathArguments::AngleBracketed(args) = &mut last.arguments {
                        if let Some(GenericArgument::Type(inner)) = args.args.first_mut() {
                            // `JobSession` in the struct, `super::JobSession` in its builder.
                            if last_ident(inner) == last_ident(&self.item) {
                                let item = inner.clone();
                                *inner = syn::parse_quote!(crate::Lenient<#item>);
                                self.wrapped += 1;
                                return;
                            }
                        }
                    }
                }
            }
        }
        visit_mut::visit_type_mut(self, ty);
    }
}

/// The `T` of the first `Vec<T>` in a type (inside `Option`, `Result`).
fn item_type(ty: &Type) -> Option<Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let GenericArgument::Type(inner) = args.args.first()? else {
        return None;
    };
    if last.ident == "Vec" {
        Some(inner.clone())
    } else {
        item_type(inner)
    }
}

fn last_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(p) => p.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

fn is_named(ty: &Type, name: &str) -> bool {
    matches!(ty, Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name))
}

fn named_fields<'a>(
    items: &'a mut [Item],
    type_name: &str,
) -> Option<&'a mut syn::punctuated::Punctuated<syn::Field, syn::token::Comma>> {
    items.iter_mut().find_map(|item| match item {
        Item::Struct(s) if s.ident == type_name => match &mut s.fields {
            Fields::Named(named) => Some(&mut named.named),
            _ => None,
        },
        _ => None,
    })
}

fn types_module(file: &mut File) -> Option<&mut Vec<Item>> {
    file.items.iter_mut().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The property name a field has on the wire: its serde rename, else its identifier.
fn wire_name(field: &syn::Field) -> Option<String> {
    let mut renamed = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<syn::LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    renamed.or_else(|| field.ident.as_ref().map(ToString::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    #[test]
    fn vec_items_are_wrapped_inside_options_and_results() {
        let mut ty: Type = syn::parse_quote!(::std::option::Option<::std::vec::Vec<JobSession>>);
        let mut wrap = Wrap {
            item: item_type(&ty).unwrap(),
            wrapped: 0,
        };
        wrap.visit_type_mut(&mut ty);
        let shown = quote!(#ty).to_string().replace(' ', "");
        assert_eq!(
            shown,
            "::std::option::Option<::std::vec::Vec<crate::Lenient<JobSession>>>"
        );
        let mut other: Type = syn::parse_quote!(Result<Vec<Other>, String>);
        wrap.visit_type_mut(&mut other);
        assert_eq!(wrap.wrapped, 1, "only the marked item type is wrapped");
        assert!(item_type(&syn::parse_quote!(String)).is_none());
    }
}
