//! Durations as the appliance (a .NET service) writes them.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use super::cursor::Cursor;

const TICKS_PER_SECOND: i64 = 10_000_000;
const TICKS_PER_MINUTE: i64 = 60 * TICKS_PER_SECOND;
const TICKS_PER_HOUR: i64 = 60 * TICKS_PER_MINUTE;
const TICKS_PER_DAY: i64 = 24 * TICKS_PER_HOUR;

/// A length of time in .NET's 100-nanosecond ticks, written in the .NET TimeSpan constant
/// format `[-][d.]hh:mm:ss[.fffffff]`: `00:00:00.0837798`, `00:02:33.8496840`,
/// `1.02:03:04`. This is how the appliance writes `executionDuration`.
///
/// `Display` writes the constant format. A parsed value is written back exactly as it was
/// read (v8.1 appliances write `00:00:01.0000000`, with a fraction of zeros, where .NET's own
/// constant format would write `00:00:01`); one made from ticks or a `Duration` is written
/// as .NET writes it. Equality, order and hashing look at the length of time only.
/// The alternate form `{:#}` is for people: `2m 33.84s` (seconds cut, not rounded, to two
/// decimals).
///
/// ```
/// use vbazure::TimeSpan;
/// let d: TimeSpan = "00:02:33.8496840".parse().unwrap();
/// assert_eq!(d.to_string(), "00:02:33.8496840");
/// assert_eq!(format!("{d:#}"), "2m 33.84s");
/// assert_eq!(d.to_std(), Some(std::time::Duration::from_nanos(153_849_684_000)));
/// let one: TimeSpan = "00:00:01.0000000".parse().unwrap();
/// assert_eq!(one.to_string(), "00:00:01.0000000");
/// assert_eq!(one, TimeSpan::from_ticks(10_000_000));
/// assert_eq!(TimeSpan::from_ticks(10_000_000).to_string(), "00:00:01");
/// ```
#[derive(Clone, Copy, Default)]
pub struct TimeSpan {
    ticks: i64,
    /// How the text it was parsed from spelled it; `None` for the constant format.
    written: Option<Written>,
}

/// The parts of a duration's text that its length of time does not fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Written {
    /// Digits of the days (`0` when the text had no day part; `01.` has two).
    day_digits: u8,
    /// Digits of the fraction of a second (`0` when the text had none).
    fraction_digits: u8,
    /// Whether the text began with `-` (also `-00:00:00`).
    minus: bool,
}

impl PartialEq for TimeSpan {
    fn eq(&self, other: &Self) -> bool {
        self.ticks == other.ticks
    }
}

impl Eq for TimeSpan {}

impl PartialOrd for TimeSpan {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for TimeSpan {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.ticks.cmp(&other.ticks)
    }
}

impl std::hash::Hash for TimeSpan {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.ticks.hash(state);
    }
}

/// Why a string is not a [`TimeSpan`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{input}` is not a duration like 00:02:33.8496840 ([-][d.]hh:mm:ss[.fffffff]): {reason}")]
pub struct TimeSpanParseError {
    input: String,
    reason: &'static str,
}

/// A `std::time::Duration` longer than a [`TimeSpan`] can hold (about 29,227 years).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the duration is longer than a TimeSpan can hold")]
pub struct TimeSpanOverflow;

impl TimeSpan {
    /// The zero duration.
    pub const ZERO: Self = Self::from_ticks(0);

    /// A duration of `ticks` hundred-nanosecond ticks (negative for a negative duration).
    pub const fn from_ticks(ticks: i64) -> Self {
        Self {
            ticks,
            written: None,
        }
    }

    /// The number of 100-nanosecond ticks.
    pub const fn ticks(self) -> i64 {
        self.ticks
    }

    /// Whether the duration is below zero.
    pub const fn is_negative(self) -> bool {
        self.ticks < 0
    }

    /// The duration as a `std::time::Duration`, or `None` when it is negative.
    pub fn to_std(self) -> Option<Duration> {
        let ticks = u64::try_from(self.ticks).ok()?;
        let tps = TICKS_PER_SECOND.unsigned_abs();
        // The remainder of ticks is below 10^7, so times 100 stays below 10^9.
        Some(Duration::new(ticks / tps, (ticks % tps) as u32 * 100))
    }
}

impl TryFrom<TimeSpan> for Duration {
    /// The negative TimeSpan.
    type Error = TimeSpan;

    fn try_from(value: TimeSpan) -> Result<Self, Self::Error> {
        value.to_std().ok_or(value)
    }
}

impl TryFrom<Duration> for TimeSpan {
    type Error = TimeSpanOverflow;

    /// Converts, dropping any part below 100 ns.
    fn try_from(value: Duration) -> Result<Self, Self::Error> {
        let ticks = value.as_nanos() / 100;
        i64::try_from(ticks)
            .map(Self::from_ticks)
            .map_err(|_| TimeSpanOverflow)
    }
}

