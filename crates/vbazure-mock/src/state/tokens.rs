//! Tokens: access tokens and the refresh tokens issued with them, their expiry and logout,
//! and the `mfa_token`s of logins waiting for their second factor (v8.1). Tokens are shared
//! by every version, as the token path is.

use std::time::Duration;

use chrono::TimeDelta;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::dotnet::{guid, timestamp};

use super::{now, State};

/// How long an `mfa_token` waits for its code.
const MFA_LIFETIME: Duration = Duration::from_secs(300);

#[derive(Debug)]
pub(super) struct AccessToken {
    expires: Instant,
    /// The refresh token issued with it, revoked with it at logout.
    refresh: String,
}

#[derive(Debug)]
pub(super) struct PendingMfa {
    username: String,
    expires: Instant,
}

fn random_token() -> String {
    (0..4)
        .map(|_| format!("{:016x}", fastrand::u64(..)))
        .collect()
}

/// How a token answer is written: v1's fields only, or v8.1's.
#[derive(Clone, Copy, Debug)]
pub(crate) enum TokenForm {
    V1,
    V8_1 {
        mfa_enabled: bool,
        short_lived: bool,
    },
}

impl State {
    /// A new token pair for an account.
    pub(crate) fn issue_tokens(
        &mut self,
        username: &str,
        lifetime: Duration,
        form: TokenForm,
    ) -> Value {
        let access = random_token();
        let refresh = random_token();
        let now_instant = Instant::now();
        // A long-running mock issues many tokens: forget the expired ones.
        self.access.retain(|_, token| token.expires > now_instant);
        self.mfa.retain(|_, pending| pending.expires > now_instant);
        self.access.insert(
            access.clone(),
            AccessToken {
                expires: now_instant + lifetime,
                refresh: refresh.clone(),
            },
        );
        self.refresh.insert(refresh.clone(), username.to_string());
        let issued = now();
        let mut answer = json!({
            "access_token": access,
            "token_type": "bearer",
            "refresh_token": refresh,
            "expires_in": lifetime.as_secs(),
            ".issued": timestamp(issued),
            ".expires": timestamp(issued + TimeDelta::from_std(lifetime).unwrap_or_default()),
        });
        if let TokenForm::V8_1 {
            mfa_enabled,
            short_lived,
        } = form
        {
            let extra = json!({
                "userId": user_id(username),
                "username": username,
                "roleName": "PortalAdmin",
                "userType": "Internal",
                "latestNewsShown": true,
                "mfa_enabled": mfa_enabled,
                "mfa_token": null,
                "redirectTo": null,
                "shortLived": short_lived,
            });
            if let (Some(answer), Some(extra)) = (answer.as_object_mut(), extra.as_object()) {
                answer.extend(extra.clone());
            }
        }
        answer
    }

    /// The first step of a login with a second factor: the answer that asks for the code.
    pub(crate) fn start_mfa(&mut self, username: &str) -> Value {
        let token = random_token();
        self.mfa.insert(
            token.clone(),
            PendingMfa {
                username: username.to_string(),
                expires: Instant::now() + MFA_LIFETIME,
            },
        );
        json!({
            "access_token": null,
            "token_type": null,
            "refresh_token": null,
            "expires_in": 0,
            ".issued": null,
            ".expires": null,
            "userId": null,
            "username": username,
            "roleName": null,
            "userType": "Internal",
            "latestNewsShown": false,
            "mfa_enabled": true,
            "mfa_token": token,
            "redirectTo": null,
            "shortLived": false,
        })
    }

    /// The account an unexpired `mfa_token` was given to. The token stays valid until the
    /// right code uses it up (see [`State::finish_mfa`]), so a mistyped code can be retried.
    pub(crate) fn mfa_account(&self, token: &str) -> Option<String> {
        self.mfa
            .get(token)
            .filter(|pending| Instant::now() < pending.expires)
            .map(|pending| pending.username.clone())
    }

    pub(crate) fn finish_mfa(&mut self, token: &str) {
        self.mfa.remove(token);
    }

    /// Uses up a refresh token; the account it was issued to.
    pub(crate) fn redeem_refresh(&mut self, token: &str) -> Option<String> {
        self.refresh.remove(token)
    }

    pub(crate) fn access_is_valid(&self, token: &str) -> bool {
        self.access
            .get(token)
            .is_some_and(|t| Instant::now() < t.expires)
    }

    /// Logout: the access token and the refresh token issued with it stop working.
    pub(crate) fn revoke(&mut self, access: &str) {
        if let Some(token) = self.access.remove(access) {
            self.refresh.remove(&token.refresh);
        }
    }
}

/// A stable identifier for an account name, as the appliance gives each user one.
fn user_id(username: &str) -> String {
    // FNV-1a of the name seeds it: the same account gets the same id on every run.
    let seed = username.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    guid(fastrand::Rng::with_seed(seed).u128(..))
}

#[cfg(test)]
mod tests {
    use super::super::test_state;
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn tokens_expire_on_tokios_clock_and_logout_revokes_the_pair() {
        let mut state = test_state();
        let answer = state.issue_tokens("administrator", Duration::from_secs(3600), TokenForm::V1);
        let token = answer["access_token"]
            .as_str()
            .expect("a token")
            .to_string();
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(3599)).await;
        assert!(state.access_is_valid(&token));
        tokio::time::advance(Duration::from_secs(1)).await;
        assert!(!state.access_is_valid(&token), "expired after its lifetime");

        let answer = state.issue_tokens(
            "administrator",
            Duration::from_secs(3600),
            TokenForm::V8_1 {
                mfa_enabled: false,
                short_lived: false,
            },
        );
        assert_eq!(answer["username"], "administrator");
        let access = answer["access_token"].as_str().expect("a token");
        let refresh = answer["refresh_token"].as_str().expect("a refresh token");
        state.revoke(access);
        assert!(!state.access_is_valid(access));
        assert!(state.redeem_refresh(refresh).is_none(), "revoked with it");
    }

    #[tokio::test(start_paused = true)]
    async fn mfa_tokens_wait_five_minutes_for_their_code() {
        let mut state = test_state();
        let challenge = state.start_mfa("administrator");
        let token = challenge["mfa_token"]
            .as_str()
            .expect("a token")
            .to_string();
        assert_eq!(state.mfa_account(&token).as_deref(), Some("administrator"));
        tokio::time::advance(MFA_LIFETIME).await;
        assert!(state.mfa_account(&token).is_none());
    }
}
