//! `vbazure logout`: the token kept for the profile revoked on the appliance (v8.1) and its
//! file removed. Whatever the appliance answers, the file goes: a person who logs out does
//! not want the token kept.

use vbazure::{Appliance, ErrorKind};

use crate::exit::Exit;
use crate::output::Printer;
use crate::settings::Settings;
use crate::token_cache::TokenCache;
use crate::{error_line, Failure};

/// Logs out of what the token cache holds for the profile in `settings`.
pub(crate) async fn run(settings: &Settings, printer: &Printer) -> Result<Exit, Failure> {
    if settings.mock {
        // Never the tokens kept for a real appliance.
        printer.summary("the built-in mock keeps no tokens: nothing to log out");
        return Ok(Exit::Ok);
    }
    let cache = TokenCache::of_profile(settings.profile.as_deref())?;
    let which = settings.profile.as_deref().map_or_else(
        || "the runs without a profile".to_string(),
        |p| format!("profile `{p}`"),
    );
    let Some((url, tokens)) = cache.read_any() else {
        // Nothing usable; a file that is not a token file goes too.
        let removed = cache.remove().map_err(|e| unremovable(&cache, &e))?;
        let what = if removed {
            "an unreadable token file, removed"
        } else {
            "no tokens kept"
        };
        printer.summary(&format!("{which}: {what}; nothing to log out"));
        return Ok(Exit::Ok);
    };
    let mut builder = Appliance::builder(url.as_str())
        .access_token(tokens.access)
        .request_timeout(settings.request_timeout);
    if let Some(version) = settings.api_version.chosen() {
        builder = builder.api_version(version);
    }
    if let Some(pem) = &settings.ca_cert {
        builder = builder.ca_certificate_file(pem);
    }
    if settings.insecure {
        builder = builder.danger_accept_invalid_certificates(true);
    }
    let removed = format!(
        "the kept tokens of {which} removed ({})",
        cache.path().display()
    );
    let revoked = match builder.build() {
        Ok(appliance) => appliance.logout().await,
        Err(e) => {
            cache.remove().map_err(|e| unremovable(&cache, &e))?;
            return Err(Failure::new(
                Exit::Usage,
                format!("{removed}, but the token was not revoked: {e}"),
            ));
        }
    };
    cache.remove().map_err(|e| unremovable(&cache, &e))?;
    match revoked {
        Ok(()) => printer.summary(&format!("logged out of {url}; {removed}")),
        Err(e) if matches!(e.kind(), ErrorKind::NotInVersion { .. }) => printer.summary(&format!(
            "{url} speaks API v1, which has no logout: the token expires by itself; {removed}"
        )),
        Err(e) if matches!(e.kind(), ErrorKind::Unauthorized(_)) => {
            printer.summary(&format!("{url} no longer accepted the token; {removed}"))
        }
        Err(e) => {
            return Err(Failure::new(
                Exit::of_error(&e),
                format!(
                    "{removed}, but the appliance did not confirm the logout: {}",
                    error_line("logout", &e)
                ),
            ))
        }
    }
    Ok(Exit::Ok)
}

fn unremovable(cache: &TokenCache, e: &std::io::Error) -> Failure {
    Failure::new(
        Exit::Usage,
        format!(
            "cannot remove the token cache {}: {e}",
            cache.path().display()
        ),
    )
}
