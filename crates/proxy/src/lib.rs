//! `hlsseek-proxy`: the comparative proxy reward model.
//!
//! Given two designs of the same task, the model says how likely each Pareto-dominates the other
//! on (latency, LUT, FF, DSP, BRAM), how likely neither does, how likely A is faster, and how sure
//! it is (Monte-Carlo dropout). Reinforcement learning and design-space search only need such
//! relative judgements, which are far cheaper than synthesis.
//!
//! - [`graph`]: the encoded design (feature layout, [`FEATURE_VERSION`]).
//! - [`encode`]: kernel IR + estimator report → graph.
//! - [`network`]: message-passing encoder and the antisymmetric pairwise head (candle).
//! - [`model`]: [`ProxyModel`] (weights + metadata), loading, saving, MC-dropout scoring.
//! - [`data`]: labelled design sets (HLSyn), pair labels, splits.
//! - [`train`]: training with AdamW and early stopping, and the online [`train::update`].
//! - [`protocol`]: the training protocol of `hlsseek proxy train` (what is trained, watched,
//!   reported) and its record in the model's metadata.
//! - [`metrics`]: pairwise accuracies, balanced accuracy, uncertainty calibration.
//! - [`synthetic`]: small generated design families for tests and benchmarks.
//!
//! The crate never prints; long runs report through a caller-supplied progress callback.

pub mod data;
pub mod encode;
pub mod error;
pub mod graph;
pub mod metrics;
pub mod model;
pub mod network;
pub mod protocol;
mod rng;
mod shipped;
pub mod synthetic;
pub mod train;

pub use encode::{encode, prepare, Prepared};
pub use error::{ProxyError, Result};
pub use graph::{DesignGraph, ToolVersion, FEATURE_VERSION};
pub use model::{PairScore, ProxyModel};
pub use rng::Rng;
