//! One generated call made and its outcome mapped: the hooks' observations gathered around
//! it, and an error turned into [`Error`] named after its operation.

use std::future::Future;

use progenitor_client::{ByteStream, Error as GeneratedError, ResponseValue};

use super::observe::observing;
use crate::error::map_error;
use crate::Error;

/// Runs one generated call and gives its value, or the error it ends in named after
/// `operation`.
pub(crate) async fn send<T>(
    operation: &'static str,
    call: impl Future<Output = Result<ResponseValue<T>, GeneratedError<ByteStream>>>,
) -> Result<T, Error> {
    let (result, observed) = observing(call).await;
    match result {
        Ok(value) => Ok(value.into_inner()),
        Err(e) => Err(map_error(operation, e, observed).await),
    }
}
