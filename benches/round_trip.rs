//! One `deleteBackups` round trip through `vbazure` against a hand-written `reqwest` request of
//! the same bytes (and the same decoding) to the same loopback server.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vbazure::types::JobSession;

const BODY: &str = r#"{"id":"11","type":"BackupDeletion","executionStartTime":"2020-02-03T13:53:00.4098143Z","executionDuration":"00:00:00.0837798","status":"Running","usn":0,"_links":{"self":{"href":"https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11"},"log":{"href":"https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11/log"}}}"#;

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let url = runtime.block_on(common::server(BODY));
    let vm = "ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy";

    let appliance = vbazure::Appliance::builder(&url)
        .api_version(vbazure::ApiVersion::V1)
        .access_token("bench-token")
        .build()
        .expect("builds");
    vbazure::ensure_crypto_provider();
    let http = reqwest::Client::new();
    let endpoint = format!("{url}/api/v1/virtualMachines/{vm}/deleteBackups");

    let mut group = c.benchmark_group("delete_backups_round_trip");
    group.bench_function("baseline_reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http
                .post(&endpoint)
                .header("authorization", "Bearer bench-token")
                .header("accept", "application/json")
                .header("api-version", "1.0")
                .header("content-length", "0")
                .send()
                .await
                .expect("answers");
            let bytes = response.bytes().await.expect("a body");
            black_box(serde_json::from_slice::<JobSession>(&bytes).expect("decodes"))
        })
    });
    group.bench_function("vbazure", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(appliance.delete_backups(vm).send().await.expect("succeeds"))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
