//! Any bytes either decode into a `JobSession` whose encoding decodes to the same session, or
//! are an error; decoding never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use vbazure::types::JobSession;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(session) = serde_json::from_slice::<JobSession>(bytes) {
        let encoded = serde_json::to_vec(&session).expect("a decoded session encodes");
        let again: JobSession = serde_json::from_slice(&encoded).expect("its encoding decodes");
        assert_eq!(again, session);
        let _ = session.is_finished();
    }
});
