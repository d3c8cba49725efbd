//! The document's operations, read once into one typed model.
//!
//! Every consumer (the generator checks, the lint, the diff, the example walk, the mock's route
//! table, the codegen) reads operations from here; nothing else iterates `paths`. Path-item and
//! operation parameters are merged here, once, the way OpenAPI defines it: an operation's
//! parameter overrides the path item's parameter of the same name and location.

use serde_json::Value;

use crate::{pointer, Document, Location};

/// The HTTP methods an OpenAPI path item may hold, in the order they are read.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of the document.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// The `operationId`, when the document gives one.
    pub operation_id: Option<String>,
    /// How messages name it: the `operationId`, or `METHOD /path` when there is none.
    pub name: String,
    /// The HTTP method, lower-case as the document writes it (`get`, `post`).
    pub method: &'static str,
    /// The path template as documented (`/api/v1/jobSessions/{sessionId}`).
    pub path: String,
    /// Where the operation stands (`/paths/~1api~1v1~1jobSessions/get`).
    pub pointer: String,
    /// Where its path item stands (`/paths/~1api~1v1~1jobSessions`).
    pub item_pointer: String,
    /// Its line and column in the file.
    pub location: Location,
    /// The `summary`, if any.
    pub summary: Option<String>,
    /// The parameters that apply, path item's and operation's merged (operation wins).
    pub parameters: Vec<Parameter>,
    /// Parameters declared twice in one list, which the merge had to drop. The lint reports them.
    pub duplicate_parameters: Vec<Parameter>,
    /// References to parameters that lead nowhere (`pointer` of each). `check` reports the `$ref`.
    pub unresolved_parameters: Vec<String>,
    /// The request body, if the operation takes one.
    pub request_body: Option<RequestBody>,
    /// Where `responses` stands; `None` when the operation has no `responses`.
    pub responses_pointer: Option<String>,
    /// The answers by status key, in document order.
    pub responses: Vec<Response>,
    /// Whether a request must carry a token: from the operation's `security`, or the
    /// document's when the operation has none. `security: []`, or a requirement `{}` among the
    /// alternatives, means anonymous requests are allowed.
    pub needs_token: bool,
}

impl Operation {
    /// `GET /api/v1/jobSessions`: the method, upper-case, and the path template, as messages
    /// show an operation.
    pub fn method_and_path(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Where a parameter goes.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParameterIn {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A header.
    Header,
    /// A cookie.
    Cookie,
    /// Anything else the document says (it is then not a valid OpenAPI document).
    Other(String),
}

impl ParameterIn {
    fn parse(text: &str) -> Self {
        match text {
            "path" => Self::Path,
            "query" => Self::Query,
            "header" => Self::Header,
            "cookie" => Self::Cookie,
            other => Self::Other(other.to_string()),
        }
    }

    /// As the document writes it (`path`, `query`, ...).
    pub fn as_str(&self) -> &str {
        match self {
            Self::Path => "path",
            Self::Query => "query",
            Self::Header => "header",
            Self::Cookie => "cookie",
            Self::Other(other) => other,
        }
    }
}

/// One parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    /// Its name.
    pub name: String,
    /// Where it goes.
    pub location: ParameterIn,
    /// Whether a request must have it.
    pub required: bool,
    /// Where its schema stands, if it has one.
    pub schema: Option<String>,
    /// Where it is listed (an entry of a `parameters` list, possibly a `$ref`).
    pub pointer: String,
    /// Where its definition stands, after any `$ref` (the same as `pointer` when inline).
    pub target: String,
}

impl Parameter {
    /// Whether it is listed by `$ref` rather than written in place.
    pub fn is_reference(&self) -> bool {
        self.pointer != self.target
    }
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestBody {
    /// Where it is declared (possibly a `$ref`).
    pub pointer: String,
    /// Where its definition stands, after any `$ref`.
    pub target: String,
    /// Whether a request must have it.
    pub required: bool,
    /// The media types it may be sent as.
    pub content: Vec<MediaType>,
}

impl RequestBody {
    /// Whether it is declared by `$ref` rather than written in place.
    pub fn is_reference(&self) -> bool {
        self.pointer != self.target
    }
}

/// One answer of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The status key as written: `200`, `4XX`, `default`.
    pub status: String,
    /// Where it is declared (possibly a `$ref`).
    pub pointer: String,
    /// Where its definition stands, after any `$ref`; `None` when the `$ref` leads nowhere.
    pub target: Option<String>,
    /// The media types of its body; empty for an answer without a body.
    pub content: Vec<MediaType>,
}

impl Response {
    /// Whether it is declared by `$ref` rather than written in place.
    pub fn is_reference(&self) -> bool {
        self.target.as_deref() != Some(self.pointer.as_str())
    }

