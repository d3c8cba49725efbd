//! From the settings to a connected `Appliance` (or the built-in mock).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use vbazure::{Appliance, Conformance, MfaFuture, Secret};

use crate::exit::Exit;
use crate::settings::Settings;
use crate::token_cache::{Kept, TokenCache};
use crate::Failure;

/// A client, and the mock it talks to when `--mock` started one (kept alive with it).
pub(crate) struct Connection {
    pub appliance: Appliance,
    /// Whether it logs in with a password (then the run logs out at its end), rather than
    /// using a token it was given.
    pub password_login: bool,
    /// Set when a login needed a multi-factor code, or a password after the kept tokens,
    /// and none could be had: the run then exits as a usage error.
    pub secret_missing: Arc<AtomicBool>,
    /// Where answers are checked against the document (`vbazure conformance`).
    pub conformance: Option<Conformance>,
    /// Where the run's tokens are kept for the next run (instead of a logout at its end).
    pub keep: Option<Keep>,
    #[cfg(feature = "mock")]
    _mock: Option<vbazure_mock::MockAppliance>,
}

/// A client for the built-in mock appliance, started on loopback.
#[cfg(feature = "mock")]
async fn connect_mock(
    settings: &Settings,
    vm_ids: &[String],
    conformance: Option<Conformance>,
) -> Result<Connection, Failure> {
    // The mock's own protected VMs (web-01, db-01, app-03, app-04), and one for every VM id
    // the command names, so that any id can be tried on it.
    let mut builder = vbazure_mock::MockAppliance::builder().generate_vms(4);
    for id in vm_ids {
        builder = builder.vm(id.as_str(), id.as_str());
    }
    let mock = builder.start().await.map_err(|e| {
        Failure::new(
            Exit::Api,
            format!("cannot start the built-in mock appliance: {e}"),
        )
    })?;
    eprintln!(
        "vbazure: using the built-in mock appliance at {}",
        mock.url()
    );
    let config = mock.config();
    if conformance.is_some() {
        // A fresh mock has no sessions: give `conformance` some to read (a finished deletion
        // on two of the mock's own VMs, through a client of its own, before the check starts).
        seed_sessions(&mock, settings).await?;
    }
    let secret_missing = Arc::new(AtomicBool::new(false));
    let mut builder = Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .mfa_code(mfa_code(secret_missing.clone()))
        .request_timeout(settings.request_timeout);
    if let Some(version) = settings.api_version.chosen() {
        builder = builder.api_version(version);
    }
    if let Some(conformance) = &conformance {
        builder = builder.conformance(conformance.clone());
    }
    let appliance = builder
        .build()
        .map_err(|e| Failure::new(Exit::Usage, e.to_string()))?;
    Ok(Connection {
        appliance,
        password_login: true,
        secret_missing,
        conformance,
        keep: None,
        _mock: Some(mock),
    })
}

/// Two finished deletion sessions on the mock, in the version the command will speak.
#[cfg(feature = "mock")]
async fn seed_sessions(
    mock: &vbazure_mock::MockAppliance,
    settings: &Settings,
) -> Result<(), Failure> {
    let failed = |e: vbazure::Error| {
        Failure::new(
            Exit::Api,
            format!("cannot prepare the built-in mock's sessions: {e}"),
        )
    };
    let config = mock.config();
    let mut builder = Appliance::builder(mock.url()).credentials(config.username, config.password);
    if let Some(version) = settings.api_version.chosen() {
        builder = builder.api_version(version);
    }
    let seeding = builder
        .build()
        .map_err(|e| Failure::new(Exit::Usage, e.to_string()))?;
    let quick = vbazure::WaitOptions::default()
        .with_timeout(std::time::Duration::from_secs(30))
        .with_intervals(
            std::time::Duration::from_millis(5),
            std::time::Duration::from_millis(20),
        );
    for (_, id) in mock.vms().into_iter().take(2) {
        if let vbazure::DeleteOutcome::Started(session) =
            seeding.delete_backups(&id).send().await.map_err(failed)?
        {
            seeding
                .wait_session(session, &quick, |_| {})
                .await
                .map_err(failed)?;
        }
    }
    Ok(())
}

#[cfg(not(feature = "mock"))]
async fn connect_mock(
    _settings: &Settings,
    _vm_ids: &[String],
    _conformance: Option<Conformance>,
) -> Result<Connection, Failure> {
    Err(Failure::new(
        Exit::Usage,
        "--mock: this vbazure was built without the built-in mock appliance (cargo feature \
         `mock`); pass --url / VBAZURE_URL, or rebuild with default features"
            .to_string(),
    ))
}

