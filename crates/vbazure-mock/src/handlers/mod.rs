//! The stateful operations of the flow, by version: [`v1`] and [`v8_1`], each dispatching on
//! its operations; what both serve alike has a file of its own: [`token`] (the token
//! operation) and [`job_session`] (the session a path names). v8.1's resources besides VMs
//! and sessions have files of their own: [`protected_items`] (SQL databases, Cosmos DB
//! accounts, file shares), [`removals`] (what items hold, removed), [`restore_points`],
//! [`deleted_items`] (what a session removed); [`paging`] holds what their lists share. Any
//! other operation of a document is answered with its documented example (see
//! `server/pipeline.rs`).

mod deleted_items;
mod job_session;
mod paging;
mod protected_items;
mod removals;
mod restore_points;
mod token;
mod v1;
mod v8_1;

use crate::call::Call;
use crate::operation_ids::OperationId;
use crate::reply::Reply;
use crate::shared::Shared;

/// The answer of a stateful operation, or `None` when the operation has no handler here: one
/// its version's embedded document does not name (see [`OperationId::of`]), or one a version's
/// handler leaves to its documented example.
pub(crate) fn handle(shared: &Shared, call: &Call<'_>) -> Option<Reply> {
    match call.id? {
        OperationId::V1(operation) => v1::handle(shared, call, operation),
        OperationId::V8_1(operation) => v8_1::handle(shared, call, operation),
    }
}
