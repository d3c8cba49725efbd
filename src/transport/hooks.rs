//! The hand-written hooks of the generated client: the bearer token, `Content-Length: 0` on
//! bodiless POSTs, retries of idempotent requests, and one renewal of a rejected token.
//!
//! What they do for an operation follows its facts, generated from the spec
//! ([`crate::operations`]): no operation is named here.

use progenitor_client::{ClientHooks, ClientInfo, Error as GeneratedError, OperationInfo};
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use reqwest::{Method, Request, Response};

use super::auth::{renewing, Auth};
use super::observe::record;
use super::retry::is_retryable_status;
use super::token_endpoint::TokenEndpoint;
use crate::error::retry_after;
use crate::operations::OperationFacts;
use crate::{ClientState, Secret};

/// What the hooks do for one call.
struct Plan<'a> {
    /// The tokens to send, unless the operation sends none.
    auth: Option<&'a Auth>,
    /// Whether the request may be repeated after a connection failure or a transient status.
    retry_safe: bool,
}

impl<'a> Plan<'a> {
    fn of(state: &'a ClientState, facts: Option<&OperationFacts>) -> Self {
        // `info` always names an operation of the spec the facts come from; were it not to,
        // the document's default applies: send the token, do not repeat.
        let sends_token = facts.is_none_or(|f| f.sends_token) && !renewing();
        Self {
            auth: state.auth.as_deref().filter(|_| sends_token),
            retry_safe: facts.is_some_and(|f| f.retry_safe),
        }
    }
}

/// The hooks of one version's generated client: `$client`, whose operations' facts `$facts`
/// looks up by progenitor's key.
macro_rules! hooks_for {
    ($client:ty, $facts:path, $open_enum_knows:path, $document:path) => {
        impl ClientHooks<ClientState> for $client {
            async fn pre<E>(
                &self,
                request: &mut Request,
                info: &OperationInfo,
            ) -> Result<(), GeneratedError<E>> {
                pre(self, request, $facts(info.operation_id)).await
            }

            async fn post<E>(
                &self,
                result: &reqwest::Result<Response>,
                _info: &OperationInfo,
            ) -> Result<(), GeneratedError<E>> {
                post(result);
                Ok(())
            }

            async fn exec(
                &self,
                request: Request,
                info: &OperationInfo,
            ) -> reqwest::Result<Response> {
                let facts = $facts(info.operation_id);
                let result = exec(self, request, info, facts).await;
                match (&self.inner().conformance, facts) {
                    (Some(conformance), Some(facts)) => {
                        let contract = $document().map(|document| crate::conformance::Contract {
                            document,
                            open_enum_knows: $open_enum_knows,
                        });
                        checked(result, conformance, contract, facts).await
                    }
                    _ => result,
                }
            }
        }
    };
}

hooks_for!(
    crate::v1::Client,
    crate::operations::v1::by_key,
    crate::operations::v1::open_enum_knows,
    crate::conformance::v1_document
);
hooks_for!(
    crate::v8_1::Client,
    crate::operations::v8_1::by_key,
    crate::operations::v8_1::open_enum_knows,
    crate::conformance::v8_1_document
);

/// With conformance on: reads the answer whole, checks it against the document, and hands on
/// an answer with the same status, headers and body, so that the caller receives what it would
/// have without the check.
async fn checked(
    result: reqwest::Result<Response>,
    conformance: &crate::Conformance,
    contract: Option<crate::conformance::Contract>,
    facts: &OperationFacts,
) -> reqwest::Result<Response> {
    let operation = facts.id;
    let (response, contract) = match (result, contract) {
        (Ok(response), Some(contract)) => (response, contract),
        // No answer to check (the transport failed), or no document to check against.
        (result, _) => return result,
    };
    let status = response.status();
    let version = response.version();
    let headers = response.headers().clone();
    let body = response.bytes().await?;
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    let mut findings = crate::conformance::check_answer(
        &contract,
        operation,
        status.as_u16(),
        content_type,
        &body,
    );
    if facts.secret_bodies {
        // The token's answer holds tokens: a finding says where and what rule, never the value.
        for finding in &mut findings {
            finding.found = "(withheld: this answer holds secrets)".to_string();
        }
    }
    for finding in &findings {
        tracing::debug!(
            operation,
            kind = finding.kind.as_str(),
            "conformance: {finding}"
        );
    }
    conformance.add(operation, findings);
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(Response::from(rebuilt))
}

