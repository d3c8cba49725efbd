//! The cases of the Protected Items tag that read SQL databases, Cosmos DB accounts and file
//! shares: each list sends every documented query name (arrays as repeated keys) and tells a
//! 202 operation from the page; each get reads the documented item and its 404 (and, for
//! Cosmos DB accounts, a 202 operation).

use vbazure::v8_1::types::{
    self as t, AsyncOperation, ProtectedCosmosDbAccount, ProtectedCosmosDbAccountPage,
    ProtectedDatabase, ProtectedDatabasePage, ProtectedFileShare, ProtectedFileSharePage,
};

use super::driver::{Contract, Exchange};
use super::{example_str, problem_of};

/// An id the appliance does not know: the path of a case's 404.
const UNKNOWN: &str = "9f0e1d2c-3b4a-4596-8877-665544332211";

fn database_id() -> String {
    example_str("components.parameters.DatabaseId.param-databaseId")
}

fn cosmos_db_account_id() -> String {
    example_str("components.parameters.CosmosDbAccountId.param-cosmosDbAccountId")
}

fn file_share_id() -> String {
    example_str("components.parameters.FileShareId.param-fileShareId")
}

/// The decoded items of a page's `results`, all of which must decode.
fn decoded<T: Clone>(results: Option<&[vbazure::Lenient<T>]>) -> Vec<T> {
    results
        .unwrap_or_default()
        .iter()
        .map(|item| {
            item.decoded()
                .expect("every documented item decodes")
                .clone()
        })
        .collect()
}

pub(super) async fn list_protected_databases_sends_every_documented_query_name_and_tells_202(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200)
                .query(&[
                    ("Offset", "0"),
                    ("Limit", "100"),
                    ("SearchPattern", "ord"),
                    ("ServerId", "srv"),
                    ("DatabaseIds", "a"),
                    ("DatabaseIds", "b"),
                    ("Sync", "false"),
                ])
                .named("200"),
            Exchange::answered(202)
                .query(&[("Sync", "true")])
                .named("202"),
        ],
    )
    .await;
    let client = contract.client();
    let answer = client
        .list_protected_databases()
        .offset(0)
        .limit(100)
        .search_pattern("ord")
        .server_id("srv")
        .database_ids(vec!["a".to_string(), "b".to_string()])
        .sync(false)
        .send_answer()
        .await
        .expect("decodes");
    let page = answered_as!(answer, 200, t::ListProtectedDatabasesAnswer::Ok);
    assert_eq!(page, contract.answer::<ProtectedDatabasePage>(0));
    let databases: Vec<ProtectedDatabase> = decoded(page.results.as_deref());
    assert_eq!(databases.len(), 1);
    assert_eq!(databases[0].id.as_deref(), Some(database_id().as_str()));
    let answer = client
        .list_protected_databases()
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(answer, 202, t::ListProtectedDatabasesAnswer::Accepted);
    assert_eq!(accepted, contract.answer::<AsyncOperation>(1));
}

pub(super) async fn get_protected_database_reads_the_documented_database_and_404(operation: &str) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200).no_query().named("200"),
            Exchange::answered_with(404, "notFound")
                .at("databaseId", UNKNOWN)
                .named("404"),
        ],
    )
    .await;
    let client = contract.client();
    let database = client
        .get_protected_database()
        .database_id(database_id())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(database, contract.answer::<ProtectedDatabase>(0));
    assert_eq!(database.id.as_deref(), Some(database_id().as_str()));
    let result = client
        .get_protected_database()
        .database_id(UNKNOWN)
        .send()
        .await;
    assert_eq!(problem_of(result).await.0, 404);
}

