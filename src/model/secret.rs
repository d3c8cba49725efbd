//! Strings that must not be shown: passwords and tokens.

use std::fmt;

/// A password, token or code. Its `Debug` prints a fixed marker instead of the value, so a
/// logged request or response never shows it; the value is read only through
/// [`Secret::expose_secret`]. There is no `Display`, so it cannot slip into a message.
///
/// Every `format: password` string of the spec is generated as this type.
///
/// ```
/// let s = vbazure::Secret::from("hunter2");
/// assert_eq!(format!("{s:?}"), "Secret(\"<redacted>\")");
/// assert_eq!(s.expose_secret(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// The marker `Debug` prints in place of the value.
    pub const REDACTED: &'static str = "<redacted>";

    /// The value itself. Call it only where the value is sent, never to show it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Secret").field(&Self::REDACTED).finish()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}
