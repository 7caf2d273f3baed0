//! Analytical QoR estimator (the embedded "synthesis"). API contract; bodies being written.

use hlsseek_ir::Kernel;
use hlsseek_qor::{LoopReport, Qor};
use serde::{Deserialize, Serialize};

/// What the estimator says about one kernel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub qor: Qor,
    pub loops: Vec<LoopReport>,
    /// Assumptions the estimator had to make (unknown trip counts, unmodelled calls, ...).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    #[error("unknown part `{0}` (known: {1})")]
    UnknownPart(String, String),
    #[error("top function `{0}` not found in the kernel")]
    MissingTop(String),
    #[error("bad device profile {0}: {1}")]
    BadProfile(String, String),
}
