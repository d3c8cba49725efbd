//! Contract tests of `vbazure::Appliance` speaking API v8.1: what it sends and how it reads
//! the answers, held to `openapi-v8.1.yaml` (every body is one of the document's examples, or
//! one changed in the one way a test is about) and to what the real appliance does (nulls
//! everywhere, 202/204 successes, tokens that ask for a second factor, versions found by
//! anonymous probes).
//!
//! One `MockServer` per test, and every mock says how often it must be called, so a request
//! the client should not have made fails the test as surely as a missing one.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crate::support::{
    anonymous, bearer, example_v8_1, fast_retries, form_fields, grant, json, problem, query_is,
    query_pairs, skip, NEVER,
};
use futures_util::StreamExt;
use serde_json::{json, Value};
use vbazure::v8_1::types::{BackupTier, SessionTypeFilter};
use vbazure::{
    ApiVersion, Appliance, DeleteOutcome, ErrorKind, Secret, SessionAnswer, SessionFilter,
    SessionStatus, SessionType, WaitOptions,
};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const USERNAME: &str = "administrator";
const PASSWORD: &str = "S3cret-pa55word";
const TOKEN_PATH: &str = "/api/oauth2/token";
/// The session the examples of `getJobSession` and `deleteVirtualMachineBackups` describe.
const SESSION_ID: &str = "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20";
/// The VM the examples describe.
const VM_ID: &str = "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64";

// ---------------------------------------------------------------------------------------------
// Clients, bodies and matchers
// ---------------------------------------------------------------------------------------------

/// A client speaking v8.1 that logs in as [`USERNAME`] with [`PASSWORD`].
fn with_password(uri: &str) -> Appliance {
    Appliance::builder(uri)
        .api_version(ApiVersion::V8_1)
        .credentials(USERNAME, PASSWORD)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// A client speaking v8.1 with the fixed token [`crate::support::TOKEN`], so that no login reaches the
/// server, and timeouts long enough for a paused clock.
fn with_token(uri: &str) -> Appliance {
    Appliance::builder(uri)
        .api_version(ApiVersion::V8_1)
        .access_token(crate::support::TOKEN)
        .retry_policy(fast_retries())
        .connect_timeout(NEVER)
        .request_timeout(NEVER)
        .operation_wait(WaitOptions::default().with_timeout(NEVER))
        .build()
        .expect("valid settings")
}

/// The document's token answer of a completed login, with these tokens and lifetime.
fn issued(access: &str, refresh: &str, expires_in: u32) -> Value {
    let mut body = example_v8_1("createToken.200.issued");
    body["access_token"] = json!(access);
    body["refresh_token"] = json!(refresh);
    body["expires_in"] = json!(expires_in);
    body
}

/// A token answer for every call, each call taking the next of `answers` (the last repeats).
fn answers_in_turn(answers: Vec<Value>) -> impl Fn(&Request) -> ResponseTemplate {
    let calls = AtomicUsize::new(0);
    move |_: &Request| {
        let n = calls.fetch_add(1, Ordering::SeqCst).min(answers.len() - 1);
        json(200, &answers[n])
    }
}

/// The document's session with this id and status.
fn session_body(id: &str, status: &str) -> Value {
    let mut body = example_v8_1("getJobSession.200.running");
    body["id"] = json!(id);
    body["status"] = json!(status);
    body
}

/// A session as the appliance sends one it knows little about: every field of the document's
/// fullest session example `null`, but `status`.
fn session_of_nulls(status: &str) -> Value {
    let mut body = example_v8_1("deleteVirtualMachinesBackups.202");
    let fields = body.as_object_mut().expect("a session is an object");
    for (name, value) in fields.iter_mut() {
        *value = if name == "status" {
            json!(status)
        } else {
            Value::Null
        };
    }
    body
}

/// Whether `text` shows none of `secrets`.
fn assert_hides(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "{what} shows {secret:?}: {text}");
    }
}

