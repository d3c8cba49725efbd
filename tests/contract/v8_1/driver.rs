//! What runs a case of the table: a wiremock server that expects each request of the case once
//! and gives it the answer the document gives.
//!
//! A case says of each request only what the document cannot: the values it is sent with (the
//! query, the body, a path parameter other than its documented example) and which documented
//! answer it gets, by status and, where that answer has several examples, by name. The rest is
//! read from `openapi-v8.1.yaml` through `vbazure_spec`'s model of its operations: the method,
//! the path template and its parameters' examples, that the status is documented, the body of
//! the example and its media type (`application/json` as the appliance writes it, with
//! `charset=utf-8`; `application/problem+json` as is), and the request body's examples and
//! media type.

use serde::de::DeserializeOwned;
use serde_json::Value;
use vbazure::v8_1::Client;
use vbazure_spec::{pointer, Document, MediaType, Operation, ParameterIn, Response};
use wiremock::matchers::{header, method, path};
use wiremock::{Match, Mock, MockServer, Request, ResponseTemplate};

use crate::support::{anonymous, form_fields, has_no_body, query_is, spec_v8_1};

/// Which answer a request gets.
enum Answer {
    /// The answer the operation documents for `status` (its own or its range's), with its
    /// example `example` (`None`: its only example, or no body when it has none).
    Documented {
        status: u16,
        example: Option<&'static str>,
    },
    /// A status the operation does not document, with the body of its `body_of` answer.
    Undocumented { status: u16, body_of: u16 },
}

/// One request of a case, as the server expects it (exactly once), and its answer.
pub(super) struct Exchange {
    answer: Answer,
    /// Path parameters sent with another value than their documented example.
    path_values: Vec<(&'static str, String)>,
    /// Whether the `Content-Type` must be the one the document gives the request body.
    documented_content_type: bool,
    matchers: Vec<Box<dyn Match>>,
    name: Option<&'static str>,
}

impl Exchange {
    fn new(answer: Answer) -> Self {
        Self {
            answer,
            path_values: Vec::new(),
            documented_content_type: false,
            matchers: Vec::new(),
            name: None,
        }
    }

    /// Answered with the documented answer of `status`: its only example, or no body.
    pub(super) fn answered(status: u16) -> Self {
        Self::new(Answer::Documented {
            status,
            example: None,
        })
    }

    /// Answered with the example named `example` of the documented answer of `status`.
    pub(super) fn answered_with(status: u16, example: &'static str) -> Self {
        Self::new(Answer::Documented {
            status,
            example: Some(example),
        })
    }

    /// Answered with `status`, which the operation must not document, and the body of its
    /// documented `body_of` answer.
    pub(super) fn undocumented(status: u16, body_of: u16) -> Self {
        Self::new(Answer::Undocumented { status, body_of })
    }

    /// Sent with `value` for the path parameter `name` instead of its documented example.
    pub(super) fn at(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.path_values.push((name, value.into()));
        self
    }

    /// Named `name` in wiremock's report of an unmet expectation.
    pub(super) fn named(mut self, name: &'static str) -> Self {
        self.name = Some(name);
        self
    }

    /// The request must also satisfy `matcher`.
    pub(super) fn and(mut self, matcher: impl Match + 'static) -> Self {
        self.matchers.push(Box::new(matcher));
        self
    }

    /// Sent without a query string.
    pub(super) fn no_query(self) -> Self {
        self.and(|request: &Request| request.url.query().is_none())
    }

    /// Sent with exactly these query pairs (in any order; a repeated key once per value).
    pub(super) fn query(self, pairs: &[(&str, &str)]) -> Self {
        self.and(query_is(pairs))
    }

    /// Sent without a body.
    pub(super) fn no_body(self) -> Self {
        self.and(has_no_body)
    }

    /// Sent without a token.
    pub(super) fn anonymous(self) -> Self {
        self.and(anonymous)
    }

    /// Sent with this header.
    pub(super) fn header(self, name: &'static str, value: &'static str) -> Self {
        self.and(header(name, value))
    }

