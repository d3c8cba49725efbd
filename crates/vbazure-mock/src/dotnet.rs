//! The text formats a .NET server writes, written here by the mock itself.
//!
//! The mock does not borrow the client's formatting (`vbazure::Timestamp`, `TimeSpan`): it is
//! the other side of the contract, and a bug it shared with the client would be invisible to
//! every test of the client against the mock.

use chrono::{DateTime, Datelike, TimeDelta, Timelike, Utc};

/// Nanoseconds in one .NET tick.
const NANOS_PER_TICK: i64 = 100;
/// Ticks in one second.
const TICKS_PER_SECOND: i64 = 10_000_000;

/// A UTC time as .NET's round-trip format writes it with trailing zeros trimmed:
/// `2020-02-03T13:53:00.4098143Z`, `2020-02-05T10:43:57.039827Z`, `0001-01-01T00:00:00Z`.
/// Below the 100 ns tick the time is truncated, as a .NET `DateTime` holds no more.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    let ticks = i64::from(t.nanosecond() % 1_000_000_000) / NANOS_PER_TICK;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        // A leap second (nanosecond >= 1e9 in chrono) is written as second 59, as .NET has none.
        t.second(),
        fraction(ticks, false),
    )
}

/// A duration in .NET's TimeSpan constant (`"c"`) format, `[-][d.]hh:mm:ss[.fffffff]`: the
/// fraction has always 7 digits and is left out when zero (`00:02:33.8496840`, `00:00:00`).
/// Below the 100 ns tick the duration is truncated toward zero, as .NET holds no more.
pub(crate) fn time_span(d: TimeDelta) -> String {
    // i128: `TimeDelta` spans more ticks than an i64 holds. Seconds and the nanoseconds
    // beyond them carry the same sign, so the sum truncates toward zero.
    let ticks = i128::from(d.num_seconds()) * i128::from(TICKS_PER_SECOND)
        + i128::from(d.subsec_nanos()) / i128::from(NANOS_PER_TICK);
    let sign = if ticks < 0 { "-" } else { "" };
    let ticks = ticks.unsigned_abs();
    let per_second = u128::from(TICKS_PER_SECOND.unsigned_abs());
    let seconds = ticks / per_second;
    let fraction_ticks = ticks % per_second;
    let (days, hours, minutes, secs) = (
        seconds / 86_400,
        seconds / 3600 % 24,
        seconds / 60 % 60,
        seconds % 60,
    );
    let days = if days > 0 {
        format!("{days}.")
    } else {
        String::new()
    };
    // `fraction_ticks` < 10^7: it fits an i64.
    let fraction_ticks = i64::try_from(fraction_ticks).unwrap_or_default();
    format!(
        "{sign}{days}{hours:02}:{minutes:02}:{secs:02}{}",
        fraction(fraction_ticks, true)
    )
}

