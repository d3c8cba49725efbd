//! The stateful flow through the mock, with the `vbazure` client.
//!
//! Tests where time must pass run on paused tokio time and advance it: the mock decides
//! expiry and progress on tokio's clock, so no test sleeps on the wall clock.

use std::time::Duration;

use futures_util::TryStreamExt;
use vbazure::{ErrorKind, SessionStatus, SessionType, WaitOptions};
use vbazure_mock::{FinalStatus, MockAppliance, Progress};

fn quick() -> WaitOptions {
    WaitOptions::default()
        .with_timeout(Duration::from_secs(10))
        .with_intervals(Duration::from_millis(5), Duration::from_millis(20))
}

#[tokio::test]
async fn delete_then_follow_the_session_to_success() {
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(3))
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::delete(&appliance, "vm-1").await;
    assert_eq!(session.session_type, Some(SessionType::BackupDeletion));
    assert_eq!(session.status, SessionStatus::Running);
    assert_eq!(
        crate::support::v1(&session).links.as_ref().expect("links")["self"].href,
        format!("{}/api/v1/jobSessions/{}", mock.url(), session.id)
    );

    let mut statuses = Vec::new();
    let done = appliance
        .wait_session(session.clone(), &quick(), |s| {
            statuses.push(s.status.to_string())
        })
        .await
        .expect("finishes");
    assert_eq!(done.status, SessionStatus::Success);
    assert_eq!(statuses, ["Running", "Success"]);
    assert!(done.execution_stop_time.is_some());
    assert!(
        done.execution_stop_time.map(|t| t.as_datetime())
            >= done.execution_start_time.map(|t| t.as_datetime())
    );

    let log = appliance
        .job_session_log(&done.id)
        .send()
        .await
        .expect("a log");
    assert_eq!(log.session_id.as_ref(), Some(&done.id));
    assert!(
        log.entries.len() >= 3,
        "the log grew as the session ran: {log:?}"
    );
    assert!(log.entries.last().is_some_and(|item| item
        .message
        .as_deref()
        .is_some_and(|m| m.contains("have been removed"))));
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn the_final_status_is_the_scenarios() {
    for (final_status, expected) in [
        (FinalStatus::Warning, SessionStatus::Warning),
        (FinalStatus::Error, SessionStatus::Error),
    ] {
        let mock = MockAppliance::builder()
            .final_status(final_status)
            .progress(Progress::Polls(1))
            .start()
            .await
            .expect("starts");
        let appliance = crate::support::logged_in(&mock).await;
        let session = crate::support::delete(&appliance, "vm-1").await;
        let done = appliance
            .wait_session(session, &quick(), |_| {})
            .await
            .expect("finishes");
        assert_eq!(done.status, expected);
        assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    }
}

