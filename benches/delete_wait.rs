//! The main job at scale: delete the backups of 1,000 VMs and follow every session to its end,
//! against the mock appliance in this process, with sessions that take D = 2 s and 20 ms added
//! to every answer.
//!
//! The pipeline is the CLI's (`vbazure delete-backups --wait`): at most `c` deletion requests
//! in flight, and every session handed, as soon as it starts, to one `SessionFollower`, whose
//! poller bounds the request rate. The ideal is D + ⌈N / c⌉ × latency: the deletions back to
//! back, and each session seen finished the moment it ends. The run prints, beside criterion's
//! figures, the mean wall time against that ideal and the appliance requests per VM, and fails
//! if a target is missed (wall time ≤ 1.2 × the ideal; requests per VM ≤ 3 one VM per
//! request with a `GET` per poll, ≤ 1.1 on v8.1 where the follower reads the sessions due
//! together with one session list a page of 100, ≤ 1.2 with batches of 1,000).
//!
//! On v8.1 one VM per request runs twice: as the follower polls by default (the session list),
//! and with [`vbazure::SessionFollower::list_polling`] off (each session's own `GET`), the
//! per-session figures of the same run to compare with.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use futures_util::stream::FuturesUnordered;
use futures_util::StreamExt;
use vbazure::{ApiVersion, Appliance, DeleteOutcome, FollowOptions, Session, BATCH_LIMIT};
use vbazure_mock::{MockAppliance, Progress};

const VMS: usize = 1000;
const CONCURRENCY: usize = 32;
const LATENCY: Duration = Duration::from_millis(20);
const SESSION_TIME: Duration = Duration::from_secs(2);

/// How the follower polls: the CLI's `--poll-interval 2s --concurrency 32
/// --max-requests-per-second RATE`. The first poll of a session comes D after it started, so
/// that one poll sees it finished; 32 polls may be out at once, as many as the deletions.
fn follow_options(rate: Rate, polling: Polling) -> FollowOptions {
    let requests_per_second = match rate {
        Rate::Cli => RATE,
        Rate::Unbounded => f64::INFINITY,
    };
    FollowOptions::default()
        .with_requests_per_second(requests_per_second)
        .with_in_flight(CONCURRENCY)
        .with_intervals(SESSION_TIME, Duration::from_secs(15))
        .with_timeout(Duration::from_secs(120))
        .with_list_polling(polling == Polling::List)
}

/// The follower's rate bound (`--max-requests-per-second`).
const RATE: f64 = 2000.0;

/// Whether the follower's rate is bounded as the CLI bounds it, or only by the requests out at
/// once (what the library allows; the CLI's flag must be a number).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Rate {
    Cli,
    Unbounded,
}

/// How the follower polls on v8.1: the session list for the sessions due together (its
/// default), or each session's own `GET` (as on v1).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Polling {
    List,
    Own,
}

/// One deletion request per VM, or one per [`BATCH_LIMIT`] VMs.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Requests {
    PerVm,
    Batches,
}

/// Deletes every VM's backups and follows every session to its end; the VMs whose sessions
/// ended.
async fn delete_and_wait(
    appliance: &Appliance,
    ids: &[String],
    requests: Requests,
    rate: Rate,
    polling: Polling,
) -> usize {
    let follower = appliance.follower(follow_options(rate, polling));
    let units: Vec<&[String]> = match requests {
        Requests::PerVm => ids.chunks(1).collect(),
        Requests::Batches => ids.chunks(BATCH_LIMIT).collect(),
    };
    let mut deletions = futures_util::stream::iter(units)
        .map(|unit| async move {
            let outcome = match requests {
                Requests::PerVm => appliance.delete_backups(&unit[0]).send().await,
                Requests::Batches => appliance
                    .delete_backups_batch(unit)
                    .send()
                    .await
                    .and_then(|mut done| done.remove(0).outcome),
            };
            (unit.len(), outcome.expect("deleted"))
        })
        .buffer_unordered(CONCURRENCY)
        .fuse();
    let mut follows = FuturesUnordered::new();
    let mut ended = 0;
    loop {
        tokio::select! {
            Some((vms, outcome)) = deletions.next() => {
                let DeleteOutcome::Started(session) = outcome else {
                    panic!("every VM of a fresh mock has backups");
                };
                let follower = &follower;
                follows.push(async move {
                    let done: Session = follower.follow(session, |_| {}).await.expect("followed");
                    assert!(done.status.is_success(), "{}", done.status);
                    vms
                });
            }
            Some(vms) = follows.next() => ended += vms,
            else => break,
        }
    }
    ended
}

/// A fresh mock serving `version` only, with [`VMS`] protected VMs that all have backups,
/// sessions ending D after they start, 20 ms added to every answer; a client logged in to it;
/// the VMs' ids.
async fn fresh(version: ApiVersion) -> (MockAppliance, Appliance, Vec<String>) {
    let mock = MockAppliance::builder()
        .api_versions([match version {
            ApiVersion::V1 => vbazure_mock::ApiVersion::V1,
            _ => vbazure_mock::ApiVersion::V8_1,
        }])
        .generate_vms(VMS)
        .progress(Progress::Time(SESSION_TIME))
        .latency(LATENCY)
        .start()
        .await
        .expect("starts");
    let config = mock.config();
    let appliance = Appliance::builder(mock.url())
        .api_version(version)
        .credentials(config.username, config.password)
        .build()
        .expect("the mock's URL and credentials make a valid client");
    appliance.login().await.expect("logs in");
    let ids = mock.vms().into_iter().map(|(_, id)| id).collect();
    (mock, appliance, ids)
}

