//! Reading sessions: a page of them, all of them, and a session's log.

use futures_util::Stream;

use crate::appliance::dialect::Step;
use crate::appliance::paging::{pages, Fetched};
use crate::appliance::window::window;
use crate::appliance::{Session, SessionFilter, SessionLog, SessionPage};
use crate::{Appliance, Error};

impl Appliance {
    /// The log of a session so far (or, with
    /// [`resource`](JobSessionLog::resource), its records about one VM).
    pub fn job_session_log<'a>(&'a self, session_id: &'a str) -> JobSessionLog<'a> {
        JobSessionLog::new(self, session_id)
    }

    /// One page of sessions: `limit` sessions (at least 1) after the first `offset` (narrowed
    /// with [`filter`](JobSessionsPage::filter)).
    pub fn job_sessions_page(&self, offset: u32, limit: u32) -> JobSessionsPage<'_> {
        JobSessionsPage::new(self, offset, limit)
    }

    /// Every job session (or, with [`filter`](super::JobSessions::filter), those a
    /// filter lets through), read `page_size` at a time (the appliance's default is 30 on v1,
    /// 100 on v8.1).
    ///
    /// The stream follows `offset` until `totalCount` is reached or a page comes back empty.
    /// Sessions that move between pages while it reads are given once. A session the client
    /// cannot decode comes as an [`ErrorKind::UndecodableItem`](crate::ErrorKind::UndecodableItem) error naming it, and the stream
    /// goes on with the others. A page holding only sessions already given ends the stream
    /// with [`ErrorKind::RepeatedPage`](crate::ErrorKind::RepeatedPage), so a server that ignores `offset` cannot make it loop
    /// forever. Any other error ends the stream.
    ///
    /// ```no_run
    /// # async fn run(appliance: vbazure::Appliance) -> Result<(), vbazure::Error> {
    /// use futures_util::StreamExt;
    /// let mut sessions = std::pin::pin!(appliance.job_sessions(100).stream());
    /// while let Some(session) = sessions.next().await {
    ///     match session {
    ///         Ok(session) => println!("{} {}", session.id, session.status),
    ///         Err(e) => eprintln!("{e}"),
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn job_sessions(&self, page_size: u32) -> JobSessions<'_> {
        super::JobSessions::new(self, page_size)
    }

    async fn sessions_page(
        &self,
        offset: u64,
        limit: u32,
        filter: Option<&SessionFilter>,
    ) -> Result<SessionPage, Error> {
        let dialect = self.dialect().await?;
        let window = window(dialect.operation(Step::ListJobSessions), offset, limit)?;
        dialect
            .job_sessions_page(window, filter)
            .await
            .map_err(|e| self.explained(e))
    }

    fn sessions_stream<'a>(
        &'a self,
        page_size: u32,
        filter: Option<&'a SessionFilter>,
    ) -> impl Stream<Item = Result<Session, Error>> + Send + 'a {
        let fetch = move |offset| async move {
            let page = self.sessions_page(offset, page_size, filter).await?;
            Ok(Fetched {
                items: page.sessions,
                total: page.total_count,
                operation: self.dialect().await?.operation(Step::ListJobSessions),
            })
        };
        pages(fetch, |s: &Session| {
            (!s.id.is_empty()).then(|| s.id.clone())
        })
    }
}

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
