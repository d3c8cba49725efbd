//! The model types the generator puts in place of schemas it cannot express well: the
//! server's .NET text formats, enumerations that grow, and strings that must not be shown.
//!
//! `vbazure-codegen` names them in its settings (`crate::Timestamp`, `crate::TimeSpan`,
//! `crate::Secret`, `crate::X` for every open enum `X`, and `crate::Lenient` around the items of
//! lists marked `x-vbazure-lenient-items`), so the crate root re-exports each.

mod cursor;
mod job_session;
mod lenient;
mod open_enum;
mod restore_point_kinds;
mod secret;
mod session_status;
mod session_type;
mod text_serde;
mod time_span;
mod timestamp;

pub(crate) use job_session::has_ended;
pub use lenient::{Lenient, UndecodableItem};
pub use open_enum::UnrecognizedValue;
pub use restore_point_kinds::{RestorePointDestination, RestorePointType, StorageAccessTier};
pub use secret::Secret;
pub use session_status::SessionStatus;
pub use session_type::SessionType;
pub use time_span::{TimeSpan, TimeSpanOverflow, TimeSpanParseError};
pub use timestamp::{Timestamp, TimestampParseError};
