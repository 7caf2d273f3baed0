//! `hlsseek-verify`: the syntax and functional part of the reward. A candidate HLS source is
//! extracted from an LLM answer, syntax-checked, linted for synthesizability, compiled with a
//! task's testbench and C-simulated in a sandbox; the result is a typed [`Report`].

pub mod error;
pub mod sandbox;

pub use error::{Result, VerifyError};
pub mod compare;
pub mod extract;
pub mod headers;
pub mod lint;
pub mod pipeline;
pub mod prepare;
pub mod report;
pub mod state;
pub mod task;

pub use pipeline::{Candidate, HeaderSource, Verifier, VerifyConfig};
pub use report::{Outcome, Report, Stage};
pub use task::Task;
