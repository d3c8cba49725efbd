//! Drift on demand (`--drift KIND`): answers that depart from the document in known ways, so
//! that clients' conformance checks can be tested against a server that breaks its document.
//!
//! A drift changes the success answers of the flow (tokens, sessions, pages, logs, system
//! information, protected VMs) after the handler wrote them and before the answer check,
//! and says where it changed each one; the check records those departures as violations and
//! sends the answer as it is (any other violation still turns the answer into a 500).

use std::collections::BTreeSet;
use std::str::FromStr;

use serde_json::{json, Value};
use vbazure_spec::ApiVersion;

use crate::operation_ids::{OperationId, V1, V8_1};
use crate::reply::Reply;

/// A way the mock's answers depart from the document on purpose, so that a client's
/// conformance check can be seen to notice it (`--drift KIND`, [`crate::MockBuilder::drift`]).
///
/// Each applies to the success answers of the flow where the document leaves room for it
/// (`v1`, `v8.1`: the versions whose answers change); the answers of other operations, error
/// answers and the asynchronous operations of v8.1 never drift.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr, strum::Display,
)]
#[strum(serialize_all = "kebab-case")]
pub enum Drift {
    /// A field the document does not declare, [`Drift::FIELD`]` : true`, at the top level of
    /// every answer (tokens, sessions, pages, logs, system information, VMs) and in each
    /// item of a page (v1, v8.1).
    UndocumentedField,
    /// `null` where the document forbids it: a v1 token's `token_type`, a v1 session's `id`,
    /// a v8.1 session's `status`, a page's `limit` (sessions; v8.1 VMs too), a v1 log's
    /// `jobSessionId`, the first v8.1 log record's `status`, a v8.1 VM's `subscription.id`.
    /// Nothing in a v8.1 token or the system information is non-nullable: they do not drift.
    Null,
    /// [`Drift::ENUM_VALUE`] where the document lists the values: the `status` of a session,
    /// of a page's first session and of a log's first record (v1, v8.1). `SessionStatus` is an
    /// open enumeration (`x-vbazure-open-enum`). No answer of either document holds a closed
    /// enumeration (`GrantType`, `BackupTier` and `SessionTypeFilter` are only sent), so
    /// tokens, system information and VMs do not drift.
    EnumValue,
    /// A field of another JSON type: a token's `expires_in` as a string (v1, v8.1), a v1
    /// session's `usn` as a string, a v8.1 session's `executionStartTime` as a number (Unix
    /// seconds), a page's `totalCount` as a string, the first log record's `logTime` as a
    /// number, the v8.1 system information's `serverVersion` as a number, a v8.1 VM's
    /// `totalSizeInGB` as a string.
    WrongType,
    /// A status the operation does not document, [`Drift::STATUS`], with the body it would
    /// have had, for every answer of the flow (v1, v8.1).
    UndocumentedStatus,
    /// Every member without a value written as `null` in v8.1 answers (every answer, not only
    /// the flow's), as a .NET serializer does unless told to skip nulls. By default the mock
    /// leaves such members out: the vendor's document declares several of them non-nullable
    /// (a VM's `lastBackup`, an operation's `error` and `result`), and clients generated from
    /// it reject `null` there and in objects it does declare nullable. openapi-v8.1.yaml
    /// allows both shapes, so this drift records no violation: it is what a real appliance
    /// may send, not a departure from the project's document.
    NullMembers,
}

impl Drift {
    /// Every kind, in the order `--help` lists them.
    pub const ALL: [Drift; 6] = [
        Drift::UndocumentedField,
        Drift::Null,
        Drift::EnumValue,
        Drift::WrongType,
        Drift::UndocumentedStatus,
        Drift::NullMembers,
    ];

    /// The field [`Drift::UndocumentedField`] adds (its value is `true`).
    pub const FIELD: &'static str = "x-mock-drift";

    /// The value [`Drift::EnumValue`] writes: no version of the API lists it, and no client
    /// generated from these documents knows it.
    pub const ENUM_VALUE: &'static str = "Paused";

    /// The status [`Drift::UndocumentedStatus`] answers with: a success no operation
    /// documents (no document has a `2XX` range or a `default` answer in the flow).
    pub const STATUS: u16 = 299;

