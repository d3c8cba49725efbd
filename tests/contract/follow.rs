//! Following many sessions with one poller, on paused tokio time. Against the mock appliance:
//! every session is followed from its start, the appliance's request rate stays under the
//! bound, and each session costs a few polls (v1), or a share of a few session lists (v8.1).
//! Against wiremock servers (one per test, every mock counted): on v8.1 the sessions due
//! together are read with the filtered session list, with the query the module documents, and
//! a session the list does not show (or shows in an item that does not decode), a list that
//! fails, a server that ignores `Offset` and a list that lags each end in the sessions' own
//! `GET`s, and a page counts against the request rate and the in-flight bound as a `GET` does;
//! on v1 every poll is its own `GET`.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::support::{json, query_pairs, NEVER};
use futures_util::future::join_all;
use serde_json::{json, Value};
use vbazure::{
    ApiVersion, Appliance, ErrorKind, FollowOptions, Session, SessionFollower, SessionStatus,
};
use vbazure_mock::{MockAppliance, Progress};
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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
    let follower = appliance.follower(
        FollowOptions::default()
            .with_requests_per_second(1000.0)
            .with_in_flight(64),
    );
    let before = mock.requests();
    let started = tokio::time::Instant::now();
    let finished = join_all((0..100).map(|i| {
        let appliance = &appliance;
        let follower = &follower;
        async move {
            let session =
                crate::support::started(appliance.delete_backups(&format!("vm-{i}")).send().await);
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
async fn on_a_v8_1_mock_the_sessions_are_followed_with_a_few_lists() {
    let mock = MockAppliance::builder()
        .api_versions([vbazure_mock::ApiVersion::V8_1])
        .generate_vms(100)
        .progress(Progress::Time(Duration::from_secs(2)))
        .start()
        .await
        .expect("the mock starts");
    let appliance = crate::support::logged_in(&mock).await;
    let follower = appliance.follower(
        FollowOptions::default()
            .with_requests_per_second(1000.0)
            .with_in_flight(64),
    );
    let ids: Vec<String> = mock.vms().into_iter().map(|(_, id)| id).collect();
    let before = mock.requests();
    let started = tokio::time::Instant::now();
    let finished = join_all(ids.iter().map(|id| {
        let appliance = &appliance;
        let follower = &follower;
        async move {
            let session = crate::support::started(appliance.delete_backups(id).send().await);
            follower.follow(session, |_| {}).await
        }
    }))
    .await;
    let took = started.elapsed();
    let requests = mock.requests() - before;
    assert!(finished
        .iter()
        .all(|s| s.as_ref().is_ok_and(|s| s.status == SessionStatus::Success)));
    assert!(took < Duration::from_secs(4), "{took:?}");
    // The mock applies the filters: 100 deletions, and a page of 100 for every round (the
    // sessions due together), where their own GETs would be 200 polls.
    assert!(requests <= 110, "{requests} requests for 100 VMs");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test(start_paused = true)]
async fn the_request_rate_stays_under_the_bound() {
    let mock = mock(Progress::Time(Duration::from_secs(3))).await;
    let appliance = crate::support::logged_in(&mock).await;
    let mut sessions = Vec::new();
    for i in 0..20 {
        sessions.push(crate::support::started(
            appliance.delete_backups(&format!("vm-{i}")).send().await,
        ));
    }
    let follower = appliance.follower(
        FollowOptions::default()
            .with_requests_per_second(5.0)
            .with_in_flight(4)
            .with_intervals(Duration::from_millis(100), Duration::from_secs(15)),
    );
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
    let session = crate::support::started(appliance.delete_backups("vm-1").send().await);
    let follower =
        appliance.follower(FollowOptions::default().with_timeout(Duration::from_secs(10)));
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
    let session = crate::support::started(appliance.delete_backups("vm-1").send().await);
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

// ---------------------------------------------------------------------------------------------
// Many sessions per request (v8.1): wiremock servers, one per test, every mock counted
// ---------------------------------------------------------------------------------------------

/// The session list's path on v8.1.
const LIST: &str = "/api/v8.1/jobSessions";

/// A client for `uri` speaking `version` with a fixed token, no retries (each answer is one
/// request), and timeouts a paused clock cannot reach.
fn client(uri: &str, version: ApiVersion) -> Appliance {
    Appliance::builder(uri)
        .api_version(version)
        .access_token(crate::support::TOKEN)
        .retry_policy(vbazure::RetryPolicy {
            max_retries: 0,
            ..crate::support::fast_retries()
        })
        .connect_timeout(NEVER)
        .request_timeout(NEVER)
        .build()
        .expect("valid settings")
}

/// Runs `future` on the paused clock, with a timer a millisecond away at all times: the clock
/// jumps to the next timer whenever the runtime is idle (also while a request waits for the
/// server's thread), so it moves a millisecond at a time and the pauses between polls cost no
/// wall-clock time. A follower that never ends fails the test after 10 minutes of that clock.
async fn ticking<F: Future>(future: F) -> F::Output {
    let ticker = async {
        loop {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    let bounded = tokio::time::timeout(Duration::from_secs(600), future);
    tokio::select! {
        output = bounded => output.expect("the sessions end within 10 minutes"),
        () = ticker => unreachable!("the ticker never ends"),
    }
}

/// `n` session ids (UUIDs, as v8.1 has them).
fn ids(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("0b6d2f48-3c1e-4a95-b7d0-{i:012x}"))
        .collect()
}

/// A v8.1 deletion session in `status`: the document's running example with this id, no start
/// time (so that the list's window starts at the handing over), and a stop time once it ended.
fn body(id: &str, status: &str) -> Value {
    let mut body = crate::support::example_v8_1("getJobSession.200.running");
    body["id"] = json!(id);
    body["status"] = json!(status);
    body["executionStartTime"] = Value::Null;
    if status != "Running" {
        body["executionStopTime"] = json!("2024-10-04T15:13:40.4467001Z");
    }
    body
}

/// The session a deletion answer with `body` would give.
fn session_of(body: Value) -> Session {
    serde_json::from_value::<vbazure::v8_1::types::JobSession>(body)
        .expect("a v8.1 session")
        .into()
}

/// A page of the v8.1 session list.
fn page(offset: usize, total: Option<usize>, items: Vec<Value>) -> Value {
    json!({"offset": offset, "limit": 100, "totalCount": total, "results": items, "_links": null})
}

/// The requests `server` received at `path`.
async fn received(server: &MockServer, at: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
        .into_iter()
        .filter(|r| r.url.path() == at)
        .collect()
}

/// Mounts one `GET jobSessions/{id}` per id, answering `status` and expected `times` times.
async fn own_gets(server: &MockServer, ids: &[String], status: &'static str, times: u64) {
    for id in ids {
        Mock::given(method("GET"))
            .and(path(format!("{LIST}/{id}")))
            .respond_with(json(200, &body(id, status)))
            .named(format!("the own GET of {id}"))
            .expect(times)
            .mount(server)
            .await;
    }
}

/// Follows every session of `bodies` at once; each one's result and the statuses its
/// `on_change` saw.
async fn follow_all(
    follower: &SessionFollower,
    bodies: Vec<Value>,
) -> Vec<(Result<Session, vbazure::Error>, Vec<String>)> {
    join_all(bodies.into_iter().map(|b| {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = seen.clone();
        async move {
            let result = follower
                .follow(session_of(b), move |s| {
                    record.lock().unwrap().push(s.status.to_string())
                })
                .await;
            let seen = seen.lock().unwrap().clone();
            (result, seen)
        }
    }))
    .await
}

/// The final status of session `i` in the tests with many: a mix, so that a result given to
/// the wrong session shows.
fn final_status(i: usize) -> &'static str {
    ["Success", "Warning", "Failed"][i % 3]
}

#[tokio::test(start_paused = true)]
async fn on_v8_1_sessions_due_together_are_read_with_list_requests_only() {
    let server = MockServer::start().await;
    let ids = ids(20);
    let lists = Arc::new(AtomicUsize::new(0));
    let (answered, all) = (lists.clone(), ids.clone());
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(move |_: &Request| {
            // Running at the first two rounds, ended at the third.
            let round = answered.fetch_add(1, Ordering::SeqCst);
            let items = all
                .iter()
                .enumerate()
                .map(|(i, id)| {
                    body(
                        id,
                        if round < 2 {
                            "Running"
                        } else {
                            final_status(i)
                        },
                    )
                })
                .collect();
            json(200, &page(0, Some(20), items))
        })
        .named("the session list")
        .expect(3)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path_regex(format!("^{LIST}/.+")))
        .respond_with(ResponseTemplate::new(500))
        .named("any session's own GET")
        .expect(0)
        .mount(&server)
        .await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let handed = SystemTime::now();
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    for (i, (result, seen)) in results.into_iter().enumerate() {
        let done = result.expect("followed to its end");
        assert_eq!(done.id, ids[i]);
        assert_eq!(done.status.as_str(), final_status(i), "{}", ids[i]);
        assert_eq!(seen, ["Running", final_status(i)], "{}", ids[i]);
    }
    assert_eq!(follower.following(), 0);

    // Each list asked for the first page of 100 deletion sessions since the handing over, less
    // the 5 minutes of clock margin, in whole seconds.
    let handed = handed.duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    for request in received(&server, LIST).await {
        let sent = query_pairs(&request);
        let keys: Vec<&str> = sent.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["FromUtc", "Limit", "Offset", "Types"], "{sent:?}");
        let value = |key: &str| sent.iter().find(|(k, _)| k == key).unwrap().1.clone();
        assert_eq!(value("Offset"), "0");
        assert_eq!(value("Limit"), "100");
        assert_eq!(value("Types"), "BackupDeletion");
        let from = value("FromUtc");
        assert!(from.len() == 20 && from.ends_with('Z'), "{from}");
        let from = from.parse::<vbazure::Timestamp>().expect("a date-time");
        let from = from.as_datetime().timestamp();
        assert!(
            (handed - 300..=handed - 299).contains(&from),
            "FromUtc {from} for sessions handed over at {handed}"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn sessions_due_a_moment_apart_share_one_list() {
    let server = MockServer::start().await;
    let ids = ids(2);
    let items = ids.iter().map(|id| body(id, "Success")).collect();
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json(200, &page(0, Some(2), items)))
        .named("the session list")
        .expect(1)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 0).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let first = follower.follow(session_of(body(&ids[0], "Running")), |_| {});
    // The second is handed over 100 ms later: the first, due at 1 s, waits for it (up to a
    // quarter of its 1 s pause).
    let second = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        follower
            .follow(session_of(body(&ids[1], "Running")), |_| {})
            .await
    };
    let (first, second) = ticking(async { tokio::join!(first, second) }).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
}

#[tokio::test(start_paused = true)]
async fn a_session_due_on_its_own_is_read_by_its_own_get_on_v8_1() {
    let server = MockServer::start().await;
    let ids = ids(2);
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(500))
        .named("the session list")
        .expect(0)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let first = follower.follow(session_of(body(&ids[0], "Running")), |_| {});
    // Handed over 2 s later: the first has ended by then, so each is due alone.
    let second = async {
        tokio::time::sleep(Duration::from_secs(2)).await;
        follower
            .follow(session_of(body(&ids[1], "Running")), |_| {})
            .await
    };
    let (first, second) = ticking(async { tokio::join!(first, second) }).await;
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
}

#[tokio::test(start_paused = true)]
async fn the_window_starts_at_a_due_sessions_start_when_that_is_before_its_handing_over() {
    let server = MockServer::start().await;
    let ids = ids(2);
    // The document's example started on 2024-10-04 at 15:12:09.118.
    let mut old = crate::support::example_v8_1("getJobSession.200.running");
    old["id"] = json!(ids[0]);
    let items = vec![body(&ids[0], "Success"), body(&ids[1], "Success")];
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(|r: &Request| {
            query_pairs(r)
                .iter()
                .any(|(k, v)| k == "FromUtc" && v == "2024-10-04T15:07:09Z")
        })
        .respond_with(json(200, &page(0, Some(2), items)))
        .named("the list from 5 minutes before the old session's start")
        .expect(1)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 0).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let results = ticking(follow_all(&follower, vec![old, body(&ids[1], "Running")])).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()), "{results:?}");
}

