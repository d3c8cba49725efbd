//! The client against servers on loopback: wiremock servers that answer as the documents say
//! (one `MockServer` per test, `.expect(n)` on what must be sent) and the project's mock
//! appliance. One test binary, so that the client and its dependencies are linked once.

#[path = "../support/mod.rs"]
mod support;

mod appliance_v8_1;
mod auth;
mod conformance;
mod detection;
mod drift;
mod example_program;
mod faults;
mod follow;
mod operations;
mod paths;
mod removals;
mod restore_points;
mod tls;
mod v8_1;
mod wait_paging;
