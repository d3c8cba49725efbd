//! The real `vbazure` binary, run as a user runs it, in one test binary. The modules that
//! start the mock appliance in this process need the `mock` feature (on by default); the
//! others script the appliance with wiremock.

mod support;
// The README's example outputs (shared with the other crates' tests).
#[path = "../../../../tests/support/readme.rs"]
#[cfg(feature = "mock")]
mod readme;

#[cfg(feature = "mock")]
mod commands;
#[cfg(feature = "mock")]
mod commands_v8_1;
#[cfg(feature = "mock")]
mod conformance;
mod docs;
#[cfg(feature = "mock")]
mod journal;
mod nulls;
#[cfg(feature = "mock")]
mod output;
#[cfg(feature = "mock")]
mod restore_points;
// A pseudo-terminal: Unix only.
#[cfg(feature = "mock")]
mod profiles;
#[cfg(all(unix, feature = "mock"))]
mod prompts;
// `delete-backups --kind` and `delete-snapshots` against the stateful mock.
#[cfg(feature = "mock")]
mod removals;
mod scripted_v8_1;
#[cfg(feature = "mock")]
mod token_cache;
