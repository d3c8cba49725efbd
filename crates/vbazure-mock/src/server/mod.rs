//! The request pipeline, driven by the spec: route, authenticate, check the request, answer,
//! and check the answer against the spec before it leaves.
//!
//! Each part has a file of its own:
//!
//! - [`accept`]: the listening socket and its accept loop, one task per connection;
//! - [`exchange`]: one HTTP request read off a connection, carried out, and answered;
//! - [`pipeline`]: the steps every request goes through, in order;
//! - [`routing`]: the operation a path and method lead to, or the 404 or 405 answer;
//! - [`request_check`]: authentication and the checks of a request against its operation;
//! - [`binding`]: request texts read as the typed values their schemas declare;
//! - [`answer_check`]: the check of every answer against its document.
//!
//! What the steps and the handlers both use lives below them: the checked request in
//! `call.rs`, and what every request shares (with the violations found and the request
//! record) in `shared/`.

mod accept;
mod answer_check;
mod binding;
mod exchange;
mod pipeline;
mod request_check;
mod routing;

pub(crate) use accept::{bind, serve};
