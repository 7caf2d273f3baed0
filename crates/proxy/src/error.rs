//! The crate's error type: every failure a caller can see, with what went wrong and where.

/// A proxy-model failure.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    #[error("cannot read {path}: {source}")]
    Io { path: String, source: std::io::Error },
    #[error("model {what} is not usable: {message}")]
    BadModel { what: String, message: String },
    #[error("model feature version {found} does not match this build's {expected}; retrain with `hlsseek proxy train`")]
    FeatureVersion { found: u32, expected: u32 },
    #[error("front-end: {0}")]
    Front(#[from] hlsseek_front::FrontError),
    #[error("estimator: {0}")]
    Estimate(#[from] hlsseek_estimate::EstimateError),
    #[error("dataset: {0}")]
    Dataset(#[from] hlsseek_datasets::DatasetError),
    #[error("tensor backend: {0}")]
    Tensor(#[from] candle_core::Error),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, ProxyError>;
