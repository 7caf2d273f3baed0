//! The `estimate` backend: the embedded analytical estimator, always available.

use crate::{Backend, FailureKind, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
use hlsseek_estimate::{estimate, EstimateError, Profile};
use hlsseek_front::{parse_kernel, FrontErrorKind, FrontOptions};
use std::time::Instant;

pub struct EstimateBackend {
    options: FrontOptions,
    target: Target,
}

impl EstimateBackend {
    pub fn new(options: FrontOptions) -> EstimateBackend {
        EstimateBackend { options, target: Target { part: "xcu280-fsvh2892-2L-e".into(), clock_ns: 10.0 } }
    }

    fn run(&self, req: &SynthRequest) -> Result<QorReport, SynthFailure> {
        let kernel = parse_kernel(&req.files, &req.top, &self.options).map_err(|e| {
            let kind = match e.kind {
                FrontErrorKind::Syntax | FrontErrorKind::Preprocess | FrontErrorKind::MissingTop => FailureKind::Syntax,
                FrontErrorKind::Unsupported | FrontErrorKind::BadInput | FrontErrorKind::Io => FailureKind::Unsupported,
            };
            SynthFailure::new(kind, e.to_string())
        })?;
        let profile = Profile::builtin(&req.part).map_err(|e| SynthFailure::new(FailureKind::Unsupported, e.to_string()))?;
        let est = estimate(&kernel, &profile, Some(req.clock_ns)).map_err(|e| {
            let kind = match e {
                EstimateError::MissingTop(_) => FailureKind::Syntax,
                EstimateError::UnknownPart(..) => FailureKind::Unsupported,
                EstimateError::BadProfile(..) => FailureKind::ToolError,
            };
            SynthFailure::new(kind, e.to_string())
        })?;
        Ok(QorReport { qor: est.qor, loops: est.loops, memories: est.memories, notes: est.notes })
    }
}

impl Default for EstimateBackend {
    fn default() -> Self {
        EstimateBackend::new(FrontOptions::default())
    }
}

/// The package version and the fingerprint of the model's sources (build.rs).
const MODEL_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " model ", env!("HLSSEEK_MODEL_FINGERPRINT"));

impl Backend for EstimateBackend {
    fn name(&self) -> &str {
        "estimate"
    }

    /// The workspace version and a fingerprint of the model's sources (build.rs): the model
    /// changes between releases too, and the store must not serve an older model's answers.
    fn version(&self) -> String {
        format!("hlsseek-estimate {MODEL_VERSION}")
    }

    fn default_target(&self) -> Target {
        self.target.clone()
    }

    fn synthesize(&self, req: &SynthRequest) -> SynthOutcome {
        let start = Instant::now();
        SynthOutcome {
            result: crate::synthesizer::guard(|| self.run(req)),
            seconds: start.elapsed().as_secs_f64(),
            tool: "hlsseek-estimate".into(),
            tool_version: MODEL_VERSION.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inside the workspace the version names the model's sources (build.rs), so a changed
    /// model gets new store keys instead of an older model's stored answers.
    #[test]
    fn the_version_names_the_model() {
        let v = EstimateBackend::default().version();
        let prefix = format!("hlsseek-estimate {} model ", env!("CARGO_PKG_VERSION"));
        let fingerprint = v.strip_prefix(&prefix).unwrap_or_else(|| panic!("{v}"));
        assert_eq!(fingerprint.len(), 12, "{v}");
        assert!(fingerprint.chars().all(|c| c.is_ascii_hexdigit()), "{v}");
    }
}
