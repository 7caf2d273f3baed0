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
    /// The tool release whose shipped profile of the request's part to use
    /// ([`Profile::builtin_for`]); `None` is the part's default profile.
    release: Option<String>,
}

impl EstimateBackend {
    pub fn new(options: FrontOptions) -> EstimateBackend {
        EstimateBackend { options, target: Target { part: "xcu280-fsvh2892-2L-e".into(), clock_ns: 10.0 }, profile: None, release: None }
    }

    /// Estimate every request with the profile in `toml` (a profile file's text), whatever
    /// part the request names. The backend's version then names the profile, so the result
    /// store never mixes its answers with the shipped profiles'.
    pub fn with_profile_text(self, toml: &str) -> Result<EstimateBackend, EstimateError> {
        let profile = Profile::from_toml_str(toml)?;
        let fingerprint = blake3::hash(toml.as_bytes()).to_hex()[..16].to_string();
        Ok(EstimateBackend { profile: Some((profile, fingerprint)), ..self })
    }

    /// Estimate with the shipped profiles for the tool `release` (`sdx-2018.3`: the older
    /// release's differences), where the request's part has one. The version names the release.
    pub fn with_release(self, release: Option<&str>) -> EstimateBackend {
        EstimateBackend { release: release.map(str::to_string), ..self }
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
                builtin = Profile::builtin_for(&req.part, self.release.as_deref()).map_err(|e| SynthFailure::new(FailureKind::Unsupported, e.to_string()))?;
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
        match (&self.profile, &self.release) {
            (Some((_, fingerprint)), _) => format!("hlsseek-estimate {MODEL_VERSION} profile {fingerprint}"),
            (None, Some(release)) => format!("hlsseek-estimate {MODEL_VERSION} release {release}"),
            (None, None) => format!("hlsseek-estimate {MODEL_VERSION}"),
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

    /// A release picks that release's profile of the request's part (SDx 2018.3 builds 1-Kbit
    /// banks in block RAM where Vitis uses LUTRAM) and names itself in the version; a part with
    /// no profile for the release keeps its own.
    #[test]
    fn a_release_picks_its_profile_and_names_itself() {
        let text = "void k(int in[256], int out[256]) {\n  int buf[256];\n#pragma HLS array_partition variable=buf cyclic factor=8\n  for (int i = 0; i < 256; i++) buf[i] = in[i] * 3;\n  for (int i = 0; i < 256; i++) out[i] = buf[255 - i];\n}\n";
        let req = |part: &str| SynthRequest {
            files: vec![hlsseek_front::SourceFile { name: "k.c".into(), text: text.into() }],
            top: "k".into(),
            part: part.into(),
            clock_ns: 4.0,
        };
        let bram = |b: &EstimateBackend, part: &str| b.synthesize(&req(part)).result.unwrap().qor.resources.bram;
        let vitis = EstimateBackend::default();
        let sdx = EstimateBackend::default().with_release(Some("sdx-2018.3"));
        // Eight banks of 32 words × 32 bits: LUTRAM under Vitis, one BRAM18K each under SDx.
        assert_eq!(bram(&vitis, "xcvu9p"), 0);
        assert_eq!(bram(&sdx, "xcvu9p"), 8);
        assert_eq!(bram(&sdx, "xcu280"), bram(&vitis, "xcu280"));
        assert!(sdx.version().ends_with(" release sdx-2018.3"), "{}", sdx.version());
        assert_ne!(sdx.version(), vitis.version());
    }
}
