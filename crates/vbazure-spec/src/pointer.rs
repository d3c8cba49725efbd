//! JSON pointers (RFC 6901), the addresses every finding and example is reported by.

/// Escapes one reference token: `~` becomes `~0` and `/` becomes `~1`.
pub fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Undoes [`escape`].
pub fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape(token))
}

/// Splits a pointer into its unescaped tokens (`""` has none).
pub fn tokens(pointer: &str) -> Vec<String> {
    if pointer.is_empty() {
        return Vec::new();
    }
    pointer
        .trim_start_matches('/')
        .split('/')
        .map(unescape)
        .collect()
}

/// A pointer as messages show it: `whole` (what the empty pointer stands for, in words) when
/// it is empty.
pub fn shown<'a>(pointer: &'a str, whole: &'a str) -> &'a str {
    if pointer.is_empty() {
        whole
    } else {
        pointer
    }
}

/// The pointer of the parent of `pointer`, or `None` for the root.
pub fn parent(pointer: &str) -> Option<&str> {
    pointer.rfind('/').map(|i| &pointer[..i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_splits_round_trip() {
        let p = push(&push("", "paths"), "/api/v1/jobSessions/{sessionId}");
        assert_eq!(p, "/paths/~1api~1v1~1jobSessions~1{sessionId}");
        assert_eq!(tokens(&p), vec!["paths", "/api/v1/jobSessions/{sessionId}"]);
        assert_eq!(tokens(&push("", "a~b")), vec!["a~b"]);
        assert_eq!(parent(&p), Some("/paths"));
        assert_eq!(parent(""), None);
        assert!(tokens("").is_empty());
        assert_eq!(shown("", "the answer"), "the answer");
        assert_eq!(shown("/a", "the answer"), "/a");
    }
}
