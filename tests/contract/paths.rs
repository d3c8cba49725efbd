//! Ids go into the path as one percent-encoded segment, whatever they hold.

use crate::support::{json, with_token};
use vbazure::ErrorKind;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request};

#[tokio::test]
async fn an_id_with_dots_slashes_and_query_characters_is_one_segment() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(|r: &Request| {
            r.url.path() == "/api/v1/jobSessions/..%2F..%2Fx%3Fy=1%23z%20%25%C3%A9"
                && r.url.query().is_none()
        })
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.finished"),
        ))
        .named("one encoded segment")
        .expect(1)
        .mount(&server)
        .await;
    with_token(&server.uri())
        .job_session("../../x?y=1#z %é")
        .await
        .expect("reaches the mock");
}

#[tokio::test]
async fn a_vm_id_stays_inside_the_delete_backups_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(|r: &Request| r.url.path() == "/api/v1/virtualMachines/..%2Fjobs%3F/deleteBackups")
        .respond_with(json(200, &crate::support::example("deleteBackups.200")))
        .expect(1)
        .mount(&server)
        .await;
    with_token(&server.uri())
        .delete_backups("../jobs?")
        .send()
        .await
        .expect("reaches the mock");
}

#[tokio::test]
async fn ids_that_cannot_be_one_segment_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(500, &serde_json::json!({})))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(json(500, &serde_json::json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let appliance = with_token(&server.uri());
    for id in ["", ".", "..", "a\\..\\b"] {
        let error = appliance.job_session(id).await.expect_err("refused");
        assert!(
            matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
            "{id:?}: {error:?}"
        );
        let error = appliance
            .delete_backups(id)
            .send()
            .await
            .expect_err("refused");
        assert!(
            error
                .to_string()
                .starts_with("deleteBackups: invalid request: the VM id"),
            "{error}"
        );
    }
}