    /// Whether the status key is a success (`2xx` or `2XX`).
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }

    /// Whether the status key is an error (`4xx`, `5xx`, their ranges, or `default`).
    pub fn is_error(&self) -> bool {
        self.status.starts_with('4') || self.status.starts_with('5') || self.status == "default"
    }

    /// Whether this answer covers `status`: the exact code or its range (not `default`).
    pub fn covers(&self, status: u16) -> bool {
        self.status == status.to_string() || self.status == format!("{}XX", status / 100)
    }

    /// The JSON body (`application/json`, its parameters, or a `+json` type), if any.
    pub fn json(&self) -> Option<&MediaType> {
        self.content.iter().find(|m| m.is_json())
    }
}

/// A body in one media type.
#[derive(Clone, Debug, PartialEq)]
pub struct MediaType {
    /// The media type as written (`application/json`).
    pub media_type: String,
    /// Where its entry of `content` stands.
    pub pointer: String,
    /// Where its schema stands, if it has one.
    pub schema: Option<String>,
    /// Where its single `example` stands, if it has one.
    pub example: Option<String>,
    /// Its named `examples`: each name and where its entry stands (possibly a `$ref`).
    pub examples: Vec<(String, String)>,
}

impl MediaType {
    /// `application/json`, `application/json; charset=...`, or any `+json` type.
    pub fn is_json(&self) -> bool {
        let essence = self.essence();
        essence == "application/json" || essence.ends_with("+json")
    }

    /// The type without parameters, lower-case.
    pub fn essence(&self) -> String {
        self.media_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    }

    /// Whether it documents any example.
    pub fn has_example(&self) -> bool {
        self.example.is_some() || !self.examples.is_empty()
    }

    /// The first example's value (`example`, else the first named one, `$ref` followed).
    pub fn first_example<'a>(&self, doc: &'a Document) -> Option<&'a Value> {
        if let Some(single) = &self.example {
            return doc.get(single);
        }
        self.examples
            .iter()
            .find_map(|(_, at)| doc.deref(at).and_then(|(_, v)| v.get("value")))
    }
}

/// Reads every operation of `doc`, in document order. [`Document::operations`] keeps the result.
pub(crate) fn read(doc: &Document) -> Vec<Operation> {
    let mut out = Vec::new();
    let global_security = doc.get("/security");
    for (path, item) in doc
        .get("/paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let item_pointer = pointer::push("/paths", path);
        let (item_params, item_duplicates, item_unresolved) =
            parameter_list(doc, &pointer::push(&item_pointer, "parameters"));
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let op_pointer = pointer::push(&item_pointer, method);
            let operation_id = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string);
            let name = operation_id
                .clone()
                .unwrap_or_else(|| format!("{} {path}", method.to_uppercase()));
            let (own, own_duplicates, own_unresolved) =
                parameter_list(doc, &pointer::push(&op_pointer, "parameters"));
            let mut parameters: Vec<Parameter> = item_params
                .iter()
                .filter(|p| {
                    !own.iter()
                        .any(|o| o.name == p.name && o.location == p.location)
                })
                .cloned()
                .collect();
            parameters.extend(own);
            let responses_pointer = pointer::push(&op_pointer, "responses");
            let has_responses = operation.get("responses").is_some_and(Value::is_object);
            out.push(Operation {
                operation_id,
                name,
                method,
                path: path.clone(),
                location: doc.location(&op_pointer),
                summary: operation
                    .get("summary")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                parameters,
                duplicate_parameters: item_duplicates
                    .iter()
                    .cloned()
                    .chain(own_duplicates)
                    .collect(),
                unresolved_parameters: item_unresolved
                    .iter()
                    .cloned()
                    .chain(own_unresolved)
                    .collect(),
                request_body: request_body(doc, &pointer::push(&op_pointer, "requestBody")),
                responses: if has_responses {
                    responses(doc, &responses_pointer)
                } else {
                    Vec::new()
                },
                responses_pointer: has_responses.then_some(responses_pointer),
                needs_token: needs_token(operation.get("security").or(global_security)),
                item_pointer: item_pointer.clone(),
                pointer: op_pointer,
            });
        }
    }
    out
}

