//! The dialects against the documents' facts.

use super::Step;
use crate::appliance::ApiVersion;
use crate::{operations, Appliance};

const STEPS: [Step; 5] = [
    Step::DeleteBackups,
    Step::GetJobSession,
    Step::GetJobSessionLog,
    Step::StopJobSession,
    Step::ListJobSessions,
];

fn appliance() -> Appliance {
    // Nothing is sent: only the dialects' names are read.
    Appliance::builder("http://127.0.0.1:1")
        .credentials("administrator", "unused")
        .build()
        .expect("a loopback URL builds")
}

/// Every step names an operation of its version's document.
#[test]
fn steps_name_documented_operations() {
    let appliance = appliance();
    for version in ApiVersion::ALL {
        for step in STEPS {
            let id = appliance.dialect_of(version).operation(step);
            let documented = match version {
                ApiVersion::V1 => operations::v1::by_id(id),
                ApiVersion::V8_1 => operations::v8_1::by_id(id),
            };
            assert!(documented.is_some(), "{step:?} of {version}: {id}");
        }
    }
}

/// The steps an error may name before the version is known (a session id checked before the
/// first poll) have the same name in every version, so that the name is right whichever the
/// appliance turns out to speak. A version that renames one makes this fail: its errors would
/// then need the version first.
#[test]
fn steps_named_before_detection_agree() {
    let appliance = appliance();
    let names: Vec<&str> = ApiVersion::ALL
        .into_iter()
        .map(|version| appliance.dialect_of(version).operation(Step::GetJobSession))
        .collect();
    assert!(names.windows(2).all(|w| w[0] == w[1]), "{names:?}");
}
