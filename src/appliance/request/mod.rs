//! The requests of [`Appliance`](crate::Appliance) that take options, as builders: the call
//! names what is asked for, each option is a method, and `send()` (or `stream()` for a list
//! read page after page) makes the request.
//!
//! ```no_run
//! # async fn run(appliance: vbazure::Appliance) -> Result<(), vbazure::Error> {
//! use vbazure::v8_1::types::BackupTier;
//! let outcome = appliance
//!     .delete_backups("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
//!     .tier(BackupTier::Archive)
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! An option's method also takes an `Option` of its value (`None` leaves the option unset), so
//! that a setting that may be absent passes straight through. A builder does nothing until
//! sent; an option the appliance's API version lacks fails the
//! request before anything is sent, with [`ErrorKind::NotInVersion`](crate::ErrorKind).

mod delete;
mod deleted_items;
mod protected_items;
mod removals;
mod restore_points;
mod sessions;
mod vms;

pub use delete::{DeleteBackups, DeleteBackupsBatch};
pub use deleted_items::DeletedItems;
pub use protected_items::{GetProtectedItem, ProtectedItems};
pub use removals::{RemoveBatch, RemoveOne, Removing};
pub use restore_points::{DeleteRestorePoint, GetRestorePoint, RestorePoints, RestorePointsPage};
pub use sessions::{JobSessionLog, JobSessions, JobSessionsPage};
pub use vms::{ProtectedVms, ProtectedVmsPage};
