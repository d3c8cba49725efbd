//! `vbazure conformance` against the mock appliance: nothing to report on the mock as it is,
//! and each kind of drift the mock can be asked for reported with its pointer and kind.

use serde_json::Value;
use vbazure_mock::{Drift, MockAppliance, Progress, DEFAULT_PASSWORD, DEFAULT_USERNAME};

use crate::support::vbazure_with;

/// Runs `vbazure conformance --output json` against `url`; its exit code and its report.
async fn conformance(url: &str, version: &str) -> (i32, Value, String) {
    let env = [
        ("VBAZURE_URL", url),
        ("VBAZURE_USERNAME", DEFAULT_USERNAME),
        ("VBAZURE_PASSWORD", DEFAULT_PASSWORD),
    ];
    let args = ["--api-version", version, "--output", "json", "conformance"];
    let run = vbazure_with(&env, args.map(String::from).to_vec(), None).await;
    let report = serde_json::from_str(run.stdout.trim()).unwrap_or(Value::Null);
    (run.code, report, run.stderr)
}

/// A mock with `drift`, holding two finished deletion sessions to read, on `version`.
async fn mock(drift: Option<Drift>, version: vbazure::ApiVersion) -> MockAppliance {
    let mut builder = MockAppliance::builder()
        .progress(Progress::Polls(1))
        .vm("web-01", "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
        .vm("db-01", "8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20");
    if let Some(drift) = drift {
        builder = builder.drift(drift);
    }
    let mock = builder.start().await.expect("the mock starts");
    // Sessions to read, made before the drift matters: through a client that does not check.
    mock.configure(|c| c.drift.clear());
    let config = mock.config();
    let appliance = vbazure::Appliance::builder(mock.url())
        .api_version(version)
        .credentials(config.username, config.password)
        .build()
        .expect("builds");
    for vm in [
        "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64",
        "8e3a5c7d-2b4f-4e61-9a08-5d1c3f7b9e20",
    ] {
        let outcome = appliance
            .delete_backups(vm)
            .send()
            .await
            .expect("starts a deletion");
        assert!(outcome.session().is_some(), "{outcome:?}");
    }
    if let Some(drift) = drift {
        mock.configure(|c| c.drift = std::iter::once(drift).collect());
    }
    mock
}

fn findings(report: &Value) -> Vec<(String, String, String)> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| {
            (
                f["kind"].as_str().unwrap_or_default().to_string(),
                f["operation"].as_str().unwrap_or_default().to_string(),
                f["pointer"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_mock_as_it_is_has_nothing_to_report() {
    let mock = mock(None, vbazure::ApiVersion::V8_1).await;
    let (code, report, stderr) = conformance(mock.url(), "8.1").await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(report["apiVersion"], "8.1");
    assert_eq!(findings(&report), vec![], "{report}");
    // The read-only calls of the flow were all made and checked.
    for operation in [
        "createToken",
        "getSystemInfo",
        "listJobSessions",
        "getJobSession",
        "getJobSessionLog",
        "listProtectedVirtualMachines",
        "getProtectedVirtualMachine",
    ] {
        assert!(
            report["operations"][operation]["answers"].as_u64() >= Some(1),
            "{operation} not checked: {report}"
        );
    }
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(flavor = "multi_thread")]
async fn each_drift_is_reported_with_its_pointer_and_kind() {
    // (drift, a finding it must cause, the exit code)
    let cases = [
        (
            Drift::UndocumentedField,
            ("drift", "getJobSession", "/x-mock-drift"),
            0,
        ),
        // The page cannot be read: no session id to read one by one.
        (Drift::Null, ("breaking", "listJobSessions", "/limit"), 6),
        (Drift::EnumValue, ("drift", "getJobSession", "/status"), 0),
        // The token answer drifts too: the login fails on it, and that is the finding.
        (
            Drift::WrongType,
            ("breaking", "createToken", "/expires_in"),
            6,
        ),
        (
            Drift::UndocumentedStatus,
            ("breaking", "createToken", ""),
            6,
        ),
    ];
    for (drift, (kind, operation, pointer), exit) in cases {
        // Chosen, and detected: detection logs in to confirm the version, and a token answer
        // it cannot read must still end in the report, not in a failed run.
        for version in ["8.1", "auto"] {
            let mock = mock(Some(drift), vbazure::ApiVersion::V8_1).await;
            let (code, report, stderr) = conformance(mock.url(), version).await;
            let found = findings(&report);
            let expected = (kind.to_string(), operation.to_string(), pointer.to_string());
            assert!(
                found.contains(&expected),
                "{drift:?} ({version}): {expected:?} not in {found:?}\n{stderr}"
            );
            assert_eq!(code, exit, "{drift:?} ({version}): {stderr}");
            assert_eq!(report["apiVersion"], "8.1", "{drift:?} ({version})");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn v1_drift_is_reported_against_the_v1_document() {
    let mock = mock(Some(Drift::WrongType), vbazure::ApiVersion::V1).await;
    let (code, report, stderr) = conformance(mock.url(), "1").await;
    assert_eq!(report["apiVersion"], "1", "{stderr}");
    let found = findings(&report);
    // The token answer's `expires_in` comes as a string: the login fails, and says why.
    assert!(
        found.contains(&(
            "breaking".to_string(),
            "createToken".to_string(),
            "/expires_in".to_string()
        )),
        "{found:?}"
    );
    assert!(
        report["failedCalls"][0]
            .as_str()
            .is_some_and(|l| l.starts_with("login")),
        "{report}"
    );
    assert_eq!(code, 6, "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_readme_shows_what_conformance_prints() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    // The built-in mock, as the README runs it.
    let run = vbazure_with(&[], vec!["--mock".into(), "conformance".into()], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let shown = crate::readme::readme_block(&root, "$ vbazure --mock conformance");
    crate::readme::assert_shows(&shown, &run.stdout);

    // A mock started with `--drift null`, exit 6.
    let mock = MockAppliance::builder()
        .drift(Drift::Null)
        .start()
        .await
        .unwrap();
    let env = [
        ("VBAZURE_URL", mock.url()),
        ("VBAZURE_USERNAME", DEFAULT_USERNAME),
        ("VBAZURE_PASSWORD", DEFAULT_PASSWORD),
    ];
    let run = vbazure_with(&env, vec!["conformance".into()], None).await;
    assert_eq!(run.code, 6, "{}", run.stderr);
    let shown = crate::readme::readme_block(&root, "conformance: 2 breaking, 0 drift");
    crate::readme::assert_shows(&shown, &run.stdout);
}
