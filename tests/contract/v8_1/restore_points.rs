//! The cases of the Restore Points tag, for each of the four workloads: the list sends every
//! documented query name (arrays as repeated keys) and decodes the documented page, and
//! without options sends no query; the get decodes the documented point and its 404; the
//! `DELETE` decodes the documented 202 session, and the 423 of an immutable point and the 404
//! as problem details.

use vbazure::v8_1::types::{
    CosmosDbBackupDestination, CosmosDbRestorePoint, CosmosDbRestorePointPage,
    FileShareRestorePoint, FileShareRestorePointPage, JobSession, SqlRestorePoint,
    SqlRestorePointPage, VirtualMachineRestorePoint, VirtualMachineRestorePointPage,
};
use vbazure::{StorageAccessTier, Timestamp};

use super::driver::{Contract, Exchange};
use super::{example_str, problem_of};

/// An id the appliance does not know, and one of an immutable point.
const UNKNOWN: &str = "9f0e1d2c-3b4a-4596-8877-665544332211";
const LOCKED: &str = "7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908";

fn restore_point_id() -> String {
    example_str("components.parameters.RestorePointId.param-restorePointId")
}

/// The `PointInTime` sent, and its text in the query.
fn point_in_time() -> (Timestamp, String) {
    let at: Timestamp = "2024-10-01T00:00:00Z".parse().expect("a timestamp");
    (at, at.to_string())
}

/// A list case. `$item` is the query name of the item's id and `$setter` its builder method;
/// `tiers` marks the lists that filter by tier and immutability, `destinations` those that
/// filter by destination too.
macro_rules! list_case {
    ($case:ident, $method:ident, $page:ty, $item:literal, $setter:ident
        $(, tiers: $tiers:ident)? $(, destinations: $destinations:ident)?) => {
        pub(super) async fn $case(operation: &str) {
            let (at, at_text) = point_in_time();
            #[allow(unused_mut)]
            let mut pairs: Vec<(&str, &str)> = vec![
                ($item, "item-1"),
                ("OnlyLatest", "true"),
                ("PointInTime", at_text.as_str()),
                ("Offset", "0"),
                ("Limit", "50"),
            ];
            $(
                let _ = stringify!($tiers);
                pairs.extend([
                    ("StorageAccessTier", "Archive"),
                    ("StorageAccessTier", "Cool"),
                    ("ImmutabilityEnabled", "true"),
                ]);
            )?
            $(
                let _ = stringify!($destinations);
                pairs.extend([
                    ("BackupDestination", "AzureBlob"),
                    ("BackupDestination", "ManualBackup"),
                ]);
            )?
            let contract = Contract::serve(
                operation,
                [
                    Exchange::answered(200).query(&pairs).named("with options"),
                    Exchange::answered(200).no_query().named("without options"),
                ],
            )
            .await;
            let client = contract.client();
            #[allow(unused_mut)]
            let mut request = client
                .$method()
                .$setter("item-1")
                .only_latest(true)
                .point_in_time(at)
                .offset(0)
                .limit(50);
            $(
                request = request
                    .$tiers(vec![StorageAccessTier::Archive, StorageAccessTier::Cool])
                    .immutability_enabled(true);
            )?
            $(
                // Cosmos DB's own list of destinations (the document's
                // `CosmosDbBackupDestination`), which a repository point can have.
                request = request.$destinations(vec![
                    CosmosDbBackupDestination::AzureBlob,
                    CosmosDbBackupDestination::ManualBackup,
                ]);
            )?
            let page = request.send().await.expect("decodes").into_inner();
            assert_eq!(page, contract.answer::<$page>(0));
            let points = page.results.as_deref().unwrap_or_default();
            assert!(!points.is_empty(), "the documented page has points");
            assert!(
                points.iter().all(|p| p.decoded().is_some()),
                "every documented point decodes"
            );
            let page = client.$method().send().await.expect("decodes").into_inner();
            assert_eq!(page, contract.answer::<$page>(1));
        }
    };
}

