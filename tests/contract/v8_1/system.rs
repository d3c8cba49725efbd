//! The case of the System tag: `getSystemInfo` decodes the documented versions.

use vbazure::v8_1::types::SystemInfo;

use super::driver::{Contract, Exchange};

pub(super) async fn get_system_info_decodes_the_documented_versions(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(200)
            .no_query()
            .header("accept", "application/json")],
    )
    .await;
    let info = contract
        .client()
        .get_system_info()
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(info, contract.answer::<SystemInfo>(0));
    assert_eq!(info.server_version.as_deref(), Some("8.0.1.202"));
    assert_eq!(info.copyright, None);
}
