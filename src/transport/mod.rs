//! What every request of the generated client passes through: the hooks progenitor calls and
//! the state they keep (`state`), access tokens (`auth`), retries (`retry`), what the hooks
//! report to the error mapping (`observe`), one call made and its error mapped (`send`), and the check of ids sent as path segments
//! (`path_segment`).
//!
//! The hooks decide per operation from the facts generated out of `openapi.yaml`
//! ([`crate::operations`]): whether it carries a token, whether it may be repeated.

mod auth;
mod hooks;
pub(crate) mod observe;
pub(crate) mod path_segment;
pub(crate) mod retry;
mod send;
mod state;
pub(crate) mod token_endpoint;

pub(crate) use auth::{Auth, Credentials, MfaCode, Password};
pub use auth::{MfaFuture, SecretFuture, TokenSet};
pub use retry::RetryPolicy;
pub(crate) use send::send;
pub use state::{ensure_crypto_provider, ClientState};
