//! Every example the document holds, found by walking it, with the schema each one illustrates.

use serde_json::Value;

use crate::pointer;
use crate::Document;

/// What an example illustrates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExampleKind {
    /// A request body.
    RequestBody,
    /// A response body; `status` as written in the spec (`200`, `4XX`, `default`).
    ResponseBody {
        /// The response's status key.
        status: String,
    },
    /// A parameter's value.
    Parameter {
        /// The parameter's name.
        name: String,
    },
    /// An `example` keyword inside a schema.
    Schema,
}

/// One example found in the document.
#[derive(Clone, Debug)]
pub struct Example {
    /// A name unique in the document, usable as a file name:
    /// `deleteBackups.200`, `getJobSession.200.running`, `createToken.request.password`,
    /// `components.responses.ClientError.notFound`.
    pub name: String,
    /// What the example illustrates.
    pub kind: ExampleKind,
    /// The operation it belongs to (none for a shared component).
    pub operation_id: Option<String>,
    /// The media type, for bodies.
    pub media_type: Option<String>,
    /// Where the example's value stands (inside `components/examples` when it was referenced).
    pub pointer: String,
    /// Where the schema it should conform to stands, if it has one.
    pub schema_pointer: Option<String>,
    /// The component schema it illustrates, when its schema is a `$ref` to
    /// `#/components/schemas/<name>` (or is that component itself).
    pub schema_name: Option<String>,
    /// The example's value.
    pub value: Value,
}

/// A place where an example is written in a way the walker cannot read (an `externalValue`, a
/// `$ref` to nothing). Reported so that no example is skipped silently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnreadableExample {
    /// Where it is.
    pub pointer: String,
    /// Why it could not be read.
    pub reason: String,
}

/// The result of walking a document's examples.
#[derive(Clone, Debug, Default)]
pub struct Examples {
    /// The examples, in document order.
    pub found: Vec<Example>,
    /// Examples that could not be read.
    pub unreadable: Vec<UnreadableExample>,
}

struct Walk<'a> {
    doc: &'a Document,
    out: Examples,
}

/// Walks the whole document: operations' parameters, request bodies and responses, shared
/// components (`responses`, `requestBodies`, `parameters`) and `example` keywords in component
/// schemas. Shared components are walked once, where they are defined, not at each use.
pub fn examples(doc: &Document) -> Examples {
    let mut walk = Walk {
        doc,
        out: Examples::default(),
    };
    walk.paths();
    walk.components();
    walk.out
}

fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

fn is_ref(value: &Value) -> bool {
    value.get("$ref").is_some()
}

impl<'a> Walk<'a> {
    fn paths(&mut self) {
        let doc = self.doc;
        for operation in doc.operations() {
            let op_id = operation.operation_id.clone();
            let prefix = op_id.clone().unwrap_or_else(|| {
                format!("{} {}", operation.method, operation.path)
                    .replace(['/', '{', '}', ' '], "_")
            });
            // Shared parameters are walked where they are defined, with the components.
            for parameter in operation.parameters.iter().filter(|p| !p.is_reference()) {
                self.parameter(&parameter.pointer, &prefix, &op_id);
            }
            if let Some(body) = operation
                .request_body
                .as_ref()
                .filter(|b| !b.is_reference())
            {
                let site = Site {
                    prefix: format!("{prefix}.request"),
                    kind: ExampleKind::RequestBody,
                    operation_id: op_id.clone(),
                };
                self.content(&pointer::push(&body.target, "content"), &site);
            }
            for response in operation.responses.iter().filter(|r| !r.is_reference()) {
                let site = Site {
                    prefix: format!("{prefix}.{}", response.status),
                    kind: ExampleKind::ResponseBody {
                        status: response.status.clone(),
                    },
                    operation_id: op_id.clone(),
                };
                self.content(&pointer::push(&response.pointer, "content"), &site);
            }
        }
    }

