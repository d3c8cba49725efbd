//! A mock Veeam Backup for Microsoft Azure appliance, driven by vbazure's two documents:
//! `openapi.yaml` (API v1) and `openapi-v8.1.yaml` (API v8.1).
//!
//! By default it serves both at once, as an appliance that accepts several versions does: one
//! route table over the operations of both documents (their paths differ by `/api/v1` and
//! `/api/v8.1`; the token path `/api/oauth2/token` carries no version and is served once).
//! [`MockBuilder::api_versions`] serves fewer, so that clients' version detection can be
//! tested: an anonymous `GET /api/v8.1/system/about` answers 401 when v8.1 is served and 404
//! when it is not, and `GET /api/v1/jobSessions` likewise for v1.
//!
//! Every operation of the documents is served: the routes, parameters, security and examples
//! come from them. The operations of the "delete a VM's backups, then follow the session"
//! flow keep state: tokens expire (and v8.1 logs out and asks for a second factor), sessions
//! advance to a final status, logs grow, stops cancel; v8.1 has an inventory of protected VMs,
//! SQL databases, Cosmos DB accounts and file shares, each with restore points of various
//! ages, tiers and immutability ([`MockBuilder::restore_points`]), which removals (of an
//! item's snapshots or backups, or of one point) take away when their session finishes;
//! asynchronous operations, session filters, and what each session deleted.
//! Every request is checked against its document (problem-details answers, as the real API
//! gives), and every answer against its schema in that document before it is sent. On demand
//! ([`MockBuilder::drift`]), answers depart from the document in known ways, for testing
//! clients' conformance checks.
//!
//! The mock is a server for any client: it knows nothing of the `vbazure` client, and writes
//! the server's formats (.NET times and durations) itself. A client needs its URL and the
//! credentials it accepts:
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let mock = vbazure_mock::MockAppliance::builder()
//!     .vm("web-01", "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
//!     .start()
//!     .await?;
//! let config = mock.config();
//! let appliance = vbazure::Appliance::builder(mock.url())
//!     .credentials(config.username, config.password)
//!     .build()?;
//! appliance.login().await?;
//! let session = appliance
//!     .delete_backups("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```

mod call;
mod config;
mod dotnet;
mod drift;
mod handlers;
mod inventory;
mod operation_ids;
mod reply;
mod routes;
mod server;
mod shared;
mod state;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::watch;
use vbazure_spec::Document;

pub use config::{FinalStatus, MockConfig, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME};
pub use drift::Drift;
pub use inventory::RestorePointSpec;
pub use routes::RouteError;
/// The API versions the mock serves, each from its own document: the workspace's one
/// [`vbazure_spec::ApiVersion`] (names only: the mock shares no code of the client's). The
/// crate's modules name it from `vbazure_spec` too.
pub use vbazure_spec::ApiVersion;

use crate::config::InjectedFailures;
use crate::inventory::{Inventory, Plan, Workload};
use crate::routes::Routes;
use crate::shared::Shared;
use crate::state::State;

// `documents/` holds links to the workspace's documents, the one copy of each: the crate reads
// nothing outside itself, so that `cargo package` takes their content in (the build script
// reads the same links).

/// The API v1 document the mock serves unless given another, embedded at build time.
pub const SPEC: &str = include_str!("../documents/openapi.yaml");

/// The API v8.1 document the mock serves unless given another, embedded at build time.
pub const SPEC_V8_1: &str = include_str!("../documents/openapi-v8.1.yaml");

/// The most VMs [`MockBuilder::generate_vms`] makes (a page of all of them is then about
/// 100 MB of JSON).
pub const MAX_GENERATED_VMS: usize = inventory::MAX_GENERATED;

