//! The cases of the Job Sessions tag: `listJobSessions` sends every documented filter, arrays
//! as repeated keys; `getJobSession` decodes both documented sessions and the documented 404;
//! `getJobSessionLog` sends `instanceId` and decodes the log; `stopJobSession` is a bodiless
//! `POST` answered 204.

use vbazure::v8_1::types::{
    JobSession, JobSessionLog, JobSessionPage, ProblemDetails, SessionTypeFilter,
};
use vbazure::v8_1::ResponseValue;
use vbazure::{SessionStatus, Timestamp};

use super::driver::{Contract, Exchange};
use super::{problem_of, session_id, vm_id};

/// The session of the document's 404 example, which the appliance does not know.
const UNKNOWN_SESSION: &str = "9f0e1d2c-3b4a-4596-8877-665544332211";

pub(super) async fn list_job_sessions_sends_every_documented_filter_with_arrays_as_repeated_keys(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(200).query(&[
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
        ])],
    )
    .await;
    let from: Timestamp = "2024-10-01T00:00:00Z".parse().expect("a time");
    let to: Timestamp = "2024-10-04T23:59:59Z".parse().expect("a time");
    let page = contract
        .client()
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
    assert_eq!(page, contract.answer::<JobSessionPage>(0));
    let sessions: Vec<&JobSession> = page
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

pub(super) async fn list_job_sessions_with_one_array_value_sends_the_key_once(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(200).query(&[("Types", "BackupDeletion"), ("Status", "Running")])],
    )
    .await;
    contract
        .client()
        .list_job_sessions()
        .types(vec![SessionTypeFilter::BackupDeletion])
        .status(vec![SessionStatus::Running])
        .send()
        .await
        .expect("decodes");
}

pub(super) async fn list_job_sessions_without_filters_sends_no_query(operation: &str) {
    let contract = Contract::serve(operation, [Exchange::answered(200).no_query()]).await;
    contract
        .client()
        .list_job_sessions()
        .send()
        .await
        .expect("decodes");
}

pub(super) async fn get_job_session_decodes_both_documented_sessions(operation: &str) {
    let id = session_id();
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered_with(200, "running")
                .no_query()
                .named("running"),
            Exchange::answered_with(200, "finished")
                .query(&[("instanceId", "vm-7")])
                .named("finished, for one instance"),
        ],
    )
    .await;

    let client = contract.client();
    let running = client
        .get_job_session()
        .session_id(id.as_str())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(running, contract.answer::<JobSession>(0));
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
    assert_eq!(finished, contract.answer::<JobSession>(1));
    let restore = finished
        .file_level_restore_job_info
        .and_then(|info| info.0)
        .expect("the restore's details");
    assert_eq!(restore.vm_name.as_deref(), Some("web-01"));
}

pub(super) async fn get_job_session_decodes_the_documented_404(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered_with(404, "notFound").at("sessionId", UNKNOWN_SESSION)],
    )
    .await;
    let result = contract
        .client()
        .get_job_session()
        .session_id(UNKNOWN_SESSION)
        .send()
        .await;
    let (status, problem) = problem_of(result).await;
    assert_eq!(status, 404);
    assert_eq!(problem, contract.answer::<ProblemDetails>(0));
}

pub(super) async fn get_job_session_log_sends_instance_id_and_decodes_the_log(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(200).query(&[("instanceId", vm_id().as_str())])],
    )
    .await;
    let log = contract
        .client()
        .get_job_session_log()
        .session_id(session_id())
        .instance_id(vm_id())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(log, contract.answer::<JobSessionLog>(0));
    let items = log.log.expect("documented");
    assert_eq!(items.len(), 2);
    assert_eq!(items[1].resource_hash_id.as_deref(), Some(vm_id().as_str()));
    assert_eq!(items[1].execution_duration, None);
}

pub(super) async fn stop_job_session_is_a_bodiless_post_answered_204(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(204)
            .no_query()
            .header("content-length", "0")
            .no_body()],
    )
    .await;
    let answer: ResponseValue<()> = contract
        .client()
        .stop_job_session()
        .session_id(session_id())
        .send()
        .await
        .expect("204 is the documented answer");
    assert_eq!(answer.status().as_u16(), 204);
}

pub(super) async fn list_job_session_deleted_items_sends_the_documented_query_names(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200)
                .query(&[
                    ("NameSearchPattern", "web"),
                    ("Offset", "0"),
                    ("Limit", "100"),
                ])
                .named("with options"),
            Exchange::answered(200).no_query().named("without options"),
        ],
    )
    .await;
    let client = contract.client();
    let page = client
        .list_job_session_deleted_items()
        .session_id(session_id())
        .name_search_pattern("web")
        .offset(0)
        .limit(100)
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(
        page,
        contract.answer::<vbazure::v8_1::types::DeletedRestorePointPage>(0)
    );
    let item = page.results.as_deref().unwrap_or_default()[0]
        .decoded()
        .expect("the documented item decodes")
        .clone();
    let resource = item.resource.and_then(|r| r.0).expect("a resource");
    assert_eq!(resource.id.as_deref(), Some(super::vm_id().as_str()));
    client
        .list_job_session_deleted_items()
        .session_id(session_id())
        .send()
        .await
        .expect("decodes");
}