#[tokio::test(start_paused = true)]
async fn a_list_for_a_session_of_a_kind_the_filter_lacks_has_no_type_filter() {
    let server = MockServer::start().await;
    let ids = ids(2);
    // `VmSnapshotRetention` is a session type that the `Types` filter does not accept.
    let mut other = body(&ids[1], "Running");
    other["type"] = json!("VmSnapshotRetention");
    let items = vec![body(&ids[0], "Success"), body(&ids[1], "Success")];
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(|r: &Request| query_pairs(r).iter().all(|(k, _)| k != "Types"))
        .respond_with(json(200, &page(0, Some(2), items)))
        .named("the list of every type")
        .expect(1)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 0).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let results = ticking(follow_all(&follower, vec![body(&ids[0], "Running"), other])).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()), "{results:?}");
}

#[tokio::test(start_paused = true)]
async fn a_session_the_list_does_not_show_is_read_by_its_own_get() {
    let server = MockServer::start().await;
    let ids = ids(3);
    // The list shows the first two (as when the third is outside the window).
    let items = vec![body(&ids[0], "Success"), body(&ids[1], "Warning")];
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json(200, &page(0, Some(2), items)))
        .named("the session list")
        .expect(1)
        .mount(&server)
        .await;
    own_gets(&server, &ids[..2], "Success", 0).await;
    own_gets(&server, &ids[2..], "Failed", 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let statuses: Vec<String> = ticking(follow_all(&follower, bodies))
        .await
        .into_iter()
        .map(|(r, _)| r.expect("followed").status.to_string())
        .collect();
    assert_eq!(statuses, ["Success", "Warning", "Failed"]);
}

