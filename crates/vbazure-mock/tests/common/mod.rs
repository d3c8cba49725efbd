//! What the mock's tests share: a plain HTTP client and logging in by hand.

#![allow(dead_code)]

use serde_json::Value;

/// A plain `reqwest` client, for requests the `vbazure` client would never send.
pub fn http() -> reqwest::Client {
    vbazure::ensure_crypto_provider();
    reqwest::Client::new()
}

/// The token answer of a password login with the mock's default credentials.
pub async fn login(url: &str) -> Value {
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
pub async fn access_token(url: &str) -> String {
    login(url).await["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}
