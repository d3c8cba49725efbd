//! Which API version an appliance speaks: chosen, or found out by asking.
//!
//! Nothing lists the versions an appliance serves. A version's path answers an anonymous
//! request with 401 (or 403, or 200 where it is not gated) when the version is served and 404
//! when it is not; but an appliance that authenticates before it routes (ASP.NET Core with a
//! fallback authorization policy) answers 401 on every path, served or not. So an anonymous
//! 401/403 is only a lead: it is confirmed with a token (the version's own read call answers
//! 200, or 404 when the version is not served), and the next version is asked when it is not.
//! Only a JSON 200 to an anonymous request decides on its own. The decision, and how it was
//! reached, is kept for the run.

use reqwest::header::CONTENT_TYPE;

use crate::operations::{v1, v8_1, OperationFacts};
use crate::{Error, ErrorKind};

/// The API versions this client speaks: the workspace's one [`vbazure_spec::ApiVersion`] (v1 is
/// [`crate::v1`], v8.1 [`crate::v8_1`]).
pub use vbazure_spec::ApiVersion;

/// The operation an anonymous probe of `version` asks for: a GET of the version's document that
/// every appliance serving the version answers (`getSystemInfo` on v8.1; v1 has none, so its
/// session list).
fn probe_operation(version: ApiVersion) -> &'static OperationFacts {
    let facts = match version {
        ApiVersion::V1 => v1::by_id(v1::LIST_JOB_SESSIONS),
        ApiVersion::V8_1 => v8_1::by_id(v8_1::GET_SYSTEM_INFO),
    };
    // Both ids are generated from the documents next to the facts they look up.
    facts.unwrap_or_else(|| unreachable!("the probe operation is in its document"))
}

/// The version in use, and how it came to be chosen (for `-v` output and for errors that a
/// wrong version would explain).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Chosen {
    pub(crate) version: ApiVersion,
    pub(crate) how: String,
}

impl Chosen {
    /// A version the caller chose when building.
    pub(crate) fn by_caller(version: ApiVersion) -> Self {
        Self {
            version,
            how: "chosen when connecting".to_string(),
        }
    }
}

/// What an anonymous request to a version's probe path found.
enum Probe {
    /// A JSON 200: the version is served (and this path not gated).
    Served,
    /// 401 or 403: something gates the path, which alone does not show the version is served.
    Gated(u16),
    /// Anything else: a 404, a page that is not the API, another status.
    NotServed(String),
}

/// What the read of a version's probe path with a token found.
enum Confirmation {
    /// A JSON 200.
    Served,
    /// 404 or 410 (no such path), or a page that is not the API.
    NotServed(String),
    /// Anything else (401, 403, a 5xx, 429, ...): neither confirms nor rules out the version.
    Unclear(String),
}

/// Asks each version, newest first, and gives the first that is served: a JSON 200 to an
/// anonymous request decides, a 401/403 is confirmed with the token `token` gives for that
/// version (`None`: no way to log in, so no confirmation). When no version is confirmed,
/// the newest one whose path was gated is taken, and the log says so. A refused login is
/// the error; a token answer the client cannot read only ends the confirmations (the login
/// after detection reports it, and `conformance` records it as a finding).
pub(crate) async fn detect<F, Fut>(
    http: &reqwest::Client,
    base_url: &str,
    token: F,
) -> Result<Chosen, Error>
where
    F: Fn(ApiVersion) -> Fut,
    Fut: std::future::Future<Output = Option<Result<crate::Secret, Error>>>,
{
    let mut probes = Vec::new();
    let mut unconfirmed: Option<Chosen> = None;
    let mut tokens = true;
    for version in ApiVersion::NEWEST_FIRST {
        let path = probe_operation(version).path;
        let anonymous = match probe(http, base_url, version).await? {
            Probe::Served => {
                let how = format!("an anonymous GET {path} answered JSON 200");
                return Ok(served(version, how));
            }
            Probe::NotServed(why) => {
                tracing::debug!(version = version.as_str(), "not served: {why}");
                probes.push(format!("v{version}: {why}"));
                continue;
            }
            Probe::Gated(status) => format!("an anonymous GET {path} answered {status}"),
        };
        let token = match tokens.then(|| token(version)) {
            Some(future) => match future.await {
                Some(Ok(token)) => Some(token),
                Some(Err(e)) if matches!(e.kind(), ErrorKind::UnexpectedResponse { .. }) => {
                    tracing::debug!("logging in to confirm the version failed: {e}");
                    tokens = false;
                    None
                }
                // Refused, or no connection: the run's error at once (a second try would
                // only be refused again).
                Some(Err(e)) => return Err(e),
                None => None,
            },
            None => None,
        };
        let why = match token {
            None => format!("{anonymous}, not confirmed (no token)"),
            Some(token) => match confirm(http, base_url, version, &token).await? {
                Confirmation::Served => {
                    return Ok(served(
                        version,
                        format!("{anonymous}, and 200 with a token"),
                    ));
                }
                Confirmation::NotServed(why) => {
                    let why = format!("{anonymous}, but with a token {why}");
                    tracing::debug!(version = version.as_str(), "not served: {why}");
                    probes.push(format!("v{version}: {why}"));
                    continue;
                }
                Confirmation::Unclear(why) => {
                    format!("{anonymous}, and with a token {why}: not confirmed")
                }
            },
        };
        tracing::debug!(version = version.as_str(), "{why}");
        probes.push(format!("v{version}: {why}"));
        unconfirmed.get_or_insert(Chosen { version, how: why });
    }
    if let Some(chosen) = unconfirmed {
        tracing::warn!(
            version = chosen.version.as_str(),
            "taking API v{}, which nothing confirmed: {}",
            chosen.version,
            chosen.how
        );
        return Ok(chosen);
    }
    Err(Error::new(
        probe_operation(ApiVersion::V8_1).id,
        ErrorKind::NoApiVersion { probes },
    ))
}