/// A client for the appliance the options name (or the built-in mock, which then also holds
/// the VMs of `vm_ids`). Nothing is sent yet.
pub(crate) async fn connect(
    settings: &Settings,
    vm_ids: &[String],
    conformance: Option<Conformance>,
) -> Result<Connection, Failure> {
    let usage = |message: String| Failure::new(Exit::Usage, message);
    if settings.mock {
        return connect_mock(settings, vm_ids, conformance).await;
    }
    let url = settings.url.as_deref().ok_or_else(|| {
        let mock_hint = if cfg!(feature = "mock") {
            " (or try --mock)"
        } else {
            ""
        };
        usage(format!(
            "no appliance URL: pass --url or set VBAZURE_URL{mock_hint}"
        ))
    })?;
    let mut builder = Appliance::builder(url).request_timeout(settings.request_timeout);
    if let Some(version) = settings.api_version.chosen() {
        builder = builder.api_version(version);
    }
    let secret_missing = Arc::new(AtomicBool::new(false));
    let password_login = settings.token.is_none();
    // `conformance` checks the login's answer itself: it keeps no tokens.
    let keep = match (&settings.token_cache, &settings.username) {
        (Some(cache), Some(username)) if conformance.is_none() => Some(Keep {
            cache: cache.clone(),
            url: url.to_string(),
            username: username.clone(),
        }),
        _ => None,
    };
    let kept = match &keep {
        Some(k) => k.cache.read(&k.url, &k.username),
        None => Kept::Nothing,
    };
    let keep = keep.filter(|_| !matches!(kept, Kept::Refused));
    builder = match (&settings.token, &settings.username, kept) {
        (Some(token), _, _) => builder.access_token(token.clone()),
        // With tokens kept from an earlier run, the password is asked for only if they
        // cannot be renewed.
        (None, Some(username), Kept::Tokens(tokens)) => {
            tracing::debug!("using the tokens kept from an earlier run");
            let asking = username.clone();
            let missing = secret_missing.clone();
            builder
                .credentials_with(username.as_str(), move || {
                    Box::pin(lazy_password(asking.clone(), missing.clone()))
                })
                .tokens(tokens)
                .mfa_code(mfa_code(secret_missing.clone()))
        }
        (None, Some(username), _) => builder
            .credentials(username.as_str(), password(username)?)
            .mfa_code(mfa_code(secret_missing.clone())),
        (None, None, _) => {
            return Err(usage(
                "no credentials: set VBAZURE_TOKEN, or VBAZURE_USERNAME and VBAZURE_PASSWORD"
                    .to_string(),
            ))
        }
    };
    if let Some(pem) = &settings.ca_cert {
        builder = builder.ca_certificate_file(pem);
    }
    if settings.insecure {
        eprintln!(
            "vbazure: warning: --insecure: TLS certificates are not verified; anyone on the network path can read \
             and change this traffic, credentials included"
        );
        builder = builder.danger_accept_invalid_certificates(true);
    }
    if let Some(conformance) = &conformance {
        builder = builder.conformance(conformance.clone());
    }
    let appliance = builder.build().map_err(|e| usage(e.to_string()))?;
    Ok(Connection {
        appliance,
        password_login,
        secret_missing,
        conformance,
        keep,
        #[cfg(feature = "mock")]
        _mock: None,
    })
}

/// Where a multi-factor code comes from (v8.1 accounts with MFA): a prompt on a terminal,
/// without echo; else `VBAZURE_MFA_CODE`; else an error saying so (and `missing` is set, so
/// that the run exits as a usage error).
fn mfa_code(missing: Arc<AtomicBool>) -> impl Fn() -> MfaFuture + Send + Sync + 'static {
    move || {
        let missing = missing.clone();
        Box::pin(async move {
            if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
                let read = tokio::task::spawn_blocking(|| {
                    rpassword::prompt_password("multi-factor code: ")
                })
                .await;
                return match read {
                    Ok(Ok(code)) if !code.trim().is_empty() => Ok(Secret::from(code.trim())),
                    Ok(Ok(_)) => Err("the code given at the prompt is empty".to_string()),
                    Ok(Err(e)) => Err(format!("cannot read the code at the prompt: {e}")),
                    Err(e) => Err(format!("cannot read the code at the prompt: {e}")),
                };
            }
            match std::env::var("VBAZURE_MFA_CODE") {
                Ok(code) if !code.trim().is_empty() => Ok(Secret::from(code.trim())),
                _ => {
                    missing.store(true, Ordering::Relaxed);
                    Err(
                        "the account asks for a multi-factor code: set VBAZURE_MFA_CODE (there \
                         is no terminal to ask on)"
                            .to_string(),
                    )
                }
            }
        })
    }
}

/// Where a run keeps its tokens at its end.
pub(crate) struct Keep {
    pub cache: TokenCache,
    pub url: String,
    pub username: String,
}

impl Keep {
    /// Keeps the tokens `appliance` holds now; with none (the login failed, or a logout),
    /// the file goes, so that the next run does not try a token that is known to be gone.
    pub(crate) fn save(&self, appliance: &Appliance) {
        match appliance.tokens() {
            Some(tokens) => self.cache.write(&self.url, &self.username, &tokens),
            None => {
                if let Err(e) = self.cache.remove() {
                    eprintln!(
                        "vbazure: warning: cannot remove the token cache {}: {e}",
                        self.cache.path().display()
                    );
                }
            }
        }
    }
}

/// The password when a login needs it after all (the kept tokens could not be renewed).
async fn lazy_password(username: String, missing: Arc<AtomicBool>) -> Result<Secret, String> {
    let read = tokio::task::spawn_blocking(move || read_password(&username))
        .await
        .unwrap_or_else(|e| Err(format!("cannot read it at the prompt: {e}")));
    if read.is_err() {
        missing.store(true, Ordering::Relaxed);
    }
    read.map(Secret::from)
}

/// The password: from VBAZURE_PASSWORD, else asked for on the terminal; a usage error
/// (nothing sent) when there is none.
fn password(username: &str) -> Result<String, Failure> {
    read_password(username).map_err(|why| Failure::new(Exit::Usage, format!("no password: {why}")))
}

/// The password, or why there is none (the library's error of a login without it says "no
/// password: " before it).
fn read_password(username: &str) -> Result<String, String> {
    if let Ok(password) = std::env::var("VBAZURE_PASSWORD") {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err("set VBAZURE_PASSWORD (there is no terminal to ask on)".to_string());
    }
    rpassword::prompt_password(format!("password for {username}: "))
        .map_err(|e| format!("cannot read it at the prompt: {e}"))
}
