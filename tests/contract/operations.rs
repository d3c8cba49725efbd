//! Contract tests: each operation sends the documented request (method, path, query, headers,
//! body) and decodes the documented answer. One `MockServer` per test; `.expect(n)` proves how
//! many requests were made.

use crate::support::{anonymous, form_fields, has_no_body, json, with_password, with_token, TOKEN};
use serde_json::Value;
use vbazure::{SessionStatus, SessionType};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn bearer() -> String {
    format!("Bearer {TOKEN}")
}

#[test]
fn operation_names_are_the_specs_operation_ids() {
    let mut ids: Vec<String> = crate::support::spec()
        .operations()
        .iter()
        .filter_map(|o| o.operation_id.clone())
        .collect();
    ids.sort();
    let mut ours: Vec<&str> = vbazure::operations::v1::all()
        .iter()
        .map(|f| f.id)
        .collect();
    ours.sort();
    assert_eq!(ids, ours);
}

#[tokio::test]
async fn create_token_sends_the_documented_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(anonymous)
        .and(|r: &Request| {
            form_fields(r)
                == [
                    ("Password".to_string(), "pa55 word&=?".to_string()),
                    ("Username".to_string(), "administrator".to_string()),
                    ("grant_type".to_string(), "Password".to_string()),
                ]
        })
        .respond_with(json(200, &crate::support::example("createToken.200")))
        .named("createToken, password grant")
        .expect(1)
        .mount(&server)
        .await;
    // The token it returns is what the next request carries.
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .and(header(
            "authorization",
            "Bearer example-access-token-7c1e4a",
        ))
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.finished"),
        ))
        .named("getJobSession with the new token")
        .expect(1)
        .mount(&server)
        .await;

    let appliance = with_password(&server.uri(), "pa55 word&=?");
    appliance.login().await.expect("logs in");
    let session = appliance
        .job_session("11")
        .await
        .expect("reads the session");
    assert_eq!(session.status, SessionStatus::Success);
}

#[tokio::test]
async fn delete_backups_is_a_bodiless_post_with_content_length_zero() {
    let vm_id = crate::support::example("deleteBackups.param-id");
    let vm_id = vm_id.as_str().expect("a string id");
    let documented = crate::support::example("deleteBackups.200");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v1/virtualMachines/{vm_id}/deleteBackups"
        )))
        .and(header("authorization", bearer().as_str()))
        .and(header("content-length", "0"))
        .and(header("accept", "application/json"))
        .and(has_no_body)
        .respond_with(json(200, &documented))
        .named("deleteBackups with the seed's VM id")
        .expect(1)
        .mount(&server)
        .await;

    let outcome = with_token(&server.uri())
        .delete_backups(vm_id)
        .send()
        .await
        .expect("decodes");
    let vbazure::DeleteOutcome::Started(session) = outcome else {
        panic!("v1 always starts a session: {outcome:?}");
    };
    assert_eq!(session.id, "11");
    assert_eq!(session.session_type, Some(SessionType::BackupDeletion));
    assert_eq!(session.status, SessionStatus::Running);
    assert_eq!(session.execution_duration.map(|d| d.ticks()), Some(837_798));
    let vbazure::SessionAnswer::V1(answer) = &session.answer else {
        panic!("a v1 answer");
    };
    assert_eq!(
        answer.links.as_ref().expect("links")["log"].href,
        "https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11/log"
    );
    assert_eq!(serde_json::to_value(&session).expect("encodes"), documented);
}

#[tokio::test]
async fn list_job_sessions_sends_offset_and_limit() {
    let documented = crate::support::example("listJobSessions.200");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions"))
        .and(query_param("offset", "19"))
        .and(query_param("limit", "3"))
        .and(header("authorization", bearer().as_str()))
        .and(has_no_body)
        .respond_with(json(200, &documented))
        .named("listJobSessions offset 19 limit 3")
        .expect(1)
        .mount(&server)
        .await;

    let page = with_token(&server.uri())
        .job_sessions_page(19, 3)
        .send()
        .await
        .expect("decodes");
    assert_eq!(
        (page.offset, page.limit, page.total_count),
        (19, 3, Some(40))
    );
    let sessions: Vec<&vbazure::Session> = page
        .sessions
        .iter()
        .map(|s| s.as_ref().expect("decodes"))
        .collect();
    assert_eq!(sessions.len(), 3);
    // Each session encodes back to the documented JSON.
    for (session, documented) in sessions
        .iter()
        .zip(documented["results"].as_array().expect("results"))
    {
        assert_eq!(&serde_json::to_value(session).expect("encodes"), documented);
    }
}

#[tokio::test]
async fn get_job_session_and_its_log() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/39"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.running"),
        ))
        .named("getJobSession 39")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/38/log"))
        .and(header("authorization", bearer().as_str()))
        .respond_with(json(200, &crate::support::example("getJobSessionLog.200")))
        .named("getJobSessionLog 38")
        .expect(1)
        .mount(&server)
        .await;

    let appliance = with_token(&server.uri());
    let session = appliance.job_session("39").await.expect("decodes");
    assert_eq!(session.session_type, Some(SessionType::BackupRetention));
    assert!(!session.is_finished());
    let log = appliance
        .job_session_log("38")
        .send()
        .await
        .expect("decodes");
    assert_eq!(log.session_id.as_deref(), Some("38"));
    assert_eq!(
        log.entries[0].message.as_deref(),
        Some("Backup plan creation has finished")
    );
}

#[tokio::test]
async fn stop_job_session_is_a_bodiless_post_answered_without_a_body() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/v1/jobSessions/22/stop"))
        .and(header("authorization", bearer().as_str()))
        .and(header("content-length", "0"))
        .and(has_no_body)
        .respond_with(ResponseTemplate::new(200))
        .named("stopJobSession 22")
        .expect(1)
        .mount(&server)
        .await;
    with_token(&server.uri())
        .stop_job_session("22")
        .await
        .expect("stops");
}

#[tokio::test]
async fn every_request_carries_the_api_version_of_the_spec() {
    let version = crate::support::spec()
        .get("/info/version")
        .and_then(Value::as_str)
        .expect("a version")
        .to_string();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .and(header("api-version", version.as_str()))
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.finished"),
        ))
        .expect(1)
        .mount(&server)
        .await;
    with_token(&server.uri())
        .job_session("11")
        .await
        .expect("decodes");
}
