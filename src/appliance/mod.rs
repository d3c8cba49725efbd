//! `Appliance`: the client a script uses. One flow whatever the API version, one error type,
//! authentication handled, ids checked.
//!
//! Here: the version in use and the operations of the flow. Beside it: configuring one
//! (`builder`), which version an appliance speaks (`version`), each version's way of making
//! the flow's requests (`dialect`), the builders of requests with options (`request`), the
//! version-neutral types (`session`), following a session to its end (`wait`) and many at
//! once (`follow`), reading every item of a list (`paging`, with the checked page `window`),
//! and what only API v8.1 has (`v8_1_only`: batches, protected VMs, logout, asynchronous
//! operations; the workloads and their removals, `workload`; one model of a protected item,
//! `protected_item`, and of a restore point, `restore_point`, from the generated pages read
//! alike, `generated_page`).

mod builder;
mod dialect;
mod follow;
mod generated_page;
mod paging;
mod protected_item;
pub mod request;
mod restore_point;
mod session;
mod v8_1_only;
mod version;
mod wait;
mod window;
mod workload;

use std::sync::Arc;
use std::time::Duration;

pub use builder::{ApplianceBuilder, BuildError};
pub use follow::{FollowOptions, SessionFollower};
pub use protected_item::ProtectedItem;
pub use restore_point::{RestorePoint, RestorePointPage};
pub use session::{DeleteOutcome, LogEntry, Session, SessionAnswer, SessionLog, SessionPage};
pub use v8_1_only::{BatchDeletion, DeletedItem, ProtectedVm, SessionFilter, VmPage, BATCH_LIMIT};
pub use version::ApiVersion;
pub use wait::WaitOptions;
pub use workload::{Removal, Workload};

use crate::transport::send;
use crate::{v1, v8_1, Error, ErrorKind};
use dialect::{Call, Dialect, Step};

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
/// match appliance.delete_backups("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64").send().await? {
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
            Some(auth.access_token(self.dialect_of(version)).await)
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

    /// The dialect of `version`: the one place a version is matched to its client.
    fn dialect_of(&self, version: ApiVersion) -> &dyn Dialect {
        match version {
            ApiVersion::V1 => &self.inner.v1,
            ApiVersion::V8_1 => &self.inner.v8_1,
        }
    }

    /// The dialect of the version in use (found out first when need be).
    async fn dialect(&self) -> Result<&dyn Dialect, Error> {
        Ok(self.dialect_of(self.api_version().await?))
    }

    /// The `operationId` of `step` in the version in use, for errors found before a request is
    /// made; before a version is chosen, its name in the newest version this client speaks
    /// (the flow's steps are named alike in every document: a test holds them to it).
    pub(crate) fn operation_now(&self, step: Step) -> &'static str {
        let version = self
            .inner
            .version
            .get()
            .map_or(ApiVersion::NEWEST_FIRST[0], |chosen| chosen.version);
        self.dialect_of(version).operation(step)
    }

    /// Whether the version in use is known and its session list takes filters.
    pub(crate) fn filters_sessions_now(&self) -> bool {
        self.inner
            .version
            .get()
            .is_some_and(|chosen| self.dialect_of(chosen.version).filters_sessions())
    }

    /// One call of the version in use, its errors explained as [`send`](Self::send)'s are.
    async fn ask<'a, T>(
        &'a self,
        call: impl FnOnce(&'a dyn Dialect) -> Call<'a, T>,
    ) -> Result<T, Error> {
        let dialect = self.dialect().await?;
        call(dialect).await.map_err(|e| self.explained(e))
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
        auth.access_token(self.dialect().await?).await.map(drop)
    }

    /// The current state of a session.
    pub async fn job_session(&self, session_id: &str) -> Result<Session, Error> {
        self.ask(|dialect| dialect.job_session(session_id)).await
    }

    /// Asks the appliance to stop a running session.
    pub async fn stop_job_session(&self, session_id: &str) -> Result<(), Error> {
        self.ask(|dialect| dialect.stop_job_session(session_id))
            .await
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
