//! The appliance's state: tokens, job sessions, asynchronous operations and the protected VMs.
//!
//! Every decision that depends on time (a token's expiry, a session finishing after a while)
//! reads tokio's clock, so tests can pause and advance it instead of sleeping. The times
//! written in bodies (`executionStartTime`, `.issued`...) are wall-clock times.
//!
//! v1 and v8.1 keep their sessions apart, as their ids differ (v1 numbers them, v8.1 gives
//! UUIDs): a session started through one version is not found through the other. Tokens are
//! shared, as the token path is.
//!
//! Each part has a file of its own: [`tokens`] (access, refresh and `mfa_token`s),
//! [`sessions`] (the sessions of each version, found and moved on), [`session`] (one session:
//! its progress, its log and how it is written), [`status`] (the statuses sessions take),
//! [`job`] (what a v8.1 removal session takes away), [`operations`] (v8.1's asynchronous
//! operations). This file holds the [`State`] they share.

mod job;
mod operations;
mod session;
mod sessions;
mod status;
mod tokens;

use std::collections::{BTreeMap, HashMap, VecDeque};

use chrono::{DateTime, Timelike, Utc};

use crate::dotnet::guid;
use crate::inventory::Inventory;

use self::operations::AsyncOperation;
use self::tokens::{AccessToken, PendingMfa};

pub(crate) use self::job::Job;
pub(crate) use self::operations::{AsyncRequest, VmQuery};
pub(crate) use self::session::{Session, Target};
pub(crate) use self::tokens::TokenForm;

/// Tokens, sessions, operations and VMs, behind one lock; no lock is held across an await.
#[derive(Debug, Default)]
pub(crate) struct State {
    access: HashMap<String, AccessToken>,
    refresh: HashMap<String, String>,
    mfa: HashMap<String, PendingMfa>,
    v1_sessions: BTreeMap<u64, Session>,
    next_v1_session: u64,
    /// v8.1 sessions, oldest first, and their index by id.
    sessions: Vec<Session>,
    session_index: HashMap<String, usize>,
    operations: HashMap<String, AsyncOperation>,
    operation_order: VecDeque<String>,
    pub inventory: Inventory,
}

/// The wall-clock time as a .NET server keeps it: 100 ns ticks.
fn now() -> DateTime<Utc> {
    let now = Utc::now();
    now.with_nanosecond(now.nanosecond() / 100 * 100)
        .unwrap_or(now)
}

/// A random UUID, as .NET's `Guid.NewGuid()` makes one.
fn random_uuid() -> String {
    guid(fastrand::u128(..))
}

impl State {
    pub(crate) fn new(inventory: Inventory) -> Self {
        Self {
            next_v1_session: 1,
            inventory,
            ..Self::default()
        }
    }
}

/// A state with one VM, `web` (`vm-1`), for the tests of each part.
#[cfg(test)]
fn test_state() -> State {
    let plan = crate::inventory::Plan {
        vms: vec![("web".into(), "vm-1".into())],
        ..Default::default()
    };
    State::new(Inventory::from_plan(&plan).unwrap_or_default())
}