/// Mounts the page of the session list at `offset` (of `total`) with `items`, expected `times`
/// times; `requests` records its arrival, as `page {offset}`, and its answer waits `delay`.
async fn page_at(
    server: &MockServer,
    requests: &Arc<Requests>,
    (offset, total): (usize, usize),
    items: Vec<Value>,
    delay: Duration,
    times: u64,
) {
    let answer = json(200, &page(offset, Some(total), items));
    let (at, label) = (offset.to_string(), format!("page {offset}"));
    let requests = requests.clone();
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(move |r: &Request| {
            query_pairs(r)
                .iter()
                .any(|(k, v)| k == "Offset" && *v == at)
        })
        .respond_with(move |_: &Request| requests.arrived(&label, delay, answer.clone()))
        .named(format!("page {offset}"))
        .expect(times)
        .mount(server)
        .await;
}

/// Mounts the own `GET` of `id`, answering `status`, expected `times` times; `requests` records
/// its arrival, as `label`, and its answer waits `delay`.
async fn own_get_at(
    server: &MockServer,
    requests: &Arc<Requests>,
    label: &str,
    (id, status): (&str, &str),
    delay: Duration,
    times: u64,
) {
    let answer = json(200, &body(id, status));
    let (label, requests) = (label.to_string(), requests.clone());
    Mock::given(method("GET"))
        .and(path(format!("{LIST}/{id}")))
        .respond_with(move |_: &Request| requests.arrived(&label, delay, answer.clone()))
        .named(format!("the own GET of {id}"))
        .expect(times)
        .mount(server)
        .await;
}