    fn components(&mut self) {
        // Shared answers and request bodies: their bodies' examples, named by the component.
        let shared_answer = ExampleKind::ResponseBody {
            status: "(shared)".to_string(),
        };
        let bodies = [
            ("responses", shared_answer),
            ("requestBodies", ExampleKind::RequestBody),
        ];
        for (section, kind) in bodies {
            let section_at = pointer::push("/components", section);
            for (name, body) in entries(self.doc.get(&section_at)) {
                if is_ref(body) {
                    continue;
                }
                let site = Site {
                    prefix: format!("components.{section}.{name}"),
                    kind: kind.clone(),
                    operation_id: None,
                };
                let at = pointer::push(&pointer::push(&section_at, name), "content");
                self.content(&at, &site);
            }
        }
        for (name, param) in entries(self.doc.get("/components/parameters")) {
            if is_ref(param) {
                continue;
            }
            let p = pointer::push("/components/parameters", name);
            self.parameter(&p, &format!("components.parameters.{name}"), &None);
        }
        for (name, _) in entries(self.doc.get("/components/schemas")) {
            let p = pointer::push("/components/schemas", name);
            self.schema_examples(&p, &format!("components.schemas.{name}"), Some(name));
        }
    }

    fn parameter(&mut self, param: &str, prefix: &str, op_id: &Option<String>) {
        let Some(value) = self.doc.get(param) else {
            return;
        };
        let name = value
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let site = Site {
            prefix: format!("{prefix}.param-{name}"),
            kind: ExampleKind::Parameter { name },
            operation_id: op_id.clone(),
        };
        self.example_keywords(param, &pointer::push(param, "schema"), &site);
    }

    fn content(&mut self, content: &str, site: &Site) {
        for (media_type, _) in entries(self.doc.get(content)) {
            let mt = pointer::push(content, media_type);
            let site = Site {
                prefix: site.prefix.clone(),
                kind: site.kind.clone(),
                operation_id: site.operation_id.clone(),
            };
            let before = self.out.found.len();
            self.example_keywords(&mt, &pointer::push(&mt, "schema"), &site);
            for example in &mut self.out.found[before..] {
                example.media_type = Some(media_type.clone());
            }
        }
    }

    /// Reads `example` and `examples` of the object at `holder`, whose schema is at `schema`.
    fn example_keywords(&mut self, holder: &str, schema: &str, site: &Site) {
        let schema_pointer = self.doc.get(schema).map(|_| schema.to_string());
        let schema_name = self.doc.get(schema).and_then(component_schema_name);
        let single = pointer::push(holder, "example");
        if let Some(value) = self.doc.get(&single) {
            self.push(
                site.prefix.clone(),
                single,
                value.clone(),
                site,
                &schema_pointer,
                &schema_name,
            );
        }
        let named = pointer::push(holder, "examples");
        for (key, _) in entries(self.doc.get(&named)) {
            let entry_pointer = pointer::push(&named, key);
            let Some((target, resolved)) = self.doc.deref(&entry_pointer) else {
                self.unreadable(
                    entry_pointer,
                    "its `$ref` names no example in this document",
                );
                continue;
            };
            let value_pointer = pointer::push(&target, "value");
            match resolved.get("value") {
                Some(value) => self.push(
                    format!("{}.{key}", site.prefix),
                    value_pointer,
                    value.clone(),
                    site,
                    &schema_pointer,
                    &schema_name,
                ),
                None if resolved.get("externalValue").is_some() => self.unreadable(
                    entry_pointer,
                    "`externalValue` examples are not read; write the value inline",
                ),
                None => self.unreadable(entry_pointer, "the example has no `value`"),
            }
        }
    }

