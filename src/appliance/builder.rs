//! Configuring an [`Appliance`]: where it is, who the client is, and how it connects.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::{ApiVersion, Inner, WaitOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT};
use crate::transport::{Auth, Credentials, MfaCode, MfaFuture, Password, SecretFuture};
use crate::{v1, v8_1, Appliance, ClientState, RetryPolicy, Secret, TokenSet};

/// Builds an [`Appliance`]; from [`Appliance::builder`].
///
/// TLS uses rustls and trusts the platform's certificate store. Appliances often present a
/// self-signed certificate: trust its CA with [`ca_certificate_file`](Self::ca_certificate_file)
/// (or, knowingly, turn verification off with
/// [`danger_accept_invalid_certificates`](Self::danger_accept_invalid_certificates)).
#[derive(Debug)]
pub struct ApplianceBuilder {
    base_url: String,
    credentials: Option<Credentials>,
    connect_timeout: Duration,
    request_timeout: Duration,
    ca_files: Vec<PathBuf>,
    ca_pems: Vec<Vec<u8>>,
    accept_invalid_certificates: bool,
    retry: RetryPolicy,
    /// An MFA callback given before the credentials.
    pending_mfa: Option<MfaCode>,
    conformance: Option<crate::Conformance>,
    version: Option<ApiVersion>,
    operation_wait: WaitOptions,
    /// Tokens kept from an earlier run, to start with.
    tokens: Option<TokenSet>,
}

/// Why an [`Appliance`] could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an `http` or `https` URL.
    #[error("the appliance URL {url:?} is not valid: {reason}")]
    BaseUrl {
        /// The URL as given.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Neither an access token nor a username and password was given.
    #[error("no credentials: give an access token, or a username and password")]
    NoCredentials,
    /// Tokens to start with were given without an account to renew them with.
    #[error(
        "tokens to start with need an account (credentials): a fixed access token cannot be renewed"
    )]
    TokensWithoutAccount,
    /// A CA certificate file could not be read or holds no certificate.
    #[error("CA certificate {path}: {reason}")]
    CaCertificate {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The HTTP client could not be set up.
    #[error("cannot set up the HTTP client: {0}")]
    Http(String),
}

impl ApplianceBuilder {
    pub(crate) fn new(base_url: String) -> Self {
        Self {
            base_url,
            credentials: None,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            ca_files: Vec::new(),
            ca_pems: Vec::new(),
            accept_invalid_certificates: false,
            retry: RetryPolicy::default(),
            pending_mfa: None,
            conformance: None,
            version: None,
            operation_wait: WaitOptions::default().with_timeout(Duration::from_secs(10 * 60)),
            tokens: None,
        }
    }

