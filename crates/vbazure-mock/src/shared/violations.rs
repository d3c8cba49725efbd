//! The answers that broke their document: recorded as the answer check finds them, said on
//! stderr, and read back by [`crate::MockAppliance::violations`].

use super::{lock, Shared};

/// One answer that broke its document.
pub(crate) struct Recorded {
    pub message: String,
    /// Whether a `--drift` asked for it (the answer was sent as it is).
    pub planned: bool,
}

impl Shared {
    /// The violations recorded; those a drift asked for only `with_planned`.
    pub(crate) fn violations(&self, with_planned: bool) -> Vec<String> {
        lock(&self.violations)
            .iter()
            .filter(|r| with_planned || !r.planned)
            .map(|r| r.message.clone())
            .collect()
    }

    pub(crate) fn record_violation(&self, message: String, planned: bool) {
        if planned {
            eprintln!("vbazure-mock: an answer drifted from the spec on purpose: {message}");
        } else {
            eprintln!("vbazure-mock: an answer broke the spec: {message}");
        }
        lock(&self.violations).push(Recorded { message, planned });
    }
}