/// Why the mock could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Two documented paths cannot be told apart by the router.
    #[error(transparent)]
    Routes(#[from] routes::RouteError),
    /// A document could not be read.
    #[error("the spec cannot be read: {0}")]
    Spec(#[from] vbazure_spec::LoadError),
    /// A document given with [`MockBuilder::spec_text`] names no version the mock serves.
    #[error("the spec's info.version {found:?} is not an API version the mock serves (1 or 8.1)")]
    UnknownVersion {
        /// Its `info.version`, if it has one.
        found: Option<String>,
    },
    /// The settings contradict each other.
    #[error("{0}")]
    Settings(String),
    /// The request record could not be opened.
    #[error("cannot open the request record {}: {error}", path.display())]
    Record {
        /// The file asked for.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
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
    spec_texts: Vec<String>,
    address: SocketAddr,
    versions: Option<BTreeSet<ApiVersion>>,
    vms: Vec<(String, String)>,
    generated_vms: Option<usize>,
    no_backups: Vec<String>,
    items: Vec<(Workload, String, String)>,
    points: Vec<(String, Vec<RestorePointSpec>)>,
    record: Option<PathBuf>,
}

impl Default for MockBuilder {
    fn default() -> Self {
        Self {
            config: MockConfig::default(),
            spec_texts: Vec::new(),
            address: SocketAddr::from(([127, 0, 0, 1], 0)),
            versions: None,
            vms: Vec::new(),
            generated_vms: None,
            no_backups: Vec::new(),
            items: Vec::new(),
            points: Vec::new(),
            record: None,
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

    /// Only these VMs exist: `deleteBackups` answers 404 for any other id. They are also the
    /// v8.1 inventory (named by their ids), as [`MockBuilder::vm`] gives.
    pub fn known_vms<I: IntoIterator<Item = S>, S: Into<String>>(mut self, ids: I) -> Self {
        self.config.known_vms = Some(ids.into_iter().map(Into::into).collect());
        self
    }

    /// The API versions served (by default every one: 1 and 8.1). A version left out is
    /// answered 404 on all its paths, as an appliance that does not accept it answers.
    pub fn api_versions<I: IntoIterator<Item = ApiVersion>>(mut self, versions: I) -> Self {
        self.versions = Some(versions.into_iter().collect());
        self
    }

    /// A protected VM with this name and appliance id (repeatable). With any, these are the
    /// VMs there are (v8.1 lists them and answers 404 for other ids; v1's `deleteBackups`
    /// answers 404 for other ids too); without any, the mock makes up a few (see
    /// [`MockBuilder::generate_vms`]).
    pub fn vm(mut self, name: impl Into<String>, id: impl Into<String>) -> Self {
        self.vms.push((name.into(), id.into()));
        self
    }

    /// Makes up `count` protected VMs (at most [`MAX_GENERATED_VMS`]), after any given with
    /// [`MockBuilder::vm`]: the two of the v8.1 document's examples (`web-01`
    /// `4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64`, `db-01` `8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20`),
    /// then `app-03`, `app-04`, ... with UUIDs that are the same on every run. Without VMs
    /// given, the mock makes 4; for load tests, make thousands.
    pub fn generate_vms(mut self, count: usize) -> Self {
        self.generated_vms = Some(count);
        self
    }

    /// The VM with this id has no backups (repeatable): v8.1's deletions of it answer 204, as
    /// a VM whose backups a finished session removed does. An id not among the VMs is added
    /// to them (named by its id).
    pub fn no_backups(mut self, id: impl Into<String>) -> Self {
        self.no_backups.push(id.into());
        self
    }

    /// A protected Azure SQL database with this appliance id and name (repeatable, v8.1).
    /// With any, these are the databases there are; without any, the mock has three:
    /// `orders` (`6a8c0e2f-4b6d-4f81-9a3c-5e7a9c1d3f62`, the document's example),
    /// `customers` and `inventory`. Each has the made-up restore points unless
    /// [`MockBuilder::restore_points`] describes them.
    pub fn sql_database(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.items.push((Workload::Sql, id.into(), name.into()));
        self
    }

    /// A protected Cosmos DB account with this appliance id and name (repeatable, v8.1).
    /// With any, these are the accounts there are; without any, the mock has three:
    /// `catalog-cosmos` (`1b3d5f7a-9c2e-4b64-8d06-4f6a8c0e2b75`, the document's example),
    /// `sessions-cosmos` and `telemetry-cosmos`.
    pub fn cosmos_db_account(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.items
            .push((Workload::CosmosDb, id.into(), name.into()));
        self
    }

    /// A protected Azure file share with this appliance id and name (repeatable, v8.1).
    /// With any, these are the shares there are; without any, the mock has three: `finance`
    /// (`2f4b6d8e-0a2c-4f64-8b8d-4c6e8a0c2e75`, the document's example), `hr` and
    /// `engineering`.
    pub fn file_share(mut self, id: impl Into<String>, name: impl Into<String>) -> Self {
        self.items
            .push((Workload::FileShare, id.into(), name.into()));
        self
    }

    /// The restore points of the protected item with this id (a VM, database, account or
    /// share given or made up), in place of the made-up ones (repeatable; the last for an
    /// item wins). Without this, each item has about ten points over 120 days: snapshots,
    /// manual snapshots, backups in the hot, cool and archive tiers, manual backups, a few
    /// immutable. An id that names no item, or a [`RestorePointSpec::id`] that is no UUID,
    /// makes [`MockBuilder::start`] fail.
    pub fn restore_points<I: IntoIterator<Item = RestorePointSpec>>(
        mut self,
        item_id: impl Into<String>,
        points: I,
    ) -> Self {
        let item_id = item_id.into();
        self.points.retain(|(id, _)| *id != item_id);
        self.points.push((item_id, points.into_iter().collect()));
        self
    }

    /// The account uses multi-factor authentication with this one-time code (v8.1; see
    /// [`MockConfig::mfa_code`]).
    pub fn mfa_code(mut self, code: impl Into<String>) -> Self {
        self.config.mfa_code = Some(code.into());
        self
    }

    /// Refuse every request without a token (but the token operation's) with `status` (401
    /// or 403) before routing it, served path or not (see [`MockConfig::gate_anonymous`]): an
    /// appliance whose version an anonymous probe cannot tell.
    pub fn gate_anonymous(mut self, status: u16) -> Self {
        self.config.gate_anonymous = Some(status);
        self
    }

    /// The read of an asynchronous operation (v8.1 `Sync=true`) that finds it done (default
    /// 2: the first read answers `Running`, the second `Success` with the result).
    pub fn operation_polls(mut self, polls: u32) -> Self {
        self.config.operation_polls = polls;
        self
    }

    /// Makes the answers of the flow depart from the document in this way (repeatable), so
    /// that a client's conformance check can be tested: see [`Drift`] for where each applies.
    /// The answer check still records each departure in [`MockAppliance::violations`], and
    /// sends the drifted answer as it is.
    pub fn drift(mut self, drift: Drift) -> Self {
        self.config.drift.insert(drift);
        self
    }

    /// Appends every request received to `path` as one JSON line, `{"method", "path",
    /// "query", "status"}` (no headers, no bodies: no secrets), written as each is answered.
    pub fn record(mut self, path: impl Into<PathBuf>) -> Self {
        self.record = Some(path.into());
        self
    }

    /// Serve this document instead of the embedded one of the same API version (its
    /// `info.version`: `1.0` or `v8.1`).
    pub fn spec_text(mut self, text: impl Into<String>) -> Self {
        self.spec_texts.push(text.into());
        self
    }

    /// Listen on this loopback address (port 0 picks a free port).
    pub fn address(mut self, address: SocketAddr) -> Self {
        self.address = address;
        self
    }

    /// The documents to serve, by version.
    fn documents(&self) -> Result<BTreeMap<ApiVersion, Document>, StartError> {
        let versions = self
            .versions
            .clone()
            .unwrap_or_else(|| ApiVersion::ALL.into_iter().collect());
        if versions.is_empty() {
            return Err(StartError::Settings(
                "no API version to serve: give 1, 8.1 or both".to_string(),
            ));
        }
        let mut texts: BTreeMap<ApiVersion, (&str, &str)> = BTreeMap::from([
            (ApiVersion::V1, ("openapi.yaml", SPEC)),
            (ApiVersion::V8_1, ("openapi-v8.1.yaml", SPEC_V8_1)),
        ]);
        let mut replaced = BTreeMap::new();
        for text in &self.spec_texts {
            let doc = Document::parse("spec_text", text)?;
            let found = doc.get("/info/version").and_then(|v| {
                v.as_str()
                    .map(str::to_string)
                    .or_else(|| Some(v.to_string()))
            });
            let version = found
                .as_deref()
                .and_then(|v| v.parse::<ApiVersion>().ok())
                .ok_or(StartError::UnknownVersion { found })?;
            replaced.insert(version, doc);
        }
        texts.retain(|v, _| versions.contains(v));
        let mut docs = BTreeMap::new();
        for (version, (name, text)) in texts {
            let doc = match replaced.remove(&version) {
                Some(doc) => doc,
                None => Document::parse(name, text)?,
            };
            docs.insert(version, doc);
        }
        Ok(docs)
    }

    /// Starts serving on a task of the current tokio runtime.
    pub async fn start(mut self) -> Result<MockAppliance, StartError> {
        let docs = self.documents()?;
        if self.config.mfa_code.is_some() && !docs.contains_key(&ApiVersion::V8_1) {
            return Err(StartError::Settings(
                "multi-factor authentication needs API v8.1 served: v1's token answer has no \
                 form for the second step"
                    .to_string(),
            ));
        }
        let mut explicit = self.vms.clone();
        if let Some(known) = &self.config.known_vms {
            explicit.extend(known.iter().map(|id| (id.clone(), id.clone())));
        }
        // The VMs given are the only ones for v1 as well (as `known_vms` always was).
        if !self.vms.is_empty() {
            self.config
                .known_vms
                .get_or_insert_with(BTreeSet::new)
                .extend(self.vms.iter().map(|(_, id)| id.clone()));
        }
        let generated = self.generated_vms.unwrap_or(if explicit.is_empty() {
            inventory::DEFAULT_GENERATED
        } else {
            0
        });
        if generated > MAX_GENERATED_VMS {
            return Err(StartError::Settings(format!(
                "{generated} VMs to generate: at most {MAX_GENERATED_VMS}"
            )));
        }
        let plan = Plan {
            vms: explicit,
            generated_vms: generated,
            empty: self.no_backups.clone(),
            items: self.items.clone(),
            points: self.points.clone(),
        };
        let inventory = Inventory::from_plan(&plan).map_err(StartError::Settings)?;
        let record = match &self.record {
            Some(path) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|error| StartError::Record {
                        path: path.clone(),
                        error,
                    })?,
            )),
            None => None,
        };
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
        let routes = {
            let served: Vec<(ApiVersion, &Document)> = docs.iter().map(|(v, d)| (*v, d)).collect();
            Routes::from_documents(&served)?
        };
        let shared = Arc::new(Shared {
            routes,
            docs,
            base_url: url.clone(),
            config: Mutex::new(self.config),
            state: Mutex::new(State::new(inventory)),
            failures: Mutex::new(InjectedFailures::default()),
            violations: Mutex::new(Vec::new()),
            requests: AtomicU64::new(0),
            record,
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

    /// Changes settings while the mock runs (latency, progress, final status, known VMs, MFA,
    /// operation polls, drift).
    pub fn configure(&self, update: impl FnOnce(&mut MockConfig)) {
        self.shared.set_config(update);
    }

    /// Answers the mock produced that broke the spec: those a [`Drift`] made on purpose (sent
    /// as they are, each named with its `--drift` kind), and any other (a 500 was sent instead).
    /// Tests without drift assert this is empty.
    pub fn violations(&self) -> Vec<String> {
        self.shared.violations(true)
    }

    /// The [`MockAppliance::violations`] no [`Drift`] asked for: answers the mock got wrong,
    /// each replaced by a 500.
    pub fn unexpected_violations(&self) -> Vec<String> {
        self.shared.violations(false)
    }

    /// The API versions it serves, oldest first.
    pub fn api_versions(&self) -> Vec<ApiVersion> {
        self.shared.versions()
    }

    /// The protected VMs (v8.1), as (name, id), in the order the appliance lists them.
    pub fn vms(&self) -> Vec<(String, String)> {
        self.shared
            .state()
            .inventory
            .iter()
            .map(|vm| (vm.name.clone(), vm.id.clone()))
            .collect()
    }

    /// How many restore points the protected items of every kind hold now (those being
    /// removed among them).
    pub fn restore_point_count(&self) -> usize {
        let state = self.shared.state();
        Workload::ALL
            .iter()
            .map(|w| {
                state
                    .inventory
                    .catalog(*w)
                    .iter()
                    .map(|i| i.points.len())
                    .sum::<usize>()
            })
            .sum()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_as_paths_and_documents_write_them() {
        for (text, version) in [
            ("1", ApiVersion::V1),
            ("1.0", ApiVersion::V1),
            ("v1", ApiVersion::V1),
            ("8.1", ApiVersion::V8_1),
            ("v8.1", ApiVersion::V8_1),
            (" V8.1 ", ApiVersion::V8_1),
        ] {
            assert_eq!(text.parse::<ApiVersion>(), Ok(version), "{text}");
        }
        for wrong in ["8", "v", "", "1.1", "8.1.0"] {
            assert!(wrong.parse::<ApiVersion>().is_err(), "{wrong:?}");
        }
        assert_eq!(ApiVersion::V8_1.path_prefix(), "/api/v8.1");
        assert_eq!(ApiVersion::V1.to_string(), "1");
    }
}