impl fmt::Display for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            return self.fmt_for_people(f);
        }
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        let ticks = self.ticks.unsigned_abs();
        let (day, hour, minute, second) = split(ticks);
        let fraction = ticks % TICKS_PER_SECOND.unsigned_abs();
        // The constant format: days only when there are some, seven digits of fraction only
        // when it is not zero.
        let written = self.written.unwrap_or(Written {
            day_digits: u8::from(day > 0),
            fraction_digits: if fraction > 0 { 7 } else { 0 },
            minus: self.ticks < 0,
        });
        if written.minus || self.ticks < 0 {
            f.write_str("-")?;
        }
        if written.day_digits > 0 || day > 0 {
            write!(f, "{day:0width$}.", width = usize::from(written.day_digits))?;
        }
        write!(f, "{hour:02}:{minute:02}:{second:02}")?;
        if written.fraction_digits > 0 {
            // A parsed fraction has no digits beyond those it was written with.
            let digits = u32::from(written.fraction_digits.min(7));
            write!(
                f,
                ".{:0width$}",
                fraction / 10u64.pow(7 - digits),
                width = digits as usize
            )?;
        } else if fraction > 0 {
            write!(f, ".{fraction:07}")?;
        }
        Ok(())
    }
}

/// Whole days, hours, minutes and seconds of a tick count.
fn split(ticks: u64) -> (u64, u64, u64, u64) {
    let unit = |n: i64| n.unsigned_abs();
    (
        ticks / unit(TICKS_PER_DAY),
        ticks % unit(TICKS_PER_DAY) / unit(TICKS_PER_HOUR),
        ticks % unit(TICKS_PER_HOUR) / unit(TICKS_PER_MINUTE),
        ticks % unit(TICKS_PER_MINUTE) / unit(TICKS_PER_SECOND),
    )
}

impl TimeSpan {
    /// `1d 2h 3m 4s`, `2m 33.84s`, `0.08s`: the largest units, seconds to two decimals.
    fn fmt_for_people(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ticks = self.ticks.unsigned_abs();
        let (day, hour, minute, _) = split(ticks);
        let seconds = (ticks % TICKS_PER_MINUTE.unsigned_abs()) as f64 / TICKS_PER_SECOND as f64;
        if self.ticks < 0 {
            f.write_str("-")?;
        }
        let mut parts = Vec::new();
        if day > 0 {
            parts.push(format!("{day}d"));
        }
        if hour > 0 {
            parts.push(format!("{hour}h"));
        }
        if minute > 0 {
            parts.push(format!("{minute}m"));
        }
        if day > 0 || hour > 0 {
            parts.push(format!("{}s", seconds.floor()));
        } else {
            parts.push(format!("{:.2}s", (seconds * 100.0).floor() / 100.0));
        }
        f.write_str(&parts.join(" "))
    }
}

impl fmt::Debug for TimeSpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TimeSpan({self})")
    }
}

impl FromStr for TimeSpan {
    type Err = TimeSpanParseError;

    /// Parses `[-][d.]hh:mm:ss[.f]` with 1 to 7 fractional digits (the server writes 7).
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let fail = |reason| TimeSpanParseError {
            input: input.chars().take(64).collect(),
            reason,
        };
        let mut cursor = Cursor(input.as_bytes());
        let negative = cursor.expect(b'-').is_some();
        // Either `d.hh` or `hh`: read the first number and see what follows it.
        let (first, first_digits) = cursor
            .number(8)
            .ok_or_else(|| fail("expected the days or the hours"))?;
        let (days, hours, day_digits) = if cursor.expect(b'.').is_some() {
            let hours = cursor
                .digits(2)
                .ok_or_else(|| fail("the hours must have two digits"))?;
            (first, u64::from(hours), first_digits)
        } else if first_digits == 2 {
            (0, first, 0)
        } else {
            return Err(fail("the hours must have two digits"));
        };
        cursor
            .expect(b':')
            .ok_or_else(|| fail("expected `:` after the hours"))?;
        let minutes = cursor
            .digits(2)
            .ok_or_else(|| fail("the minutes must have two digits"))?;
        cursor
            .expect(b':')
            .ok_or_else(|| fail("expected `:` after the minutes"))?;
        let seconds = cursor
            .digits(2)
            .ok_or_else(|| fail("the seconds must have two digits"))?;
        let mut fraction_ticks = 0u64;
        let mut fraction_digits = 0;
        if cursor.expect(b'.').is_some() {
            let (value, count) = cursor.fraction();
            if count == 0 || count > 7 {
                return Err(fail("the fraction of a second must have 1 to 7 digits"));
            }
            fraction_ticks = u64::from(value) * 10u64.pow(7 - count);
            fraction_digits = count;
        }
        if !cursor.0.is_empty() {
            return Err(fail("unexpected text after the duration"));
        }
        if hours > 23 || minutes > 59 || seconds > 59 {
            return Err(fail("hours, minutes or seconds out of range"));
        }
        let unit = |n: i64| n.unsigned_abs();
        let magnitude = days
            .checked_mul(unit(TICKS_PER_DAY))
            .and_then(|t| t.checked_add(hours * unit(TICKS_PER_HOUR)))
            .and_then(|t| t.checked_add(u64::from(minutes) * unit(TICKS_PER_MINUTE)))
            .and_then(|t| t.checked_add(u64::from(seconds) * unit(TICKS_PER_SECOND)))
            .and_then(|t| t.checked_add(fraction_ticks))
            .ok_or_else(|| fail("longer than a TimeSpan can hold"))?;
        let ticks = if negative {
            0i64.checked_sub_unsigned(magnitude)
        } else {
            i64::try_from(magnitude).ok()
        };
        let written = Written {
            day_digits: u8::try_from(day_digits).unwrap_or(u8::MAX),
            fraction_digits: u8::try_from(fraction_digits).unwrap_or(7),
            minus: negative,
        };
        ticks
            .map(|ticks| Self {
                ticks,
                written: Some(written),
            })
            .ok_or_else(|| fail("longer than a TimeSpan can hold"))
    }
}

