//! Where the store lives: `--store URL` forms, the `HLSSEEK_STORE` override and the per-user
//! default, and opening the right implementation for a location.

use crate::sqlite::SqliteStore;
use crate::{ResultStore, StoreError};
use std::path::PathBuf;

/// A parsed store location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreLocation {
    Sqlite(PathBuf),
    /// Recognised so the message can be precise; no PostgreSQL store is built yet.
    Postgres(String),
}

impl StoreLocation {
    /// `sqlite:///abs/path.db`, `sqlite://rel/path.db`, `sqlite:path.db`, or a plain path.
    pub fn parse(url: &str) -> Result<StoreLocation, StoreError> {
        let url = url.trim();
        if url.is_empty() {
            return Err(StoreError::UnsupportedUrl { url: url.to_string(), reason: "empty".into() });
        }
        if let Some(rest) = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")) {
            if rest.is_empty() {
                return Err(StoreError::UnsupportedUrl { url: url.to_string(), reason: "no file path".into() });
            }
            return Ok(StoreLocation::Sqlite(PathBuf::from(rest)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(StoreLocation::Postgres(url.to_string()));
        }
        if let Some((scheme, _)) = url.split_once("://") {
            return Err(StoreError::UnsupportedUrl {
                url: url.to_string(),
                reason: format!("unknown scheme `{scheme}` (use sqlite:///path or a plain path)"),
            });
        }
        Ok(StoreLocation::Sqlite(PathBuf::from(url)))
    }
}

/// `HLSSEEK_STORE` if set, else `<data dir>/hlsseek/results.db`.
pub fn default_location() -> Result<StoreLocation, StoreError> {
    if let Some(v) = std::env::var_os("HLSSEEK_STORE").filter(|v| !v.is_empty()) {
        return StoreLocation::parse(&v.to_string_lossy());
    }
    let dir = dirs::data_dir().ok_or(StoreError::NoDataDir)?;
    Ok(StoreLocation::Sqlite(dir.join("hlsseek").join("results.db")))
}

/// Open the store at `location`.
pub fn open(location: &StoreLocation) -> Result<Box<dyn ResultStore>, StoreError> {
    match location {
        StoreLocation::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
        StoreLocation::Postgres(url) => Err(StoreError::UnsupportedUrl {
            url: url.clone(),
            reason: "the PostgreSQL store is not built yet (see docs/backends.md); use a SQLite path".into(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_forms() {
        assert_eq!(StoreLocation::parse("sqlite:///tmp/x.db").unwrap(), StoreLocation::Sqlite("/tmp/x.db".into()));
        assert_eq!(StoreLocation::parse("sqlite:rel.db").unwrap(), StoreLocation::Sqlite("rel.db".into()));
        assert_eq!(StoreLocation::parse("/a/b.db").unwrap(), StoreLocation::Sqlite("/a/b.db".into()));
        assert!(matches!(StoreLocation::parse("postgres://farm/hls").unwrap(), StoreLocation::Postgres(_)));
        let e = StoreLocation::parse("mysql://x").unwrap_err().to_string();
        assert!(e.contains("unknown scheme `mysql`"), "{e}");
        let e = open(&StoreLocation::parse("postgres://farm/hls").unwrap()).err().unwrap().to_string();
        assert!(e.contains("not built yet"), "{e}");
    }
}