/// Every text an error gives: its line, its `Debug`, and its chain of causes.
fn error_texts(e: &vbazure::Error) -> String {
    let mut text = format!("{e}\n{e:?}");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// `value` with every `null` member taken out: the client's models write an absent value as
/// no member, which says the same as the appliance's `null`.
fn without_nulls(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

/// Runs `future` on a paused clock, so that the pauses between polls cost no wall-clock time,
/// and gives its output and how much (virtual) time passed.
///
/// A paused clock jumps to the next timer whenever the runtime is idle, also while a request
/// waits for its answer; the ticker keeps a timer a millisecond away at all times, so that each
/// jump is a millisecond, and a request (whose timeouts [`with_token`] makes a year) cannot time
/// out on a jump. The pauses between polls are reached a millisecond at a time.
async fn on_paused_clock<F: Future>(future: F) -> (F::Output, Duration) {
    tokio::time::pause();
    let started = tokio::time::Instant::now();
    let ticker = async {
        loop {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    };
    let output = tokio::select! {
        output = future => output,
        () = ticker => unreachable!("the ticker never ends"),
    };
    let elapsed = started.elapsed();
    tokio::time::resume();
    (output, elapsed)
}

// ---------------------------------------------------------------------------------------------
// Authentication
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn login_sends_the_v8_1_form_and_every_request_carries_the_bearer() {
    let server = MockServer::start().await;
    let expected_form = vec![
        ("grant_type".to_string(), "Password".to_string()),
        ("password".to_string(), PASSWORD.to_string()),
        ("username".to_string(), USERNAME.to_string()),
    ];
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(anonymous)
        .and(move |r: &Request| form_fields(r) == expected_form)
        .respond_with(json(200, &issued("access-1", "refresh-1", 3600)))
        .named("password grant, v8.1 form, no bearer")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .and(bearer("access-1"))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(bearer("access-1"))
        .respond_with(json(200, &example_v8_1("getSystemInfo.200")))
        .expect(1)
        .mount(&server)
        .await;

    let appliance = with_password(&server.uri());
    appliance.login().await.expect("logs in");
    appliance.job_session(SESSION_ID).await.expect("first read");
    appliance
        .job_session(SESSION_ID)
        .await
        .expect("second read");
    appliance.system_info().await.expect("server information");

    let sent = requests(&server).await;
    assert_eq!(sent.len(), 4, "one login, three requests");
    let token_requests = sent.iter().filter(|r| r.url.path() == TOKEN_PATH).count();
    assert_eq!(token_requests, 1, "the token is obtained once");
    let content_type = sent[0]
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/x-www-form-urlencoded"));
}

#[tokio::test]
async fn expires_in_decides_when_the_token_is_renewed() {
    let server = MockServer::start().await;
    // A 10-minute token: renewed a minute before it expires, not at the hour v1 tokens live.
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &issued("access-1", "refresh-1", 600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Refresh_token"))
        .and(anonymous)
        .and(|r: &Request| {
            form_fields(r)
                == vec![
                    ("grant_type".to_string(), "Refresh_token".to_string()),
                    ("refresh_token".to_string(), "refresh-1".to_string()),
                ]
        })
        .respond_with(json(200, &issued("access-2", "refresh-2", 600)))
        .expect(1)
        .mount(&server)
        .await;
    for (token, times) in [("access-1", 2), ("access-2", 1)] {
        Mock::given(method("GET"))
            .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
            .and(bearer(token))
            .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
            .named(format!("getJobSession with {token}"))
            .expect(times)
            .mount(&server)
            .await;
    }

    let appliance = with_password(&server.uri());
    appliance.job_session(SESSION_ID).await.expect("logs in");
    // 8 of 10 minutes: still the first token.
    skip(Duration::from_secs(480)).await;
    appliance.job_session(SESSION_ID).await.expect("same token");
    // 10 minutes: past the renewal point (a minute before expiry).
    skip(Duration::from_secs(120)).await;
    appliance.job_session(SESSION_ID).await.expect("renewed");
}

#[tokio::test]
async fn a_refused_refresh_falls_back_to_exactly_one_password_login() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(answers_in_turn(vec![
            issued("access-1", "refresh-1", 120),
            issued("access-2", "refresh-2", 3600),
        ]))
        .named("password grant: the login, then the one fallback")
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Refresh_token"))
        .respond_with(problem(
            400,
            "invalid_grant",
            "The refresh token has expired.",
        ))
        .expect(1)
        .mount(&server)
        .await;
    for token in ["access-1", "access-2"] {
        Mock::given(method("GET"))
            .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
            .and(bearer(token))
            .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
            .named(format!("getJobSession with {token}"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let appliance = with_password(&server.uri());
    appliance.job_session(SESSION_ID).await.expect("logs in");
    skip(Duration::from_secs(120)).await;
    appliance
        .job_session(SESSION_ID)
        .await
        .expect("the refused refresh is replaced by a login");
}

#[tokio::test]
async fn a_rejected_token_is_renewed_once_and_the_request_repeated() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &issued("access-1", "refresh-1", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Refresh_token"))
        .respond_with(json(200, &issued("access-2", "refresh-2", 3600)))
        .expect(1)
        .mount(&server)
        .await;
    let session_path = format!("/api/v8.1/jobSessions/{SESSION_ID}");
    Mock::given(method("GET"))
        .and(path(session_path.as_str()))
        .and(bearer("access-1"))
        .respond_with(problem(401, "Unauthorized", "The token was revoked."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(session_path.as_str()))
        .and(bearer("access-2"))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(1)
        .mount(&server)
        .await;

    with_password(&server.uri())
        .job_session(SESSION_ID)
        .await
        .expect("repeated with the renewed token");
}

#[tokio::test]
async fn without_expires_in_the_token_lives_until_its_expires_time() {
    let server = MockServer::start().await;
    // `expires_in` is nullable in v8.1; `.expires` then says when the token ends.
    let in_an_hour = std::time::SystemTime::now() + Duration::from_secs(3600);
    let expires = vbazure::Timestamp::from(chrono::DateTime::<chrono::Utc>::from(in_an_hour));
    let mut body = issued("access-1", "refresh-1", 0);
    body["expires_in"] = Value::Null;
    body[".expires"] = json!(expires.to_string());
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(json(200, &body))
        .named("one token request for three reads")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .and(bearer("access-1"))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(3)
        .mount(&server)
        .await;

    let appliance = with_password(&server.uri());
    for _ in 0..3 {
        appliance.job_session(SESSION_ID).await.expect("reads");
    }
}

#[tokio::test]
async fn logout_revokes_the_token_and_the_next_request_logs_in_again() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(answers_in_turn(vec![
            issued("access-1", "refresh-1", 3600),
            issued("access-2", "refresh-2", 3600),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(TOKEN_PATH))
        .and(bearer("access-1"))
        .respond_with(ResponseTemplate::new(204))
        .named("revokeToken with the token it revokes")
        .expect(1)
        .mount(&server)
        .await;
    for token in ["access-1", "access-2"] {
        Mock::given(method("GET"))
            .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
            .and(bearer(token))
            .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
            .named(format!("getJobSession with {token}"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let appliance = with_password(&server.uri());
    appliance.job_session(SESSION_ID).await.expect("logs in");
    appliance.logout().await.expect("logs out");
    appliance
        .job_session(SESSION_ID)
        .await
        .expect("logs in again with a new token");
}

#[tokio::test]
async fn mfa_asks_the_callback_once_and_completes_the_login() {
    let server = MockServer::start().await;
    let second_factor = example_v8_1("createToken.200.secondFactor");
    let mfa_token = second_factor["mfa_token"]
        .as_str()
        .expect("the example has an mfa_token")
        .to_string();
    let done = example_v8_1("createToken.200.issued");
    let access = done["access_token"].as_str().expect("a token").to_string();
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &second_factor))
        .expect(1)
        .mount(&server)
        .await;
    let expected_form = vec![
        ("grant_type".to_string(), "Mfa".to_string()),
        ("mfa_code".to_string(), "654321".to_string()),
        ("mfa_token".to_string(), mfa_token.clone()),
    ];
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(anonymous)
        .and(move |r: &Request| form_fields(r) == expected_form)
        .respond_with(json(200, &done))
        .named("Mfa grant with the token and the code, nothing else")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .and(bearer(&access))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(3)
        .mount(&server)
        .await;

    let asked = Arc::new(AtomicUsize::new(0));
    let counter = asked.clone();
    let appliance = Appliance::builder(server.uri())
        .api_version(ApiVersion::V8_1)
        .credentials(USERNAME, PASSWORD)
        .mfa_code(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Box::pin(async { Ok(Secret::from("654321")) })
        })
        .build()
        .expect("valid settings");
    // Three requests at once: one login, one code.
    let reads = (0..3).map(|_| appliance.job_session(SESSION_ID));
    for read in futures_util::future::join_all(reads).await {
        read.expect("reads the session with the token of the second step");
    }
    assert_eq!(asked.load(Ordering::SeqCst), 1, "the code is asked once");
}

#[tokio::test]
async fn mfa_without_a_callback_fails_saying_a_code_is_needed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &example_v8_1("createToken.200.secondFactor")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Mfa"))
        .respond_with(json(200, &example_v8_1("createToken.200.issued")))
        .named("no second step without a code")
        .expect(0)
        .mount(&server)
        .await;

    let appliance = with_password(&server.uri());
    let error = appliance.login().await.expect_err("no code, no login");
    let line = error.to_string();
    assert!(line.contains("multi-factor code"), "{line}");
    assert!(line.contains("mfa_code"), "names the setting: {line}");
    assert_hides(
        "the error",
        &error_texts(&error),
        &[PASSWORD, "example-mfa-token-1b7e"],
    );
}

#[tokio::test]
async fn secrets_never_show_in_debug_output_or_errors() {
    let code = "918273";
    let mfa_token = "example-mfa-token-1b7e";
    let (access, refresh) = ("leaky-access-7c1e4a", "leaky-refresh-9b3f02");
    let secrets = [PASSWORD, code, mfa_token, access, refresh];

    // A completed MFA login: every secret has passed through the client.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &example_v8_1("createToken.200.secondFactor")))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Mfa"))
        .respond_with(json(200, &issued(access, refresh, 3600)))
        .expect(1)
        .mount(&server)
        .await;
    let with_mfa = |uri: &str| {
        Appliance::builder(uri)
            .api_version(ApiVersion::V8_1)
            .credentials(USERNAME, PASSWORD)
            .mfa_code(move || Box::pin(async move { Ok(Secret::from(code)) }))
            .retry_policy(fast_retries())
            .build()
            .expect("valid settings")
    };
    let appliance = with_mfa(&server.uri());
    assert_hides(
        "the client before login",
        &format!("{appliance:?}"),
        &secrets,
    );
    appliance.login().await.expect("logs in");
    assert_hides("the logged-in client", &format!("{appliance:?}"), &secrets);
    assert_hides("the alternate Debug", &format!("{appliance:#?}"), &secrets);

    // Failures of each step.
    let mut errors = Vec::new();
    let refused = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(problem(
            401,
            "Unauthorized",
            "Invalid user name or password.",
        ))
        .expect(1)
        .mount(&refused)
        .await;
    errors.push(with_password(&refused.uri()).login().await.unwrap_err());

    // A token answer that does not decode: the decoder would quote what it read.
    let garbled = MockServer::start().await;
    let mut body = issued(access, refresh, 3600);
    body["expires_in"] = json!(refresh);
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(json(200, &body))
        .expect(1)
        .mount(&garbled)
        .await;
    errors.push(with_password(&garbled.uri()).login().await.unwrap_err());

    // The second step refused.
    let second = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Password"))
        .respond_with(json(200, &example_v8_1("createToken.200.secondFactor")))
        .expect(1)
        .mount(&second)
        .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .and(grant("Mfa"))
        .respond_with(problem(400, "invalid_grant", "The code is not valid."))
        .expect(1)
        .mount(&second)
        .await;
    errors.push(with_mfa(&second.uri()).login().await.unwrap_err());

    for error in &errors {
        assert!(
            matches!(
                error.kind(),
                ErrorKind::Unauthorized(_)
                    | ErrorKind::UnexpectedResponse { .. }
                    | ErrorKind::Api(_)
            ),
            "{error:?}"
        );
        assert_hides("an error", &error_texts(error), &secrets);
    }
}

// ---------------------------------------------------------------------------------------------
// Deleting backups
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn delete_backups_202_starts_the_documented_session() {
    let server = MockServer::start().await;
    let body = example_v8_1("deleteVirtualMachineBackups.202");
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{VM_ID}/deleteBackups"
        )))
        .and(bearer(crate::support::TOKEN))
        .and(query_is(&[]))
        .respond_with(json(202, &body))
        .named("deleteVirtualMachineBackups without BackupTier")
        .expect(1)
        .mount(&server)
        .await;

    let outcome = with_token(&server.uri())
        .delete_backups(VM_ID)
        .send()
        .await
        .expect("started");
    let DeleteOutcome::Started(session) = outcome else {
        panic!("a 202 starts a session: {outcome:?}");
    };
    assert_eq!(session.id, SESSION_ID);
    assert_eq!(session.status, SessionStatus::Running);
    assert_eq!(session.session_type, Some(SessionType::BackupDeletion));
    assert_eq!(session.localized_type, None);
    assert_eq!(session.execution_duration, None);
    assert!(matches!(session.answer, SessionAnswer::V8_1(_)));
    assert_eq!(
        serde_json::to_value(&session).unwrap(),
        without_nulls(body),
        "encodes as the answer"
    );
}

#[tokio::test]
async fn delete_backups_204_is_nothing_to_delete() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{VM_ID}/deleteBackups"
        )))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = with_token(&server.uri()).delete_backups(VM_ID).send().await;
    assert_eq!(outcome.expect("succeeds"), DeleteOutcome::NothingToDelete);
}

