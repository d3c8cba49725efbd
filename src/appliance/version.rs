//! Which API version an appliance speaks: chosen, or found out by asking without a token.
//!
//! Nothing lists the versions an appliance serves. A version's path answers an anonymous
//! request with 401 (or 403, or 200 where it is not gated) when the version is served and 404
//! when it is not, so the client asks each version it speaks, newest first, at an operation
//! of that version's document, and takes the first that is served.

use std::fmt;
use std::str::FromStr;

use reqwest::header::CONTENT_TYPE;

use crate::operations::{v1, v8_1, OperationFacts};
use crate::{Error, ErrorKind};

/// An API version this client speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ApiVersion {
    /// API v1, of product 1.0 (`openapi.yaml`, [`crate::v1`]).
    V1,
    /// API v8.1, of product 8.1, which also accepts v6 to v8 (`openapi-v8.1.yaml`,
    /// [`crate::v8_1`]).
    V8_1,
}

impl ApiVersion {
    /// Every version, newest first: the order detection tries them in.
    pub const NEWEST_FIRST: [ApiVersion; 2] = [ApiVersion::V8_1, ApiVersion::V1];

    /// The number as the paths write it: `1`, `8.1`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "1",
            Self::V8_1 => "8.1",
        }
    }

    /// The operation an anonymous probe asks for: a GET of the version's document that every
    /// appliance serving the version answers (`getSystemInfo` on v8.1; v1 has none, so its
    /// session list).
    fn probe(self) -> &'static OperationFacts {
        let facts = match self {
            Self::V1 => v1::by_id(v1::LIST_JOB_SESSIONS),
            Self::V8_1 => v8_1::by_id(v8_1::GET_SYSTEM_INFO),
        };
        // Both ids are generated from the documents next to the facts they look up.
        facts.unwrap_or_else(|| unreachable!("the probe operation is in its document"))
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `1`, `v1`, `8.1`, `v8.1` (any case).
impl FromStr for ApiVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = text.trim();
        let number = number.strip_prefix(['v', 'V']).unwrap_or(number);
        match number {
            "1" | "1.0" => Ok(Self::V1),
            "8.1" => Ok(Self::V8_1),
            _ => Err(format!(
                "{text:?} is not an API version this client speaks (1 or 8.1)"
            )),
        }
    }
}

/// What one anonymous probe found.
enum Probe {
    Served,
    NotServed(String),
}

/// Asks each version, newest first, and gives the first that is served.
pub(crate) async fn detect(http: &reqwest::Client, base_url: &str) -> Result<ApiVersion, Error> {
    let mut probes = Vec::new();
    for version in ApiVersion::NEWEST_FIRST {
        match probe(http, base_url, version).await? {
            Probe::Served => {
                tracing::info!(
                    version = version.as_str(),
                    "the appliance serves API v{version}"
                );
                return Ok(version);
            }
            Probe::NotServed(why) => {
                tracing::debug!(version = version.as_str(), "not served: {why}");
                probes.push(format!("v{version}: {why}"));
            }
        }
    }
    Err(Error::new(
        ApiVersion::V8_1.probe().id,
        ErrorKind::NoApiVersion { probes },
    ))
}

async fn probe(
    http: &reqwest::Client,
    base_url: &str,
    version: ApiVersion,
) -> Result<Probe, Error> {
    let facts = version.probe();
    let url = format!("{base_url}{}", facts.path);
    let response = http
        .get(&url)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .map_err(|e| Error::new(facts.id, crate::error::transport_kind(e)))?;
    let status = response.status().as_u16();
    let json = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| {
            let essence = t.split(';').next().unwrap_or_default().trim();
            essence.eq_ignore_ascii_case("application/json") || essence.ends_with("+json")
        });
    Ok(match status {
        // Gated, as it should be: the path exists.
        401 | 403 => Probe::Served,
        // An ungated appliance answers JSON; a proxy or web server that answers 200 to
        // everything answers a page.
        200 if json => Probe::Served,
        200 => Probe::NotServed(format!(
            "{} answered 200 without JSON (a proxy or web page, not the API)",
            facts.path
        )),
        other => Probe::NotServed(format!("{} answered {other}", facts.path)),
    })
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
        assert_eq!(ApiVersion::V8_1.probe().path, "/api/v8.1/system/about");
        assert_eq!(ApiVersion::V1.probe().path, "/api/v1/jobSessions");
    }
}
