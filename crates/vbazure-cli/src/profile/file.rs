//! `profiles.toml`: named appliances and their defaults, one table per profile.
//!
//! ```toml
//! [profiles.prod]
//! url = "https://vbazure.example.com"
//! username = "svc-backup"
//! api-version = "8.1"
//! ca-cert = "/etc/ssl/vbazure-ca.pem"
//! output = "json"
//! request-timeout = "45s"
//! ```
//!
//! Read whole with serde (an unknown key is an error naming it, so that a misspelt setting
//! is never silently unused); written back by editing the document, so that what a person
//! wrote around the tables (comments, other profiles' layout) stays.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::args::{Output, VersionChoice};
use crate::exit::Exit;
use crate::filters::parse_duration;
use crate::Failure;

/// One profile, as the file holds it. Never a password or a token.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub(crate) struct Profile {
    /// The appliance's base URL.
    pub url: String,
    /// The account to log in with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `auto`, `1` or `8.1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// A PEM file of CA certificates to trust, as an absolute path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_cert: Option<PathBuf>,
    /// The default `--output`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Output>,
    /// The default `--request-timeout`, e.g. `45s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<String>,
}

/// A profile's settings, checked.
#[derive(Clone, Debug)]
pub(crate) struct Checked {
    pub url: String,
    pub username: Option<String>,
    pub api_version: Option<VersionChoice>,
    pub ca_cert: Option<PathBuf>,
    pub output: Option<Output>,
    pub request_timeout: Option<Duration>,
}

impl Profile {
    /// The settings, or an error naming the profile, the key and what is accepted.
    pub(crate) fn check(&self, name: &str, file: &Path) -> Result<Checked, Failure> {
        let bad = |key: &str, why: String| {
            Failure::new(
                Exit::Usage,
                format!("{}: profile {name}: {key}: {why}", file.display()),
            )
        };
        let api_version = self
            .api_version
            .as_deref()
            .map(VersionChoice::parse)
            .transpose()
            .map_err(|_| bad("api-version", "expected auto, 1 or 8.1".to_string()))?;
        let request_timeout = self
            .request_timeout
            .as_deref()
            .map(parse_duration)
            .transpose()
            .map_err(|why| bad("request-timeout", why))?;
        Ok(Checked {
            url: self.url.clone(),
            username: self.username.clone(),
            api_version,
            ca_cert: self.ca_cert.clone(),
            output: self.output,
            request_timeout,
        })
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Document {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The profiles file: where it is and what it holds.
#[derive(Debug)]
pub(crate) struct Profiles {
    pub path: PathBuf,
    /// By name; empty when the file does not exist yet.
    pub profiles: BTreeMap<String, Profile>,
    /// The file's text, to edit ("" when it does not exist).
    text: String,
}

impl Profiles {
    /// The profiles file in the config directory.
    pub(crate) fn load() -> Result<Self, Failure> {
        Self::load_from(crate::places::config_dir()?.join("profiles.toml"))
    }

    fn load_from(path: PathBuf) -> Result<Self, Failure> {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(Failure::new(
                    Exit::Usage,
                    format!("cannot read {}: {e}", path.display()),
                ))
            }
        };
        let document: Document = toml_edit::de::from_str(&text).map_err(|e| {
            // The error's own rendering quotes the line, which may hold a password someone
            // put there: only where it is and what is wrong are shown.
            let place = e.span().map_or_else(String::new, |span| {
                let before = text.get(..span.start).unwrap_or_default();
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                format!(" line {line}, column {column}:")
            });
            let mut message = format!("{}:{place} {}", path.display(), e.message().trim_end());
            if ["password", "token"]
                .iter()
                .any(|key| e.message().contains(&format!("unknown field `{key}")))
            {
                message.push_str(
                    "\n(a profile never holds a password or token: set VBAZURE_PASSWORD, or \
                     let vbazure ask on the terminal)",
                );
            }
            Failure::new(Exit::Usage, message)
        })?;
        Ok(Self {
            path,
            profiles: document.profiles,
            text,
        })
    }

    /// The profile named `name`, checked, or an error listing the profiles there are.
    pub(crate) fn get(&self, name: &str) -> Result<Checked, Failure> {
        match self.profiles.get(name) {
            Some(profile) => profile.check(name, &self.path),
            None => Err(self.missing(name)),
        }
    }

    /// The error of a profile that is not in the file.
    pub(crate) fn missing(&self, name: &str) -> Failure {
        let known = if self.profiles.is_empty() {
            "it has none; add one with `vbazure profile add NAME --url URL`".to_string()
        } else {
            let names: Vec<&str> = self.profiles.keys().map(String::as_str).collect();
            format!("its profiles are {}", names.join(", "))
        };
        Failure::new(
            Exit::Usage,
            format!("no profile `{name}` in {}: {known}", self.path.display()),
        )
    }

    /// Writes `profile` as `name` (replacing one of that name) and saves the file.
    pub(crate) fn put(&mut self, name: &str, profile: Profile) -> Result<(), Failure> {
        let table = toml_edit::ser::to_document(&profile)
            .map_err(|e| self.unwritable(&e.to_string()))?
            .as_table()
            .clone();
        let mut document = self.document()?;
        let profiles = document
            .entry("profiles")
            .or_insert_with(|| {
                let mut table = toml_edit::Table::new();
                // `[profiles.NAME]` headers, without an empty `[profiles]` above them.
                table.set_implicit(true);
                toml_edit::Item::Table(table)
            })
            .as_table_mut()
            .ok_or_else(|| self.unwritable("`profiles` is not a table"))?;
        profiles.insert(name, toml_edit::Item::Table(table));
        self.save(&document.to_string())?;
        self.profiles.insert(name.to_string(), profile);
        Ok(())
    }

    /// Removes the profile `name` and saves the file; an error when there is none.
    pub(crate) fn remove(&mut self, name: &str) -> Result<(), Failure> {
        if !self.profiles.contains_key(name) {
            return Err(self.missing(name));
        }
        let mut document = self.document()?;
        if let Some(profiles) = document.get_mut("profiles").and_then(|p| p.as_table_mut()) {
            profiles.remove(name);
        }
        self.save(&document.to_string())?;
        self.profiles.remove(name);
        Ok(())
    }

    fn document(&self) -> Result<toml_edit::DocumentMut, Failure> {
        self.text
            .parse()
            .map_err(|e: toml_edit::TomlError| self.unwritable(&e.to_string()))
    }

    /// Writes `text` beside the file, then renames it over: a crash leaves the old file or
    /// the new one, never half of one.
    fn save(&mut self, text: &str) -> Result<(), Failure> {
        let failed = |e: std::io::Error| self.unwritable(&e.to_string());
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(failed)?;
        }
        let staged = self
            .path
            .with_extension(format!("toml.{}.new", std::process::id()));
        std::fs::write(&staged, text).map_err(failed)?;
        std::fs::rename(&staged, &self.path).map_err(failed)?;
        self.text = text.to_string();
        Ok(())
    }

