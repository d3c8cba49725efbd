//! The values of filters, rates and durations on the command line, read strictly: a typo is
//! an error naming the accepted values, never a filter that silently matches nothing.

use std::time::Duration;

use vbazure::v8_1::types::SessionTypeFilter;
use vbazure::{Session, SessionFilter, SessionStatus, SessionType, Timestamp};

/// The longest duration taken: a year, so that no timer overflows.
const LONGEST: Duration = Duration::from_secs(366 * 86_400);

/// A duration as humantime reads it: `90s`, `15m`, `2h`, `1h30m`, `500ms`, `1d`; at most a
/// year.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let duration = humantime::parse_duration(text.trim())
        .map_err(|e| format!("{text:?} is not a duration like 90s, 15m, 2h or 1h30m ({e})"))?;
    if duration > LONGEST {
        return Err(format!("{text:?} is longer than a year"));
    }
    Ok(duration)
}

/// A session state, in any casing: `success` is `Success`.
pub(crate) fn parse_status(text: &str) -> Result<SessionStatus, String> {
    SessionStatus::KNOWN
        .iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(text.trim()))
        .cloned()
        .ok_or_else(|| {
            format!(
                "{text:?} is not a session status; one of: {}",
                names(SessionStatus::KNOWN.iter().map(SessionStatus::as_str))
            )
        })
}

/// A session type the appliance accepts as a filter (`Types`), in any casing.
pub(crate) fn parse_type(text: &str) -> Result<SessionTypeFilter, String> {
    let known = SessionType::KNOWN
        .iter()
        .find(|known| known.as_str().eq_ignore_ascii_case(text.trim()));
    let Some(known) = known else {
        return Err(format!(
            "{text:?} is not a session type; one of: {}",
            names(filter_types().map(|t| t.to_string()))
        ));
    };
    known.as_str().parse().map_err(|_| {
        format!(
            "{} is a type sessions can have, but the appliance does not accept it as a filter \
             (its Types filter lacks it); list the sessions without --type and look at the TYPE \
             column instead",
            known.as_str()
        )
    })
}

/// Every session type the `Types` filter accepts.
fn filter_types() -> impl Iterator<Item = SessionTypeFilter> {
    SessionType::KNOWN
        .iter()
        .filter_map(|t| t.as_str().parse::<SessionTypeFilter>().ok())
}

/// A time as the document writes `FromUtc` / `ToUtc`: `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn parse_time(text: &str) -> Result<Timestamp, String> {
    let fail = |why: &str| format!("{text:?} is not a time like 2024-05-01T00:00:00Z ({why})");
    let bytes = text.as_bytes();
    let shaped = bytes.len() == 20
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            10 => *b == b'T',
            13 | 16 => *b == b':',
            19 => *b == b'Z',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
        return Err(fail("YYYY-MM-DDTHH:MM:SSZ, in UTC"));
    }
    text.parse::<Timestamp>().map_err(|e| fail(&e.to_string()))
}

/// A UUID (a backup policy's id).
pub(crate) fn parse_uuid(text: &str) -> Result<uuid::Uuid, String> {
    uuid::Uuid::parse_str(text.trim()).map_err(|e| {
        format!("{text:?} is not a UUID like 3fa85f64-5717-4562-b3fc-2c963f66afa6 ({e})")
    })
}

/// A positive, finite number of requests per second.
pub(crate) fn parse_rate(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(rate) if rate.is_finite() && rate > 0.0 && rate <= 100_000.0 => Ok(rate),
        _ => Err(format!(
            "{text:?} is not a rate: give a number of requests per second above 0 (e.g. 50 or 0.5)"
        )),
    }
}

fn names(values: impl Iterator<Item = impl AsRef<str>>) -> String {
    values
        .map(|v| v.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The part of a filter the client applies itself, when the appliance (v1) cannot.
pub(crate) struct ClientFilter<'a>(pub(crate) &'a SessionFilter);

impl ClientFilter<'_> {
    /// Whether `session` passes: its status and type among those asked for, and its start
    /// within the times. A session without a start time fails a time bound (nothing says it
    /// is inside).
    pub(crate) fn matches(&self, session: &Session) -> bool {
        let filter = self.0;
        let status = filter.statuses.is_empty() || filter.statuses.contains(&session.status);
        let kind = filter.types.is_empty()
            || session.session_type.as_ref().is_some_and(|kind| {
                filter
                    .types
                    .iter()
                    .any(|wanted| wanted.to_string() == kind.as_str())
            });
        let started = session.execution_start_time;
        let since = filter
            .from
            .is_none_or(|from| started.is_some_and(|s| s >= from));
        let until = filter.to.is_none_or(|to| started.is_some_and(|s| s <= to));
        status && kind && since && until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_types_are_read_in_any_casing_and_typos_are_refused() {
        assert_eq!(parse_status("success"), Ok(SessionStatus::Success));
        assert_eq!(
            parse_status("RunningWithWarning"),
            Ok(SessionStatus::RunningWithWarning)
        );
        let typo = parse_status("Sucess").unwrap_err();
        assert!(typo.contains("one of: Canceled, Canceling"), "{typo}");
        assert_eq!(
            parse_type("backupdeletion").map(|t| t.to_string()),
            Ok("BackupDeletion".to_string())
        );
        let retention = parse_type("VmSnapshotRetention").unwrap_err();
        assert!(
            retention.contains("does not accept it as a filter"),
            "{retention}"
        );
        let unknown = parse_type("Nightly").unwrap_err();
        assert!(unknown.contains("is not a session type"), "{unknown}");
        assert!(!unknown.contains("VmSnapshotRetention"), "{unknown}");
    }

    #[test]
    fn times_have_the_documented_shape() {
        assert_eq!(
            parse_time("2024-05-01T10:20:30Z").map(|t| t.to_string()),
            Ok("2024-05-01T10:20:30Z".to_string())
        );
        for bad in [
            "2024-05-01",
            "2024-05-01T10:20:30",
            "2024-05-01T10:20:30.5Z",
            "2024-05-01T10:20:30+02:00",
            "2024-13-01T10:20:30Z",
            "2024-02-30T10:20:30Z",
            "yesterday",
            "",
        ] {
            assert!(parse_time(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn rates_are_positive_and_finite() {
        assert_eq!(parse_rate("50"), Ok(50.0));
        assert_eq!(parse_rate("0.5"), Ok(0.5));
        for bad in ["0", "-1", "NaN", "inf", "fast", ""] {
            assert!(parse_rate(bad).is_err(), "{bad:?}");
        }
        assert!(parse_uuid("3fa85f64-5717-4562-b3fc-2c963f66afa6").is_ok());
        assert!(parse_uuid("policy-1").is_err());
    }

    #[test]
    fn reads_units_and_combinations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_duration("1.5h"), Ok(Duration::from_secs(5400)));
        for bad in ["", "90", "s", "-1s", "10x", "99999999999999s", "400d"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
