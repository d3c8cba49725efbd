//! The global flags, the chosen profile and the built-in defaults, made into the settings of
//! the run once: a flag (or its environment variable) wins over the profile, which wins over
//! the default.

use std::path::PathBuf;
use std::time::Duration;

use crate::args::{Global, Output, VersionChoice};
use crate::profile::{self, Profiles};
use crate::token_cache::TokenCache;
use crate::Failure;

/// The request timeout without a flag or profile.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the run uses.
#[derive(Debug)]
pub(crate) struct Settings {
    pub url: Option<String>,
    /// `--token` / `VBAZURE_TOKEN` (redacted in `Debug`).
    pub token: Option<vbazure::Secret>,
    pub username: Option<String>,
    pub ca_cert: Option<PathBuf>,
    pub insecure: bool,
    pub api_version: VersionChoice,
    pub request_timeout: Duration,
    pub output: Output,
    pub columns: Option<Vec<String>>,
    pub mock: bool,
    pub verbose: u8,
    /// The profile in use.
    pub profile: Option<String>,
    /// Where tokens are kept between runs: `None` with `--no-token-cache`, with `--mock` (its
    /// appliance lives for one run) and with a token given.
    pub token_cache: Option<TokenCache>,
}

impl Settings {
    /// The settings of `global` and of the profile it names (read from the profiles file).
    pub(crate) fn resolve(global: &Global) -> Result<Self, Failure> {
        let profile = match &global.profile {
            Some(name) => {
                profile::check_name(name)?;
                Some(Profiles::load()?.get(name)?)
            }
            None => None,
        };
        let from_profile = profile.as_ref();
        let token_cache = if global.no_token_cache || global.mock || global.token.is_some() {
            None
        } else {
            // A system without a cache directory runs without the cache, as before it had one.
            TokenCache::of_profile(global.profile.as_deref())
                .inspect_err(|failure| tracing::info!("no token cache: {}", failure.message))
                .ok()
        };
        Ok(Self {
            url: global
                .url
                .clone()
                .or_else(|| from_profile.map(|p| p.url.clone())),
            token: global.token.as_deref().map(vbazure::Secret::from),
            username: global
                .username
                .clone()
                .or_else(|| from_profile.and_then(|p| p.username.clone())),
            ca_cert: global
                .ca_cert
                .clone()
                .or_else(|| from_profile.and_then(|p| p.ca_cert.clone())),
            insecure: global.insecure,
            api_version: global
                .api_version
                .or_else(|| from_profile.and_then(|p| p.api_version))
                .unwrap_or(VersionChoice::AUTO),
            request_timeout: global
                .request_timeout
                .or_else(|| from_profile.and_then(|p| p.request_timeout))
                .unwrap_or(DEFAULT_REQUEST_TIMEOUT),
            output: output(global, from_profile.and_then(|p| p.output)),
            columns: global.columns.clone(),
            mock: global.mock,
            verbose: global.verbose,
            profile: global.profile.clone(),
            token_cache,
        })
    }
}

/// The output form: the flag's, the profile's, or tables.
pub(crate) fn output(global: &Global, profile: Option<Output>) -> Output {
    global.output.or(profile).unwrap_or(Output::Table)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::Cli;

    #[test]
    fn a_flag_wins_and_the_token_never_shows_in_debug() {
        let cli = Cli::parse_from([
            "vbazure",
            "--token",
            "s3cret-token",
            "--url",
            "https://a.example.com",
            "--request-timeout",
            "45s",
            "sessions",
            "list",
        ]);
        let settings = Settings::resolve(&cli.global).expect("settings");
        assert_eq!(settings.request_timeout, Duration::from_secs(45));
        assert!(
            settings.token_cache.is_none(),
            "a given token is not cached"
        );
        let shown = format!("{settings:?}");
        assert!(!shown.contains("s3cret-token"), "{shown}");
    }
}
