//! The request record (`--record`): one JSON line per request answered.

use std::io::Write;

use super::{lock, Shared};

impl Shared {
    /// Writes one request as a JSON line of the record, if there is one: what a client sent
    /// and what it got, without headers or bodies (no secrets). Each line is written whole in
    /// one call, unbuffered, so that a reader sees complete lines as they come.
    pub(crate) fn record(&self, method: &str, path: &str, query: Option<&str>, status: u16) {
        let Some(file) = &self.record else {
            return;
        };
        let mut line = serde_json::json!({
            "method": method,
            "path": path,
            "query": query,
            "status": status,
        })
        .to_string();
        line.push('\n');
        let mut file = lock(file);
        if let Err(error) = file.write_all(line.as_bytes()).and_then(|()| file.flush()) {
            eprintln!("vbazure-mock: cannot write the request record: {error}");
        }
    }
}
