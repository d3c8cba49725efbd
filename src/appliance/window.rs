//! A page's offset and limit, checked once for every list the client reads.

use crate::{Error, ErrorKind};

/// A page's offset and limit as both APIs take them.
pub(super) struct Window {
    pub offset: i32,
    /// At least 1 (v1's type says so).
    pub limit: std::num::NonZeroU32,
    /// The same, as v8.1's type has it.
    pub limit_i32: i32,
}

/// The window of `offset` and `limit`: both must fit the APIs' 32-bit integers and the limit
/// be at least 1; else an error of `operation` saying which is wrong, and nothing is sent.
pub(super) fn window(operation: &'static str, offset: u64, limit: u32) -> Result<Window, Error> {
    let invalid = |message: String| Error::new(operation, ErrorKind::InvalidRequest { message });
    let too_large =
        |what: &str, value: u64| invalid(format!("{what} {value} is larger than the API allows"));
    let offset = i32::try_from(offset).map_err(|_| too_large("offset", offset))?;
    let limit_i32 = i32::try_from(limit).map_err(|_| too_large("limit", limit.into()))?;
    let limit = std::num::NonZeroU32::new(limit)
        .ok_or_else(|| invalid("limit must be at least 1".to_string()))?;
    Ok(Window {
        offset,
        limit,
        limit_i32,
    })
}
