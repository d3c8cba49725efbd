//! The cases of the Authorization tag: `createToken` sends the form in the schema's own field
//! names (a password login, its second factor, a refresh) and decodes the tokens;
//! `revokeToken` is a bodiless `DELETE` answered 204.

use vbazure::v8_1::types::{Token, TokenRequest};

use super::driver::{Contract, Exchange};

pub(super) async fn create_token_sends_the_documented_form_in_lower_case_and_decodes_the_tokens(
    operation: &str,
) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered_with(200, "issued")
            .named("createToken, password grant")
            .documented_content_type()
            .anonymous()
            .no_query()
            // The schema's own field names, lower case (v1 documented `Username`/`Password`).
            .form(&[
                ("grant_type", "Password"),
                ("password", "example-Passw0rd"),
                ("username", "administrator"),
            ])],
    )
    .await;

    let token = contract
        .client()
        .create_token()
        .body(contract.request::<TokenRequest>(Some("password")))
        .send()
        .await
        .expect("decodes the tokens");
    assert_eq!(token.status().as_u16(), 200);
    let token = token.into_inner();
    assert_eq!(token, contract.answer::<Token>(0));
    assert_eq!(
        token.access_token.as_ref().map(|s| s.expose_secret()),
        Some("example-access-token-7c1e4a")
    );
    assert_eq!(token.expires_in, Some(3600));
    assert_eq!(token.mfa_enabled, Some(false));
    assert_eq!(token.mfa_token, None);
}

pub(super) async fn create_token_with_mfa_takes_two_requests_each_as_documented(operation: &str) {
    let contract = Contract::serve(
        operation,
        [
            Exchange::answered_with(200, "secondFactor")
                .named("createToken, password grant of an MFA account")
                .form_with("grant_type", "Password"),
            Exchange::answered_with(200, "issued")
                .named("createToken, Mfa grant")
                .anonymous()
                .form(&[
                    ("grant_type", "Mfa"),
                    ("mfa_code", "123456"),
                    ("mfa_token", "example-mfa-token-1b7e"),
                ]),
        ],
    )
    .await;

    let client = contract.client();
    let first = client
        .create_token()
        .body(contract.request::<TokenRequest>(Some("password")))
        .send()
        .await
        .expect("decodes the second-factor answer")
        .into_inner();
    assert_eq!(first, contract.answer::<Token>(0));
    assert_eq!(first.mfa_enabled, Some(true));
    assert_eq!(first.access_token, None);
    let mfa_token = first.mfa_token.expect("an MFA token");

    // The second request is the document's `mfa` example, with the token of the first answer.
    let mut second: TokenRequest = contract.request(Some("mfa"));
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

pub(super) async fn create_token_with_a_refresh_token_sends_the_documented_form(operation: &str) {
    let contract = Contract::serve(
        operation,
        [Exchange::answered_with(200, "issued").form(&[
            ("grant_type", "Refresh_token"),
            ("refresh_token", "example-refresh-token-5f2c9d"),
        ])],
    )
    .await;
    contract
        .client()
        .create_token()
        .body(contract.request::<TokenRequest>(Some("refresh")))
        .send()
        .await
        .expect("decodes the tokens");
}

pub(super) async fn revoke_token_is_a_bodiless_delete_answered_204(operation: &str) {
    let contract = Contract::serve(operation, [Exchange::answered(204).no_query().no_body()]).await;
    let answer = contract
        .client()
        .revoke_token()
        .send()
        .await
        .expect("204 is the documented answer");
    assert_eq!(answer.status().as_u16(), 204);
}
