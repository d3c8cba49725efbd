//! Contract tests of API v8.1 through the raw generated client (`vbazure::v8_1::Client`):
//! every operation of `openapi-v8.1.yaml` sends the documented request (method, path, query
//! names in their documented casing, array filters as repeated keys, the JSON and form bodies)
//! and decodes every documented answer, taken from the document's own examples: 200s, the 204s,
//! and `send_answer()` telling 202 from 204 and 200 from 202.
//!
//! One `MockServer` per test; `.expect(n)` on every mock proves how many requests were made.
//! `ClientState::default()` sends no token: bearer and login behaviour are tested elsewhere.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use vbazure::v8_1::types::{
    self, BackupTier, DeleteBackupsRequest, DeleteVirtualMachineBackupsAnswer,
    DeleteVirtualMachinesBackupsAnswer, GetProtectedVirtualMachineAnswer,
    ListProtectedVirtualMachinesAnswer, SessionTypeFilter,
};
use vbazure::v8_1::{ByteStream, Client, Error, ResponseValue};
use vbazure::{SessionStatus, Timestamp};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Every operation this file has a contract test for (checked against the document).
const COVERED: &[&str] = &[
    "createToken",
    "revokeToken",
    "getSystemInfo",
    "listProtectedVirtualMachines",
    "deleteVirtualMachinesBackups",
    "getProtectedVirtualMachine",
    "deleteVirtualMachineBackups",
    "listJobSessions",
    "getJobSession",
    "getJobSessionLog",
    "stopJobSession",
    "getAsyncOperation",
];

/// The raw v8.1 client for `server`, with no credentials.
fn client(server: &MockServer) -> Client {
    // `reqwest::Client::new()` needs the crypto provider this crate installs.
    vbazure::ensure_crypto_provider();
    Client::new_with_client(
        &server.uri(),
        reqwest::Client::new(),
        vbazure::ClientState::default(),
    )
}

/// The example `name` of `openapi-v8.1.yaml`.
fn example(name: &str) -> Value {
    crate::support::example_v8_1(name)
}

/// A string example (a parameter's), such as a documented id.
fn example_str(name: &str) -> String {
    example(name)
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string"))
        .to_string()
}

/// The example `name` decoded into `T`, to compare what the client decoded with.
fn typed<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(example(name)).unwrap_or_else(|e| panic!("{name} does not decode: {e}"))
}

/// The documented VM id, session id and operation id.
fn vm_id() -> String {
    example_str("components.parameters.VirtualMachineId.param-id")
}

fn session_id() -> String {
    example_str("components.parameters.SessionId.param-sessionId")
}

fn operation_id() -> String {
    example_str("getAsyncOperation.param-operationId")
}

/// The query of `request` as (name, value) pairs, decoded and sorted; repeated keys stay
/// repeated.
fn query_pairs(request: &Request) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    pairs.sort();
    pairs
}

/// A matcher: the query is exactly these pairs (in any order), and nothing else.
fn query_is(expected: &[(&str, &str)]) -> impl Fn(&Request) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected.sort();
    move |request: &Request| query_pairs(request) == expected
}

fn no_query(request: &Request) -> bool {
    request.url.query().is_none()
}

fn has_no_body(request: &Request) -> bool {
    request.body.is_empty()
}

fn sends_no_token(request: &Request) -> bool {
    !request.headers.contains_key("authorization")
}

/// The form fields of a token request, sorted.
fn form(request: &Request) -> Vec<(String, String)> {
    crate::support::form_fields(request)
}

/// A documented JSON answer.
fn answer(status: u16, example_name: &str) -> ResponseTemplate {
    crate::support::json(status, &example(example_name))
}

/// A documented problem-details answer.
fn problem(status: u16, example_name: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(
        example(example_name).to_string(),
        "application/problem+json",
    )
}

/// The problem details of an error answer: its status and body, decoded.
async fn problem_of<T: std::fmt::Debug>(
    result: Result<T, Error<ByteStream>>,
) -> (u16, types::ProblemDetails) {
    match result {
        Err(Error::ErrorResponse(response)) => {
            let status = response.status().as_u16();
            let body: Vec<bytes::Bytes> = response
                .into_inner()
                .into_inner()
                .try_collect()
                .await
                .expect("the body is read");
            let problem = serde_json::from_slice(&body.concat())
                .unwrap_or_else(|e| panic!("the problem details do not decode: {e}"));
            (status, problem)
        }
        other => panic!("expected an error answer, got {other:?}"),
    }
}

