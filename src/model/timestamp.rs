//! Timestamps as the appliance (a .NET service) writes them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Timelike, Utc};

use super::cursor::Cursor;

/// A point in time, as the appliance writes it: UTC, `Z`, and a fraction of a second with its
/// trailing zeros dropped (`2020-02-03T13:53:00.4098143Z`, `2020-02-05T10:43:57.039827Z`,
/// `0001-01-01T00:00:00Z`).
///
/// Every `format: date-time` of the spec is generated as this type, because
/// `chrono::DateTime`'s serde form writes nine fractional digits and so changes every
/// timestamp it passes on. Parsing accepts 0 to 9 fractional digits (the server's 100 ns ticks
/// need 7) and an offset of `Z` or `±hh:mm`, which is converted to UTC; writing gives the
/// server's form, so what the server wrote comes back unchanged.
///
/// ```
/// use vbazure::Timestamp;
/// let t: Timestamp = "2020-02-03T13:53:00.4098143Z".parse().unwrap();
/// assert_eq!(t.to_string(), "2020-02-03T13:53:00.4098143Z");
/// assert_eq!(t.as_datetime().timestamp_subsec_nanos(), 409_814_300);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

/// Why a string is not a [`Timestamp`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a timestamp like 2020-02-03T13:53:00.4098143Z: {reason}")]
pub struct TimestampParseError {
    input: String,
    reason: &'static str,
}

impl Timestamp {
    /// The instant as a `chrono` UTC date-time.
    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }
}

impl From<DateTime<Utc>> for Timestamp {
    fn from(value: DateTime<Utc>) -> Self {
        Self(value)
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(value: Timestamp) -> Self {
        value.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (date, time) = (self.0.date_naive(), self.0.time());
        let Ok(year @ 0..=9999) = u32::try_from(date.year()) else {
            // Outside the format's four-digit years (only a `DateTime` from elsewhere can be).
            return write!(f, "{}", self.0.format("%Y-%m-%dT%H:%M:%S%.fZ"));
        };
        // Digits go into a stack buffer by hand: chrono's `format` parses its pattern on every
        // call, and encoding a page of sessions is mostly timestamps.
        let mut text = Digits::default();
        text.number(year, 4);
        text.byte(b'-');
        text.number(date.month(), 2);
        text.byte(b'-');
        text.number(date.day(), 2);
        text.byte(b'T');
        text.number(time.hour(), 2);
        text.byte(b':');
        text.number(time.minute(), 2);
        text.byte(b':');
        text.number(time.second(), 2);
        let (mut fraction, mut width) = (time.nanosecond().min(999_999_999), 9);
        if fraction > 0 {
            while fraction % 10 == 0 {
                fraction /= 10;
                width -= 1;
            }
            text.byte(b'.');
            text.number(fraction, width);
        }
        text.byte(b'Z');
        f.write_str(text.as_str())
    }
}

/// ASCII text of at most 32 bytes, built on the stack.
#[derive(Default)]
struct Digits {
    bytes: [u8; 32],
    len: usize,
}

impl Digits {
    fn byte(&mut self, b: u8) {
        if let Some(slot) = self.bytes.get_mut(self.len) {
            *slot = b;
            self.len += 1;
        }
    }

    /// `value` in exactly `width` digits, zero-padded.
    fn number(&mut self, value: u32, width: u32) {
        for place in (0..width).rev() {
            self.byte(b'0' + (value / 10u32.pow(place) % 10) as u8);
        }
    }

