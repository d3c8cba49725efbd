//! Ids that go into a path: they must name one path segment, whatever they contain.

use crate::{Error, ErrorKind};

/// Checks that `id` stays one path segment once the generated client percent-encodes it.
///
/// The generated code encodes `/`, `?`, `#`, `%`, spaces, controls and non-ASCII characters.
/// What it cannot make safe is refused here: URL parsers treat a segment of `.` or `..` (even
/// percent-encoded) as a step up the path, and `\` as `/`; an empty id leaves an empty segment.
pub(crate) fn check(operation: &'static str, what: &str, id: &str) -> Result<(), Error> {
    let problem = if id.is_empty() {
        Some("is empty")
    } else if id == "." || id == ".." {
        Some("is a relative path step (`.` or `..`)")
    } else if id.contains('\\') {
        Some("contains `\\`, which URLs read as `/`")
    } else {
        None
    };
    match problem {
        Some(problem) => Err(Error::new(
            operation,
            ErrorKind::InvalidRequest {
                message: format!(
                    "the {what} {id:?} {problem}: it cannot be sent as one path segment"
                ),
            },
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn refuses_what_encoding_cannot_make_safe() {
        for bad in ["", ".", "..", "a\\..\\b"] {
            assert!(super::check("op", "VM id", bad).is_err(), "{bad:?}");
        }
        for good in ["../x", "a/b", "?#%", "..x", "vm 1", "ünïcode", "%2e%2e"] {
            assert!(super::check("op", "VM id", good).is_ok(), "{good:?}");
        }
    }
}