/// One configuration's figures.
struct Outcome {
    name: String,
    ratio: f64,
    per_vm: f64,
    requests_target: f64,
}

/// The ratio every configuration must reach.
const RATIO_TARGET: f64 = 1.2;

fn bench_one(
    c: &mut Criterion,
    runtime: &tokio::runtime::Runtime,
    version: ApiVersion,
    requests: Requests,
    rate: Rate,
    polling: Polling,
) -> Option<Outcome> {
    let units = match requests {
        Requests::PerVm => VMS,
        Requests::Batches => VMS.div_ceil(BATCH_LIMIT),
    };
    let ideal = SESSION_TIME + LATENCY * units.div_ceil(CONCURRENCY) as u32;
    let name = format!(
        "delete_and_wait_{VMS}_vms/v{}_{}{}_{}",
        version.as_str().replace('.', "_"),
        match requests {
            Requests::PerVm => "one_vm_per_request",
            Requests::Batches => "batches",
        },
        match polling {
            Polling::List => "",
            Polling::Own => "_own_gets",
        },
        match rate {
            Rate::Cli => "rate_2000",
            Rate::Unbounded => "rate_unbounded",
        }
    );
    // Each iteration's wall time, and the requests the mock received during it.
    let record: Mutex<Vec<(Duration, u64)>> = Mutex::new(Vec::new());
    let mut group = c.benchmark_group("delete_and_wait");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(1))
        .measurement_time(Duration::from_secs(20));
    group.bench_function(&name, |b| {
        b.to_async(runtime).iter_custom(|iterations| {
            let record = &record;
            async move {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    // A fresh appliance each time: VMs whose backups are gone answer 204.
                    let (mock, appliance, ids) = fresh(version).await;
                    let before = mock.requests();
                    let started = Instant::now();
                    let ended = delete_and_wait(&appliance, &ids, requests, rate, polling).await;
                    let took = started.elapsed();
                    assert_eq!(ended, VMS);
                    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
                    total += took;
                    let requests = mock.requests() - before;
                    record.lock().expect("not poisoned").push((took, requests));
                }
                total
            }
        })
    });
    group.finish();
    let record = record.into_inner().expect("not poisoned");
    if record.is_empty() {
        // Filtered out on the command line (`cargo bench --bench delete_wait -- v8_1`).
        return None;
    }
    let runs = record.len() as u32;
    let mean = record.iter().map(|(t, _)| *t).sum::<Duration>() / runs;
    let ratio = mean.as_secs_f64() / ideal.as_secs_f64();
    let per_vm = record.iter().map(|(_, r)| *r).sum::<u64>() as f64 / f64::from(runs) / VMS as f64;
    let requests_target = match (version, requests, polling) {
        (ApiVersion::V1, _, _) => 3.0,
        (_, Requests::Batches, _) => 1.2,
        // The deletion, and a share of the list pages that saw the session end.
        (_, Requests::PerVm, Polling::List) => 1.1,
        (_, Requests::PerVm, Polling::Own) => 3.0,
    };
    println!(
        "{name}: mean {mean:.2?} over {runs} runs; ideal {ideal:.2?} (D {SESSION_TIME:?} + \
         ⌈{units} / {CONCURRENCY}⌉ × {LATENCY:?}); ratio {ratio:.3} (target ≤ {RATIO_TARGET}); \
         {per_vm:.3} requests per VM (target ≤ {requests_target})"
    );
    Some(Outcome {
        name,
        ratio,
        per_vm,
        requests_target,
    })
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    use {ApiVersion::*, Polling::*, Rate::*, Requests::*};
    let outcomes = [
        // On v1 the follower's default is each session's own `GET`: v1 cannot filter.
        bench_one(c, &runtime, V1, PerVm, Cli, List),
        bench_one(c, &runtime, V1, PerVm, Unbounded, List),
        bench_one(c, &runtime, V8_1, PerVm, Cli, List),
        bench_one(c, &runtime, V8_1, PerVm, Cli, Own),
        bench_one(c, &runtime, V8_1, Batches, Cli, List),
    ];
    // Every figure is printed before a missed target fails the run.
    let missed: Vec<String> = outcomes
        .iter()
        .flatten()
        .filter(|o| o.ratio > RATIO_TARGET || o.per_vm > o.requests_target)
        .map(|o| {
            format!(
                "{}: ratio {:.3}, {:.3} requests per VM",
                o.name, o.ratio, o.per_vm
            )
        })
        .collect();
    assert!(missed.is_empty(), "targets missed: {missed:#?}");
}

criterion_group!(benches, bench);
criterion_main!(benches);