#[tokio::test]
async fn delete_backups_with_a_tier_sends_the_tier() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{VM_ID}/deleteBackups"
        )))
        .and(query_is(&[("BackupTier", "Archive")]))
        .respond_with(json(202, &example_v8_1("deleteVirtualMachineBackups.202")))
        .expect(1)
        .mount(&server)
        .await;

    let outcome = with_token(&server.uri())
        .delete_backups(VM_ID)
        .tier(BackupTier::Archive)
        .send()
        .await
        .expect("started");
    assert_eq!(outcome.session().map(|s| s.id.as_str()), Some(SESSION_ID));
}

#[tokio::test]
async fn a_batch_of_2500_is_three_requests_of_1000_1000_and_500_in_order() {
    let server = MockServer::start().await;
    // Each request's session is named after its first VM, so that each outcome can be matched
    // to its request; the last answers 204.
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .and(bearer(crate::support::TOKEN))
        .respond_with(|r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("a JSON body");
            let ids = body["ids"].as_array().expect("ids");
            if ids.len() == 500 {
                return ResponseTemplate::new(204);
            }
            let mut session = example_v8_1("deleteVirtualMachinesBackups.202");
            session["id"] = json!(format!("session-for-{}", ids[0].as_str().unwrap()));
            json(202, &session)
        })
        .expect(3)
        .mount(&server)
        .await;

    let ids: Vec<String> = (0..2500).map(|n| format!("vm-{n:04}")).collect();
    let done = with_token(&server.uri())
        .delete_backups_batch(&ids)
        .tier(BackupTier::NonArchive)
        .send()
        .await
        .expect("each request is made");

    let sent = requests(&server).await;
    let mut named = Vec::new();
    for request in &sent {
        let content_type = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok());
        assert_eq!(content_type, Some("application/json"));
        let body: Value = serde_json::from_slice(&request.body).expect("a JSON body");
        let mut fields: Vec<&String> = body.as_object().expect("an object").keys().collect();
        fields.sort();
        assert_eq!(fields, ["backupTier", "ids"], "no other field is accepted");
        assert_eq!(body["backupTier"], "NonArchive");
        let chunk: Vec<String> = serde_json::from_value(body["ids"].clone()).unwrap();
        named.push(chunk);
    }
    let sizes: Vec<usize> = named.iter().map(Vec::len).collect();
    assert_eq!(sizes, [1000, 1000, 500]);
    assert_eq!(named.concat(), ids, "every id once, in the order given");

    assert_eq!(done.len(), 3);
    for (deletion, chunk) in done.iter().zip(&named) {
        assert_eq!(&deletion.vm_ids, chunk);
    }
    let outcomes: Vec<Option<String>> = done
        .iter()
        .map(|d| {
            d.outcome
                .as_ref()
                .expect("succeeded")
                .session()
                .map(|s| s.id.clone())
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            Some("session-for-vm-0000".to_string()),
            Some("session-for-vm-1000".to_string()),
            None
        ]
    );
}

