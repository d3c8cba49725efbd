//! `-v`: the client's tracing events on stderr.
//!
//! Only the events of `vbazure` (the library: version detection, each request's operation,
//! status and time, retries, token renewals) and of this command are shown; the HTTP stack's
//! own events are not (they are not forwarded to tracing at all), so nothing prints headers.
//! The library's events carry no password or token.

use tracing::Level;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// Installs the subscriber for `-v` (debug) or `-vv` (trace); nothing without.
pub(crate) fn init(verbosity: u8) {
    let level = match verbosity {
        0 => return,
        1 => Level::DEBUG,
        _ => Level::TRACE,
    };
    // `vbazure` is a prefix of every target of the library and of this command
    // (`vbazure_cli`).
    let targets = Targets::new().with_target("vbazure", level);
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(false);
    // A second subscriber cannot be set (it never is): keep the first.
    let _ = tracing_subscriber::registry()
        .with(layer)
        .with(targets)
        .try_init();
}
