//! Store errors: each says which store and what operation failed.

/// A store operation that failed, with the store's location.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open result store {location}: {source}")]
    Open { location: String, source: rusqlite::Error },
    #[error("result store {location}: {op} failed: {source}")]
    Sql { location: String, op: &'static str, source: rusqlite::Error },
    #[error("result store {location}: {message}")]
    Corrupt { location: String, message: String },
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("result store {location} has schema version {found}, newer than this hlsseek supports ({supported}); upgrade hlsseek to use it")]
    SchemaTooNew { location: String, found: i64, supported: i64 },
    #[error("unsupported store URL `{url}`: {reason}")]
    UnsupportedUrl { url: String, reason: String },
    #[error("no per-user data directory on this system; pass --store PATH or set HLSSEEK_STORE")]
    NoDataDir,
    #[error("writing the export failed: {0}")]
    Export(std::io::Error),
}