/// A token is needed unless some alternative requirement is empty (`{}`) or there is none.
fn needs_token(security: Option<&Value>) -> bool {
    security
        .and_then(Value::as_array)
        .is_some_and(|alternatives| {
            !alternatives.is_empty()
                && alternatives
                    .iter()
                    .all(|r| r.as_object().is_some_and(|o| !o.is_empty()))
        })
}

type ParameterList = (Vec<Parameter>, Vec<Parameter>, Vec<String>);

/// The parameters of one list: the first of each (name, in), the repeats, and unresolved refs.
fn parameter_list(doc: &Document, list: &str) -> ParameterList {
    let count = doc.get(list).and_then(Value::as_array).map_or(0, Vec::len);
    let (mut kept, mut repeated, mut unresolved) =
        (Vec::<Parameter>::new(), Vec::new(), Vec::new());
    for i in 0..count {
        let at = pointer::push(list, &i.to_string());
        let Some((target, value)) = doc.deref(&at) else {
            unresolved.push(at);
            continue;
        };
        let text = |key: &str| value.get(key).and_then(Value::as_str).unwrap_or_default();
        let parameter = Parameter {
            name: text("name").to_string(),
            location: ParameterIn::parse(text("in")),
            required: value.get("required") == Some(&Value::Bool(true)),
            schema: value
                .get("schema")
                .map(|_| pointer::push(&target, "schema")),
            pointer: at,
            target,
        };
        if kept
            .iter()
            .any(|k| k.name == parameter.name && k.location == parameter.location)
        {
            repeated.push(parameter);
        } else {
            kept.push(parameter);
        }
    }
    (kept, repeated, unresolved)
}

fn request_body(doc: &Document, at: &str) -> Option<RequestBody> {
    doc.get(at)?;
    let (target, value) = doc.deref(at)?;
    Some(RequestBody {
        pointer: at.to_string(),
        required: value.get("required") == Some(&Value::Bool(true)),
        content: content(doc, &pointer::push(&target, "content")),
        target,
    })
}

fn responses(doc: &Document, at: &str) -> Vec<Response> {
    let mut out = Vec::new();
    for (status, _) in doc.get(at).and_then(Value::as_object).into_iter().flatten() {
        let declared = pointer::push(at, status);
        let target = doc.deref(&declared).map(|(t, _)| t);
        let content = target
            .as_deref()
            .map(|t| content(doc, &pointer::push(t, "content")))
            .unwrap_or_default();
        out.push(Response {
            status: status.clone(),
            pointer: declared,
            target,
            content,
        });
    }
    out
}

fn content(doc: &Document, at: &str) -> Vec<MediaType> {
    doc.get(at)
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(media_type, body)| {
            let media = pointer::push(at, media_type);
            let examples_at = pointer::push(&media, "examples");
            MediaType {
                media_type: media_type.clone(),
                schema: body.get("schema").map(|_| pointer::push(&media, "schema")),
                example: body
                    .get("example")
                    .map(|_| pointer::push(&media, "example")),
                examples: body
                    .get("examples")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .map(|(name, _)| (name.clone(), pointer::push(&examples_at, name)))
                    .collect(),
                pointer: media,
            }
        })
        .collect()
}

impl Document {
    /// Every operation of the document, in document order, read once and kept.
    pub fn operations(&self) -> &[Operation] {
        self.operations.get_or_init(|| read(self))
    }

