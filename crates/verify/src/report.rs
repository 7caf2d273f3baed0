//! The typed result of one verification: which stage decided, how, and the kept messages.

use crate::lint::Finding;
use crate::sandbox::{Capabilities, RunOutput, Termination};
use serde::Serialize;

/// The pipeline stages, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    Extract,
    Syntax,
    Lint,
    Compile,
    Run,
    Compare,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Extract => "extract",
            Stage::Syntax => "syntax",
            Stage::Lint => "lint",
            Stage::Compile => "compile",
            Stage::Run => "run",
            Stage::Compare => "compare",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Pass,
    Fail,
    Timeout,
    ResourceLimit,
    SandboxViolation,
    /// The verifier itself failed (bad task, sandbox set-up); says nothing about the candidate.
    Error,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Timeout => "timeout",
            Outcome::ResourceLimit => "resource-limit",
            Outcome::SandboxViolation => "sandbox-violation",
            Outcome::Error => "error",
        }
    }
}

/// Longest stdout/stderr excerpt kept per step in a report.
const KEEP_CHARS: usize = 16 * 1024;

/// One command of the pipeline and what it printed.
#[derive(Debug, Clone, Serialize)]
pub struct StepLog {
    pub stage: Stage,
    pub command: String,
    pub termination: Termination,
    pub seconds: f64,
    pub stdout: String,
    pub stderr: String,
}

impl StepLog {
    pub fn new(stage: Stage, command: String, out: &RunOutput) -> StepLog {
        StepLog {
            stage,
            command,
            termination: out.termination,
            seconds: out.wall_seconds,
            stdout: keep(&out.stdout),
            stderr: keep(&out.stderr),
        }
    }
}

fn keep(s: &str) -> String {
    if s.len() <= KEEP_CHARS {
        return s.to_string();
    }
    let mut cut = KEEP_CHARS;
    while !s.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}\n[... {} more bytes]", &s[..cut], s.len() - cut)
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub task: String,
    pub passed: bool,
    /// The stage that decided (the last one reached).
    pub stage: Stage,
    pub outcome: Outcome,
    pub seconds: f64,
    /// One line saying why, fit for a table.
    pub detail: String,
    pub lint: Vec<Finding>,
    /// The compiler's and program's messages, per step.
    pub messages: Vec<StepLog>,
    /// The isolation mechanisms that were in effect.
    pub sandbox: Capabilities,
}