/// The requests a server received: each one's label, arrival (by the real clock, the server's)
/// and how long its answer waits. wiremock starts that wait when the responder returns, so a
/// request is outstanding from its arrival until at least its arrival plus its wait, and one
/// that arrives within that time was sent while the other was out. (wiremock cannot see when
/// the client has read an answer: the counts here are the least the client had out.)
#[derive(Default)]
struct Requests {
    arrived: Mutex<Vec<(String, std::time::Instant, Duration)>>,
    /// The most outstanding at once, counted at each arrival.
    most: AtomicUsize,
}

impl Requests {
    /// Records that `label` arrived now, and gives `answer` to send after `delay`.
    fn arrived(&self, label: &str, delay: Duration, answer: ResponseTemplate) -> ResponseTemplate {
        let now = std::time::Instant::now();
        let mut arrived = self.arrived.lock().unwrap();
        let out = 1 + arrived.iter().filter(|(_, at, d)| now < *at + *d).count();
        self.most.fetch_max(out, Ordering::SeqCst);
        arrived.push((label.to_string(), now, delay));
        answer.set_delay(delay)
    }

    /// The labels, in the order the requests arrived.
    fn order(&self) -> Vec<String> {
        let arrived = self.arrived.lock().unwrap();
        arrived.iter().map(|(label, _, _)| label.clone()).collect()
    }

