//! Where vbazure keeps its files: profiles in the platform's config directory, tokens in its
//! cache directory (`~/.config/vbazure` and `~/.cache/vbazure` on Linux, `~/Library/...` on
//! macOS, `%APPDATA%` and `%LOCALAPPDATA%` on Windows). `VBAZURE_CONFIG_DIR` and
//! `VBAZURE_CACHE_DIR` put them elsewhere (a CI job, a test, a second identity).

use std::path::PathBuf;

use crate::exit::Exit;
use crate::Failure;

/// The directory of `profiles.toml`.
pub(crate) fn config_dir() -> Result<PathBuf, Failure> {
    place("VBAZURE_CONFIG_DIR", dirs::config_dir(), "config")
}

/// The directory of the token cache.
pub(crate) fn cache_dir() -> Result<PathBuf, Failure> {
    place("VBAZURE_CACHE_DIR", dirs::cache_dir(), "cache")
}

fn place(variable: &str, platform: Option<PathBuf>, what: &str) -> Result<PathBuf, Failure> {
    if let Some(dir) = std::env::var_os(variable).filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    platform.map(|dir| dir.join("vbazure")).ok_or_else(|| {
        Failure::new(
            Exit::Usage,
            format!("this system has no {what} directory for vbazure (no home?): set {variable}"),
        )
    })
}