super::text_serde::serde_as_text!(TimeSpan);

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(text: &str) -> String {
        text.parse::<TimeSpan>()
            .map(|t| t.to_string())
            .unwrap_or_else(|e| e.to_string())
    }

    #[test]
    fn documented_durations_come_back_unchanged() {
        for text in [
            "00:00:00.0837798",
            "00:02:33.8496840",
            "00:00:31.8370930",
            "00:00:08.2500000",
            "00:00:30",
            "1.02:03:04.0000001",
            "-00:00:01",
            "10675199.02:48:05.4775807",
            "-10675199.02:48:05.4775808",
            // Spellings the constant format would not choose: kept as written.
            "00:00:01.0000000",
            "00:00:00.0000000",
            "00:00:01.50",
            "0.00:00:01",
            "01.00:00:01.1",
            "-00:00:00",
        ] {
            assert_eq!(round_trip(text), text);
        }
    }

    #[test]
    fn values_and_conversions() {
        let d: TimeSpan = "00:00:00.0837798".parse().unwrap();
        assert_eq!(d.ticks(), 837_798);
        assert_eq!(d.to_std(), Some(Duration::from_nanos(83_779_800)));
        // Written back as it was read; the constant format only for a value made from ticks.
        assert_eq!(round_trip("00:00:08.25"), "00:00:08.25");
        let ticks = "00:00:08.25".parse::<TimeSpan>().unwrap().ticks();
        assert_eq!(TimeSpan::from_ticks(ticks).to_string(), "00:00:08.2500000");
        assert_eq!(
            "00:00:01.0000000".parse::<TimeSpan>().unwrap(),
            "00:00:01".parse::<TimeSpan>().unwrap()
        );
        assert_eq!(TimeSpan::from_ticks(-1).to_std(), None);
        assert_eq!(
            Duration::try_from(TimeSpan::from_ticks(-5)),
            Err(TimeSpan::from_ticks(-5))
        );
        assert_eq!(
            TimeSpan::try_from(Duration::from_nanos(1_234)),
            Ok(TimeSpan::from_ticks(12))
        );
        assert_eq!(TimeSpan::try_from(Duration::MAX), Err(TimeSpanOverflow));
        assert_eq!(
            TimeSpan::from_ticks(i64::MIN).to_string(),
            "-10675199.02:48:05.4775808"
        );
    }

    #[test]
    fn people_read_the_alternate_form() {
        let show = |s: &str| format!("{:#}", s.parse::<TimeSpan>().unwrap());
        assert_eq!(show("00:02:33.8496840"), "2m 33.84s");
        assert_eq!(show("00:00:00.0837798"), "0.08s");
        assert_eq!(show("1.02:03:04.9"), "1d 2h 3m 4s");
        assert_eq!(show("-00:00:05"), "-5.00s");
    }

    #[test]
    fn bad_input_is_an_error_that_says_why() {
        for (text, reason) in [
            ("", "days or the hours"),
            ("0:00:00", "two digits"),
            ("00:60:00", "out of range"),
            ("24:00:00", "out of range"),
            ("00:00:00.", "1 to 7 digits"),
            ("00:00:00.12345678", "1 to 7 digits"),
            ("10675200.00:00:00", "longer than"),
            ("99999999.23:59:59", "longer than"),
            ("00:00:00 ", "unexpected text"),
            ("--00:00:00", "days or the hours"),
            ("P1D", "days or the hours"),
        ] {
            let message = round_trip(text);
            assert!(message.contains(reason), "{text:?}: {message}");
        }
    }
}