    /// The requests outstanding when the first request labelled `label` arrived.
    fn outstanding_at(&self, label: &str) -> Vec<String> {
        let order = self.order();
        let arrived = self.arrived.lock().unwrap();
        let Some(&(_, when, _)) = arrived.iter().find(|(l, _, _)| l == label) else {
            panic!("no request {label}: {order:?}");
        };
        arrived
            .iter()
            .filter(|(_, at, d)| *at < when && when < *at + *d)
            .map(|(label, _, _)| label.clone())
            .collect()
    }

    /// The most requests outstanding at once.
    fn most(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

/// How long a slow answer waits, by the server's clock (the real one: only the test's clock is
/// paused). Meanwhile the test's clock moves on a millisecond per idle turn of the runtime,
/// seconds of it (about 180 ms of it per real millisecond when these tests were written): a
/// request the poller sends 20 ms (the default rate's spacing) or 50 ms after another, by the
/// test's clock, goes out long before the other's answer; and the few slow answers of a test
/// stay far from the 10 minutes `ticking` allows.
const SLOW: Duration = Duration::from_millis(50);

#[tokio::test(start_paused = true)]
async fn a_session_whose_list_item_does_not_decode_is_read_by_its_own_get() {
    let server = MockServer::start().await;
    let ids = ids(5);
    let statuses: Vec<&str> = (0..5).map(final_status).collect();
    // Five sessions due together. The first page shows the first one and the last one, whose
    // item does not decode; the second page (slow) the second and third; the third page the
    // fourth. The last one's own GET goes out at once, while the second page is out, and the
    // round ends after the second page: the fourth, the one left, is read by its own GET. Were
    // the last one kept waiting for the pages like one not shown yet, the third page would be
    // read for the fourth, and the last one's GET would only go out after it.
    let mut bad = body(&ids[4], statuses[4]);
    bad["executionStartTime"] = json!("yesterday");
    let requests = Arc::new(Requests::default());
    let item = |i: usize| body(&ids[i], statuses[i]);
    let none = Duration::ZERO;
    page_at(&server, &requests, (0, 5), vec![item(0), bad], none, 1).await;
    page_at(&server, &requests, (2, 5), vec![item(1), item(2)], SLOW, 1).await;
    page_at(&server, &requests, (4, 5), vec![item(3)], none, 0).await;
    own_gets(&server, &ids[..3], "Running", 0).await;
    own_get_at(&server, &requests, "GET 3", (&ids[3], statuses[3]), none, 1).await;
    own_get_at(&server, &requests, "GET 4", (&ids[4], statuses[4]), none, 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    for (i, (result, seen)) in results.into_iter().enumerate() {
        assert_eq!(result.expect("followed").status.as_str(), statuses[i]);
        assert_eq!(seen, ["Running", statuses[i]]);
    }
    assert_eq!(
        requests.outstanding_at("GET 4"),
        ["page 2"],
        "{:?}",
        requests.order()
    );
}

#[tokio::test(start_paused = true)]
async fn a_list_answered_500_falls_back_to_each_sessions_own_get_and_every_session_ends() {
    let server = MockServer::start().await;
    let ids = ids(3);
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(crate::support::problem(500, "Internal error", "boom"))
        .named("the failing session list")
        // Once at the first round, and again at the second when the three sessions fall due
        // together again: whether they do is not for this test (virtual time moves on while
        // the poller waits for wiremock's real answers, so their next polls may drift apart).
        .expect(1..=2)
        .mount(&server)
        .await;
    for id in &ids {
        let polls = AtomicUsize::new(0);
        let id2 = id.clone();
        Mock::given(method("GET"))
            .and(path(format!("{LIST}/{id}")))
            .respond_with(move |_: &Request| {
                let status = match polls.fetch_add(1, Ordering::SeqCst) {
                    0 => "Running",
                    _ => "Success",
                };
                json(200, &body(&id2, status))
            })
            .named(format!("the own GET of {id}"))
            .expect(2)
            .mount(&server)
            .await;
    }

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    for (result, seen) in results {
        assert_eq!(result.expect("followed").status, SessionStatus::Success);
        assert_eq!(seen, ["Running", "Success"]);
    }
}

#[tokio::test(start_paused = true)]
async fn a_server_that_ignores_the_offset_is_not_read_for_ever() {
    let server = MockServer::start().await;
    let ids = ids(20);
    // Whatever the offset: the first followed session and two of someone else's, of 1,000.
    let foreign = [
        "9c1e3a5b-7d2f-4e60-8b4a-6d8f0b2c4e17",
        "7a9c1e3b-5d2f-4a60-8e4b-0c2e4a6c8e31",
    ];
    let items = vec![
        body(foreign[0], "Success"),
        body(&ids[0], "Success"),
        body(foreign[1], "Running"),
    ];
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json(200, &page(0, Some(1000), items)))
        .named("a list that ignores Offset")
        // The first page, and the same page again at offset 3: then no more.
        .expect(2)
        .mount(&server)
        .await;
    own_gets(&server, &ids[..1], "Success", 0).await;
    own_gets(&server, &ids[1..], "Success", 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()), "{results:?}");
    let offsets: Vec<String> = received(&server, LIST)
        .await
        .iter()
        .map(|r| {
            query_pairs(r)
                .into_iter()
                .find(|(k, _)| k == "Offset")
                .unwrap()
                .1
        })
        .collect();
    assert_eq!(offsets, ["0", "3"]);
}

#[tokio::test(start_paused = true)]
async fn a_session_the_list_keeps_showing_running_is_read_by_its_own_get_now_and_then() {
    let server = MockServer::start().await;
    let ids = ids(2);
    // A list that lags: the sessions have ended, but it never shows it.
    let items = ids.iter().map(|id| body(id, "Running")).collect();
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(json(200, &page(0, Some(2), items)))
        .named("a list that lags")
        // Three rounds answered by the list, then the sessions' own GETs.
        .expect(3)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default());
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()), "{results:?}");
}

