//! The `estimate` backend: the embedded analytical estimator, always available.

use crate::{Backend, FailureKind, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
use hlsseek_estimate::{estimate, EstimateError, Profile};
use hlsseek_front::{parse_kernel, FrontErrorKind, FrontOptions};
use std::time::Instant;

pub struct EstimateBackend {
    options: FrontOptions,
    target: Target,
    /// A device profile used for every request instead of the shipped one its part names
    /// (calibrating a profile), with a fingerprint of its text for the version.
    profile: Option<(Profile, String)>,
}

impl EstimateBackend {
    pub fn new(options: FrontOptions) -> EstimateBackend {
        EstimateBackend { options, target: Target { part: "xcu280-fsvh2892-2L-e".into(), clock_ns: 10.0 }, profile: None }
    }

    /// Estimate every request with the profile in `toml` (a profile file's text), whatever
    /// part the request names. The backend's version then names the profile, so the result
    /// store never mixes its answers with the shipped profiles'.
    pub fn with_profile_text(self, toml: &str) -> Result<EstimateBackend, EstimateError> {
        let profile = Profile::from_toml_str(toml)?;
        let fingerprint = blake3::hash(toml.as_bytes()).to_hex()[..16].to_string();
        Ok(EstimateBackend { profile: Some((profile, fingerprint)), ..self })
    }

    fn run(&self, req: &SynthRequest) -> Result<QorReport, SynthFailure> {
        let kernel = parse_kernel(&req.files, &req.top, &self.options).map_err(|e| {
            let kind = match e.kind {
                FrontErrorKind::Syntax | FrontErrorKind::Preprocess | FrontErrorKind::MissingTop => FailureKind::Syntax,
                FrontErrorKind::Unsupported | FrontErrorKind::BadInput | FrontErrorKind::Io => FailureKind::Unsupported,
            };
            SynthFailure::new(kind, e.to_string())
        })?;
        let builtin;
        let profile = match &self.profile {
            Some((p, _)) => p,
            None => {
                builtin = Profile::builtin(&req.part).map_err(|e| SynthFailure::new(FailureKind::Unsupported, e.to_string()))?;
                &builtin
            }
        };
        let est = estimate(&kernel, profile, Some(req.clock_ns)).map_err(|e| {
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
        match &self.profile {
            Some((_, fingerprint)) => format!("hlsseek-estimate {MODEL_VERSION} profile {fingerprint}"),
            None => format!("hlsseek-estimate {MODEL_VERSION}"),
        }
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

    /// A profile of one's own changes the version (the store keeps its answers apart from the
    /// shipped profiles'), and two different profiles differ; a broken one is an error.
    #[test]
    fn a_profile_of_ones_own_names_itself_in_the_version() {
        let text = include_str!("../../estimate/profiles/xcu280.toml");
        let shipped = EstimateBackend::default().version();
        let own = EstimateBackend::default().with_profile_text(text).unwrap().version();
        let other = EstimateBackend::default().with_profile_text(&text.replacen("lut = ", "lut = 1", 1)).unwrap().version();
        assert!(own.starts_with(&shipped) && own.contains(" profile "), "{own}");
        assert_ne!(own, other);
        assert!(EstimateBackend::default().with_profile_text("name = 1").is_err());
    }
}
