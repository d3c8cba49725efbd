//! Errors of reading a spec file.

use std::fmt;

/// A place in the spec's source text, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Line, counting from 1.
    pub line: usize,
    /// Column, counting from 1.
    pub column: usize,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Why a spec file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read.
    #[error("{source_name}: cannot read the file: {error}")]
    Io {
        /// The file's name as given.
        source_name: String,
        /// What the operating system said.
        error: std::io::Error,
    },
    /// The text is not YAML this loader accepts (syntax, duplicate keys, several documents,
    /// values JSON cannot hold).
    #[error("{source_name}:{location}: {message}")]
    Syntax {
        /// The file's name as given.
        source_name: String,
        /// Where the problem is.
        location: Location,
        /// What is wrong.
        message: String,
    },
}
