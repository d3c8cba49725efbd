//! The state the generated `Client` carries for its hand-written hooks.

use std::sync::Arc;

use crate::auth::Auth;
use crate::RetryPolicy;

/// What the generated [`Client`](crate::Client) needs beyond its URL and HTTP client: how it
/// authenticates and how it retries. `ClientRuntime::default()` sends no credentials and
/// retries with the default [`RetryPolicy`]; [`Appliance::builder`](crate::Appliance::builder)
/// sets both up.
#[derive(Clone, Debug, Default)]
pub struct ClientRuntime {
    pub(crate) auth: Option<Arc<Auth>>,
    pub(crate) retry: RetryPolicy,
}

impl ClientRuntime {
    /// A runtime with this retry policy and no credentials.
    pub fn with_retry(retry: RetryPolicy) -> Self {
        Self { auth: None, retry }
    }
}
