//! The spec's `operationId`s, as errors name them.

/// `POST /api/oauth2/token`.
pub const CREATE_TOKEN: &str = "createToken";
/// `POST /api/v1/virtualMachines/{id}/deleteBackups`.
pub const DELETE_BACKUPS: &str = "deleteBackups";
/// `GET /api/v1/jobSessions`.
pub const LIST_JOB_SESSIONS: &str = "listJobSessions";
/// `GET /api/v1/jobSessions/{sessionId}`.
pub const GET_JOB_SESSION: &str = "getJobSession";
/// `GET /api/v1/jobSessions/{sessionId}/log`.
pub const GET_JOB_SESSION_LOG: &str = "getJobSessionLog";
/// `POST /api/v1/jobSessions/{sessionId}/stop`.
pub const STOP_JOB_SESSION: &str = "stopJobSession";
