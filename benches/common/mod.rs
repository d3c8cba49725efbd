//! What the benchmarks share: a loopback server that answers every request with one body.

use std::sync::Arc;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A loopback HTTP/1.1 server that answers every request with `body` (JSON), with
/// as little work of its own as possible, so that the clients' costs dominate.
pub(crate) async fn server(body: &'static str) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    let response = Arc::new(format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
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
