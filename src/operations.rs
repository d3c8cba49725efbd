//! The documents' operations: their `operationId`s, as errors name them, and what the hooks
//! must know about each, one module per API version ([`v1`] from `openapi.yaml`, [`v8_1`] from
//! `openapi-v8.1.yaml`). Everything here is generated from the documents on every build (by
//! `vbazure-codegen`, into `OUT_DIR/<version>_operation_facts.rs`); renaming or adding an
//! operation in a document changes it, and no hand-written code lists operations.
//!
//! The rules the facts follow:
//!
//! - **Token.** An operation sends the bearer token unless its `security` (or, when it has
//!   none, the document's) allows anonymous requests: `security: []` or an empty requirement
//!   `{}` among the alternatives.
//! - **Retries.** An operation may be repeated after a connection failure or a transient status
//!   when its `x-vbazure-idempotent` extension says `true`; without the extension, when its
//!   method is safe (RFC 9110: `GET`, `HEAD`, `OPTIONS`, `TRACE`). So POSTs are never repeated
//!   unless the spec vouches for them, and `x-vbazure-idempotent: false` turns retries off for
//!   a GET.
//! - **Secret bodies.** An operation whose request or success body holds a `format: password`
//!   string (a token, a password) has no body quoted in its errors.
//!
//! Each module also has `open_enum_knows(schema, value)`: for every component schema its
//! document marks `x-vbazure-open-enum` (generated as the hand-written type of that name),
//! whether the type knows `value`; `None` for any other schema.

/// What the hooks and the error mapping know about one operation of the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct OperationFacts {
    /// The spec's `operationId` (`createToken`): the name errors give.
    pub id: &'static str,
    /// The name progenitor gives the operation's method and passes to the hooks as
    /// `OperationInfo::operation_id` (`create_token`), read from the generated code itself.
    pub key: &'static str,
    /// The HTTP method, upper-case.
    pub method: &'static str,
    /// The path template as documented.
    pub path: &'static str,
    /// Whether its requests carry the bearer token.
    pub sends_token: bool,
    /// Whether a request may be sent again after a connection failure or a transient status.
    pub retry_safe: bool,
    /// Whether its request or success body holds secrets, so that no body is quoted.
    pub secret_bodies: bool,
}

/// Defines a version's module: its generated constants and `all()`, and the lookups.
macro_rules! facts_module {
    ($(#[$meta:meta])* $module:ident, $file:literal) => {
        $(#[$meta])*
        pub mod $module {
            use super::OperationFacts;

            include!(concat!(env!("OUT_DIR"), "/", $file));

            /// The facts of the operation progenitor calls `key` (an
            /// `OperationInfo::operation_id`).
            pub fn by_key(key: &str) -> Option<&'static OperationFacts> {
                all().iter().find(|facts| facts.key == key)
            }

            /// The facts of the operation with this `operationId`.
            pub fn by_id(id: &str) -> Option<&'static OperationFacts> {
                all().iter().find(|facts| facts.id == id)
            }
        }
    };
}

facts_module!(
    /// The operations of API v1 (`openapi.yaml`).
    v1,
    "v1_operation_facts.rs"
);
facts_module!(
    /// The operations of API v8.1 (`openapi-v8.1.yaml`).
    v8_1,
    "v8_1_operation_facts.rs"
);

/// The facts of the operation with this `operationId` in any version (the same id names the
/// same operation in every version that has it).
pub fn by_id(id: &str) -> Option<&'static OperationFacts> {
    v1::by_id(id).or_else(|| v8_1::by_id(id))
}

#[cfg(test)]
mod tests {
    use super::v1::*;

    #[test]
    fn the_facts_follow_the_spec() {
        let token = by_id(CREATE_TOKEN).expect("the token operation");
        assert_eq!(token.method, "POST");
        assert_eq!(by_key(token.key), Some(token));
        assert!(!token.sends_token && !token.retry_safe && token.secret_bodies);
        let delete = by_id(DELETE_BACKUPS).expect("the deletion");
        assert!(delete.sends_token && !delete.retry_safe && !delete.secret_bodies);
        let get = by_key("get_job_session").expect("by progenitor's name");
        assert_eq!(get.id, GET_JOB_SESSION);
        assert!(get.sends_token && get.retry_safe && !get.secret_bodies);
        assert!(
            by_key("getJobSession").is_none(),
            "keys are progenitor's names"
        );
        assert_eq!(all().len(), 6);
    }

    #[test]
    fn the_open_enums_are_the_ones_the_document_marks() {
        assert_eq!(open_enum_knows("SessionStatus", "Running"), Some(true));
        assert_eq!(open_enum_knows("SessionStatus", "Paused"), Some(false));
        assert_eq!(open_enum_knows("SessionType", "BackupDeletion"), Some(true));
        // A schema the document does not mark (here an object) is no open enum.
        assert_eq!(open_enum_knows("JobSession", "Running"), None);
        assert_eq!(
            super::v8_1::open_enum_knows("SessionStatus", "Canceled"),
            Some(true)
        );
    }
}
