//! TLS settings: rustls with ring, the platform's roots, extra CA files, and clear errors.

use vbazure::{Appliance, BuildError, Client, ClientState};

#[test]
fn a_raw_generated_client_builds_without_panicking() {
    // reqwest has no default crypto provider in this build; the client state installs ring's.
    let _client = Client::new("https://appliance.example.com", ClientState::default());
}

#[test]
fn an_https_appliance_builds_with_the_platform_roots() {
    Appliance::builder("https://appliance.example.com")
        .access_token("t")
        .build()
        .expect("builds");
}

#[test]
fn a_missing_ca_file_is_named() {
    let error = Appliance::builder("https://appliance.example.com")
        .access_token("t")
        .ca_certificate_file("/nonexistent/appliance-ca.pem")
        .build()
        .expect_err("fails");
    assert!(
        matches!(error, BuildError::CaCertificate { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .starts_with("CA certificate /nonexistent/appliance-ca.pem: cannot read it"),
        "{error}"
    );
}

#[test]
fn a_file_without_certificates_is_refused() {
    for pem in [
        &b"not a certificate"[..],
        b"",
        b"-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
    ] {
        let error = Appliance::builder("https://appliance.example.com")
            .access_token("t")
            .ca_certificate_pem(pem)
            .build()
            .expect_err("fails");
        assert!(
            matches!(error, BuildError::CaCertificate { .. }),
            "{error:?}"
        );
    }
}

#[test]
fn credentials_are_required_and_never_shown() {
    let error = Appliance::builder("https://appliance.example.com")
        .build()
        .expect_err("fails");
    assert!(matches!(error, BuildError::NoCredentials));
    let builder =
        Appliance::builder("https://appliance.example.com").credentials("admin", "hunter2-secret");
    assert!(!format!("{builder:?}").contains("hunter2-secret"));
    let appliance = builder.build().expect("builds");
    assert!(!format!("{appliance:?}").contains("hunter2-secret"));
}

mod handshake {
    //! Real TLS on loopback: an appliance whose certificate is signed by a private CA, as
    //! appliances usually are.

    use std::sync::Arc;

    use rcgen::{
        BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose,
    };
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use vbazure::{Appliance, ErrorKind, RetryPolicy};

    const SESSION: &str = r#"{"id":"11","type":"BackupDeletion","executionStartTime":"2020-02-03T13:53:00.4098143Z","executionDuration":"00:00:00.0837798","status":"Running","usn":0,"_links":{}}"#;

    /// A CA (as PEM) and an appliance certificate for 127.0.0.1 signed by it.
    fn pki() -> (String, CertificateDer<'static>, PrivateKeyDer<'static>) {
        let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca.distinguished_name
            .push(DnType::CommonName, "vbazure test CA");
        ca.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca_key = KeyPair::generate().expect("a CA key");
        let ca_certificate = ca.self_signed(&ca_key).expect("a CA certificate");
        let issuer = Issuer::new(ca, ca_key);
        let mut leaf =
            CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
                .expect("parameters");
        leaf.distinguished_name
            .push(DnType::CommonName, "appliance");
        let leaf_key = KeyPair::generate().expect("a key");
        let leaf_certificate = leaf.signed_by(&leaf_key, &issuer).expect("a certificate");
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der()));
        (ca_certificate.pem(), leaf_certificate.der().clone(), key)
    }

    /// An HTTPS server on loopback answering every request with a session.
    async fn appliance(
        certificate: CertificateDer<'static>,
        key: PrivateKeyDer<'static>,
    ) -> String {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("TLS versions")
            .with_no_client_auth()
            .with_single_cert(vec![certificate], key)
            .expect("a server configuration");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binds");
        let url = format!("https://{}", listener.local_addr().expect("an address"));
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    // A client that rejects the certificate ends the handshake: nothing to do.
                    let Ok(mut stream) = acceptor.accept(socket).await else {
                        return;
                    };
                    let mut request = Vec::new();
                    let mut buffer = [0u8; 4096];
                    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                        match stream.read(&mut buffer).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buffer[..n]),
                        }
                    }
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{SESSION}",
                        SESSION.len()
                    );
                    let _ = stream.write_all(response.as_bytes()).await;
                    let _ = stream.shutdown().await;
                });
            }
        });
        url
    }

    fn client(url: &str) -> vbazure::ApplianceBuilder {
        Appliance::builder(url)
            .access_token("t")
            .retry_policy(RetryPolicy::none())
    }

    #[tokio::test]
    async fn an_untrusted_certificate_is_refused() {
        let (_, certificate, key) = pki();
        let url = appliance(certificate, key).await;
        let error = client(&url)
            .build()
            .expect("builds")
            .job_session("11")
            .await
            .expect_err("refused");
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Tls {
                    invalid_certificate: true,
                    ..
                }
            ),
            "{error:?}"
        );
        assert!(error.is_transport());
        assert!(error.to_string().contains("certificate"), "{error}");
        // The cause is kept, and it is rustls' own error that says why.
        let cause = std::error::Error::source(&error).expect("a cause");
        assert!(rustls_error_in(cause).is_some(), "{cause:?}");
    }

    /// rustls' error in a chain of causes (an `io::Error` hides what it wraps from `source`).
    fn rustls_error_in<'a>(
        error: &'a (dyn std::error::Error + 'static),
    ) -> Option<&'a rustls::Error> {
        let mut next = Some(error);
        while let Some(current) = next {
            if let Some(tls) = current.downcast_ref::<rustls::Error>() {
                return Some(tls);
            }
            next = match current
                .downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
            {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => current.source(),
            };
        }
        None
    }

    #[tokio::test]
    async fn the_appliance_ca_from_a_pem_file_is_trusted() {
        let (ca_pem, certificate, key) = pki();
        let url = appliance(certificate, key).await;
        let path = std::env::temp_dir().join(format!("vbazure-test-ca-{}.pem", std::process::id()));
        std::fs::write(&path, &ca_pem).expect("writes the CA");
        let result = client(&url)
            .ca_certificate_file(&path)
            .build()
            .expect("builds")
            .job_session("11")
            .await;
        std::fs::remove_file(&path).ok();
        assert_eq!(result.expect("trusted").id, "11");
        let from_text = client(&url)
            .ca_certificate_pem(ca_pem)
            .build()
            .expect("builds");
        assert_eq!(from_text.job_session("11").await.expect("trusted").id, "11");
    }

    #[tokio::test]
    async fn accepting_invalid_certificates_is_an_explicit_choice() {
        let (_, certificate, key) = pki();
        let url = appliance(certificate, key).await;
        let insecure = client(&url)
            .danger_accept_invalid_certificates(true)
            .build()
            .expect("builds");
        assert_eq!(insecure.job_session("11").await.expect("accepted").id, "11");
    }
}
