//! Contract tests of API v8.1 through the raw generated client (`vbazure::v8_1::Client`):
//! every operation of `openapi-v8.1.yaml` sends the documented request (method, path, query
//! names in their documented casing, array filters as repeated keys, the JSON and form bodies)
//! and decodes every documented answer, taken from the document's own examples: 200s, the 204s,
//! and `send_answer()` telling 202 from 204 and 200 from 202.
//!
//! The table below lists each operation once, with its cases; each case is a test of its own.
//! A case (in the module of its operation's tag) writes only what the document cannot say: the
//! builder it calls with which values, what the request must carry, which documented answer it
//! gets, and what the decoded value must be. [`driver`] takes the rest from the document, and
//! serves each case from a `MockServer` of its own whose every mock is expected exactly once.

use std::collections::BTreeSet;

use futures_util::TryStreamExt;
use vbazure::v8_1::types::ProblemDetails;
use vbazure::v8_1::{ByteStream, Error};

/// The value `send_answer()`'s answer holds in `$variant`, once its status is `$status`: the
/// generated client tells a 200 from a 202 (and a 202 from a 204) by the status alone.
macro_rules! answered_as {
    ($answer:expr, $status:literal, $variant:path) => {{
        let answer = $answer;
        assert_eq!(answer.status().as_u16(), $status);
        let $variant(value) = answer.into_inner() else {
            panic!("a {} is `{}`", $status, stringify!($variant));
        };
        value
    }};
}

/// Checks that `send_answer()`'s answer is the bodiless `$variant`, of status `$status`.
macro_rules! answered_empty {
    ($answer:expr, $status:literal, $variant:path) => {{
        let answer = $answer;
        assert_eq!(answer.status().as_u16(), $status);
        assert_eq!(answer.into_inner(), $variant);
    }};
}

mod async_operations;
mod authorization;
mod backups;
mod driver;
mod job_sessions;
mod protected_items;
mod removals;
mod restore_points;
mod system;
mod virtual_machines;

/// Expands the table: [`COVERED`], the operations it lists, and a `#[tokio::test]` for each
/// case, named as the case's function (in the module of its tag), which it runs for its
/// operation.
macro_rules! cases {
    ($($module:ident { $($operation:literal => [$($case:ident),+ $(,)?]),+ $(,)? })+) => {
        /// Every operation the table has cases for, in the table's order.
        const COVERED: &[&str] = &[$($($operation),+),+];

        $($($(
            #[tokio::test]
            async fn $case() {
                $module::$case($operation).await;
            }
        )+)+)+
    };
}

