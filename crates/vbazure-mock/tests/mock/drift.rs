//! Drift on demand (`--drift KIND`, `MockBuilder::drift`): each kind is seen on the wire by a
//! plain HTTP client, each departure is recorded among the mock's violations while the answer
//! is sent as it is, any other violation still becomes a 500, and without drift nothing
//! departs.

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use serde_json::Value;
use vbazure_mock::{ApiVersion, Drift, MockAppliance, SPEC};

/// How a departure shows on the wire.
#[derive(Clone, Copy, Debug)]
enum Expect {
    /// `true`, the value of the added field.
    Added,
    Null,
    /// [`Drift::ENUM_VALUE`].
    Unlisted,
    /// A JSON string where the document says otherwise.
    Text,
    /// A JSON number where the document says a string.
    Number,
    /// [`Drift::STATUS`], with the body still there.
    Status,
}

/// The operations of the flow each version reads here, in the order they are called.
fn operations(version: ApiVersion) -> &'static [&'static str] {
    match version {
        ApiVersion::V1 => &[
            "createToken",
            "deleteBackups",
            "listJobSessions",
            "getJobSession",
            "getJobSessionLog",
        ],
        ApiVersion::V8_1 => &[
            "createToken",
            "deleteVirtualMachineBackups",
            "listJobSessions",
            "getJobSession",
            "getJobSessionLog",
            "getSystemInfo",
            "listProtectedVirtualMachines",
            "getProtectedVirtualMachine",
        ],
    }
}

/// Where `drift` changes the answers of the flow in `version`: (operation, pointer, how).
fn departures(drift: Drift, version: ApiVersion) -> Vec<(&'static str, &'static str, Expect)> {
    use ApiVersion::{V1, V8_1};
    let deletion = match version {
        V1 => "deleteBackups",
        V8_1 => "deleteVirtualMachineBackups",
    };
    let mut rows = Vec::new();
    match (drift, version) {
        (Drift::UndocumentedField, _) => {
            for op in operations(version) {
                rows.push((*op, "/x-mock-drift", Expect::Added));
            }
            rows.push(("listJobSessions", "/results/0/x-mock-drift", Expect::Added));
            if version == V8_1 {
                rows.push((
                    "listProtectedVirtualMachines",
                    "/results/0/x-mock-drift",
                    Expect::Added,
                ));
            }
        }
        (Drift::Null, V1) => rows.extend([
            ("createToken", "/token_type", Expect::Null),
            (deletion, "/id", Expect::Null),
            ("listJobSessions", "/limit", Expect::Null),
            ("getJobSession", "/id", Expect::Null),
            ("getJobSessionLog", "/jobSessionId", Expect::Null),
        ]),
        // Every field of a v8.1 token and of the system information may be null.
        (Drift::Null, V8_1) => rows.extend([
            (deletion, "/status", Expect::Null),
            ("listJobSessions", "/limit", Expect::Null),
            ("getJobSession", "/status", Expect::Null),
            ("getJobSessionLog", "/log/0/status", Expect::Null),
            ("listProtectedVirtualMachines", "/limit", Expect::Null),
            (
                "getProtectedVirtualMachine",
                "/subscription/id",
                Expect::Null,
            ),
        ]),
        (Drift::EnumValue, _) => rows.extend([
            (deletion, "/status", Expect::Unlisted),
            ("listJobSessions", "/results/0/status", Expect::Unlisted),
            ("getJobSession", "/status", Expect::Unlisted),
            ("getJobSessionLog", "/log/0/status", Expect::Unlisted),
        ]),
        (Drift::WrongType, V1) => rows.extend([
            ("createToken", "/expires_in", Expect::Text),
            (deletion, "/usn", Expect::Text),
            ("listJobSessions", "/totalCount", Expect::Text),
            ("getJobSession", "/usn", Expect::Text),
            ("getJobSessionLog", "/log/0/logTime", Expect::Number),
        ]),
        (Drift::WrongType, V8_1) => rows.extend([
            ("createToken", "/expires_in", Expect::Text),
            (deletion, "/executionStartTime", Expect::Number),
            ("listJobSessions", "/totalCount", Expect::Text),
            ("getJobSession", "/executionStartTime", Expect::Number),
            ("getJobSessionLog", "/log/0/logTime", Expect::Number),
            ("getSystemInfo", "/serverVersion", Expect::Number),
            ("listProtectedVirtualMachines", "/totalCount", Expect::Text),
            ("getProtectedVirtualMachine", "/totalSizeInGB", Expect::Text),
        ]),
        (Drift::UndocumentedStatus, _) => {
            for op in operations(version) {
                rows.push((*op, "", Expect::Status));
            }
        }
        // Written nulls are within openapi-v8.1.yaml: no departure, nothing recorded (see
        // `null_members_writes_what_the_default_leaves_out`).
        (Drift::NullMembers, _) => {}
    }
    rows
}

