//! Property tests of the hand-written parsers: format then parse gives the value back, parse
//! then format gives the canonical string, and no string makes them panic.

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use vbazure::{TimeSpan, Timestamp};

/// 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z.
fn any_timestamp() -> impl Strategy<Value = Timestamp> {
    (-62_135_596_800i64..=253_402_300_799i64, 0u32..1_000_000_000).prop_map(|(secs, nanos)| {
        Timestamp::from(DateTime::<Utc>::from_timestamp(secs, nanos).expect("in range"))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn timestamp_format_then_parse_is_identity(t in any_timestamp()) {
        prop_assert_eq!(t.to_string().parse::<Timestamp>(), Ok(t));
    }

    #[test]
    fn timestamp_canonical_strings_come_back(
        text in r"(000[1-9]|[1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{0,6}[1-9])?Z"
    ) {
        let parsed: Timestamp = text.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn timestamp_any_accepted_spelling_formats_canonically(
        text in r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|z|[+-][0-9]{2}:[0-9]{2})"
    ) {
        if let Ok(parsed) = text.parse::<Timestamp>() {
            let canonical = parsed.to_string();
            prop_assert_eq!(canonical.parse::<Timestamp>(), Ok(parsed));
            prop_assert!(canonical.ends_with('Z'), "{}", canonical);
            // A fraction, when there is one, has no trailing zero.
            if canonical.contains('.') {
                prop_assert!(!canonical.ends_with("0Z"), "{}", canonical);
            }
        }
    }

    #[test]
    fn timestamp_arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = text.parse::<Timestamp>();
    }

    #[test]
    fn timestamp_near_misses_never_panic(text in r"[0-9T:.Zz+\- ]{0,40}") {
        let _ = text.parse::<Timestamp>();
    }

    #[test]
    fn time_span_format_then_parse_is_identity(ticks in any::<i64>()) {
        let span = TimeSpan::from_ticks(ticks);
        prop_assert_eq!(span.to_string().parse::<TimeSpan>(), Ok(span));
    }

    #[test]
    fn time_span_canonical_strings_come_back(
        text in r"-?([1-9][0-9]{0,5}\.)?([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{7})?"
    ) {
        let parsed: TimeSpan = text.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let expected = if parsed.ticks() == 0 { "00:00:00".to_string() } else { text.clone() };
        // A fraction of all zeros is not written back, as .NET does not write it.
        let expected = expected.strip_suffix(".0000000").map(str::to_string).unwrap_or(expected);
        prop_assert_eq!(parsed.to_string(), expected);
    }

    #[test]
    fn time_span_to_std_keeps_every_tick(ticks in 0i64..=i64::MAX) {
        let std = TimeSpan::from_ticks(ticks).to_std().expect("non-negative");
        prop_assert_eq!(TimeSpan::try_from(std), Ok(TimeSpan::from_ticks(ticks)));
    }

    #[test]
    fn time_span_arbitrary_strings_never_panic(text in any::<String>()) {
        let _ = text.parse::<TimeSpan>();
    }

    #[test]
    fn time_span_near_misses_never_panic(text in r"[0-9:.\-]{0,40}") {
        let _ = text.parse::<TimeSpan>();
    }
}
