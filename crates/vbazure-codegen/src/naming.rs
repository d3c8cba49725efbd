//! The name typify gives a component schema's type, computed the way it computes it (heck's
//! Pascal case of the name, characters that cannot stand in an identifier turned into
//! separators). Every use looks the name up in the generated code, so a disagreement is a
//! build error that names the schema, never a silent mismatch.

use heck::ToPascalCase;

fn separated(name: &str) -> String {
    name.replace('\'', "")
        .replace(|c: char| !unicode_ident::is_xid_continue(c), "-")
}

/// typify's type name of a component schema: `JobSession` → `JobSession`.
pub(crate) fn type_name(schema: &str) -> String {
    separated(schema).to_pascal_case()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_progenitor() {
        assert_eq!(
            type_name("ProtectedVirtualMachinePage"),
            "ProtectedVirtualMachinePage"
        );
    }
}
