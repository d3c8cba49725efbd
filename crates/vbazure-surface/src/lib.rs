//! One-line-per-item summaries of Rust source, for snapshots that make a change of a public
//! API show up as a short diff to review: of the hand-written library ([`library_surface`]:
//! what its source declares `pub`, file by file: a method, a builder, a field, a re-export),
//! and the pieces the generator's summary of the generated clients shares with it
//! ([`signature`], [`tokens_to_string`]).
//!
//! A crate of its own, apart from the generator, so that the library's tests can use it
//! without building progenitor a second time for the target.
//!
//! It reads source text, not the compiled crate (rustdoc's JSON needs a nightly toolchain):
//! an item written `pub` in a private module that nothing re-exports is listed too, and the
//! `pub use` lines say what is re-exported where.

use std::fmt::Write;

use syn::{Attribute, Fields, ImplItem, Item, Visibility};

use quote::ToTokens;

/// The public items of `files` (each a path shown in the summary and its parsed source),
/// one line each: `path: item`, in the order of the files given and of the items in each.
/// Items behind `#[cfg(test)]` or `#[doc(hidden)]` are left out.
pub fn library_surface(files: &[(String, syn::File)]) -> String {
    let mut out = String::new();
    for (path, file) in files {
        let mut lines = Vec::new();
        list(&file.items, "", &mut lines);
        for line in lines {
            let _ = writeln!(out, "{path}: {line}");
        }
    }
    out
}

fn list(items: &[Item], prefix: &str, lines: &mut Vec<String>) {
    for item in items {
        if hidden(attributes(item)) {
            continue;
        }
        match item {
            Item::Impl(block) => implementation(block, prefix, lines),
            Item::Mod(module) => {
                let name = module.ident.to_string();
                if public(&module.vis) {
                    lines.push(format!("{prefix}pub mod {name}"));
                }
                // An inline module's items are listed under its name; a module in a file of
                // its own is listed with that file.
                if let Some((_, inner)) = &module.content {
                    list(inner, &format!("{prefix}in {name}: "), lines);
                }
            }
            other => {
                if let Some(line) = declaration(other) {
                    lines.push(format!("{prefix}{line}"));
                }
            }
        }
    }
}

/// The line of a public declaration other than an `impl` or a module.
fn declaration(item: &Item) -> Option<String> {
    let marks = |attrs: &[Attribute]| {
        if attrs.iter().any(|a| a.path().is_ident("non_exhaustive")) {
            "#[non_exhaustive] "
        } else {
            ""
        }
    };
    Some(match item {
        Item::Struct(s) if public(&s.vis) => {
            let fields = fields(&s.fields, false);
            format!(
                "{}pub struct {}{} {fields}",
                marks(&s.attrs),
                s.ident,
                tokens_to_string(&s.generics)
            )
        }
        Item::Enum(e) if public(&e.vis) => {
            let variants = e
                .variants
                .iter()
                .filter(|v| !hidden(&v.attrs))
                .map(|v| format!("{}{}", v.ident, fields(&v.fields, true)))
                .collect::<Vec<_>>()
                .join(" | ");
            format!(
                "{}pub enum {}{} = {variants}",
                marks(&e.attrs),
                e.ident,
                tokens_to_string(&e.generics)
            )
        }
        Item::Fn(f) if public(&f.vis) => {
            format!("pub {}fn {}", asyncness(&f.sig), signature(&f.sig))
        }
        Item::Trait(t) if public(&t.vis) => format!("pub trait {}", t.ident),
        Item::Type(t) if public(&t.vis) => {
            format!("pub type {} = {}", t.ident, tokens_to_string(&t.ty))
        }
        Item::Const(c) if public(&c.vis) => {
            format!("pub const {}: {}", c.ident, tokens_to_string(&c.ty))
        }
        Item::Static(s) if public(&s.vis) => {
            format!("pub static {}: {}", s.ident, tokens_to_string(&s.ty))
        }
        Item::Use(u) if public(&u.vis) => format!("pub use {}", tokens_to_string(&u.tree)),
        _ => return None,
    })
}

/// An inherent `impl`'s public methods, or a trait `impl`'s header (which traits a type has
/// is part of what users rely on).
fn implementation(block: &syn::ItemImpl, prefix: &str, lines: &mut Vec<String>) {
    let owner = tokens_to_string(&block.self_ty);
    if let Some((_, path, _)) = &block.trait_ {
        lines.push(format!(
            "{prefix}impl{} {} for {owner}",
            tokens_to_string(&block.generics),
            tokens_to_string(path)
        ));
        return;
    }
    for member in &block.items {
        if let ImplItem::Fn(f) = member {
            if public(&f.vis) && !hidden(&f.attrs) {
                lines.push(format!(
                    "{prefix}{}{owner}::{}",
                    asyncness(&f.sig),
                    signature(&f.sig)
                ));
            }
        }
    }
}