#[test]
fn every_operation_of_the_document_has_a_contract_test() {
    let documented: BTreeSet<String> = crate::support::spec_v8_1()
        .operations()
        .iter()
        .filter_map(|o| o.operation_id.clone())
        .collect();
    let covered: BTreeSet<String> = COVERED.iter().map(|s| s.to_string()).collect();
    assert_eq!(documented, covered);
}

// --- Authorization -----------------------------------------------------------------------

#[tokio::test]
async fn create_token_sends_the_documented_form_in_lower_case_and_decodes_the_tokens() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(sends_no_token)
        .and(no_query)
        .and(|r: &Request| {
            // The schema's own field names, lower case (v1 documented `Username`/`Password`).
            form(r)
                == [
                    ("grant_type".to_string(), "Password".to_string()),
                    ("password".to_string(), "example-Passw0rd".to_string()),
                    ("username".to_string(), "administrator".to_string()),
                ]
        })
        .respond_with(answer(200, "createToken.200.issued"))
        .named("createToken, password grant")
        .expect(1)
        .mount(&server)
        .await;

    let request: types::TokenRequest = typed("createToken.request.password");
    let token = client(&server)
        .create_token()
        .body(request)
        .send()
        .await
        .expect("decodes the tokens");
    assert_eq!(token.status().as_u16(), 200);
    let token = token.into_inner();
    assert_eq!(token, typed::<types::Token>("createToken.200.issued"));
    assert_eq!(
        token.access_token.as_ref().map(|s| s.expose_secret()),
        Some("example-access-token-7c1e4a")
    );
    assert_eq!(token.expires_in, Some(3600));
    assert_eq!(token.mfa_enabled, Some(false));
    assert_eq!(token.mfa_token, None);
}

#[tokio::test]
async fn create_token_with_mfa_takes_two_requests_each_as_documented() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(|r: &Request| form(r).contains(&("grant_type".to_string(), "Password".to_string())))
        .respond_with(answer(200, "createToken.200.secondFactor"))
        .named("createToken, password grant of an MFA account")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(sends_no_token)
        .and(|r: &Request| {
            form(r)
                == [
                    ("grant_type".to_string(), "Mfa".to_string()),
                    ("mfa_code".to_string(), "123456".to_string()),
                    (
                        "mfa_token".to_string(),
                        "example-mfa-token-1b7e".to_string(),
                    ),
                ]
        })
        .respond_with(answer(200, "createToken.200.issued"))
        .named("createToken, Mfa grant")
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let first = client
        .create_token()
        .body(typed::<types::TokenRequest>("createToken.request.password"))
        .send()
        .await
        .expect("decodes the second-factor answer")
        .into_inner();
    assert_eq!(first, typed::<types::Token>("createToken.200.secondFactor"));
    assert_eq!(first.mfa_enabled, Some(true));
    assert_eq!(first.access_token, None);
    let mfa_token = first.mfa_token.expect("an MFA token");

    // The second request is the document's `mfa` example, with the token of the first answer.
    let mut second: types::TokenRequest = typed("createToken.request.mfa");
    assert_eq!(second.mfa_token.as_ref(), Some(&mfa_token));
    second.mfa_token = Some(mfa_token);
    let tokens = client
        .create_token()
        .body(second)
        .send()
        .await
        .expect("decodes the tokens")
        .into_inner();
    assert!(tokens.access_token.is_some());
}

