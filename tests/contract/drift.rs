//! The client's conformance check against the mock's drift on demand: for each kind of drift,
//! an `Appliance` with conformance on, reading the flow of each version, reports that kind's
//! findings where the mock departed, classed as the kind says; without drift, none at all.

use std::collections::BTreeSet;

use vbazure::conformance::FindingKind;
use vbazure::{ApiVersion, Appliance, Conformance};
use vbazure_mock::{Drift, MockAppliance};

/// A finding as compared here: operation, status, pointer, kind.
type Seen = (String, u16, String, FindingKind);

/// A mock of `version` (v1 alone, as a product 1.0 appliance; v8.1 beside v1, as by default).
async fn mock(version: ApiVersion, drift: Option<Drift>) -> MockAppliance {
    let mut builder = MockAppliance::builder();
    if version == ApiVersion::V1 {
        builder = builder.api_versions([vbazure_mock::ApiVersion::V1]);
    }
    if let Some(drift) = drift {
        builder = builder.drift(drift);
    }
    builder.start().await.expect("the mock starts")
}

fn client(
    mock: &MockAppliance,
    version: ApiVersion,
    conformance: &Conformance,
) -> vbazure::ApplianceBuilder {
    Appliance::builder(mock.url())
        .api_version(version)
        .retry_policy(crate::support::fast_retries())
        .conformance(conformance.clone())
}

/// The id of the first session of the mock's list, read by plain HTTP: a drift may make the
/// answers that carry it ones the client refuses, and no drift touches a page item's id.
async fn first_session(mock: &MockAppliance, version: ApiVersion, token: &str) -> String {
    let prefix = match version {
        ApiVersion::V1 => "/api/v1",
        _ => "/api/v8.1",
    };
    let page: serde_json::Value = reqwest::Client::new()
        .get(format!("{}{prefix}/jobSessions", mock.url()))
        .bearer_auth(token)
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("a JSON page");
    page["results"][0]["id"]
        .as_str()
        .expect("a session id")
        .to_string()
}

/// Logs in, deletes a VM's backups, reads the session, a page of sessions and the log (and,
/// on v8.1, the system information, a page of one protected VM and that VM), with
/// conformance on, whatever each answer is: every finding.
async fn findings(mock: &MockAppliance, version: ApiVersion) -> Vec<Seen> {
    let conformance = Conformance::new();
    let config = mock.config();
    // Logging in may fail under a drift of the token answer: the finding is what counts.
    let _ = client(mock, version, &conformance)
        .credentials(config.username, config.password)
        .build()
        .expect("valid settings")
        .login()
        .await;
    let token = crate::support::mock_access_token(mock).await;
    let appliance = client(mock, version, &conformance)
        .access_token(token.clone())
        .build()
        .expect("valid settings");
    let vm = mock.vms()[0].1.clone();
    let _ = appliance.delete_backups(&vm).send().await;
    let session = first_session(mock, version, &token).await;
    let _ = appliance.job_session(&session).await;
    let _ = appliance.job_sessions_page(0, 10).send().await;
    let _ = appliance.job_session_log(&session).send().await;
    if version == ApiVersion::V8_1 {
        let _ = appliance.system_info().await;
        let _ = appliance.protected_vms_page(0, 1).send().await;
        let _ = appliance.protected_vm(&vm).await;
    }
    conformance
        .findings()
        .into_iter()
        .map(|f| (f.operation, f.status, f.pointer, f.kind))
        .collect()
}

fn deletion(version: ApiVersion) -> (&'static str, u16) {
    match version {
        ApiVersion::V1 => ("deleteBackups", 200),
        _ => ("deleteVirtualMachineBackups", 202),
    }
}

/// Each operation read above, with the status it documents for its answer.
fn operations(version: ApiVersion) -> Vec<(&'static str, u16)> {
    let mut all = vec![
        ("createToken", 200),
        deletion(version),
        ("listJobSessions", 200),
        ("getJobSession", 200),
        ("getJobSessionLog", 200),
    ];
    if version == ApiVersion::V8_1 {
        all.extend([
            ("getSystemInfo", 200),
            ("listProtectedVirtualMachines", 200),
            ("getProtectedVirtualMachine", 200),
        ]);
    }
    all
}

fn status_of(version: ApiVersion, operation: &str) -> u16 {
    operations(version)
        .into_iter()
        .find(|(op, _)| *op == operation)
        .map_or(200, |(_, status)| status)
}

/// The findings expected where the mock drifts (see `vbazure_mock::Drift`): (operation,
/// pointer) with the status each answer has and the kind `kind`.
fn expected(
    version: ApiVersion,
    kind: FindingKind,
    status: Option<u16>,
    at: &[(&str, &str)],
) -> BTreeSet<Seen> {
    at.iter()
        .map(|(op, pointer)| {
            let status = status.unwrap_or_else(|| status_of(version, op));
            (op.to_string(), status, pointer.to_string(), kind)
        })
        .collect()
}

async fn assert_drift(drift: Drift, version: ApiVersion, kind: FindingKind, at: &[(&str, &str)]) {
    let mock = mock(version, Some(drift)).await;
    let found: BTreeSet<Seen> = findings(&mock, version).await.into_iter().collect();
    let status = (drift == Drift::UndocumentedStatus).then_some(Drift::STATUS);
    assert_eq!(
        found,
        expected(version, kind, status, at),
        "--drift {drift} on {version:?}"
    );
    assert!(
        mock.unexpected_violations().is_empty(),
        "{:#?}",
        mock.unexpected_violations()
    );
}