/// `{ a: A, b: B }` for the named fields users can reach (a struct's `pub` ones, followed by
/// `..` when it has others; every field of an enum variant), `(A, B)` for a tuple, nothing
/// for a unit.
fn fields(fields: &Fields, every: bool) -> String {
    let reachable = |vis: &Visibility| every || public(vis);
    match fields {
        Fields::Named(named) => {
            let mut shown: Vec<String> = named
                .named
                .iter()
                .filter(|f| reachable(&f.vis))
                .map(|f| format!("{}: {}", field_name(f), tokens_to_string(&f.ty)))
                .collect();
            if named.named.iter().any(|f| !reachable(&f.vis)) {
                shown.push("..".to_string());
            }
            format!("{{ {} }}", shown.join(", "))
        }
        Fields::Unnamed(unnamed) => {
            let shown: Vec<String> = unnamed
                .unnamed
                .iter()
                .map(|f| {
                    if reachable(&f.vis) {
                        tokens_to_string(&f.ty)
                    } else {
                        "_".to_string()
                    }
                })
                .collect();
            format!("({})", shown.join(", "))
        }
        Fields::Unit => String::new(),
    }
}

/// `async ` for an `async fn`: whether a method must be awaited is part of its API.
fn asyncness(sig: &syn::Signature) -> &'static str {
    if sig.asyncness.is_some() {
        "async "
    } else {
        ""
    }
}

/// A named field's name (empty for a tuple field).
pub fn field_name(field: &syn::Field) -> String {
    field
        .ident
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn public(vis: &Visibility) -> bool {
    matches!(vis, Visibility::Public(_))
}

/// Whether the attributes keep an item out of the public API: `#[cfg(test)]`,
/// `#[cfg(doctest)]` or `#[doc(hidden)]`.
fn hidden(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|attr| {
        let words = tokens_to_string(&attr.meta);
        matches!(words.as_str(), "cfg(test)" | "cfg(doctest)" | "doc(hidden)")
    })
}

fn attributes(item: &Item) -> &[Attribute] {
    match item {
        Item::Const(i) => &i.attrs,
        Item::Enum(i) => &i.attrs,
        Item::Fn(i) => &i.attrs,
        Item::Impl(i) => &i.attrs,
        Item::Mod(i) => &i.attrs,
        Item::Static(i) => &i.attrs,
        Item::Struct(i) => &i.attrs,
        Item::Trait(i) => &i.attrs,
        Item::Type(i) => &i.attrs,
        Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// A function's signature as one line: `name(params) -> output where ...`.
pub fn signature(sig: &syn::Signature) -> String {
    let params = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            syn::FnArg::Receiver(r) => tokens_to_string(&r.ty),
            syn::FnArg::Typed(t) => {
                format!("{}: {}", tokens_to_string(&t.pat), tokens_to_string(&t.ty))
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", tokens_to_string(ty)),
    };
    let bounds = sig
        .generics
        .where_clause
        .as_ref()
        .map(|w| format!(" {}", tokens_to_string(w)))
        .unwrap_or_default();
    format!("{}({params}){output}{bounds}", sig.ident)
}

/// A syntax node as compact text, with the standard library's paths shortened.
pub fn tokens_to_string(node: &impl ToTokens) -> String {
    let mut text = node.to_token_stream().to_string();
    // proc_macro2 spaces every token; close up the punctuation.
    for (from, to) in [
        (" :: ", "::"),
        (":: ", "::"),
        (" <", "<"),
        ("< ", "<"),
        (" >", ">"),
        (" ,", ","),
        (",>", ">"),
        ("& '", "&'"),
        ("& ", "&"),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" :", ":"),
    ] {
        text = text.replace(from, to);
    }
    for prefix in [
        "::std::option::",
        "::std::string::",
        "::std::vec::",
        "::std::collections::",
        "::std::convert::",
        "std::convert::",
        "::std::num::",
        "::std::fmt::",
        "crate::",
        "super::types::",
    ] {
        text = text.replace(prefix, "");
    }
    text.replace("::serde_json::", "serde_json::")
}

#[cfg(test)]
mod tests {
    use super::library_surface;

    fn surface(source: &str) -> String {
        let file = syn::parse_file(source).expect("the example parses");
        library_surface(&[("src/x.rs".to_string(), file)])
    }

    /// Public items are listed with what users can reach of them; private ones, test code
    /// and hidden items are not.
    #[test]
    fn lists_what_users_reach() {
        let listed = surface(
            r#"
            pub struct Open { pub a: u8, b: u8 }
            struct Closed;
            #[non_exhaustive]
            pub enum Kind { One(u8), Two { x: String } }
            impl Open {
                pub async fn send(self) -> Result<(), Error> { Ok(()) }
                pub(crate) fn inner(&self) {}
                #[doc(hidden)]
                pub fn hidden(&self) {}
            }
            impl std::fmt::Display for Open { }
            #[cfg(test)]
            pub mod tests { pub fn t() {} }
            pub use inner::Thing;
            pub mod inline { pub const LIMIT: usize = 1; }
            "#,
        );
        assert_eq!(
            listed,
            "src/x.rs: pub struct Open { a: u8, .. }\n\
             src/x.rs: #[non_exhaustive] pub enum Kind = One(u8) | Two{ x: String }\n\
             src/x.rs: async Open::send(Self) -> Result<(), Error>\n\
             src/x.rs: impl std::fmt::Display for Open\n\
             src/x.rs: pub use inner::Thing\n\
             src/x.rs: pub mod inline\n\
             src/x.rs: in inline: pub const LIMIT: usize\n"
        );
    }
}
