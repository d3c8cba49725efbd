//! Every example in `openapi.yaml`, found by walking the document, decodes into its generated
//! type, encodes back to the same JSON, and matches its reviewed snapshot.
//!
//! A new example needs no test code: it gets a snapshot, which fails the suite (in CI) until
//! it is reviewed and committed with `cargo insta review`.

mod common;

use std::collections::BTreeSet;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;
use vbazure::types;
use vbazure_spec::{Example, ExampleKind};

type RoundTrip = fn(&Value) -> Result<Value, String>;

/// Decodes into `T` and encodes again.
fn round_trip<T: DeserializeOwned + Serialize>(value: &Value) -> Result<Value, String> {
    let typed: T =
        serde_json::from_value(value.clone()).map_err(|e| format!("does not decode: {e}"))?;
    serde_json::to_value(&typed).map_err(|e| format!("does not encode: {e}"))
}

/// The generated type of each component schema that has examples.
fn decoder(schema: &str) -> Option<(&'static str, RoundTrip)> {
    macro_rules! table {
        ($($name:ident),* $(,)?) => {
            match schema {
                $( stringify!($name) => Some((
                    concat!("vbazure::types::", stringify!($name)),
                    round_trip::<types::$name> as RoundTrip,
                )), )*
                _ => None,
            }
        };
    }
    table!(
        Token,
        TokenRequest,
        JobSession,
        JobSessionPage,
        JobSessionLog,
        JobSessionLogItem,
        Link,
        ProblemDetails
    )
}

const SNAPSHOT_DIR: &str = "snapshots/examples";

fn body_examples() -> Vec<Example> {
    let walked = vbazure_spec::examples(common::spec());
    assert!(
        walked.unreadable.is_empty(),
        "examples the walker cannot read: {:#?}",
        walked.unreadable
    );
    walked
        .found
        .into_iter()
        // Parameter examples are plain strings and numbers: no generated type to decode into.
        .filter(|e| !matches!(e.kind, ExampleKind::Parameter { .. }))
        .collect()
}

#[test]
fn the_walk_finds_the_documented_examples() {
    let names: BTreeSet<String> = body_examples().into_iter().map(|e| e.name).collect();
    for documented in [
        "deleteBackups.200",
        "getJobSessionLog.200",
        "listJobSessions.200",
        "createToken.200",
        "createToken.request.password",
    ] {
        assert!(
            names.contains(documented),
            "{documented} not found in {names:?}"
        );
    }
}

#[test]
fn every_example_round_trips_and_matches_its_snapshot() {
    let mut failures = Vec::new();
    for example in body_examples() {
        let place = common::spec().describe(&example.pointer);
        let Some(schema) = example.schema_name.clone() else {
            failures.push(format!(
                "{} ({place}): its schema is not a named component, so it has no generated type",
                example.name
            ));
            continue;
        };
        let Some((rust_type, round_trip)) = decoder(&schema) else {
            failures.push(format!("{} ({place}): no decoder for schema {schema}: add it to `decoder` in tests/examples.rs", example.name));
            continue;
        };
        let encoded = match round_trip(&example.value) {
            Ok(encoded) => encoded,
            Err(e) => {
                failures.push(format!("{} ({place}): {e}", example.name));
                continue;
            }
        };
        if encoded != example.value {
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
                snapshot_path => SNAPSHOT_DIR,
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
                "{} ({place}): the snapshot differs or is not reviewed yet",
                example.name
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} example(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn no_snapshot_outlives_its_example() {
    let names: BTreeSet<String> = body_examples()
        .into_iter()
        .map(|e| format!("{}.snap", e.name))
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(SNAPSHOT_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return; // No snapshots yet: the test above reports each missing one.
    };
    let orphans: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".snap") && !names.contains(f))
        .collect();
    assert!(
        orphans.is_empty(),
        "snapshots of examples no longer in openapi.yaml (delete them): {orphans:?}"
    );
}
