//! Access tokens: obtained with a password, renewed with the refresh token before they expire,
//! and renewed once more when the appliance rejects one.
//!
//! Renewals are single-flight: however many requests find the token due, one token request is
//! made, and the others wait for its outcome. No lock is held while anything waits: a short
//! lock reads or swaps the state, and the waiters watch the renewal's outcome on a channel of
//! its own. The token request itself never looks at this state (its operation sends no token,
//! and it runs inside [`renewing`]), so it cannot wait on itself.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use super::token_endpoint::{Grant, Issued, TokenEndpoint};
use crate::operations::v1::CREATE_TOKEN;
use crate::{Error, ErrorKind, Secret};

/// How the client proves who it is.
#[derive(Clone, Debug)]
pub(crate) enum Credentials {
    /// A ready access token; it cannot be renewed.
    Token(Secret),
    /// An account; tokens are obtained and renewed with it. `mfa` supplies the one-time code
    /// when the account asks for a second factor.
    Password {
        username: String,
        password: Secret,
        mfa: Option<MfaCode>,
    },
}

/// The future an MFA callback returns: the one-time code, or why there is none.
pub type MfaFuture = Pin<Box<dyn Future<Output = Result<Secret, String>> + Send>>;

/// Where the one-time code of a login with multi-factor authentication comes from: called once
/// per login that asks for one (a prompt, an environment variable, an authenticator).
#[derive(Clone)]
pub(crate) struct MfaCode(pub(crate) Arc<dyn Fn() -> MfaFuture + Send + Sync>);

impl fmt::Debug for MfaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MfaCode(<callback>)")
    }
}

/// The outcome of one renewal, as every request waiting for it receives it.
type Outcome = Result<Secret, Error>;

#[derive(Debug, Default)]
struct Tokens {
    access: Option<Secret>,
    refresh: Option<Secret>,
    /// When to renew: a margin before the access token expires.
    renew_at: Option<Instant>,
    /// The renewal under way, if any: its outcome arrives on this channel.
    renewal: Option<watch::Receiver<Option<Outcome>>>,
}

/// The tokens of one client, shared by all its requests.
#[derive(Debug)]
pub(crate) struct Auth {
    credentials: Credentials,
    // A std mutex, never held across an `await`: only to read or swap the tokens.
    tokens: Mutex<Tokens>,
}

/// What a request does after looking at the tokens.
enum Step {
    /// Use this token.
    Ready(Secret),
    /// Wait for the renewal under way.
    Wait(watch::Receiver<Option<Outcome>>),
    /// Renew, with the refresh token if there is one, and publish the outcome on the channel.
    Lead(watch::Sender<Option<Outcome>>, Option<Secret>),
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

    /// Whether an access token is held (one was given, or a login happened).
    pub(crate) fn has_token(&self) -> bool {
        self.lock().access.is_some()
    }

    /// Forgets the tokens after a logout: the next request logs in again (with an account), or,
    /// with a fixed token, which cannot be obtained again, fails before it is sent
    /// (`InvalidRequest`: no access token is configured).
    pub(crate) fn forget(&self) {
        let mut tokens = self.lock();
        tokens.access = None;
        tokens.refresh = None;
        tokens.renew_at = None;
    }

    /// A usable access token: the current one, or a new one when there is none yet or it is
    /// about to expire.
    pub(crate) async fn access_token(&self, client: &dyn TokenEndpoint) -> Result<Secret, Error> {
        self.token(client, None).await
    }

    /// After the appliance rejected `rejected`: a new token, unless another request already
    /// renewed it. `None` when the token cannot be renewed (a fixed token).
    pub(crate) async fn renew_rejected(
        &self,
        client: &dyn TokenEndpoint,
        rejected: &Secret,
    ) -> Option<Result<Secret, Error>> {
        if matches!(self.credentials, Credentials::Token(_)) {
            return None;
        }
        Some(self.token(client, Some(rejected)).await)
    }

    async fn token(
        &self,
        client: &dyn TokenEndpoint,
        rejected: Option<&Secret>,
    ) -> Result<Secret, Error> {
        loop {
            match self.step(rejected) {
                Step::Ready(token) => return Ok(token),
                Step::Wait(mut outcome) => {
                    // An error means the renewing request was dropped before it finished (its
                    // caller gave up): look again, and renew if nobody else has.
                    if let Ok(done) = outcome.wait_for(Option::is_some).await {
                        if let Some(outcome) = done.as_ref() {
                            return outcome.clone();
                        }
                    }
                }
                Step::Lead(publish, refresh) => {
                    let obtained = self.obtain(client, refresh).await;
                    let outcome = {
                        let mut tokens = self.lock();
                        tokens.renewal = None;
                        obtained.and_then(|token| store(&mut tokens, token))
                    };
                    // No receiver left is fine: nobody was waiting.
                    let _ = publish.send(Some(outcome.clone()));
                    return outcome;
                }
            }
        }
    }