#[tokio::test]
async fn create_token_with_a_refresh_token_sends_the_documented_form() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/oauth2/token"))
        .and(|r: &Request| {
            form(r)
                == [
                    ("grant_type".to_string(), "Refresh_token".to_string()),
                    (
                        "refresh_token".to_string(),
                        "example-refresh-token-5f2c9d".to_string(),
                    ),
                ]
        })
        .respond_with(answer(200, "createToken.200.issued"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .create_token()
        .body(typed::<types::TokenRequest>("createToken.request.refresh"))
        .send()
        .await
        .expect("decodes the tokens");
}

#[tokio::test]
async fn revoke_token_is_a_bodiless_delete_answered_204() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/api/oauth2/token"))
        .and(no_query)
        .and(has_no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .revoke_token()
        .send()
        .await
        .expect("204 is the documented answer");
    assert_eq!(answer.status().as_u16(), 204);
}

// --- System ------------------------------------------------------------------------------

#[tokio::test]
async fn get_system_info_decodes_the_documented_versions() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/system/about"))
        .and(no_query)
        .and(header("accept", "application/json"))
        .respond_with(answer(200, "getSystemInfo.200"))
        .expect(1)
        .mount(&server)
        .await;
    let info = client(&server)
        .get_system_info()
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(info, typed::<types::SystemInfo>("getSystemInfo.200"));
    assert_eq!(info.server_version.as_deref(), Some("8.0.1.202"));
    assert_eq!(info.copyright, None);
}

// --- Protected items ---------------------------------------------------------------------

#[tokio::test]
async fn list_protected_virtual_machines_sends_every_documented_query_name() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_is(&[
            ("Offset", "0"),
            ("Limit", "2"),
            ("SearchPattern", "web 01&x"),
            ("Sync", "false"),
            ("FlrSession", "true"),
            // An array: the key once per value (form, explode: OpenAPI's default).
            ("DataRetrievalStatuses", "Retrieved"),
            ("DataRetrievalStatuses", "Retrieving"),
        ]))
        .respond_with(answer(200, "listProtectedVirtualMachines.200"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .list_protected_virtual_machines()
        .offset(0)
        .limit(2)
        .search_pattern("web 01&x")
        .sync(false)
        .flr_session(true)
        .data_retrieval_statuses(vec![
            types::DataRetrievalStatus::Retrieved,
            types::DataRetrievalStatus::Retrieving,
        ])
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 200);
    let ListProtectedVirtualMachinesAnswer::Ok(page) = answer.into_inner() else {
        panic!("a 200 is `Ok`");
    };
    assert_eq!(
        page,
        typed::<types::ProtectedVirtualMachinePage>("listProtectedVirtualMachines.200")
    );
    let machines: Vec<&types::ProtectedVirtualMachine> = page
        .results
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|item| item.decoded().expect("every documented machine decodes"))
        .collect();
    assert_eq!(machines.len(), 2);
    assert_eq!(machines[0].id.as_deref(), Some(vm_id().as_str()));
    assert_eq!(machines[1].name.as_deref(), Some("db-01"));
}

#[tokio::test]
async fn list_protected_virtual_machines_without_filters_sends_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(no_query)
        .respond_with(answer(200, "listProtectedVirtualMachines.200"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_protected_virtual_machines()
        .send_answer()
        .await
        .expect("decodes");
}

#[tokio::test]
async fn list_protected_virtual_machines_tells_a_202_operation_from_the_page() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/protectedItem/virtualMachines"))
        .and(query_is(&[("Sync", "true")]))
        .respond_with(answer(202, "listProtectedVirtualMachines.202"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .list_protected_virtual_machines()
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 202);
    let ListProtectedVirtualMachinesAnswer::Accepted(operation) = answer.into_inner() else {
        panic!("a 202 is `Accepted`");
    };
    assert_eq!(
        operation,
        typed::<types::AsyncOperation>("listProtectedVirtualMachines.202")
    );
    assert_eq!(
        operation.id.map(|id| id.to_string()),
        Some(operation_id()),
        "the operation to follow"
    );
    assert_eq!(operation.status, Some(SessionStatus::Running));
}

#[tokio::test]
async fn delete_virtual_machines_backups_sends_the_documented_batch_body() {
    let request = example("deleteVirtualMachinesBackups.request");
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .and(no_query)
        .and(header("content-type", "application/json"))
        .and(move |r: &Request| {
            // Exactly `{ids, backupTier}`: the server refuses other fields.
            serde_json::from_slice::<Value>(&r.body).ok().as_ref() == Some(&request)
        })
        .respond_with(answer(202, "deleteVirtualMachinesBackups.202"))
        .expect(1)
        .mount(&server)
        .await;
    let body: DeleteBackupsRequest = typed("deleteVirtualMachinesBackups.request");
    assert_eq!(body.backup_tier, Some(BackupTier::NonArchive));
    let answer = client(&server)
        .delete_virtual_machines_backups()
        .body(body)
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 202);
    let DeleteVirtualMachinesBackupsAnswer::Accepted(session) = answer.into_inner() else {
        panic!("a 202 is `Accepted`");
    };
    assert_eq!(
        session,
        typed::<types::JobSession>("deleteVirtualMachinesBackups.202")
    );
    assert_eq!(session.status, SessionStatus::Running);
}

