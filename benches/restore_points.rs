//! Restore points by age at scale: delete the VM restore points older than 60 days across
//! 1,000 VMs of about 10 points each and follow every removal session to its end, against the
//! mock appliance (API v8.1) in this process, with sessions that take D = 2 s and 20 ms added
//! to every answer.
//!
//! The pipeline is the CLI's (`vbazure restore-points delete --kind vm --older-than 60d --yes
//! --wait --concurrency 32 --poll-interval 2s --max-requests-per-second 2000`,
//! `crates/vbazure-cli/src/restore_points/`), through the library: every VM restore point
//! listed with one stream of pages of 1,000 (`Appliance::restore_points(Workload::Vm, 1000)`,
//! the CLI's `LISTING_PAGE`); the points chosen as the CLI chooses them (older than the age,
//! never an item's newest, none that is immutable now, oldest first); then one `DELETE` per
//! point, at most `c` in flight, and every session handed, as soon as it starts, to one
//! `SessionFollower`. The listing is done before the first deletion leaves: the CLI makes and
//! prints the plan (and asks, without `--yes`) first.
//!
//! The ideal of that request pattern is measured in the same run, iteration by iteration on a
//! fresh mock of its own: the same requests sent by a hand-written `reqwest` client that
//! decodes and follows nothing (the pages back to back, then the deletions `c` at a time),
//! plus D (the last session seen finished the moment it ends). That is what the appliance
//! takes for the pattern: here the mock's latency and its own work (routing, its checks of
//! every request and every answer against the document, its state). The latency-only figure,
//! ⌈P / page⌉ × latency + ⌈n / c⌉ × latency + D (P points listed, n deleted), is printed too:
//! it counts the appliance's own work as nothing. The run prints, beside criterion's figures,
//! the mean wall time against both, where the time went (listing, deletions, sessions after
//! the last deletion) and the appliance requests per deleted point, and fails if a target is
//! missed: wall time ≤ 1.2 × the measured ideal, requests per deleted point ≤ 1.1.
//!
//! Why one list of every point, 1,000 a page: the listing alone also runs, each way against
//! its hand-written twin, for one list paged at 1,000 (the CLI's), one paged at 100 (the
//! appliance's default page: ten times the requests and round trips) and the points read VM
//! by VM (the VM list, then a restore point list per VM, `c` at a time: a request per VM).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeDelta, Utc};
use criterion::{criterion_group, criterion_main, Criterion, SamplingMode};
use futures_util::stream::FuturesUnordered;
use futures_util::{StreamExt, TryStreamExt};
use vbazure::{ApiVersion, Appliance, FollowOptions, RestorePoint, Session, Workload};
use vbazure_mock::{MockAppliance, Progress};

const VMS: usize = 1000;
const CONCURRENCY: usize = 32;
const LATENCY: Duration = Duration::from_millis(20);
const SESSION_TIME: Duration = Duration::from_secs(2);
/// `--older-than 60d`.
const OLDER_THAN_DAYS: i64 = 60;
/// Each VM's newest points never chosen: the CLI's default (neither `--keep-last` nor
/// `--allow-deleting-newest`).
const KEEP: usize = 1;
/// The follower's rate bound (`--max-requests-per-second`).
const RATE: f64 = 2000.0;
/// The CLI's page of the listing (`restore_points::listing::LISTING_PAGE`).
const LISTING_PAGE: u32 = 1000;

/// The targets: wall time against the measured ideal, requests per deleted point.
const RATIO_TARGET: f64 = 1.2;
const REQUESTS_TARGET: f64 = 1.1;

/// How the points are listed.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Listing {
    /// One list of every VM restore point, this many a page (the CLI: 1,000).
    All(u32),
    /// The protected VMs (one page of 1,000), then each VM's points (one page each), `c`
    /// lists at a time.
    PerVm,
}

impl Listing {
    fn name(self) -> String {
        match self {
            Listing::All(page) => format!("one_list_{page}_a_page"),
            Listing::PerVm => "a_list_per_vm".to_string(),
        }
    }

