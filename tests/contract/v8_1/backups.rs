//! The cases of the Protected Items tag that delete backups: `deleteVirtualMachinesBackups`
//! sends the batch as a JSON body and tells 202 from 204; `deleteVirtualMachineBackups` is a
//! bodiless `POST` with the tier in the query, tells 202 from 204 and refuses a success the
//! document does not give; both decode the documented refusals.

use serde_json::json;
use vbazure::v8_1::types::{
    BackupTier, DeleteBackupsRequest, DeleteVirtualMachineBackupsAnswer,
    DeleteVirtualMachinesBackupsAnswer, JobSession, ProblemDetails,
};
use vbazure::v8_1::Error;
use vbazure::SessionStatus;

use super::driver::{request_example, Contract, Exchange};
use super::{problem_of, session_id, vm_id};

pub(super) async fn delete_virtual_machines_backups_sends_the_documented_batch_body(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(202)
            .no_query()
            .documented_content_type()
            // Exactly `{ids, backupTier}`: the server refuses other fields.
            .json(request_example(operation, None))],
    )
    .await;
    let body: DeleteBackupsRequest = contract.request(None);
    assert_eq!(body.backup_tier, Some(BackupTier::NonArchive));
    let answer = contract
        .client()
        .delete_virtual_machines_backups()
        .body(body)
        .send_answer()
        .await
        .expect("decodes");
    let session = answered_as!(answer, 202, DeleteVirtualMachinesBackupsAnswer::Accepted);
    assert_eq!(session, contract.answer::<JobSession>(0));
    assert_eq!(session.status, SessionStatus::Running);
}

pub(super) async fn delete_virtual_machines_backups_without_a_tier_sends_only_the_ids_and_tells_204(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        // `backupTier` absent means every tier, as `null` does.
        [Exchange::answered(204).json(json!({"ids": ["a", "b"]}))],
    )
    .await;
    let answer = contract
        .client()
        .delete_virtual_machines_backups()
        .body(DeleteBackupsRequest {
            ids: vec!["a".to_string(), "b".to_string()],
            backup_tier: None,
        })
        .send_answer()
        .await
        .expect("204 is a documented answer");
    answered_empty!(answer, 204, DeleteVirtualMachinesBackupsAnswer::NoContent);
}

pub(super) async fn delete_virtual_machines_backups_decodes_the_documented_400(operation: &str) {
    let contract = Contract::serve(operation, [Exchange::answered_with(400, "validation")]).await;
    let result = contract
        .client()
        .delete_virtual_machines_backups()
        .body(DeleteBackupsRequest {
            ids: vec!["x".to_string(); 1001],
            backup_tier: None,
        })
        .send_answer()
        .await;
    let (status, problem) = problem_of(result).await;
    assert_eq!(status, 400);
    assert_eq!(problem, contract.answer::<ProblemDetails>(0));
    let errors = problem.0.and_then(|p| p.errors).expect("a field map");
    assert!(errors.contains_key("ids"), "{errors:?}");
}

pub(super) async fn delete_virtual_machine_backups_is_a_bodiless_post_with_the_tier_and_tells_202(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(202)
            .query(&[("BackupTier", "Archive")])
            .header("content-length", "0")
            .no_body()],
    )
    .await;
    let answer = contract
        .client()
        .delete_virtual_machine_backups()
        .id(vm_id())
        .backup_tier(BackupTier::Archive)
        .send_answer()
        .await
        .expect("decodes");
    let session = answered_as!(answer, 202, DeleteVirtualMachineBackupsAnswer::Accepted);
    assert_eq!(session, contract.answer::<JobSession>(0));
    // The documented answer carries the nulls of a session just started.
    assert_eq!(session.execution_duration, None);
    assert_eq!(session.localized_type, None);
    assert_eq!(session.id.as_deref(), Some(session_id().as_str()));
}

pub(super) async fn delete_virtual_machine_backups_without_a_tier_sends_no_query_and_tells_204(
    operation: &str,
) {
    let contract = Contract::serve(operation, [Exchange::answered(204).no_query().no_body()]).await;
    let answer = contract
        .client()
        .delete_virtual_machine_backups()
        .id(vm_id())
        .send_answer()
        .await
        .expect("204 is a documented answer");
    answered_empty!(answer, 204, DeleteVirtualMachineBackupsAnswer::NoContent);
}

pub(super) async fn delete_virtual_machine_backups_refuses_an_undocumented_success_status(
    operation: &str,
) {
    let contract = Contract::serve(operation, [Exchange::undocumented(200, 202)]).await;
    let result = contract
        .client()
        .delete_virtual_machine_backups()
        .id(vm_id())
        .send_answer()
        .await;
    assert!(
        matches!(result, Err(Error::UnexpectedResponse(ref r)) if r.status().as_u16() == 200),
        "{result:?}"
    );
}

pub(super) async fn delete_virtual_machine_backups_decodes_the_documented_409(operation: &str) {
    let contract = Contract::serve(operation, [Exchange::answered_with(409, "conflict")]).await;
    let result = contract
        .client()
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
