//! What an error keeps of the appliance's answer.

use std::fmt;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};

use crate::types::ProblemDetails;

/// The most bytes of a response body an error keeps, for a person to read.
pub const BODY_EXCERPT_LIMIT: usize = 300;

/// An error's summary of the appliance's answer: the parts worth keeping once the answer
/// itself is gone.
#[derive(Clone, Debug, Default)]
pub struct ErrorResponse {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` of the answer, if it had one.
    pub content_type: Option<String>,
    /// The problem details, when the body was one.
    pub problem: Option<ProblemDetails>,
    /// At most [`BODY_EXCERPT_LIMIT`] bytes of the body, lossily decoded (withheld for an
    /// operation whose bodies hold secrets, such as the token operation).
    pub body_excerpt: String,
}

/// ` (404 application/problem+json): Not Found: Job session 9999 was not found. [trace 00-…]`
impl fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " ({}", self.status)?;
        if let Some(content_type) = &self.content_type {
            write!(f, " {content_type}")?;
        }
        f.write_str(")")?;
        if let Some(problem) = &self.problem {
            let words: Vec<&str> = [&problem.title, &problem.detail]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            if !words.is_empty() {
                write!(f, ": {}", words.join(": "))?;
            }
            if let Some(errors) = &problem.errors {
                for (field, messages) in errors {
                    write!(f, "; {field}: {}", messages.join(" "))?;
                }
            }
            if let Some(trace) = &problem.trace_id {
                write!(f, " [trace {trace}]")?;
            }
        }
        Ok(())
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}