/// A get case: the documented point, and the 404 of an unknown one.
macro_rules! get_case {
    ($case:ident, $method:ident, $point:ty) => {
        pub(super) async fn $case(operation: &str) {
            let contract = Contract::serve(
                operation,
                [
                    Exchange::answered(200).no_query().named("200"),
                    Exchange::answered_with(404, "notFound")
                        .at("restorePointId", UNKNOWN)
                        .named("404"),
                ],
            )
            .await;
            let client = contract.client();
            let point = client
                .$method()
                .restore_point_id(restore_point_id())
                .send()
                .await
                .expect("decodes")
                .into_inner();
            assert_eq!(point, contract.answer::<$point>(0));
            let result = client.$method().restore_point_id(UNKNOWN).send().await;
            assert_eq!(problem_of(result).await.0, 404);
        }
    };
}

/// A delete case: the documented 202 session, the 423 of an immutable point, the 404 of an
/// unknown one.
macro_rules! delete_case {
    ($case:ident, $method:ident) => {
        pub(super) async fn $case(operation: &str) {
            let contract = Contract::serve(
                operation,
                [
                    Exchange::answered(202).no_query().no_body().named("202"),
                    Exchange::answered_with(423, "locked")
                        .at("restorePointId", LOCKED)
                        .named("423"),
                    Exchange::answered_with(404, "notFound")
                        .at("restorePointId", UNKNOWN)
                        .named("404"),
                ],
            )
            .await;
            let client = contract.client();
            let session = client
                .$method()
                .restore_point_id(restore_point_id())
                .send()
                .await
                .expect("decodes");
            assert_eq!(session.status().as_u16(), 202);
            assert_eq!(session.into_inner(), contract.answer::<JobSession>(0));
            let result = client.$method().restore_point_id(LOCKED).send().await;
            let (status, problem) = problem_of(result).await;
            assert_eq!(status, 423);
            let detail = problem.0.and_then(|p| p.detail).expect("a detail");
            assert!(detail.contains("immutable"), "{detail}");
            let result = client.$method().restore_point_id(UNKNOWN).send().await;
            assert_eq!(problem_of(result).await.0, 404);
        }
    };
}

list_case!(
    list_virtual_machine_restore_points_sends_every_documented_query_name,
    list_virtual_machine_restore_points,
    VirtualMachineRestorePointPage,
    "VirtualMachineId",
    virtual_machine_id,
    tiers: storage_access_tier
);
list_case!(
    list_sql_restore_points_sends_every_documented_query_name,
    list_sql_restore_points,
    SqlRestorePointPage,
    "DatabaseId",
    database_id,
    tiers: storage_access_tier
);
list_case!(
    list_file_share_restore_points_sends_every_documented_query_name,
    list_file_share_restore_points,
    FileShareRestorePointPage,
    "FileShareId",
    file_share_id
);
list_case!(
    list_cosmos_db_restore_points_sends_every_documented_query_name,
    list_cosmos_db_restore_points,
    CosmosDbRestorePointPage,
    "CosmosDbAccountId",
    cosmos_db_account_id,
    tiers: storage_access_tier,
    destinations: backup_destination
);
get_case!(
    get_virtual_machine_restore_point_decodes_the_point_and_the_404,
    get_virtual_machine_restore_point,
    VirtualMachineRestorePoint
);
get_case!(
    get_sql_restore_point_decodes_the_point_and_the_404,
    get_sql_restore_point,
    SqlRestorePoint
);
get_case!(
    get_file_share_restore_point_decodes_the_point_and_the_404,
    get_file_share_restore_point,
    FileShareRestorePoint
);
get_case!(
    get_cosmos_db_restore_point_decodes_the_point_and_the_404,
    get_cosmos_db_restore_point,
    CosmosDbRestorePoint
);
delete_case!(
    delete_virtual_machine_restore_point_tells_the_session_from_423_and_404,
    delete_virtual_machine_restore_point
);
delete_case!(
    delete_sql_restore_point_tells_the_session_from_423_and_404,
    delete_sql_restore_point
);
delete_case!(
    delete_file_share_restore_point_tells_the_session_from_423_and_404,
    delete_file_share_restore_point
);
delete_case!(
    delete_cosmos_db_restore_point_tells_the_session_from_423_and_404,
    delete_cosmos_db_restore_point
);
