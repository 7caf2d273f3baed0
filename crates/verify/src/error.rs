//! The crate's error type: failures of the verifier itself (bad task, missing headers, sandbox
//! set-up), as opposed to a candidate failing a check, which is a `Report`, not an error.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("task {path}: {message}")]
    Task { path: PathBuf, message: String },
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("HLS headers not found ({0}); run `hlsseek setup headers` or set HLSSEEK_HLS_HEADERS")]
    HeadersMissing(String),
    #[error("fetching HLS headers failed: {0}")]
    Fetch(String),
    #[error("sandbox: {0}")]
    Sandbox(String),
    #[error("sandbox: {context}: {source}")]
    SandboxIo {
        context: String,
        source: std::io::Error,
    },
    #[error("state directory {path} is unsafe: {reason}")]
    UnsafeStateDir { path: PathBuf, reason: String },
    #[error("preparing task `{task}` failed at {step}: {messages}")]
    Prepare {
        task: String,
        step: String,
        messages: String,
    },
}

pub type Result<T, E = VerifyError> = std::result::Result<T, E>;

pub(crate) fn io_ctx(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> VerifyError {
    let context = context.into();
    move |source| VerifyError::SandboxIo { context, source }
}