#[tokio::test]
async fn a_failed_request_of_a_batch_does_not_stop_the_others() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .respond_with(|r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).expect("a JSON body");
            if body["ids"][0] == "vm-1000" {
                return problem(409, "Conflict", "Another session is processing vm-1000.");
            }
            json(202, &example_v8_1("deleteVirtualMachinesBackups.202"))
        })
        .expect(3)
        .mount(&server)
        .await;

    let ids: Vec<String> = (0..2001).map(|n| format!("vm-{n}")).collect();
    let done = with_token(&server.uri())
        .delete_backups_batch(&ids)
        .send()
        .await
        .expect("each request is made");
    let shown: Vec<(usize, &str)> = done
        .iter()
        .map(|d| {
            let outcome = match &d.outcome {
                Ok(DeleteOutcome::Started(_)) => "started",
                Ok(DeleteOutcome::NothingToDelete) => "nothing",
                Err(e) if matches!(e.kind(), ErrorKind::Conflict(_)) => "conflict",
                Err(_) => "other error",
            };
            (d.vm_ids.len(), outcome)
        })
        .collect();
    assert_eq!(
        shown,
        [(1000, "started"), (1000, "conflict"), (1, "started")]
    );
    assert_eq!(
        done[1].vm_ids[0], "vm-1000",
        "the failure comes with its VMs"
    );
}

#[tokio::test]
async fn a_batch_without_a_tier_sends_none() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .and(|r: &Request| {
            let body: Value = serde_json::from_slice(&r.body).unwrap_or_default();
            body["ids"] == json!([VM_ID]) && body["backupTier"].is_null()
        })
        .respond_with(json(202, &example_v8_1("deleteVirtualMachinesBackups.202")))
        .expect(1)
        .mount(&server)
        .await;

    let done = with_token(&server.uri())
        .delete_backups_batch(&[VM_ID.to_string()])
        .send()
        .await
        .expect("one request");
    assert_eq!(done.len(), 1);
    assert!(done[0].outcome.is_ok(), "{:?}", done[0].outcome);
}

#[tokio::test]
async fn a_batch_with_an_empty_id_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .named("nothing at all")
        .expect(0)
        .mount(&server)
        .await;

    let ids = ["vm-1".to_string(), "  ".to_string(), "vm-3".to_string()];
    let error = with_password(&server.uri())
        .delete_backups_batch(&ids)
        .send()
        .await
        .expect_err("an empty id");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { message } if message.contains('2')),
        "names the empty id's place: {error}"
    );
}

// ---------------------------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn job_session_reads_the_documented_session() {
    let server = MockServer::start().await;
    let body = example_v8_1("getJobSession.200.finished");
    let id = body["id"].as_str().unwrap().to_string();
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{id}")))
        .and(bearer(crate::support::TOKEN))
        .and(query_is(&[]))
        .respond_with(json(200, &body))
        .expect(1)
        .mount(&server)
        .await;

    let session = with_token(&server.uri())
        .job_session(&id)
        .await
        .expect("reads");
    assert_eq!(session.id, id);
    assert_eq!(session.status, SessionStatus::Success);
    assert_eq!(session.session_type, Some(SessionType::FileLevelRestore));
    assert_eq!(
        session.localized_type.as_deref(),
        Some("File-Level Restore")
    );
    assert_eq!(
        session.execution_duration.and_then(|d| d.to_std()),
        Some(Duration::from_millis(35 * 60_000 + 11_750))
    );
    assert!(session.is_finished());
    assert_eq!(
        serde_json::to_value(&session).unwrap(),
        without_nulls(body),
        "encodes as the answer"
    );
}

#[tokio::test]
async fn the_log_is_read_whole_or_for_one_resource() {
    let server = MockServer::start().await;
    let log_path = format!("/api/v8.1/jobSessions/{SESSION_ID}/log");
    Mock::given(method("GET"))
        .and(path(log_path.as_str()))
        .and(query_is(&[]))
        .respond_with(json(200, &example_v8_1("getJobSessionLog.200")))
        .named("the whole log")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(log_path.as_str()))
        .and(query_is(&[("instanceId", VM_ID)]))
        .respond_with(json(200, &example_v8_1("getJobSessionLog.200")))
        .named("the log of one VM")
        .expect(1)
        .mount(&server)
        .await;

    let appliance = with_token(&server.uri());
    let log = appliance
        .job_session_log(SESSION_ID)
        .send()
        .await
        .expect("reads");
    assert_eq!(log.session_id.as_deref(), Some(SESSION_ID));
    assert_eq!(log.entries.len(), 2);
    assert_eq!(log.entries[0].resource_id, None);
    assert_eq!(log.entries[1].resource_id.as_deref(), Some(VM_ID));
    assert_eq!(log.entries[1].execution_duration, None);
    appliance
        .job_session_log(SESSION_ID)
        .resource(VM_ID)
        .send()
        .await
        .expect("reads the VM's part");
}

#[tokio::test]
async fn stop_job_session_takes_204() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}/stop")))
        .and(bearer(crate::support::TOKEN))
        .and(|r: &Request| r.body.is_empty())
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;

    with_token(&server.uri())
        .stop_job_session(SESSION_ID)
        .await
        .expect("204 is success in v8.1");
}

