//! Tokens kept between runs, so that a script of twenty commands logs in once: one file per
//! profile (`default` without one) in the cache directory, `tokens/NAME.json`.
//!
//! The file holds the appliance's URL, the user name, the access and refresh tokens and when
//! the access token expires; never the password. It is created with mode 0600 (its
//! directory 0700) and written beside the old one, then renamed over it. A file others can
//! read is never used: the run reports it and logs in as if there were none, without writing
//! it, until the person fixes or removes it (`vbazure logout`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};
use vbazure::TokenSet;

/// The token file of one profile.
#[derive(Clone, Debug)]
pub(crate) struct TokenCache {
    path: PathBuf,
}

/// What the file holds.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Entry {
    url: String,
    username: String,
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    /// Seconds since the Unix epoch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

/// The outcome of looking for kept tokens.
pub(crate) enum Kept {
    /// Tokens for this appliance and user.
    Tokens(TokenSet),
    /// None (no file, or one for another appliance or user, or one that cannot be read: that
    /// is reported on stderr).
    Nothing,
    /// A file others can read or write: reported, and neither used nor written.
    Refused,
}

impl TokenCache {
    /// The token file of `profile` (or of the runs without one).
    pub(crate) fn of_profile(profile: Option<&str>) -> Result<Self, crate::Failure> {
        let name = profile.unwrap_or("default");
        Ok(Self {
            path: crate::places::cache_dir()?
                .join("tokens")
                .join(format!("{name}.json")),
        })
    }

    /// The file.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// The tokens kept for `url` and `username`.
    pub(crate) fn read(&self, url: &str, username: &str) -> Kept {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Kept::Nothing,
            Err(e) => {
                self.warn(&format!("cannot be read ({e}); logging in"));
                return Kept::Nothing;
            }
        };
        if let Some(mode) = loose_mode(&self.path) {
            self.warn(&format!(
                "has mode {mode:03o}: others can read it, so it is not used (nor written); \
                 `vbazure logout` removes it, or `chmod 600` it if nobody else could have read it"
            ));
            return Kept::Refused;
        }
        let entry = match serde_json::from_str::<Entry>(&text) {
            Ok(entry) => entry,
            Err(e) => {
                self.warn(&format!("is not a token file ({e}); logging in"));
                return Kept::Nothing;
            }
        };
        if entry.url != url || entry.username != username {
            tracing::debug!(
                "the kept tokens are for {} at {}: logging in",
                entry.username,
                entry.url
            );
            return Kept::Nothing;
        }
        Kept::Tokens(entry.tokens())
    }

    /// The access token kept, whoever it is for (`vbazure logout` revokes it), and its URL.
    pub(crate) fn read_any(&self) -> Option<(String, TokenSet)> {
        let text = std::fs::read_to_string(&self.path).ok()?;
        let entry: Entry = serde_json::from_str(&text).ok()?;
        Some((entry.url.clone(), entry.tokens()))
    }

    /// Keeps `tokens` for `url` and `username`. A failure is a warning: the run itself went
    /// as it went.
    pub(crate) fn write(&self, url: &str, username: &str, tokens: &TokenSet) {
        let entry = Entry {
            url: url.to_string(),
            username: username.to_string(),
            access_token: tokens.access.expose_secret().to_string(),
            refresh_token: tokens
                .refresh
                .as_ref()
                .map(|r| r.expose_secret().to_string()),
            expires_at: tokens
                .expires_at
                .and_then(|at| at.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map(|since| since.as_secs()),
        };
        if let Err(e) = self.write_private(&entry) {
            self.warn(&format!(
                "cannot be written ({e}); the next run logs in again"
            ));
        }
    }

    fn write_private(&self, entry: &Entry) -> std::io::Result<()> {
        let text = serde_json::to_string(entry).map_err(std::io::Error::other)?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        private_dir(dir)?;
        // One staged file per process: runs of a script in parallel do not write each other's.
        let staged = self
            .path
            .with_extension(format!("json.{}.new", std::process::id()));
        // A staged file left by a killed run of the same pid may have any mode: start afresh.
        let _ = std::fs::remove_file(&staged);
        let mut file = private_file(&staged)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&staged, &self.path)
    }

    /// Removes the file; whether there was one.
    pub(crate) fn remove(&self) -> std::io::Result<bool> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn warn(&self, what: &str) {
        eprintln!(
            "vbazure: warning: the token cache {} {what}",
            self.path.display()
        );
    }
}

impl Entry {
    fn tokens(&self) -> TokenSet {
        let mut tokens = TokenSet::new(self.access_token.as_str());
        if let Some(refresh) = &self.refresh_token {
            tokens = tokens.with_refresh(refresh.as_str());
        }
        if let Some(at) = self
            .expires_at
            .and_then(|secs| SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)))
        {
            tokens = tokens.with_expiry(at);
        }
        tokens
    }
}

/// The file's mode when group or others have any access to it.
#[cfg(unix)]
fn loose_mode(path: &Path) -> Option<u32> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).ok()?.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then_some(mode)
}

/// Windows: the cache lives in the user's own profile directory.
#[cfg(not(unix))]
fn loose_mode(_path: &Path) -> Option<u32> {
    None
}

#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)
}

/// A new file only its owner can read and write, from its first byte.
#[cfg(unix)]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
}