    /// As `--drift` takes it: `undocumented-field`, `null`, `enum-value`, `wrong-type`,
    /// `undocumented-status`, `null-members`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// What it does, in one line, as `vbazure-mock --help` lists it beside its name.
    pub fn summary(self) -> &'static str {
        match self {
            Drift::UndocumentedField => {
                "A field the spec does not declare, \"x-mock-drift\": true (every answer, pages' \
                 items)"
            }
            Drift::Null => {
                "null where the spec forbids it (a v1 session's id, a v8.1 session's status, a \
                 page's limit, ...)"
            }
            Drift::EnumValue => {
                "\"Paused\" where the spec lists the values (sessions' and log records' status)"
            }
            Drift::WrongType => {
                "A field of another JSON type (a v1 session's usn or a page's totalCount as a \
                 string, a v8.1 session's executionStartTime as a number, ...)"
            }
            Drift::UndocumentedStatus => {
                "Status 299, which no operation documents, with the answer's body"
            }
            Drift::NullMembers => {
                "null for every v8.1 member without a value, as a .NET serializer writes it \
                 (the default leaves them out, as the vendor's document needs); not a violation"
            }
        }
    }
}

/// The names [`Drift::as_str`] gives.
impl FromStr for Drift {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == text.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|d| d.as_str()).collect();
                format!("{text:?} is not a drift; use one of {}", names.join(", "))
            })
    }
}

/// One change a drift made to an answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Departure {
    pub drift: Drift,
    /// Where in the body (a JSON pointer; `""` for the status).
    pub pointer: String,
}

/// What the drifts did to one answer.
#[derive(Clone, Debug, Default)]
pub(crate) struct Drifted {
    pub departures: Vec<Departure>,
    /// The status the handler answered, when a drift changed it: the body is still checked
    /// against that status's schema, so that only the drift departs from the document.
    pub documented_status: Option<u16>,
}

impl Drifted {
    /// Whether `drift` changed the answer at `pointer`.
    pub(crate) fn made(&self, drift: Drift, pointer: &str) -> bool {
        self.departures
            .iter()
            .any(|d| d.drift == drift && d.pointer == pointer)
    }

    /// The drift that changed the answer at `pointer`, other than an added field.
    pub(crate) fn at(&self, pointer: &str) -> Option<Drift> {
        self.departures
            .iter()
            .find(|d| d.drift != Drift::UndocumentedField && d.pointer == pointer)
            .map(|d| d.drift)
    }
}

/// The answers of the flow, by what their body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Token,
    Session,
    SessionPage,
    Log,
    SystemInfo,
    Vm,
    VmPage,
}

/// What the success answer `status` of `operation` is, if it is one of the flow's.
fn shape(operation: OperationId, status: u16) -> Option<Shape> {
    use OperationId as Of;
    let (shape, success) = match operation {
        Of::V1(V1::CreateToken) | Of::V8_1(V8_1::CreateToken) => (Shape::Token, 200),
        Of::V1(V1::DeleteBackups | V1::GetJobSession) | Of::V8_1(V8_1::GetJobSession) => {
            (Shape::Session, 200)
        }
        Of::V8_1(V8_1::DeleteVirtualMachineBackups | V8_1::DeleteVirtualMachinesBackups) => {
            (Shape::Session, 202)
        }
        Of::V1(V1::ListJobSessions) | Of::V8_1(V8_1::ListJobSessions) => (Shape::SessionPage, 200),
        Of::V1(V1::GetJobSessionLog) | Of::V8_1(V8_1::GetJobSessionLog) => (Shape::Log, 200),
        Of::V8_1(V8_1::GetSystemInfo) => (Shape::SystemInfo, 200),
        Of::V8_1(V8_1::GetProtectedVirtualMachine) => (Shape::Vm, 200),
        Of::V8_1(V8_1::ListProtectedVirtualMachines) => (Shape::VmPage, 200),
        // The answers of the other operations (stops, logout, asynchronous operations) and
        // of any an operation added to a document do not drift.
        _ => return None,
    };
    (status == success).then_some(shape)
}

/// Applies `drifts` to the answer of `operation` (`None` for one its version's embedded
/// document does not name, which never drifts); what changed.
pub(crate) fn apply(
    drifts: &BTreeSet<Drift>,
    operation: Option<OperationId>,
    reply: &mut Reply,
) -> Drifted {
    let mut drifted = Drifted::default();
    if drifts.is_empty() {
        return drifted;
    }
    let Some(operation) = operation else {
        return drifted;
    };
    let Some(shape) = shape(operation, reply.status) else {
        return drifted;
    };
    let version = operation.version();
    let Some(body) = reply.body.as_mut() else {
        return drifted;
    };
    for &drift in drifts {
        if drift == Drift::UndocumentedStatus {
            drifted.documented_status = Some(reply.status);
            reply.status = Drift::STATUS;
            drifted.departures.push(Departure {
                drift,
                pointer: String::new(),
            });
            continue;
        }
        for pointer in depart(drift, shape, version, body) {
            drifted.departures.push(Departure { drift, pointer });
        }
    }
    drifted
}