    /// The operation with this `operationId`.
    pub fn operation(&self, operation_id: &str) -> Option<&Operation> {
        self.operations()
            .iter()
            .find(|o| o.operation_id.as_deref() == Some(operation_id))
    }

    /// The operation a JSON pointer lies in, if it lies in one.
    pub fn operation_at(&self, at: &str) -> Option<&Operation> {
        self.operations().iter().find(|o| {
            at.strip_prefix(o.pointer.as_str())
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r##"
openapi: 3.0.3
security: [{bearer: []}]
paths:
  /things/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {$ref: "#/components/parameters/Limit"}
    get:
      operationId: getThing
      summary: Read a thing
      parameters:
        - {name: limit, in: query, schema: {type: integer, minimum: 5}}
        - {name: x, in: header}
        - {name: x, in: header}
      responses:
        "200":
          description: ok
          content:
            application/json; charset=utf-8:
              schema: {type: object}
              examples:
                one: {$ref: "#/components/examples/One"}
        "4XX": {$ref: "#/components/responses/Oops"}
    post:
      security: []
      requestBody: {$ref: "#/components/requestBodies/Thing"}
      responses:
        "204": {description: done}
  /open:
    get:
      operationId: open
      security: [{}, {bearer: []}]
components:
  parameters:
    Limit: {name: limit, in: query, schema: {type: integer}}
  examples:
    One: {value: {n: 1}}
  requestBodies:
    Thing:
      required: true
      content:
        application/x-www-form-urlencoded: {schema: {type: object}}
  responses:
    Oops:
      description: bad
      content:
        application/problem+json: {schema: {type: object}, example: {title: x}}
"##;

    #[test]
    fn operations_are_read_once_with_merged_parameters() {
        let doc = Document::parse("t.yaml", SPEC).ok().unwrap();
        let ops = doc.operations();
        assert_eq!(ops.len(), 3);
        let get = &ops[0];
        assert_eq!(get.name, "getThing");
        assert_eq!(get.method, "get");
        assert_eq!(get.summary.as_deref(), Some("Read a thing"));
        assert_eq!(get.location, Location { line: 9, column: 5 });
        let merged: Vec<(&str, &str, bool)> = get
            .parameters
            .iter()
            .map(|p| (p.name.as_str(), p.location.as_str(), p.required))
            .collect();
        // The operation's `limit` overrides the path item's.
        assert_eq!(
            merged,
            [
                ("id", "path", true),
                ("limit", "query", false),
                ("x", "header", false)
            ]
        );
        assert_eq!(
            get.parameters[1].schema.as_deref(),
            Some("/paths/~1things~1{id}/get/parameters/0/schema")
        );
        assert_eq!(get.duplicate_parameters.len(), 1);
        assert!(get.needs_token);
        assert_eq!(get.responses.len(), 2);
        assert!(get.responses[0].is_success() && !get.responses[0].is_reference());
        let json = get.responses[0].json().unwrap();
        assert_eq!(json.first_example(&doc), Some(&serde_json::json!({"n": 1})));
        let oops = &get.responses[1];
        assert!(oops.is_error() && oops.is_reference() && oops.covers(404) && !oops.covers(500));
        assert_eq!(oops.target.as_deref(), Some("/components/responses/Oops"));
        assert!(oops.json().is_some());

        let post = &ops[1];
        assert_eq!(post.name, "POST /things/{id}");
        assert!(!post.needs_token);
        let body = post.request_body.as_ref().unwrap();
        assert!(body.required && body.is_reference());
        assert_eq!(
            body.content[0].media_type,
            "application/x-www-form-urlencoded"
        );
        // The path item's `limit` applies where the operation does not override it.
        assert!(post.parameters[1].is_reference());

        assert!(
            !ops[2].needs_token,
            "an empty requirement allows anonymous requests"
        );
        assert!(ops[2].responses_pointer.is_none());
        assert_eq!(
            doc.operation_at("/paths/~1things~1{id}/get/responses/200")
                .map(|o| &o.name),
            Some(&"getThing".to_string())
        );
        assert!(doc.operation_at("/paths/~1things~1{id}/getter").is_none());
        assert_eq!(
            doc.operation("open").map(|o| o.path.as_str()),
            Some("/open")
        );
    }
}
