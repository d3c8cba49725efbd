//! Every body example of both documents (`openapi.yaml` for API v1, `openapi-v8.1.yaml` for API
//! v8.1), found by walking each document, decodes into its generated type (`vbazure::v1::types`
//! and `vbazure::v8_1::types`), encodes back to the same JSON, and matches its reviewed snapshot.
//!
//! A new example needs no test code: it gets a snapshot, which fails the suite (in CI) until
//! it is reviewed and committed. A snapshot whose example is gone fails it too. Each document
//! has its own snapshot folder, so the same example name (`getJobSession.200.running`) in both
//! documents gives two snapshots.

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use vbazure::Lenient;
use vbazure_spec::{Document, Example, ExampleKind};

type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Decodes into `T` and encodes again.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))
}

/// Decodes into `T`, checks what re-encoding cannot show, and encodes again.
fn round_trip_with<T: DeserializeOwned + Serialize>(
    value: &Value,
    check: fn(&T) -> Result<(), String>,
) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    check(&typed)?;
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))
}

/// Every item of a lenient list decoded. Needed because an undecodable item is written back
/// exactly as it came, so the round trip alone would not notice it.
fn all_decoded<T>(items: &[Lenient<T>]) -> Result<(), String> {
    for (index, item) in items.iter().enumerate() {
        if let Some(bad) = item.undecodable() {
            return Err(format!(
                "item {index} of `results` does not decode: {}",
                bad.reason
            ));
        }
    }
    Ok(())
}

/// The decoder table of one generated module: the component schema's name, the Rust path of
/// its generated type and its round trip.
macro_rules! decoders {
    ($module:ident, $schema:expr, [$($name:ident),* $(,)?]) => {
        match $schema {
            $( stringify!($name) => Some((
                concat!("vbazure::", stringify!($module), "::types::", stringify!($name)),
                round_trip::<vbazure::$module::types::$name> as RoundTrip,
            )), )*
            _ => None,
        }
    };
}

/// The generated v1 type of each component schema that has examples.
fn v1_decoder(schema: &str) -> Option<(&'static str, RoundTrip)> {
    use vbazure::v1::types as t;
    if schema == "JobSessionPage" {
        return Some(("vbazure::v1::types::JobSessionPage", |v| {
            round_trip_with::<t::JobSessionPage>(v, |page| all_decoded(&page.results))
        }));
    }
    decoders!(
        v1,
        schema,
        [
            Token,
            TokenRequest,
            JobSession,
            JobSessionLog,
            JobSessionLogItem,
            Link,
            ProblemDetails
        ]
    )
}

/// The generated v8.1 type of each component schema that has, or may get, examples.
fn v8_1_decoder(schema: &str) -> Option<(&'static str, RoundTrip)> {
    use vbazure::v8_1::types as t;
    // The pages, whose items each decode on their own: every item must decode.
    macro_rules! pages {
        ($($name:ident),+ $(,)?) => {
            match schema {
                $(stringify!($name) => {
                    return Some((concat!("vbazure::v8_1::types::", stringify!($name)), |v| {
                        round_trip_with::<t::$name>(v, |page| {
                            all_decoded(page.results.as_deref().unwrap_or_default())
                        })
                    }))
                })+
                _ => {}
            }
        };
    }
    pages!(
        JobSessionPage,
        ProtectedVirtualMachinePage,
        ProtectedDatabasePage,
        ProtectedCosmosDbAccountPage,
        ProtectedFileSharePage,
        VirtualMachineRestorePointPage,
        SqlRestorePointPage,
        FileShareRestorePointPage,
        CosmosDbRestorePointPage,
        DeletedRestorePointPage,
    );
    decoders!(
        v8_1,
        schema,
        [
            Token,
            TokenRequest,
            SystemInfo,
            DeleteBackupsRequest,
            RemovalBatch,
            ProtectedVirtualMachine,
            ProtectedDatabase,
            ProtectedCosmosDbAccount,
            ProtectedFileShare,
            VirtualMachineRestorePoint,
            SqlRestorePoint,
            FileShareRestorePoint,
            CosmosDbRestorePoint,
            AsyncOperation,
            JobSession,
            JobSessionLog,
            JobSessionLogItem,
            Link,
            Links,
            ProblemDetails
        ]
    )
}

