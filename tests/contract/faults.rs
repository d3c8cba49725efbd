//! Contract tests of failures: each asserts the error a caller gets and how many requests were
//! made (`.expect(n)`): idempotent requests are retried on transient failures, POSTs never.

use std::time::Duration;

use crate::support::{json, problem, with_token};
use vbazure::{Appliance, ErrorKind};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SESSION: &str = "/api/v1/jobSessions/11";

async fn get_answered_with(
    response: ResponseTemplate,
    expected: u64,
) -> (MockServer, vbazure::Error) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(response)
        .named("getJobSession")
        .expect(expected)
        .mount(&server)
        .await;
    let error = with_token(&server.uri())
        .job_session("11")
        .await
        .expect_err("fails");
    assert_eq!(error.operation(), "getJobSession");
    (server, error)
}

#[tokio::test]
async fn forbidden_is_not_retried() {
    let (_s, error) = get_answered_with(
        problem(403, "Forbidden", "Restore operators may not read this."),
        1,
    )
    .await;
    assert!(matches!(error.kind(), ErrorKind::Forbidden(_)), "{error:?}");
}

#[tokio::test]
async fn not_found_carries_the_problem_details() {
    let (_s, error) = get_answered_with(
        problem(404, "Not Found", "Job session 11 was not found."),
        1,
    )
    .await;
    let ErrorKind::NotFound(response) = error.kind() else {
        panic!("{error:?}")
    };
    let problem = response.problem.as_ref().expect("problem details");
    assert_eq!(
        problem.detail.as_deref(),
        Some("Job session 11 was not found.")
    );
    assert_eq!(problem.trace_id.as_deref(), Some("00-trace-01"));
    assert_eq!(
        response.content_type.as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(
        error.to_string(),
        "getJobSession: not found (404 application/problem+json): Not Found: Job session 11 was not found. [trace 00-trace-01]"
    );
}

#[tokio::test]
async fn conflict_is_its_own_kind() {
    let (_s, error) =
        get_answered_with(problem(409, "Conflict", "The session is being stopped."), 1).await;
    assert!(matches!(error.kind(), ErrorKind::Conflict(_)), "{error:?}");
}

#[tokio::test]
async fn throttling_with_retry_after_is_waited_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(
            problem(429, "Too Many Requests", "Slow down.").insert_header("retry-after", "1"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .named("429 once")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(SESSION))
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.finished"),
        ))
        .with_priority(2)
        .named("then the session")
        .expect(1)
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    with_token(&server.uri())
        .job_session("11")
        .await
        .expect("succeeds after the wait");
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn service_unavailable_is_retried_until_the_retries_run_out() {
    // 1 attempt + 2 retries (crate::support::fast_retries).
    let (_s, error) =
        get_answered_with(problem(503, "Service Unavailable", "Restarting."), 3).await;
    assert!(
        matches!(error.kind(), ErrorKind::Api(r) if r.status == 503),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_post_is_never_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(problem(503, "Service Unavailable", "Restarting."))
        .named("deleteBackups 503")
        .expect(1)
        .mount(&server)
        .await;
    let error = with_token(&server.uri())
        .delete_backups("vm-1")
        .send()
        .await
        .expect_err("fails");
    assert_eq!(error.operation(), "deleteBackups");
    assert_eq!(error.status(), Some(503));
}

#[tokio::test]
async fn an_html_error_page_is_an_unexpected_response_with_an_excerpt() {
    let page = format!(
        "<html><body><h1>500 Internal Server Error</h1>{}</body></html>",
        "x".repeat(2000)
    );
    let (_s, error) = get_answered_with(
        ResponseTemplate::new(500).set_body_raw(page, "text/html"),
        1,
    )
    .await;
    let ErrorKind::UnexpectedResponse { response, .. } = error.kind() else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 500);
    assert_eq!(response.content_type.as_deref(), Some("text/html"));
    assert!(response.body_excerpt.starts_with("<html><body><h1>500"));
    assert!(response.body_excerpt.len() <= vbazure::BODY_EXCERPT_LIMIT);
    assert!(error.to_string().len() < 600, "{error}");
}

