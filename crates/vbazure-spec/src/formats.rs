//! Shape checks of the string formats the spec uses, for validation.

/// `YYYY-MM-DDThh:mm:ss[.f]` with `Z` or an offset: RFC 3339 `date-time`, a real calendar date.
pub fn is_date_time(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range.clone())
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    let number = |range: std::ops::Range<usize>| {
        text.get(range)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(99)
    };
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
    {
        return false;
    }
    if !matches!(b[10], b'T' | b't')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    let (year, month, day) = (number(0..4), number(5..7), number(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || number(11..13) > 23 || number(14..16) > 59 || number(17..19) > 60 {
        return false;
    }
    let mut rest = &text[19..];
    if let Some(fraction) = rest.strip_prefix('.') {
        let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    match rest.as_bytes() {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit()),
        _ => false,
    }
}

/// .NET TimeSpan constant format `[-][d.]hh:mm:ss[.fffffff]`.
pub fn is_time_span(text: &str) -> bool {
    let text = text.strip_prefix('-').unwrap_or(text);
    let (days, clock) = match text.split_once('.') {
        Some((d, rest)) if rest.contains(':') && !d.contains(':') => (Some(d), rest),
        _ => (None, text),
    };
    if days.is_some_and(|d| d.is_empty() || d.len() > 8 || !d.bytes().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let (clock, fraction) = match clock.split_once('.') {
        Some((c, f)) => (c, Some(f)),
        None => (clock, None),
    };
    if fraction
        .is_some_and(|f| f.is_empty() || f.len() > 7 || !f.bytes().all(|c| c.is_ascii_digit()))
    {
        return false;
    }
    let parts: Vec<&str> = clock.split(':').collect();
    let limits = [23, 59, 59];
    parts.len() == 3
        && parts.iter().zip(limits).all(|(p, max)| {
            p.len() == 2
                && p.bytes().all(|c| c.is_ascii_digit())
                && p.parse::<u32>().is_ok_and(|n| n <= max)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times() {
        for ok in [
            "2020-02-03T13:53:00.4098143Z",
            "0001-01-01T00:00:00Z",
            "2024-02-29T00:00:00+01:00",
        ] {
            assert!(is_date_time(ok), "{ok}");
        }
        for bad in [
            "2020-02-03",
            "2023-02-29T00:00:00Z",
            "2020-02-03T13:53:00",
            "2020-02-03T13:53:00.Z",
            "x",
        ] {
            assert!(!is_date_time(bad), "{bad}");
        }
    }

    #[test]
    fn time_spans() {
        for ok in [
            "00:00:00.0837798",
            "1.02:03:04",
            "-00:00:01",
            "10675199.02:48:05.4775807",
        ] {
            assert!(is_time_span(ok), "{ok}");
        }
        for bad in ["0:00:00", "00:60:00", "00:00:00.12345678", "1.", "PT1S", ""] {
            assert!(!is_time_span(bad), "{bad}");
        }
    }
}
