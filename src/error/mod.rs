//! The one error type of the client: what went wrong, in which operation, in kinds a caller can
//! match on, with the cause underneath.
//!
//! `kind` says what can go wrong, `response` what is kept of an error answer, `map` how what
//! progenitor reports becomes an [`Error`] (the call itself is made by `transport::send`), and `transport` how a failure of the HTTP client
//! does (TLS failures recognised by type).

mod kind;
mod map;
mod response;
mod transport;

use std::fmt;

pub use kind::{Cause, ErrorKind};
pub(crate) use map::{map_error, Observed};
pub(crate) use response::retry_after;
pub use response::{ErrorResponse, BODY_EXCERPT_LIMIT};
pub(crate) use transport::transport as transport_kind;

use crate::types::ProblemDetails;

/// An error of one operation against the appliance.
///
/// `Display` gives one line that names the operation, what happened and, when the appliance
/// said why, its words. [`source`](std::error::Error::source) gives the error underneath (of
/// the HTTP client, of decoding), for the kinds that have one. No message ever contains a
/// password or token.
///
/// Cloning is cheap: the cause is shared.
#[derive(Clone, Debug)]
pub struct Error {
    operation: &'static str,
    // Boxed: problem details make the kind large, and errors travel in every `Result`.
    kind: Box<ErrorKind>,
}

impl Error {
    pub(crate) fn new(operation: &'static str, kind: ErrorKind) -> Self {
        Self {
            operation,
            kind: Box::new(kind),
        }
    }

    /// The error a stream of items gives for one item of a page that does not decode
    /// ([`ErrorKind::UndecodableItem`]), for callers reading pages themselves.
    pub fn undecodable_item(operation: &'static str, item: crate::UndecodableItem) -> Self {
        Self::new(
            operation,
            ErrorKind::UndecodableItem {
                id: item.id(),
                reason: item.reason,
            },
        )
    }

    /// The spec's `operationId` of the operation that failed (`deleteBackups`, ...; the
    /// constants of [`crate::operations`]).
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
    pub fn response(&self) -> Option<&ErrorResponse> {
        self.kind.response()
    }

    /// The problem details the appliance sent, if any.
    pub fn problem(&self) -> Option<&ProblemDetails> {
        self.response().and_then(|r| r.problem.as_ref())
    }

    /// Whether the appliance answered 423 (Locked): for the removal of a restore point, the
    /// point is immutable until its [`immutable_until`](crate::RestorePoint::immutable_until)
    /// and nothing was removed. Its kind is [`ErrorKind::Conflict`], as a 409's is.
    pub fn is_locked(&self) -> bool {
        matches!(&*self.kind, ErrorKind::Conflict(response) if response.status == 423)
    }

    /// Whether the request never reached the appliance or its answer was lost: connection
    /// failures (TLS included) and timeouts.
    pub fn is_transport(&self) -> bool {
        matches!(
            *self.kind,
            ErrorKind::Connect { .. }
                | ErrorKind::Tls { .. }
                | ErrorKind::Timeout { .. }
                | ErrorKind::Transport { .. }
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.operation, self.kind)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.cause()
    }
}
