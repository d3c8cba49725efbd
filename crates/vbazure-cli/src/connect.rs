//! From the global options to a connected `Appliance` (or the built-in mock).

use std::io::IsTerminal;

use vbazure::Appliance;

use crate::args::Global;
use crate::exit::Exit;
use crate::Failure;

/// A client, and the mock it talks to when `--mock` started one (kept alive with it).
pub(crate) struct Connection {
    pub appliance: Appliance,
    #[cfg(feature = "mock")]
    _mock: Option<vbazure_mock::MockAppliance>,
}

/// A client for the built-in mock appliance, started on loopback.
#[cfg(feature = "mock")]
async fn connect_mock(global: &Global) -> Result<Connection, Failure> {
    let mock = vbazure_mock::MockAppliance::start().await.map_err(|e| {
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
    let mut builder = Appliance::builder(mock.url()).credentials(config.username, config.password);
    if let Some(version) = global.api_version.chosen() {
        builder = builder.api_version(version);
    }
    let appliance = builder
        .build()
        .map_err(|e| Failure::new(Exit::Usage, e.to_string()))?;
    Ok(Connection {
        appliance,
        _mock: Some(mock),
    })
}

#[cfg(not(feature = "mock"))]
async fn connect_mock(_global: &Global) -> Result<Connection, Failure> {
    Err(Failure::new(
        Exit::Usage,
        "--mock: this vbazure was built without the built-in mock appliance (cargo feature \
         `mock`); pass --url / VBAZURE_URL, or rebuild with default features"
            .to_string(),
    ))
}

pub(crate) async fn connect(global: &Global) -> Result<Connection, Failure> {
    let usage = |message: String| Failure::new(Exit::Usage, message);
    if global.mock {
        return connect_mock(global).await;
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
    let mut builder = Appliance::builder(url);
    if let Some(version) = global.api_version.chosen() {
        builder = builder.api_version(version);
    }
    builder = match (&global.token, &global.username) {
        (Some(token), _) => builder.access_token(token.as_str()),
        (None, Some(username)) => builder.credentials(username.as_str(), password(username)?),
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
    let appliance = builder.build().map_err(|e| usage(e.to_string()))?;
    Ok(Connection {
        appliance,
        #[cfg(feature = "mock")]
        _mock: None,
    })
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
