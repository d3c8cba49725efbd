//! Access tokens: obtained with a password, renewed with the refresh token before they expire,
//! and renewed once more when the appliance rejects one.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

use crate::error_map::send;
use crate::operations::CREATE_TOKEN;
use crate::types::{Token, TokenRequest, TokenRequestGrantType};
use crate::{Client, Error, Secret};

/// How the client proves who it is.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    /// A ready access token; it cannot be renewed.
    Token(Secret),
    /// An account; tokens are obtained and renewed with it.
    Password { username: String, password: Secret },
}

#[derive(Debug, Default)]
struct Tokens {
    access: Option<Secret>,
    refresh: Option<Secret>,
    /// When to renew: a margin before the access token expires.
    renew_at: Option<Instant>,
}

/// The tokens of one client, shared by all its requests.
#[derive(Debug)]
pub(crate) struct Auth {
    credentials: Credentials,
    // A tokio mutex, held across the token request: concurrent requests wait for one renewal
    // instead of each starting their own.
    tokens: Mutex<Tokens>,
}

impl Auth {
    pub(crate) fn new(credentials: Credentials) -> Self {
        let tokens = match &credentials {
            Credentials::Token(token) => Tokens {
                access: Some(token.clone()),
                ..Tokens::default()
            },
            Credentials::Password { .. } => Tokens::default(),
        };
        Self {
            credentials,
            tokens: Mutex::new(tokens),
        }
    }

    /// A usable access token: the current one, or a new one when there is none yet or it is
    /// about to expire.
    pub(crate) async fn access_token(&self, client: &Client) -> Result<Secret, Error> {
        let mut tokens = self.tokens.lock().await;
        let due = tokens.renew_at.is_some_and(|at| Instant::now() >= at);
        if let (Some(access), false) = (&tokens.access, due) {
            return Ok(access.clone());
        }
        self.renew(client, &mut tokens).await
    }

    /// After the appliance rejected `rejected`: a new token, unless another request already
    /// renewed it. `None` when the token cannot be renewed (a fixed token).
    pub(crate) async fn renew_rejected(
        &self,
        client: &Client,
        rejected: &Secret,
    ) -> Option<Result<Secret, Error>> {
        if matches!(self.credentials, Credentials::Token(_)) {
            return None;
        }
        let mut tokens = self.tokens.lock().await;
        if let Some(access) = &tokens.access {
            if access != rejected {
                return Some(Ok(access.clone()));
            }
        }
        tokens.access = None;
        Some(self.renew(client, &mut tokens).await)
    }

    async fn renew(&self, client: &Client, tokens: &mut Tokens) -> Result<Secret, Error> {
        let Credentials::Password { username, password } = &self.credentials else {
            // A fixed token is used as it is until the appliance rejects it.
            return tokens.access.clone().ok_or_else(no_token);
        };
        if let Some(refresh) = tokens.refresh.take() {
            match request_token(client, refresh_request(refresh)).await {
                Ok(token) => return Ok(store(tokens, token)),
                Err(e) => {
                    tracing::info!("refreshing the access token failed ({e}); logging in again")
                }
            }
        }
        let token = request_token(client, password_request(username, password)).await?;
        Ok(store(tokens, token))
    }
}

fn no_token() -> Error {
    Error::new(
        CREATE_TOKEN,
        crate::ErrorKind::InvalidRequest {
            message: "no access token is configured".to_string(),
        },
    )
}

fn store(tokens: &mut Tokens, token: Token) -> Secret {
    let lifetime = Duration::from_secs(u64::try_from(token.expires_in).unwrap_or(0));
    // Renew a minute early, or halfway through a lifetime shorter than two minutes, so that a
    // token never expires between the check and the request.
    let margin = (lifetime / 2).min(Duration::from_secs(60));
    tokens.renew_at = Some(Instant::now() + lifetime - margin);
    tokens.refresh = token.refresh_token;
    tokens.access = Some(token.access_token.clone());
    tracing::debug!(expires_in = token.expires_in, "obtained an access token");
    token.access_token
}

fn password_request(username: &str, password: &Secret) -> TokenRequest {
    TokenRequest {
        grant_type: TokenRequestGrantType::Password,
        username: Some(username.to_string()),
        password: Some(password.clone()),
        refresh_token: None,
        mfa_code: None,
        mfa_token: None,
    }
}

fn refresh_request(refresh: Secret) -> TokenRequest {
    TokenRequest {
        grant_type: TokenRequestGrantType::RefreshToken,
        username: None,
        password: None,
        refresh_token: Some(refresh),
        mfa_code: None,
        mfa_token: None,
    }
}

/// Boxed: the token request passes through the client's hooks, which call back into [`Auth`];
/// the box ends that cycle of future types.
fn request_token(
    client: &Client,
    request: TokenRequest,
) -> Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + '_>> {
    Box::pin(send(
        CREATE_TOKEN,
        client.create_token().body(request).send(),
    ))
}