#[tokio::test]
async fn a_filtered_page_sends_every_filter_with_repeated_keys() {
    let server = MockServer::start().await;
    let policy = "3a5c7e9b-1d2f-4b60-8a4c-5e7a9c1b3d26";
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .and(query_is(&[
            ("Offset", "20"),
            ("Limit", "50"),
            ("Status", "Running"),
            ("Status", "Warning"),
            ("Types", "PolicyBackup"),
            ("Types", "BackupDeletion"),
            ("FromUtc", "2024-10-01T00:00:00Z"),
            ("ToUtc", "2024-10-04T23:59:59Z"),
            ("PolicyId", policy),
            ("ResourceId", VM_ID),
            ("Filter", "web servers"),
        ]))
        .respond_with(json(200, &example_v8_1("listJobSessions.200")))
        .expect(1)
        .mount(&server)
        .await;

    let filter = SessionFilter {
        statuses: vec![SessionStatus::Running, SessionStatus::Warning],
        types: vec![
            SessionTypeFilter::PolicyBackup,
            SessionTypeFilter::BackupDeletion,
        ],
        from: Some("2024-10-01T00:00:00Z".parse().unwrap()),
        to: Some("2024-10-04T23:59:59Z".parse().unwrap()),
        policy_id: Some(policy.parse().unwrap()),
        resource_id: Some(VM_ID.to_string()),
        text: Some("web servers".to_string()),
    };
    let page = with_token(&server.uri())
        .job_sessions_page(20, 50)
        .filter(&filter)
        .send()
        .await;
    // A query that does not match is answered 404: then show what was sent.
    let page = match page {
        Ok(page) => page,
        Err(e) => {
            let sent = requests(&server).await;
            panic!(
                "{e}; sent: {:?}",
                sent.iter().map(query_pairs).collect::<Vec<_>>()
            );
        }
    };
    assert_eq!(page.total_count, Some(57));
    let ids: Vec<String> = page
        .sessions
        .into_iter()
        .map(|s| s.expect("decodes").id)
        .collect();
    assert_eq!(
        ids,
        [SESSION_ID, "9c1e3a5b-7d2f-4e60-8b4a-6d8f0b2c4e17"],
        "in the order given"
    );
}

#[tokio::test]
async fn filter_times_are_sent_in_whole_seconds() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .respond_with(json(200, &example_v8_1("listJobSessions.200")))
        .expect(1)
        .mount(&server)
        .await;

    let filter = SessionFilter {
        from: Some("2024-10-01T08:15:30.25Z".parse().unwrap()),
        to: Some("2024-10-01T09:00:00.0000001Z".parse().unwrap()),
        ..SessionFilter::default()
    };
    with_token(&server.uri())
        .job_sessions_page(0, 10)
        .filter(&filter)
        .send()
        .await
        .expect("reads");
    let sent = query_pairs(&requests(&server).await[0]);
    for key in ["FromUtc", "ToUtc"] {
        let value = sent
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .unwrap_or_else(|| panic!("{key} is sent: {sent:?}"));
        // The document's form: YYYY-MM-DDTHH:MM:SSZ.
        let whole_seconds = value.len() == 20
            && value.ends_with('Z')
            && !value.contains('.')
            && value.parse::<vbazure::Timestamp>().is_ok();
        assert!(whole_seconds, "{key}={value}");
    }
}

#[tokio::test]
async fn the_session_stream_names_the_undecodable_session_and_gives_every_other() {
    let server = MockServer::start().await;
    let mut first = example_v8_1("listJobSessions.200");
    let mut bad = session_body("5b7d9f1a-3c5e-4a70-8b2d-4f6a8c0e2b35", "Success");
    bad["executionStartTime"] = json!("yesterday");
    first["results"][1] = bad;
    first["totalCount"] = json!(4);
    let mut second = example_v8_1("listJobSessions.200");
    second["offset"] = json!(2);
    second["totalCount"] = json!(4);
    second["results"][0]["id"] = json!("6c8e0a2b-4d6f-4b81-9c3e-5a7b9d1f3c46");
    second["results"][1]["id"] = json!("7d9f1b3c-5e7a-4c92-8d4f-6b8c0e2a4d57");
    for (offset, page) in [("0", first), ("2", second)] {
        Mock::given(method("GET"))
            .and(path("/api/v8.1/jobSessions"))
            .and(query_is(&[("Offset", offset), ("Limit", "2")]))
            .respond_with(json(200, &page))
            .named(format!("the page at {offset}"))
            .expect(1)
            .mount(&server)
            .await;
    }

    let appliance = with_token(&server.uri());
    let items: Vec<_> = appliance.job_sessions(2).stream().collect().await;
    let shown: Vec<String> = items
        .iter()
        .map(|item| match item {
            Ok(session) => format!("ok {}", session.id),
            Err(e) => match e.kind() {
                ErrorKind::UndecodableItem { id, .. } => {
                    assert!(
                        e.to_string()
                            .contains("5b7d9f1a-3c5e-4a70-8b2d-4f6a8c0e2b35"),
                        "{e}"
                    );
                    format!("undecodable {}", id.as_deref().unwrap_or("?"))
                }
                _ => format!("error {e}"),
            },
        })
        .collect();
    assert_eq!(
        shown,
        [
            format!("ok {SESSION_ID}"),
            "undecodable 5b7d9f1a-3c5e-4a70-8b2d-4f6a8c0e2b35".to_string(),
            "ok 6c8e0a2b-4d6f-4b81-9c3e-5a7b9d1f3c46".to_string(),
            "ok 7d9f1b3c-5e7a-4c92-8d4f-6b8c0e2a4d57".to_string(),
        ]
    );
}

#[tokio::test]
async fn a_session_of_nulls_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .respond_with(json(200, &session_of_nulls("Running")))
        .expect(1)
        .mount(&server)
        .await;

    let session = with_token(&server.uri())
        .job_session(SESSION_ID)
        .await
        .expect("nulls are no reason to fail");
    assert_eq!(session.id, "", "the appliance sent no id");
    assert_eq!(session.status, SessionStatus::Running);
    assert_eq!(session.session_type, None);
    assert_eq!(session.localized_type, None);
    assert_eq!(session.execution_start_time, None);
    assert_eq!(session.execution_stop_time, None);
    assert_eq!(session.execution_duration, None);
    assert!(!session.is_finished());
}

#[tokio::test]
async fn wait_session_polls_answers_of_nulls_until_the_status_is_final() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .respond_with({
            let answers = [
                session_of_nulls("Running"),
                session_of_nulls("RunningWithWarning"),
                session_of_nulls("Warning"),
            ];
            let calls = AtomicUsize::new(0);
            move |_: &Request| json(200, &answers[calls.fetch_add(1, Ordering::SeqCst).min(2)])
        })
        .expect(3)
        .mount(&server)
        .await;

    let appliance = with_token(&server.uri());
    // The session a deletion started, as the document shows it (with its id).
    let started: vbazure::Session = serde_json::from_value::<vbazure::v8_1::types::JobSession>(
        example_v8_1("deleteVirtualMachineBackups.202"),
    )
    .expect("the example decodes")
    .into();
    let mut seen = Vec::new();
    let options = WaitOptions::default().with_timeout(Duration::from_secs(3600));
    let (done, elapsed) =
        on_paused_clock(appliance.wait_session(started, &options, |s| seen.push(s.status.clone())))
            .await;
    let done = done.expect("ends");
    assert_eq!(done.status, SessionStatus::Warning);
    assert_eq!(
        seen,
        [
            SessionStatus::Running,
            SessionStatus::RunningWithWarning,
            SessionStatus::Warning
        ]
    );
    // Pauses of 1 s, 1.5 s and 2.25 s before the three polls: no busy polling.
    assert!(elapsed >= Duration::from_millis(4750), "{elapsed:?}");
}

