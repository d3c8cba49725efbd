//! `Appliance`: the client a script uses. One flow whatever the API version, one error type,
//! authentication handled, ids checked.
//!
//! Here: the version in use and the operations of the flow. Beside it: configuring one
//! (`builder`), which version an appliance speaks (`version`), the version-neutral types
//! (`session`), following a session to its end (`wait`), reading every session (`paging`),
//! and what only API v8.1 has (`v8_1_only`: tiers, batches, filters, protected VMs, logout,
//! asynchronous operations).

mod builder;
mod follow;
mod paging;
mod session;
mod v8_1_only;
mod version;
mod wait;

use std::sync::Arc;
use std::time::Duration;

pub use builder::{ApplianceBuilder, BuildError};
pub use follow::{FollowOptions, SessionFollower};
pub use session::{DeleteOutcome, LogEntry, Session, SessionAnswer, SessionLog, SessionPage};
pub use v8_1_only::{BatchDeletion, ProtectedVm, SessionFilter, VmPage, BATCH_LIMIT};
pub use version::ApiVersion;
pub use wait::WaitOptions;

use crate::operations::{v1 as v1_ops, v8_1 as v8_1_ops};
use crate::transport::path_segment;
use crate::transport::send;
use crate::v8_1::types::DeleteVirtualMachineBackupsAnswer;
use crate::{v1, v8_1, Error, ErrorKind};

/// A connection to one appliance, authenticated, with retries for idempotent requests, in the
/// API version it speaks (chosen with [`ApplianceBuilder::api_version`], or found out on first
/// use).
///
/// Cheap to clone; clones share the connection pool, the tokens and the version.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use vbazure::{Appliance, DeleteOutcome, WaitOptions};
/// use std::time::Duration;
///
/// let password = std::env::var("VBAZURE_PASSWORD")?;
/// let appliance = Appliance::builder("https://appliance.example.com")
///     .credentials("administrator", password)
///     .build()?;
/// match appliance.delete_backups("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64").await? {
///     DeleteOutcome::Started(session) => {
///         let options = WaitOptions::default().with_timeout(Duration::from_secs(15 * 60));
///         let done = appliance
///             .wait_session(session, &options, |s| println!("session {}: {}", s.id, s.status))
///             .await?;
///         println!("ended {}", done.status);
///     }
///     DeleteOutcome::NothingToDelete => println!("no backups to delete"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Appliance {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// The generated clients of each version; they share the HTTP client and the tokens.
    v1: v1::Client,
    v8_1: v8_1::Client,
    /// The version in use, and how it was chosen: set when built, or on first use by
    /// detection.
    version: tokio::sync::OnceCell<version::Chosen>,
    /// How long an asynchronous operation (v8.1) is followed.
    operation_wait: WaitOptions,
}

