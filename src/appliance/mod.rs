//! `Appliance`: the client a script uses. One error type, authentication handled, ids checked.
//!
//! Here: one method per operation. Beside it: configuring one (`builder`), following a
//! session to its end (`wait`) and reading every session (`paging`).

mod builder;
mod paging;
mod wait;

use std::time::Duration;

pub use builder::{ApplianceBuilder, BuildError};
pub use wait::WaitOptions;

use crate::error::send;
use crate::operations::{
    DELETE_BACKUPS, GET_JOB_SESSION, GET_JOB_SESSION_LOG, LIST_JOB_SESSIONS, STOP_JOB_SESSION,
};
use crate::transport::path_segment;
use crate::types::{JobSession, JobSessionLog, JobSessionPage};
use crate::{Client, Error, ErrorKind};

/// A connection to one appliance, authenticated, with retries for idempotent requests.
///
/// Cheap to clone; clones share the connection pool and the tokens.
///
/// ```no_run
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use vbazure::{Appliance, WaitOptions};
/// use std::time::Duration;
///
/// let password = std::env::var("VBAZURE_PASSWORD")?;
/// let appliance = Appliance::builder("https://appliance.example.com")
///     .credentials("administrator", password)
///     .build()?;
/// let session = appliance
///     .delete_backups("ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy")
///     .await?;
/// let done = appliance
///     .wait_session(session, &WaitOptions::with_timeout(Duration::from_secs(15 * 60)), |s| {
///         println!("session {}: {}", s.id, s.status)
///     })
///     .await?;
/// println!("ended {} after {:#}", done.status, done.execution_duration);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Appliance {
    pub(crate) client: Client,
}

impl Appliance {
    /// Starts configuring a connection to the appliance at `base_url`
    /// (`https://host[:port]`).
    pub fn builder(base_url: impl Into<String>) -> ApplianceBuilder {
        ApplianceBuilder::new(base_url.into())
    }

    /// The generated client underneath, for operations this type does not wrap. Its requests
    /// carry the same authentication and retries.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The appliance's base URL.
    pub fn base_url(&self) -> &str {
        progenitor_client::ClientInfo::baseurl(&self.client)
    }

    /// Obtains an access token now (with credentials), so that wrong credentials show up before
    /// any other request. Requests do this by themselves when needed.
    pub async fn login(&self) -> Result<(), Error> {
        match &self.client.inner.auth {
            Some(auth) => auth.access_token(&self.client).await.map(drop),
            None => Ok(()),
        }
    }

    /// Starts removing every backup of the virtual machine `vm_id`; returns the new session.
    pub async fn delete_backups(&self, vm_id: &str) -> Result<JobSession, Error> {
        path_segment::check(DELETE_BACKUPS, "VM id", vm_id)?;
        send(
            DELETE_BACKUPS,
            self.client.delete_backups().id(vm_id).send(),
        )
        .await
    }

    /// The current state of a session.
    pub async fn job_session(&self, session_id: &str) -> Result<JobSession, Error> {
        path_segment::check(GET_JOB_SESSION, "session id", session_id)?;
        send(
            GET_JOB_SESSION,
            self.client.get_job_session().session_id(session_id).send(),
        )
        .await
    }

    /// The log of a session so far.
    pub async fn job_session_log(&self, session_id: &str) -> Result<JobSessionLog, Error> {
        path_segment::check(GET_JOB_SESSION_LOG, "session id", session_id)?;
        send(
            GET_JOB_SESSION_LOG,
            self.client
                .get_job_session_log()
                .session_id(session_id)
                .send(),
        )
        .await
    }

    /// Asks the appliance to stop a running session.
    pub async fn stop_job_session(&self, session_id: &str) -> Result<(), Error> {
        path_segment::check(STOP_JOB_SESSION, "session id", session_id)?;
        send(
            STOP_JOB_SESSION,
            self.client.stop_job_session().session_id(session_id).send(),
        )
        .await
    }

    /// One page of sessions: `limit` sessions (at least 1) after the first `offset`.
    pub async fn job_sessions_page(
        &self,
        offset: u32,
        limit: u32,
    ) -> Result<JobSessionPage, Error> {
        let invalid =
            |message: String| Error::new(LIST_JOB_SESSIONS, ErrorKind::InvalidRequest { message });
        let offset = i32::try_from(offset)
            .map_err(|_| invalid(format!("offset {offset} is larger than the API allows")))?;
        let limit = std::num::NonZeroU32::new(limit)
            .ok_or_else(|| invalid("limit must be at least 1".to_string()))?;
        send(
            LIST_JOB_SESSIONS,
            self.client
                .list_job_sessions()
                .offset(offset)
                .limit(limit)
                .send(),
        )
        .await
    }
}

/// How long to wait for a connection, unless configured.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest one request may take, answer included, unless configured.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