#[tokio::test]
async fn wait_session_on_a_session_without_an_id_fails_and_sends_nothing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(500))
        .named("nothing to poll without an id")
        .expect(0)
        .mount(&server)
        .await;
    let appliance = with_token(&server.uri());
    let nameless: vbazure::Session =
        serde_json::from_value::<vbazure::v8_1::types::JobSession>(session_of_nulls("Running"))
            .expect("decodes")
            .into();

    let (result, _) =
        on_paused_clock(appliance.wait_session(nameless, &WaitOptions::default(), |_| {})).await;
    let error = result.expect_err("a session without an id cannot be polled");
    assert!(
        matches!(error.kind(), ErrorKind::InvalidRequest { message } if message.contains("empty")),
        "{error:?}"
    );
}

#[tokio::test]
async fn wait_session_on_a_session_without_an_id_fails_at_once() {
    let server = MockServer::start().await;
    let appliance = with_token(&server.uri());
    let nameless: vbazure::Session =
        serde_json::from_value::<vbazure::v8_1::types::JobSession>(session_of_nulls("Running"))
            .expect("decodes")
            .into();

    let (result, elapsed) =
        on_paused_clock(appliance.wait_session(nameless, &WaitOptions::default(), |_| {})).await;
    assert!(result.is_err());
    assert!(
        elapsed < Duration::from_millis(100),
        "waited {elapsed:?} for nothing"
    );
}

// ---------------------------------------------------------------------------------------------
// Protected VMs and the appliance
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn protected_vms_page_sends_offset_limit_and_search() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(bearer(crate::support::TOKEN))
        .and(query_is(&[
            ("Offset", "10"),
            ("Limit", "2"),
            ("SearchPattern", "web"),
        ]))
        .respond_with(json(200, &example_v8_1("listProtectedVirtualMachines.200")))
        .expect(1)
        .mount(&server)
        .await;

    let page = with_token(&server.uri())
        .protected_vms_page(10, 2)
        .search("web")
        .send()
        .await
        .expect("reads");
    assert_eq!(page.offset, 0, "as the appliance said");
    assert_eq!(page.total_count, Some(2));
    let names: Vec<Option<String>> = page
        .vms
        .into_iter()
        .map(|vm| vm.expect("decodes").name)
        .collect();
    assert_eq!(
        names,
        [Some("web-01".to_string()), Some("db-01".to_string())]
    );
}

/// Serves `Sync=true` pages as a started operation, and the operation as `Running` and then as
/// `last`.
async fn serve_rescan(server: &MockServer, last: Value) {
    let started = example_v8_1("listProtectedVirtualMachines.202");
    let operation_id = started["id"].as_str().unwrap().to_string();
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_is(&[
            ("Offset", "0"),
            ("Limit", "100"),
            ("Sync", "true"),
        ]))
        .respond_with(json(202, &started))
        .expect(1)
        .mount(server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/operations/{operation_id}")))
        .and(bearer(crate::support::TOKEN))
        .respond_with(answers_in_turn(vec![started, last]))
        .named("the operation: Running, then done")
        .expect(2)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_rescanned_page_is_the_result_of_its_operation() {
    let server = MockServer::start().await;
    let page = example_v8_1("listProtectedVirtualMachines.200");
    let mut done = example_v8_1("getAsyncOperation.200");
    done["result"] = page.clone();
    serve_rescan(&server, done).await;

    let appliance = with_token(&server.uri());
    let (result, elapsed) =
        on_paused_clock(appliance.protected_vms_page(0, 100).rescan().send()).await;
    let vms = result.expect("the operation's result");
    assert_eq!(vms.total_count, Some(2));
    let ids: Vec<Option<String>> = vms.vms.into_iter().map(|vm| vm.unwrap().id).collect();
    let expected: Vec<Option<String>> = page["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|vm| vm["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(ids, expected);
    assert!(
        elapsed >= Duration::from_millis(2500),
        "paused between polls: {elapsed:?}"
    );
}

#[tokio::test]
async fn a_failed_operation_is_operation_failed() {
    let server = MockServer::start().await;
    let mut failed = example_v8_1("getAsyncOperation.200");
    failed["status"] = json!("Error");
    failed["result"] = Value::Null;
    failed["error"] = json!({
        "type": "https://tools.ietf.org/html/rfc7231#section-6.6.1",
        "title": "Rescan failed",
        "status": 500,
        "detail": "Azure refused to list the subscription's machines."
    });
    serve_rescan(&server, failed).await;

    let appliance = with_token(&server.uri());
    let (result, _) = on_paused_clock(appliance.protected_vms_page(0, 100).rescan().send()).await;
    let error = result.expect_err("the operation failed");
    match error.kind() {
        ErrorKind::OperationFailed {
            operation_id,
            status,
            detail,
        } => {
            assert_eq!(operation_id, "5e1a9c3b-7d2f-4b60-8e4a-1c3f5b7d9e02");
            assert_eq!(status, &SessionStatus::Error);
            assert_eq!(
                detail.as_deref(),
                Some("Azure refused to list the subscription's machines.")
            );
        }
        other => panic!("not OperationFailed: {other:?}"),
    }
    assert!(error.to_string().contains("Azure refused"), "{error}");
}

#[tokio::test]
async fn protected_vm_reads_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{VM_ID}"
        )))
        .and(query_is(&[]))
        .respond_with(json(200, &example_v8_1("getProtectedVirtualMachine.200")))
        .expect(1)
        .mount(&server)
        .await;

    let vm = with_token(&server.uri())
        .protected_vm(VM_ID)
        .await
        .expect("reads");
    assert_eq!(vm.id.as_deref(), Some(VM_ID));
    assert_eq!(vm.name.as_deref(), Some("web-01"));
}

