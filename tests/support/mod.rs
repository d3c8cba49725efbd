//! What the test binaries `contract` and `documents` share: the two documents (`openapi.yaml`
//! for API v1, `openapi-v8.1.yaml` for API v8.1), each loaded once per binary, and helpers.

// Each test binary includes this module and uses only a part of it.
#![allow(dead_code)]
// Shared by the test files of one binary, never outside it: `pub(crate)`, as the workspace's
// `unreachable_pub` lint asks.

use std::path::PathBuf;
use std::sync::OnceLock;

use vbazure_spec::Document;

/// The repository's `openapi.yaml`.
pub(crate) fn spec() -> &'static Document {
    static SPEC: OnceLock<Document> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.yaml");
        Document::load(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The repository's `openapi-v8.1.yaml`, the document of API v8.1 (`vbazure::v8_1`).
pub(crate) fn spec_v8_1() -> &'static Document {
    static SPEC: OnceLock<Document> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi-v8.1.yaml");
        Document::load(&path).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The example named `name` in `document` (see `vbazure_spec::Example::name`).
pub(crate) fn example_in(document: &Document, name: &str) -> serde_json::Value {
    vbazure_spec::examples(document)
        .found
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{} has no example named {name}", document.source_name()))
        .value
}

/// The documented example named `name` (see `vbazure_spec::Example::name`).
pub(crate) fn example(name: &str) -> serde_json::Value {
    example_in(spec(), name)
}

/// The example named `name` in `openapi-v8.1.yaml`.
pub(crate) fn example_v8_1(name: &str) -> serde_json::Value {
    example_in(spec_v8_1(), name)
}

/// The access token the contract tests use.
pub(crate) const TOKEN: &str = "contract-test-token";

/// Retries fast enough for tests.
pub(crate) fn fast_retries() -> vbazure::RetryPolicy {
    vbazure::RetryPolicy {
        max_retries: 2,
        initial_backoff: std::time::Duration::from_millis(5),
        max_backoff: std::time::Duration::from_millis(20),
        max_retry_after: std::time::Duration::from_secs(5),
    }
}

/// An appliance client for `base_url` with the fixed token [`TOKEN`], speaking API v1 (so that
/// no version probe reaches the contract test's server).
pub(crate) fn with_token(base_url: &str) -> vbazure::Appliance {
    vbazure::Appliance::builder(base_url)
        .api_version(vbazure::ApiVersion::V1)
        .access_token(TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// An appliance client for `base_url` that logs in as `administrator`, speaking API v1.
pub(crate) fn with_password(base_url: &str, password: &str) -> vbazure::Appliance {
    vbazure::Appliance::builder(base_url)
        .api_version(vbazure::ApiVersion::V1)
        .credentials("administrator", password)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// Timeouts no test reaches, for the tests that run on a paused clock.
pub(crate) const NEVER: std::time::Duration = std::time::Duration::from_secs(365 * 24 * 3600);

/// Moves tokio's clock (which token lifetimes follow) `by` forward, at once.
///
/// Paused only for the jump: the mock server answers from another thread, and a clock left
/// paused jumps to the next timer whenever the runtime waits on a socket, which would fire the
/// client's timeouts.
pub(crate) async fn skip(by: std::time::Duration) {
    tokio::time::pause();
    tokio::time::advance(by).await;
    tokio::time::resume();
}

/// The query of `request` as (name, value) pairs, decoded and sorted; repeated keys stay
/// repeated.
pub(crate) fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    pairs.sort();
    pairs
}

/// A matcher: the query is exactly these pairs (in any order), and nothing else.
pub(crate) fn query_is(
    expected: &[(&str, &str)],
) -> impl Fn(&wiremock::Request) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected.sort();
    move |request: &wiremock::Request| query_pairs(request) == expected
}

/// A matcher: the request has no body.
pub(crate) fn has_no_body(request: &wiremock::Request) -> bool {
    request.body.is_empty()
}

/// A matcher: the request carries no `Authorization` header.
pub(crate) fn anonymous(request: &wiremock::Request) -> bool {
    !request.headers.contains_key("authorization")
}

/// A matcher: the request carries `token` as its bearer token.
pub(crate) fn bearer(token: &str) -> impl Fn(&wiremock::Request) -> bool + Send + Sync + 'static {
    let expected = format!("Bearer {token}");
    move |request: &wiremock::Request| {
        request
            .headers
            .get("authorization")
            .is_some_and(|v| v.as_bytes() == expected.as_bytes())
    }
}

/// A JSON answer as the appliance writes it.
pub(crate) fn json(status: u16, body: &serde_json::Value) -> wiremock::ResponseTemplate {
    wiremock::ResponseTemplate::new(status)
        .set_body_raw(body.to_string(), "application/json; charset=utf-8")
}

/// A problem-details answer.
pub(crate) fn problem(status: u16, title: &str, detail: &str) -> wiremock::ResponseTemplate {
    let body = serde_json::json!({
        "type": "https://tools.ietf.org/html/rfc7231", "title": title, "status": status,
        "detail": detail, "traceId": "00-trace-01"
    });
    wiremock::ResponseTemplate::new(status)
        .set_body_raw(body.to_string(), "application/problem+json")
}

/// A token answer with these values.
pub(crate) fn token_body(access: &str, refresh: &str, expires_in: u64) -> serde_json::Value {
    serde_json::json!({
        "access_token": access, "token_type": "bearer", "refresh_token": refresh,
        "expires_in": expires_in, ".issued": "2021-10-04T14:57:38.1791726Z",
        ".expires": "2021-10-04T15:57:38.1791726Z"
    })
}

/// The form fields of a request body, sorted.
pub(crate) fn form_fields(request: &wiremock::Request) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect();
    fields.sort();
    fields
}