/// The pointers of every `null` in `value`, at any depth.
fn nulls(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Null => out.push(at),
        Value::Object(members) => {
            for (name, member) in members {
                nulls(member, format!("{at}/{name}"), out);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                nulls(item, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[tokio::test]
async fn null_members_writes_what_the_default_leaves_out() {
    // By default no v8.1 answer of the flow holds a null anywhere: the vendor's document
    // forbids several, and generated clients reject more.
    let plain = mock(ApiVersion::V8_1, &[]).await;
    for (operation, answer) in &flow(&plain, ApiVersion::V8_1).await {
        let mut found = Vec::new();
        nulls(&answer.body, String::new(), &mut found);
        assert_eq!(found, Vec::<String>::new(), "{operation}: {answer:?}");
    }
    let written = mock(ApiVersion::V8_1, &[Drift::NullMembers]).await;
    let answers = flow(&written, ApiVersion::V8_1).await;
    for (operation, pointer) in [
        ("deleteVirtualMachineBackups", "/executionStopTime"),
        ("deleteVirtualMachineBackups", "/backupJobInfo"),
        ("getSystemInfo", "/copyright"),
        (
            "getProtectedVirtualMachine",
            "/subscription/workerResourceGroupName",
        ),
    ] {
        assert_eq!(
            answers[operation].body.pointer(pointer),
            Some(&Value::Null),
            "{operation} {pointer}: {:?}",
            answers[operation]
        );
    }
    assert_eq!(written.violations(), Vec::<String>::new());
}

/// An answer: status and JSON body.
#[derive(Debug)]
struct Answer {
    status: u16,
    body: Value,
}

async fn read(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    Answer { status, body }
}

/// A mock with `drifts`, serving `version` only (so that its token answer is that version's).
async fn mock(version: ApiVersion, drifts: &[Drift]) -> MockAppliance {
    let mut builder = MockAppliance::builder().api_versions([version]);
    for drift in drifts {
        builder = builder.drift(*drift);
    }
    builder.start().await.expect("starts")
}

/// Reads the flow of `version` with plain requests, whatever the answers hold: each answer
/// by operation. The ids it needs come from fields no drift touches.
async fn flow(mock: &MockAppliance, version: ApiVersion) -> BTreeMap<&'static str, Answer> {
    let http = crate::support::http();
    let url = mock.url();
    let mut answers = BTreeMap::new();
    let token = read(http.post(format!("{url}/api/oauth2/token")).form(&[
        ("grant_type", "Password"),
        ("Username", vbazure_mock::DEFAULT_USERNAME),
        ("Password", vbazure_mock::DEFAULT_PASSWORD),
    ]))
    .await;
    let bearer = token.body["access_token"]
        .as_str()
        .expect("an access token, whatever the drift")
        .to_string();
    answers.insert("createToken", token);
    let vm = mock.vms()[0].1.clone();
    let prefix = format!("{url}{}", version.path_prefix());
    let get = |path: String| http.get(path).bearer_auth(&bearer);
    let (deletion, delete_path) = match version {
        ApiVersion::V1 => (
            "deleteBackups",
            format!("{prefix}/virtualMachines/{vm}/deleteBackups"),
        ),
        ApiVersion::V8_1 => (
            "deleteVirtualMachineBackups",
            format!("{prefix}/protectedItem/virtualMachines/{vm}/deleteBackups"),
        ),
    };
    answers.insert(
        deletion,
        read(http.post(delete_path).bearer_auth(&bearer)).await,
    );
    let page = read(get(format!("{prefix}/jobSessions"))).await;
    let id = page.body["results"][0]["id"]
        .as_str()
        .expect("the page's session has its id")
        .to_string();
    answers.insert("listJobSessions", page);
    answers.insert(
        "getJobSession",
        read(get(format!("{prefix}/jobSessions/{id}"))).await,
    );
    answers.insert(
        "getJobSessionLog",
        read(get(format!("{prefix}/jobSessions/{id}/log"))).await,
    );
    if version == ApiVersion::V8_1 {
        answers.insert(
            "getSystemInfo",
            read(get(format!("{prefix}/system/about"))).await,
        );
        answers.insert(
            "listProtectedVirtualMachines",
            read(get(format!("{prefix}/protectedItem/virtualMachines"))).await,
        );
        answers.insert(
            "getProtectedVirtualMachine",
            read(get(format!("{prefix}/protectedItem/virtualMachines/{vm}"))).await,
        );
    }
    answers
}

/// The status each operation of the flow documents for its answer here.
fn documented_status(operation: &str) -> u16 {
    match operation {
        "deleteVirtualMachineBackups" => 202,
        _ => 200,
    }
}

#[tokio::test]
async fn each_kind_is_sent_as_drifted_and_recorded() {
    for version in ApiVersion::ALL {
        for drift in Drift::ALL {
            let context = format!("--drift {drift} on v{version}");
            let mock = mock(version, &[drift]).await;
            let answers = flow(&mock, version).await;
            let rows = departures(drift, version);
            for (operation, pointer, expect) in &rows {
                let answer = &answers[operation];
                let value = answer.body.pointer(pointer);
                let seen = match expect {
                    Expect::Added => value == Some(&Value::Bool(true)),
                    Expect::Null => value == Some(&Value::Null),
                    Expect::Unlisted => value.and_then(Value::as_str) == Some(Drift::ENUM_VALUE),
                    Expect::Text => value.is_some_and(Value::is_string),
                    Expect::Number => value.is_some_and(Value::is_number),
                    Expect::Status => {
                        answer.status == Drift::STATUS
                            && answer.body.as_object().is_some_and(|o| !o.is_empty())
                    }
                };
                assert!(
                    seen,
                    "{context}: {operation} {pointer} {expect:?}: got {answer:?}"
                );
            }
            for (operation, answer) in &answers {
                if drift != Drift::UndocumentedStatus {
                    assert_eq!(
                        answer.status,
                        documented_status(operation),
                        "{context}: {operation} keeps its status: {answer:?}"
                    );
                }
                let added = answer.body.get(Drift::FIELD).is_some();
                assert_eq!(
                    added,
                    drift == Drift::UndocumentedField,
                    "{context}: {operation}"
                );
            }
            if drift == Drift::UndocumentedField && version == ApiVersion::V8_1 {
                // Every item of a page, not only the first.
                let vms = &answers["listProtectedVirtualMachines"];
                let items = vms.body["results"].as_array().expect("VMs");
                assert!(items.len() > 1, "{vms:?}");
                assert!(items.iter().all(|vm| vm[Drift::FIELD] == true), "{vms:?}");
            }

            // One record per drifted answer, naming its kind and where; none unexpected.
            let violations = mock.violations();
            let drifted: std::collections::BTreeSet<&str> =
                rows.iter().map(|(op, _, _)| *op).collect();
            assert_eq!(
                violations.len(),
                drifted.len(),
                "{context}: {violations:#?}"
            );
            for (operation, pointer, _) in &rows {
                let shown = if pointer.is_empty() {
                    format!("no {} answer", Drift::STATUS)
                } else {
                    format!("{pointer}:")
                };
                assert!(
                    violations
                        .iter()
                        .any(|v| v.starts_with(&format!("{operation} "))
                            && v.contains(&format!("--drift {drift}"))
                            && v.contains(&shown)),
                    "{context}: {operation} {pointer} not in {violations:#?}"
                );
            }
            assert_eq!(
                mock.unexpected_violations(),
                Vec::<String>::new(),
                "{context}"
            );
        }
    }
}

#[tokio::test]
async fn without_drift_nothing_departs_and_nothing_is_recorded() {
    for version in ApiVersion::ALL {
        let mock = mock(version, &[]).await;
        assert!(mock.config().drift.is_empty());
        let answers = flow(&mock, version).await;
        for (operation, answer) in &answers {
            assert_eq!(answer.status, documented_status(operation), "{answer:?}");
            assert!(
                !answer.body.to_string().contains(Drift::FIELD),
                "{operation}: {answer:?}"
            );
            assert_ne!(answer.body["status"], Drift::ENUM_VALUE, "{operation}");
        }
        assert_eq!(answers.len(), operations(version).len());
        assert_eq!(mock.violations(), Vec::<String>::new(), "v{version}");
    }
}

#[tokio::test]
async fn kinds_combine_and_can_change_while_the_mock_runs() {
    let mock = mock(ApiVersion::V1, &[Drift::Null, Drift::UndocumentedStatus]).await;
    let answers = flow(&mock, ApiVersion::V1).await;
    let session = &answers["getJobSession"];
    assert_eq!(session.status, Drift::STATUS);
    assert_eq!(session.body["id"], Value::Null, "{session:?}");
    let record = mock
        .violations()
        .into_iter()
        .find(|v| v.starts_with("getJobSession "))
        .expect("recorded");
    assert!(
        record.contains("--drift null, undocumented-status"),
        "{record}"
    );

    mock.configure(|c| c.drift.clear());
    let before = mock.violations().len();
    let answers = flow(&mock, ApiVersion::V1).await;
    assert_eq!(answers["getJobSession"].status, 200);
    assert_eq!(mock.violations().len(), before, "no drift, no record");
}

/// A drifted answer that also breaks the document elsewhere is the mock's own mistake: a 500,
/// as without drift, and an unexpected violation.
#[tokio::test]
async fn a_drifted_answer_broken_elsewhere_is_still_replaced_by_a_500() {
    let usn = "        usn:\n          type: integer\n";
    assert_eq!(SPEC.matches(usn).count(), 1);
    let spec = SPEC.replacen(usn, "        usn:\n          type: string\n", 1);
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .spec_text(spec)
        .drift(Drift::UndocumentedField)
        .start()
        .await
        .expect("starts");
    let token = crate::support::access_token(mock.url()).await;
    let answer = read(
        crate::support::http()
            .post(format!(
                "{}/api/v1/virtualMachines/vm-1/deleteBackups",
                mock.url()
            ))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(answer.status, 500, "{answer:?}");
    assert!(answer.body.get(Drift::FIELD).is_none(), "{answer:?}");
    let unexpected = mock.unexpected_violations();
    assert_eq!(unexpected.len(), 1, "{unexpected:#?}");
    assert!(
        unexpected[0].starts_with("deleteBackups 200") && unexpected[0].contains("/usn"),
        "{unexpected:#?}"
    );
    // The token answer drifted alone, and was sent.
    assert!(mock
        .violations()
        .iter()
        .any(|v| v.starts_with("createToken 200") && v.contains("--drift undocumented-field")));
}

/// A drift the document allows departs from nothing: the mock is out of step with its
/// document, which is its own mistake (a 500), not a drift.
#[tokio::test]
async fn a_drift_the_document_allows_is_an_unexpected_violation() {
    let limit = "        limit:\n          type: integer\n          format: int32\n          description: The page size asked for.\n";
    assert_eq!(SPEC.matches(limit).count(), 1);
    let spec = SPEC.replacen(
        limit,
        &limit.replace(
            "format: int32\n",
            "format: int32\n          nullable: true\n",
        ),
        1,
    );
    let mock = MockAppliance::builder()
        .api_versions([ApiVersion::V1])
        .spec_text(spec)
        .drift(Drift::Null)
        .start()
        .await
        .expect("starts");
    let token = crate::support::access_token(mock.url()).await;
    let answer = read(
        crate::support::http()
            .get(format!("{}/api/v1/jobSessions", mock.url()))
            .bearer_auth(&token),
    )
    .await;
    assert_eq!(answer.status, 500, "{answer:?}");
    let unexpected = mock.unexpected_violations();
    assert_eq!(unexpected.len(), 1, "{unexpected:#?}");
    assert!(
        unexpected[0].contains("--drift null changed /limit without departing from the spec"),
        "{unexpected:#?}"
    );
}

#[test]
fn the_binary_lists_the_kinds_and_refuses_others() {
    let help = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .arg("--help")
        .output()
        .expect("runs");
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(text.contains("--drift <KIND>"), "{text}");
    for drift in Drift::ALL {
        assert!(text.contains(drift.as_str()), "{drift} not in {text}");
    }

    let refused = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args(["--drift", "nul"])
        .stdout(Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(refused.status.code(), Some(2), "a usage error");
    let text = String::from_utf8_lossy(&refused.stderr);
    assert!(text.contains("undocumented-status"), "{text}");
}

/// The binary drifts its answers, and exits 0 at SIGTERM: departures asked for are no
/// failure of the mock.
#[tokio::test]
async fn the_binary_drifts_and_a_drift_is_no_failure() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_vbazure-mock"))
        .args(["--listen", "127.0.0.1:0", "--drift", "wrong-type"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut url = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut url)
        .expect("the base URL first");
    // No assertion before the child is stopped, so that a failing test leaves no server.
    let token = match crate::support::http()
        .post(format!("{}/api/oauth2/token", url.trim()))
        .form(&[
            ("grant_type", "Password"),
            ("Username", vbazure_mock::DEFAULT_USERNAME),
            ("Password", vbazure_mock::DEFAULT_PASSWORD),
        ])
        .send()
        .await
    {
        Ok(answer) => answer.json::<Value>().await.unwrap_or_default(),
        Err(_) => Value::Null,
    };
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let exited = child.wait().expect("exits");
    assert_eq!(token["expires_in"], "3600", "{token}");
    assert!(killed.is_ok_and(|k| k.success()));
    assert!(exited.success(), "{exited:?}");
}
