//! The cost of conformance: a page of 100 v8.1 sessions read through `Appliance` with every
//! answer checked against the document, against the same read without the check, in one run.

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use vbazure::{ApiVersion, Appliance, Conformance};

/// A page of 100 sessions shaped as the v8.1 document's examples are.
fn page() -> &'static str {
    let sessions: Vec<String> = (0..100)
        .map(|i| {
            format!(
                r#"{{"id":"2d8f4b6a-0c3e-4a17-9d5b-{i:012}","type":"BackupDeletion","localizedType":"Backup Deletion","executionStartTime":"2024-10-04T15:12:09.118Z","executionStopTime":"2024-10-04T15:13:40.4467001Z","executionDuration":"00:01:31.3287001","status":"Success","backupJobInfo":null,"retentionJobInfo":{{"deletedRestorePointsCount":14}},"_links":{{"self":{{"href":"https://appliance.example.com/api/v8.1/jobSessions/{i}"}}}}}}"#
            )
        })
        .collect();
    let body = format!(
        r#"{{"offset":0,"limit":100,"totalCount":100,"results":[{}],"_links":null}}"#,
        sessions.join(",")
    );
    // Once per benchmark process: the server answers with it for as long as the process runs.
    Box::leak(body.into_boxed_str())
}

fn appliance(url: &str, conformance: Option<Conformance>) -> Appliance {
    let mut builder = Appliance::builder(url)
        .api_version(ApiVersion::V8_1)
        .access_token("bench-token");
    if let Some(conformance) = conformance {
        builder = builder.conformance(conformance);
    }
    builder.build().expect("builds")
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let url = runtime.block_on(common::server(page()));
    let plain = appliance(&url, None);
    let conformance = Conformance::new();
    let checked = appliance(&url, Some(conformance.clone()));

    let mut group = c.benchmark_group("sessions_page_100");
    group.bench_function("unchecked", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(plain.job_sessions_page(0, 100).send().await.expect("reads"))
        })
    });
    group.bench_function("conformance", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(
                checked
                    .job_sessions_page(0, 100)
                    .send()
                    .await
                    .expect("reads"),
            )
        })
    });
    group.finish();
    // The page is documented: a finding would mean the benchmark measures the wrong thing.
    assert!(
        conformance.findings().is_empty(),
        "{:?}",
        conformance.findings()
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