fn served(version: ApiVersion, how: String) -> Chosen {
    tracing::info!(
        version = version.as_str(),
        "the appliance serves API v{version}: {how}"
    );
    Chosen { version, how }
}

/// An anonymous GET of `version`'s probe path.
async fn probe(
    http: &reqwest::Client,
    base_url: &str,
    version: ApiVersion,
) -> Result<Probe, Error> {
    let path = probe_operation(version).path;
    Ok(match read(http, base_url, version, None).await? {
        // Gated: the path may exist, or the server refuses every anonymous request.
        (status @ (401 | 403), _) => Probe::Gated(status),
        // An ungated appliance answers JSON; a proxy or web server that answers 200 to
        // everything answers a page.
        (200, true) => Probe::Served,
        (200, false) => Probe::NotServed(not_the_api(path)),
        (other, _) => Probe::NotServed(format!("{path} answered {other}")),
    })
}

/// The GET of `version`'s probe path with `token`: only "no such path" (or a page that is not
/// the API) rules the version out; a refusal, a failure or a throttled read says nothing.
async fn confirm(
    http: &reqwest::Client,
    base_url: &str,
    version: ApiVersion,
    token: &crate::Secret,
) -> Result<Confirmation, Error> {
    let path = probe_operation(version).path;
    Ok(match read(http, base_url, version, Some(token)).await? {
        (200, true) => Confirmation::Served,
        (200, false) => Confirmation::NotServed(not_the_api(path)),
        (status @ (404 | 410), _) => Confirmation::NotServed(format!("{path} answered {status}")),
        (other, _) => Confirmation::Unclear(format!("{path} answered {other}")),
    })
}

fn not_the_api(path: &str) -> String {
    format!("{path} answered 200 without JSON (a proxy or web page, not the API)")
}

/// The status of a GET of `version`'s probe path, and whether the answer is JSON.
async fn read(
    http: &reqwest::Client,
    base_url: &str,
    version: ApiVersion,
    token: Option<&crate::Secret>,
) -> Result<(u16, bool), Error> {
    let facts = probe_operation(version);
    let mut request = http
        .get(format!("{base_url}{}", facts.path))
        .header(reqwest::header::ACCEPT, "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token.expose_secret());
    }
    let response = request
        .send()
        .await
        .map_err(|e| Error::new(facts.id, crate::error::transport_kind(e)))?;
    let json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            let essence = t.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
    Ok((response.status().as_u16(), json))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_print() {
        for (text, version) in [
            ("1", ApiVersion::V1),
            ("v1", ApiVersion::V1),
            ("8.1", ApiVersion::V8_1),
            ("V8.1", ApiVersion::V8_1),
        ] {
            assert_eq!(text.parse::<ApiVersion>(), Ok(version));
        }
        assert!("8".parse::<ApiVersion>().unwrap_err().contains("1 or 8.1"));
        assert_eq!(ApiVersion::V8_1.to_string(), "8.1");
        assert_eq!(
            probe_operation(ApiVersion::V8_1).path,
            "/api/v8.1/system/about"
        );
        assert_eq!(probe_operation(ApiVersion::V1).path, "/api/v1/jobSessions");
    }
}
