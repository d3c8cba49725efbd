//! What every request handler shares (the documents, the routes, the settings, the state),
//! and the locked reads and writes of it: the server's pipeline and the handlers both work on
//! it, so it lives below both.
//!
//! This file holds [`Shared`] and its settings and state; [`violations`] the answers that broke
//! their document, and [`record`] the request record (`--record`).

mod record;
mod violations;

use std::collections::BTreeMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Mutex, MutexGuard};

use vbazure_spec::{ApiVersion, Document};

use crate::config::{FinalStatus, InjectedFailures, MockConfig, Progress};
use crate::routes::Routes;
use crate::state::State;

use self::violations::Recorded;

/// Everything the request handlers share.
pub(crate) struct Shared {
    /// The documents served, by version; the routes lead into them.
    pub docs: BTreeMap<ApiVersion, Document>,
    pub routes: Routes,
    pub base_url: String,
    pub config: Mutex<MockConfig>,
    pub state: Mutex<State>,
    pub failures: Mutex<InjectedFailures>,
    pub violations: Mutex<Vec<Recorded>>,
    pub requests: AtomicU64,
    /// Where each request is written as a JSON line (`--record`), if anywhere.
    pub record: Option<Mutex<std::fs::File>>,
}

// A handler that panicked while holding a lock must not stop the mock serving others: the
// state it guards is still usable, so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Shared {
    pub(crate) fn config(&self) -> MockConfig {
        lock(&self.config).clone()
    }

    /// Reads the settings without copying them (the known VMs can be many).
    pub(crate) fn with_config<T>(&self, read: impl FnOnce(&MockConfig) -> T) -> T {
        read(&lock(&self.config))
    }

    /// How sessions progress and end, read on every poll.
    pub(crate) fn progression(&self) -> (Progress, FinalStatus) {
        self.with_config(|c| (c.progress, c.final_status))
    }

    pub(crate) fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    pub(crate) fn set_config(&self, update: impl FnOnce(&mut MockConfig)) {
        update(&mut lock(&self.config));
    }

    pub(crate) fn inject_failures(&self, count: u32, status: u16) {
        *lock(&self.failures) = InjectedFailures { count, status };
    }

    /// The versions served, oldest first.
    pub(crate) fn versions(&self) -> Vec<ApiVersion> {
        self.docs.keys().copied().collect()
    }

    /// The newest document served: errors raised before any operation is found (no such
    /// path, another method) are checked against its problem schema.
    pub(crate) fn newest_doc(&self) -> Option<&Document> {
        self.docs.values().next_back()
    }

    pub(crate) fn take_failure(&self) -> Option<u16> {
        let mut failures = lock(&self.failures);
        (failures.count > 0).then(|| {
            failures.count -= 1;
            failures.status
        })
    }
}