    fn as_str(&self) -> &str {
        // Only ASCII bytes are ever written.
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = TimestampParseError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| TimestampParseError {
            input: input.chars().take(64).collect(),
            reason,
        };
        let mut cursor = Cursor(input.as_bytes());
        let year = cursor
            .digits(4)
            .ok_or_else(|| fail("the year must have four digits"))?;
        cursor
            .expect(b'-')
            .ok_or_else(|| fail("expected `-` after the year"))?;
        let month = cursor
            .digits(2)
            .ok_or_else(|| fail("the month must have two digits"))?;
        cursor
            .expect(b'-')
            .ok_or_else(|| fail("expected `-` after the month"))?;
        let day = cursor
            .digits(2)
            .ok_or_else(|| fail("the day must have two digits"))?;
        cursor
            .expect_any(b"Tt")
            .ok_or_else(|| fail("expected `T` between the date and the time"))?;
        let hour = cursor
            .digits(2)
            .ok_or_else(|| fail("the hour must have two digits"))?;
        cursor
            .expect(b':')
            .ok_or_else(|| fail("expected `:` after the hour"))?;
        let minute = cursor
            .digits(2)
            .ok_or_else(|| fail("the minutes must have two digits"))?;
        cursor
            .expect(b':')
            .ok_or_else(|| fail("expected `:` after the minutes"))?;
        let second = cursor
            .digits(2)
            .ok_or_else(|| fail("the seconds must have two digits"))?;
        let mut nanos = 0u32;
        if cursor.expect(b'.').is_some() {
            let (value, count) = cursor.fraction();
            if count == 0 || count > 9 {
                return Err(fail("the fraction of a second must have 1 to 9 digits"));
            }
            nanos = value * 10u32.pow(9 - count);
        }
        let offset_seconds: i64 = match cursor.next() {
            Some(b'Z' | b'z') => 0,
            Some(sign @ (b'+' | b'-')) => {
                let h = cursor
                    .digits(2)
                    .ok_or_else(|| fail("the offset must be ±hh:mm"))?;
                cursor
                    .expect(b':')
                    .ok_or_else(|| fail("the offset must be ±hh:mm"))?;
                let m = cursor
                    .digits(2)
                    .ok_or_else(|| fail("the offset must be ±hh:mm"))?;
                if h > 23 || m > 59 {
                    return Err(fail("the offset is out of range"));
                }
                let seconds = i64::from(h * 3600 + m * 60);
                if sign == b'-' {
                    -seconds
                } else {
                    seconds
                }
            }
            _ => return Err(fail("expected `Z` or an offset after the time")),
        };
        if !cursor.0.is_empty() {
            return Err(fail("unexpected text after the timestamp"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(fail("the time of day is out of range"));
        }
        let naive = NaiveDate::from_ymd_opt(year as i32, month, day)
            .and_then(|d| d.and_hms_nano_opt(hour, minute, second, nanos))
            .ok_or_else(|| fail("no such date"))?;
        let utc = Utc.from_utc_datetime(&naive) - chrono::TimeDelta::seconds(offset_seconds);
        // An offset may push the instant out of the four-digit years the format can write.
        if !(0..=9999).contains(&utc.year()) {
            return Err(fail(
                "the instant in UTC falls outside the years 0000 to 9999",
            ));
        }
        Ok(Self(utc))
    }
}

super::text_serde::serde_as_text!(Timestamp);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        text.parse::<Timestamp>()
            .map(|t| t.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn documented_timestamps_come_back_unchanged() {
        for text in [
            "2020-02-03T13:53:00.4098143Z",
            "2020-02-05T10:43:57.039827Z",
            "0001-01-01T00:00:00Z",
            "2020-02-04T00:00:45.9Z",
            "9999-12-31T23:59:59.9999999Z",
            "2021-10-04T15:57:38.123456789Z",
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn other_spellings_are_written_the_servers_way() {
        assert_eq!(
            round_trip("2020-02-03T13:53:00.4098140Z"),
            "2020-02-03T13:53:00.409814Z"
        );
        assert_eq!(
            round_trip("2020-02-03T13:53:00.000Z"),
            "2020-02-03T13:53:00Z"
        );
        assert_eq!(
            round_trip("2020-02-03t14:53:00+01:00"),
            "2020-02-03T13:53:00Z"
        );
        assert_eq!(
            round_trip("2020-02-03T12:23:00-01:30"),
            "2020-02-03T13:53:00Z"
        );
    }

    #[test]
    fn converts_to_and_from_chrono() {
        let t: Timestamp = "2020-02-03T13:53:00.4098143Z".parse().unwrap();
        let dt: DateTime<Utc> = t.into();
        assert_eq!(dt.to_rfc3339(), "2020-02-03T13:53:00.409814300+00:00");
        assert_eq!(Timestamp::from(dt), t);
    }

    #[test]
    fn bad_input_is_an_error_that_says_why() {
        for (text, reason) in [
            ("", "year"),
            ("2020-02-30T00:00:00Z", "no such date"),
            ("2020-02-03T24:00:00Z", "out of range"),
            ("2020-02-03T13:53:60Z", "out of range"),
            ("2020-02-03T13:53:00", "expected `Z`"),
            ("2020-02-03T13:53:00.Z", "1 to 9 digits"),
            ("2020-02-03T13:53:00.1234567890Z", "1 to 9 digits"),
            ("2020-02-03T13:53:00Zjunk", "unexpected text"),
            ("2020-02-03 13:53:00Z", "`T`"),
            ("2020-02-03T13:53:00+25:00", "offset"),
            ("9999-12-31T23:00:00-02:00", "outside the years"),
            ("٢٠٢٠-02-03T13:53:00Z", "year"),
        ] {
            let message = round_trip(text);
            assert!(message.contains(reason), "{text:?}: {message}");
        }
    }

    #[test]
    fn serde_uses_the_servers_form() {
        let t: Timestamp = serde_json::from_str("\"2020-02-03T13:53:00.4098143Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2020-02-03T13:53:00.4098143Z\""
        );
        assert!(serde_json::from_str::<Timestamp>("17").is_err());
        assert_eq!(format!("{t:?}"), "Timestamp(2020-02-03T13:53:00.4098143Z)");
    }
}
