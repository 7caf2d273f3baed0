//! Readers for published HLS result datasets in their original formats.
//!
//! - [`hlsyn`]: HLSyn (`designs/<version>/<kernel>.json` + `sources/<kernel>_kernel.c`), Merlin
//!   design spaces with per-point results on a VU9P at 250 MHz.
//! - [`forgehls`]: ForgeHLS `kernels.json`, single designs with full sources, xcu280 at 10 ns.
//!
//! Readers only read: they never guess missing numbers. A record whose numbers are unusable says
//! so through `qor() == None`.

pub mod forgehls;
pub mod hlsyn;

/// A dataset that could not be read, with the file and what was wrong.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    #[error("{path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("{path}: not a valid {format} file: {message}")]
    Format { path: String, format: &'static str, message: String },
}

pub(crate) fn read_text(path: &std::path::Path) -> Result<String, DatasetError> {
    std::fs::read_to_string(path)
        .map_err(|source| DatasetError::Io { path: path.display().to_string(), source })
}

pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    format: &'static str,
) -> Result<T, DatasetError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| DatasetError::Format {
        path: path.display().to_string(),
        format,
        message: e.to_string(),
    })
}