#[tokio::test]
async fn delete_virtual_machines_backups_without_a_tier_sends_only_the_ids_and_tells_204() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .and(|r: &Request| {
            // `backupTier` absent means every tier, as `null` does.
            serde_json::from_slice::<Value>(&r.body).ok()
                == Some(serde_json::json!({"ids": ["a", "b"]}))
        })
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .delete_virtual_machines_backups()
        .body(DeleteBackupsRequest {
            ids: vec!["a".to_string(), "b".to_string()],
            backup_tier: None,
        })
        .send_answer()
        .await
        .expect("204 is a documented answer");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(
        answer.into_inner(),
        DeleteVirtualMachinesBackupsAnswer::NoContent
    );
}

#[tokio::test]
async fn delete_virtual_machines_backups_decodes_the_documented_400() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(
            "/api/v8.1/protectedItem/virtualMachines/deleteBackups",
        ))
        .respond_with(problem(400, "components.responses.ClientError.validation"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .delete_virtual_machines_backups()
        .body(DeleteBackupsRequest {
            ids: vec!["x".to_string(); 1001],
            backup_tier: None,
        })
        .send_answer()
        .await;
    let (status, problem) = problem_of(result).await;
    assert_eq!(status, 400);
    assert_eq!(
        problem,
        typed::<types::ProblemDetails>("components.responses.ClientError.validation")
    );
    let errors = problem.0.and_then(|p| p.errors).expect("a field map");
    assert!(errors.contains_key("ids"), "{errors:?}");
}

#[tokio::test]
async fn get_protected_virtual_machine_tells_200_from_202() {
    let id = vm_id();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{id}"
        )))
        .and(no_query)
        .respond_with(answer(200, "getProtectedVirtualMachine.200"))
        .named("without sync")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{id}"
        )))
        // This operation's parameter is `sync`, lower case, unlike the list's `Sync`.
        .and(query_is(&[("sync", "true")]))
        .respond_with(answer(202, "getProtectedVirtualMachine.202"))
        .named("with sync")
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let answer = client
        .get_protected_virtual_machine()
        .id(id.as_str())
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 200);
    let GetProtectedVirtualMachineAnswer::Ok(machine) = answer.into_inner() else {
        panic!("a 200 is `Ok`");
    };
    assert_eq!(
        machine,
        typed::<types::ProtectedVirtualMachine>("getProtectedVirtualMachine.200")
    );
    assert_eq!(machine.id.as_deref(), Some(id.as_str()));

    let answer = client
        .get_protected_virtual_machine()
        .id(id.as_str())
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 202);
    let GetProtectedVirtualMachineAnswer::Accepted(operation) = answer.into_inner() else {
        panic!("a 202 is `Accepted`");
    };
    assert_eq!(
        operation,
        typed::<types::AsyncOperation>("getProtectedVirtualMachine.202")
    );
}

#[tokio::test]
async fn delete_virtual_machine_backups_is_a_bodiless_post_with_the_tier_and_tells_202() {
    let id = vm_id();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"
        )))
        .and(query_is(&[("BackupTier", "Archive")]))
        .and(header("content-length", "0"))
        .and(has_no_body)
        .respond_with(answer(202, "deleteVirtualMachineBackups.202"))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .delete_virtual_machine_backups()
        .id(id.as_str())
        .backup_tier(BackupTier::Archive)
        .send_answer()
        .await
        .expect("decodes");
    assert_eq!(answer.status().as_u16(), 202);
    let DeleteVirtualMachineBackupsAnswer::Accepted(session) = answer.into_inner() else {
        panic!("a 202 is `Accepted`");
    };
    assert_eq!(
        session,
        typed::<types::JobSession>("deleteVirtualMachineBackups.202")
    );
    // The documented answer carries the nulls of a session just started.
    assert_eq!(session.execution_duration, None);
    assert_eq!(session.localized_type, None);
    assert_eq!(session.id.as_deref(), Some(session_id().as_str()));
}