    /// Its round trips with no appliance work, for `listed` points: the pages one after the
    /// other, or the VM list and then the VMs' lists `c` at a time; and how that is made.
    fn rounds(self, listed: usize) -> (usize, String) {
        match self {
            Listing::All(page) => (
                listed.div_ceil(page as usize).max(1),
                format!("⌈{listed} / {page}⌉"),
            ),
            Listing::PerVm => (
                1 + VMS.div_ceil(CONCURRENCY),
                format!("(1 + ⌈{VMS} / {CONCURRENCY}⌉)"),
            ),
        }
    }
}

/// The page of the VM list, and of each VM's points, when listing VM by VM: one page each.
const PER_VM_PAGE: u32 = 1000;

/// How the follower polls: the CLI's `--poll-interval 2s --concurrency 32
/// --max-requests-per-second 2000` (its `follow_options`): the first poll of a session comes
/// D after it started, so that one poll sees it finished; 32 polls may be out at once, as many
/// as the deletions; the session list is read for the sessions due together (the default).
/// The CLI sets no timeout without `--timeout`; here one stops a run that would hang.
fn follow_options() -> FollowOptions {
    let defaults = FollowOptions::default();
    let in_flight = defaults.in_flight.max(CONCURRENCY);
    defaults
        .with_requests_per_second(RATE)
        .with_in_flight(in_flight)
        .with_intervals(SESSION_TIME, Duration::from_secs(15))
        .with_timeout(Duration::from_secs(120))
}

/// Every VM restore point, as `listing` reads them.
async fn list(appliance: &Appliance, listing: Listing) -> Vec<RestorePoint> {
    match listing {
        Listing::All(page) => appliance
            .restore_points(Workload::Vm, page)
            .stream()
            .try_collect()
            .await
            .expect("listed"),
        Listing::PerVm => {
            let vms: Vec<String> = appliance
                .protected_items(Workload::Vm, PER_VM_PAGE)
                .stream()
                .map_ok(|vm| vm.id)
                .try_collect()
                .await
                .expect("VMs listed");
            let per_vm: Vec<Vec<RestorePoint>> = futures_util::stream::iter(&vms)
                .map(|vm| {
                    appliance
                        .restore_points(Workload::Vm, PER_VM_PAGE)
                        .item(vm.as_str())
                        .stream()
                        .try_collect::<Vec<_>>()
                })
                .buffer_unordered(CONCURRENCY)
                .try_collect()
                .await
                .expect("listed");
            per_vm.into_iter().flatten().collect()
        }
    }
}

/// The points the CLI's selectors choose of `points` at `now` (its `select` and `Plan`):
/// per item, newest first, all but the newest [`KEEP`], created more than
/// [`OLDER_THAN_DAYS`] ago and not immutable now; oldest first.
fn choose(points: Vec<RestorePoint>, now: DateTime<Utc>) -> Vec<RestorePoint> {
    let cutoff = now - TimeDelta::days(OLDER_THAN_DAYS);
    let mut items: HashMap<String, Vec<RestorePoint>> = HashMap::new();
    for point in points {
        let key = point
            .item_id
            .clone()
            .or_else(|| point.item_name.clone())
            .unwrap_or_else(|| point.id.clone());
        items.entry(key).or_default().push(point);
    }
    let mut chosen: Vec<RestorePoint> = items
        .into_values()
        .flat_map(|mut group| {
            group.sort_by_key(|p| std::cmp::Reverse(p.created));
            group
                .into_iter()
                .skip(KEEP)
                .filter(|p| p.created.as_datetime() < cutoff && !p.is_immutable_at(now.into()))
        })
        .collect();
    chosen.sort_by_key(|p| p.created);
    chosen
}

/// What one run did, and when (from its start) the listing was done and the last deletion
/// answered.
struct Done {
    listed: usize,
    deleted: usize,
    listing: Duration,
    deletions: Duration,
}

