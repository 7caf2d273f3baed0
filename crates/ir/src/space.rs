//! Design spaces: knobs (pragma values left as placeholders) and points (knob → value).

use crate::{Loc, LoopId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One tunable pragma value, e.g. `auto{__PARA__L3}` in `#pragma ACCEL PARALLEL FACTOR=...`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Knob {
    /// Placeholder name, e.g. `__PARA__L3`.
    pub name: String,
    pub kind: KnobKind,
    pub loc: Loc,
    /// The loop the pragma governs, when it governs one.
    pub loop_id: Option<LoopId>,
    /// Candidate values, the default first.
    pub values: Vec<KnobValue>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KnobKind {
    /// Merlin `PIPELINE`: `""` (no pragma), `off`, `flatten`.
    Pipeline,
    /// Merlin `PARALLEL FACTOR` / Vitis `UNROLL factor`.
    Parallel,
    /// Merlin `TILE FACTOR`.
    Tile,
    /// Vitis `PIPELINE II`.
    PipelineIi,
    /// `ARRAY_PARTITION factor`.
    PartitionFactor,
    Other,
}

/// A knob's value: a factor or a word (`flatten`, `off`, or `""` for "no pragma").
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(untagged)]
pub enum KnobValue {
    Int(u64),
    Text(String),
}

impl std::fmt::Display for KnobValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KnobValue::Int(v) => write!(f, "{v}"),
            KnobValue::Text(s) => write!(f, "{s}"),
        }
    }
}

/// A point of a design space: a value for each knob (by name). Ordered, so it serialises and
/// hashes the same way every time.
pub type DesignPoint = BTreeMap<String, KnobValue>;