    /// Speak this API version. Without it, the first request finds out which version the
    /// appliance serves (see [`Appliance::api_version`]).
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.version = Some(version);
        self
    }

    /// Where the one-time code comes from when the account of
    /// [`credentials`](Self::credentials) has multi-factor authentication (v8.1): called once
    /// per login that asks for one. Without it such a login fails with a message that says so.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), vbazure::BuildError> {
    /// let appliance = vbazure::Appliance::builder("https://appliance.example.com")
    ///     .credentials("operator", std::env::var("VBAZURE_PASSWORD").unwrap_or_default())
    ///     .mfa_code(|| Box::pin(async {
    ///         std::env::var("VBAZURE_MFA_CODE")
    ///             .map(vbazure::Secret::from)
    ///             .map_err(|_| "VBAZURE_MFA_CODE is not set".to_string())
    ///     }))
    ///     .build()?;
    /// # Ok(()) }
    /// ```
    pub fn mfa_code(mut self, code: impl Fn() -> MfaFuture + Send + Sync + 'static) -> Self {
        if let Some(Credentials::Password { mfa, .. }) = &mut self.credentials {
            *mfa = Some(MfaCode(std::sync::Arc::new(code)));
        } else {
            self.pending_mfa = Some(MfaCode(std::sync::Arc::new(code)));
        }
        self
    }

    /// Check every answer against the document of the API version in use, recording what
    /// departs from it in `conformance`; what the caller receives does not change. Off by
    /// default: each answer is then read whole before it is decoded.
    ///
    /// ```no_run
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let conformance = vbazure::Conformance::new();
    /// let appliance = vbazure::Appliance::builder("https://appliance.example.com")
    ///     .access_token(std::env::var("VBAZURE_TOKEN")?)
    ///     .conformance(conformance.clone())
    ///     .build()?;
    /// appliance.job_sessions_page(0, 10).send().await?;
    /// for finding in conformance.findings() {
    ///     println!("{finding}");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn conformance(mut self, conformance: crate::Conformance) -> Self {
        self.conformance = Some(conformance);
        self
    }

    /// How asynchronous operations (v8.1: a rescan the appliance runs before answering) are
    /// followed; by default for at most 10 minutes.
    pub fn operation_wait(mut self, options: WaitOptions) -> Self {
        self.operation_wait = options;
        self
    }

    /// Authenticate with a ready access token. It cannot be renewed: once it expires, requests
    /// fail as unauthorized.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Token(token.into()));
        self
    }

    /// Authenticate with an account: the client obtains tokens, renews them before they expire
    /// and once more if the appliance rejects one.
    pub fn credentials(mut self, username: impl Into<String>, password: impl Into<Secret>) -> Self {
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: Password::Given(password.into()),
            mfa: self.pending_mfa.take(),
        });
        self
    }

    /// Authenticate with an account whose password is asked for only when a login needs it:
    /// with [`tokens`](Self::tokens) kept from an earlier run, not while the access token is
    /// valid or its refresh token is accepted. `password` is called at each such login.
    pub fn credentials_with(
        mut self,
        username: impl Into<String>,
        password: impl Fn() -> SecretFuture + Send + Sync + 'static,
    ) -> Self {
        self.credentials = Some(Credentials::Password {
            username: username.into(),
            password: Password::Asked(MfaCode(Arc::new(password))),
            mfa: self.pending_mfa.take(),
        });
        self
    }

    /// Start with these tokens (from [`Appliance::tokens`] in an earlier run) instead of
    /// logging in: they are used until they are due, then renewed with the refresh token, or
    /// with the account when that fails. Needs [`credentials`](Self::credentials) or
    /// [`credentials_with`](Self::credentials_with).
    pub fn tokens(mut self, tokens: TokenSet) -> Self {
        self.tokens = Some(tokens);
        self
    }

    /// How long to wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one request may take, its answer included (default 30 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Also trust the CA certificate(s) in this PEM file, besides the platform's.
    pub fn ca_certificate_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_files.push(path.into());
        self
    }

    /// Also trust the CA certificate(s) in this PEM text, besides the platform's.
    pub fn ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_pems.push(pem.into());
        self
    }

    /// **Dangerous**: accept any certificate, so that anyone on the network path can read and
    /// change the traffic, credentials included. Only for a lab appliance whose self-signed
    /// certificate cannot be trusted otherwise. Off by default.
    pub fn danger_accept_invalid_certificates(mut self, accept: bool) -> Self {
        self.accept_invalid_certificates = accept;
        self
    }

    /// How idempotent requests are retried (see [`RetryPolicy`]).
    pub fn retry_policy(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Checks the settings and builds the client. Nothing is sent yet.
    pub fn build(self) -> Result<Appliance, BuildError> {
        let base_url = normalize_base_url(&self.base_url)?;
        let credentials = self.credentials.ok_or(BuildError::NoCredentials)?;
        if self.tokens.is_some() && matches!(credentials, Credentials::Token(_)) {
            return Err(BuildError::TokensWithoutAccount);
        }
        crate::ensure_crypto_provider();
        let mut http = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.request_timeout)
            .user_agent(concat!("vbazure/", env!("CARGO_PKG_VERSION")))
            .tls_danger_accept_invalid_certs(self.accept_invalid_certificates);
        if self.accept_invalid_certificates {
            tracing::warn!(
                "TLS certificate verification is off: the connection can be intercepted"
            );
        }
        let mut pems: Vec<(String, Vec<u8>)> = Vec::new();
        for path in &self.ca_files {
            let shown = path.display().to_string();
            let bytes = std::fs::read(path).map_err(|e| BuildError::CaCertificate {
                path: shown.clone(),
                reason: format!("cannot read it: {e}"),
            })?;
            pems.push((shown, bytes));
        }
        pems.extend(
            self.ca_pems
                .into_iter()
                .map(|pem| ("(PEM text)".to_string(), pem)),
        );
        for (path, pem) in pems {
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                BuildError::CaCertificate {
                    path: path.clone(),
                    reason: format!("not a PEM certificate: {e}"),
                }
            })?;
            if certificates.is_empty() {
                return Err(BuildError::CaCertificate {
                    path,
                    reason: "holds no certificate".to_string(),
                });
            }
            for certificate in certificates {
                http = http.add_root_certificate(certificate);
            }
        }
        let http = http.build().map_err(|e| BuildError::Http(e.to_string()))?;
        let state = ClientState {
            auth: Some(Arc::new(Auth::new(credentials, self.tokens))),
            retry: self.retry,
            conformance: self.conformance,
        };
        let version =
            tokio::sync::OnceCell::new_with(self.version.map(super::version::Chosen::by_caller));
        Ok(Appliance {
            inner: Arc::new(Inner {
                v1: v1::Client::new_with_client(&base_url, http.clone(), state.clone()),
                v8_1: v8_1::Client::new_with_client(&base_url, http, state),
                version,
                operation_wait: self.operation_wait,
            }),
        })
    }
}

/// `https://host[:port][/prefix]` without a trailing `/` (the generated paths start with one).
fn normalize_base_url(url: &str) -> Result<String, BuildError> {
    let invalid = |reason: &str| BuildError::BaseUrl {
        url: redact_userinfo(url),
        reason: reason.to_string(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(parsed.scheme(), "https" | "http") {
        return Err(invalid("the scheme must be https (or http)"));
    }
    if parsed.host_str().is_none() {
        return Err(invalid("it has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(invalid("credentials do not belong in the URL"));
    }
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(invalid("it must not have a query or fragment"));
    }
    Ok(parsed.as_str().trim_end_matches('/').to_string())
}

/// The URL with any `user:password@` replaced, so that an error message cannot show it.
fn redact_userinfo(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_string();
    };
    let authority_end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    match url[start..authority_end].rfind('@') {
        Some(at) => format!("{}<redacted>@{}", &url[..start], &url[start + at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_checked_and_normalized() {
        assert_eq!(
            normalize_base_url("https://a.example.com/").unwrap(),
            "https://a.example.com"
        );
        assert_eq!(
            normalize_base_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            normalize_base_url("https://h/prefix/").unwrap(),
            "https://h/prefix"
        );
        for bad in [
            "appliance.example.com",
            "ftp://h",
            "https://u:p@h",
            "https://h/?x=1",
            "",
        ] {
            assert!(normalize_base_url(bad).is_err(), "{bad}");
        }
        for with_password in ["https://u:hunter2@h", "https://u:hunter2@h:99999/x"] {
            let message = normalize_base_url(with_password).unwrap_err().to_string();
            assert!(!message.contains("hunter2"), "{message}");
            assert!(message.contains("https://<redacted>@h"), "{message}");
        }
    }
}
