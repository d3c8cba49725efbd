//! From a failure of the HTTP client to an [`ErrorKind`]. TLS failures are recognised by the
//! type of an error in the chain (`rustls::Error`), never by the words of a message.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use crate::ErrorKind;

/// The kind of a request that failed in the HTTP client, with that error as its cause.
pub(crate) fn transport(e: reqwest::Error) -> ErrorKind {
    // URLs are the caller's own, and may carry credentials: neither message nor cause shows
    // them.
    let e = e.without_url();
    if e.is_timeout() {
        return ErrorKind::Timeout {
            source: Arc::new(e),
        };
    }
    let tls = tls_error(&e).map(|tls| {
        let invalid_certificate = matches!(
            tls,
            rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
        );
        (tls.to_string(), invalid_certificate)
    });
    if let Some((message, invalid_certificate)) = tls {
        return ErrorKind::Tls {
            message,
            invalid_certificate,
            source: Arc::new(e),
        };
    }
    let message = chain(&e);
    if e.is_connect() {
        ErrorKind::Connect {
            message,
            source: Arc::new(e),
        }
    } else {
        ErrorKind::Transport {
            message,
            source: Arc::new(e),
        }
    }
}

/// The kind of an answer whose body stopped arriving.
pub(crate) fn cut_off(e: reqwest::Error) -> ErrorKind {
    let e = e.without_url();
    if e.is_timeout() {
        return ErrorKind::Timeout {
            source: Arc::new(e),
        };
    }
    ErrorKind::Transport {
        message: format!("the answer was cut off: {}", chain(&e)),
        source: Arc::new(e),
    }
}

/// The TLS library's error in the chain of `e`, if there is one.
fn tls_error<'a>(e: &'a (dyn StdError + 'static)) -> Option<&'a rustls::Error> {
    let mut next = Some(e);
    while let Some(current) = next {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return Some(tls);
        }
        // `io::Error::source` skips the error it wraps (it gives that error's own source), and
        // the TLS stream reports rustls' error wrapped in one: look inside.
        next = match current.downcast_ref::<std::io::Error>() {
            Some(io) => match io.get_ref() {
                Some(inner) => Some(inner as &(dyn StdError + 'static)),
                None => current.source(),
            },
            None => current.source(),
        };
    }
    None
}

/// An error and its causes, `: `-separated; reqwest's own message alone says little.
fn chain(e: &reqwest::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        source = cause.source();
    }
    parts.join(": ")
}

/// A body that does not decode, said without the decoder's words: they quote what it read,
/// and this body holds secrets.
#[derive(Debug)]
pub(crate) struct SecretBodyMismatch {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl fmt::Display for SecretBodyMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the body does not match the documented schema (line {}, column {})",
            self.line, self.column
        )
    }
}

impl StdError for SecretBodyMismatch {}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Outer(std::io::Error);

    impl fmt::Display for Outer {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("client error (Connect)")
        }
    }

    impl StdError for Outer {
        fn source(&self) -> Option<&(dyn StdError + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn tls_errors_are_found_inside_io_errors() {
        let rejected = rustls::Error::InvalidCertificate(rustls::CertificateError::UnknownIssuer);
        let wrapped = Outer(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rejected.clone(),
        ));
        assert_eq!(tls_error(&wrapped), Some(&rejected));
        let plain = Outer(std::io::Error::from(std::io::ErrorKind::ConnectionRefused));
        assert_eq!(tls_error(&plain), None);
        // A message that mentions certificates is not a TLS error.
        let words = Outer(std::io::Error::other("certificate"));
        assert_eq!(tls_error(&words), None);
    }
}
