//! What goes into a synthesis and what comes out of it.

use hlsseek_front::SourceFile;
use hlsseek_qor::{LoopReport, MemoryReport, Qor};
use serde::{Deserialize, Serialize};

/// A device part and clock period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Target {
    pub part: String,
    pub clock_ns: f64,
}

/// One design to synthesize.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SynthRequest {
    pub files: Vec<SourceFile>,
    pub top: String,
    pub part: String,
    pub clock_ns: f64,
}

/// A successful synthesis: the design's QoR, its loops and its memories.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QorReport {
    pub qor: Qor,
    #[serde(default)]
    pub loops: Vec<LoopReport>,
    /// Per-array storage, where the backend knows it (the estimator; Vitis's csynth.rpt).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub memories: Vec<MemoryReport>,
    /// What the answer rests on that a reader should know (estimator assumptions, a dataset's
    /// own caveats about the record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Why a synthesis gave no QoR.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// The sources do not compile.
    Syntax,
    /// The backend cannot handle this design or target.
    Unsupported,
    /// The tool ran past its time limit and was stopped.
    Timeout,
    /// The tool failed for another reason (crash, license, missing report).
    ToolError,
    /// The design does not fit the part.
    ResourceOverflow,
    /// The recorded dataset has no result for this design.
    NotRecorded,
    /// The backend cannot run here (tool not installed).
    Unavailable,
}

impl FailureKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FailureKind::Syntax => "syntax",
            FailureKind::Unsupported => "unsupported",
            FailureKind::Timeout => "timeout",
            FailureKind::ToolError => "tool_error",
            FailureKind::ResourceOverflow => "resource_overflow",
            FailureKind::NotRecorded => "not_recorded",
            FailureKind::Unavailable => "unavailable",
        }
    }

    /// Whether this failure says something about the design (and so is worth storing, so the
    /// same synthesis is never paid for again) rather than about this machine or dataset.
    pub fn is_property_of_design(self) -> bool {
        !matches!(self, FailureKind::Unavailable | FailureKind::NotRecorded)
    }
}

impl std::fmt::Display for FailureKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A typed failure with a message for people.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{kind}: {message}")]
pub struct SynthFailure {
    pub kind: FailureKind,
    pub message: String,
    /// Numbers the tool still produced (e.g. the usage of a design that does not fit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qor: Option<Box<Qor>>,
}

impl SynthFailure {
    pub fn new(kind: FailureKind, message: impl Into<String>) -> SynthFailure {
        SynthFailure { kind, message: message.into(), qor: None }
    }
}

/// The answer to one request, with how long it took and which tool gave it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SynthOutcome {
    pub result: Result<QorReport, SynthFailure>,
    /// Wall-clock seconds the backend spent (for a stored answer: what it cost originally).
    pub seconds: f64,
    pub tool: String,
    pub tool_version: String,
}

impl SynthOutcome {
    /// `ok` or the failure kind, the store's status column.
    pub fn status(&self) -> &'static str {
        match &self.result {
            Ok(_) => "ok",
            Err(f) => f.kind.as_str(),
        }
    }
}
