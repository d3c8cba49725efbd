//! Contract tests of authentication: the token is obtained once, renewed before it expires,
//! renewed once when rejected, and never shown in an error.

use std::time::Duration;

use crate::support::{
    anonymous, form_fields, grant, json, problem, skip, token_body, with_password, with_token,
};
use vbazure::ErrorKind;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request};

fn field(name: &'static str, value: &'static str) -> impl Fn(&Request) -> bool {
    move |r: &Request| form_fields(r).iter().any(|(k, v)| k == name && v == value)
}

async fn session_for(server: &MockServer, token: &str, expected: u64) {
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(json(
            200,
            &crate::support::example("getJobSession.200.finished"),
        ))
        .named(format!("getJobSession with {token}"))
        .expect(expected)
        .mount(server)
        .await;
}

/// A token endpoint for one grant type (and, if given, one refresh token), answering `body`,
/// called `expected` times.
async fn token_grant(
    server: &MockServer,
    kind: &'static str,
    refresh: Option<&'static str>,
    body: serde_json::Value,
    expected: u64,
) {
    let mut mock = Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant(kind));
    if let Some(token) = refresh {
        mock = mock.and(field("refresh_token", token));
    }
    mock.respond_with(json(200, &body))
        .named(format!("{kind} grant"))
        .expect(expected)
        .mount(server)
        .await;
}

#[tokio::test]
async fn one_login_serves_many_requests() {
    let server = MockServer::start().await;
    token_grant(
        &server,
        "Password",
        None,
        token_body("access-1", "refresh-1", 3600),
        1,
    )
    .await;
    session_for(&server, "access-1", 5).await;
    let appliance = with_password(&server.uri(), "pw");
    let calls = (0..5).map(|_| appliance.job_session("11"));
    for result in futures_util::future::join_all(calls).await {
        result.expect("succeeds");
    }
}

#[tokio::test]
async fn the_token_is_refreshed_before_it_expires() {
    let server = MockServer::start().await;
    token_grant(
        &server,
        "Password",
        None,
        token_body("access-1", "refresh-1", 2),
        1,
    )
    .await;
    token_grant(
        &server,
        "Refresh_token",
        Some("refresh-1"),
        token_body("access-2", "refresh-2", 3600),
        1,
    )
    .await;
    session_for(&server, "access-1", 1).await;
    session_for(&server, "access-2", 1).await;

    let appliance = with_password(&server.uri(), "pw");
    appliance
        .job_session("11")
        .await
        .expect("with the first token");
    // A 2 s token is renewed halfway through its life.
    skip(Duration::from_millis(1100)).await;
    appliance
        .job_session("11")
        .await
        .expect("with the refreshed token");
}

#[tokio::test]
async fn concurrent_requests_with_an_expired_token_share_one_renewal() {
    let server = MockServer::start().await;
    token_grant(
        &server,
        "Password",
        None,
        token_body("access-1", "refresh-1", 60),
        1,
    )
    .await;
    // Slow, so that every request finds the renewal under way.
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant("Refresh_token"))
        // The token request itself carries no token: it never waits on the renewal it is.
        .and(anonymous)
        .respond_with(
            json(200, &token_body("access-2", "refresh-2", 3600))
                .set_delay(Duration::from_millis(100)),
        )
        .named("the one renewal")
        .expect(1)
        .mount(&server)
        .await;
    session_for(&server, "access-2", 32).await;

    let appliance = with_password(&server.uri(), "pw");
    appliance.login().await.expect("logs in");
    skip(Duration::from_secs(61)).await; // past its expiry
    let calls = (0..32).map(|_| appliance.job_session("11"));
    for result in futures_util::future::join_all(calls).await {
        result.expect("succeeds with the renewed token");
    }
}

