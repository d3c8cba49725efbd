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
use std::time::{Duration, SystemTime};

use tokio::sync::watch;
use tokio::time::Instant;

use super::token_endpoint::{Grant, Issued, TokenEndpoint};
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
        password: Password,
        mfa: Option<MfaCode>,
    },
}

/// An account's password: given, or asked for when a login needs it.
#[derive(Clone, Debug)]
pub(crate) enum Password {
    Given(Secret),
    /// Called at each login that needs the password (none while a token given with
    /// `ApplianceBuilder::tokens` is valid or can be refreshed).
    Asked(MfaCode),
}

/// The future a secret's callback returns: the secret, or why there is none.
pub type SecretFuture = Pin<Box<dyn Future<Output = Result<Secret, String>> + Send>>;

/// The future an MFA callback returns: the one-time code, or why there is none.
pub type MfaFuture = SecretFuture;

/// The tokens a client holds, to keep between runs (a token cache) and give back to a new
/// client with `ApplianceBuilder::tokens`. `Debug` shows no token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct TokenSet {
    /// The access token.
    pub access: Secret,
    /// The token that obtains a new access token without the password, if the appliance gave
    /// one.
    pub refresh: Option<Secret>,
    /// When the access token expires, as the appliance said: a wall-clock time, since the set
    /// outlives the process that obtained it. `None` when the answer gave no lifetime.
    pub expires_at: Option<SystemTime>,
}

impl TokenSet {
    /// A set of only an access token, with no known expiry.
    pub fn new(access: impl Into<Secret>) -> Self {
        Self {
            access: access.into(),
            refresh: None,
            expires_at: None,
        }
    }

    /// With this refresh token.
    pub fn with_refresh(mut self, refresh: impl Into<Secret>) -> Self {
        self.refresh = Some(refresh.into());
        self
    }

    /// Expiring at this time.
    pub fn with_expiry(mut self, expires_at: SystemTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }
}

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
    /// When the access token expires, on the wall clock (what a token cache keeps).
    expires_at: Option<SystemTime>,
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
    /// The tokens of `credentials`; an account starts with `seeded` when given (a token kept
    /// from an earlier run), so that its first request needs no login.
    pub(crate) fn new(credentials: Credentials, seeded: Option<TokenSet>) -> Self {
        let tokens = match (&credentials, seeded) {
            (Credentials::Token(token), _) => Tokens {
                access: Some(token.clone()),
                ..Tokens::default()
            },
            (Credentials::Password { .. }, Some(set)) => Tokens {
                renew_at: set.expires_at.map(renewal_before),
                expires_at: set.expires_at,
                access: Some(set.access),
                refresh: set.refresh,
                renewal: None,
            },
            (Credentials::Password { .. }, None) => Tokens::default(),
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

    /// The tokens held now, if any (what a token cache keeps).
    pub(crate) fn tokens(&self) -> Option<TokenSet> {
        let tokens = self.lock();
        tokens.access.clone().map(|access| TokenSet {
            access,
            refresh: tokens.refresh.clone(),
            expires_at: tokens.expires_at,
        })
    }

    /// Forgets the tokens after a logout: the next request logs in again (with an account), or,
    /// with a fixed token, which cannot be obtained again, fails before it is sent
    /// (`InvalidRequest`: no access token is configured).
    pub(crate) fn forget(&self) {
        let mut tokens = self.lock();
        tokens.access = None;
        tokens.refresh = None;
        tokens.renew_at = None;
        tokens.expires_at = None;
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
                        obtained.and_then(|token| store(client, &mut tokens, token))
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
            return Err(no_token(client));
        };
        if let Some(refresh) = refresh {
            match request_token(client, Grant::Refresh(refresh)).await {
                Ok(token) => return Ok(token),
                Err(e) => {
                    tracing::info!("refreshing the access token failed ({e}); logging in again")
                }
            }
        }
        let password = match password {
            Password::Given(password) => password.clone(),
            Password::Asked(MfaCode(ask)) => ask()
                .await
                .map_err(|why| invalid(client, &format!("no password: {why}")))?,
        };
        let grant = Grant::Password {
            username: username.clone(),
            password,
        };
        let issued = request_token(client, grant).await?;
        let Some(mfa_token) = issued.mfa_token else {
            return Ok(issued);
        };
        // The account has multi-factor authentication: the code, then the second step.
        let Some(MfaCode(code)) = mfa else {
            return Err(invalid(
                client,
                "the account asks for a multi-factor code, and no way to obtain one was configured \
                 (ApplianceBuilder::mfa_code)",
            ));
        };
        tracing::debug!("the account asks for a second factor");
        let code = code()
            .await
            .map_err(|why| invalid(client, &format!("no multi-factor code: {why}")))?;
        request_token(client, Grant::Mfa { mfa_token, code }).await
    }

    fn lock(&self) -> MutexGuard<'_, Tokens> {
        // The state stays consistent whatever panicked while holding the lock: every change
        // under it is a plain assignment.
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn no_token(client: &dyn TokenEndpoint) -> Error {
    invalid(client, "no access token is configured")
}

/// An error of the token operation of `client`'s version; nothing was sent.
fn invalid(client: &dyn TokenEndpoint, message: &str) -> Error {
    Error::new(
        client.token_operation(),
        ErrorKind::InvalidRequest {
            message: message.to_string(),
        },
    )
}

fn store(client: &dyn TokenEndpoint, tokens: &mut Tokens, token: Issued) -> Result<Secret, Error> {
    let Some(access) = token.access else {
        return Err(invalid(
            client,
            "the appliance's token answer holds no access token",
        ));
    };
    // Renew a minute early, or halfway through a lifetime shorter than two minutes, so that a
    // token never expires between the check and the request. A token whose answer gives no
    // lifetime is kept until the appliance refuses it (then it is renewed once, on the 401).
    tokens.renew_at = token.lifetime.map(|lifetime| {
        let margin = renewal_margin(lifetime);
        Instant::now() + lifetime - margin
    });
    tokens.expires_at = token
        .lifetime
        .and_then(|lifetime| SystemTime::now().checked_add(lifetime));
    tokens.refresh = token.refresh;
    tokens.access = Some(access.clone());
    tracing::debug!(
        lifetime_secs = token.lifetime.map(|l| l.as_secs()),
        "obtained an access token"
    );
    Ok(access)
}

/// How long before its end a token of `lifetime` is renewed: a minute, or half of a lifetime
/// shorter than two minutes.
fn renewal_margin(lifetime: Duration) -> Duration {
    (lifetime / 2).min(Duration::from_secs(60))
}

/// When to renew a token kept from an earlier run that expires at `expires_at`: the same margin
/// as a fresh one's, from the time it has left (now, if it has expired or the clock went back).
fn renewal_before(expires_at: SystemTime) -> Instant {
    let left = expires_at
        .duration_since(SystemTime::now())
        .unwrap_or(Duration::ZERO);
    let margin = renewal_margin(left);
    Instant::now() + (left - margin)
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
