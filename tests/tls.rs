//! TLS settings: rustls with ring, the platform's roots, extra CA files, and clear errors.

use vbazure::{Appliance, BuildError, Client, ClientRuntime};

#[test]
fn a_raw_generated_client_builds_without_panicking() {
    // reqwest has no default crypto provider in this build; the runtime installs ring's.
    let _client = Client::new("https://appliance.example.com", ClientRuntime::default());
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
