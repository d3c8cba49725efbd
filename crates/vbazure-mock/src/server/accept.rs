//! The listening socket and its accept loop: each connection served on a task of its own, and
//! failed accepts passed over or backed off from.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::shared::Shared;

use super::exchange::serve_request;

/// What to do after failed accepts: an error that ends only the one connection (the client
/// gave up before it was accepted) is passed over; any other (too many open files, no memory)
/// fails again at once until something changes, so the loop pauses, longer the longer the
/// burst lasts, and says so once per burst instead of spinning a core and flooding stderr.
#[derive(Debug, Default)]
struct AcceptBackoff {
    /// Failures since the last accepted connection.
    failures: u32,
}

/// What the accept loop does after an error.
#[derive(Debug, PartialEq, Eq)]
struct AfterError {
    /// How long to wait before accepting again.
    pause: Duration,
    /// Whether to say so on stderr: only at the first error of a burst.
    log: bool,
}

impl AcceptBackoff {
    const FIRST_PAUSE: Duration = Duration::from_millis(10);
    const LONGEST_PAUSE: Duration = Duration::from_secs(1);

    fn failed(&mut self, error: &std::io::Error) -> AfterError {
        use std::io::ErrorKind::{ConnectionAborted, ConnectionReset, Interrupted};
        if matches!(
            error.kind(),
            ConnectionAborted | ConnectionReset | Interrupted
        ) {
            return AfterError {
                pause: Duration::ZERO,
                log: false,
            };
        }
        self.failures = self.failures.saturating_add(1);
        let doublings = (self.failures - 1).min(10);
        AfterError {
            pause: (Self::FIRST_PAUSE * 2u32.pow(doublings)).min(Self::LONGEST_PAUSE),
            log: self.failures == 1,
        }
    }

    /// A connection was accepted: the burst, if any, is over. The failures it had, if any.
    fn accepted(&mut self) -> Option<u32> {
        let failures = std::mem::take(&mut self.failures);
        (failures > 0).then_some(failures)
    }
}

/// Serves until `shutdown` turns true; each connection on a task of its own.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = tokio::task::JoinSet::new();
    let mut backoff = AcceptBackoff::default();
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        let after = backoff.failed(&error);
                        if after.log {
                            eprintln!(
                                "vbazure-mock: cannot accept connections ({error}); retrying, \
                                 with pauses of up to {:?}",
                                AcceptBackoff::LONGEST_PAUSE
                            );
                        }
                        if !after.pause.is_zero() {
                            tokio::select! {
                                () = tokio::time::sleep(after.pause) => {}
                                _ = shutdown.changed() => break,
                            }
                        }
                        continue;
                    }
                };
                if let Some(failures) = backoff.accepted() {
                    eprintln!("vbazure-mock: accepting connections again after {failures} failed accept(s)");
                }
                let shared = shared.clone();
                connections.spawn(async move {
                    let service = hyper::service::service_fn(move |request| serve_request(shared.clone(), request));
                    let io = hyper_util::rt::TokioIo::new(stream);
                    // A client that breaks the protocol ends its own connection only.
                    let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
                });
            }
            _ = shutdown.changed() => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    connections.shutdown().await;
}

/// Binds `address`, which must be a loopback address: the mock has well-known credentials.
pub(crate) async fn bind(address: SocketAddr) -> std::io::Result<TcpListener> {
    if !address.ip().is_loopback() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{address} is not a loopback address; the mock listens on loopback only (127.0.0.1 or [::1])"),
        ));
    }
    TcpListener::bind(address).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(kind: std::io::ErrorKind) -> std::io::Error {
        std::io::Error::new(kind, "test")
    }

    #[test]
    fn a_burst_of_accept_errors_backs_off_and_logs_once() {
        // EMFILE, "too many open files", as the OS reports it.
        let emfile = std::io::Error::from_raw_os_error(24);
        let mut backoff = AcceptBackoff::default();
        let pauses: Vec<AfterError> = (0..12).map(|_| backoff.failed(&emfile)).collect();
        assert_eq!(
            pauses[0],
            AfterError {
                pause: Duration::from_millis(10),
                log: true
            }
        );
        assert_eq!(pauses[1].pause, Duration::from_millis(20));
        assert_eq!(pauses[2].pause, Duration::from_millis(40));
        assert!(
            pauses.iter().skip(1).all(|p| !p.log),
            "logged once per burst"
        );
        assert!(pauses.iter().all(|p| !p.pause.is_zero()), "never spins");
        assert!(
            pauses.windows(2).all(|w| w[0].pause <= w[1].pause),
            "{pauses:?}"
        );
        assert_eq!(pauses[11].pause, AcceptBackoff::LONGEST_PAUSE);

        assert_eq!(backoff.accepted(), Some(12), "the burst ends");
        assert_eq!(backoff.accepted(), None);
        let next = backoff.failed(&emfile);
        assert_eq!(
            next,
            AfterError {
                pause: Duration::from_millis(10),
                log: true
            },
            "a new burst starts from the first pause and is logged"
        );
    }

    #[test]
    fn a_client_that_gave_up_before_its_accept_is_passed_over() {
        let mut backoff = AcceptBackoff::default();
        for kind in [
            std::io::ErrorKind::ConnectionAborted,
            std::io::ErrorKind::ConnectionReset,
        ] {
            assert_eq!(
                backoff.failed(&error(kind)),
                AfterError {
                    pause: Duration::ZERO,
                    log: false
                }
            );
        }
        assert_eq!(backoff.accepted(), None, "no burst was started");
        let other = backoff.failed(&error(std::io::ErrorKind::OutOfMemory));
        assert!(other.log && !other.pause.is_zero(), "{other:?}");
    }
}
