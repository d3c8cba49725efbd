//! The case of the Operations tag: `getAsyncOperation` decodes a finished operation and its
//! result.

use serde_json::Value;
use vbazure::v8_1::types::{AsyncOperation, ProtectedVirtualMachinePage};
use vbazure::SessionStatus;

use super::driver::{Contract, Exchange};

pub(super) async fn get_async_operation_decodes_the_operation_and_its_result(operation: &str) {
    let contract = Contract::serve(operation, [Exchange::answered(200).no_query()]).await;
    let answer = contract
        .client()
        .get_async_operation()
        .operation_id(super::operation_id().as_str())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(answer, contract.answer::<AsyncOperation>(0));
    assert_eq!(answer.status, Some(SessionStatus::Success));
    // Its result is the answer the listing would have given: a page of machines.
    let result = answer.result.expect("a finished operation's result");
    let page: ProtectedVirtualMachinePage =
        serde_json::from_value(Value::Object(result)).expect("the result is a page");
    assert_eq!(page.total_count, Some(0));
}