    fn unwritable(&self, why: &str) -> Failure {
        Failure::new(
            Exit::Usage,
            format!("cannot write {}: {}", self.path.display(), why.trim_end()),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("vbazure-profiles-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir.join("profiles.toml")
    }

    fn prod() -> Profile {
        Profile {
            url: "https://vbazure.example.com".to_string(),
            username: Some("svc-backup".to_string()),
            api_version: Some("8.1".to_string()),
            output: Some(Output::Json),
            request_timeout: Some("45s".to_string()),
            ..Profile::default()
        }
    }

    #[test]
    fn a_profile_put_is_read_back_and_comments_stay() {
        let path = scratch("round-trip");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "# my appliances\n[profiles.lab]\nurl = \"https://lab\" # the lab\n",
        )
        .unwrap();
        let mut profiles = Profiles::load_from(path.clone()).unwrap();
        profiles.put("prod", prod()).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# my appliances\n"), "{text}");
        assert!(text.contains("url = \"https://lab\" # the lab"), "{text}");
        assert!(text.contains("[profiles.prod]"), "{text}");
        assert!(!text.contains("[profiles]\n"), "{text}");
        let again = Profiles::load_from(path.clone()).unwrap();
        assert_eq!(again.profiles["prod"], prod());
        let checked = again.get("prod").unwrap();
        assert_eq!(
            checked.api_version.map(VersionChoice::chosen),
            Some(Some(vbazure::ApiVersion::V8_1))
        );
        assert_eq!(checked.request_timeout, Some(Duration::from_secs(45)));

        let mut profiles = again;
        profiles.remove("lab").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("lab"), "{text}");
        assert!(Profiles::load_from(path).unwrap().get("lab").is_err());
    }

    #[test]
    fn a_password_in_the_file_is_refused_naming_the_line() {
        let path = scratch("password");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(
            &path,
            "[profiles.prod]\nurl = \"https://p\"\npassword = \"hunter2\"\n",
        )
        .unwrap();
        let failure = Profiles::load_from(path.clone()).unwrap_err();
        assert_eq!(failure.exit, Exit::Usage);
        assert!(failure.message.contains(&path.display().to_string()));
        assert!(failure.message.contains("line 3"), "{}", failure.message);
        assert!(
            failure.message.contains("never holds a password"),
            "{}",
            failure.message
        );
        assert!(!failure.message.contains("hunter2"), "{}", failure.message);
    }

    #[test]
    fn a_bad_setting_names_the_profile_and_the_key() {
        let mut profile = prod();
        profile.api_version = Some("9".to_string());
        let failure = profile.check("prod", Path::new("p.toml")).unwrap_err();
        assert_eq!(
            failure.message,
            "p.toml: profile prod: api-version: expected auto, 1 or 8.1"
        );
        let mut profile = prod();
        profile.request_timeout = Some("soon".to_string());
        let failure = profile.check("prod", Path::new("p.toml")).unwrap_err();
        assert!(failure
            .message
            .starts_with("p.toml: profile prod: request-timeout: "));
    }

    #[test]
    fn an_unknown_profile_lists_the_known_ones() {
        let mut profiles = Profiles::load_from(scratch("unknown")).unwrap();
        assert!(profiles
            .get("prod")
            .unwrap_err()
            .message
            .contains("it has none"));
        profiles.put("lab", prod()).unwrap();
        profiles.put("prod", prod()).unwrap();
        let failure = profiles.get("test").unwrap_err();
        assert!(
            failure.message.ends_with("its profiles are lab, prod"),
            "{}",
            failure.message
        );
    }
}