#[tokio::test]
async fn delete_virtual_machine_backups_without_a_tier_sends_no_query_and_tells_204() {
    let id = vm_id();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!(
            "/api/v8.1/protectedItem/virtualMachines/{id}/deleteBackups"
        )))
        .and(no_query)
        .and(has_no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer = client(&server)
        .delete_virtual_machine_backups()
        .id(id.as_str())
        .send_answer()
        .await
        .expect("204 is a documented answer");
    assert_eq!(answer.status().as_u16(), 204);
    assert_eq!(
        answer.into_inner(),
        DeleteVirtualMachineBackupsAnswer::NoContent
    );
}

#[tokio::test]
async fn delete_virtual_machine_backups_refuses_an_undocumented_success_status() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(answer(200, "deleteVirtualMachineBackups.202"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .delete_virtual_machine_backups()
        .id(vm_id())
        .send_answer()
        .await;
    assert!(
        matches!(result, Err(Error::UnexpectedResponse(ref r)) if r.status().as_u16() == 200),
        "{result:?}"
    );
}

#[tokio::test]
async fn delete_virtual_machine_backups_decodes_the_documented_409() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(problem(409, "components.responses.ClientError.conflict"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .delete_virtual_machine_backups()
        .id(vm_id())
        .send_answer()
        .await;
    let (status, problem) = problem_of(result).await;
    assert_eq!(status, 409);
    let problem = problem.0.expect("a body");
    assert_eq!(problem.resource_id.as_deref(), Some(vm_id().as_str()));
    assert!(problem.session_id.is_some());
}

// --- Job sessions ------------------------------------------------------------------------

#[tokio::test]
async fn list_job_sessions_sends_every_documented_filter_with_arrays_as_repeated_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .and(query_is(&[
            ("Offset", "0"),
            ("Limit", "-1"),
            ("PolicyId", "3a5c7e9b-1d2f-4b60-8a4c-5e7a9c1b3d26"),
            ("Filter", "web servers"),
            ("Status", "Success"),
            ("Status", "Warning"),
            ("Types", "PolicyBackup"),
            ("Types", "PolicySnapshot"),
            // UTC, whole seconds: `YYYY-MM-DDTHH:MM:SSZ`.
            ("FromUtc", "2024-10-01T00:00:00Z"),
            ("ToUtc", "2024-10-04T23:59:59Z"),
            ("ResourceId", "4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64"),
        ]))
        .respond_with(answer(200, "listJobSessions.200"))
        .expect(1)
        .mount(&server)
        .await;
    let from: Timestamp = "2024-10-01T00:00:00Z".parse().expect("a time");
    let to: Timestamp = "2024-10-04T23:59:59Z".parse().expect("a time");
    let page = client(&server)
        .list_job_sessions()
        .offset(0)
        .limit(-1)
        .policy_id("3a5c7e9b-1d2f-4b60-8a4c-5e7a9c1b3d26")
        .filter("web servers")
        .status(vec![SessionStatus::Success, SessionStatus::Warning])
        .types(vec![
            SessionTypeFilter::PolicyBackup,
            SessionTypeFilter::PolicySnapshot,
        ])
        .from_utc(from)
        .to_utc(to)
        .resource_id("4c7b1e2a-9d3f-4a6b-8e51-2f0c7d9a3b64")
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(page, typed::<types::JobSessionPage>("listJobSessions.200"));
    let sessions: Vec<&types::JobSession> = page
        .results
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|item| item.decoded().expect("every documented session decodes"))
        .collect();
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[1].status, SessionStatus::Warning);
    assert_eq!(page.total_count, Some(57));
}

#[tokio::test]
async fn list_job_sessions_with_one_array_value_sends_the_key_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .and(query_is(&[
            ("Types", "BackupDeletion"),
            ("Status", "Running"),
        ]))
        .respond_with(answer(200, "listJobSessions.200"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_job_sessions()
        .types(vec![SessionTypeFilter::BackupDeletion])
        .status(vec![SessionStatus::Running])
        .send()
        .await
        .expect("decodes");
}

#[tokio::test]
async fn list_job_sessions_without_filters_sends_no_query() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v8.1/jobSessions"))
        .and(no_query)
        .respond_with(answer(200, "listJobSessions.200"))
        .expect(1)
        .mount(&server)
        .await;
    client(&server)
        .list_job_sessions()
        .send()
        .await
        .expect("decodes");
}

