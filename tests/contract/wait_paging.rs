//! Contract tests of waiting on a session and of paging through all sessions.

use std::time::Duration;

use crate::support::{json, session, with_token};
use futures_util::TryStreamExt;
use serde_json::json;
use vbazure::{ErrorKind, SessionStatus, WaitOptions};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn quick(timeout: Option<Duration>) -> WaitOptions {
    let mut options =
        WaitOptions::default().with_intervals(Duration::from_millis(10), Duration::from_millis(30));
    options.timeout = timeout;
    options
}

/// Serves `answers` in order for `GET /api/v1/jobSessions/11`, the last one from then on.
async fn session_answers(server: &MockServer, answers: &[(serde_json::Value, u64)]) {
    for (priority, (body, times)) in answers.iter().enumerate() {
        let mut mock = Mock::given(method("GET"))
            .and(path("/api/v1/jobSessions/11"))
            .respond_with(json(200, body))
            .with_priority(priority as u8 + 1)
            .expect(*times);
        if priority + 1 < answers.len() {
            mock = mock.up_to_n_times(*times);
        }
        mock.mount(server).await;
    }
}

fn stopped(mut body: serde_json::Value) -> serde_json::Value {
    body["executionStopTime"] = json!("2020-02-03T13:53:31.0301337Z");
    body
}

#[tokio::test]
async fn waits_through_running_to_success_reporting_each_change() {
    let server = MockServer::start().await;
    session_answers(
        &server,
        &[
            (session("11", "Running"), 2),
            (stopped(session("11", "Success")), 1),
        ],
    )
    .await;
    let mut seen = Vec::new();
    let done = with_token(&server.uri())
        .wait("11", &quick(None), |s| seen.push(s.status.to_string()))
        .await
        .expect("finishes");
    assert_eq!(done.status, SessionStatus::Success);
    assert_eq!(seen, ["Running", "Success"]);
}

#[tokio::test]
async fn a_session_ending_in_error_is_returned_for_the_caller_to_judge() {
    let server = MockServer::start().await;
    session_answers(
        &server,
        &[
            (session("11", "Running"), 1),
            (stopped(session("11", "Error")), 1),
        ],
    )
    .await;
    let done = with_token(&server.uri())
        .wait("11", &quick(None), |_| {})
        .await
        .expect("finishes");
    assert_eq!(done.status, SessionStatus::Error);
    assert!(!done.status.is_success());
}

#[tokio::test]
async fn an_unknown_status_ends_the_wait_once_the_stop_time_is_set() {
    let server = MockServer::start().await;
    session_answers(
        &server,
        &[
            (session("11", "Archiving"), 2),
            (stopped(session("11", "Archived")), 1),
        ],
    )
    .await;
    let mut seen = Vec::new();
    let done = with_token(&server.uri())
        .wait("11", &quick(None), |s| seen.push(s.status.to_string()))
        .await
        .expect("finishes");
    assert_eq!(done.status.as_str(), "Archived");
    assert_eq!(seen, ["Archiving", "Archived"]);
}

#[tokio::test]
async fn the_deadline_ends_the_wait_not_the_session() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .respond_with(json(200, &session("11", "Running")))
        .mount(&server)
        .await;
    let error = with_token(&server.uri())
        .wait("11", &quick(Some(Duration::from_millis(150))), |_| {})
        .await
        .expect_err("times out");
    let ErrorKind::StillRunning {
        session_id,
        status,
        waited,
    } = error.kind()
    else {
        panic!("{error:?}")
    };
    assert_eq!(
        (session_id.as_str(), status),
        ("11", &SessionStatus::Running)
    );
    assert!(
        *waited >= Duration::from_millis(150) && *waited < Duration::from_secs(2),
        "{waited:?}"
    );
    assert!(
        error.to_string().contains("still running on the appliance"),
        "{error}"
    );
}

#[tokio::test]
async fn the_deadline_also_bounds_a_poll_that_hangs() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(json(200, &session("11", "Running")).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let error = with_token(&server.uri())
        .wait("11", &quick(Some(Duration::from_millis(200))), |_| {})
        .await
        .expect_err("times out");
    assert!(
        matches!(error.kind(), ErrorKind::StillRunning { .. }),
        "{error:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_finished_session_is_returned_without_polling() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    let finished: vbazure::types::JobSession =
        serde_json::from_value(crate::support::example("getJobSession.200.finished"))
            .expect("decodes");
    let done = with_token(&server.uri())
        .wait_session(finished.clone().into(), &quick(None), |_| {})
        .await
        .expect("at once");
    assert_eq!(done, finished.into());
}

fn page(offset: u64, limit: u64, total: u64, ids: &[&str]) -> serde_json::Value {
    json!({
        "offset": offset, "limit": limit, "totalCount": total,
        "results": ids.iter().map(|id| session(id, "Success")).collect::<Vec<_>>(),
        "_links": {}
    })
}

async fn page_answer(server: &MockServer, offset: &str, body: serde_json::Value, times: u64) {
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions"))
        .and(query_param("offset", offset))
        .and(query_param("limit", "3"))
        .respond_with(json(200, &body))
        .named(format!("page at offset {offset}"))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn paging_follows_offsets_to_the_total() {
    let server = MockServer::start().await;
    page_answer(&server, "0", page(0, 3, 7, &["1", "2", "3"]), 1).await;
    page_answer(&server, "3", page(3, 3, 7, &["4", "5", "6"]), 1).await;
    page_answer(&server, "6", page(6, 3, 7, &["7"]), 1).await;
    let appliance = with_token(&server.uri());
    let ids: Vec<String> = appliance
        .job_sessions(3)
        .stream()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);
}

#[tokio::test]
async fn paging_gives_each_session_once_when_sessions_shift() {
    let server = MockServer::start().await;
    // A new session arrived between the two reads and pushed "3" onto the second page.
    page_answer(&server, "0", page(0, 3, 5, &["1", "2", "3"]), 1).await;
    page_answer(&server, "3", page(3, 3, 6, &["3", "4", "5"]), 1).await;
    // totalCount is reached: no third read.
    page_answer(&server, "6", page(6, 3, 6, &[]), 0).await;
    let ids: Vec<String> = with_token(&server.uri())
        .job_sessions(3)
        .stream()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(ids, ["1", "2", "3", "4", "5"]);
}

#[tokio::test]
async fn a_server_repeating_a_page_cannot_make_paging_loop() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions"))
        .respond_with(json(200, &page(0, 3, 1000, &["1", "2", "3"])))
        .named("the same page whatever the offset")
        .expect(2)
        .mount(&server)
        .await;
    let result: Result<Vec<_>, _> = with_token(&server.uri())
        .job_sessions(3)
        .stream()
        .try_collect()
        .await;
    let error = result.expect_err("stops");
    assert!(
        matches!(error.kind(), ErrorKind::RepeatedPage { offset: 3 }),
        "{error:?}"
    );
}

#[tokio::test]
async fn an_empty_page_ends_paging() {
    let server = MockServer::start().await;
    page_answer(&server, "0", page(0, 3, 50, &[]), 1).await;
    let all: Vec<_> = with_token(&server.uri())
        .job_sessions(3)
        .stream()
        .try_collect()
        .await
        .expect("pages");
    assert!(all.is_empty());
}
