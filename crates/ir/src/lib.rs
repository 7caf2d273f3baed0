//! The kernel IR: what the front-end reads out of HLS C/C++ and every later stage consumes.
//!
//! A [`Kernel`] is a set of [`Function`]s with a designated top. Each function owns its arrays
//! (parameters, locals, streams) and a body [`Region`]: an ordered list of [`Node`]s (typed
//! operations, loops, calls, branches). Operations within one region form a dataflow DAG through
//! [`Operand::Op`] (across the arms of branches too, within one loop or function body); values
//! that come from outside are named ([`Operand::Scalar`]).
//! Pragmas are typed directives attached to the loop, function or array they govern, each with
//! its source location; the raw list is kept in [`Kernel::pragmas`] for reports and tests.
//!
//! The IR has no behaviour beyond small queries and what an operation computes on constants
//! ([`fold`]): parsing lives in `hlsseek-front`, scheduling in `hlsseek-estimate`.

mod directives;
pub mod fold;
mod kernel;
mod space;
mod types;

pub use directives::*;
pub use kernel::*;
pub use space::*;
pub use types::*;

use serde::{Deserialize, Serialize};

/// A position in the (pre-preprocessing) source: file index into [`Kernel::files`], 1-based line
/// and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Loc {
    pub file: u16,
    pub line: u32,
    pub col: u32,
}

/// A message about the input that did not stop the front-end (unknown pragma, ignored construct).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Note,
    Warning,
    Error,
}
