//! Any text either parses into a duration that formats and parses back to itself, or is an
//! error; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vbazure::TimeSpan;

fuzz_target!(|text: &str| {
    if let Ok(parsed) = text.parse::<TimeSpan>() {
        let canonical = parsed.to_string();
        assert_eq!(canonical.parse::<TimeSpan>(), Ok(parsed), "{canonical}");
        let _ = format!("{parsed:#}");
        let _ = parsed.to_std();
    }
});