    /// Sent with the `Content-Type` the document gives the operation's request body.
    pub(super) fn documented_content_type(mut self) -> Self {
        self.documented_content_type = true;
        self
    }

    /// Sent with a form of exactly these fields.
    pub(super) fn form(self, fields: &[(&str, &str)]) -> Self {
        let mut expected: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        expected.sort();
        self.and(move |request: &Request| form_fields(request) == expected)
    }

    /// Sent with a form that has this field (among others).
    pub(super) fn form_with(self, field: &'static str, value: &'static str) -> Self {
        let field = (field.to_string(), value.to_string());
        self.and(move |request: &Request| form_fields(request).contains(&field))
    }

    /// Sent with a JSON body equal to `body`.
    pub(super) fn json(self, body: Value) -> Self {
        self.and(move |request: &Request| {
            serde_json::from_slice::<Value>(&request.body).ok().as_ref() == Some(&body)
        })
    }

    /// The mock of this exchange for `operation`, and the body it answers with.
    fn mock(self, operation: &Operation) -> (Mock, Option<Value>) {
        let doc = spec_v8_1();
        let (template, body) = self.answer.of(doc, operation);
        let mut builder = Mock::given(method(operation.method.to_ascii_uppercase()))
            .and(path(self.path(doc, operation)));
        if self.documented_content_type {
            let media_type = request_media(operation).media_type.clone();
            builder = builder.and(header("content-type", media_type.as_str()));
        }
        for matcher in self.matchers {
            builder = builder.and(move |request: &Request| matcher.matches(request));
        }
        let mut mock = builder.respond_with(template);
        if let Some(name) = self.name {
            mock = mock.named(name);
        }
        (mock.expect(1), body)
    }

    /// The operation's path template with each path parameter's value: the one the case
    /// gives, else the parameter's documented example.
    fn path(&self, doc: &Document, operation: &Operation) -> String {
        let in_path: Vec<_> = operation
            .parameters
            .iter()
            .filter(|p| p.location == ParameterIn::Path)
            .collect();
        for (name, _) in &self.path_values {
            assert!(
                in_path.iter().any(|p| p.name == *name),
                "{} has no path parameter {name}",
                operation.name
            );
        }
        let mut path = operation.path.clone();
        for parameter in in_path {
            let value = match self.path_values.iter().find(|(n, _)| *n == parameter.name) {
                Some((_, value)) => value.clone(),
                None => doc
                    .get(&pointer::push(&parameter.target, "example"))
                    .and_then(Value::as_str)
                    .unwrap_or_else(|| {
                        panic!("{}'s {} has no example", operation.name, parameter.name)
                    })
                    .to_string(),
            };
            path = path.replace(&format!("{{{}}}", parameter.name), &value);
        }
        path
    }
}

impl Answer {
    /// The answer as wiremock sends it, and its body.
    fn of(&self, doc: &Document, operation: &Operation) -> (ResponseTemplate, Option<Value>) {
        let (status, documented_as, example) = match *self {
            Self::Documented { status, example } => (status, status, example),
            Self::Undocumented { status, body_of } => {
                assert!(
                    documented(operation, status).is_none(),
                    "{} documents {status}: an undocumented status is another one",
                    operation.name
                );
                (status, body_of, None)
            }
        };
        let response = documented(operation, documented_as)
            .unwrap_or_else(|| panic!("{} documents no {documented_as} answer", operation.name));
        if response.content.is_empty() {
            assert!(
                example.is_none(),
                "{}'s {documented_as} has no body, so no example {example:?}",
                operation.name
            );
            return (ResponseTemplate::new(status), None);
        }
        let media = response
            .json()
            .unwrap_or_else(|| panic!("{}'s {documented_as} has no JSON body", operation.name));
        let what = format!("{}'s {documented_as}", operation.name);
        let body = example_of(doc, media, example, &what).clone();
        let template = if media.essence() == "application/json" {
            crate::support::json(status, &body)
        } else {
            ResponseTemplate::new(status).set_body_raw(body.to_string(), &media.media_type)
        };
        (template, Some(body))
    }
}

/// The answer `operation` documents for `status`: the one of that code, else its range's.
fn documented(operation: &Operation, status: u16) -> Option<&Response> {
    let code = status.to_string();
    let responses = &operation.responses;
    responses
        .iter()
        .find(|r| r.status == code)
        .or_else(|| responses.iter().find(|r| r.covers(status)))
}

/// The example of `media` named `example`; `None` takes its only one.
fn example_of<'a>(
    doc: &'a Document,
    media: &MediaType,
    example: Option<&str>,
    what: &str,
) -> &'a Value {
    let found = match example {
        Some(name) => media
            .examples
            .iter()
            .find(|(key, _)| key == name)
            .and_then(|(_, at)| doc.deref(at))
            .and_then(|(_, entry)| entry.get("value")),
        None => {
            let count = media.examples.len() + usize::from(media.example.is_some());
            assert!(
                count <= 1,
                "{what} has {count} examples: name the one meant"
            );
            media.first_example(doc)
        }
    };
    found.unwrap_or_else(|| panic!("{what} has no example {example:?}"))
}

