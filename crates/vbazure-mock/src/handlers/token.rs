//! The token operation (`createToken`), the one operation every version serves alike: its
//! path carries no version, so it is served once, as the newest document served has it.

use std::collections::BTreeMap;

use serde_json::Value;
use vbazure_spec::ApiVersion;

use crate::call::Call;
use crate::reply::Reply;
use crate::shared::Shared;
use crate::state::TokenForm;

/// The body's field named `name` in any casing, as the appliance (an ASP.NET service) binds
/// them: v1 documents `Username`, v8.1 `username`, and both reach it. The exact spelling
/// wins; the key as sent comes with the value.
fn field_entry<'a>(call: &'a Call<'_>, name: &str) -> Option<(&'a str, &'a Value)> {
    let body = call.body.as_ref()?.as_object()?;
    body.get_key_value(name)
        .or_else(|| body.iter().find(|(key, _)| key.eq_ignore_ascii_case(name)))
        .map(|(key, value)| (key.as_str(), value))
}

/// A text field of the body (see [`field_entry`]).
fn field<'a>(call: &'a Call<'_>, name: &str) -> Option<&'a str> {
    field_entry(call, name)?.1.as_str()
}

/// Answers 401 naming each of `names` that is missing or empty; a field sent empty is named
/// as the client spelled it, a missing one as `names` spells it (v1's `Username`, the
/// capitalised form the vendor's examples send to every version).
///
/// 401, not 400: both documents make every field but `grant_type` optional, so such a form is
/// well-formed; what it lacks is the proof of who is asking, which is what 401 answers. (A
/// form the schema refuses, such as one without `grant_type`, is still a 400.)
fn require(call: &Call<'_>, names: &[&str]) -> Result<(), Reply> {
    let mut missing: Vec<&str> = Vec::new();
    for name in names {
        let (key, present) = match field_entry(call, name) {
            Some((key, value)) => (key, value.as_str().is_some_and(|v| !v.is_empty())),
            None => (*name, false),
        };
        if !present {
            missing.push(key);
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    let grant = field(call, "grant_type").unwrap_or_default();
    Err(Reply::problem(
        401,
        format!(
            "The {grant} grant needs {}; the form has no {}.",
            names.join(" and "),
            missing.join(" and ")
        ),
    ))
}

/// The token operation. It is served once for every version (its path carries none), as the
/// newest document served has it: v8.1's answer, with MFA, when v8.1 is served; v1's fields
/// only when v1 alone is.
pub(super) fn create_token(shared: &Shared, call: &Call<'_>) -> Reply {
    let config = shared.config();
    let speaks_v8_1 = call.version == ApiVersion::V8_1;
    let username = match field(call, "grant_type") {
        Some("Password") => {
            if let Err(reply) = require(call, &["Username", "Password"]) {
                return reply;
            }
            if field(call, "Username") != Some(config.username.as_str())
                || field(call, "Password") != Some(config.password.as_str())
            {
                return Reply::problem(401, "The user name or password is incorrect.");
            }
            if config.mfa_code.is_some() {
                if !speaks_v8_1 {
                    // v1's token answer has no form for the second step.
                    return Reply::problem(
                        401,
                        "This account uses multi-factor authentication, which needs API v8.1.",
                    );
                }
                return Reply::json(200, shared.state().start_mfa(&config.username));
            }
            config.username.clone()
        }
        Some("Refresh_token") => {
            if let Err(reply) = require(call, &["refresh_token"]) {
                return reply;
            }
            let token = field(call, "refresh_token").unwrap_or_default();
            match shared.state().redeem_refresh(token) {
                Some(username) => username,
                None => {
                    return Reply::problem(
                        401,
                        "The refresh token is not valid or was already used.",
                    )
                }
            }
        }
        Some("Mfa") => {
            if let Err(reply) = require(call, &["mfa_token", "mfa_code"]) {
                return reply;
            }
            let token = field(call, "mfa_token").unwrap_or_default();
            let mut state = shared.state();
            let Some(username) = state.mfa_account(token) else {
                return Reply::problem(
                    401,
                    "The MFA token is not valid, was already used or has expired; log in again.",
                );
            };
            if config.mfa_code.as_deref() != field(call, "mfa_code") {
                return Reply::problem(401, "The one-time code is not valid.");
            }
            state.finish_mfa(token);
            username
        }
        // A grant the documents list but this appliance does not accept (no identity
        // provider, no updater): the login is refused, as the documents allow the form.
        Some(other) => {
            return Reply::problem(
                401,
                format!(
                    "The {other} grant is not available on this appliance; use Password, \
                     Refresh_token or Mfa."
                ),
            )
        }
        None => {
            return Reply::validation(BTreeMap::from([(
                "grant_type".to_string(),
                vec!["The grant_type field is required.".to_string()],
            )]))
        }
    };
    let form = if speaks_v8_1 {
        let short_lived = field_entry(call, "short_lived_refresh_token")
            .and_then(|(_, v)| v.as_str())
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        TokenForm::V8_1 {
            mfa_enabled: config.mfa_code.is_some(),
            short_lived,
        }
    } else {
        TokenForm::V1
    };
    Reply::json(
        200,
        shared
            .state()
            .issue_tokens(&username, config.token_lifetime, form),
    )
}
