//! One API version's way of making the flow's requests, behind one interface: [`Dialect`].
//!
//! `Appliance` asks the dialect of the version in use, and never matches on versions itself,
//! so that a further version of the appliance's API is one more file here (its generated
//! client implementing [`Dialect`]), one [`ApiVersion`] variant and one arm in
//! [`Appliance::dialect`](crate::Appliance). What a version lacks (v1 has no backup tiers,
//! session filters or per-resource logs) its dialect refuses before anything is sent.

/// The requests every version's generated client makes alike: the same builder names and
/// arguments, on types that share no trait (each version's client is generated on its own),
/// so the methods are written once here and expanded in each version's `impl Dialect`.
macro_rules! alike_in_every_version {
    () => {
        fn job_session<'a>(&'a self, session_id: &'a str) -> Call<'a, Session> {
            Box::pin(async move {
                let operation = self.operation(Step::GetJobSession);
                path_segment::check(operation, "session id", session_id)?;
                let call = self.get_job_session().session_id(session_id).send();
                Ok(send(operation, call).await?.into())
            })
        }

        fn stop_job_session<'a>(&'a self, session_id: &'a str) -> Call<'a, ()> {
            Box::pin(async move {
                let operation = self.operation(Step::StopJobSession);
                path_segment::check(operation, "session id", session_id)?;
                let call = self.stop_job_session().session_id(session_id).send();
                send(operation, call).await
            })
        }
    };
}

mod v1;
mod v8_1;

#[cfg(test)]
mod tests;

use std::future::Future;
use std::pin::Pin;

use super::window::Window;
use super::{DeleteOutcome, Session, SessionFilter, SessionLog, SessionPage};
use crate::transport::token_endpoint::TokenEndpoint;
use crate::v8_1::types::BackupTier;
use crate::Error;

/// A boxed future of one request (boxed so that `Dialect` can be used as `&dyn Dialect`).
pub(crate) type Call<'a, T> = Pin<Box<dyn Future<Output = Result<T, Error>> + Send + 'a>>;

/// The requests of the flow, named apart from any version, so that the operation an error
/// names is the version's own, taken from the facts generated from its document.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Step {
    DeleteBackups,
    GetJobSession,
    GetJobSessionLog,
    StopJobSession,
    ListJobSessions,
}

/// The flow's requests in one API version. Implemented by that version's generated client;
/// every method checks what it sends before sending it.
pub(crate) trait Dialect: TokenEndpoint + Send + Sync {
    /// The `operationId` of `step` in this version's document.
    fn operation(&self, step: Step) -> &'static str;

    /// Whether its session list takes filters (so that one list can answer for many sessions).
    fn filters_sessions(&self) -> bool;

    /// Starts removing the backups of `vm_id`, of one tier when `tier` is given.
    fn delete_backups<'a>(
        &'a self,
        vm_id: &'a str,
        tier: Option<BackupTier>,
    ) -> Call<'a, DeleteOutcome>;

    /// The current state of a session.
    fn job_session<'a>(&'a self, session_id: &'a str) -> Call<'a, Session>;

    /// A session's log, or its records about one resource.
    fn job_session_log<'a>(
        &'a self,
        session_id: &'a str,
        resource_id: Option<&'a str>,
    ) -> Call<'a, SessionLog>;

    /// Asks the appliance to stop a running session.
    fn stop_job_session<'a>(&'a self, session_id: &'a str) -> Call<'a, ()>;

    /// One page of sessions, narrowed by `filter` when it narrows anything.
    fn job_sessions_page<'a>(
        &'a self,
        window: Window,
        filter: Option<&'a SessionFilter>,
    ) -> Call<'a, SessionPage>;
}
