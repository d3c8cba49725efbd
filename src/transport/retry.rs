//! When and how long to wait before repeating an idempotent request.

use std::time::Duration;

/// How idempotent requests are retried after a connection error or a transient status
/// (408, 429, 502, 503, 504). Which requests are idempotent the spec says (see
/// [`crate::operations`]): GETs, and any operation marked `x-vbazure-idempotent: true`; the
/// POSTs of this API are never retried.
///
/// The wait before retry `n` (from 0) is picked at random between half and all of
/// `initial_backoff × 2ⁿ` (capped at `max_backoff`), so that many clients do not retry in step;
/// a `Retry-After` from the appliance is honoured when it asks for longer, up to
/// `max_retry_after` (past that the error is returned at once).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 turns retrying off).
    pub max_retries: u32,
    /// The base of the exponential backoff.
    pub initial_backoff: Duration,
    /// The longest backoff between two attempts.
    pub max_backoff: Duration,
    /// The longest `Retry-After` honoured.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// How long to wait before retry number `retry` (0 for the first), or `None` when the
    /// retries are used up or the appliance asks for a longer wait than `max_retry_after`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if retry >= self.max_retries {
            return None;
        }
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(retry))
            .min(self.max_backoff);
        let half = ceiling / 2;
        let jitter = Duration::from_nanos(fastrand::u64(0..=(ceiling - half).as_nanos() as u64));
        let backoff = half + jitter;
        match retry_after {
            Some(asked) if asked > self.max_retry_after => None,
            Some(asked) => Some(asked.max(backoff)),
            None => Some(backoff),
        }
    }
}

/// Statuses that say "try again": request timeout, too many requests, bad gateway, service
/// unavailable, gateway timeout.
pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 408 | 429 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::retry_after;
    use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
    use std::time::SystemTime;

    #[test]
    fn backoff_grows_within_bounds_and_stops() {
        let policy = RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(2),
        };
        for _ in 0..200 {
            let d0 = policy.delay(0, None).unwrap();
            assert!(
                d0 >= Duration::from_millis(50) && d0 <= Duration::from_millis(100),
                "{d0:?}"
            );
            let d2 = policy.delay(2, None).unwrap();
            assert!(
                d2 >= Duration::from_millis(200) && d2 <= Duration::from_millis(400),
                "{d2:?}"
            );
            let d4 = policy.delay(4, None).unwrap();
            assert!(
                d4 >= Duration::from_millis(250) && d4 <= Duration::from_millis(500),
                "{d4:?}"
            );
        }
        assert_eq!(policy.delay(5, None), None);
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(1))),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            policy.delay(0, Some(Duration::from_secs(3))),
            None,
            "longer than max_retry_after"
        );
        assert_eq!(RetryPolicy::none().delay(0, None), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after(&headers, now), None);
        headers.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:49:47 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(10)));
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Sun, 06 Nov 1994 08:00:00 GMT"),
        );
        assert_eq!(retry_after(&headers, now), Some(Duration::ZERO));
        headers.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(&headers, now), None);
    }
}