cases! {
    authorization {
        "createToken" => [
            create_token_sends_the_documented_form_in_lower_case_and_decodes_the_tokens,
            create_token_with_mfa_takes_two_requests_each_as_documented,
            create_token_with_a_refresh_token_sends_the_documented_form,
        ],
        "revokeToken" => [revoke_token_is_a_bodiless_delete_answered_204],
    }
    system {
        "getSystemInfo" => [get_system_info_decodes_the_documented_versions],
    }
    virtual_machines {
        "listProtectedVirtualMachines" => [
            list_protected_virtual_machines_sends_every_documented_query_name,
            list_protected_virtual_machines_without_filters_sends_no_query,
            list_protected_virtual_machines_tells_a_202_operation_from_the_page,
        ],
        "getProtectedVirtualMachine" => [get_protected_virtual_machine_tells_200_from_202],
    }
    backups {
        "deleteVirtualMachinesBackups" => [
            delete_virtual_machines_backups_sends_the_documented_batch_body,
            delete_virtual_machines_backups_without_a_tier_sends_only_the_ids_and_tells_204,
            delete_virtual_machines_backups_decodes_the_documented_400,
        ],
        "deleteVirtualMachineBackups" => [
            delete_virtual_machine_backups_is_a_bodiless_post_with_the_tier_and_tells_202,
            delete_virtual_machine_backups_without_a_tier_sends_no_query_and_tells_204,
            delete_virtual_machine_backups_refuses_an_undocumented_success_status,
            delete_virtual_machine_backups_decodes_the_documented_409,
        ],
    }
    job_sessions {
        "listJobSessions" => [
            list_job_sessions_sends_every_documented_filter_with_arrays_as_repeated_keys,
            list_job_sessions_with_one_array_value_sends_the_key_once,
            list_job_sessions_without_filters_sends_no_query,
        ],
        "getJobSession" => [
            get_job_session_decodes_both_documented_sessions,
            get_job_session_decodes_the_documented_404,
        ],
        "getJobSessionLog" => [get_job_session_log_sends_instance_id_and_decodes_the_log],
        "stopJobSession" => [stop_job_session_is_a_bodiless_post_answered_204],
        "listJobSessionDeletedItems" => [
            list_job_session_deleted_items_sends_the_documented_query_names,
        ],
    }
    removals {
        "deleteVirtualMachinesSnapshots" => [
            delete_virtual_machines_snapshots_sends_the_documented_batch_and_tells_202_from_204,
        ],
        "deleteVirtualMachinesManualSnapshots" => [
            delete_virtual_machines_manual_snapshots_sends_the_documented_batch_and_tells_202_from_204,
        ],
        "deleteVirtualMachineSnapshots" => [
            delete_virtual_machine_snapshots_is_a_bodiless_post_that_tells_202_from_204,
        ],
        "deleteVirtualMachineManualSnapshots" => [
            delete_virtual_machine_manual_snapshots_is_a_bodiless_post_that_tells_202_from_204,
        ],
        "deleteDatabaseBackups" => [delete_database_backups_sends_the_tier_and_tells_202_from_204],
        "deleteDatabaseManualBackups" => [
            delete_database_manual_backups_is_a_bodiless_post_that_tells_202_from_204,
        ],
        "deleteCosmosDbAccountBackups" => [
            delete_cosmos_db_account_backups_sends_the_tier_and_tells_202_from_204,
        ],
        "deleteCosmosDbAccountManualBackups" => [
            delete_cosmos_db_account_manual_backups_is_a_bodiless_post_that_tells_202_from_204,
        ],
        "deleteCosmosDbAccountContinuousBackups" => [
            delete_cosmos_db_account_continuous_backups_is_a_bodiless_post_that_tells_202_from_204,
        ],
        "deleteFileSharesSnapshots" => [
            delete_file_shares_snapshots_sends_the_documented_batch_and_tells_202_from_204,
        ],
        "deleteFileSharesManualSnapshots" => [
            delete_file_shares_manual_snapshots_sends_the_documented_batch_and_tells_202_from_204,
        ],
    }
    protected_items {
        "listProtectedDatabases" => [
            list_protected_databases_sends_every_documented_query_name_and_tells_202,
        ],
        "getProtectedDatabase" => [get_protected_database_reads_the_documented_database_and_404],
        "listProtectedCosmosDbAccounts" => [
            list_protected_cosmos_db_accounts_sends_every_documented_query_name_and_tells_202,
        ],
        "getProtectedCosmosDbAccount" => [
            get_protected_cosmos_db_account_tells_200_from_202_and_reads_the_404,
        ],
        "listProtectedFileShares" => [
            list_protected_file_shares_sends_every_documented_query_name_and_tells_202,
        ],
        "getProtectedFileShare" => [get_protected_file_share_reads_the_documented_share_and_404],
    }
    restore_points {
        "listVirtualMachineRestorePoints" => [
            list_virtual_machine_restore_points_sends_every_documented_query_name,
        ],
        "getVirtualMachineRestorePoint" => [
            get_virtual_machine_restore_point_decodes_the_point_and_the_404,
        ],
        "deleteVirtualMachineRestorePoint" => [
            delete_virtual_machine_restore_point_tells_the_session_from_423_and_404,
        ],
        "listSqlRestorePoints" => [list_sql_restore_points_sends_every_documented_query_name],
        "getSqlRestorePoint" => [get_sql_restore_point_decodes_the_point_and_the_404],
        "deleteSqlRestorePoint" => [delete_sql_restore_point_tells_the_session_from_423_and_404],
        "listFileShareRestorePoints" => [
            list_file_share_restore_points_sends_every_documented_query_name,
        ],
        "getFileShareRestorePoint" => [get_file_share_restore_point_decodes_the_point_and_the_404],
        "deleteFileShareRestorePoint" => [
            delete_file_share_restore_point_tells_the_session_from_423_and_404,
        ],
        "listCosmosDbRestorePoints" => [
            list_cosmos_db_restore_points_sends_every_documented_query_name,
        ],
        "getCosmosDbRestorePoint" => [get_cosmos_db_restore_point_decodes_the_point_and_the_404],
        "deleteCosmosDbRestorePoint" => [
            delete_cosmos_db_restore_point_tells_the_session_from_423_and_404,
        ],
    }
    async_operations {
        "getAsyncOperation" => [get_async_operation_decodes_the_operation_and_its_result],
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
    assert_eq!(covered.len(), COVERED.len(), "listed twice: {COVERED:?}");
    assert_eq!(documented, covered);
}

/// A string example (a parameter's), such as a documented id.
fn example_str(name: &str) -> String {
    crate::support::example_v8_1(name)
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string"))
        .to_string()
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

/// The problem details of an error answer: its status and body, decoded.
async fn problem_of<T: std::fmt::Debug>(
    result: Result<T, Error<ByteStream>>,
) -> (u16, ProblemDetails) {
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
