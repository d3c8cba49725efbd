//! The state the generated `Client` carries for its hand-written hooks.

use std::sync::Arc;

use super::auth::Auth;
use super::retry::RetryPolicy;

/// What the generated [`Client`](crate::Client) needs beyond its URL and HTTP client: how it
/// authenticates and how it retries. `ClientState::default()` sends no credentials and
/// retries with the default [`RetryPolicy`]; [`Appliance::builder`](crate::Appliance::builder)
/// sets both up.
#[derive(Clone, Debug)]
pub struct ClientState {
    pub(crate) auth: Option<Arc<Auth>>,
    pub(crate) retry: RetryPolicy,
    /// Where answers are checked against the document, when asked for.
    pub(crate) conformance: Option<crate::Conformance>,
}

impl Default for ClientState {
    fn default() -> Self {
        Self::with_retry(RetryPolicy::default())
    }
}

impl ClientState {
    /// A state with this retry policy and no credentials.
    pub fn with_retry(retry: RetryPolicy) -> Self {
        // Every generated `Client` is made with a state, so this runs before any of them
        // builds its HTTP client, which would panic without a crypto provider.
        ensure_crypto_provider();
        Self {
            auth: None,
            retry,
            conformance: None,
        }
    }

    /// Checks every answer against the document of the client's version, recording what
    /// departs from it in `conformance` (see [`crate::conformance`]). The answers reach the
    /// caller unchanged.
    pub fn with_conformance(mut self, conformance: crate::Conformance) -> Self {
        self.conformance = Some(conformance);
        self
    }
}

/// Installs rustls' ring crypto provider as the process default, unless one is installed.
///
/// This crate builds reqwest without a default provider (its default pulls in a heavy C
/// build). `Appliance::builder` and `ClientState` call this themselves; call it before
/// building a `reqwest::Client` of your own (for `Client::new_with_client`).
pub fn ensure_crypto_provider() {
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        // An error means another thread installed one first, which is as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}
