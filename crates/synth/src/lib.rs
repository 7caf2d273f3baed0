//! Synthesis behind one interface: a design (sources, top, part, clock) in, QoR or a typed
//! failure out, whoever answers.
//!
//! - [`outcome`]: requests, QoR reports and typed failures.
//! - [`Backend`]: the interface; [`estimate::EstimateBackend`] (embedded estimator),
//!   [`recorded::RecordedBackend`] (published datasets), [`vitis::VitisBackend`] (Vitis HLS).
//! - [`key`]: content keys of designs and of store entries.
//! - [`Synthesizer`]: a backend behind the result store, with a bounded number of jobs in flight.
//! - `testing` (feature `testing`): a scripted backend that counts calls, for other crates' tests.
//! - [`accuracy`]: a backend's answers over a published dataset against the recorded ones.

pub mod accuracy;
pub mod estimate;
pub mod key;
pub mod outcome;
pub mod recorded;
mod synthesizer;
#[cfg(feature = "testing")]
pub mod testing;
pub mod vitis;

pub use outcome::{FailureKind, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
pub use synthesizer::{Synthesized, Synthesizer, INTERNAL_ERROR};

/// Something that answers synthesis requests.
///
/// `name` and `version` are part of every store key: a backend must change its version
/// whenever the same request could get a different answer (new tool release, new dataset,
/// new estimator model), or stale answers will be served from the store.
pub trait Backend: Send + Sync {
    fn name(&self) -> &str;
    fn version(&self) -> String;
    /// The part and clock used when the caller names none.
    fn default_target(&self) -> Target;
    /// Answer one request. Never panics on bad input; every problem is a [`SynthFailure`].
    fn synthesize(&self, request: &SynthRequest) -> SynthOutcome;
}
