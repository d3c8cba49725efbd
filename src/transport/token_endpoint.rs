//! The token operation of each API version behind one interface, so that [`Auth`](super::Auth)
//! renews tokens the same way whichever version's client a request goes through. The forms
//! differ (v1 documents `Username`/`Password`, v8.1 `username`/`password`) and so do the
//! answers (v8.1 may ask for a second factor); each version's generated types say how.

use std::future::Future;
use std::pin::Pin;

use crate::transport::send;
use crate::{Error, Secret};

/// What the client proves itself with, for one token request.
#[derive(Debug)]
pub(crate) enum Grant {
    /// An account's name and password.
    Password { username: String, password: Secret },
    /// A refresh token from an earlier answer.
    Refresh(Secret),
    /// The second step of a login with multi-factor authentication.
    Mfa { mfa_token: Secret, code: Secret },
}

/// A token answer, in the terms `Auth` needs.
#[derive(Debug, Default)]
pub(crate) struct Issued {
    pub access: Option<Secret>,
    pub refresh: Option<Secret>,
    /// The access token's lifetime, when the answer says; `None`: until it is refused.
    pub lifetime: Option<std::time::Duration>,
    /// Set when the account needs a second factor: send it back with the code.
    pub mfa_token: Option<Secret>,
}

/// A boxed future: the token request passes through the client's hooks, which call back into
/// `Auth`; the box ends that cycle of future types.
pub(crate) type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Issued, Error>> + Send + 'a>>;

/// A generated client that can obtain tokens.
pub(crate) trait TokenEndpoint: Sync {
    /// The `operationId` of the version's token operation, which errors about tokens name.
    fn token_operation(&self) -> &'static str;

    /// One token request.
    fn request_token(&self, grant: Grant) -> TokenFuture<'_>;
}

/// Puts a grant into a version's token form. The forms' fields have the same names in every
/// version, their types are each version's own (generated apart), so this is a macro.
macro_rules! fill_form {
    ($form:ident, $grant:expr, $kind:ident) => {
        match $grant {
            Grant::Password { username, password } => {
                $form.username = Some(username);
                $form.password = Some(password);
            }
            Grant::Refresh(token) => {
                $form.grant_type = $kind::RefreshToken;
                $form.refresh_token = Some(token);
            }
            Grant::Mfa { mfa_token, code } => {
                $form.grant_type = $kind::Mfa;
                $form.mfa_token = Some(mfa_token);
                $form.mfa_code = Some(code);
            }
        }
    };
}

impl TokenEndpoint for crate::v1::Client {
    fn token_operation(&self) -> &'static str {
        crate::operations::v1::CREATE_TOKEN
    }

    fn request_token(&self, grant: Grant) -> TokenFuture<'_> {
        use crate::v1::types::{TokenRequest, TokenRequestGrantType as Type};
        let mut form = TokenRequest {
            grant_type: Type::Password,
            username: None,
            password: None,
            refresh_token: None,
            mfa_code: None,
            mfa_token: None,
        };
        fill_form!(form, grant, Type);
        Box::pin(async move {
            let token = send(
                self.token_operation(),
                self.create_token().body(form).send(),
            )
            .await?;
            Ok(Issued {
                access: Some(token.access_token),
                refresh: token.refresh_token,
                lifetime: seconds(i64::from(token.expires_in)),
                mfa_token: None,
            })
        })
    }
}

impl TokenEndpoint for crate::v8_1::Client {
    fn token_operation(&self) -> &'static str {
        crate::operations::v8_1::CREATE_TOKEN
    }

    fn request_token(&self, grant: Grant) -> TokenFuture<'_> {
        use crate::v8_1::types::{GrantType, TokenRequest};
        let mut form = TokenRequest {
            grant_type: GrantType::Password,
            username: None,
            password: None,
            refresh_token: None,
            mfa_code: None,
            mfa_token: None,
            short_lived_refresh_token: None,
        };
        fill_form!(form, grant, GrantType);
        Box::pin(async move {
            let token = send(
                self.token_operation(),
                self.create_token().body(form).send(),
            )
            .await?;
            let mfa_token = if token.mfa_enabled == Some(true) && token.access_token.is_none() {
                token.mfa_token
            } else {
                None
            };
            // `expires_in` when the server sends it; else the span from `.issued` to
            // `.expires` (both the server's clock); else from now to `.expires`.
            let lifetime = token
                .expires_in
                .and_then(|s| seconds(i64::from(s)))
                .or_else(|| {
                    let expires = token.expires?.as_datetime();
                    let from = token.issued.map_or_else(
                        || chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now()),
                        |issued| issued.as_datetime(),
                    );
                    expires.signed_duration_since(from).to_std().ok()
                });
            Ok(Issued {
                access: token.access_token,
                refresh: token.refresh_token,
                lifetime,
                mfa_token,
            })
        })
    }
}

/// A lifetime in seconds; `None` for a negative one, which says nothing usable.
fn seconds(n: i64) -> Option<std::time::Duration> {
    u64::try_from(n).ok().map(std::time::Duration::from_secs)
}
