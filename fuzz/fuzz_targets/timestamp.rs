//! Any text either parses into a timestamp that formats and parses back to itself, or is an
//! error; it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vbazure::Timestamp;

fuzz_target!(|text: &str| {
    if let Ok(parsed) = text.parse::<Timestamp>() {
        let canonical = parsed.to_string();
        assert_eq!(canonical.parse::<Timestamp>(), Ok(parsed), "{canonical}");
    }
});