    /// `example` keywords anywhere inside a component schema.
    fn schema_examples(&mut self, schema: &str, prefix: &str, component: Option<&str>) {
        let Some(value) = self.doc.get(schema) else {
            return;
        };
        if let Some(example) = value.get("example") {
            let site = Site {
                prefix: prefix.to_string(),
                kind: ExampleKind::Schema,
                operation_id: None,
            };
            let name = component.map(str::to_string);
            self.push(
                prefix.to_string(),
                pointer::push(schema, "example"),
                example.clone(),
                &site,
                &Some(schema.to_string()),
                &name,
            );
        }
        for (key, _) in entries(value.get("properties")) {
            let p = pointer::push(&pointer::push(schema, "properties"), key);
            self.schema_examples(&p, &format!("{prefix}.{key}"), None);
        }
        for key in ["items", "additionalProperties", "not"] {
            if value.get(key).is_some_and(Value::is_object) {
                self.schema_examples(
                    &pointer::push(schema, key),
                    &format!("{prefix}.{key}"),
                    None,
                );
            }
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            let count = value.get(key).and_then(Value::as_array).map_or(0, Vec::len);
            for i in 0..count {
                let p = pointer::push(&pointer::push(schema, key), &i.to_string());
                self.schema_examples(&p, &format!("{prefix}.{key}{i}"), None);
            }
        }
    }

    fn push(
        &mut self,
        name: String,
        pointer: String,
        value: Value,
        site: &Site,
        schema_pointer: &Option<String>,
        schema_name: &Option<String>,
    ) {
        self.out.found.push(Example {
            name,
            kind: site.kind.clone(),
            operation_id: site.operation_id.clone(),
            media_type: None,
            pointer,
            schema_pointer: schema_pointer.clone(),
            schema_name: schema_name.clone(),
            value,
        });
    }

    fn unreadable(&mut self, pointer: String, reason: &str) {
        self.out.unreadable.push(UnreadableExample {
            pointer,
            reason: reason.to_string(),
        });
    }
}

struct Site {
    prefix: String,
    kind: ExampleKind,
    operation_id: Option<String>,
}

/// `X` when `schema` is `{$ref: "#/components/schemas/X"}`.
pub fn component_schema_name(schema: &Value) -> Option<String> {
    schema
        .get("$ref")?
        .as_str()?
        .strip_prefix("#/components/schemas/")
        .map(pointer::unescape)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const SPEC: &str = r##"
openapi: 3.0.3
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}, example: "7"}
    get:
      operationId: getThing
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
              examples:
                small: {value: {n: 1}}
                shared: {$ref: "#/components/examples/Big"}
                far: {externalValue: "https://example.com/x.json"}
        "4XX": {$ref: "#/components/responses/Oops"}
    post:
      operationId: putThing
      requestBody:
        content:
          application/json:
            schema: {type: object}
            example: {n: 2}
      responses:
        "204": {description: done}
components:
  examples:
    Big: {value: {n: 1000}}
  responses:
    Oops:
      description: bad
      content:
        application/problem+json:
          schema: {$ref: "#/components/schemas/Problem"}
          example: {title: oops}
  schemas:
    Thing:
      type: object
      properties:
        n: {type: integer, example: 5}
    Problem: {type: object, example: {title: x}}
"##;

    #[test]
    fn finds_every_example_once_with_its_schema() {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        let walked = examples(&doc);
        let names: Vec<_> = walked.found.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "getThing.param-id",
                "getThing.200.small",
                "getThing.200.shared",
                "putThing.param-id",
                "putThing.request",
                "components.responses.Oops",
                "components.schemas.Thing.n",
                "components.schemas.Problem",
            ]
        );
        let shared = &walked.found[2];
        assert_eq!(shared.value, json!({"n": 1000}));
        assert_eq!(shared.pointer, "/components/examples/Big/value");
        assert_eq!(shared.schema_name.as_deref(), Some("Thing"));
        assert_eq!(shared.media_type.as_deref(), Some("application/json"));
        assert_eq!(walked.found[4].schema_name, None);
        assert_eq!(walked.found[5].schema_name.as_deref(), Some("Problem"));
        assert_eq!(walked.found[7].schema_name.as_deref(), Some("Problem"));
        assert_eq!(walked.unreadable.len(), 1);
        assert!(walked.unreadable[0].reason.contains("externalValue"));
    }
}