#[tokio::test]
async fn a_renewal_abandoned_by_its_request_is_taken_over() {
    use futures_util::FutureExt;

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant("Password"))
        .respond_with(
            json(200, &token_body("access-1", "refresh-1", 3600))
                .set_delay(Duration::from_millis(50)),
        )
        // The abandoned login may or may not have reached the server.
        .expect(1..=2)
        .mount(&server)
        .await;
    session_for(&server, "access-1", 1).await;

    let appliance = with_password(&server.uri(), "pw");
    let mut first = Box::pin(appliance.login());
    assert!(first.as_mut().now_or_never().is_none(), "renewing");
    let mut second = Box::pin(appliance.job_session("11"));
    assert!(second.as_mut().now_or_never().is_none(), "waiting");
    drop(first);
    let session = tokio::time::timeout(Duration::from_secs(10), second)
        .await
        .expect("the waiting request does not hang")
        .expect("succeeds");
    assert_eq!(session.id, "11");
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_one_password_login() {
    let server = MockServer::start().await;
    token_grant(
        &server,
        "Password",
        None,
        token_body("access-1", "refresh-1", 60),
        2, // the first login, then the one after the refused refresh
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant("Refresh_token"))
        .respond_with(problem(400, "Bad Request", "The refresh token expired."))
        .named("refused refresh")
        .expect(1)
        .mount(&server)
        .await;
    session_for(&server, "access-1", 1).await;

    let appliance = with_password(&server.uri(), "pw");
    appliance.login().await.expect("logs in");
    skip(Duration::from_secs(61)).await;
    appliance
        .job_session("11")
        .await
        .expect("after logging in again");
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_and_the_request_repeated_once() {
    let server = MockServer::start().await;
    token_grant(
        &server,
        "Password",
        None,
        token_body("access-1", "refresh-1", 3600),
        1,
    )
    .await;
    token_grant(
        &server,
        "Refresh_token",
        None,
        token_body("access-2", "refresh-2", 3600),
        1,
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .and(header("authorization", "Bearer access-1"))
        .respond_with(problem(401, "Unauthorized", "The token was revoked."))
        .named("the first token, revoked")
        .expect(1)
        .mount(&server)
        .await;
    session_for(&server, "access-2", 1).await;

    let session = with_password(&server.uri(), "pw")
        .job_session("11")
        .await
        .expect("succeeds");
    assert_eq!(session.id, "11");
}

#[tokio::test]
async fn a_token_rejected_twice_is_an_unauthorized_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(json(200, &token_body("access-x", "refresh-x", 3600)))
        .named("any grant")
        .expect(2) // the login, then one refresh
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions/11"))
        .respond_with(problem(401, "Unauthorized", "No."))
        .named("always 401")
        .expect(2) // the request and its one repeat
        .mount(&server)
        .await;

    let error = with_password(&server.uri(), "pw")
        .job_session("11")
        .await
        .expect_err("fails");
    assert!(
        matches!(error.kind(), ErrorKind::Unauthorized(_)),
        "{error:?}"
    );
    assert_eq!(error.operation(), "getJobSession");
    assert_eq!(error.status(), Some(401));
}

#[tokio::test]
async fn a_fixed_token_is_not_renewed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(problem(401, "Unauthorized", "Expired."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(json(500, &serde_json::json!({})))
        .expect(0)
        .mount(&server)
        .await;
    let error = with_token(&server.uri())
        .job_session("11")
        .await
        .expect_err("fails");
    assert!(
        matches!(error.kind(), ErrorKind::Unauthorized(_)),
        "{error:?}"
    );
}

#[tokio::test]
async fn wrong_credentials_fail_in_create_token_without_showing_the_password() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(problem(
            401,
            "Unauthorized",
            "The user name or password is incorrect.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(json(200, &serde_json::json!({})))
        .expect(0)
        .mount(&server)
        .await;

    let error = with_password(&server.uri(), "s3cret-PASSWORD")
        .job_session("11")
        .await
        .expect_err("fails");
    assert_eq!(error.operation(), "createToken");
    assert!(
        matches!(error.kind(), ErrorKind::Unauthorized(_)),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(
        shown.contains("The user name or password is incorrect."),
        "{shown}"
    );
    assert!(!shown.contains("s3cret-PASSWORD"), "{shown}");
}

#[tokio::test]
async fn a_token_body_that_does_not_decode_is_not_quoted_in_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(json(
            200,
            &serde_json::json!({"access_token": "LEAKED-TOKEN", "expires_in": "soon"}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let error = with_password(&server.uri(), "pw")
        .login()
        .await
        .expect_err("fails");
    assert!(
        matches!(error.kind(), ErrorKind::UnexpectedResponse { .. }),
        "{error:?}"
    );
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains("LEAKED-TOKEN"), "{shown}");
}

// Tokens kept between runs (`ApplianceBuilder::tokens`, `Appliance::tokens`): what a token
// cache gives a new process.

/// A client of the `administrator` account whose password is asked for through a callback,
/// counted in `asked`, starting with `kept`.
fn with_kept_tokens(
    uri: &str,
    kept: vbazure::TokenSet,
    asked: std::sync::Arc<std::sync::atomic::AtomicU32>,
) -> vbazure::Appliance {
    vbazure::Appliance::builder(uri)
        .api_version(vbazure::ApiVersion::V1)
        .credentials_with("administrator", move || {
            asked.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Box::pin(async { Ok(vbazure::Secret::from("pw")) })
        })
        .tokens(kept)
        .retry_policy(crate::support::fast_retries())
        .build()
        .expect("valid settings")
}

fn in_an_hour() -> std::time::SystemTime {
    std::time::SystemTime::now() + Duration::from_secs(3600)
}

#[tokio::test]
async fn kept_tokens_serve_requests_without_a_login_or_the_password() {
    let server = MockServer::start().await;
    token_grant(&server, "Password", None, token_body("new", "r", 3600), 0).await;
    token_grant(
        &server,
        "Refresh_token",
        None,
        token_body("new", "r", 3600),
        0,
    )
    .await;
    session_for(&server, "kept", 2).await;
    let kept = vbazure::TokenSet::new("kept")
        .with_refresh("kept-refresh")
        .with_expiry(in_an_hour());
    let asked = std::sync::Arc::default();
    let appliance = with_kept_tokens(&server.uri(), kept.clone(), std::sync::Arc::clone(&asked));
    appliance
        .login()
        .await
        .expect("the kept token is the login");
    appliance
        .job_session("11")
        .await
        .expect("with the kept token");
    appliance
        .job_session("11")
        .await
        .expect("with the kept token");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
    assert_eq!(appliance.tokens(), Some(kept));
}

#[tokio::test]
async fn an_expired_kept_token_is_refreshed_without_the_password() {
    let server = MockServer::start().await;
    token_grant(&server, "Password", None, token_body("new", "r", 3600), 0).await;
    token_grant(
        &server,
        "Refresh_token",
        Some("kept-refresh"),
        token_body("access-2", "refresh-2", 3600),
        1,
    )
    .await;
    session_for(&server, "access-2", 1).await;
    let expired = std::time::SystemTime::now() - Duration::from_secs(5);
    let kept = vbazure::TokenSet::new("kept")
        .with_refresh("kept-refresh")
        .with_expiry(expired);
    let asked = std::sync::Arc::default();
    let appliance = with_kept_tokens(&server.uri(), kept, std::sync::Arc::clone(&asked));
    appliance
        .job_session("11")
        .await
        .expect("with the refreshed token");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 0);
    let now = appliance.tokens().expect("holds the refreshed tokens");
    assert_eq!(now.access.expose_secret(), "access-2");
    assert_eq!(
        now.refresh.as_ref().map(|r| r.expose_secret()),
        Some("refresh-2")
    );
    // The expiry the next run reads: an hour from now, on the wall clock.
    let expires = now.expires_at.expect("the answer gave a lifetime");
    let left = expires
        .duration_since(std::time::SystemTime::now())
        .expect("in the future");
    assert!(
        left > Duration::from_secs(3500) && left <= Duration::from_secs(3600),
        "{left:?}"
    );
}

#[tokio::test]
async fn a_refused_kept_refresh_asks_for_the_password_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant("Refresh_token"))
        .respond_with(problem(400, "Bad Request", "The refresh token expired."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(grant("Password"))
        .and(field("Password", "pw"))
        .respond_with(json(200, &token_body("access-3", "refresh-3", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    session_for(&server, "access-3", 2).await;
    let kept = vbazure::TokenSet::new("kept")
        .with_refresh("stale")
        .with_expiry(std::time::SystemTime::UNIX_EPOCH);
    let asked = std::sync::Arc::default();
    let appliance = with_kept_tokens(&server.uri(), kept, std::sync::Arc::clone(&asked));
    appliance.job_session("11").await.expect("after logging in");
    appliance
        .job_session("11")
        .await
        .expect("with the new token");
    assert_eq!(asked.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_password_that_cannot_be_had_is_an_error_naming_why() {
    let server = MockServer::start().await;
    token_grant(&server, "Password", None, token_body("new", "r", 3600), 0).await;
    let appliance = vbazure::Appliance::builder(server.uri())
        .api_version(vbazure::ApiVersion::V1)
        .credentials_with("administrator", || {
            Box::pin(async { Err("VBAZURE_PASSWORD is not set".to_string()) })
        })
        .build()
        .expect("valid settings");
    let error = appliance.login().await.expect_err("no password, no login");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { .. }),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("no password: VBAZURE_PASSWORD is not set"),
        "{error}"
    );
}

#[test]
fn kept_tokens_need_an_account_and_never_show_in_debug() {
    let kept = vbazure::TokenSet::new("secret-access").with_refresh("secret-refresh");
    let shown = format!("{kept:?}");
    assert!(!shown.contains("secret-"), "{shown}");
    let built = vbazure::Appliance::builder("https://appliance.example.com")
        .access_token("fixed")
        .tokens(kept)
        .build();
    assert!(matches!(
        built,
        Err(vbazure::BuildError::TokensWithoutAccount)
    ));
}
