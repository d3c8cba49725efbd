//! The mock appliance as its users meet it: the binary and its flags, both versions served at
//! once, requests checked against the documents, the stateful v1 and v8.1 flows, and drift on
//! demand. One test binary, so that the mock, the client and their dependencies are linked
//! once.

mod support;

mod binary;
mod drift;
mod flow;
mod removals;
mod requests;
mod spec_driven;
mod v8_1;
mod versions;