/// 128 random bits as a version-4 Guid, in .NET's default text form: lower-case hex,
/// hyphenated 8-4-4-4-12 (`2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20`).
pub(crate) fn guid(bits: u128) -> String {
    let mut bytes = bits.to_be_bytes();
    // The version (4, random) and the variant (RFC 4122) bits.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    // Two digits per byte: 32 ASCII digits, so the slices below are in bounds.
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// `.fffffff` for ticks below one second: all seven digits, or trailing zeros trimmed; nothing
/// when zero.
fn fraction(ticks: i64, all_digits: bool) -> String {
    if ticks == 0 {
        return String::new();
    }
    let digits = format!("{ticks:07}");
    if all_digits {
        format!(".{digits}")
    } else {
        format!(".{}", digits.trim_end_matches('0'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `key: "value"` line of the embedded documents whose key passes `is_key`.
    fn documented(is_key: impl Fn(&str) -> bool) -> Vec<&'static str> {
        [crate::SPEC, crate::SPEC_V8_1]
            .into_iter()
            .flat_map(str::lines)
            .filter_map(|line| {
                let (key, value) = line.trim().trim_start_matches("- ").split_once(": ")?;
                let value = value.strip_prefix('"')?.strip_suffix('"')?;
                is_key(key).then_some(value)
            })
            .collect()
    }

    /// The documented timestamps: the start, stop and log times and the tokens' times.
    fn documented_timestamps() -> Vec<&'static str> {
        documented(|key| key.ends_with("Time") || key == ".issued" || key == ".expires")
    }

    /// A TimeSpan text back to a signed number of ticks (the test's own reading, checked
    /// against `vbazure_spec::formats` first).
    fn ticks_of(text: &str) -> i64 {
        assert!(vbazure_spec::formats::is_time_span(text), "{text}");
        let (sign, rest) = match text.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, text),
        };
        let (days, clock) = match rest.split_once('.') {
            Some((d, clock)) if clock.contains(':') => (d.parse::<i64>().unwrap_or(0), clock),
            _ => (0, rest),
        };
        let (clock, fraction) = clock.split_once('.').unwrap_or((clock, "0"));
        let fraction: i64 = format!("{fraction:0<7}").parse().unwrap_or(0);
        let hms: Vec<i64> = clock.split(':').map(|p| p.parse().unwrap_or(0)).collect();
        let seconds = days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2];
        sign * (seconds * TICKS_PER_SECOND + fraction)
    }

    #[test]
    fn timestamps_are_written_as_the_documented_examples() {
        let examples = documented_timestamps();
        assert!(
            examples.len() >= 10,
            "the spec's examples were found: {examples:?}"
        );
        assert!(examples.contains(&"2020-02-03T13:53:00.4098143Z"));
        assert!(examples.contains(&"2020-02-05T10:43:57.039827Z"));
        // v8.1's, with three fractional digits and none.
        assert!(examples.contains(&"2024-10-04T15:12:09.118Z"));
        assert!(examples.contains(&"2024-10-04T15:02:40Z"));
        for example in examples {
            assert!(vbazure_spec::formats::is_date_time(example), "{example}");
            let parsed: DateTime<Utc> = example.parse().expect("an RFC 3339 time");
            assert_eq!(timestamp(parsed), example);
        }
    }

    #[test]
    fn timestamps_at_the_edges() {
        let parse = |s: &str| s.parse::<DateTime<Utc>>().expect("a time");
        assert_eq!(
            timestamp(DateTime::<Utc>::MIN_UTC.with_year(1).expect("year 1")),
            "0001-01-01T00:00:00Z"
        );
        assert_eq!(
            timestamp(parse("2020-02-03T13:53:00.5Z")),
            "2020-02-03T13:53:00.5Z"
        );
        // Nanoseconds below the tick are dropped, not rounded.
        assert_eq!(
            timestamp(parse("2020-02-03T13:53:00.123456789Z")),
            "2020-02-03T13:53:00.1234567Z"
        );
        assert_eq!(
            timestamp(parse("2020-02-03T13:53:00.00000009Z")),
            "2020-02-03T13:53:00Z"
        );
        // Another offset is written in UTC.
        let local = "2024-02-29T01:00:00+01:00".parse::<DateTime<chrono::FixedOffset>>();
        assert_eq!(
            timestamp(local.expect("a time").with_timezone(&Utc)),
            "2024-02-29T00:00:00Z"
        );
    }

    #[test]
    fn durations_are_written_as_the_documented_examples() {
        let examples = documented(|key| key == "executionDuration");
        assert!(
            examples.len() >= 5,
            "the spec's examples were found: {examples:?}"
        );
        assert!(examples.contains(&"00:02:33.8496840"));
        assert!(examples.contains(&"00:01:31.3287001"), "v8.1's");
        for example in examples {
            let ticks = ticks_of(example);
            assert_eq!(
                time_span(TimeDelta::nanoseconds(ticks * NANOS_PER_TICK)),
                example
            );
        }
    }

    #[test]
    fn guids_are_written_as_dotnet_writes_them() {
        let documented = "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20";
        let bits = u128::from_str_radix(&documented.replace('-', ""), 16).expect("hex");
        assert_eq!(
            guid(bits),
            documented,
            "a version-4 Guid is written unchanged"
        );
        assert_eq!(guid(0), "00000000-0000-4000-8000-000000000000");
        assert_eq!(guid(u128::MAX), "ffffffff-ffff-4fff-bfff-ffffffffffff");
    }

    #[test]
    fn durations_at_the_edges() {
        let cases = [
            (TimeDelta::zero(), "00:00:00"),
            (
                TimeDelta::milliseconds(83)
                    + TimeDelta::microseconds(779)
                    + TimeDelta::nanoseconds(899),
                "00:00:00.0837798",
            ),
            (
                TimeDelta::seconds(31) + TimeDelta::nanoseconds(837_093_000),
                "00:00:31.8370930",
            ),
            (TimeDelta::seconds(86_400 + 3600 + 61), "1.01:01:01"),
            (
                TimeDelta::days(12) + TimeDelta::nanoseconds(100),
                "12.00:00:00.0000001",
            ),
            (TimeDelta::nanoseconds(99), "00:00:00"),
            (-TimeDelta::seconds(90), "-00:01:30"),
            (
                -(TimeDelta::days(2) + TimeDelta::milliseconds(500)),
                "-2.00:00:00.5000000",
            ),
        ];
        for (duration, text) in cases {
            assert_eq!(time_span(duration), text, "{duration:?}");
            assert!(vbazure_spec::formats::is_time_span(text), "{text}");
            assert_eq!(
                ticks_of(text),
                duration.num_nanoseconds().expect("small") / NANOS_PER_TICK
            );
        }
        // Beyond what nanoseconds in an i64 hold (about 292 years): still whole.
        assert_eq!(time_span(TimeDelta::days(200_000)), "200000.00:00:00");
    }
}