#[tokio::test]
async fn a_rescanned_vm_is_the_result_of_its_operation() {
    let server = MockServer::start().await;
    let started = example_v8_1("getProtectedVirtualMachine.202");
    let operation_id = started["id"].as_str().unwrap().to_string();
    let vm = example_v8_1("getProtectedVirtualMachine.200");
    let mut done = started.clone();
    done["status"] = json!("Success");
    done["result"] = vm.clone();
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{VM_ID}"
        )))
        .respond_with(json(202, &started))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/operations/{operation_id}")))
        .respond_with(json(200, &done))
        .expect(1)
        .mount(&server)
        .await;

    let appliance = with_token(&server.uri());
    let (result, _) = on_paused_clock(appliance.protected_vm(VM_ID)).await;
    let found = result.expect("the operation's result");
    assert_eq!(found.id.as_deref(), Some(VM_ID));
    assert_eq!(
        found.resource_group.and_then(|g| g.0).and_then(|g| g.name),
        Some("web".to_string())
    );
}

/// Serves one page of protected VMs, searched for `name`, holding VMs of these `(id, name)`.
async fn serve_search(server: &MockServer, name: &str, vms: &[(&str, &str)]) {
    let mut page = example_v8_1("listProtectedVirtualMachines.200");
    let template = page["results"][0].clone();
    let results: Vec<Value> = vms
        .iter()
        .map(|(id, name)| {
            let mut vm = template.clone();
            vm["id"] = json!(id);
            vm["name"] = json!(name);
            vm
        })
        .collect();
    page["limit"] = json!(100);
    page["totalCount"] = json!(results.len());
    page["results"] = json!(results);
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_is(&[
            ("Offset", "0"),
            ("Limit", "100"),
            ("SearchPattern", name),
        ]))
        .respond_with(json(200, &page))
        .expect(1)
        .mount(server)
        .await;
}

#[tokio::test]
async fn find_vm_by_name_takes_the_one_exact_match() {
    let server = MockServer::start().await;
    serve_search(
        &server,
        "web-01",
        &[
            ("vm-a", "web-01-old"),
            ("vm-b", "web-01"),
            ("vm-c", "WEB-01"),
        ],
    )
    .await;

    let vm = with_token(&server.uri())
        .find_vm_by_name("web-01")
        .await
        .expect("one VM is named exactly so");
    assert_eq!(vm.id.as_deref(), Some("vm-b"));
}

#[tokio::test]
async fn find_vm_by_name_without_a_match_lists_the_candidates() {
    let server = MockServer::start().await;
    serve_search(&server, "web", &[("vm-a", "web-01"), ("vm-b", "web-02")]).await;

    let error = with_token(&server.uri())
        .find_vm_by_name("web")
        .await
        .expect_err("no VM is named exactly so");
    match error.kind() {
        ErrorKind::VmName {
            name,
            ambiguous,
            candidates,
        } => {
            assert!(!ambiguous, "no VM has the name: {error}");
            assert_eq!(name, "web");
            assert_eq!(candidates.len(), 2, "{candidates:?}");
            assert!(candidates[0].contains("web-01") && candidates[0].contains("vm-a"));
            assert!(candidates[1].contains("web-02") && candidates[1].contains("vm-b"));
        }
        other => panic!("not VmName: {other:?}"),
    }
}

#[tokio::test]
async fn find_vm_by_name_with_two_of_that_name_names_both() {
    let server = MockServer::start().await;
    serve_search(
        &server,
        "web-01",
        &[
            ("vm-a", "web-01"),
            ("vm-b", "web-01-old"),
            ("vm-c", "web-01"),
        ],
    )
    .await;

    let error = with_token(&server.uri())
        .find_vm_by_name("web-01")
        .await
        .expect_err("ambiguous");
    match error.kind() {
        ErrorKind::VmName {
            candidates,
            ambiguous,
            ..
        } => {
            assert!(ambiguous, "two VMs have the name: {error}");
            assert_eq!(
                candidates.len(),
                2,
                "only the exact matches: {candidates:?}"
            );
            assert!(candidates.iter().any(|c| c.contains("vm-a")));
            assert!(candidates.iter().any(|c| c.contains("vm-c")));
        }
        other => panic!("not VmName: {other:?}"),
    }
    let line = error.to_string();
    assert!(line.contains("vm-a") && line.contains("vm-c"), "{line}");
}

#[tokio::test]
async fn system_info_reads_the_versions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(bearer(crate::support::TOKEN))
        .respond_with(json(200, &example_v8_1("getSystemInfo.200")))
        .expect(1)
        .mount(&server)
        .await;

    let info = with_token(&server.uri())
        .system_info()
        .await
        .expect("reads");
    assert_eq!(info.server_version.as_deref(), Some("8.0.1.202"));
    assert_eq!(info.copyright, None);
    assert_eq!(
        info.database_id.map(|id| id.to_string()).as_deref(),
        Some("7d9e2c41-5b3a-4f08-a1e6-2c8b9d0f4e73")
    );
}

// ---------------------------------------------------------------------------------------------
// Which version
// ---------------------------------------------------------------------------------------------

/// A client that finds out the version itself.
fn detecting(uri: &str) -> Appliance {
    Appliance::builder(uri)
        .access_token(crate::support::TOKEN)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

async fn probe(server: &MockServer, probe_path: &str, answer: ResponseTemplate, times: u64) {
    Mock::given(method("GET"))
        .and(path(probe_path))
        .and(anonymous)
        .respond_with(answer)
        .named(format!("anonymous probe of {probe_path}"))
        .expect(times)
        .mount(server)
        .await;
}

/// The read of `probe_path` with the token, which confirms an anonymous 401/403.
async fn confirmation(server: &MockServer, probe_path: &str, body: Value, times: u64) {
    Mock::given(method("GET"))
        .and(path(probe_path))
        .and(bearer(crate::support::TOKEN))
        .respond_with(json(200, &body))
        .named(format!("confirming read of {probe_path} with the token"))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn a_v8_1_appliance_is_found_once_by_an_anonymous_probe_and_a_confirmation() {
    let server = MockServer::start().await;
    probe(
        &server,
        "/api/v8.1/system/about",
        problem(401, "Unauthorized", "No token."),
        1,
    )
    .await;
    confirmation(
        &server,
        "/api/v8.1/system/about",
        example_v8_1("getSystemInfo.200"),
        1,
    )
    .await;
    probe(
        &server,
        "/api/v1/jobSessions",
        ResponseTemplate::new(401),
        0,
    )
    .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .and(bearer(crate::support::TOKEN))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(1)
        .mount(&server)
        .await;

    let appliance = detecting(&server.uri());
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V8_1);
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V8_1);
    appliance
        .job_session(SESSION_ID)
        .await
        .expect("speaks v8.1");
}

