//! Durations on the command line: `90s`, `15m`, `2h`, `1h30m`, `500ms`.

use std::time::Duration;

/// Parses a duration made of numbers with units `ms`, `s`, `m`, `h`, `d`.
pub(crate) fn parse_duration(text: &str) -> Result<Duration, String> {
    let fail = || format!("{text:?} is not a duration like 90s, 15m, 2h or 1h30m");
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(fail());
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return Err(fail());
        }
        let number: u64 = rest[..digits].parse().map_err(|_| fail())?;
        rest = &rest[digits..];
        let unit_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
        let unit = match &rest[..unit_len] {
            "ms" => Duration::from_millis(1),
            "s" => Duration::from_secs(1),
            "m" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            "d" => Duration::from_secs(86_400),
            _ => return Err(fail()),
        };
        rest = &rest[unit_len..];
        let part = unit
            .checked_mul(u32::try_from(number).map_err(|_| fail())?)
            .ok_or_else(fail)?;
        total = total.checked_add(part).ok_or_else(fail)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units_and_combinations() {
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in [
            "",
            "90",
            "s",
            "1.5h",
            "-1s",
            "10x",
            "1h 30m",
            "99999999999999s",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }
}
