//! The API versions of the appliance, one document each: the one name the client, the mock
//! and the command line use for them.

use std::str::FromStr;

/// An API version of the appliance, described by a document of its own.
///
/// Exhaustive on purpose: a new version is a release of every crate of the workspace, and the
/// compiler then lists each place that must learn it.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, strum::IntoStaticStr, strum::Display,
)]
pub enum ApiVersion {
    /// API v1, of product 1.0 (`openapi.yaml`).
    #[strum(serialize = "1")]
    V1,
    /// API v8.1, of product 8.1, which also accepts v6 to v8 (`openapi-v8.1.yaml`).
    #[strum(serialize = "8.1")]
    V8_1,
}

impl ApiVersion {
    /// Every version, oldest first.
    pub const ALL: [ApiVersion; 2] = [ApiVersion::V1, ApiVersion::V8_1];

    /// Every version, newest first: the order a client that detects the version tries them in.
    pub const NEWEST_FIRST: [ApiVersion; 2] = [ApiVersion::V8_1, ApiVersion::V1];

    /// The number as the paths write it: `1`, `8.1`.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The prefix of the version's paths: `/api/v1`, `/api/v8.1`.
    pub fn path_prefix(self) -> &'static str {
        match self {
            Self::V1 => "/api/v1",
            Self::V8_1 => "/api/v8.1",
        }
    }
}

/// `1`, `1.0`, `v1`, `8.1`, `v8.1` (the `v` in any case): the numbers paths and documents'
/// `info.version` write.
impl FromStr for ApiVersion {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let number = text.trim();
        let number = number.strip_prefix(['v', 'V']).unwrap_or(number);
        match number {
            "1" | "1.0" => Ok(Self::V1),
            "8.1" => Ok(Self::V8_1),
            _ => Err(format!("{text:?} is not an API version (1 or 8.1)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_and_write_as_paths_and_documents_do() {
        for version in ApiVersion::ALL {
            assert_eq!(version.as_str().parse(), Ok(version));
            assert_eq!(format!("v{version}").parse(), Ok(version));
            assert_eq!(version.path_prefix(), format!("/api/v{version}"));
        }
        assert_eq!("1.0".parse(), Ok(ApiVersion::V1));
        assert_eq!(" V8.1 ".parse(), Ok(ApiVersion::V8_1));
        assert!("9".parse::<ApiVersion>().is_err());
        let mut newest = ApiVersion::ALL;
        newest.reverse();
        assert_eq!(newest, ApiVersion::NEWEST_FIRST);
    }
}
