//! Following many sessions with one poller, against the mock appliance, on paused tokio time:
//! every session is followed from its start, the appliance's request rate stays under the
//! bound, and each session costs a few polls.

use std::time::Duration;

use futures_util::future::join_all;
use vbazure::{ErrorKind, FollowOptions, SessionStatus};
use vbazure_mock::{MockAppliance, Progress};

async fn mock(progress: Progress) -> MockAppliance {
    // v1: any VM id is accepted, so the tests need no inventory; the follower is the same
    // whatever the version.
    MockAppliance::builder()
        .api_versions([vbazure_mock::ApiVersion::V1])
        .progress(progress)
        .start()
        .await
        .expect("the mock starts")
}

#[tokio::test(start_paused = true)]
async fn every_session_is_followed_from_its_start_with_a_few_polls_each() {
    let mock = mock(Progress::Time(Duration::from_secs(2))).await;
    let appliance = crate::support::logged_in(&mock).await;
    let follower = appliance.follower(FollowOptions {
        requests_per_second: 1000.0,
        in_flight: 64,
        ..FollowOptions::default()
    });
    let before = mock.requests();
    let started = tokio::time::Instant::now();
    let finished = join_all((0..100).map(|i| {
        let appliance = &appliance;
        let follower = &follower;
        async move {
            let session =
                crate::support::started(appliance.delete_backups(&format!("vm-{i}")).await);
            follower.follow(session, |_| {}).await
        }
    }))
    .await;
    let took = started.elapsed();
    let requests = mock.requests() - before;
    assert!(finished
        .iter()
        .all(|s| s.as_ref().is_ok_and(|s| s.status == SessionStatus::Success)));
    // Sessions take 2 s; pauses of 1 s then 1.5 s see each end by 2.5 s.
    assert!(took < Duration::from_secs(3), "{took:?}");
    // One deletion and two polls per VM.
    assert!(requests <= 300, "{requests} requests for 100 VMs");
    assert_eq!(follower.following(), 0);
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(start_paused = true)]
async fn the_request_rate_stays_under_the_bound() {
    let mock = mock(Progress::Time(Duration::from_secs(3))).await;
    let appliance = crate::support::logged_in(&mock).await;
    let mut sessions = Vec::new();
    for i in 0..20 {
        sessions.push(crate::support::started(
            appliance.delete_backups(&format!("vm-{i}")).await,
        ));
    }
    let follower = appliance.follower(FollowOptions {
        requests_per_second: 5.0,
        in_flight: 4,
        interval: Duration::from_millis(100),
        ..FollowOptions::default()
    });
    let before = mock.requests();
    let started = tokio::time::Instant::now();
    let finished = join_all(sessions.into_iter().map(|s| follower.follow(s, |_| {}))).await;
    let took = started.elapsed().as_secs_f64();
    let polls = mock.requests() - before;
    assert!(finished.iter().all(Result::is_ok));
    // Unbounded, 20 sessions polled every 100-150 ms for 3 s would be hundreds of requests
    // within 3 s; bounded at 5 per second, the polls are spread over time.
    assert!(
        polls as f64 <= took * 5.0 + 1.0,
        "{polls} polls in {took:.2} s exceed 5 per second"
    );
    assert!(polls >= 20, "every session was polled: {polls}");
}

#[tokio::test(start_paused = true)]
async fn a_timeout_leaves_the_session_running_and_says_so() {
    let mock = mock(Progress::Polls(1000)).await;
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::started(appliance.delete_backups("vm-1").await);
    let follower = appliance.follower(FollowOptions {
        timeout: Some(Duration::from_secs(10)),
        ..FollowOptions::default()
    });
    let mut seen = Vec::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let error = follower
        .follow(session, move |s| {
            let _ = tx.send(s.status.to_string());
        })
        .await
        .expect_err("times out");
    while let Ok(status) = rx.try_recv() {
        seen.push(status);
    }
    assert_eq!(seen, ["Running"]);
    assert!(
        matches!(
            error.kind(),
            ErrorKind::StillRunning {
                status: SessionStatus::Running,
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_follow_given_up_is_no_longer_polled() {
    let mock = mock(Progress::Polls(1000)).await;
    let appliance = crate::support::logged_in(&mock).await;
    let session = crate::support::started(appliance.delete_backups("vm-1").await);
    let follower = appliance.follower(FollowOptions::default());
    let gave_up =
        tokio::time::timeout(Duration::from_secs(5), follower.follow(session, |_| {})).await;
    assert!(gave_up.is_err(), "still running after 5 s");
    assert_eq!(follower.following(), 0);
    let before = mock.requests();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert_eq!(
        mock.requests(),
        before,
        "nothing polls a session nobody follows"
    );
}