/// Lists the points, chooses those to delete, deletes each and follows every session to its
/// end.
async fn delete_older(appliance: &Appliance) -> Done {
    let started = Instant::now();
    let now = Utc::now();
    let points = list(appliance, Listing::All(LISTING_PAGE)).await;
    let listed_in = started.elapsed();
    let listed = points.len();
    let chosen = choose(points, now);
    let follower = appliance.follower(follow_options());
    let mut deletions = futures_util::stream::iter(&chosen)
        .map(|point| async move {
            appliance
                .delete_restore_point(Workload::Vm, &point.id)
                .send()
                .await
                .expect("no point chosen is immutable or gone")
        })
        .buffer_unordered(CONCURRENCY)
        .fuse();
    let mut follows = FuturesUnordered::new();
    let mut ended = 0;
    let mut deletions_in = Duration::ZERO;
    loop {
        tokio::select! {
            Some(session) = deletions.next() => {
                deletions_in = started.elapsed();
                let follower = &follower;
                follows.push(async move {
                    let done: Session = follower.follow(session, |_| {}).await.expect("followed");
                    assert!(done.status.is_success(), "{}", done.status);
                });
            }
            Some(()) = follows.next() => ended += 1,
            else => break,
        }
    }
    assert_eq!(ended, chosen.len());
    Done {
        listed,
        deleted: chosen.len(),
        listing: listed_in,
        deletions: deletions_in,
    }
}

/// A hand-written client of the same requests: `reqwest` with the token, each body read and
/// none decoded.
struct Raw {
    http: reqwest::Client,
    base: String,
    bearer: String,
}

impl Raw {
    async fn login(mock: &MockAppliance) -> Self {
        vbazure::ensure_crypto_provider();
        let http = reqwest::Client::new();
        let base = mock.url().trim_end_matches('/').to_string();
        let config = mock.config();
        let token: serde_json::Value = http
            .post(format!("{base}/api/oauth2/token"))
            .form(&[
                ("grant_type", "Password"),
                ("Username", config.username.as_str()),
                ("Password", config.password.as_str()),
            ])
            .send()
            .await
            .expect("logs in")
            .json()
            .await
            .expect("a token");
        let bearer = format!(
            "Bearer {}",
            token["access_token"].as_str().expect("an access token")
        );
        Self { http, base, bearer }
    }

    fn points_url(&self) -> String {
        format!("{}/api/v8.1/restorePoints/virtualMachines", self.base)
    }

    /// One request, its body read; it must answer `status`.
    async fn send(&self, request: reqwest::RequestBuilder, status: u16) {
        let answer = request
            .header("authorization", &self.bearer)
            .header("accept", "application/json")
            .send()
            .await
            .expect("answers");
        assert_eq!(answer.status(), status);
        answer.bytes().await.expect("a body");
    }

    async fn get(&self, url: String) {
        self.send(self.http.get(url), 200).await;
    }

    /// The requests of `listing` for `listed` points (the VMs' ids for a list per VM).
    async fn list(&self, listing: Listing, listed: usize, vms: &[String]) {
        let points = self.points_url();
        match listing {
            Listing::All(page) => {
                for offset in (0..listed.max(1)).step_by(page as usize) {
                    self.get(format!("{points}?Offset={offset}&Limit={page}"))
                        .await;
                }
            }
            Listing::PerVm => {
                self.get(format!(
                    "{}/api/v8.1/protectedItem/virtualMachines?Offset=0&Limit={PER_VM_PAGE}",
                    self.base
                ))
                .await;
                futures_util::stream::iter(vms)
                    .map(|id| {
                        self.get(format!(
                            "{points}?VirtualMachineId={id}&Offset=0&Limit={PER_VM_PAGE}"
                        ))
                    })
                    .buffer_unordered(CONCURRENCY)
                    .for_each(|()| async {})
                    .await;
            }
        }
    }

    /// A `DELETE` for each of `ids`, `c` at a time.
    async fn delete(&self, ids: &[String]) {
        let points = self.points_url();
        futures_util::stream::iter(ids)
            .map(|id| self.send(self.http.delete(format!("{points}/{id}")), 202))
            .buffer_unordered(CONCURRENCY)
            .for_each(|()| async {})
            .await;
    }
}

