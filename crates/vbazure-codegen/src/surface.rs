//! A one-line-per-item summary of the generated client, so that a spec edit shows up as a
//! short, reviewable diff of what users of the client see.

use std::fmt::Write;

use syn::{Fields, File, ImplItem, Item, Type, Visibility};
use vbazure_surface::{field_name, signature, tokens_to_string};

/// Lists the client's methods (with their parameters and results) and every generated type
/// with its fields or variants, sorted.
pub fn api_surface(file: &File) -> String {
    let mut lines = Vec::new();
    for item in &file.items {
        match item {
            Item::Impl(block)
                if type_name(&block.self_ty) == "Client" && block.trait_.is_none() =>
            {
                for member in &block.items {
                    if let ImplItem::Fn(f) = member {
                        if matches!(f.vis, Visibility::Public(_)) {
                            lines.push(format!("Client::{}", signature(&f.sig)));
                        }
                    }
                }
            }
            Item::Mod(module) if module.ident == "builder" => {
                for inner in module.content.iter().flat_map(|(_, items)| items) {
                    if let Item::Impl(block) = inner {
                        if block.trait_.is_some() {
                            continue;
                        }
                        let owner = type_name(&block.self_ty);
                        for member in &block.items {
                            if let ImplItem::Fn(f) = member {
                                if matches!(f.vis, Visibility::Public(_)) && f.sig.ident != "new" {
                                    lines.push(format!("builder::{owner}::{}", signature(&f.sig)));
                                }
                            }
                        }
                    }
                }
            }
            Item::Mod(module) if module.ident == "types" => {
                for inner in module.content.iter().flat_map(|(_, items)| items) {
                    describe_type(inner, &mut lines);
                }
            }
            _ => {}
        }
    }
    lines.sort();
    let mut out = String::new();
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    out
}

fn describe_type(item: &Item, lines: &mut Vec<String>) {
    match item {
        Item::Struct(s) => {
            let fields = match &s.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| {
                        let name = field_name(f);
                        let wire = serde_rename(&f.attrs)
                            .map(|r| format!(" as {r:?}"))
                            .unwrap_or_default();
                        format!("{name}{wire}: {}", tokens_to_string(&f.ty))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                Fields::Unnamed(unnamed) => unnamed
                    .unnamed
                    .iter()
                    .map(|f| tokens_to_string(&f.ty))
                    .collect::<Vec<_>>()
                    .join(", "),
                Fields::Unit => String::new(),
            };
            lines.push(format!("types::{} {{ {fields} }}", s.ident));
        }
        Item::Enum(e) => {
            let variants = e
                .variants
                .iter()
                .map(|v| {
                    // A variant's payload is part of what users match on: `Accepted(JobSession)`.
                    let payload = match &v.fields {
                        Fields::Unnamed(fields) => format!(
                            "({})",
                            fields
                                .unnamed
                                .iter()
                                .map(|f| tokens_to_string(&f.ty))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                        _ => String::new(),
                    };
                    match serde_rename(&v.attrs) {
                        Some(wire) => format!("{}{payload} as {wire:?}", v.ident),
                        None => format!("{}{payload}", v.ident),
                    }
                })
                .collect::<Vec<_>>()
                .join(" | ");
            lines.push(format!("types::{} = {variants}", e.ident));
        }
        Item::Type(t) => lines.push(format!("types::{} = {}", t.ident, tokens_to_string(&t.ty))),
        _ => {}
    }
}

fn type_name(ty: &Type) -> String {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// The value of `#[serde(rename = "...")]`, if any.
fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut found = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                if let Ok(value) = meta.value().and_then(|v| v.parse::<syn::LitStr>()) {
                    found = Some(value.value());
                }
            } else if meta.input.peek(syn::Token![=]) {
                // Skip the value of any other `key = value`.
                let _ = meta.value().and_then(|v| v.parse::<syn::Expr>());
            }
            Ok(())
        });
    }
    found
}
