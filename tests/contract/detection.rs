//! Version detection against the four kinds of appliance a user meets, for each version: one
//! that answers 404 on paths it does not serve, one that answers 401 to every anonymous request
//! (it authenticates before it routes), one that answers 403 to every anonymous request, and
//! one behind a proxy that answers a 200 HTML page on paths nobody serves. Each time the
//! client must speak the version the appliance serves, log in once, and send its calls there.

use serde_json::Value;
use vbazure::{ApiVersion, Appliance, ErrorKind};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{
    anonymous, bearer, example, example_v8_1, fast_retries, json, problem, token_body,
};

const USERNAME: &str = "administrator";
const PASSWORD: &str = "detection-pa55word";
const ACCESS: &str = "detection-access-token";
const SESSION_ID: &str = "2d8f4b6a-0c3e-4a17-9d5b-7f1e3a5c9b20";

/// How the appliance (or what stands before it) answers what it does not serve.
#[derive(Clone, Copy, Debug)]
enum Kind {
    /// 404 for paths it does not serve; 401 for its own paths without a token.
    NotFound,
    /// 401 for every request without a token, served path or not.
    UnauthorizedEverywhere,
    /// 403 for every request without a token, served path or not.
    ForbiddenEverywhere,
    /// A proxy's 200 HTML page for every path the appliance does not serve.
    ProxyPage,
}

const KINDS: [Kind; 4] = [
    Kind::NotFound,
    Kind::UnauthorizedEverywhere,
    Kind::ForbiddenEverywhere,
    Kind::ProxyPage,
];

/// The token answer to a login, `times` times.
async fn logins(server: &MockServer, times: u64) {
    let mut token = token_body(ACCESS, "detection-refresh", 3600);
    token["token_type"] = Value::from("bearer");
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .respond_with(json(200, &token))
        .named("the logins of the run")
        .expect(times)
        .mount(server)
        .await;
}

/// A client that finds out the version itself, logging in with `password`.
fn detecting(server: &MockServer, password: &str) -> Appliance {
    Appliance::builder(server.uri())
        .credentials(USERNAME, password)
        .retry_policy(fast_retries())
        .build()
        .expect("valid settings")
}

/// The read path each version is known by, and its answer there with a token.
fn read_path(version: ApiVersion) -> (&'static str, Value) {
    match version {
        ApiVersion::V1 => ("/api/v1/jobSessions", example("listJobSessions.200")),
        _ => ("/api/v8.1/system/about", example_v8_1("getSystemInfo.200")),
    }
}

fn session_answer(version: ApiVersion) -> (String, Value) {
    match version {
        ApiVersion::V1 => (
            format!("/api/v1/jobSessions/{SESSION_ID}"),
            example("getJobSession.200.running"),
        ),
        _ => (
            format!("/api/v8.1/jobSessions/{SESSION_ID}"),
            example_v8_1("getJobSession.200.running"),
        ),
    }
}

/// An appliance of `kind` serving `served` only.
async fn appliance_of(kind: Kind, served: ApiVersion) -> MockServer {
    let server = MockServer::start().await;
    logins(&server, 1).await;
    let (read, about) = read_path(served);
    Mock::given(method("GET"))
        .and(path(read))
        .and(bearer(ACCESS))
        .respond_with(json(200, &about))
        .mount(&server)
        .await;
    // The served version's own path, anonymously: refused, as every appliance does.
    let refusal = match kind {
        Kind::ForbiddenEverywhere => problem(403, "Forbidden", "No token."),
        _ => problem(401, "Unauthorized", "No token."),
    };
    Mock::given(method("GET"))
        .and(path(read))
        .and(anonymous)
        .respond_with(refusal.clone())
        .mount(&server)
        .await;
    // Everything else, below those (a higher number is a lower priority).
    let elsewhere = match kind {
        // Unmatched requests get wiremock's 404, with a token or without.
        Kind::NotFound => None,
        // Refused without a token; with one, routed and not found (wiremock's 404).
        Kind::UnauthorizedEverywhere | Kind::ForbiddenEverywhere => {
            Some(Mock::given(any()).and(anonymous).respond_with(refusal))
        }
        Kind::ProxyPage => Some(Mock::given(any()).respond_with(
            ResponseTemplate::new(200).set_body_raw(
                "<html><body>Portal</body></html>",
                "text/html; charset=utf-8",
            ),
        )),
    };
    if let Some(elsewhere) = elsewhere {
        elsewhere.with_priority(10).mount(&server).await;
    }
    server
}