pub(super) async fn list_protected_cosmos_db_accounts_sends_every_documented_query_name_and_tells_202(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200)
                .query(&[
                    ("Offset", "5"),
                    ("Limit", "10"),
                    ("SearchPattern", "cat"),
                    ("Sync", "false"),
                    ("Accounts", "a"),
                    ("Accounts", "b"),
                ])
                .named("200"),
            Exchange::answered(202)
                .query(&[("Sync", "true")])
                .named("202"),
        ],
    )
    .await;
    let client = contract.client();
    let answer = client
        .list_protected_cosmos_db_accounts()
        .offset(5)
        .limit(10)
        .search_pattern("cat")
        .sync(false)
        .accounts(vec!["a".to_string(), "b".to_string()])
        .send_answer()
        .await
        .expect("decodes");
    let page = answered_as!(answer, 200, t::ListProtectedCosmosDbAccountsAnswer::Ok);
    assert_eq!(page, contract.answer::<ProtectedCosmosDbAccountPage>(0));
    let accounts: Vec<ProtectedCosmosDbAccount> = decoded(page.results.as_deref());
    assert_eq!(
        accounts[0].id.as_deref(),
        Some(cosmos_db_account_id().as_str())
    );
    let answer = client
        .list_protected_cosmos_db_accounts()
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(
        answer,
        202,
        t::ListProtectedCosmosDbAccountsAnswer::Accepted
    );
    assert_eq!(accepted, contract.answer::<AsyncOperation>(1));
}

pub(super) async fn get_protected_cosmos_db_account_tells_200_from_202_and_reads_the_404(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200).no_query().named("200"),
            Exchange::answered(202)
                .query(&[("Sync", "true")])
                .named("202"),
            Exchange::answered_with(404, "notFound")
                .at("cosmosDbAccountId", UNKNOWN)
                .named("404"),
        ],
    )
    .await;
    let client = contract.client();
    let answer = client
        .get_protected_cosmos_db_account()
        .cosmos_db_account_id(cosmos_db_account_id())
        .send_answer()
        .await
        .expect("decodes");
    let account = answered_as!(answer, 200, t::GetProtectedCosmosDbAccountAnswer::Ok);
    assert_eq!(account, contract.answer::<ProtectedCosmosDbAccount>(0));
    let answer = client
        .get_protected_cosmos_db_account()
        .cosmos_db_account_id(cosmos_db_account_id())
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(answer, 202, t::GetProtectedCosmosDbAccountAnswer::Accepted);
    assert_eq!(accepted, contract.answer::<AsyncOperation>(1));
    let result = client
        .get_protected_cosmos_db_account()
        .cosmos_db_account_id(UNKNOWN)
        .send_answer()
        .await;
    assert_eq!(problem_of(result).await.0, 404);
}

pub(super) async fn list_protected_file_shares_sends_every_documented_query_name_and_tells_202(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200)
                .query(&[
                    ("Offset", "0"),
                    ("Limit", "1"),
                    ("SearchPattern", "fin"),
                    ("Sync", "false"),
                ])
                .named("200"),
            Exchange::answered(202)
                .query(&[("Sync", "true")])
                .named("202"),
        ],
    )
    .await;
    let client = contract.client();
    let answer = client
        .list_protected_file_shares()
        .offset(0)
        .limit(1)
        .search_pattern("fin")
        .sync(false)
        .send_answer()
        .await
        .expect("decodes");
    let page = answered_as!(answer, 200, t::ListProtectedFileSharesAnswer::Ok);
    assert_eq!(page, contract.answer::<ProtectedFileSharePage>(0));
    let shares: Vec<ProtectedFileShare> = decoded(page.results.as_deref());
    assert_eq!(shares[0].id.as_deref(), Some(file_share_id().as_str()));
    let answer = client
        .list_protected_file_shares()
        .sync(true)
        .send_answer()
        .await
        .expect("decodes");
    let accepted = answered_as!(answer, 202, t::ListProtectedFileSharesAnswer::Accepted);
    assert_eq!(accepted, contract.answer::<AsyncOperation>(1));
}

pub(super) async fn get_protected_file_share_reads_the_documented_share_and_404(operation: &str) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered(200).no_query().named("200"),
            Exchange::answered_with(404, "notFound")
                .at("fileShareId", UNKNOWN)
                .named("404"),
        ],
    )
    .await;
    let client = contract.client();
    let share = client
        .get_protected_file_share()
        .file_share_id(file_share_id())
        .send()
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(share, contract.answer::<ProtectedFileShare>(0));
    let result = client
        .get_protected_file_share()
        .file_share_id(UNKNOWN)
        .send()
        .await;
    assert_eq!(problem_of(result).await.0, 404);
}