/// Changes `body` as `drift` does to an answer of `shape`; the pointers of the changes.
fn depart(drift: Drift, shape: Shape, version: ApiVersion, body: &mut Value) -> Vec<String> {
    use ApiVersion::{V1, V8_1};
    use Shape::*;
    let (pointer, change): (&str, fn(&Value) -> Option<Value>) = match drift {
        Drift::UndocumentedField => return add_fields(shape, body),
        Drift::Null => {
            let pointer = match (shape, version) {
                (Token, V1) => "/token_type",
                (Session, V1) => "/id",
                (Session, V8_1) => "/status",
                (SessionPage | VmPage, _) => "/limit",
                (Log, V1) => "/jobSessionId",
                (Log, V8_1) => "/log/0/status",
                (Vm, _) => "/subscription/id",
                (Token | SystemInfo, _) => return Vec::new(),
            };
            (pointer, |_| Some(Value::Null))
        }
        Drift::EnumValue => {
            let pointer = match shape {
                Session => "/status",
                SessionPage => "/results/0/status",
                Log => "/log/0/status",
                Token | SystemInfo | Vm | VmPage => return Vec::new(),
            };
            (pointer, |_| Some(json!(Drift::ENUM_VALUE)))
        }
        Drift::WrongType => match (shape, version) {
            (Token, _) => ("/expires_in", as_text),
            (Session, V1) => ("/usn", as_text),
            (Session, V8_1) => ("/executionStartTime", as_unix_seconds),
            (SessionPage | VmPage, _) => ("/totalCount", as_text),
            (Log, _) => ("/log/0/logTime", as_unix_seconds),
            (SystemInfo, _) => ("/serverVersion", as_major_number),
            (Vm, _) => ("/totalSizeInGB", as_text),
        },
        // The status is not in the body (see `apply`); written nulls are not a departure
        // (see `written_nulls`).
        Drift::UndocumentedStatus | Drift::NullMembers => return Vec::new(),
    };
    match body.pointer_mut(pointer) {
        Some(value) => match change(value) {
            Some(changed) => {
                *value = changed;
                vec![pointer.to_string()]
            }
            None => Vec::new(),
        },
        None => Vec::new(),
    }
}

/// [`Drift::FIELD`] at the top level and in each item of a page.
fn add_fields(shape: Shape, body: &mut Value) -> Vec<String> {
    let mut objects = vec![String::new()];
    if matches!(shape, Shape::SessionPage | Shape::VmPage) {
        let items = body
            .get("results")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        objects.extend((0..items).map(|i| format!("/results/{i}")));
    }
    objects
        .into_iter()
        .filter_map(|at| {
            let object = body.pointer_mut(&at)?.as_object_mut()?;
            object.insert(Drift::FIELD.to_string(), Value::Bool(true));
            Some(format!("{at}/{}", Drift::FIELD))
        })
        .collect()
}

/// A number as its text: `3600` becomes `"3600"`.
fn as_text(value: &Value) -> Option<Value> {
    value.as_number().map(|n| Value::String(n.to_string()))
}

/// A timestamp as the Unix seconds some servers write instead.
fn as_unix_seconds(value: &Value) -> Option<Value> {
    let time = chrono::DateTime::parse_from_rfc3339(value.as_str()?).ok()?;
    Some(json!(time.timestamp()))
}

/// A version text as its major number: `"8.0.1.202"` becomes `8`.
fn as_major_number(value: &Value) -> Option<Value> {
    let major: u64 = value.as_str()?.split('.').next()?.parse().ok()?;
    Some(json!(major))
}

/// Leaves out the members of a v8.1 answer that have no value (`null`), at every depth, unless
/// [`Drift::NullMembers`] asks for them: the vendor's document allows every such member to be
/// absent, but not every one to be `null`. v1 answers keep their nulls, as the v1 page shows
/// them.
pub(crate) fn written_nulls(drifts: &BTreeSet<Drift>, version: ApiVersion, reply: &mut Reply) {
    if version != ApiVersion::V8_1 || drifts.contains(&Drift::NullMembers) {
        return;
    }
    if let Some(body) = reply.body.as_mut() {
        leave_out_nulls(body);
    }
}

