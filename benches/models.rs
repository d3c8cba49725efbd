//! Decoding and encoding the documented `JobSession` and a 1,000-session page, against
//! decoding the same bytes into `serde_json::Value` (the baseline).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::{json, Value};
use std::hint::black_box;
use vbazure::types::{JobSession, JobSessionPage};

/// The seed's documented body (the `deleteBackups` example of openapi.yaml).
fn documented_session() -> Value {
    json!({
        "id": "11", "type": "BackupDeletion", "executionStartTime": "2020-02-03T13:53:00.4098143Z",
        "executionDuration": "00:00:00.0837798", "status": "Running", "usn": 0,
        "_links": {
            "self": {"href": "https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11"},
            "log": {"href": "https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11/log"}
        }
    })
}

fn page_of(count: usize) -> Value {
    let results: Vec<Value> = (0..count)
        .map(|i| {
            let mut s = documented_session();
            s["id"] = json!(i.to_string());
            s["status"] = json!(if i % 3 == 0 { "Running" } else { "Success" });
            s["localizedType"] = json!("Backup Deletion");
            if i % 3 != 0 {
                s["executionStopTime"] = json!("2020-02-03T13:53:31.0301337Z");
            }
            s
        })
        .collect();
    json!({"offset": 0, "limit": count, "totalCount": count, "results": results, "_links": {}})
}

fn bench(c: &mut Criterion) {
    for (name, body) in [
        ("session", documented_session()),
        ("page_1000", page_of(1000)),
    ] {
        let bytes = serde_json::to_vec(&body).expect("encodes");
        let mut group = c.benchmark_group(format!("decode_{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("baseline_serde_json_value", name),
            &bytes,
            |b, bytes| {
                b.iter(|| serde_json::from_slice::<Value>(black_box(bytes)).expect("decodes"))
            },
        );
        if name == "session" {
            group.bench_with_input(BenchmarkId::new("vbazure", name), &bytes, |b, bytes| {
                b.iter(|| serde_json::from_slice::<JobSession>(black_box(bytes)).expect("decodes"))
            });
        } else {
            group.bench_with_input(BenchmarkId::new("vbazure", name), &bytes, |b, bytes| {
                b.iter(|| {
                    serde_json::from_slice::<JobSessionPage>(black_box(bytes)).expect("decodes")
                })
            });
        }
        group.finish();

        let mut group = c.benchmark_group(format!("encode_{name}"));
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        let value: Value = serde_json::from_slice(&bytes).expect("decodes");
        group.bench_function(BenchmarkId::new("baseline_serde_json_value", name), |b| {
            b.iter(|| serde_json::to_vec(black_box(&value)).expect("encodes"))
        });
        if name == "session" {
            let typed: JobSession = serde_json::from_slice(&bytes).expect("decodes");
            group.bench_function(BenchmarkId::new("vbazure", name), |b| {
                b.iter(|| serde_json::to_vec(black_box(&typed)).expect("encodes"))
            });
        } else {
            let typed: JobSessionPage = serde_json::from_slice(&bytes).expect("decodes");
            group.bench_function(BenchmarkId::new("vbazure", name), |b| {
                b.iter(|| serde_json::to_vec(black_box(&typed)).expect("encodes"))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