#[tokio::test]
async fn concurrent_first_requests_probe_once() {
    let server = MockServer::start().await;
    probe(
        &server,
        "/api/v8.1/system/about",
        ResponseTemplate::new(403),
        1,
    )
    .await;
    confirmation(
        &server,
        "/api/v8.1/system/about",
        example_v8_1("getSystemInfo.200"),
        1,
    )
    .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{SESSION_ID}")))
        .and(bearer(crate::support::TOKEN))
        .respond_with(json(200, &example_v8_1("getJobSession.200.running")))
        .expect(4)
        .mount(&server)
        .await;

    let appliance = detecting(&server.uri());
    let reads = (0..4).map(|_| appliance.job_session(SESSION_ID));
    for read in futures_util::future::join_all(reads).await {
        read.expect("a 403 probe, confirmed with the token, means v8.1 is served");
    }
}

#[tokio::test]
async fn an_ungated_v8_1_appliance_answering_json_is_found() {
    let server = MockServer::start().await;
    probe(
        &server,
        "/api/v8.1/system/about",
        json(200, &example_v8_1("getSystemInfo.200")),
        1,
    )
    .await;

    let appliance = detecting(&server.uri());
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V8_1);
}

#[tokio::test]
async fn a_v1_appliance_is_found_when_v8_1_is_not_served() {
    let server = MockServer::start().await;
    probe(
        &server,
        "/api/v8.1/system/about",
        ResponseTemplate::new(404),
        1,
    )
    .await;
    probe(
        &server,
        "/api/v1/jobSessions",
        ResponseTemplate::new(401),
        1,
    )
    .await;
    confirmation(
        &server,
        "/api/v1/jobSessions",
        crate::support::example("listJobSessions.200"),
        1,
    )
    .await;

    let appliance = detecting(&server.uri());
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V1);
    assert_eq!(
        appliance.api_version().await.unwrap(),
        ApiVersion::V1,
        "kept"
    );
}

#[tokio::test]
async fn no_served_version_is_no_api_version_naming_both_probes() {
    let server = MockServer::start().await;
    probe(
        &server,
        "/api/v8.1/system/about",
        ResponseTemplate::new(404),
        1,
    )
    .await;
    probe(
        &server,
        "/api/v1/jobSessions",
        ResponseTemplate::new(404),
        1,
    )
    .await;
    Mock::given(method("POST"))
        .and(path(TOKEN_PATH))
        .respond_with(json(200, &issued("access-1", "refresh-1", 3600)))
        .named("no login before the version is known")
        .expect(0)
        .mount(&server)
        .await;

    let appliance = Appliance::builder(server.uri())
        .credentials(USERNAME, PASSWORD)
        .build()
        .expect("valid settings");
    let error = appliance
        .job_session(SESSION_ID)
        .await
        .expect_err("nothing served");
    assert!(
        matches!(error.kind(), ErrorKind::NoApiVersion { probes } if probes.len() == 2),
        "{error:?}"
    );
    let line = error.to_string();
    assert!(
        line.contains("/api/v8.1/system/about answered 404"),
        "{line}"
    );
    assert!(line.contains("/api/v1/jobSessions answered 404"), "{line}");
}

#[tokio::test]
async fn a_proxy_answering_every_path_with_a_page_is_not_an_api() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "<html><body>Sign in</body></html>",
            "text/html; charset=utf-8",
        ))
        .named("a proxy's sign-in page, for the two probes and nothing else")
        .expect(2)
        .mount(&server)
        .await;

    let error = detecting(&server.uri())
        .api_version()
        .await
        .expect_err("a web page is not the API");
    assert!(
        matches!(error.kind(), ErrorKind::NoApiVersion { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("without JSON"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// The v8.1 extras on v1
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn each_v8_1_extra_fails_on_v1_and_sends_nothing() {
    // No mocks: whatever reached this server would be recorded.
    let server = MockServer::start().await;
    let appliance = Appliance::builder(server.uri())
        .api_version(ApiVersion::V1)
        .credentials(USERNAME, PASSWORD)
        .build()
        .expect("valid settings");
    let ids = vec!["vm-1".to_string()];
    let filter = SessionFilter {
        statuses: vec![SessionStatus::Running],
        ..SessionFilter::default()
    };
    let results: Vec<(&str, &str, Result<(), vbazure::Error>)> = vec![
        (
            "delete_backups_batch",
            "batch",
            appliance.delete_backups_batch(&ids).send().await.map(drop),
        ),
        (
            "delete_backups().tier()",
            "tier",
            appliance
                .delete_backups(VM_ID)
                .tier(BackupTier::Archive)
                .send()
                .await
                .map(drop),
        ),
        (
            "job_sessions_page().filter()",
            "filter",
            appliance
                .job_sessions_page(0, 10)
                .filter(&filter)
                .send()
                .await
                .map(drop),
        ),
        (
            "job_session_log().resource()",
            "resource",
            appliance
                .job_session_log(SESSION_ID)
                .resource(VM_ID)
                .send()
                .await
                .map(drop),
        ),
        (
            "protected_vms_page",
            "VM",
            appliance.protected_vms_page(0, 10).send().await.map(drop),
        ),
        (
            "find_vm_by_name",
            "VM",
            appliance.find_vm_by_name("web-01").await.map(drop),
        ),
        (
            "system_info",
            "server",
            appliance.system_info().await.map(drop),
        ),
        ("logout", "logout", appliance.logout().await),
    ];
    for (call, keyword, result) in results {
        let error = result.expect_err(call);
        match error.kind() {
            ErrorKind::NotInVersion { feature, version } => {
                assert_eq!(*version, ApiVersion::V1, "{call}");
                assert!(feature.contains(keyword), "{call}: {feature:?}");
                let line = error.to_string();
                assert!(
                    line.contains(*feature) && line.contains("v1"),
                    "{call}: {line}"
                );
            }
            other => panic!("{call}: not NotInVersion: {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_vm_list_that_ignores_the_offset_ends_instead_of_looping() {
    // The same page whatever the offset, and no totalCount: without the repeated-page guard
    // the stream would ask for ever.
    let mut page = example_v8_1("listProtectedVirtualMachines.200");
    page["totalCount"] = Value::Null;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .respond_with(json(200, &page))
        .expect(2)
        .mount(&server)
        .await;
    let appliance = with_token(&server.uri());
    let items: Vec<Result<vbazure::ProtectedVm, vbazure::Error>> =
        appliance.protected_vms(2).stream().collect().await;
    assert_eq!(items.len(), 3, "two VMs, then the error: {items:?}");
    assert!(items[..2].iter().all(Result::is_ok));
    let error = items[2].as_ref().expect_err("the repeat");
    assert!(
        matches!(error.kind(), ErrorKind::RepeatedPage { offset: 2 }),
        "{error:?}"
    );
}
