//! What can go wrong, and how each is said in one line.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use vbazure_spec::ApiVersion;

use super::ErrorResponse;

/// The error underneath an [`ErrorKind`]: what the HTTP client or the decoder reported, as
/// [`std::error::Error::source`] gives it. Shared rather than boxed, so that one failure can be
/// handed to several callers: a failed token renewal is the error of every request that waited
/// for it. URLs are taken out of it, and nothing in it holds a secret.
pub type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// What went wrong.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ErrorKind {
    /// No connection could be made (refused, unreachable, DNS).
    #[non_exhaustive]
    Connect {
        /// What the transport said.
        message: String,
        /// The HTTP client's error.
        source: Cause,
    },
    /// The TLS handshake failed: most often the appliance's certificate is not trusted (a
    /// self-signed one whose CA was not given), expired, or for another name.
    #[non_exhaustive]
    Tls {
        /// What the TLS library said.
        message: String,
        /// Whether it was the appliance's certificate that was refused (rather than, say, no
        /// common protocol version).
        invalid_certificate: bool,
        /// The HTTP client's error; the TLS library's error is in its chain.
        source: Cause,
    },
    /// The connect or request timeout passed before the appliance answered.
    #[non_exhaustive]
    Timeout {
        /// The HTTP client's error.
        source: Cause,
    },
    /// The connection failed after it was made (closed mid-response, reset).
    #[non_exhaustive]
    Transport {
        /// What the transport said.
        message: String,
        /// The HTTP client's error.
        source: Cause,
    },
    /// The request was not sent because it cannot be expressed (an id that would change the
    /// path, a value the client cannot encode).
    InvalidRequest {
        /// Why.
        message: String,
    },
    /// 401: the token or the credentials were rejected.
    Unauthorized(ErrorResponse),
    /// 403: the account may not do this.
    Forbidden(ErrorResponse),
    /// 404: the VM, session or path does not exist.
    NotFound(ErrorResponse),
    /// 409 or 423: the resource is busy or in a state that forbids this. A 423 (Locked) is an
    /// immutable restore point the appliance refuses to remove: [`Error::is_locked`](crate::Error::is_locked)
    /// tells it apart.
    Conflict(ErrorResponse),
    /// 429: too many requests; `retry_after` is what the appliance asked for, if anything.
    Throttled {
        /// The answer.
        response: ErrorResponse,
        /// The `Retry-After` the appliance sent.
        retry_after: Option<Duration>,
    },
    /// Any other error status with a problem-details body.
    Api(ErrorResponse),
    /// An answer the API does not document: an undeclared status, an error without problem
    /// details (an HTML page from a proxy), or a success body that does not decode.
    #[non_exhaustive]
    UnexpectedResponse {
        /// The answer.
        response: ErrorResponse,
        /// Why it could not be used, when that is more than its status.
        reason: Option<String>,
        /// The decoder's error, for a body that does not decode (for an operation whose
        /// bodies hold secrets, only where it stopped: the decoder quotes what it read).
        source: Option<Cause>,
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
    /// Paging stopped because the appliance sent a page of items already given.
    RepeatedPage {
        /// The offset asked for.
        offset: u64,
    },
    /// The appliance speaks an API version that lacks this; nothing was sent.
    NotInVersion {
        /// What was asked for (`batch deletion`, `session filters`, ...).
        feature: &'static str,
        /// The version in use.
        version: ApiVersion,
    },
    /// 404 without problem details from a call of the version in use: the server has no such
    /// path, which a wrong API version explains (an appliance that refuses anonymous requests
    /// can be taken for another version). Not a missing VM or session: those come with
    /// problem details and are [`ErrorKind::NotFound`].
    NoSuchPath {
        /// The answer.
        response: ErrorResponse,
        /// The version in use.
        version: ApiVersion,
        /// How that version was chosen (detected from which answers, or chosen when
        /// connecting).
        how: String,
    },
    /// No API version this client speaks is served at the URL.
    NoApiVersion {
        /// What each probe found, for a person to read.
        probes: Vec<String>,
    },
    /// One item of a list does not match the document; the other items were read.
    UndecodableItem {
        /// The item's `id`, when it has one.
        id: Option<String>,
        /// What did not match.
        reason: String,
    },
    /// A VM name that matches no protected VM exactly, or several.
    VmName {
        /// The name asked for.
        name: String,
        /// Several VMs have exactly this name (`candidates` are they); otherwise none has, and
        /// `candidates` are the VMs whose names contain it.
        ambiguous: bool,
        /// As `name (id)`.
        candidates: Vec<String>,
    },
    /// A removal the appliance does not offer for a workload (such as the snapshots of a SQL
    /// database: see [`Removal::offered`](crate::Removal::offered)), or an option it does not
    /// take there (a backup tier); nothing was sent.
    NotOffered {
        /// The workload asked about.
        workload: crate::Workload,
        /// The removal asked for.
        removal: crate::Removal,
        /// What is not offered, when it is an option rather than the removal itself.
        option: Option<&'static str>,
    },
    /// An asynchronous operation ended without the result it was started for.
    OperationFailed {
        /// The operation's identifier.
        operation_id: String,
        /// Its last status.
        status: crate::SessionStatus,
        /// What the appliance said of the failure, if anything.
        detail: Option<String>,
    },
}