/// The ideal, measured: on a fresh mock, the points listed and chosen (by the library,
/// untimed), then the CLI's request pattern sent by [`Raw`]: how long its listing and its
/// deletions took.
async fn measured_ideal() -> (Duration, Duration) {
    let (mock, appliance) = fresh().await;
    let points = list(&appliance, Listing::All(LISTING_PAGE)).await;
    let listed = points.len();
    let chosen: Vec<String> = choose(points, Utc::now())
        .into_iter()
        .map(|p| p.id)
        .collect();
    let raw = Raw::login(&mock).await;
    let started = Instant::now();
    raw.list(Listing::All(LISTING_PAGE), listed, &[]).await;
    let listing = started.elapsed();
    raw.delete(&chosen).await;
    let deletions = started.elapsed() - listing;
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    (listing, deletions)
}

/// A fresh mock serving v8.1 only, with [`VMS`] protected VMs and their made-up restore
/// points (ten each, 0 to 120 days old, every fourth VM's oldest backup immutable), sessions
/// ending D after they start, 20 ms added to every answer; and a client logged in to it.
async fn fresh() -> (MockAppliance, Appliance) {
    let mock = MockAppliance::builder()
        .api_versions([vbazure_mock::ApiVersion::V8_1])
        .generate_vms(VMS)
        .progress(Progress::Time(SESSION_TIME))
        .latency(LATENCY)
        .start()
        .await
        .expect("starts");
    let config = mock.config();
    let appliance = Appliance::builder(mock.url())
        .api_version(ApiVersion::V8_1)
        .credentials(config.username, config.password)
        .build()
        .expect("the mock's URL and credentials make a valid client");
    appliance.login().await.expect("logs in");
    (mock, appliance)
}

/// One iteration of the pipeline: the library's figures and the measured ideal's.
#[derive(Clone, Copy)]
struct Run {
    took: Duration,
    requests: u64,
    listed: usize,
    deleted: usize,
    listing: Duration,
    deletions: Duration,
    raw_listing: Duration,
    raw_deletions: Duration,
}

/// The mean of `f` over `runs`.
fn mean<T>(runs: &[T], f: impl Fn(&T) -> Duration) -> Duration {
    runs.iter().map(f).sum::<Duration>() / runs.len() as u32
}

/// The CLI's pipeline, its ideal measured iteration by iteration (on a fresh mock each, before
/// the library's run on another); whether its targets were met.
fn bench_pipeline(c: &mut Criterion, runtime: &tokio::runtime::Runtime) -> Option<bool> {
    let name = format!(
        "delete_older_than_{OLDER_THAN_DAYS}d_{VMS}_vms/{}",
        Listing::All(LISTING_PAGE).name()
    );
    let record: Mutex<Vec<Run>> = Mutex::new(Vec::new());
    let mut group = c.benchmark_group("restore_points");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(30));
    group.bench_function(&name, |b| {
        b.to_async(runtime).iter_custom(|iterations| {
            let record = &record;
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let (raw_listing, raw_deletions) = measured_ideal().await;
                    // A fresh appliance each time: the points deleted are gone.
                    let (mock, appliance) = fresh().await;
                    let points_before = mock.restore_point_count();
                    let before = mock.requests();
                    let started = Instant::now();
                    let done = delete_older(&appliance).await;
                    let took = started.elapsed();
                    let requests = mock.requests() - before;
                    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
                    assert_eq!(
                        mock.restore_point_count(),
                        points_before - done.deleted,
                        "every session ended has taken its point"
                    );
                    total += took;
                    record.lock().expect("not poisoned").push(Run {
                        took,
                        requests,
                        listed: done.listed,
                        deleted: done.deleted,
                        listing: done.listing,
                        deletions: done.deletions,
                        raw_listing,
                        raw_deletions,
                    });
                }
                total
            }
        })
    });
    group.finish();
    let runs = record.into_inner().expect("not poisoned");
    let first = *runs.first()?; // None: filtered out on the command line.
    assert!(
        runs.iter()
            .all(|r| (r.listed, r.deleted) == (first.listed, first.deleted)),
        "every fresh mock has the same points"
    );
    let (listed, deleted) = (first.listed, first.deleted);
    let took = mean(&runs, |r| r.took);
    let ideal = mean(&runs, |r| r.raw_listing + r.raw_deletions) + SESSION_TIME;
    let ratio = took.as_secs_f64() / ideal.as_secs_f64();
    let (list_rounds, list_text) = Listing::All(LISTING_PAGE).rounds(listed);
    let latency_only =
        LATENCY * (list_rounds + deleted.div_ceil(CONCURRENCY)) as u32 + SESSION_TIME;
    let requests = runs.iter().map(|r| r.requests).sum::<u64>() as f64 / runs.len() as f64;
    let per_point = requests / deleted as f64;
    println!(
        "{name}: {listed} points listed, {deleted} deleted, over {} runs:\n  \
         wall {took:.2?}; ideal (measured) {ideal:.2?}: ratio {ratio:.3} (target ≤ \
         {RATIO_TARGET})\n  \
         latency only {latency_only:.2?} ({list_text} × {LATENCY:?} + ⌈{deleted} / \
         {CONCURRENCY}⌉ × {LATENCY:?} + D {SESSION_TIME:?}): ratio {:.3}\n  \
         listing {:.2?} (ideal {:.2?}), deletions {:.2?} (ideal {:.2?}), sessions after the \
         last deletion {:.2?} (D {SESSION_TIME:?})\n  \
         {requests:.0} requests, {per_point:.3} per deleted point (target ≤ \
         {REQUESTS_TARGET})",
        runs.len(),
        took.as_secs_f64() / latency_only.as_secs_f64(),
        mean(&runs, |r| r.listing),
        mean(&runs, |r| r.raw_listing),
        mean(&runs, |r| r.deletions - r.listing),
        mean(&runs, |r| r.raw_deletions),
        mean(&runs, |r| r.took - r.deletions),
    );
    Some(ratio <= RATIO_TARGET && per_point <= REQUESTS_TARGET)
}

