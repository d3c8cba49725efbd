//! Answers, and the problem-details bodies the API uses for errors.

use std::collections::BTreeMap;

use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde_json::{json, Value};

/// What a path segment may not carry unescaped (the RFC 3986 path-segment rule, less `%`
/// so that a literal percent sign is escaped too).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// `text` as one path segment of a link: a VM id given on the command line may hold `/`.
pub(crate) fn segment(text: &str) -> String {
    utf8_percent_encode(text, SEGMENT).to_string()
}

/// `text` as a query value of a link.
pub(crate) fn query_value(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// An answer before it is turned into HTTP.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
}

pub(crate) const JSON: &str = "application/json; charset=utf-8";
pub(crate) const PROBLEM: &str = "application/problem+json; charset=utf-8";

impl Reply {
    pub(crate) fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            body: Some(body),
            content_type: JSON,
            headers: Vec::new(),
        }
    }

    pub(crate) fn empty(status: u16) -> Self {
        Self {
            status,
            body: None,
            content_type: JSON,
            headers: Vec::new(),
        }
    }

    pub(crate) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }

    /// An RFC 7807 problem, as the appliance writes one.
    pub(crate) fn problem(status: u16, detail: impl Into<String>) -> Self {
        Self::problem_with_errors(status, detail, None)
    }

    /// A 404 problem about the resource at `instance` (the request's path).
    pub(crate) fn not_found(detail: impl Into<String>, instance: &str) -> Self {
        let mut reply = Self::problem(404, detail);
        if let Some(body) = reply.body.as_mut() {
            body["instance"] = json!(instance);
        }
        reply
    }

    /// A 400 problem with an `errors` map from field to messages.
    pub(crate) fn validation(errors: BTreeMap<String, Vec<String>>) -> Self {
        Self::problem_with_errors(400, "One or more fields are not valid.", Some(errors))
    }

    fn problem_with_errors(
        status: u16,
        detail: impl Into<String>,
        errors: Option<BTreeMap<String, Vec<String>>>,
    ) -> Self {
        let (title, section) = match status {
            400 => (
                "One or more validation errors occurred.",
                "rfc7231#section-6.5.1",
            ),
            401 => ("Unauthorized", "rfc7235#section-3.1"),
            403 => ("Forbidden", "rfc7231#section-6.5.3"),
            404 => ("Not Found", "rfc7231#section-6.5.4"),
            405 => ("Method Not Allowed", "rfc7231#section-6.5.5"),
            409 => ("Conflict", "rfc7231#section-6.5.8"),
            413 => ("Payload Too Large", "rfc7231#section-6.5.11"),
            415 => ("Unsupported Media Type", "rfc7231#section-6.5.13"),
            423 => ("Locked", "rfc4918#section-11.3"),
            429 => ("Too Many Requests", "rfc6585#section-4"),
            500 => (
                "An error occurred while processing your request.",
                "rfc7231#section-6.6.1",
            ),
            503 => ("Service Unavailable", "rfc7231#section-6.6.4"),
            _ => ("Error", "rfc7231#section-6"),
        };
        let mut body = json!({
            "type": format!("https://tools.ietf.org/html/{section}"),
            "title": title,
            "status": status,
            "detail": detail.into(),
        });
        // The vendor's v8.1 document gives 401 and 403 problems no `traceId` and allows no
        // member it does not list; every other status's problem has one.
        if !matches!(status, 401 | 403) {
            body["traceId"] = json!(format!(
                "00-{:032x}-{:016x}-00",
                fastrand::u128(..),
                fastrand::u64(..)
            ));
        }
        if let Some(errors) = errors {
            body["errors"] = json!(errors);
        }
        Self {
            status,
            body: Some(body),
            content_type: PROBLEM,
            headers: Vec::new(),
        }
    }
}
