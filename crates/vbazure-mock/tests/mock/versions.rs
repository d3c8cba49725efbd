//! Which API versions the mock serves, as clients detect them, and the record of requests.

use std::path::PathBuf;

use serde_json::Value;
use vbazure_mock::{ApiVersion, MockAppliance};

/// The status of an anonymous GET of `path`.
async fn anonymous(url: &str, path: &str) -> (u16, Value) {
    let response = crate::support::http()
        .get(format!("{url}{path}"))
        .send()
        .await
        .expect("answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_version_left_out_answers_404_and_clients_detect_what_is_served() {
    let cases: [(&[ApiVersion], u16, u16, vbazure::ApiVersion); 3] = [
        (&[ApiVersion::V1], 404, 401, vbazure::ApiVersion::V1),
        (&[ApiVersion::V8_1], 401, 404, vbazure::ApiVersion::V8_1),
        (&ApiVersion::ALL, 401, 401, vbazure::ApiVersion::V8_1),
    ];
    for (versions, about, sessions, detected) in cases {
        let mock = MockAppliance::builder()
            .api_versions(versions.iter().copied())
            .start()
            .await
            .expect("starts");
        assert_eq!(mock.api_versions(), versions);
        let (status, body) = anonymous(mock.url(), "/api/v8.1/system/about").await;
        assert_eq!(status, about, "{versions:?}: {body}");
        if status == 404 {
            let detail = body["detail"].as_str().unwrap_or_default();
            assert!(detail.contains("does not serve API v8.1"), "{detail}");
        }
        let (status, body) = anonymous(mock.url(), "/api/v1/jobSessions").await;
        assert_eq!(status, sessions, "{versions:?}: {body}");

        let config = mock.config();
        let appliance = vbazure::Appliance::builder(mock.url())
            .credentials(config.username, config.password)
            .build()
            .expect("builds");
        assert_eq!(
            appliance.api_version().await.expect("detects"),
            detected,
            "{versions:?}"
        );
        appliance
            .login()
            .await
            .expect("logs in through the shared token path");
        assert!(mock.violations().is_empty(), "{:?}", mock.violations());
    }
}

#[tokio::test]
async fn with_v1_alone_the_token_path_is_v1s() {
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .start()
        .await
        .expect("starts");
    let answer = crate::support::login(mock.url()).await;
    let mut fields: Vec<&str> = answer
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            ".expires",
            ".issued",
            "access_token",
            "expires_in",
            "refresh_token",
            "token_type"
        ],
        "v1's fields only"
    );
    let logout = crate::support::http()
        .delete(format!("{}/api/oauth2/token", mock.url()))
        .bearer_auth(answer["access_token"].as_str().expect("a token"))
        .send()
        .await
        .expect("answers");
    assert_eq!(logout.status(), 405, "v1 has no logout");
    assert_eq!(
        logout.headers().get("allow").and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    // With both served, the token answer is v8.1's, which a v1 client reads too.
    let both = MockAppliance::start().await.expect("starts");
    let answer = crate::support::login(both.url()).await;
    assert!(
        answer["userId"].is_string() && answer["expires_in"] == 3600,
        "{answer}"
    );
}

#[tokio::test]
async fn a_document_given_replaces_the_embedded_one_of_its_version() {
    let renamed = vbazure_mock::SPEC_V8_1.replace(
        "/api/v8.1/system/about:",
        "/api/v8.1/system/aboutThisAppliance:",
    );
    let mock = MockAppliance::builder()
        .spec_text(renamed)
        .start()
        .await
        .expect("starts");
    let url = mock.url();
    assert_eq!(anonymous(url, "/api/v8.1/system/about").await.0, 404);
    assert_eq!(
        anonymous(url, "/api/v8.1/system/aboutThisAppliance")
            .await
            .0,
        401
    );
    assert_eq!(
        anonymous(url, "/api/v1/jobSessions").await.0,
        401,
        "v1 stays"
    );

    let unversioned = vbazure_mock::SPEC.replace("version: \"1.0\"", "version: \"9\"");
    let error = MockAppliance::builder()
        .spec_text(unversioned)
        .start()
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("\"9\""), "{error}");
    let error = MockAppliance::builder()
        .api_versions([])
        .start()
        .await
        .expect_err("refused");
    assert!(error.to_string().contains("no API version"), "{error}");
}

/// A path in the temporary directory for this test process.
fn temporary(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    std::env::temp_dir().join(format!(
        "vbazure-mock-{name}-{}-{nanos}.jsonl",
        std::process::id()
    ))
}

fn lines(path: &PathBuf) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("the record")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON document per line"))
        .collect()
}

#[tokio::test]
async fn the_record_has_one_line_per_request_and_no_secrets() {
    let path = temporary("record");
    let mock = MockAppliance::builder()
        .record(&path)
        .start()
        .await
        .expect("starts");
    let token = crate::support::access_token(mock.url()).await;
    let http = crate::support::http();
    let list = http
        .get(format!(
            "{}/api/v8.1/jobSessions?Status=Running&Status=Success",
            mock.url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    assert_eq!(list.status(), 200);
    let unknown = http
        .get(format!("{}/api/v8.1/nowhere", mock.url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(unknown.status(), 404);
    let refused = http
        .post(format!(
            "{}/api/v8.1/protectedItem/virtualMachines/x/deleteBackups",
            mock.url()
        ))
        .send()
        .await
        .expect("answers");
    assert_eq!(refused.status(), 401);

    let recorded = lines(&path);
    assert_eq!(
        recorded,
        [
            serde_json::json!({"method": "POST", "path": "/api/oauth2/token", "query": null, "status": 200}),
            serde_json::json!({"method": "GET", "path": "/api/v8.1/jobSessions", "query": "Status=Running&Status=Success", "status": 200}),
            serde_json::json!({"method": "GET", "path": "/api/v8.1/nowhere", "query": null, "status": 404}),
            serde_json::json!({"method": "POST", "path": "/api/v8.1/protectedItem/virtualMachines/x/deleteBackups", "query": null, "status": 401}),
        ]
    );
    let text = std::fs::read_to_string(&path).expect("the record");
    assert!(!text.contains(&token), "no token in the record");
    assert!(
        !text.contains(vbazure_mock::DEFAULT_PASSWORD),
        "no password"
    );
    assert_eq!(mock.requests(), 4);
    drop(mock);

    // A second mock appends to the same record.
    let again = MockAppliance::builder()
        .record(&path)
        .start()
        .await
        .expect("starts");
    anonymous(again.url(), "/api/v1/jobSessions").await;
    assert_eq!(lines(&path).len(), 5);
    let _ = std::fs::remove_file(&path);

    let error = MockAppliance::builder()
        .record(std::env::temp_dir().join("no-such-directory-vbazure/record.jsonl"))
        .start()
        .await
        .expect_err("refused");
    assert!(
        error.to_string().contains("cannot open the request record"),
        "{error}"
    );
}