#[tokio::test]
async fn each_kind_of_appliance_is_taken_for_the_version_it_serves() {
    for served in ApiVersion::NEWEST_FIRST {
        for kind in KINDS {
            let context = format!("{kind:?} appliance serving v{served}");
            let server = appliance_of(kind, served).await;
            let (session_path, session) = session_answer(served);
            Mock::given(method("GET"))
                .and(path(session_path))
                .and(bearer(ACCESS))
                .respond_with(json(200, &session))
                .named("the call, in the served version")
                .expect(1)
                .mount(&server)
                .await;
            let appliance = detecting(&server, PASSWORD);
            assert_eq!(
                appliance.api_version().await.expect(&context),
                served,
                "{context}"
            );
            appliance
                .job_session(SESSION_ID)
                .await
                .unwrap_or_else(|e| panic!("{context}: {e}"));
            // Kept for the run: asking again sends nothing (the mocks' counts check it).
            assert_eq!(appliance.api_version().await.expect(&context), served);
            server.verify().await;
        }
    }
}

#[tokio::test]
async fn a_404_without_problem_details_names_the_version_in_use_and_how_to_choose_another() {
    // An appliance that refuses every anonymous request, and whose v8.1 read path answers the
    // token too (a gateway in front of it), so v8.1 is taken; its deletion path does not exist.
    let server = appliance_of(Kind::UnauthorizedEverywhere, ApiVersion::V8_1).await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-1/deleteBackups",
        ))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let appliance = detecting(&server, PASSWORD);
    let error = appliance
        .delete_backups("vm-1")
        .send()
        .await
        .expect_err("no such path");
    assert!(
        matches!(
            error.kind(),
            ErrorKind::NoSuchPath { version: ApiVersion::V8_1, how, .. } if how.contains("200 with a token")
        ),
        "{error:?}"
    );
    let line = error.to_string();
    for part in ["API v8.1", "--api-version 1", "system/about answered 401"] {
        assert!(line.contains(part), "{part:?} not in {line}");
    }

    // A 404 with problem details is a missing resource, explained by the appliance.
    let server = appliance_of(Kind::NotFound, ApiVersion::V8_1).await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/vm-2/deleteBackups",
        ))
        .respond_with(problem(
            404,
            "Not Found",
            "Protected VM vm-2 was not found.",
        ))
        .mount(&server)
        .await;
    let appliance = detecting(&server, PASSWORD);
    let error = appliance
        .delete_backups("vm-2")
        .send()
        .await
        .expect_err("no VM");
    assert!(matches!(error.kind(), ErrorKind::NotFound(_)), "{error:?}");
}

#[tokio::test]
async fn gated_everywhere_even_with_a_token_takes_the_newest_version_unconfirmed() {
    // Every path refuses with 401, with a token or without: nothing confirms either version,
    // so the newest gated one is taken (and logged as unconfirmed) rather than none.
    let server = MockServer::start().await;
    logins(&server, 1).await;
    for read in ["/api/v8.1/system/about", "/api/v1/jobSessions"] {
        Mock::given(method("GET"))
            .and(path(read))
            .respond_with(problem(401, "Unauthorized", "No."))
            .named(format!("{read}, anonymous and with the token"))
            .expect(2)
            .mount(&server)
            .await;
    }
    let appliance = detecting(&server, PASSWORD);
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V8_1);
}

#[tokio::test]
async fn a_refused_login_during_detection_is_the_login_error() {
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
    Mock::given(any())
        .and(anonymous)
        .respond_with(problem(401, "Unauthorized", "No token."))
        .mount(&server)
        .await;
    let appliance = detecting(&server, "wrong");
    let error = appliance.api_version().await.expect_err("no login");
    assert_eq!(error.operation(), "createToken", "{error:?}");
    assert!(
        matches!(error.kind(), ErrorKind::Unauthorized(_)),
        "{error:?}"
    );
    assert!(
        error
            .to_string()
            .contains("user name or password is incorrect"),
        "{error}"
    );
}

#[tokio::test]
async fn a_failed_confirming_read_keeps_the_version_rather_than_ruling_it_out() {
    // v8.1's read with the token answers 503 (a restart, a proxy): that says nothing about the
    // version, so v8.1, gated, stays the choice once v1 is ruled out; only a 404 rules out.
    let server = MockServer::start().await;
    logins(&server, 1).await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(anonymous)
        .respond_with(problem(401, "Unauthorized", "No token."))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(bearer(ACCESS))
        .respond_with(problem(503, "Service Unavailable", "Starting."))
        .expect(1)
        .mount(&server)
        .await;
    let appliance = detecting(&server, PASSWORD);
    assert_eq!(appliance.api_version().await.unwrap(), ApiVersion::V8_1);
}