/// The operation `operation_id` of `openapi-v8.1.yaml`.
fn operation(operation_id: &str) -> &'static Operation {
    spec_v8_1()
        .operation(operation_id)
        .unwrap_or_else(|| panic!("openapi-v8.1.yaml has no operation {operation_id}"))
}

/// The one media type of `operation`'s request body.
fn request_media(operation: &Operation) -> &MediaType {
    let content = operation
        .request_body
        .as_ref()
        .map(|body| body.content.as_slice())
        .unwrap_or_default();
    match content {
        [media] => media,
        _ => panic!("{} takes no body of one media type", operation.name),
    }
}

/// The example named `example` (`None`: its only one) of `operation_id`'s request body.
pub(super) fn request_example(operation_id: &str, example: Option<&str>) -> Value {
    let operation = operation(operation_id);
    let what = format!("{}'s request body", operation.name);
    example_of(spec_v8_1(), request_media(operation), example, &what).clone()
}

/// A case's server, mounted with its exchanges, and what it answers them with.
pub(super) struct Contract {
    operation: &'static Operation,
    /// Checks on drop that each exchange was requested exactly once.
    server: MockServer,
    answers: Vec<Option<Value>>,
}

impl Contract {
    /// A server expecting `exchanges`, each a request of the operation `operation_id`.
    pub(super) async fn serve(
        operation_id: &str,
        exchanges: impl IntoIterator<Item = Exchange>,
    ) -> Self {
        let operation = operation(operation_id);
        let server = MockServer::start().await;
        let mut answers = Vec::new();
        for exchange in exchanges {
            let (mock, answer) = exchange.mock(operation);
            mock.mount(&server).await;
            answers.push(answer);
        }
        Self {
            operation,
            server,
            answers,
        }
    }

    /// The raw v8.1 client for the server, with no credentials: `ClientState::default()`
    /// sends no token (bearer and login behaviour are tested elsewhere).
    pub(super) fn client(&self) -> Client {
        // `reqwest::Client::new()` needs the crypto provider this crate installs.
        vbazure::ensure_crypto_provider();
        Client::new_with_client(
            &self.server.uri(),
            reqwest::Client::new(),
            vbazure::ClientState::default(),
        )
    }

    /// The body the `n`th exchange (from 0) is answered with, decoded into `T`: what the
    /// client's decoded answer must equal.
    pub(super) fn answer<T: DeserializeOwned>(&self, n: usize) -> T {
        let body = self.answers[n]
            .clone()
            .unwrap_or_else(|| panic!("exchange {n} is answered without a body"));
        serde_json::from_value(body).unwrap_or_else(|e| panic!("answer {n} does not decode: {e}"))
    }

    /// The operation's request body example named `example` (`None`: its only one), decoded.
    pub(super) fn request<T: DeserializeOwned>(&self, example: Option<&str>) -> T {
        let operation_id = self.operation.operation_id.as_deref().unwrap_or_default();
        serde_json::from_value(request_example(operation_id, example))
            .unwrap_or_else(|e| panic!("the request example {example:?} does not decode: {e}"))
    }
}
