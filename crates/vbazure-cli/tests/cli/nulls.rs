//! The real `vbazure` binary against answers full of `null`s and items that do not decode, as
//! real appliances send them: what is missing shows as `-`, one bad session does not hide the
//! others, and neither is a "bad response".
//!
//! The server is scripted (wiremock) with the documents' own examples, changed only in what
//! each test is about; every mock says how often it must be called.

use std::path::PathBuf;

use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer};

use crate::support::{confirmed, json_answer, vbazure_with, Run};

const TOKEN: &str = "cli-null-test-token";

/// The example `name` of the repository's document `file` (`openapi.yaml`,
/// `openapi-v8.1.yaml`).
fn example(file: &str, name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(file);
    let document = vbazure_spec::Document::load(&path).unwrap_or_else(|e| panic!("{e}"));
    vbazure_spec::examples(&document)
        .found
        .into_iter()
        .find(|e| e.name == name)
        .unwrap_or_else(|| panic!("{file} has no example named {name}"))
        .value
}

/// Runs `vbazure --url URL ARGS...` with the token in `VBAZURE_TOKEN` and nothing else from
/// the environment.
async fn vbazure(url: &str, args: &[&str]) -> Run {
    let mut all = vec!["--url".to_string(), url.to_string()];
    all.extend(confirmed(args));
    vbazure_with(&[("VBAZURE_TOKEN", TOKEN)], all, None).await
}

/// Serves `body` once at `GET session_path`, to the CLI's token only.
async fn serve_session(server: &MockServer, session_path: &str, body: &Value) {
    Mock::given(method("GET"))
        .and(path(session_path))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(json_answer(200, body))
        .expect(1)
        .mount(server)
        .await;
}

/// The fields of a `session ...` line, split on its double spaces.
fn fields(line: &str) -> Vec<&str> {
    line.split("  ").map(str::trim).collect()
}

#[tokio::test]
async fn a_v1_session_with_null_duration_and_localized_type_is_shown() {
    let server = MockServer::start().await;
    let mut body = example("openapi.yaml", "getJobSession.200.running");
    body["id"] = json!("7");
    body["executionDuration"] = Value::Null;
    body["localizedType"] = Value::Null;
    serve_session(&server, "/api/v1/jobSessions/7", &body).await;

    let run = vbazure(
        &server.uri(),
        &["--api-version", "1", "sessions", "show", "7"],
    )
    .await;
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stderr, "", "nothing to complain about");
    let line = run.stdout.trim_end();
    assert_eq!(
        fields(line),
        [
            "session 7",
            body["type"].as_str().unwrap(),
            "Running",
            &format!("started {}", body["executionStartTime"].as_str().unwrap()),
            "-",
        ],
        "the missing duration shows as -: {line}"
    );
}

#[tokio::test]
async fn a_listed_session_that_does_not_decode_is_reported_and_the_others_listed() {
    let server = MockServer::start().await;
    let mut page = example("openapi.yaml", "listJobSessions.200");
    page["offset"] = json!(0);
    page["totalCount"] = json!(3);
    page["results"][1]["executionStartTime"] = json!("yesterday");
    let bad = page["results"][1]["id"].as_str().unwrap().to_string();
    let good: Vec<String> = [0, 2]
        .iter()
        .map(|&i| page["results"][i]["id"].as_str().unwrap().to_string())
        .collect();
    Mock::given(method("GET"))
        .and(path("/api/v1/jobSessions"))
        .and(query_param("offset", "0"))
        .and(query_param("limit", "30"))
        .respond_with(json_answer(200, &page))
        .named("the only page")
        .expect(1)
        .mount(&server)
        .await;

    let run = vbazure(
        &server.uri(),
        &["--api-version", "1", "sessions", "list", "--all"],
    )
    .await;
    assert_eq!(run.code, 1, "an unreadable session is an API error");
    let listed: Vec<&str> = run
        .stdout
        .lines()
        .skip(1) // the table's header
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    assert_eq!(
        listed,
        [good[0].as_str(), good[1].as_str(), "2"],
        "both readable sessions, then the count: {}",
        run.stdout
    );
    let complaints: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        complaints.len(),
        1,
        "one line for the bad session: {}",
        run.stderr
    );
    assert!(complaints[0].contains(&bad), "names it: {}", run.stderr);
    assert!(
        complaints[0].contains("executionStartTime") || complaints[0].contains("yesterday"),
        "says what is wrong: {}",
        run.stderr
    );
}

/// A v8.1 session as the appliance sends one it knows little about: every field of the
/// document's fullest session example `null`, but `status`.
fn v8_1_session_of_nulls() -> Value {
    let mut body = example("openapi-v8.1.yaml", "deleteVirtualMachinesBackups.202");
    for (name, value) in body.as_object_mut().expect("an object").iter_mut() {
        if name != "status" {
            *value = Value::Null;
        }
    }
    body
}

#[tokio::test]
async fn a_v8_1_session_of_nulls_is_shown() {
    let server = MockServer::start().await;
    serve_session(&server, "/api/v8.1/jobSessions/7", &v8_1_session_of_nulls()).await;

    let run = vbazure(
        &server.uri(),
        &["--api-version", "8.1", "sessions", "show", "7"],
    )
    .await;
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert_eq!(run.stderr, "");
    let line = run.stdout.trim_end();
    // No id, no type, no start, no duration: only the status is known.
    assert_eq!(
        fields(line),
        ["session", "-", "Running", "started -", "-"],
        "{line}"
    );
}

#[tokio::test]
async fn a_v8_1_session_of_nulls_is_written_as_json() {
    let server = MockServer::start().await;
    serve_session(&server, "/api/v8.1/jobSessions/7", &v8_1_session_of_nulls()).await;

    let run = vbazure(
        &server.uri(),
        &[
            "--api-version",
            "8.1",
            "--output",
            "json",
            "sessions",
            "show",
            "7",
        ],
    )
    .await;
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let documents: Vec<Value> = run
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON document per line"))
        .collect();
    assert_eq!(documents.len(), 1, "{}", run.stdout);
    assert_eq!(documents[0]["status"], "Running");
}
