//! The version-neutral view of what the flow reads: a session, its log, a page of sessions,
//! and the outcome of a deletion.
//!
//! Each API version has its own generated types (`v1::types::JobSession` has a `usn` and
//! few nulls, `v8_1::types::JobSession` many nullable details). The flow gives the same types
//! whatever the version: the fields both versions have, as `Option`s wherever either version
//! may leave them out or send `null`, and the answer itself ([`Session::answer`]) for what
//! only one version has. Encoding a [`Session`] or [`SessionLog`] gives the JSON of the
//! answer as the client read it: the appliance's fields and values, less the fields the
//! client does not know and the members the appliance sent as `null`.

use serde::{Serialize, Serializer};

use crate::{v1, v8_1, Lenient, SessionStatus, SessionType, TimeSpan, Timestamp, UndecodableItem};

/// A job session, whatever the API version.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The session's identifier (numeric text on v1, a UUID on v8.1; empty if the appliance
    /// sent none).
    pub id: String,
    /// The kind of job.
    pub session_type: Option<SessionType>,
    /// The kind of job as the appliance's interface words it.
    pub localized_type: Option<String>,
    /// Its state.
    pub status: SessionStatus,
    /// When it started.
    pub execution_start_time: Option<Timestamp>,
    /// When it ended; `None` while it runs.
    pub execution_stop_time: Option<Timestamp>,
    /// How long it has run.
    pub execution_duration: Option<TimeSpan>,
    /// The answer as the version's client decoded it, for the fields only one version has.
    pub answer: SessionAnswer,
}

/// A session as one API version's client decoded it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum SessionAnswer {
    /// From API v1.
    V1(Box<v1::types::JobSession>),
    /// From API v8.1.
    V8_1(Box<v8_1::types::JobSession>),
}

impl Session {
    /// Whether the session has ended.
    ///
    /// A known final status ([`SessionStatus::is_terminal`]) ends it. A status this client does
    /// not know (or the appliance's own `Unknown`) cannot be judged by name, so then the session
    /// has ended once the appliance has set `executionStopTime`.
    pub fn is_finished(&self) -> bool {
        crate::model::has_ended(&self.status, self.execution_stop_time.is_some())
    }
}

impl From<v1::types::JobSession> for Session {
    fn from(s: v1::types::JobSession) -> Self {
        Self {
            id: s.id.clone(),
            session_type: s.type_.clone(),
            localized_type: s.localized_type.clone(),
            status: s.status.clone(),
            execution_start_time: s.execution_start_time,
            execution_stop_time: s.execution_stop_time,
            execution_duration: s.execution_duration,
            answer: SessionAnswer::V1(Box::new(s)),
        }
    }
}

impl From<v8_1::types::JobSession> for Session {
    fn from(s: v8_1::types::JobSession) -> Self {
        Self {
            id: s.id.clone().unwrap_or_default(),
            session_type: s.type_.clone(),
            localized_type: s.localized_type.clone(),
            status: s.status.clone(),
            execution_start_time: s.execution_start_time,
            execution_stop_time: s.execution_stop_time,
            execution_duration: s.execution_duration,
            answer: SessionAnswer::V8_1(Box::new(s)),
        }
    }
}

/// The JSON of the answer.
impl Serialize for Session {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.answer {
            SessionAnswer::V1(s) => s.serialize(serializer),
            SessionAnswer::V8_1(s) => s.serialize(serializer),
        }
    }
}

/// The log of a session, whatever the API version.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionLog {
    /// The session the log belongs to, as the appliance named it.
    pub session_id: Option<String>,
    /// The records, oldest first.
    pub entries: Vec<LogEntry>,
    answer: LogAnswer,
}

#[derive(Clone, Debug, PartialEq)]
enum LogAnswer {
    V1(v1::types::JobSessionLog),
    V8_1(v8_1::types::JobSessionLog),
}

/// One record of a session's log.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    /// When it was written.
    pub log_time: Option<Timestamp>,
    /// The state it reports.
    pub status: SessionStatus,
    /// What happened.
    pub message: Option<String>,
    /// The appliance's id of the resource it is about (v8.1).
    pub resource_id: Option<String>,
    /// When the step it describes started.
    pub execution_start_time: Option<Timestamp>,
    /// How long that step took.
    pub execution_duration: Option<TimeSpan>,
}

impl From<v1::types::JobSessionLog> for SessionLog {
    fn from(log: v1::types::JobSessionLog) -> Self {
        let entries = log
            .log
            .iter()
            .map(|e| LogEntry {
                log_time: Some(e.log_time),
                status: e.status.clone(),
                message: Some(e.message.clone()),
                resource_id: None,
                execution_start_time: e.execution_start_time,
                execution_duration: e.execution_duration,
            })
            .collect();
        Self {
            session_id: Some(log.job_session_id.clone()),
            entries,
            answer: LogAnswer::V1(log),
        }
    }
}

impl From<v8_1::types::JobSessionLog> for SessionLog {
    fn from(log: v8_1::types::JobSessionLog) -> Self {
        let entries = log
            .log
            .iter()
            .flatten()
            .map(|e| LogEntry {
                log_time: e.log_time,
                status: e.status.clone(),
                message: e.message.clone(),
                resource_id: e.resource_hash_id.clone(),
                execution_start_time: e.execution_start_time,
                execution_duration: e.execution_duration,
            })
            .collect();
        Self {
            session_id: log.job_session_id.clone(),
            entries,
            answer: LogAnswer::V8_1(log),
        }
    }
}

/// The JSON of the answer.
impl Serialize for SessionLog {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.answer {
            LogAnswer::V1(log) => log.serialize(serializer),
            LogAnswer::V8_1(log) => log.serialize(serializer),
        }
    }
}

/// One page of sessions, whatever the API version.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionPage {
    /// How many sessions come before this page.
    pub offset: u64,
    /// The page size asked for.
    pub limit: u64,
    /// How many sessions there are in all, when the appliance says.
    pub total_count: Option<u64>,
    /// The sessions, each decoded on its own: one the client cannot read does not hide the
    /// others.
    pub sessions: Vec<Result<Session, UndecodableItem>>,
}

fn count(n: i32) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn sessions<T: Into<Session>>(items: Vec<Lenient<T>>) -> Vec<Result<Session, UndecodableItem>> {
    items
        .into_iter()
        .map(|item| item.into_result().map(Into::into))
        .collect()
}

impl From<v1::types::JobSessionPage> for SessionPage {
    fn from(page: v1::types::JobSessionPage) -> Self {
        Self {
            offset: count(page.offset),
            limit: count(page.limit),
            total_count: Some(count(page.total_count)),
            sessions: sessions(page.results),
        }
    }
}

impl From<v8_1::types::JobSessionPage> for SessionPage {
    fn from(page: v8_1::types::JobSessionPage) -> Self {
        Self {
            offset: count(page.offset),
            limit: count(page.limit),
            total_count: page.total_count.map(count),
            sessions: sessions(page.results.unwrap_or_default()),
        }
    }
}

/// What a deletion request started.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteOutcome {
    /// A session that removes the backups; follow it to its end.
    Started(Session),
    /// The appliance had no backups to remove (v8.1's 204) and started nothing.
    NothingToDelete,
}

impl DeleteOutcome {
    /// The session started, if one was.
    pub fn session(&self) -> Option<&Session> {
        match self {
            Self::Started(session) => Some(session),
            Self::NothingToDelete => None,
        }
    }
}
