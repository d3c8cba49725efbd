//! A mock Veeam Backup for Microsoft Azure appliance, driven by vbazure's `openapi.yaml`.
//!
//! It serves every operation of the spec: the routes, parameters, security and examples come
//! from the document. The operations of the "delete a VM's backups, then follow the session"
//! flow keep state: tokens expire, sessions advance to a final status, logs grow, stops cancel.
//! Every request is checked against the spec (problem-details answers, as the real API gives),
//! and every answer is checked against its schema before it is sent.
//!
//! The mock is a server for any client: it knows nothing of the `vbazure` client, and writes
//! the server's formats (.NET times and durations) itself. A client needs its URL and the
//! credentials it accepts:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = vbazure_mock::MockAppliance::start().await?;
//! let config = mock.config();
//! let appliance = vbazure::Appliance::builder(mock.url())
//!     .credentials(config.username, config.password)
//!     .build()?;
//! appliance.login().await?;
//! let session = appliance.delete_backups("vm-1").await?;
//! # Ok(()) }
//! ```

mod config;
mod dotnet;
mod handlers;
mod reply;
mod routes;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use vbazure_spec::Document;

pub use config::{FinalStatus, MockConfig, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME};
pub use routes::RouteError;

use crate::config::InjectedFailures;
use crate::routes::Routes;
use crate::server::Shared;
use crate::state::State;

/// The spec the mock serves unless given another, embedded at build time.
pub const SPEC: &str = include_str!("../../../openapi.yaml");

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Two documented paths cannot be told apart by the router.
    #[error(transparent)]
    Routes(#[from] routes::RouteError),
    /// The spec could not be read.
    #[error("the spec cannot be read: {0}")]
    Spec(#[from] vbazure_spec::LoadError),
    /// The address could not be bound.
    #[error("cannot listen on {address}: {error}")]
    Bind {
        /// The address asked for.
        address: SocketAddr,
        /// Why.
        error: std::io::Error,
    },
}

/// Settings of a [`MockAppliance`] before it starts.
#[derive(Debug)]
pub struct MockBuilder {
    config: MockConfig,
    spec_text: Option<String>,
    address: SocketAddr,
}

impl Default for MockBuilder {
    fn default() -> Self {
        Self {
            config: MockConfig::default(),
            spec_text: None,
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

impl MockBuilder {
    /// All settings at once.
    pub fn config(mut self, config: MockConfig) -> Self {
        self.config = config;
        self
    }

    /// How sessions reach their final status.
    pub fn progress(mut self, progress: Progress) -> Self {
        self.config.progress = progress;
        self
    }

    /// The status finished deletions get.
    pub fn final_status(mut self, status: FinalStatus) -> Self {
        self.config.final_status = status;
        self
    }

    /// Added before every answer.
    pub fn latency(mut self, latency: Duration) -> Self {
        self.config.latency = latency;
        self
    }

    /// How long access tokens live.
    pub fn token_lifetime(mut self, lifetime: Duration) -> Self {
        self.config.token_lifetime = lifetime;
        self
    }

    /// Only these VMs exist: `deleteBackups` answers 404 for any other id.
    pub fn known_vms<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.config.known_vms = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// Serve this spec instead of the embedded one.
    pub fn spec_text(mut self, text: impl Into<String>) -> Self {
        self.spec_text = Some(text.into());
        self
    }

    /// Listen on this loopback address (port 0 picks a free port).
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// Starts serving on a task of the current tokio runtime.
    pub async fn start(self) -> Result<MockAppliance, StartError> {
        let doc = Document::parse("openapi.yaml", self.spec_text.as_deref().unwrap_or(SPEC))?;
        let listener = server::bind(self.address)
            .await
            .map_err(|error| StartError::Bind {
                address: self.address,
                error,
            })?;
        let address = listener.local_addr().map_err(|error| StartError::Bind {
            address: self.address,
            error,
        })?;
        let url = format!("http://{address}");
        let routes = Routes::from_document(&doc)?;
        let shared = Arc::new(Shared {
            routes,
            doc,
            base_url: url.clone(),
            config: Mutex::new(self.config),
            state: Mutex::new(State::new()),
            failures: Mutex::new(InjectedFailures::default()),
            violations: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(MockAppliance {
            url,
            shared,
            stop,
            task: Some(task),
        })
    }
}

/// A running mock appliance on a loopback port. It stops when dropped.
pub struct MockAppliance {
    url: String,
    shared: Arc<Shared>,
    stop: watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for MockAppliance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MockAppliance")
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl MockAppliance {
    /// A mock with the default settings.
    pub async fn start() -> Result<Self, StartError> {
        Self::builder().start().await
    }

    /// Settings for a mock.
    pub fn builder() -> MockBuilder {
        MockBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:<port>`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The settings it runs with now, the credentials it accepts among them
    /// (`username`, `password`).
    pub fn config(&self) -> MockConfig {
        self.shared.config()
    }

    /// The next `count` requests, whatever they are, are answered with `status`.
    pub fn fail_next(&self, count: u32, status: u16) {
        self.shared.inject_failures(count, status);
    }

    /// Changes settings while the mock runs (latency, progress, final status, known VMs).
    pub fn configure(&self, update: impl FnOnce(&mut MockConfig)) {
        self.shared.set_config(update);
    }

    /// Answers the mock produced that broke the spec (it sent a 500 instead of each). Tests
    /// assert this is empty.
    pub fn violations(&self) -> Vec<String> {
        self.shared.violations()
    }

    /// How many requests it has received.
    pub fn requests(&self) -> u64 {
        self.shared.requests.load(Ordering::Relaxed)
    }

    /// Stops serving and waits until it has.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for MockAppliance {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
