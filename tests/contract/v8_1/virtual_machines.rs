//! The cases of the Protected Items tag that read machines: `listProtectedVirtualMachines`
//! sends every documented query name and tells a 202 operation from the page;
//! `getProtectedVirtualMachine` tells 200 from 202.

use vbazure::v8_1::types::{
    AsyncOperation, DataRetrievalStatus, GetProtectedVirtualMachineAnswer,
    ListProtectedVirtualMachinesAnswer, ProtectedVirtualMachine, ProtectedVirtualMachinePage,
};
use vbazure::SessionStatus;

use super::driver::{Contract, Exchange};
use super::{operation_id, vm_id};

pub(super) async fn list_protected_virtual_machines_sends_every_documented_query_name(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(200).query(&[
            ("Offset", "0"),
            ("Limit", "2"),
            ("SearchPattern", "web 01&x"),
            ("Sync", "false"),
            ("FlrSession", "true"),
            // An array: the key once per value (form, explode: OpenAPI's default).
            ("DataRetrievalStatuses", "Retrieved"),
            ("DataRetrievalStatuses", "Retrieving"),
        ])],
    )
    .await;
    let answer = contract
        .client()
        .list_protected_virtual_machines()
        .offset(0)
        .limit(2)
        .search_pattern("web 01&x")
        .sync(false)
        .flr_session(true)
        .data_retrieval_statuses(vec![
            DataRetrievalStatus::Retrieved,
            DataRetrievalStatus::Retrieving,
        ])
        .send_answer()
        .await
        .expect("decodes");
    let page = answered_as!(answer, 200, ListProtectedVirtualMachinesAnswer::Ok);
    assert_eq!(page, contract.answer::<ProtectedVirtualMachinePage>(0));
    let machines: Vec<&ProtectedVirtualMachine> = page
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

pub(super) async fn list_protected_virtual_machines_without_filters_sends_no_query(
    operation: &str,
) {
    let contract = Contract::serve(operation, [Exchange::answered(200).no_query()]).await;
    contract
        .client()
        .list_protected_virtual_machines()
        .send_answer()
        .await
        .expect("decodes");
}

pub(super) async fn list_protected_virtual_machines_tells_a_202_operation_from_the_page(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered(202).query(&[("Sync", "true")])],
    )
    .await;
    let answer = contract
        .client()
        .list_protected_virtual_machines()
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(answer, 202, ListProtectedVirtualMachinesAnswer::Accepted);
    assert_eq!(accepted, contract.answer::<AsyncOperation>(0));
    assert_eq!(
        accepted.id.map(|id| id.to_string()),
        Some(operation_id()),
        "the operation to follow"
    );
    assert_eq!(accepted.status, Some(SessionStatus::Running));
}

pub(super) async fn get_protected_virtual_machine_tells_200_from_202(operation: &str) {
    let id = vm_id();
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200).no_query().named("without sync"),
            // This operation's parameter is `sync`, lower case, unlike the list's `Sync`.
            Exchange::answered(202)
                .query(&[("sync", "true")])
                .named("with sync"),
        ],
    )
    .await;

    let client = contract.client();
    let answer = client
        .get_protected_virtual_machine()
        .id(id.as_str())
        .send_answer()
        .await
        .expect("decodes");
    let machine = answered_as!(answer, 200, GetProtectedVirtualMachineAnswer::Ok);
    assert_eq!(machine, contract.answer::<ProtectedVirtualMachine>(0));
    assert_eq!(machine.id.as_deref(), Some(id.as_str()));

    let answer = client
        .get_protected_virtual_machine()
        .id(id.as_str())
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(answer, 202, GetProtectedVirtualMachineAnswer::Accepted);
    assert_eq!(accepted, contract.answer::<AsyncOperation>(1));
}