#[tokio::test]
async fn an_empty_success_body_is_reported_with_status_and_content_type() {
    let (_s, error) = get_answered_with(
        ResponseTemplate::new(200).insert_header("content-type", "application/json"),
        1,
    )
    .await;
    let ErrorKind::UnexpectedResponse {
        response, reason, ..
    } = error.kind()
    else {
        panic!("{error:?}")
    };
    assert_eq!(response.status, 200);
    assert_eq!(response.content_type.as_deref(), Some("application/json"));
    assert_eq!(reason.as_deref(), Some("the body is empty"));
}

#[tokio::test]
async fn truncated_json_is_an_unexpected_response() {
    let body = crate::support::example("getJobSession.200.finished").to_string();
    let cut = ResponseTemplate::new(200)
        .set_body_raw(body[..body.len() / 2].to_string(), "application/json");
    let (_s, error) = get_answered_with(cut, 1).await;
    let ErrorKind::UnexpectedResponse {
        reason, response, ..
    } = error.kind()
    else {
        panic!("{error:?}")
    };
    assert!(
        reason.as_deref().unwrap_or_default().contains("EOF"),
        "{reason:?}"
    );
    let cause = std::error::Error::source(&error).expect("the decoder's error");
    assert!(
        cause
            .downcast_ref::<serde_json::Error>()
            .is_some_and(|e| e.is_eof()),
        "{cause:?}"
    );
    assert!(
        response.body_excerpt.starts_with("{\"id\":\"11\""),
        "{}",
        response.body_excerpt
    );
}

#[tokio::test]
async fn json_of_the_wrong_shape_names_what_is_missing() {
    let (_s, error) = get_answered_with(
        json(200, &serde_json::json!({"id": "11", "results": []})),
        1,
    )
    .await;
    let ErrorKind::UnexpectedResponse { reason, .. } = error.kind() else {
        panic!("{error:?}")
    };
    assert!(
        reason
            .as_deref()
            .unwrap_or_default()
            .contains("missing field"),
        "{reason:?}"
    );
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_and_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            json(200, &crate::support::example("getJobSession.200.finished"))
                .set_delay(Duration::from_secs(3)),
        )
        .expect(1)
        .mount(&server)
        .await;
    let appliance = Appliance::builder(server.uri())
        .access_token(crate::support::TOKEN)
        .retry_policy(crate::support::fast_retries())
        .request_timeout(Duration::from_millis(200))
        .build()
        .expect("valid settings");
    let error = appliance.job_session("11").await.expect_err("times out");
    assert!(
        matches!(error.kind(), ErrorKind::Timeout { .. }),
        "{error:?}"
    );
    let cause = std::error::Error::source(&error).expect("the HTTP client's error");
    assert!(
        cause
            .downcast_ref::<reqwest::Error>()
            .is_some_and(|e| e.is_timeout()),
        "{cause:?}"
    );
    assert!(error.is_transport());
}

/// A server that answers every connection with the start of a response, then hangs up.
async fn cut_off_server() -> (String, tokio::task::JoinHandle<usize>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let task = tokio::spawn(async move {
        let mut connections = 0;
        while let Ok(Ok((mut socket, _))) =
            tokio::time::timeout(Duration::from_millis(500), listener.accept()).await
        {
            connections += 1;
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"id\": \"11\", ";
            let _ = socket.write_all(head.as_bytes()).await;
            drop(socket);
        }
        connections
    });
    (url, task)
}

#[tokio::test]
async fn a_connection_closed_mid_response_is_a_transport_error() {
    let (url, server) = cut_off_server().await;
    let error = with_token(&url).job_session("11").await.expect_err("fails");
    assert!(
        matches!(error.kind(), ErrorKind::Transport { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("cut off"), "{error}");
    assert_eq!(
        server.await.expect("the server ends"),
        1,
        "a body cut off is not retried"
    );
}

#[tokio::test]
async fn an_unreachable_appliance_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    drop(listener); // Nothing listens there now.
    let error = with_token(&url).job_session("11").await.expect_err("fails");
    assert!(
        matches!(error.kind(), ErrorKind::Connect { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("getJobSession: cannot connect to the appliance"),
        "{error}"
    );
    // The cause is the HTTP client's error, without the URL (the caller's own, which may
    // carry credentials) in its message or its `Debug`.
    let cause = std::error::Error::source(&error).expect("the HTTP client's error");
    let reqwest_error = cause.downcast_ref::<reqwest::Error>().expect("reqwest's");
    assert!(reqwest_error.is_connect() && reqwest_error.url().is_none());
    let shown = format!("{cause} {cause:?} {error:?}");
    assert!(!shown.contains(&url), "{shown}");
}
