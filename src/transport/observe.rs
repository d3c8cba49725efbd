//! What the hooks saw of a response, handed to the code that maps errors.
//!
//! progenitor's error for an undecodable success body keeps neither the status nor the
//! content type, and a hook cannot return a structured error. The hooks write what they learn
//! into a task-local slot that `Appliance` opens around each call, so that concurrent calls on
//! one client never see each other's.

use std::cell::RefCell;
use std::future::Future;

pub(crate) use crate::error::Observed;

tokio::task_local! {
    static OBSERVED: RefCell<Observed>;
}

/// Runs `call` with a fresh slot and returns its output with what the hooks wrote.
pub(crate) async fn observing<T>(call: impl Future<Output = T>) -> (T, Observed) {
    OBSERVED
        .scope(RefCell::new(Observed::default()), async {
            let output = call.await;
            let observed = OBSERVED.with(|slot| slot.take());
            (output, observed)
        })
        .await
}

/// Records into the slot, if the call runs inside [`observing`] (a raw `Client` call does not).
pub(crate) fn record(update: impl FnOnce(&mut Observed)) {
    let _ = OBSERVED.try_with(|slot| update(&mut slot.borrow_mut()));
}
