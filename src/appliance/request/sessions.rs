//! Reading sessions: a page of them, all of them, and a session's log.

use futures_util::Stream;

use crate::appliance::{Session, SessionFilter, SessionLog, SessionPage};
use crate::{Appliance, Error};

/// One page of sessions: `limit` sessions (at least 1) after the first `offset`. Made by
/// [`Appliance::job_sessions_page`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct JobSessionsPage<'a> {
    appliance: &'a Appliance,
    offset: u32,
    limit: u32,
    filter: Option<&'a SessionFilter>,
}

impl<'a> JobSessionsPage<'a> {
    pub(crate) fn new(appliance: &'a Appliance, offset: u32, limit: u32) -> Self {
        Self {
            appliance,
            offset,
            limit,
            filter: None,
        }
    }

    /// Only the sessions `filter` lets through (v8.1; on v1 a filter that narrows anything
    /// fails before anything is sent).
    pub fn filter(mut self, filter: &'a SessionFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// Reads the page.
    pub async fn send(self) -> Result<SessionPage, Error> {
        self.appliance
            .sessions_page(self.offset.into(), self.limit, self.filter)
            .await
    }
}

/// Every job session, read `page_size` at a time. Made by [`Appliance::job_sessions`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until streamed"]
pub struct JobSessions<'a> {
    appliance: &'a Appliance,
    page_size: u32,
    filter: Option<&'a SessionFilter>,
}

impl<'a> JobSessions<'a> {
    pub(crate) fn new(appliance: &'a Appliance, page_size: u32) -> Self {
        Self {
            appliance,
            page_size,
            filter: None,
        }
    }

    /// Only the sessions `filter` lets through (v8.1; on v1 a filter that narrows anything
    /// gives one [`ErrorKind::NotInVersion`](crate::ErrorKind) error and nothing is sent).
    pub fn filter(mut self, filter: &'a SessionFilter) -> Self {
        self.filter = Some(filter);
        self
    }

    /// The sessions, page after page, as [`Appliance::job_sessions`] describes.
    pub fn stream(self) -> impl Stream<Item = Result<Session, Error>> + Send + 'a {
        self.appliance.sessions_stream(self.page_size, self.filter)
    }
}

/// A session's log so far, or (v8.1) its records about one resource. Made by
/// [`Appliance::job_session_log`].
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until sent"]
pub struct JobSessionLog<'a> {
    appliance: &'a Appliance,
    session_id: &'a str,
    resource_id: Option<&'a str>,
}

impl<'a> JobSessionLog<'a> {
    pub(crate) fn new(appliance: &'a Appliance, session_id: &'a str) -> Self {
        Self {
            appliance,
            session_id,
            resource_id: None,
        }
    }

    /// Only the records about one resource (v8.1 `instanceId`): `resource_id` is the
    /// appliance's id of the VM, as [`LogEntry::resource_id`](crate::LogEntry) gives it.
    pub fn resource(mut self, resource_id: impl Into<Option<&'a str>>) -> Self {
        self.resource_id = resource_id.into();
        self
    }

    /// Reads the log.
    pub async fn send(self) -> Result<SessionLog, Error> {
        let Self {
            appliance,
            session_id,
            resource_id,
        } = self;
        appliance
            .ask(move |dialect| dialect.job_session_log(session_id, resource_id))
            .await
    }
}