/// Which client a call goes through.
enum Speaking<'a> {
    V1(&'a v1::Client),
    V8_1(&'a v8_1::Client),
}

impl Appliance {
    /// Starts configuring a connection to the appliance at `base_url`
    /// (`https://host[:port]`).
    pub fn builder(base_url: impl Into<String>) -> ApplianceBuilder {
        ApplianceBuilder::new(base_url.into())
    }

    /// The generated v1 client underneath, for operations this type does not wrap. Its
    /// requests carry the same authentication and retries.
    pub fn v1_client(&self) -> &v1::Client {
        &self.inner.v1
    }

    /// The generated v8.1 client underneath (see [`v1_client`](Self::v1_client)).
    pub fn v8_1_client(&self) -> &v8_1::Client {
        &self.inner.v8_1
    }

    /// The appliance's base URL.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.inner.v1)
    }

    /// The API version in use: the one chosen when building, or else the newest version this
    /// client speaks that the appliance serves, found out once and kept. An anonymous JSON 200
    /// at the version's read path decides; an anonymous 401 or 403 is confirmed after logging
    /// in (200 with the token: served; 404: not, and the next version is asked), since some
    /// appliances refuse every anonymous request before routing it. How it was decided is
    /// logged (`info`) and named by errors a wrong version would explain.
    pub async fn api_version(&self) -> Result<ApiVersion, Error> {
        self.chosen().await.map(|chosen| chosen.version)
    }

    async fn chosen(&self) -> Result<&version::Chosen, Error> {
        let http = progenitor_client::ClientInfo::client(&self.inner.v1);
        let state = progenitor_client::ClientInfo::inner(&self.inner.v1);
        // A token for confirming `version`, obtained through that version's client (the token
        // path is shared, the form is the version's); it is kept for the requests that follow.
        let token = |version: ApiVersion| async move {
            let auth = state.auth.as_ref()?;
            Some(match version {
                ApiVersion::V1 => auth.access_token(&self.inner.v1).await,
                ApiVersion::V8_1 => auth.access_token(&self.inner.v8_1).await,
            })
        };
        self.inner
            .version
            .get_or_try_init(|| version::detect(http, self.base_url(), token))
            .await
    }

    /// `error`, or for a 404 without problem details (the server has no such path: no
    /// resource explains it) an error that names the version in use, how it was chosen, and
    /// how to choose another.
    fn explained(&self, error: Error) -> Error {
        let ErrorKind::NotFound(response) = error.kind() else {
            return error;
        };
        if response.problem.is_some() {
            return error;
        }
        let Some(chosen) = self.inner.version.get() else {
            return error;
        };
        Error::new(
            error.operation(),
            ErrorKind::NoSuchPath {
                response: response.clone(),
                version: chosen.version,
                how: chosen.how.clone(),
            },
        )
    }

    /// Sends a generated call of the version in use, as [`send`] does, explaining a 404 that
    /// a wrong version would cause.
    async fn send<T>(
        &self,
        operation: &'static str,
        call: impl std::future::Future<
            Output = Result<
                progenitor_client::ResponseValue<T>,
                progenitor_client::Error<progenitor_client::ByteStream>,
            >,
        >,
    ) -> Result<T, Error> {
        send(operation, call).await.map_err(|e| self.explained(e))
    }

    async fn speaking(&self) -> Result<Speaking<'_>, Error> {
        Ok(match self.api_version().await? {
            ApiVersion::V1 => Speaking::V1(&self.inner.v1),
            ApiVersion::V8_1 => Speaking::V8_1(&self.inner.v8_1),
        })
    }

    /// The tokens the client holds now (after a login, or as given to
    /// [`ApplianceBuilder::tokens`]), to keep for a later run; `None` before a login and after
    /// [`logout`](Self::logout).
    pub fn tokens(&self) -> Option<crate::TokenSet> {
        let state = progenitor_client::ClientInfo::inner(&self.inner.v1);
        state.auth.as_ref().and_then(|auth| auth.tokens())
    }

    /// Obtains an access token now (with credentials), so that wrong credentials show up before
    /// any other request. Requests do this by themselves when needed.
    pub async fn login(&self) -> Result<(), Error> {
        let state = progenitor_client::ClientInfo::inner(&self.inner.v1);
        let Some(auth) = &state.auth else {
            return Ok(());
        };
        match self.speaking().await? {
            Speaking::V1(client) => auth.access_token(client).await.map(drop),
            Speaking::V8_1(client) => auth.access_token(client).await.map(drop),
        }
    }

    /// Starts removing every backup of the virtual machine `vm_id`: a session to follow, or,
    /// on v8.1, [`DeleteOutcome::NothingToDelete`] when there was nothing to remove.
    pub async fn delete_backups(&self, vm_id: &str) -> Result<DeleteOutcome, Error> {
        match self.speaking().await? {
            Speaking::V1(client) => {
                path_segment::check(v1_ops::DELETE_BACKUPS, "VM id", vm_id)?;
                let session = self
                    .send(
                        v1_ops::DELETE_BACKUPS,
                        client.delete_backups().id(vm_id).send(),
                    )
                    .await?;
                Ok(DeleteOutcome::Started(session.into()))
            }
            Speaking::V8_1(client) => self.delete_backups_v8_1(client, vm_id, None).await,
        }
    }

    async fn delete_backups_v8_1(
        &self,
        client: &v8_1::Client,
        vm_id: &str,
        tier: Option<v8_1::types::BackupTier>,
    ) -> Result<DeleteOutcome, Error> {
        let operation = v8_1_ops::DELETE_VIRTUAL_MACHINE_BACKUPS;
        path_segment::check(operation, "VM id", vm_id)?;
        let mut request = client.delete_virtual_machine_backups().id(vm_id);
        if let Some(tier) = tier {
            request = request.backup_tier(tier);
        }
        Ok(match self.send(operation, request.send_answer()).await? {
            DeleteVirtualMachineBackupsAnswer::Accepted(session) => {
                DeleteOutcome::Started(session.into())
            }
            DeleteVirtualMachineBackupsAnswer::NoContent => DeleteOutcome::NothingToDelete,
        })
    }

    /// The current state of a session.
    pub async fn job_session(&self, session_id: &str) -> Result<Session, Error> {
        path_segment::check(v1_ops::GET_JOB_SESSION, "session id", session_id)?;
        Ok(match self.speaking().await? {
            Speaking::V1(client) => self
                .send(
                    v1_ops::GET_JOB_SESSION,
                    client.get_job_session().session_id(session_id).send(),
                )
                .await?
                .into(),
            Speaking::V8_1(client) => self
                .send(
                    v8_1_ops::GET_JOB_SESSION,
                    client.get_job_session().session_id(session_id).send(),
                )
                .await?
                .into(),
        })
    }

    /// The log of a session so far.
    pub async fn job_session_log(&self, session_id: &str) -> Result<SessionLog, Error> {
        self.log(session_id, None).await
    }

    /// The records of a session's log about one resource (`instanceId`, v8.1): `resource_id`
    /// is the appliance's id of the VM, as [`LogEntry::resource_id`] gives it.
    pub async fn job_session_log_for(
        &self,
        session_id: &str,
        resource_id: &str,
    ) -> Result<SessionLog, Error> {
        self.log(session_id, Some(resource_id)).await
    }

    async fn log(&self, session_id: &str, resource: Option<&str>) -> Result<SessionLog, Error> {
        path_segment::check(v1_ops::GET_JOB_SESSION_LOG, "session id", session_id)?;
        Ok(match self.speaking().await? {
            Speaking::V1(_) if resource.is_some() => {
                return Err(not_in_v1(
                    v1_ops::GET_JOB_SESSION_LOG,
                    "a log for one resource",
                ))
            }
            Speaking::V1(client) => self
                .send(
                    v1_ops::GET_JOB_SESSION_LOG,
                    client.get_job_session_log().session_id(session_id).send(),
                )
                .await?
                .into(),
            Speaking::V8_1(client) => {
                let mut request = client.get_job_session_log().session_id(session_id);
                if let Some(resource) = resource {
                    request = request.instance_id(resource);
                }
                self.send(v8_1_ops::GET_JOB_SESSION_LOG, request.send())
                    .await?
                    .into()
            }
        })
    }

    /// Asks the appliance to stop a running session.
    pub async fn stop_job_session(&self, session_id: &str) -> Result<(), Error> {
        path_segment::check(v1_ops::STOP_JOB_SESSION, "session id", session_id)?;
        match self.speaking().await? {
            Speaking::V1(client) => {
                self.send(
                    v1_ops::STOP_JOB_SESSION,
                    client.stop_job_session().session_id(session_id).send(),
                )
                .await
            }
            Speaking::V8_1(client) => {
                self.send(
                    v8_1_ops::STOP_JOB_SESSION,
                    client.stop_job_session().session_id(session_id).send(),
                )
                .await
            }
        }
    }

    /// One page of sessions: `limit` sessions (at least 1) after the first `offset`.
    pub async fn job_sessions_page(&self, offset: u32, limit: u32) -> Result<SessionPage, Error> {
        self.sessions_page(offset, limit, None).await
    }

    async fn sessions_page(
        &self,
        offset: u32,
        limit: u32,
        filter: Option<&SessionFilter>,
    ) -> Result<SessionPage, Error> {
        let window = paging::window(v1_ops::LIST_JOB_SESSIONS, offset, limit)?;
        match self.speaking().await? {
            Speaking::V1(_) if filter.is_some_and(|f| !f.is_empty()) => {
                Err(not_in_v1(v1_ops::LIST_JOB_SESSIONS, "session filters"))
            }
            Speaking::V1(client) => Ok(self
                .send(
                    v1_ops::LIST_JOB_SESSIONS,
                    client
                        .list_job_sessions()
                        .offset(window.offset)
                        .limit(window.limit)
                        .send(),
                )
                .await?
                .into()),
            Speaking::V8_1(client) => {
                let request = client
                    .list_job_sessions()
                    .offset(window.offset)
                    .limit(window.limit_i32);
                let request = match filter {
                    Some(filter) => filter.apply(request),
                    None => request,
                };
                Ok(self
                    .send(v8_1_ops::LIST_JOB_SESSIONS, request.send())
                    .await?
                    .into())
            }
        }
    }
}

/// The error of an extra that API v1 does not have; nothing was sent.
pub(crate) fn not_in_v1(operation: &'static str, feature: &'static str) -> Error {
    Error::new(
        operation,
        ErrorKind::NotInVersion {
            feature,
            version: ApiVersion::V1,
        },
    )
}

/// How long to wait for a connection, unless configured.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest one request may take, answer included, unless configured.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
