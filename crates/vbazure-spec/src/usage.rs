//! Where each component schema is used: in what the client sends (parameters, request bodies),
//! in what it reads (answers), or both, following `$ref`s from component to component.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::{pointer, Document};

/// Deeper than any schema a person writes; it stops a hostile document's nesting from
/// exhausting the stack.
const MAX_DEPTH: usize = 256;

/// The component schemas (by name) that requests and answers reach.
#[derive(Debug, Default)]
pub(crate) struct Usage {
    pub(crate) request: BTreeSet<String>,
    pub(crate) response: BTreeSet<String>,
}

/// Which components each operation's requests and answers reach, transitively.
pub(crate) fn usage(doc: &Document) -> Usage {
    let mut usage = Usage::default();
    for operation in doc.operations() {
        let sent = operation
            .parameters
            .iter()
            .filter_map(|p| p.schema.as_deref())
            .chain(
                operation
                    .request_body
                    .iter()
                    .flat_map(|b| &b.content)
                    .filter_map(|m| m.schema.as_deref()),
            );
        for at in sent {
            reach(doc, doc.get(at), &mut usage.request, 0);
        }
        let read = operation
            .responses
            .iter()
            .flat_map(|r| &r.content)
            .filter_map(|m| m.schema.as_deref());
        for at in read {
            reach(doc, doc.get(at), &mut usage.response, 0);
        }
    }
    usage
}

/// Adds every component schema `value` refers to, and those they refer to, to `found`.
fn reach(doc: &Document, value: Option<&Value>, found: &mut BTreeSet<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Some(Value::Object(map)) => {
            if let Some(name) = map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/schemas/"))
                .and_then(|rest| rest.split('/').next())
                .map(pointer::unescape)
            {
                let at = pointer::push("/components/schemas", &name);
                if found.insert(name) {
                    reach(doc, doc.get(&at), found, depth + 1);
                }
            }
            for inner in map.values() {
                reach(doc, Some(inner), found, depth + 1);
            }
        }
        Some(Value::Array(items)) => {
            for inner in items {
                reach(doc, Some(inner), found, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_are_reached_through_refs() {
        let text = r##"
openapi: 3.0.3
paths:
  /a:
    put:
      requestBody:
        content:
          application/json: {schema: {$ref: "#/components/schemas/Both"}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: "#/components/schemas/Page"}}
components:
  schemas:
    Both: {type: object, properties: {inner: {$ref: "#/components/schemas/Inner"}}}
    Page: {type: object, properties: {item: {$ref: "#/components/schemas/Both"}, self: {$ref: "#/components/schemas/Page"}}}
    Inner: {type: string}
    Unused: {type: string}
"##;
        let doc = Document::parse("t.yaml", text).ok().unwrap();
        let usage = usage(&doc);
        let names = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>();
        assert_eq!(names(&usage.request), ["Both", "Inner"]);
        assert_eq!(names(&usage.response), ["Both", "Inner", "Page"]);
    }
}