/// The listing alone, `listing`'s way, against its hand-written twin on the same mock (a list
/// changes nothing): time and requests.
fn bench_listing(c: &mut Criterion, runtime: &tokio::runtime::Runtime, listing: Listing) {
    let (mock, appliance) = runtime.block_on(fresh());
    let raw = runtime.block_on(Raw::login(&mock));
    let vms: Vec<String> = mock.vms().into_iter().map(|(_, id)| id).collect();
    // Each iteration: the library's time and requests, and the hand-written client's time.
    let record: Mutex<Vec<(Duration, u64, usize, Duration)>> = Mutex::new(Vec::new());
    let name = format!("listing_{VMS}_vms/{}", listing.name());
    let mut group = c.benchmark_group("restore_points");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(5));
    group.bench_function(&name, |b| {
        b.to_async(runtime).iter_custom(|iterations| {
            let (record, mock, appliance, raw, vms) = (&record, &mock, &appliance, &raw, &vms);
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let before = mock.requests();
                    let started = Instant::now();
                    let points = list(appliance, listing).await;
                    let took = started.elapsed();
                    let requests = mock.requests() - before;
                    let started = Instant::now();
                    raw.list(listing, points.len(), vms).await;
                    let raw_took = started.elapsed();
                    total += took;
                    record.lock().expect("not poisoned").push((
                        took,
                        requests,
                        points.len(),
                        raw_took,
                    ));
                }
                total
            }
        })
    });
    group.finish();
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    let runs = record.into_inner().expect("not poisoned");
    let Some(&(_, requests, listed, _)) = runs.first() else {
        return; // Filtered out on the command line.
    };
    let took = mean(&runs, |r| r.0);
    let raw = mean(&runs, |r| r.3);
    let (rounds, rounds_text) = listing.rounds(listed);
    println!(
        "{name}: {listed} points in {requests} requests; {took:.2?}, hand-written {raw:.2?} \
         (ratio {:.3}); latency only {:.2?} ({rounds_text} × {LATENCY:?})",
        took.as_secs_f64() / raw.as_secs_f64(),
        LATENCY * rounds as u32,
    );
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let met = bench_pipeline(c, &runtime);
    for listing in [Listing::All(1000), Listing::All(100), Listing::PerVm] {
        bench_listing(c, &runtime, listing);
    }
    // Every figure is printed before a missed target fails the run.
    assert_ne!(
        met,
        Some(false),
        "a target of the pipeline was missed (see above)"
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
