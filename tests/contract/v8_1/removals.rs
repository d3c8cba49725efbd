//! The cases of the Protected Items tag that remove snapshots and backups other than VM
//! backups: each single removal is a bodiless `POST` (with the tier in the query where the
//! document takes one) that tells 202 from 204; each batch sends the documented
//! `RemovalBatch` body and tells 202 from 204.
//!
//! Every case serves two requests that differ by what is sent (another id in the path, or
//! another body), so that each is expected exactly once on the one server of the case.

use serde_json::json;
use vbazure::v8_1::types::{self as t, BackupTier, JobSession, RemovalBatch};

use super::driver::{request_example, Contract, Exchange};
use super::{example_str, vm_id};

/// Another item than the documented one: the path of the second request of a case.
const OTHER: &str = "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f";

/// A case of a single removal: the documented id (with `BackupTier=Archive` where the
/// operation takes a tier) answered 202 with the documented session, another id without a
/// query answered 204.
macro_rules! single_removal {
    ($case:ident, $method:ident, $param:literal, $setter:ident, $id:expr, $answer:ident
        $(, tier: $tier:ident)?) => {
        pub(super) async fn $case(operation: &str) {
            #[allow(unused_mut)]
            let mut first = Exchange::answered(202).no_body().named("202");
            $(
                let _ = stringify!($tier);
                first = first.query(&[("BackupTier", "Archive")]);
            )?
            let contract = Contract::serve(
                operation,
                [
                    first,
                    Exchange::answered(204)
                        .at($param, OTHER)
                        .no_query()
                        .no_body()
                        .named("204"),
                ],
            )
            .await;
            let client = contract.client();
            #[allow(unused_mut)]
            let mut request = client.$method().$setter($id);
            $(request = request.$tier(BackupTier::Archive);)?
            let answer = request.send_answer().await.expect("decodes");
            let session = answered_as!(answer, 202, t::$answer::Accepted);
            assert_eq!(session, contract.answer::<JobSession>(0));
            let answer = client
                .$method()
                .$setter(OTHER)
                .send_answer()
                .await
                .expect("204 is a documented answer");
            answered_empty!(answer, 204, t::$answer::NoContent);
        }
    };
}

/// A case of a batch removal: the documented body answered 202 with the documented session,
/// another batch answered 204.
macro_rules! batch_removal {
    ($case:ident, $method:ident, $answer:ident) => {
        pub(super) async fn $case(operation: &str) {
            let contract = Contract::serve(
                operation,
                [
                    Exchange::answered(202)
                        .no_query()
                        .documented_content_type()
                        // Exactly `{ids}`: the server refuses other fields.
                        .json(request_example(operation, None))
                        .named("202"),
                    Exchange::answered(204)
                        .json(json!({"ids": [OTHER]}))
                        .named("204"),
                ],
            )
            .await;
            let body: RemovalBatch = contract.request(None);
            assert!(!body.ids.is_empty(), "the documented batch names items");
            let client = contract.client();
            let answer = client
                .$method()
                .body(body)
                .send_answer()
                .await
                .expect("decodes");
            let session = answered_as!(answer, 202, t::$answer::Accepted);
            assert_eq!(session, contract.answer::<JobSession>(0));
            let answer = client
                .$method()
                .body(RemovalBatch {
                    ids: vec![OTHER.to_string()],
                })
                .send_answer()
                .await
                .expect("204 is a documented answer");
            answered_empty!(answer, 204, t::$answer::NoContent);
        }
    };
}

fn database_id() -> String {
    example_str("components.parameters.DatabaseId.param-databaseId")
}

fn cosmos_db_account_id() -> String {
    example_str("components.parameters.CosmosDbAccountId.param-cosmosDbAccountId")
}

batch_removal!(
    delete_virtual_machines_snapshots_sends_the_documented_batch_and_tells_202_from_204,
    delete_virtual_machines_snapshots,
    DeleteVirtualMachinesSnapshotsAnswer
);
batch_removal!(
    delete_virtual_machines_manual_snapshots_sends_the_documented_batch_and_tells_202_from_204,
    delete_virtual_machines_manual_snapshots,
    DeleteVirtualMachinesManualSnapshotsAnswer
);
batch_removal!(
    delete_file_shares_snapshots_sends_the_documented_batch_and_tells_202_from_204,
    delete_file_shares_snapshots,
    DeleteFileSharesSnapshotsAnswer
);
batch_removal!(
    delete_file_shares_manual_snapshots_sends_the_documented_batch_and_tells_202_from_204,
    delete_file_shares_manual_snapshots,
    DeleteFileSharesManualSnapshotsAnswer
);
single_removal!(
    delete_virtual_machine_snapshots_is_a_bodiless_post_that_tells_202_from_204,
    delete_virtual_machine_snapshots,
    "id",
    id,
    vm_id(),
    DeleteVirtualMachineSnapshotsAnswer
);
single_removal!(
    delete_virtual_machine_manual_snapshots_is_a_bodiless_post_that_tells_202_from_204,
    delete_virtual_machine_manual_snapshots,
    "id",
    id,
    vm_id(),
    DeleteVirtualMachineManualSnapshotsAnswer
);
single_removal!(
    delete_database_backups_sends_the_tier_and_tells_202_from_204,
    delete_database_backups,
    "databaseId",
    database_id,
    database_id(),
    DeleteDatabaseBackupsAnswer,
    tier: backup_tier
);
single_removal!(
    delete_database_manual_backups_is_a_bodiless_post_that_tells_202_from_204,
    delete_database_manual_backups,
    "databaseId",
    database_id,
    database_id(),
    DeleteDatabaseManualBackupsAnswer
);
single_removal!(
    delete_cosmos_db_account_backups_sends_the_tier_and_tells_202_from_204,
    delete_cosmos_db_account_backups,
    "cosmosDbAccountId",
    cosmos_db_account_id,
    cosmos_db_account_id(),
    DeleteCosmosDbAccountBackupsAnswer,
    tier: backup_tier
);
single_removal!(
    delete_cosmos_db_account_manual_backups_is_a_bodiless_post_that_tells_202_from_204,
    delete_cosmos_db_account_manual_backups,
    "cosmosDbAccountId",
    cosmos_db_account_id,
    cosmos_db_account_id(),
    DeleteCosmosDbAccountManualBackupsAnswer
);
single_removal!(
    delete_cosmos_db_account_continuous_backups_is_a_bodiless_post_that_tells_202_from_204,
    delete_cosmos_db_account_continuous_backups,
    "cosmosDbAccountId",
    cosmos_db_account_id,
    cosmos_db_account_id(),
    DeleteCosmosDbAccountContinuousBackupsAnswer
);
