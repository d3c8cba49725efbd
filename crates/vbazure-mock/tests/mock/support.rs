//! What the mock's tests share: a plain HTTP client, logging in by hand, and a `vbazure`
//! client logged in to a mock.

use serde_json::Value;
use vbazure_mock::MockAppliance;

/// A plain `reqwest` client, for requests the `vbazure` client would never send.
pub(crate) fn http() -> reqwest::Client {
    vbazure::ensure_crypto_provider();
    reqwest::Client::new()
}

/// The token answer of a password login with the mock's default credentials.
pub(crate) async fn login(url: &str) -> Value {
    let response = http()
        .post(format!("{url}/api/oauth2/token"))
        .form(&[
            ("grant_type", "Password"),
            ("Username", vbazure_mock::DEFAULT_USERNAME),
            ("Password", vbazure_mock::DEFAULT_PASSWORD),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(response.status(), 200);
    response.json().await.expect("a token answer")
}

/// The access token of a password login.
pub(crate) async fn access_token(url: &str) -> String {
    login(url).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}

/// A `vbazure` client speaking API v1 to `mock`, built with the credentials the mock accepts
/// and logged in. The mock serves v8.1 beside v1, and a client left to detect the version
/// would pick the newest: the tests of the v1 flow say which they mean.
pub(crate) async fn logged_in(mock: &MockAppliance) -> vbazure::Appliance {
    logged_in_speaking(mock, vbazure::ApiVersion::V1).await
}

/// A `vbazure` client speaking `version` to `mock`, logged in.
pub(crate) async fn logged_in_speaking(
    mock: &MockAppliance,
    version: vbazure::ApiVersion,
) -> vbazure::Appliance {
    let config = mock.config();
    let appliance = vbazure::Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .api_version(version)
        .build()
        .expect("the mock's URL and credentials make a valid client");
    appliance.login().await.expect("logs in to the mock");
    appliance
}

/// Starts a deletion of `vm_id`'s backups and gives its session (the mock always starts one).
pub(crate) async fn delete(appliance: &vbazure::Appliance, vm_id: &str) -> vbazure::Session {
    match appliance
        .delete_backups(vm_id)
        .send()
        .await
        .expect("starts a deletion")
    {
        vbazure::DeleteOutcome::Started(session) => session,
        other => panic!("the mock started no session: {other:?}"),
    }
}

/// The v1 answer behind a session, for the fields only v1 has (`usn`, `_links`).
pub(crate) fn v1(session: &vbazure::Session) -> &vbazure::v1::types::JobSession {
    match &session.answer {
        vbazure::SessionAnswer::V1(answer) => answer,
        other => panic!("the mock speaks v1, not {other:?}"),
    }
}