#[tokio::test(start_paused = true)]
async fn sessions_can_finish_after_a_time() {
    let mock = MockAppliance::builder()
        .progress(Progress::Time(Duration::from_secs(600)))
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::delete(&appliance, "vm-1").await;
    tokio::time::advance(Duration::from_secs(599)).await;
    assert!(!appliance
        .job_session(&session.id)
        .await
        .expect("reads")
        .is_finished());
    tokio::time::advance(Duration::from_secs(1)).await;
    let done = appliance.job_session(&session.id).await.expect("reads");
    assert!(done.is_finished(), "{done:?}");
    assert_eq!(done.status, SessionStatus::Success);
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn stop_goes_through_canceling_to_canceled() {
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(100))
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::delete(&appliance, "vm-1").await;
    appliance
        .stop_job_session(&session.id)
        .await
        .expect("stops");
    let log = appliance
        .job_session_log(&session.id)
        .send()
        .await
        .expect("a log");
    assert!(log.entries.iter().any(|i| i
        .message
        .as_deref()
        .is_some_and(|m| m.contains("Stop requested"))));
    let mut statuses = Vec::new();
    let done = appliance
        .wait(&session.id, &quick(), |s| {
            statuses.push(s.status.to_string())
        })
        .await
        .expect("ends");
    assert_eq!(done.status, SessionStatus::Canceled);
    assert_eq!(statuses, ["Canceled"]);
    let again = appliance
        .stop_job_session(&session.id)
        .await
        .expect_err("already ended");
    assert!(matches!(again.kind(), ErrorKind::Conflict(_)), "{again:?}");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn listing_pages_with_offset_limit_total_and_links() {
    let mock = MockAppliance::start().await.expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    for i in 0..7 {
        appliance
            .delete_backups(&format!("vm-{i}"))
            .send()
            .await
            .expect("starts");
    }
    let page = appliance
        .job_sessions_page(3, 3)
        .send()
        .await
        .expect("a page");
    assert_eq!(
        (
            page.offset,
            page.limit,
            page.total_count,
            page.sessions.len()
        ),
        (3, 3, Some(7), 3)
    );
    assert_eq!(page.sessions[0].as_ref().expect("decodes").id, "4");
    // The links are v1's own: read through the generated v1 client.
    let raw = appliance
        .v1_client()
        .list_job_sessions()
        .offset(3)
        .limit(std::num::NonZeroU32::new(3).expect("3"))
        .send()
        .await
        .expect("a page")
        .into_inner();
    let href = |rel: &str| raw.links.get(rel).map(|l| l.href.clone());
    assert_eq!(
        href("self"),
        Some(format!(
            "{}/api/v1/jobSessions?offset=3&limit=3&display=Full",
            mock.url()
        ))
    );
    assert_eq!(
        href("prev"),
        Some(format!(
            "{}/api/v1/jobSessions?offset=0&limit=3&display=Full",
            mock.url()
        ))
    );
    assert_eq!(
        href("next"),
        Some(format!(
            "{}/api/v1/jobSessions?offset=6&limit=3&display=Full",
            mock.url()
        ))
    );
    let last = appliance
        .job_sessions_page(6, 3)
        .send()
        .await
        .expect("the last page");
    assert_eq!(last.sessions.len(), 1);
    assert_eq!(last.total_count, Some(7));

    let all: Vec<_> = appliance
        .job_sessions(2)
        .stream()
        .try_collect()
        .await
        .expect("every session");
    let ids: Vec<String> = all.into_iter().map(|s| s.id).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7"]);
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn unknown_vms_can_be_answered_with_404() {
    let mock = MockAppliance::builder()
        .known_vms(["vm-a"])
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    appliance
        .delete_backups("vm-a")
        .send()
        .await
        .expect("a known VM");
    let error = appliance
        .delete_backups("vm-b")
        .send()
        .await
        .expect_err("unknown");
    assert!(matches!(error.kind(), ErrorKind::NotFound(_)), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("Virtual machine vm-b was not found"),
        "{error}"
    );
}

#[tokio::test]
async fn injected_failures_hit_the_next_requests() {
    let mock = MockAppliance::start().await.expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    mock.fail_next(1, 500);
    let error = appliance
        .delete_backups("vm-1")
        .send()
        .await
        .expect_err("fails once");
    assert_eq!(error.status(), Some(500));
    let session = crate::support::delete(&appliance, "vm-1").await;
    // GETs are retried through a transient failure.
    mock.fail_next(1, 503);
    let requests = mock.requests();
    appliance.job_session(&session.id).await.expect("retried");
    assert_eq!(mock.requests() - requests, 2);
}

#[tokio::test(start_paused = true)]
async fn latency_is_added_to_every_answer() {
    let mock = MockAppliance::builder()
        .latency(Duration::from_secs(5))
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let started = tokio::time::Instant::now();
    appliance
        .delete_backups("vm-1")
        .send()
        .await
        .expect("starts");
    let took = started.elapsed();
    // On paused time the only timer that moves the clock is the mock's latency.
    assert!(
        took >= Duration::from_secs(5) && took < Duration::from_secs(6),
        "{took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn expired_tokens_are_refused_and_the_client_renews_them() {
    let mock = MockAppliance::builder()
        .token_lifetime(Duration::from_secs(60))
        .start()
        .await
        .expect("starts");
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::delete(&appliance, "vm-1").await;
    let token = crate::support::access_token(mock.url()).await;
    let read = |token: String| {
        crate::support::http()
            .get(format!("{}/api/v1/jobSessions/{}", mock.url(), session.id))
            .bearer_auth(token)
            .send()
    };
    tokio::time::advance(Duration::from_secs(59)).await;
    assert_eq!(read(token.clone()).await.expect("answers").status(), 200);
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(
        read(token).await.expect("answers").status(),
        401,
        "refused once its lifetime has passed"
    );
    appliance
        .job_session(&session.id)
        .await
        .expect("the client renewed its token");

    let fixed = vbazure::Appliance::builder(mock.url())
        .access_token("not-a-token")
        .build()
        .expect("builds");
    let error = fixed.job_session(&session.id).await.expect_err("refused");
    assert!(
        matches!(error.kind(), ErrorKind::Unauthorized(_)),
        "{error:?}"
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn the_mock_stops_when_dropped() {
    let mock = MockAppliance::start().await.expect("starts");
    let url = mock.url().to_string();
    let address = url.trim_start_matches("http://").to_string();
    drop(mock);
    // Dropping aborts the server's task; on this current-thread runtime it is torn down (its
    // listener closed) the next time the runtime runs tasks, which a yield lets it do.
    let mut yields = 0;
    while tokio::net::TcpStream::connect(&address).await.is_ok() {
        yields += 1;
        assert!(
            yields < 100,
            "the mock still accepts connections after dropping it"
        );
        tokio::task::yield_now().await;
    }
    let error = vbazure::Appliance::builder(url)
        .access_token("t")
        .retry_policy(vbazure::RetryPolicy::none())
        .build()
        .expect("builds")
        .job_session("1")
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(error.kind(), ErrorKind::Connect { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn sixty_four_clients_delete_and_wait_at_once() {
    let mock = MockAppliance::builder()
        .progress(Progress::Polls(3))
        .start()
        .await
        .expect("starts");
    let clients = futures_util::future::join_all((0..64).map(|i| {
        let mock = &mock;
        async move {
            let appliance = crate::support::logged_in(mock).await;
            let session = crate::support::delete(&appliance, &format!("vm-{i}")).await;
            appliance
                .wait_session(session, &quick(), |_| {})
                .await
                .expect("finishes")
        }
    }))
    .await;
    assert_eq!(clients.len(), 64);
    assert!(clients.iter().all(|s| s.status == SessionStatus::Success));
    let mut ids: Vec<&str> = clients.iter().map(|s| s.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 64, "every client got its own session");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}
