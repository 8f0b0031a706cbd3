//! Error types of the library: small enums with the file and place that went wrong.

use std::path::PathBuf;

/// Result with the crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the library can fail with. Each variant names the file (and line or column)
/// so that a user can find the bad input.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file is not valid UTF-8.
    #[error("{path}: not valid UTF-8 at byte {offset}")]
    Encoding { path: PathBuf, offset: usize },
    /// A file that holds no article: empty, or binary.
    #[error("{path}: {message}")]
    NotText { path: PathBuf, message: String },
    /// A line of a JSON Lines file is not an article object.
    #[error("{path}:{line}: {message}")]
    JsonLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A gazetteer file is malformed or inconsistent.
    #[error("{path}:{line}:{col}: {message}")]
    Gazetteer {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    /// A snapshot file is malformed or truncated.
    #[error("{path}:{line}:{col}: {message}")]
    Snapshot {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    /// A snapshot of another schema version.
    #[error("{path}: snapshot schema version {found}, this cadregraph reads version {expected}")]
    SnapshotVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    /// Graphviz could not render a chart.
    #[error("{path}: rendering with Graphviz `dot` failed: {message}")]
    Render { path: PathBuf, message: String },
    /// A gold annotation file could not be read.
    #[error("{path}: {message}")]
    Gold { path: PathBuf, message: String },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
