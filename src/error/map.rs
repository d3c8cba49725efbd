//! From what progenitor reports to [`Error`]: reads error bodies (bounded), recognises problem
//! details, and classifies by status.

use std::sync::Arc;

use futures_util::StreamExt;
use progenitor_client::{ByteStream, Error as GeneratedError};
use reqwest::header::{HeaderMap, CONTENT_TYPE};

use super::transport::{cut_off, transport, SecretBodyMismatch};
use super::{ErrorResponse, BODY_EXCERPT_LIMIT};
use crate::operations;
use crate::types::ProblemDetails;
use crate::{Error, ErrorKind};

/// How much of an error body is read: enough for any problem details, bounded against a
/// server that streams without end.
const ERROR_BODY_LIMIT: usize = 64 * 1024;

/// What the hooks learnt during one call.
#[derive(Debug, Default)]
pub(crate) struct Observed {
    /// Status and content type of the last response received.
    pub response: Option<(u16, Option<String>)>,
    /// An authentication failure that stopped the request before it was sent.
    pub auth_error: Option<Error>,
}

/// The error a generated call ended in, named after `operation`, with what the hooks saw.
pub(crate) async fn map_error(
    operation: &'static str,
    error: GeneratedError<ByteStream>,
    mut observed: Observed,
) -> Error {
    let kind = match error {
        GeneratedError::InvalidRequest(message) => ErrorKind::InvalidRequest { message },
        GeneratedError::Custom(message) => match observed.auth_error.take() {
            Some(auth) => return auth,
            None => ErrorKind::InvalidRequest { message },
        },
        GeneratedError::CommunicationError(e) | GeneratedError::InvalidUpgrade(e) => transport(e),
        GeneratedError::ResponseBodyError(e) => cut_off(e),
        GeneratedError::ErrorResponse(value) => {
            let status = value.status().as_u16();
            let headers = value.headers().clone();
            let body = read_bounded(value.into_inner()).await;
            classify(operation, status, &headers, &body)
        }
        GeneratedError::UnexpectedResponse(response) => {
            let status = response.status().as_u16();
            let headers = response.headers().clone();
            let body = read_bounded(ByteStream::new(Box::pin(response.bytes_stream()))).await;
            ErrorKind::UnexpectedResponse {
                response: summary(operation, status, &headers, &body),
                reason: Some(format!(
                    "the API documents no status {status} for this operation"
                )),
                source: None,
            }
        }
        GeneratedError::InvalidResponsePayload(bytes, e) => {
            let (status, content_type) = observed.response.take().unwrap_or((200, None));
            let (reason, source): (String, Option<crate::Cause>) = if bytes.is_empty() {
                ("the body is empty".to_string(), Some(Arc::new(e)))
            } else if has_secret_bodies(operation) {
                // serde quotes offending values, and this body holds secrets.
                let mismatch = SecretBodyMismatch {
                    line: e.line(),
                    column: e.column(),
                };
                (mismatch.to_string(), Some(Arc::new(mismatch)))
            } else {
                (
                    format!("the body does not match the documented schema: {e}"),
                    Some(Arc::new(e)),
                )
            };
            ErrorKind::UnexpectedResponse {
                response: ErrorResponse {
                    status,
                    content_type,
                    problem: None,
                    body_excerpt: excerpt(operation, &bytes),
                },
                reason: Some(reason),
                source,
            }
        }
    };
    Error::new(operation, kind)
}

/// The kind of an error status, from the status and the body.
pub(crate) fn classify(
    operation: &'static str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> ErrorKind {
    let response = summary(operation, status, headers, body);
    match status {
        401 => ErrorKind::Unauthorized(response),
        403 => ErrorKind::Forbidden(response),
        404 => ErrorKind::NotFound(response),
        409 | 423 => ErrorKind::Conflict(response),
        429 => ErrorKind::Throttled {
            response,
            retry_after: super::retry_after(headers, std::time::SystemTime::now()),
        },
        _ if response.problem.is_some() => ErrorKind::Api(response),
        _ => ErrorKind::UnexpectedResponse {
            response,
            reason: None,
            source: None,
        },
    }
}

fn summary(
    operation: &'static str,
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
) -> ErrorResponse {
    ErrorResponse {
        status,
        content_type: headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        problem: problem_details(body),
        body_excerpt: excerpt(operation, body),
    }
}

/// Problem details, when the body is a JSON object with at least one of their members.
fn problem_details(body: &[u8]) -> Option<ProblemDetails> {
    let problem: ProblemDetails = serde_json::from_slice(body).ok()?;
    let any = problem.title.is_some()
        || problem.detail.is_some()
        || problem.type_.is_some()
        || problem.status.is_some()
        || problem.errors.is_some();
    any.then_some(problem)
}

/// Whether the spec says the operation's bodies hold secrets; an operation the facts do not
/// know is taken to, so that nothing is quoted by mistake.
fn has_secret_bodies(operation: &str) -> bool {
    operations::by_id(operation).is_none_or(|facts| facts.secret_bodies)
}

/// The start of a body for people to read; nothing of an operation whose bodies hold secrets.
fn excerpt(operation: &'static str, body: &[u8]) -> String {
    if has_secret_bodies(operation) {
        return String::new();
    }
    let mut end = body.len().min(BODY_EXCERPT_LIMIT);
    // Do not cut a character in two at the limit.
    if let Err(e) = std::str::from_utf8(&body[..end]) {
        if e.error_len().is_none() {
            end = e.valid_up_to();
        }
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

async fn read_bounded(stream: ByteStream) -> Vec<u8> {
    let mut stream = stream.into_inner();
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        // A body cut off midway still tells something: keep what arrived.
        let Ok(chunk) = chunk else { break };
        body.extend_from_slice(&chunk);
        if body.len() >= ERROR_BODY_LIMIT {
            body.truncate(ERROR_BODY_LIMIT);
            break;
        }
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_are_bounded_and_token_bodies_withheld() {
        let long = "é".repeat(400);
        let cut = excerpt(operations::v1::GET_JOB_SESSION, long.as_bytes());
        assert!(
            cut.len() <= BODY_EXCERPT_LIMIT && !cut.contains('\u{FFFD}'),
            "{cut}"
        );
        let token = b"{\"access_token\": \"secret\"}";
        assert_eq!(excerpt(operations::v1::CREATE_TOKEN, token), "");
        assert_eq!(excerpt("notAnOperation", token), "", "unknown: withheld");
    }

    #[test]
    fn statuses_and_bodies_are_classified() {
        let h = HeaderMap::new();
        let problem = br#"{"title": "Conflict", "status": 409, "traceId": "t-1"}"#;
        assert!(
            matches!(classify("x", 409, &h, problem), ErrorKind::Conflict(r) if r.problem.is_some())
        );
        assert!(matches!(classify("x", 500, &h, problem), ErrorKind::Api(_)));
        assert!(matches!(
            classify("x", 500, &h, b"<html>oops</html>"),
            ErrorKind::UnexpectedResponse { .. }
        ));
        assert!(
            matches!(classify("x", 401, &h, b""), ErrorKind::Unauthorized(r) if r.problem.is_none())
        );
        assert!(problem_details(b"{}").is_none());
        assert!(problem_details(b"[1]").is_none());
    }
}
