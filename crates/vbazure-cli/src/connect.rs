//! From the global options to a connected `Appliance` (or the built-in mock).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use vbazure::{Appliance, Conformance, MfaFuture, Secret};

use crate::args::Global;
use crate::exit::Exit;
use crate::Failure;

/// A client, and the mock it talks to when `--mock` started one (kept alive with it).
pub(crate) struct Connection {
    pub appliance: Appliance,
    /// Whether it logs in with a password (then the run logs out at its end), rather than
    /// using a token it was given.
    pub password_login: bool,
    /// Set when the account asked for a multi-factor code and none could be had.
    pub mfa_missing: Arc<AtomicBool>,
    /// Where answers are checked against the document (`vbazure conformance`).
    pub conformance: Option<Conformance>,
    #[cfg(feature = "mock")]
    _mock: Option<vbazure_mock::MockAppliance>,
}

/// A client for the built-in mock appliance, started on loopback.
#[cfg(feature = "mock")]
async fn connect_mock(
    global: &Global,
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
        seed_sessions(&mock, global).await?;
    }
    let mfa_missing = Arc::new(AtomicBool::new(false));
    let mut builder = Appliance::builder(mock.url())
        .credentials(config.username, config.password)
        .mfa_code(mfa_code(mfa_missing.clone()))
        .request_timeout(global.request_timeout);
    if let Some(version) = global.api_version.chosen() {
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
        mfa_missing,
        conformance,
        _mock: Some(mock),
    })
}

/// Two finished deletion sessions on the mock, in the version the command will speak.
#[cfg(feature = "mock")]
async fn seed_sessions(mock: &vbazure_mock::MockAppliance, global: &Global) -> Result<(), Failure> {
    let failed = |e: vbazure::Error| {
        Failure::new(
            Exit::Api,
            format!("cannot prepare the built-in mock's sessions: {e}"),
        )
    };
    let config = mock.config();
    let mut builder = Appliance::builder(mock.url()).credentials(config.username, config.password);
    if let Some(version) = global.api_version.chosen() {
        builder = builder.api_version(version);
    }
    let seeding = builder
        .build()
        .map_err(|e| Failure::new(Exit::Usage, e.to_string()))?;
    let quick = vbazure::WaitOptions {
        timeout: Some(std::time::Duration::from_secs(30)),
        initial_interval: std::time::Duration::from_millis(5),
        max_interval: std::time::Duration::from_millis(20),
    };
    for (_, id) in mock.vms().into_iter().take(2) {
        if let vbazure::DeleteOutcome::Started(session) =
            seeding.delete_backups(&id).await.map_err(failed)?
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
    _global: &Global,
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
    global: &Global,
    vm_ids: &[String],
    conformance: Option<Conformance>,
) -> Result<Connection, Failure> {
    let usage = |message: String| Failure::new(Exit::Usage, message);
    if global.mock {
        return connect_mock(global, vm_ids, conformance).await;
    }
    let url = global.url.as_deref().ok_or_else(|| {
        let mock_hint = if cfg!(feature = "mock") {
            " (or try --mock)"
        } else {
            ""
        };
        usage(format!(
            "no appliance URL: pass --url or set VBAZURE_URL{mock_hint}"
        ))
    })?;
    let mut builder = Appliance::builder(url).request_timeout(global.request_timeout);
    if let Some(version) = global.api_version.chosen() {
        builder = builder.api_version(version);
    }
    let mfa_missing = Arc::new(AtomicBool::new(false));
    let password_login = global.token.is_none();
    builder = match (&global.token, &global.username) {
        (Some(token), _) => builder.access_token(token.as_str()),
        (None, Some(username)) => builder
            .credentials(username.as_str(), password(username)?)
            .mfa_code(mfa_code(mfa_missing.clone())),
        (None, None) => {
            return Err(usage(
                "no credentials: set VBAZURE_TOKEN, or VBAZURE_USERNAME and VBAZURE_PASSWORD"
                    .to_string(),
            ))
        }
    };
    if let Some(pem) = &global.ca_cert {
        builder = builder.ca_certificate_file(pem);
    }
    if global.insecure {
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
        mfa_missing,
        conformance,
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

/// The password: from VBAZURE_PASSWORD, else asked for on the terminal.
fn password(username: &str) -> Result<String, Failure> {
    if let Ok(password) = std::env::var("VBAZURE_PASSWORD") {
        return Ok(password);
    }
    if !std::io::stdin().is_terminal() || !std::io::stderr().is_terminal() {
        return Err(Failure::new(
            Exit::Usage,
            "no password: set VBAZURE_PASSWORD (there is no terminal to ask on)".to_string(),
        ));
    }
    rpassword::prompt_password(format!("password for {username}: "))
        .map_err(|e| Failure::new(Exit::Usage, format!("cannot read the password: {e}")))
}
