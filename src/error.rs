//! The one error type of the client: what went wrong, in which operation, in kinds a caller can
//! match on.

use std::fmt;
use std::time::Duration;

use crate::types::ProblemDetails;

/// The most bytes of a response body an error keeps, for a person to read.
pub const BODY_EXCERPT_LIMIT: usize = 300;

/// An error of one operation against the appliance.
///
/// `Display` gives one line that names the operation, what happened and, when the appliance
/// said why, its words. No message ever contains a password or token.
#[derive(Debug)]
pub struct Error {
    operation: &'static str,
    // Boxed: problem details make the kind large, and errors travel in every `Result`.
    kind: Box<ErrorKind>,
}

/// What went wrong.
#[derive(Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No connection could be made (refused, unreachable, DNS, TLS handshake).
    Connect {
        /// What the transport said.
        message: String,
    },
    /// The connect or request timeout passed before the appliance answered.
    Timeout,
    /// The connection failed after it was made (closed mid-response, reset).
    Transport {
        /// What the transport said.
        message: String,
    },
    /// The request was not sent because it cannot be expressed (an id that would change the
    /// path, a value the client cannot encode).
    InvalidRequest {
        /// Why.
        message: String,
    },
    /// 401: the token or the credentials were rejected.
    Unauthorized(Response),
    /// 403: the account may not do this.
    Forbidden(Response),
    /// 404: the VM, session or path does not exist.
    NotFound(Response),
    /// 409 or 423: the resource is busy or in a state that forbids this.
    Conflict(Response),
    /// 429: too many requests; `retry_after` is what the appliance asked for, if anything.
    Throttled {
        /// The answer.
        response: Response,
        /// The `Retry-After` the appliance sent.
        retry_after: Option<Duration>,
    },
    /// Any other error status with a problem-details body.
    Api(Response),
    /// An answer the API does not document: an undeclared status, an error without problem
    /// details (an HTML page from a proxy), or a success body that does not decode.
    UnexpectedResponse {
        /// The answer.
        response: Response,
        /// Why it could not be used, when that is more than its status.
        reason: Option<String>,
    },
    /// `wait` reached its deadline; the session goes on running on the appliance.
    StillRunning {
        /// The session waited on.
        session_id: String,
        /// Its last known state.
        status: crate::SessionStatus,
        /// How long the wait lasted.
        waited: Duration,
    },
    /// Paging stopped because the appliance sent a page of sessions already seen.
    RepeatedPage {
        /// The offset asked for.
        offset: u64,
    },
}

/// The parts of an error answer worth keeping.
#[derive(Clone, Debug, Default)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` of the answer, if it had one.
    pub content_type: Option<String>,
    /// The problem details, when the body was one.
    pub problem: Option<ProblemDetails>,
    /// At most [`BODY_EXCERPT_LIMIT`] bytes of the body, lossily decoded (withheld for the
    /// token operation, whose body holds secrets).
    pub body_excerpt: String,
}

impl Error {
    pub(crate) fn new(operation: &'static str, kind: ErrorKind) -> Self {
        Self {
            operation,
            kind: Box::new(kind),
        }
    }

    /// The spec's `operationId` of the operation that failed (`deleteBackups`, ...).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// What went wrong.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }

    /// Consumes the error, giving what went wrong.
    pub fn into_kind(self) -> ErrorKind {
        *self.kind
    }

    /// The HTTP status of the answer, if there was one.
    pub fn status(&self) -> Option<u16> {
        self.response().map(|r| r.status)
    }

    /// The appliance's answer, for errors that had one.
    pub fn response(&self) -> Option<&Response> {
        match self.kind.as_ref() {
            ErrorKind::Unauthorized(r)
            | ErrorKind::Forbidden(r)
            | ErrorKind::NotFound(r)
            | ErrorKind::Conflict(r)
            | ErrorKind::Api(r)
            | ErrorKind::Throttled { response: r, .. }
            | ErrorKind::UnexpectedResponse { response: r, .. } => Some(r),
            _ => None,
        }
    }

    /// The problem details the appliance sent, if any.
    pub fn problem(&self) -> Option<&ProblemDetails> {
        self.response().and_then(|r| r.problem.as_ref())
    }

    /// Whether the request never reached the appliance or its answer was lost: connection
    /// failures and timeouts.
    pub fn is_transport(&self) -> bool {
        matches!(
            *self.kind,
            ErrorKind::Connect { .. } | ErrorKind::Timeout | ErrorKind::Transport { .. }
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.operation)?;
        match self.kind.as_ref() {
            ErrorKind::Connect { message } => write!(f, "cannot connect to the appliance: {message}"),
            ErrorKind::Timeout => f.write_str("the appliance did not answer in time"),
            ErrorKind::Transport { message } => write!(f, "the connection failed: {message}"),
            ErrorKind::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            ErrorKind::Unauthorized(r) => write!(f, "unauthorized{r}"),
            ErrorKind::Forbidden(r) => write!(f, "forbidden{r}"),
            ErrorKind::NotFound(r) => write!(f, "not found{r}"),
            ErrorKind::Conflict(r) => write!(f, "conflict{r}"),
            ErrorKind::Throttled { response, retry_after } => {
                write!(f, "too many requests{response}")?;
                match retry_after {
                    Some(after) => write!(f, " (the appliance asks to retry after {}s)", after.as_secs()),
                    None => Ok(()),
                }
            }
            ErrorKind::Api(r) => write!(f, "the appliance refused the request{r}"),
            ErrorKind::UnexpectedResponse { response, reason } => {
                write!(f, "unexpected answer{response}")?;
                if let Some(reason) = reason {
                    write!(f, ": {reason}")?;
                }
                if !response.body_excerpt.is_empty() && response.problem.is_none() {
                    write!(f, "; body starts: {:?}", response.body_excerpt)?;
                }
                Ok(())
            }
            ErrorKind::StillRunning { session_id, status, waited } => write!(
                f,
                "session {session_id} is still running on the appliance (status {status}) after waiting {}s; \
                 it goes on running: wait again or stop it",
                waited.as_secs()
            ),
            ErrorKind::RepeatedPage { offset } => write!(
                f,
                "the appliance answered the page at offset {offset} with sessions already seen; paging stopped"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// ` (404 application/problem+json): Not Found: Job session 9999 was not found. [trace 00-…]`
impl fmt::Display for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " ({}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, " {content_type}")?;
        }
        f.write_str(")")?;
        if let Some(problem) = &self.problem {
            let words: Vec<&str> = [&problem.title, &problem.detail]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            if !words.is_empty() {
                write!(f, ": {}", words.join(": "))?;
            }
            if let Some(errors) = &problem.errors {
                for (field, messages) in errors {
                    write!(f, "; {field}: {}", messages.join(" "))?;
                }
            }
            if let Some(trace) = &problem.trace_id {
                write!(f, " [trace {trace}]")?;
            }
        }
        Ok(())
    }
}