#[tokio::test]
async fn get_job_session_decodes_both_documented_sessions() {
    let id = session_id();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{id}")))
        .and(no_query)
        .respond_with(answer(200, "getJobSession.200.running"))
        .named("running")
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{id}")))
        .and(query_is(&[("instanceId", "vm-7")]))
        .respond_with(answer(200, "getJobSession.200.finished"))
        .named("finished, for one instance")
        .expect(1)
        .mount(&server)
        .await;

    let client = client(&server);
    let running = client
        .get_job_session()
        .session_id(id.as_str())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(
        running,
        typed::<types::JobSession>("getJobSession.200.running")
    );
    assert_eq!(running.status, SessionStatus::Running);
    assert_eq!(running.links, None);

    let finished = client
        .get_job_session()
        .session_id(id.as_str())
        .instance_id("vm-7")
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(
        finished,
        typed::<types::JobSession>("getJobSession.200.finished")
    );
    let restore = finished
        .file_level_restore_job_info
        .and_then(|info| info.0)
        .expect("the restore's details");
    assert_eq!(restore.vm_name.as_deref(), Some("web-01"));
}

#[tokio::test]
async fn get_job_session_decodes_the_documented_404() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(
            "/api/v8.1/jobSessions/9f0e1d2c-3b4a-4596-8877-665544332211",
        ))
        .respond_with(problem(404, "components.responses.ClientError.notFound"))
        .expect(1)
        .mount(&server)
        .await;
    let result = client(&server)
        .get_job_session()
        .session_id("9f0e1d2c-3b4a-4596-8877-665544332211")
        .send()
        .await;
    let (status, problem) = problem_of(result).await;
    assert_eq!(status, 404);
    assert_eq!(
        problem,
        typed::<types::ProblemDetails>("components.responses.ClientError.notFound")
    );
}

#[tokio::test]
async fn get_job_session_log_sends_instance_id_and_decodes_the_log() {
    let id = session_id();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/jobSessions/{id}/log")))
        .and(query_is(&[("instanceId", vm_id().as_str())]))
        .respond_with(answer(200, "getJobSessionLog.200"))
        .expect(1)
        .mount(&server)
        .await;
    let log = client(&server)
        .get_job_session_log()
        .session_id(id.as_str())
        .instance_id(vm_id())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(log, typed::<types::JobSessionLog>("getJobSessionLog.200"));
    let items = log.log.expect("documented");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].resource_hash_id.as_deref(), Some(vm_id().as_str()));
    assert_eq!(items[1].execution_duration, None);
}

#[tokio::test]
async fn stop_job_session_is_a_bodiless_post_answered_204() {
    let id = session_id();
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(format!("/api/v8.1/jobSessions/{id}/stop")))
        .and(no_query)
        .and(header("content-length", "0"))
        .and(has_no_body)
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let answer: ResponseValue<()> = client(&server)
        .stop_job_session()
        .session_id(id.as_str())
        .send()
        .await
        .expect("204 is the documented answer");
    assert_eq!(answer.status().as_u16(), 204);
}

// --- Operations --------------------------------------------------------------------------

#[tokio::test]
async fn get_async_operation_decodes_the_operation_and_its_result() {
    let id = operation_id();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/api/v8.1/operations/{id}")))
        .and(no_query)
        .respond_with(answer(200, "getAsyncOperation.200"))
        .expect(1)
        .mount(&server)
        .await;
    let operation = client(&server)
        .get_async_operation()
        .operation_id(id.as_str())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(
        operation,
        typed::<types::AsyncOperation>("getAsyncOperation.200")
    );
    assert_eq!(operation.status, Some(SessionStatus::Success));
    // Its result is the answer the listing would have given: a page of machines.
    let result = operation.result.expect("a finished operation's result");
    let page: types::ProtectedVirtualMachinePage =
        serde_json::from_value(Value::Object(result)).expect("the result is a page");
    assert_eq!(page.total_count, Some(0));
}