/// Matches a token request with the grant `kind` (`Password`, `refresh_token`, …).
pub(crate) fn grant(kind: &'static str) -> impl Fn(&wiremock::Request) -> bool {
    move |r: &wiremock::Request| {
        form_fields(r)
            .iter()
            .any(|(k, v)| k == "grant_type" && v == kind)
    }
}

/// A session body: the seed session with another id and status.
pub(crate) fn session(id: &str, status: &str) -> serde_json::Value {
    let mut body = example("deleteBackups.200");
    body["id"] = serde_json::json!(id);
    body["status"] = serde_json::json!(status);
    body
}

/// A client for `mock`, built with the credentials the mock accepts, and logged in.
pub(crate) async fn logged_in(mock: &vbazure_mock::MockAppliance) -> vbazure::Appliance {
    let config = mock.config();
    let appliance = vbazure::Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .retry_policy(fast_retries())
        .build()
        .expect("the mock's URL and credentials make a valid client");
    appliance.login().await.expect("logs in to the mock");
    appliance
}

/// The session a deletion started (the mock always starts one).
pub(crate) fn started(outcome: Result<vbazure::DeleteOutcome, vbazure::Error>) -> vbazure::Session {
    match outcome.expect("the deletion is accepted") {
        vbazure::DeleteOutcome::Started(session) => session,
        other => panic!("no session was started: {other:?}"),
    }
}

/// An access token of `mock`, read from its token answer whatever else that answer holds: a
/// mock started with a `Drift` may send one the client refuses to log in with.
pub(crate) async fn mock_access_token(mock: &vbazure_mock::MockAppliance) -> String {
    vbazure::ensure_crypto_provider();
    let config = mock.config();
    let answer: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/oauth2/token", mock.url()))
        .form(&[
            ("grant_type", "Password"),
            ("Username", config.username.as_str()),
            ("Password", config.password.as_str()),
        ])
        .send()
        .await
        .expect("the mock answers")
        .json()
        .await
        .expect("a JSON token answer");
    answer["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}