/// What "encodes back to the same JSON" means for a document.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Sameness {
    /// Byte for byte, as JSON values.
    Exact,
    /// The same once `null` object members are set aside. The v8.1 document's examples write
    /// the `null`s the server sends; the generated types read `null` as `None` and leave the key
    /// out when they encode, which means the same thing (the document: "every other field may
    /// be `null`"; absent and `null` are both "no value"). Any other change still fails.
    NullsMayBeLeftOut,
}

/// One document and where its examples' snapshots live.
struct Version {
    file: &'static str,
    document: fn() -> &'static Document,
    /// Relative to `tests/documents/` (this file's directory), as insta's `snapshot_path` is.
    snapshot_dir: &'static str,
    decoder: fn(&str) -> Option<(&'static str, RoundTrip)>,
    sameness: Sameness,
}

const V1: Version = Version {
    file: "openapi.yaml",
    document: crate::support::spec,
    snapshot_dir: "snapshots/examples",
    decoder: v1_decoder,
    sameness: Sameness::Exact,
};

const V8_1: Version = Version {
    file: "openapi-v8.1.yaml",
    document: crate::support::spec_v8_1,
    snapshot_dir: "snapshots/examples-v8.1",
    decoder: v8_1_decoder,
    sameness: Sameness::NullsMayBeLeftOut,
};

/// `value` without its `null` object members, at any depth (array items are kept as they are,
/// `null` ones too: their position matters).
fn without_null_members(value: &Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_null_members(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_null_members).collect()),
        other => other.clone(),
    }
}

fn body_examples(version: &Version) -> Vec<Example> {
    let walked = vbazure_spec::examples((version.document)());
    assert!(
        walked.unreadable.is_empty(),
        "examples of {} the walker cannot read: {:#?}",
        version.file,
        walked.unreadable
    );
    walked
        .found
        .into_iter()
        // Parameter examples are plain strings and numbers: no generated type to decode into.
        .filter(|e| !matches!(e.kind, ExampleKind::Parameter { .. }))
        .collect()
}

fn assert_the_walk_finds(version: &Version, documented: &[&str]) {
    let names: BTreeSet<String> = body_examples(version).into_iter().map(|e| e.name).collect();
    let missing: Vec<&&str> = documented.iter().filter(|d| !names.contains(**d)).collect();
    assert!(
        missing.is_empty(),
        "{}: {missing:?} not found in {names:?}",
        version.file
    );
}

#[test]
fn the_walk_finds_the_documented_v1_examples() {
    assert_the_walk_finds(
        &V1,
        &[
            "deleteBackups.200",
            "getJobSessionLog.200",
            "listJobSessions.200",
            "createToken.200",
            "createToken.request.password",
        ],
    );
}

#[test]
fn the_walk_finds_the_documented_v8_1_examples() {
    // Every body example the document holds today: requests, 200 and 202 answers, problem
    // details.
    assert_the_walk_finds(
        &V8_1,
        &[
            "createToken.request.password",
            "createToken.request.refresh",
            "createToken.request.mfa",
            "createToken.200.issued",
            "createToken.200.secondFactor",
            "getSystemInfo.200",
            "listProtectedVirtualMachines.200",
            "listProtectedVirtualMachines.202",
            "deleteVirtualMachinesBackups.request",
            "deleteVirtualMachinesBackups.202",
            "getProtectedVirtualMachine.200",
            "getProtectedVirtualMachine.202",
            "deleteVirtualMachineBackups.202",
            "listJobSessions.200",
            "getJobSession.200.running",
            "getJobSession.200.finished",
            "getJobSessionLog.200",
            "getAsyncOperation.200",
            "components.responses.ClientError.validation",
            "components.responses.ClientError.unauthorized",
            "components.responses.ClientError.forbidden",
            "components.responses.ClientError.notFound",
            "components.responses.ClientError.conflict",
            "components.responses.ServerError",
        ],
    );
}

