//! Conformance through the `Appliance`: every answer checked against the document of the version
//! in use, findings structured and classed, and what the caller receives unchanged.

use serde_json::json;
use vbazure::conformance::FindingKind;
use vbazure::{ApiVersion, Appliance, Conformance};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn appliance(server: &MockServer, conformance: Option<&Conformance>) -> Appliance {
    let mut builder = Appliance::builder(server.uri())
        .api_version(ApiVersion::V8_1)
        .access_token(crate::support::TOKEN)
        .retry_policy(crate::support::fast_retries());
    if let Some(conformance) = conformance {
        builder = builder.conformance(conformance.clone());
    }
    builder.build().expect("valid settings")
}

async fn answering(body: &serde_json::Value, times: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions/s-1"))
        .respond_with(crate::support::json(200, body))
        .expect(times)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_documented_answer_has_no_finding_and_is_counted() {
    let body = crate::support::example_v8_1("getJobSession.200.finished");
    let server = answering(&body, 1).await;
    let conformance = Conformance::new();
    appliance(&server, Some(&conformance))
        .job_session("s-1")
        .await
        .expect("decodes");
    assert_eq!(conformance.findings(), vec![]);
    let report = conformance.report();
    assert_eq!(report["getJobSession"].answers, 1);
    assert!(!conformance.has_breaking());
}

#[tokio::test]
async fn departures_are_reported_with_their_pointer_and_kind_and_the_caller_sees_no_change() {
    let mut body = crate::support::example_v8_1("getJobSession.200.running");
    body["surprise"] = json!({"added": "by a later version"});
    body["status"] = json!("Suspended");
    body["type"] = json!("AutoBackup");
    let server = answering(&body, 2).await;
    let conformance = Conformance::new();
    let checked = appliance(&server, Some(&conformance))
        .job_session("s-1")
        .await
        .expect("still decodes: every departure here is tolerated");
    let plain = appliance(&server, None)
        .job_session("s-1")
        .await
        .expect("decodes");
    assert_eq!(
        checked, plain,
        "checking changes nothing the caller receives"
    );
    let mut found: Vec<(String, FindingKind)> = conformance
        .findings()
        .into_iter()
        .map(|f| (f.pointer, f.kind))
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("/status".to_string(), FindingKind::Drift),
            ("/surprise".to_string(), FindingKind::Drift),
            // Not in the v8.1 list, but a value the client's open enum knows (from v1).
            ("/type".to_string(), FindingKind::Fine),
        ]
    );
    assert!(!conformance.has_breaking());
}

#[tokio::test]
async fn an_answer_the_generated_client_cannot_decode_is_breaking_and_fails_as_before() {
    let mut body = crate::support::example_v8_1("getJobSession.200.running");
    body["executionStartTime"] = json!("yesterday");
    let server = answering(&body, 2).await;
    let conformance = Conformance::new();
    let checked = appliance(&server, Some(&conformance))
        .job_session("s-1")
        .await
        .expect_err("a timestamp the client cannot read");
    let plain = appliance(&server, None)
        .job_session("s-1")
        .await
        .expect_err("the same failure without the check");
    assert_eq!(checked.to_string(), plain.to_string());
    let findings = conformance.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    let finding = &findings[0];
    assert_eq!(finding.kind, FindingKind::Breaking);
    assert_eq!(finding.pointer, "/executionStartTime");
    assert_eq!(finding.operation, "getJobSession");
    assert_eq!(finding.status, 200);
    assert_eq!(finding.expected, "format: date-time");
    assert_eq!(finding.found, "\"yesterday\"");
    assert!(conformance.has_breaking());
}

#[tokio::test]
async fn an_undocumented_status_is_breaking() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v8.1/jobSessions/s-1/stop"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let conformance = Conformance::new();
    let _ = appliance(&server, Some(&conformance))
        .stop_job_session("s-1")
        .await;
    let findings = conformance.findings();
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].kind, FindingKind::Breaking);
    assert!(findings[0].expected.contains("204"), "{:?}", findings[0]);
}

#[tokio::test]
async fn findings_about_a_token_answer_never_show_its_values() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(crate::support::json(
            200,
            &json!({"access_token": 42, "refresh_token": "refresh-secret-value", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let conformance = Conformance::new();
    let appliance = Appliance::builder(server.uri())
        .api_version(ApiVersion::V8_1)
        .credentials("administrator", "hunter2-password")
        .conformance(conformance.clone())
        .build()
        .expect("valid settings");
    let _ = appliance.login().await;
    let findings = conformance.findings();
    assert!(!findings.is_empty());
    let shown = format!(
        "{findings:?} {}",
        findings.iter().map(ToString::to_string).collect::<String>()
    );
    assert!(
        !shown.contains("42") && !shown.contains("refresh-secret"),
        "{shown}"
    );
}