#[tokio::test(start_paused = true)]
async fn pages_of_the_list_count_against_the_request_rate() {
    let server = MockServer::start().await;
    let ids = ids(300);
    for (n, chunk) in ids.chunks(100).enumerate() {
        let items = chunk.iter().map(|id| body(id, "Success")).collect();
        let offset = (n * 100).to_string();
        Mock::given(method("GET"))
            .and(path(LIST))
            .and(move |r: &Request| {
                query_pairs(r)
                    .iter()
                    .any(|(k, v)| k == "Offset" && *v == offset)
            })
            .respond_with(json(200, &page(n * 100, Some(300), items)))
            .named(format!("page {n}"))
            .expect(1)
            .mount(&server)
            .await;
    }
    own_gets(&server, &ids, "Success", 0).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default().with_requests_per_second(0.2));
    let started = tokio::time::Instant::now();
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    let took = started.elapsed();
    assert!(results.iter().all(|(r, _)| r.is_ok()));
    // The first page at 1 s, the next two 5 s apart each. (The clock also moves while a
    // request waits for the server's thread, a millisecond per idle turn of the runtime: the
    // bounds leave seconds for that.)
    assert!(
        took >= Duration::from_millis(10_900),
        "3 pages at 1 per 5 s took {took:?}"
    );
    assert!(took < Duration::from_secs(15), "{took:?}");
}

