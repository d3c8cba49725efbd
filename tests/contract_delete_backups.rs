//! Contract test of `deleteBackups`: the documented request receives the documented answer,
//! which the generated client decodes.

mod common;

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "contract-test-token";

fn authorized_client(base_url: &str) -> vbazure::Client {
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {TOKEN}")).expect("an ASCII header value");
    headers.insert(AUTHORIZATION, bearer);
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .expect("a client without TLS settings builds");
    vbazure::Client::new_with_client(base_url, http)
}

#[tokio::test]
async fn documented_request_gets_documented_session() {
    let vm_id = common::example("deleteBackups.param-id");
    let vm_id = vm_id.as_str().expect("the VM id example is a string");
    let documented = common::example("deleteBackups.200");

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v1/virtualMachines/{vm_id}/deleteBackups"
        )))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(|request: &Request| request.body.is_empty())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw(documented.to_string(), "application/json; charset=utf-8"),
        )
        .named("deleteBackups with the seed's VM id")
        .expect(1)
        .mount(&server)
        .await;

    let session = authorized_client(&server.uri())
        .delete_backups()
        .id(vm_id)
        .send()
        .await
        .expect("the documented answer decodes")
        .into_inner();

    assert_eq!(session.id, "11");
    assert_eq!(session.type_, vbazure::SessionType::BackupDeletion);
    assert_eq!(session.status, vbazure::SessionStatus::Running);
    assert_eq!(session.execution_duration.ticks(), 837_798);
    assert_eq!(
        session.execution_start_time.to_string(),
        "2020-02-03T13:53:00.4098143Z"
    );
    assert!(!session.is_finished());
    assert_eq!(
        session.links["log"].href,
        "https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11/log"
    );
    assert_eq!(serde_json::to_value(&session).expect("encodes"), documented);
    server.verify().await;
}
