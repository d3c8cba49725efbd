//! The documents and the types generated from them, with no server: every example decoded,
//! encoded and snapshotted, each version's API surface, the hand-written models, property
//! tests and the project's lint of both documents.

#[path = "../support/mod.rs"]
mod support;

mod api_surface;
mod examples;
mod models;
mod properties;
mod spec_lint;