#[tokio::test]
async fn an_undocumented_field_is_drift_at_its_pointer() {
    for version in [ApiVersion::V1, ApiVersion::V8_1] {
        let mut at: Vec<(&str, &str)> = operations(version)
            .into_iter()
            .map(|(op, _)| (op, "/x-mock-drift"))
            .collect();
        at.push(("listJobSessions", "/results/0/x-mock-drift"));
        if version == ApiVersion::V8_1 {
            at.push(("listProtectedVirtualMachines", "/results/0/x-mock-drift"));
        }
        assert_drift(Drift::UndocumentedField, version, FindingKind::Drift, &at).await;
    }
}

#[tokio::test]
async fn a_null_where_the_document_forbids_one_is_breaking() {
    assert_drift(
        Drift::Null,
        ApiVersion::V1,
        FindingKind::Breaking,
        &[
            ("createToken", "/token_type"),
            ("deleteBackups", "/id"),
            ("listJobSessions", "/limit"),
            ("getJobSession", "/id"),
            ("getJobSessionLog", "/jobSessionId"),
        ],
    )
    .await;
    // A v8.1 token and the system information may be null anywhere: no finding there.
    assert_drift(
        Drift::Null,
        ApiVersion::V8_1,
        FindingKind::Breaking,
        &[
            ("deleteVirtualMachineBackups", "/status"),
            ("listJobSessions", "/limit"),
            ("getJobSession", "/status"),
            ("getJobSessionLog", "/log/0/status"),
            ("listProtectedVirtualMachines", "/limit"),
            ("getProtectedVirtualMachine", "/subscription/id"),
        ],
    )
    .await;
}

#[tokio::test]
async fn a_value_an_open_enum_lacks_and_the_client_does_not_know_is_drift() {
    for version in [ApiVersion::V1, ApiVersion::V8_1] {
        let (deletion, _) = deletion(version);
        assert_drift(
            Drift::EnumValue,
            version,
            FindingKind::Drift,
            &[
                (deletion, "/status"),
                ("listJobSessions", "/results/0/status"),
                ("getJobSession", "/status"),
                ("getJobSessionLog", "/log/0/status"),
            ],
        )
        .await;
    }
    assert!(
        !vbazure::SessionStatus::KNOWN
            .iter()
            .any(|s| s.as_str() == Drift::ENUM_VALUE),
        "the value must be one the client does not know, or the finding is Fine"
    );
}

#[tokio::test]
async fn a_field_of_the_wrong_type_is_breaking() {
    assert_drift(
        Drift::WrongType,
        ApiVersion::V1,
        FindingKind::Breaking,
        &[
            ("createToken", "/expires_in"),
            ("deleteBackups", "/usn"),
            ("listJobSessions", "/totalCount"),
            ("getJobSession", "/usn"),
            ("getJobSessionLog", "/log/0/logTime"),
        ],
    )
    .await;
    assert_drift(
        Drift::WrongType,
        ApiVersion::V8_1,
        FindingKind::Breaking,
        &[
            ("createToken", "/expires_in"),
            ("deleteVirtualMachineBackups", "/executionStartTime"),
            ("listJobSessions", "/totalCount"),
            ("getJobSession", "/executionStartTime"),
            ("getJobSessionLog", "/log/0/logTime"),
            ("getSystemInfo", "/serverVersion"),
            ("listProtectedVirtualMachines", "/totalCount"),
            ("getProtectedVirtualMachine", "/totalSizeInGB"),
        ],
    )
    .await;
}

#[tokio::test]
async fn an_undocumented_status_is_breaking() {
    for version in [ApiVersion::V1, ApiVersion::V8_1] {
        let at: Vec<(&str, &str)> = operations(version)
            .into_iter()
            .map(|(op, _)| (op, ""))
            .collect();
        assert_drift(
            Drift::UndocumentedStatus,
            version,
            FindingKind::Breaking,
            &at,
        )
        .await;
    }
}

#[tokio::test]
async fn without_drift_there_is_no_finding_and_every_answer_was_checked() {
    for version in [ApiVersion::V1, ApiVersion::V8_1] {
        let mock = mock(version, None).await;
        let conformance = Conformance::new();
        let appliance = client(&mock, version, &conformance)
            .credentials(mock.config().username, mock.config().password)
            .build()
            .expect("valid settings");
        appliance.login().await.expect("logs in");
        let vm = mock.vms()[0].1.clone();
        let session = crate::support::started(appliance.delete_backups(&vm).send().await);
        appliance.job_session(&session.id).await.expect("a session");
        let page = appliance
            .job_sessions_page(0, 10)
            .send()
            .await
            .expect("a page");
        assert_eq!(page.sessions.len(), 1);
        appliance
            .job_session_log(&session.id)
            .send()
            .await
            .expect("a log");
        if version == ApiVersion::V8_1 {
            appliance.system_info().await.expect("system info");
            appliance
                .protected_vms_page(0, 1)
                .send()
                .await
                .expect("a page of VMs");
            appliance.protected_vm(&vm).await.expect("a VM");
        }
        assert_eq!(conformance.findings(), vec![], "{version:?}");
        let report = conformance.report();
        for (operation, _) in operations(version) {
            assert!(
                report.get(operation).is_some_and(|r| r.answers >= 1),
                "{version:?}: {operation} was not checked: {report:?}"
            );
        }
        assert!(mock.violations().is_empty(), "{:#?}", mock.violations());
    }
}