fn leave_out_nulls(value: &mut Value) {
    match value {
        Value::Object(members) => {
            members.retain(|_, member| !member.is_null());
            members.values_mut().for_each(leave_out_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(leave_out_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v8_1_answers_leave_out_nulls_unless_null_members_is_asked() {
        let body = json!({"a": null, "b": {"c": null, "d": 1}, "e": [{"f": null}, null]});
        let mut reply = Reply::json(200, body.clone());
        written_nulls(&BTreeSet::new(), ApiVersion::V8_1, &mut reply);
        assert_eq!(reply.body, Some(json!({"b": {"d": 1}, "e": [{}, null]})));
        for (drifts, version) in [
            (BTreeSet::from([Drift::NullMembers]), ApiVersion::V8_1),
            (BTreeSet::new(), ApiVersion::V1),
        ] {
            let mut reply = Reply::json(200, body.clone());
            written_nulls(&drifts, version, &mut reply);
            assert_eq!(reply.body, Some(body.clone()), "{version} {drifts:?}");
        }
    }

    #[test]
    fn names_read_back_and_others_are_refused() {
        for drift in Drift::ALL {
            assert_eq!(drift.as_str().parse::<Drift>(), Ok(drift));
        }
        let refused = "nul".parse::<Drift>().unwrap_err();
        assert!(refused.contains("undocumented-status"), "{refused}");
    }

    fn drifted(drift: Drift, operation: OperationId, body: Value) -> (Reply, Drifted) {
        let mut reply = Reply::json(200, body);
        let drifted = apply(&BTreeSet::from([drift]), Some(operation), &mut reply);
        (reply, drifted)
    }

    #[test]
    fn each_change_is_where_it_says() {
        let session = json!({"id": "7", "status": "Running", "usn": 3});
        let (reply, done) = drifted(
            Drift::WrongType,
            OperationId::V1(V1::GetJobSession),
            session,
        );
        assert_eq!(
            reply.body,
            Some(json!({"id": "7", "status": "Running", "usn": "3"}))
        );
        assert!(done.made(Drift::WrongType, "/usn"), "{done:?}");

        let page = json!({"limit": 2, "results": [{"id": "1"}, {"id": "2"}]});
        let (reply, done) = drifted(
            Drift::UndocumentedField,
            OperationId::V8_1(V8_1::ListJobSessions),
            page,
        );
        let body = reply.body.unwrap_or_default();
        assert_eq!(body["x-mock-drift"], true);
        assert_eq!(body["results"][1]["x-mock-drift"], true);
        let pointers: Vec<&str> = done.departures.iter().map(|d| d.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/x-mock-drift",
                "/results/0/x-mock-drift",
                "/results/1/x-mock-drift"
            ]
        );

        let start = json!({"executionStartTime": "2024-05-01T10:00:00.5Z", "status": "Running"});
        let (reply, _) = drifted(
            Drift::WrongType,
            OperationId::V8_1(V8_1::GetJobSession),
            start,
        );
        assert_eq!(
            reply.body.unwrap_or_default()["executionStartTime"],
            1_714_557_600
        );
    }

    #[test]
    fn the_status_changes_and_the_body_stays() {
        let session = json!({"id": "7", "status": "Running"});
        let (reply, done) = drifted(
            Drift::UndocumentedStatus,
            OperationId::V1(V1::GetJobSession),
            session.clone(),
        );
        assert_eq!((reply.status, reply.body), (Drift::STATUS, Some(session)));
        assert_eq!(done.documented_status, Some(200));
        assert!(done.made(Drift::UndocumentedStatus, ""));
    }

    #[test]
    fn other_answers_do_not_drift() {
        // An error answer, an operation outside the flow, and a field a drift leaves alone.
        let mut problem = Reply::problem(404, "gone");
        let every: BTreeSet<Drift> = Drift::ALL.into_iter().collect();
        let session = Some(OperationId::V1(V1::GetJobSession));
        let done = apply(&every, session, &mut problem);
        assert!(done.departures.is_empty() && problem.status == 404);
        let (reply, done) = drifted(
            Drift::Null,
            OperationId::V8_1(V8_1::GetAsyncOperation),
            json!({"id": "a"}),
        );
        assert!(done.departures.is_empty());
        assert_eq!(reply.body, Some(json!({"id": "a"})));
        let (_, done) = drifted(
            Drift::Null,
            OperationId::V8_1(V8_1::GetSystemInfo),
            json!({}),
        );
        assert!(done.departures.is_empty(), "every system field is nullable");
    }
}
