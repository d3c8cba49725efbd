//! Reading a provider's full document (a few megabytes of one-line JSON, as Swagger UI serves
//! it: 400 generated operations and 600 schemas beside a document grown from the project's own
//! `openapi-v8.1.yaml`) and checking the v8.1 document against it.

#[path = "../tests/checks/provider.rs"]
mod provider;

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use vbazure_spec::{conform, Document};

fn bench(c: &mut Criterion) {
    let ours =
        Document::load(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../openapi-v8.1.yaml"))
            .unwrap_or_else(|e| panic!("{e}"));
    let mut grown = provider::grown_from(ours.value());
    provider::merge(&mut grown, provider::large(400, 600));
    let text = serde_json::to_string(&grown).unwrap_or_default();
    let mut group = c.benchmark_group("conform");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("parse_provider", |b| {
        b.iter(|| Document::parse("provider.json", black_box(&text)).map(|d| d.value().is_object()))
    });
    // A fresh document each time: its operations are read on first use, as the command does.
    group.bench_function("parse_and_conform", |b| {
        b.iter(|| {
            let theirs = Document::parse("provider.json", black_box(&text))
                .unwrap_or_else(|e| panic!("{e}"));
            conform(&ours, &theirs).len()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
