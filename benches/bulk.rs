//! Bulk deletion of 1,000 VMs, 32 at a time, against the mock appliance with 20 ms added to
//! every answer. The ideal is 1,000 / 32 × 20 ms = 625 ms (no client or server cost at all);
//! the target is at most 1.3 times that. No waiting on the sessions: one request per VM.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use futures_util::StreamExt;
use vbazure_mock::MockAppliance;

const VMS: usize = 1000;
const CONCURRENCY: usize = 32;
const LATENCY: Duration = Duration::from_millis(20);

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let (mock, appliance) = runtime.block_on(async {
        let mock = MockAppliance::builder()
            .latency(LATENCY)
            .start()
            .await
            .expect("starts");
        let config = mock.config();
        let appliance = vbazure::Appliance::builder(mock.url())
            .credentials(config.username, config.password)
            .build()
            .expect("the mock's URL and credentials make a valid client");
        appliance.login().await.expect("logs in");
        (mock, appliance)
    });
    let ideal = LATENCY * (VMS / CONCURRENCY) as u32
        + LATENCY.mul_f64((VMS % CONCURRENCY) as f64 / CONCURRENCY as f64);
    println!("ideal: {VMS} / {CONCURRENCY} x {LATENCY:?} = {ideal:?}");

    let mut group = c.benchmark_group("bulk_delete_1000_vms_concurrency_32_latency_20ms");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("vbazure", |b| {
        b.to_async(&runtime).iter(|| async {
            let done = futures_util::stream::iter(0..VMS)
                .map(|i| {
                    let appliance = &appliance;
                    async move {
                        appliance
                            .delete_backups(&format!("vm-{i}"))
                            .send()
                            .await
                            .expect("deleted")
                    }
                })
                .buffer_unordered(CONCURRENCY)
                .count()
                .await;
            assert_eq!(done, VMS);
        })
    });
    group.finish();
    assert!(mock.violations().is_empty());
}

criterion_group!(benches, bench);
criterion_main!(benches);
