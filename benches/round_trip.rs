//! One `deleteBackups` round trip through `vbazure` against a hand-written `reqwest` request of
//! the same bytes (and the same decoding) to the same loopback server.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use vbazure::types::JobSession;

const BODY: &str = r#"{"id":"11","type":"BackupDeletion","executionStartTime":"2020-02-03T13:53:00.4098143Z","executionDuration":"00:00:00.0837798","status":"Running","usn":0,"_links":{"self":{"href":"https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11"},"log":{"href":"https://abc.ukwest.cloudapp.azure.com/api/v1/jobSessions/11/log"}}}"#;

/// A loopback HTTP/1.1 server that answers every request with the documented session, with
/// as little work of its own as possible, so that the clients' costs dominate.
async fn server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let response = Arc::new(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    ));
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 8192];
                let mut filled = 0;
                loop {
                    let Ok(n) = socket.read(&mut buffer[filled..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    filled += n;
                    // Bodiless requests: a request ends with its headers.
                    while let Some(end) = buffer[..filled].windows(4).position(|w| w == b"\r\n\r\n")
                    {
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                        buffer.copy_within(end + 4..filled, 0);
                        filled -= end + 4;
                    }
                    if filled == buffer.len() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn bench(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let url = runtime.block_on(server());
    let vm = "ej43ifg58cgjs8e9cod74ye6cbwm5nttf6ijzk64rshqoip1abqy";

    let appliance = vbazure::Appliance::builder(&url)
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
        b.to_async(&runtime)
            .iter(|| async { black_box(appliance.delete_backups(vm).await.expect("succeeds")) })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