    /// Decides, under the lock, what the request does; starts a renewal when one is needed
    /// and none is under way.
    fn step(&self, rejected: Option<&Secret>) -> Step {
        let mut tokens = self.lock();
        let due = tokens.renew_at.is_some_and(|at| Instant::now() >= at);
        match (&tokens.access, &self.credentials) {
            // A fixed token is used as it is until the appliance rejects it.
            (Some(access), Credentials::Token(_)) => return Step::Ready(access.clone()),
            (Some(access), _) if !due && rejected != Some(access) => {
                return Step::Ready(access.clone())
            }
            _ => {}
        }
        if rejected.is_some() && tokens.access.as_ref() == rejected {
            // Nobody should send it again while the renewal runs.
            tokens.access = None;
        }
        // A renewal whose request was dropped before it finished (its caller gave up) has a
        // closed channel: it is replaced rather than waited for.
        if let Some(renewal) = tokens.renewal.as_ref().filter(|r| r.has_changed().is_ok()) {
            return Step::Wait(renewal.clone());
        }
        let (sender, receiver) = watch::channel(None);
        tokens.renewal = Some(receiver);
        Step::Lead(sender, tokens.refresh.take())
    }

    /// One renewal: the refresh token if there is one, and a password login when there is
    /// none or the appliance refuses it.
    async fn obtain(
        &self,
        client: &dyn TokenEndpoint,
        refresh: Option<Secret>,
    ) -> Result<Issued, Error> {
        let Credentials::Password {
            username,
            password,
            mfa,
        } = &self.credentials
        else {
            return Err(no_token());
        };
        if let Some(refresh) = refresh {
            match request_token(client, Grant::Refresh(refresh)).await {
                Ok(token) => return Ok(token),
                Err(e) => {
                    tracing::info!("refreshing the access token failed ({e}); logging in again")
                }
            }
        }
        let grant = Grant::Password {
            username: username.clone(),
            password: password.clone(),
        };
        let issued = request_token(client, grant).await?;
        let Some(mfa_token) = issued.mfa_token else {
            return Ok(issued);
        };
        // The account has multi-factor authentication: the code, then the second step.
        let Some(MfaCode(code)) = mfa else {
            return Err(invalid(
                "the account asks for a multi-factor code, and no way to obtain one was configured \
                 (ApplianceBuilder::mfa_code)",
            ));
        };
        tracing::debug!("the account asks for a second factor");
        let code = code()
            .await
            .map_err(|why| invalid(&format!("no multi-factor code: {why}")))?;
        request_token(client, Grant::Mfa { mfa_token, code }).await
    }

    fn lock(&self) -> MutexGuard<'_, Tokens> {
        // The state stays consistent whatever panicked while holding the lock: every change
        // under it is a plain assignment.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn no_token() -> Error {
    invalid("no access token is configured")
}

fn invalid(message: &str) -> Error {
    Error::new(
        CREATE_TOKEN,
        ErrorKind::InvalidRequest {
            message: message.to_string(),
        },
    )
}

fn store(tokens: &mut Tokens, token: Issued) -> Result<Secret, Error> {
    let Some(access) = token.access else {
        return Err(invalid(
            "the appliance's token answer holds no access token",
        ));
    };
    // Renew a minute early, or halfway through a lifetime shorter than two minutes, so that a
    // token never expires between the check and the request. A token whose answer gives no
    // lifetime is kept until the appliance refuses it (then it is renewed once, on the 401).
    tokens.renew_at = token.lifetime.map(|lifetime| {
        let margin = (lifetime / 2).min(Duration::from_secs(60));
        Instant::now() + lifetime - margin
    });
    tokens.refresh = token.refresh;
    tokens.access = Some(access.clone());
    tracing::debug!(
        lifetime_secs = token.lifetime.map(|l| l.as_secs()),
        "obtained an access token"
    );
    Ok(access)
}

tokio::task_local! {
    /// Set while a token request runs, so that its hooks never ask for a token: even if the
    /// spec forgot `security: []` on the token operation, a renewal cannot wait on itself.
    static RENEWING: ();
}

/// Whether the current task is making a token request.
pub(crate) fn renewing() -> bool {
    RENEWING.try_with(|()| ()).is_ok()
}

/// One token request, inside [`renewing`] so that its own hooks never ask for a token.
fn request_token(
    client: &dyn TokenEndpoint,
    grant: Grant,
) -> Pin<Box<dyn Future<Output = Result<Issued, Error>> + Send + '_>> {
    Box::pin(RENEWING.scope((), client.request_token(grant)))
}
