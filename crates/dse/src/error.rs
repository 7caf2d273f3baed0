//! The crate's error type: every failure a caller can see, with what went wrong.

use hlsseek_front::FrontError;

/// A design-space exploration failure.
#[derive(Debug, thiserror::Error)]
pub enum DseError {
    #[error("front-end: {0}")]
    Front(#[from] FrontError),
    #[error("proxy model: {0}")]
    Proxy(#[from] hlsseek_proxy::ProxyError),
    #[error("tensor backend: {0}")]
    Tensor(#[from] candle_core::Error),
    #[error("dataset: {0}")]
    Dataset(#[from] hlsseek_datasets::DatasetError),
    #[error("the design has no knobs: no `auto{{...}}` placeholder and no PIPELINE/UNROLL/ARRAY_PARTITION (Vitis) or PARALLEL/TILE/PIPELINE (Merlin) pragma to tune")]
    NoKnobs,
    #[error("no candidate design could be rendered and parsed ({tried} tried); first reason: {reason}")]
    EmptyPool { tried: usize, reason: String },
    #[error("the synthesis budget must be at least 1")]
    ZeroBudget,
    #[error("cannot draw the plot {path}: {message}")]
    Plot { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, DseError>;
