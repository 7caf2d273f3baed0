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

/// A device/clock profile (operator latencies and costs, memory geometry, capacities), loaded
/// from a data file under `profiles/`. Contract: `Profile::builtin("xcu280")`, `Profile::parts()`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub part: String,
    /// Clock period the profile is meant for when the caller gives none, in ns.
    pub default_clock_ns: f64,
}

impl Profile {
    /// Names of the profiles shipped with the estimator (e.g. `xcu280`, `vu9p`).
    pub fn parts() -> Vec<&'static str> {
        unimplemented!("estimator under construction")
    }

    /// A shipped profile by part name or alias (`xcu280`, `xcu280-fsvh2892-2L-e`, `vu9p`).
    pub fn builtin(part: &str) -> Result<Profile, EstimateError> {
        let _ = part;
        unimplemented!("estimator under construction")
    }
}

/// Estimate the QoR of `kernel.top` on `profile` at `clock_ns` (the profile's default if `None`).
pub fn estimate(kernel: &Kernel, profile: &Profile, clock_ns: Option<f64>) -> Result<Estimate, EstimateError> {
    let _ = (kernel, profile, clock_ns);
    unimplemented!("estimator under construction")
}