fn assert_every_example_round_trips_and_matches_its_snapshot(version: &Version) {
    let document = (version.document)();
    let mut failures = Vec::new();
    for example in body_examples(version) {
        let place = document.describe(&example.pointer);
        let Some(schema) = example.schema_name.clone() else {
            failures.push(format!(
                "{} ({place}): its schema is not a named component, so it has no generated type",
                example.name
            ));
            continue;
        };
        let Some((rust_type, round_trip)) = (version.decoder)(&schema) else {
            failures.push(format!(
                "{} ({place}): no decoder for schema {schema}: add it to the decoder of {} in tests/examples.rs",
                example.name, version.file
            ));
            continue;
        };
        let encoded = match round_trip(&example.value) {
            Ok(encoded) => encoded,
            Err(e) => {
                failures.push(format!("{} ({place}): {e}", example.name));
                continue;
            }
        };
        let same = match version.sameness {
            Sameness::Exact => encoded == example.value,
            Sameness::NullsMayBeLeftOut => {
                without_null_members(&encoded) == without_null_members(&example.value)
            }
        };
        if !same {
            failures.push(format!(
                "{} ({place}): {rust_type} changes the example on its way through\n  spec:    {}\n  encoded: {}",
                example.name, example.value, encoded
            ));
            continue;
        }
        let info = serde_json::json!({
            "pointer": example.pointer,
            "schema": schema,
            "rust_type": rust_type,
            "media_type": example.media_type,
        });
        let snapshot = catch_unwind(AssertUnwindSafe(|| {
            insta::with_settings!({
                snapshot_path => version.snapshot_dir,
                prepend_module_to_snapshot => false,
                sort_maps => true,
                info => &info,
                omit_expression => true,
            }, {
                insta::assert_json_snapshot!(example.name.as_str(), encoded);
            });
        }));
        if snapshot.is_err() {
            failures.push(format!(
                "{} ({place}): the snapshot in tests/documents/{} differs or is not reviewed yet",
                example.name, version.snapshot_dir
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) of {} failed:\n{}",
        failures.len(),
        version.file,
        failures.join("\n")
    );
}

#[test]
fn every_v1_example_round_trips_and_matches_its_snapshot() {
    assert_every_example_round_trips_and_matches_its_snapshot(&V1);
}

#[test]
fn every_v8_1_example_round_trips_and_matches_its_snapshot() {
    assert_every_example_round_trips_and_matches_its_snapshot(&V8_1);
}

fn assert_no_snapshot_outlives_its_example(version: &Version) {
    let names: BTreeSet<String> = body_examples(version)
        .into_iter()
        .map(|e| format!("{}.snap", e.name))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/documents")
        .join(version.snapshot_dir);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // No snapshots yet: the round-trip test reports each missing one.
    };
    let orphans: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".snap") && !names.contains(f))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots in tests/documents/{} of examples no longer in {} (delete them): {orphans:?}",
        version.snapshot_dir,
        version.file
    );
}

#[test]
fn no_v1_snapshot_outlives_its_example() {
    assert_no_snapshot_outlives_its_example(&V1);
}

#[test]
fn no_v8_1_snapshot_outlives_its_example() {
    assert_no_snapshot_outlives_its_example(&V8_1);
}

#[test]
fn setting_null_members_aside_changes_nothing_else() {
    // The v8.1 comparison must still see a changed value, a lost non-null member and a changed
    // array item, and must not drop nulls inside arrays.
    let example = serde_json::json!({"a": null, "b": 1, "c": [null, {"d": null, "e": "x"}]});
    assert_eq!(
        without_null_members(&example),
        serde_json::json!({"b": 1, "c": [null, {"e": "x"}]})
    );
    for changed in [
        serde_json::json!({"b": 2, "c": [null, {"e": "x"}]}),
        serde_json::json!({"c": [null, {"e": "x"}]}),
        serde_json::json!({"b": 1, "c": [{"e": "x"}]}),
        serde_json::json!({"b": 1, "c": [null, {"e": "x"}], "f": true}),
    ] {
        assert_ne!(
            without_null_members(&changed),
            without_null_members(&example),
            "{changed}"
        );
    }
}

#[test]
fn a_page_item_that_does_not_decode_fails_the_round_trip() {
    // Lenient items are written back as they came, so this is the only place that notices a
    // documented page whose sessions or machines the client cannot read.
    for (version, schema, name) in [
        (&V1, "JobSessionPage", "listJobSessions.200"),
        (&V8_1, "JobSessionPage", "listJobSessions.200"),
        (
            &V8_1,
            "ProtectedVirtualMachinePage",
            "listProtectedVirtualMachines.200",
        ),
    ] {
        let mut page = crate::support::example_in((version.document)(), name);
        let (_, round_trip) = (version.decoder)(schema).expect("a decoder");
        assert!(round_trip(&page).is_ok(), "{} {name}", version.file);
        page["results"][1]["id"] = serde_json::json!({"not": "a string"});
        let error = round_trip(&page).expect_err("an item does not decode");
        assert!(
            error.starts_with("item 1 of `results` does not decode"),
            "{} {name}: {error}",
            version.file
        );
    }
}
