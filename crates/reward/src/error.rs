//! The crate's error type.

#[derive(Debug, thiserror::Error)]
pub enum RewardError {
    #[error("proxy: {0}")]
    Proxy(#[from] hlsseek_proxy::ProxyError),
    #[error("dataset: {0}")]
    Dataset(#[from] hlsseek_datasets::DatasetError),
    #[error("online update: {0}")]
    Update(String),
    #[error("{0}")]
    Invalid(String),
}

pub type Result<T> = std::result::Result<T, RewardError>;