#[tokio::test(start_paused = true)]
async fn pages_of_the_list_count_against_the_in_flight_bound() {
    let server = MockServer::start().await;
    let ids = ids(6);
    // One request at a time, each answered after SLOW. The first session is due alone (at
    // 100 ms) and read by its own GET; the other five, handed over 50 ms later, are due
    // together while it is out, and their list waits for it. The list's first page shows the
    // second session and the last one, which does not decode: the last one's own GET waits
    // while the second page is out. The round ends with the fifth session left, read by its
    // own GET too.
    let requests = Arc::new(Requests::default());
    let mut bad = body(&ids[5], "Success");
    bad["executionStartTime"] = json!("yesterday");
    let success = |i: usize| body(&ids[i], "Success");
    page_at(&server, &requests, (0, 5), vec![success(1), bad], SLOW, 1).await;
    let second = vec![success(2), success(3)];
    page_at(&server, &requests, (2, 5), second, SLOW, 1).await;
    own_gets(&server, &ids[1..4], "Running", 0).await;
    own_get_at(&server, &requests, "GET 0", (&ids[0], "Success"), SLOW, 1).await;
    own_get_at(&server, &requests, "GET 4", (&ids[4], "Success"), SLOW, 1).await;
    own_get_at(&server, &requests, "GET 5", (&ids[5], "Success"), SLOW, 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(
        FollowOptions::default()
            .with_in_flight(1)
            .with_intervals(Duration::from_millis(100), Duration::from_secs(15)),
    );
    let first = follower.follow(session_of(body(&ids[0], "Running")), |_| {});
    let others = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        let bodies = ids[1..].iter().map(|id| body(id, "Running")).collect();
        follow_all(&follower, bodies).await
    };
    let (first, others) = ticking(async { tokio::join!(first, others) }).await;
    assert!(first.is_ok(), "{first:?}");
    assert!(others.iter().all(|(r, _)| r.is_ok()), "{others:?}");
    let order = requests.order();
    assert_eq!(requests.most(), 1, "{order:?}");
    assert_eq!(order[..3], ["GET 0", "page 0", "page 2"], "{order:?}");
}

#[tokio::test(start_paused = true)]
async fn with_list_polling_off_each_session_is_read_by_its_own_get_on_v8_1() {
    let server = MockServer::start().await;
    let ids = ids(3);
    Mock::given(method("GET"))
        .and(path(LIST))
        .respond_with(ResponseTemplate::new(500))
        .named("the session list")
        .expect(0)
        .mount(&server)
        .await;
    own_gets(&server, &ids, "Success", 1).await;

    let appliance = client(&server.uri(), ApiVersion::V8_1);
    let follower = appliance.follower(FollowOptions::default().with_list_polling(false));
    let bodies = ids.iter().map(|id| body(id, "Running")).collect();
    let results = ticking(follow_all(&follower, bodies)).await;
    assert!(results.iter().all(|(r, _)| r.is_ok()), "{results:?}");
}

#[tokio::test(start_paused = true)]
async fn on_v1_each_session_is_read_by_its_own_get_and_nothing_else_takes_a_turn() {
    let server = MockServer::start().await;
    let ids: Vec<String> = (1..=2).map(|i| format!("{}", 1000 + i)).collect();
    Mock::given(any())
        .and(path("/api/v1/jobSessions"))
        .respond_with(ResponseTemplate::new(500))
        .named("the v1 session list")
        .expect(0)
        .mount(&server)
        .await;
    for id in &ids {
        Mock::given(method("GET"))
            .and(path(format!("/api/v1/jobSessions/{id}")))
            .respond_with(json(200, &crate::support::session(id, "Success")))
            .named(format!("the own GET of {id}"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let appliance = client(&server.uri(), ApiVersion::V1);
    let follower = appliance.follower(FollowOptions::default().with_requests_per_second(0.1));
    let started = tokio::time::Instant::now();
    let results = ticking(join_all(ids.iter().map(|id| {
        let session: vbazure::v1::types::JobSession =
            serde_json::from_value(crate::support::session(id, "Running")).expect("a v1 session");
        follower.follow(session.into(), |_| {})
    })))
    .await;
    let took = started.elapsed();
    for result in results {
        assert_eq!(result.expect("followed").status, SessionStatus::Success);
    }
    // Both due at 1 s, one request per 10 s: the two GETs at 1 s and 11 s, and no other
    // request (not even a list refused before it was sent) took a turn of the rate. (The
    // clock also moves while a request waits for the server's thread: the bound leaves
    // seconds for that.)
    assert!(
        took >= Duration::from_millis(10_900) && took < Duration::from_secs(16),
        "{took:?}"
    );
}
