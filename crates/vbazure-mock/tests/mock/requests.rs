//! The mock checks requests against the spec and answers with problem details, as the real API
//! does; no request, however malformed, stops it serving.

use crate::support::{access_token, http, login};
use serde_json::Value;
use vbazure_mock::MockAppliance;

async fn answer(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, content_type, body)
}

#[tokio::test]
async fn an_unknown_path_names_the_closest_documented_one() {
    let mock = MockAppliance::start().await.expect("starts");
    let (status, content_type, body) = answer(
        http()
            .get(format!("{}/api/v1/jobSesions/11", mock.url()))
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 404);
    assert!(
        content_type.starts_with("application/problem+json"),
        "{content_type}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("/api/v1/jobSessions/{sessionId}"),
        "{body}"
    );
    assert!(body["traceId"].is_string());
}

#[tokio::test]
async fn a_method_the_path_lacks_is_405_with_allow() {
    let mock = MockAppliance::start().await.expect("starts");
    let response = http()
        .delete(format!("{}/api/v1/jobSessions", mock.url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response
            .headers()
            .get("allow")
            .and_then(|v| v.to_str().ok()),
        Some("GET")
    );
    let (status, _, body) = answer(response).await;
    assert_eq!(status, 405);
    assert_eq!(body["status"], 405);
}

#[tokio::test]
async fn missing_or_unknown_tokens_are_401() {
    let mock = MockAppliance::start().await.expect("starts");
    let url = format!("{}/api/v1/jobSessions", mock.url());
    let (status, _, _) = answer(http().get(&url).send().await.expect("answers")).await;
    assert_eq!(status, 401);
    let response = http()
        .get(&url)
        .bearer_auth("forged")
        .send()
        .await
        .expect("answers");
    assert_eq!(
        response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Bearer")
    );
    assert_eq!(answer(response).await.0, 401);
    let good = access_token(mock.url()).await;
    assert_eq!(
        answer(
            http()
                .get(&url)
                .bearer_auth(good)
                .send()
                .await
                .expect("answers")
        )
        .await
        .0,
        200
    );
}

#[tokio::test]
async fn token_requests_are_checked() {
    let mock = MockAppliance::start().await.expect("starts");
    let url = format!("{}/api/oauth2/token", mock.url());
    let post = |form: Vec<(&'static str, &'static str)>| http().post(&url).form(&form).send();

    let (status, _, body) = answer(
        post(vec![
            ("grant_type", "Password"),
            ("Username", "administrator"),
            ("Password", "wrong"),
        ])
        .await
        .expect("answers"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["detail"], "The user name or password is incorrect.");

    // The v8.1 document spells the fields in lower case; the appliance takes either.
    let (status, _, body) = answer(
        post(vec![
            ("grant_type", "Password"),
            ("username", vbazure_mock::DEFAULT_USERNAME),
            ("password", vbazure_mock::DEFAULT_PASSWORD),
        ])
        .await
        .expect("answers"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["access_token"].is_string(), "{body}");

    let (status, _, body) = answer(
        post(vec![("Username", "administrator")])
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body["errors"]["grant_type"].is_array(), "{body}");

    // A form the schema allows, without the grant's fields: a refused login, naming them.
    let (status, _, body) = answer(
        post(vec![("grant_type", "Password"), ("Password", "")])
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(
        body["detail"],
        "The Password grant needs Username and Password; the form has no Username and Password.",
        "{body}"
    );
    let (status, _, body) = answer(
        post(vec![("grant_type", "Refresh_token")])
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .is_some_and(|d| d.contains("no refresh_token")),
        "{body}"
    );

    let (status, _, body) = answer(
        post(vec![
            ("grant_type", "Refresh_token"),
            ("refresh_token", "nope"),
        ])
        .await
        .expect("answers"),
    )
    .await;
    assert_eq!(status, 401, "{body}");

    let json = http()
        .post(&url)
        .json(&serde_json::json!({"grant_type": "Password"}))
        .send()
        .await
        .expect("answers");
    // The shared token path is routed to v8.1's document, which lists no 415 here: the body
    // is refused with a 400 naming the media type to send.
    let (status, _, body) = answer(json).await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"][""][0]
            .as_str()
            .unwrap_or_default()
            .contains("application/x-www-form-urlencoded"),
        "{body}"
    );
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn the_refresh_grant_renews_and_is_single_use() {
    let mock = MockAppliance::start().await.expect("starts");
    let url = format!("{}/api/oauth2/token", mock.url());
    let first = login(mock.url()).await;
    let refresh = first["refresh_token"]
        .as_str()
        .expect("a refresh token")
        .to_string();
    let renew = || {
        http()
            .post(&url)
            .form(&[
                ("grant_type", "Refresh_token"),
                ("refresh_token", refresh.as_str()),
            ])
            .send()
    };
    let (status, _, second) = answer(renew().await.expect("answers")).await;
    assert_eq!(status, 200);
    assert_ne!(second["access_token"], first["access_token"]);
    assert_eq!(
        answer(renew().await.expect("answers")).await.0,
        401,
        "a refresh token works once"
    );
}

#[tokio::test]
async fn query_parameters_are_checked_against_their_schema() {
    let mock = MockAppliance::start().await.expect("starts");
    let bearer = access_token(mock.url()).await;
    let url = format!("{}/api/v1/jobSessions?offset=-1&limit=abc", mock.url());
    let (status, _, body) = answer(
        http()
            .get(url)
            .bearer_auth(bearer)
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(
        body["errors"]["offset"].is_array() && body["errors"]["limit"].is_array(),
        "{body}"
    );
}

#[tokio::test]
async fn malformed_requests_never_stop_the_mock() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mock = MockAppliance::start().await.expect("starts");
    let address = mock.url().trim_start_matches("http://").to_string();
    let garbage: [&[u8]; 6] = [
        b"\x00\x01\x02\xff\r\n\r\n",
        b"GET /api/v1/jobSessions/%ff%fe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /api/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9\r\n\r\n%%%&&&===",
        b"BREW /api/v1/jobSessions HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /../../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /api/oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\nshort",
    ];
    for request in garbage {
        let mut socket = tokio::net::TcpStream::connect(&address)
            .await
            .expect("connects");
        let _ = socket.write_all(request).await;
        let _ = socket.shutdown().await;
        let mut reply = Vec::new();
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(2),
            socket.read_to_end(&mut reply),
        )
        .await;
    }
    let big = vec![b'a'; 2 * 1024 * 1024];
    let (status, _, _) = answer(
        http()
            .post(format!("{}/api/oauth2/token", mock.url()))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(big)
            .send()
            .await
            .expect("answers"),
    )
    .await;
    assert_eq!(status, 413);
    // Still serving.
    let appliance = crate::support::logged_in(&mock).await;
    appliance
        .delete_backups("vm-1")
        .send()
        .await
        .expect("serves");
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}

#[tokio::test]
async fn gate_anonymous_refuses_every_path_without_a_token_but_logging_in() {
    let mock = MockAppliance::builder()
        .api_versions([vbazure_mock::ApiVersion::V1])
        .gate_anonymous(403)
        .start()
        .await
        .expect("starts");
    let url = mock.url();
    for path in ["/api/v8.1/system/about", "/api/v1/jobSessions", "/nowhere"] {
        let (status, _, body) = answer(
            http()
                .get(format!("{url}{path}"))
                .send()
                .await
                .expect("answers"),
        )
        .await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    // Logging in stays open; with the token, requests are routed as ever.
    let token = access_token(url).await;
    for (path, expected) in [
        ("/api/v1/jobSessions", 200),
        ("/api/v8.1/system/about", 404),
    ] {
        let (status, _, body) = answer(
            http()
                .get(format!("{url}{path}"))
                .bearer_auth(&token)
                .send()
                .await
                .expect("answers"),
        )
        .await;
        assert_eq!(status, expected, "{path}: {body}");
    }
    assert!(mock.violations().is_empty(), "{:?}", mock.violations());
}