/// What every generated client's hooks do before sending: `Content-Length: 0` on a bodiless
/// POST, and the bearer token when the operation sends one.
async fn pre<C, E>(
    client: &C,
    request: &mut Request,
    facts: Option<&OperationFacts>,
) -> Result<(), GeneratedError<E>>
where
    C: ClientInfo<ClientState> + TokenEndpoint,
{
    // progenitor sends a bodiless POST without Content-Length; proxies and IIS answer 411.
    if request.body().is_none() && request.method() == Method::POST {
        request
            .headers_mut()
            .insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    let Some(auth) = Plan::of(client.inner(), facts).auth else {
        return Ok(());
    };
    match auth.access_token(client).await {
        Ok(token) if set_bearer(request, &token) => Ok(()),
        Ok(_) => Err(GeneratedError::Custom(
            "the access token holds characters an HTTP header cannot carry".to_string(),
        )),
        Err(e) => {
            let message = format!("cannot obtain an access token: {e}");
            record(|observed| observed.auth_error = Some(e));
            Err(GeneratedError::Custom(message))
        }
    }
}

/// What the hooks learn of an answer, for the error mapping.
fn post(result: &reqwest::Result<Response>) {
    if let Ok(response) = result {
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        record(|observed| observed.response = Some((response.status().as_u16(), content_type)));
    }
}

/// Sends a request: repeated after a transient failure when the operation may be repeated,
/// and once with a renewed token after a 401.
async fn exec<C>(
    client: &C,
    request: Request,
    info: &OperationInfo,
    facts: Option<&OperationFacts>,
) -> reqwest::Result<Response>
where
    C: ClientInfo<ClientState> + TokenEndpoint,
{
    let state = client.inner();
    let Plan { auth, retry_safe } = Plan::of(state, facts);
    // Events name the document's operation, as errors do (progenitor's key otherwise).
    let name = facts.map_or(info.operation_id, |f| f.id);
    let mut retries = 0;
    let mut renewed = false;
    let mut current = request;
    loop {
        // Keep a copy for a possible repeat. Every body this client sends is in memory, so the
        // copy always succeeds; without one, the request is sent once.
        let spare = current.try_clone();
        let started = tokio::time::Instant::now();
        let result = client.client().execute(current).await;
        match &result {
            Ok(response) => tracing::debug!(
                operation = name,
                status = response.status().as_u16(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "answered"
            ),
            // The error's own text names the URL, which may carry credentials: only its kind.
            Err(e) => tracing::debug!(
                operation = name,
                elapsed_ms = started.elapsed().as_millis() as u64,
                timeout = e.is_timeout(),
                connect = e.is_connect(),
                "no answer"
            ),
        }
        let Some(mut next) = spare else { return result };
        match &result {
            Ok(response) if response.status() == 401 && auth.is_some() && !renewed => {
                renewed = true;
                let rejected = bearer_of(&next);
                let Some(auth) = auth else { return result };
                match auth.renew_rejected(client, &rejected).await {
                    Some(Ok(token)) if set_bearer(&mut next, &token) => {
                        tracing::debug!(
                            operation = name,
                            "token rejected; repeating with a renewed one"
                        );
                    }
                    Some(Err(e)) => {
                        tracing::warn!(
                            operation = name,
                            "token rejected and renewing it failed: {e}"
                        );
                        return result;
                    }
                    Some(Ok(_)) | None => return result,
                }
            }
            Ok(response) if retry_safe && is_retryable_status(response.status().as_u16()) => {
                let asked = retry_after(response.headers(), std::time::SystemTime::now());
                let Some(delay) = state.retry.delay(retries, asked) else {
                    return result;
                };
                tracing::debug!(
                    operation = name,
                    status = response.status().as_u16(),
                    ?delay,
                    "retrying"
                );
                retries += 1;
                tokio::time::sleep(delay).await;
            }
            Err(e) if retry_safe && (e.is_connect() || (e.is_request() && !e.is_timeout())) => {
                let Some(delay) = state.retry.delay(retries, None) else {
                    return result;
                };
                tracing::debug!(operation = name, ?delay, "connection failed; retrying");
                retries += 1;
                tokio::time::sleep(delay).await;
            }
            _ => return result,
        }
        current = next;
    }
}

/// Sets `Authorization: Bearer <token>`; false when the token cannot be a header value.
fn set_bearer(request: &mut Request, token: &Secret) -> bool {
    match HeaderValue::from_str(&format!("Bearer {}", token.expose_secret())) {
        Ok(mut value) => {
            // Keeps the token out of HTTP/2 header compression tables and of debug output.
            value.set_sensitive(true);
            request.headers_mut().insert(AUTHORIZATION, value);
            true
        }
        Err(_) => false,
    }
}

fn bearer_of(request: &Request) -> Secret {
    let value = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    Secret::from(value)
}
