//! `hlsseek-reward`: the self-improving QoR reward for groups of candidate designs.
//!
//! - [`math`]: pairwise relations → rewards in [0, 1] (Pareto standing, latency tie-break) and
//!   GRPO group-relative advantages.
//! - [`scorer`]: the group scorer — proxy judgements with MC-dropout uncertainty, switching
//!   uncertain pairs to real synthesis within a budget, each design synthesized at most once.
//! - [`local`]: neighbour judgements — the pairs left unsettled are judged from the task's own
//!   real results (nearest designs in pragmas, scaled by the analytical estimator).
//! - [`online`]: real results accumulate; every K the proxy is fine-tuned in the background
//!   and swapped in atomically; model versions are recorded with their training results.
//! - [`calibrate`]: the uncertainty threshold from a target accuracy or synthesis share.
//! - [`experiment`]: the replay experiment over recorded HLSyn results.
//!
//! The crate never prints; long runs report through caller-supplied callbacks.

pub mod calibrate;
mod error;
pub mod experiment;
pub mod local;
pub mod math;
pub mod online;
pub mod scorer;

pub use error::{RewardError, Result};
pub use math::{advantages, rewards, Relation};
pub use online::{ModelCell, OnlineUpdater, UpdatePolicy};
pub use scorer::{Candidate, GroupScore, GroupScorer, ScorerConfig};