impl ErrorKind {
    /// The appliance's answer, for the kinds that had one.
    pub(crate) fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Self::Unauthorized(r)
            | Self::Forbidden(r)
            | Self::NotFound(r)
            | Self::NoSuchPath { response: r, .. }
            | Self::Conflict(r)
            | Self::Api(r)
            | Self::Throttled { response: r, .. }
            | Self::UnexpectedResponse { response: r, .. } => Some(r),
            _ => None,
        }
    }

    /// The error underneath, for the kinds that have one.
    pub(crate) fn cause(&self) -> Option<&(dyn std::error::Error + 'static)> {
        let cause = match self {
            Self::Connect { source, .. }
            | Self::Tls { source, .. }
            | Self::Timeout { source }
            | Self::Transport { source, .. } => source,
            Self::UnexpectedResponse {
                source: Some(source),
                ..
            } => source,
            _ => return None,
        };
        Some(cause.as_ref())
    }
}

/// The part of an [`Error`](crate::Error)'s line after the operation's name.
impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Connect { message, .. } => {
                write!(f, "cannot connect to the appliance: {message}")
            }
            Self::Tls { message, .. } => {
                write!(f, "the TLS handshake with the appliance failed: {message}")
            }
            Self::Timeout { .. } => f.write_str("the appliance did not answer in time"),
            Self::Transport { message, .. } => write!(f, "the connection failed: {message}"),
            Self::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Self::Unauthorized(r) => write!(f, "unauthorized{r}"),
            Self::Forbidden(r) => write!(f, "forbidden{r}"),
            Self::NotFound(r) => write!(f, "not found{r}"),
            Self::Conflict(r) => write!(f, "conflict{r}"),
            Self::Throttled {
                response,
                retry_after,
            } => throttled(f, response, *retry_after),
            Self::Api(r) => write!(f, "the appliance refused the request{r}"),
            Self::UnexpectedResponse {
                response, reason, ..
            } => unexpected(f, response, reason.as_deref()),
            Self::StillRunning {
                session_id,
                status,
                waited,
            } => write!(
                f,
                "session {session_id} is still running on the appliance (status {status}) after \
                 waiting {}s; it goes on running: wait again or stop it",
                waited.as_secs()
            ),
            Self::RepeatedPage { offset } => write!(
                f,
                "the appliance answered the page at offset {offset} with items already given; \
                 paging stopped"
            ),
            Self::NotInVersion { feature, version } => write!(
                f,
                "{feature} is not in API v{version}, which this appliance speaks; nothing was sent"
            ),
            Self::NoSuchPath {
                response,
                version,
                how,
            } => no_such_path(f, response, *version, how),
            Self::NoApiVersion { probes } => write!(
                f,
                "the appliance serves no API version this client speaks ({})",
                probes.join("; ")
            ),
            Self::UndecodableItem { id, reason } => match id {
                Some(id) => write!(f, "item {id} does not match the document: {reason}"),
                None => write!(
                    f,
                    "an item without an id does not match the document: {reason}"
                ),
            },
            Self::VmName {
                name,
                ambiguous,
                candidates,
            } => vm_name(f, name, *ambiguous, candidates),
            Self::NotOffered {
                workload,
                removal,
                option: None,
            } => write!(
                f,
                "the appliance offers no removal of {removal} for {workload}; offered: {}; \
                 nothing was sent",
                offered(*workload)
            ),
            Self::NotOffered {
                workload,
                removal,
                option: Some(option),
            } => write!(
                f,
                "the removal of {removal} for {workload} takes no {option}; nothing was sent"
            ),
            Self::OperationFailed {
                operation_id,
                status,
                detail,
            } => {
                write!(f, "the appliance's operation {operation_id} ended {status}")?;
                match detail {
                    Some(detail) => write!(f, ": {detail}"),
                    None => Ok(()),
                }
            }
        }
    }
}

/// The removals offered for `workload`, as text.
fn offered(workload: crate::Workload) -> String {
    crate::Removal::offered(workload)
        .iter()
        .map(|r| r.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn throttled(
    f: &mut fmt::Formatter<'_>,
    response: &ErrorResponse,
    retry_after: Option<Duration>,
) -> fmt::Result {
    write!(f, "too many requests{response}")?;
    match retry_after {
        Some(after) => write!(
            f,
            " (the appliance asks to retry after {}s)",
            after.as_secs()
        ),
        None => Ok(()),
    }
}

fn unexpected(
    f: &mut fmt::Formatter<'_>,
    response: &ErrorResponse,
    reason: Option<&str>,
) -> fmt::Result {
    write!(f, "unexpected answer{response}")?;
    if let Some(reason) = reason {
        write!(f, ": {reason}")?;
    }
    // A body without problem details says more than the status: its start is shown.
    if !response.body_excerpt.is_empty() && response.problem.is_none() {
        write!(f, "; body starts: {:?}", response.body_excerpt)?;
    }
    Ok(())
}

fn no_such_path(
    f: &mut fmt::Formatter<'_>,
    response: &ErrorResponse,
    version: ApiVersion,
    how: &str,
) -> fmt::Result {
    let other = match version {
        ApiVersion::V1 => ApiVersion::V8_1,
        ApiVersion::V8_1 => ApiVersion::V1,
    };
    write!(
        f,
        "no such path{response}: the appliance may not serve API v{version}, which is in use \
         ({how}); to speak another version, choose it when connecting (`--api-version {other}` \
         on the command line, `ApplianceBuilder::api_version` in code)"
    )
}

fn vm_name(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    ambiguous: bool,
    candidates: &[String],
) -> fmt::Result {
    if ambiguous {
        write!(
            f,
            "{} protected VMs are named {name:?}: {}; give the VM's id instead",
            candidates.len(),
            candidates.join(", ")
        )
    } else if candidates.is_empty() {
        write!(f, "no protected VM is named {name:?}")
    } else {
        write!(
            f,
            "no protected VM is named exactly {name:?}; names containing it: {}",
            candidates.join(", ")
        )
    }
}
