//! Typed pragma directives (Vitis `#pragma HLS`, Merlin `#pragma ACCEL`) and the raw record of
//! every pragma with the place it governs.

use crate::{Loc, LoopId, PartitionType};
use serde::{Deserialize, Serialize};

/// Directives that govern a loop.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoopDirectives {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<PipelineDirective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unroll: Option<UnrollDirective>,
    /// `LOOP_FLATTEN` (`off: true` for `LOOP_FLATTEN off`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flatten: Option<Toggle>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tripcount: Option<TripcountDirective>,
    /// Merlin `TILE FACTOR=n`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tile: Option<TileDirective>,
    /// `DATAFLOW` inside a loop body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataflow: Option<Loc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependences: Vec<DependenceDirective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyDirective>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bind_ops: Vec<BindOpDirective>,
}

/// Directives that govern a function.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FunctionDirectives {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inline: Option<InlineDirective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dataflow: Option<Loc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<PipelineDirective>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<LatencyDirective>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interfaces: Vec<InterfaceDirective>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bind_ops: Vec<BindOpDirective>,
    /// Merlin `#pragma ACCEL kernel` marks the accelerated function.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub merlin_kernel: bool,
}

/// `PIPELINE [II=n] [off] [rewind]`, or Merlin `PIPELINE [flatten|off]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PipelineDirective {
    pub ii: Option<u32>,
    pub off: bool,
    pub rewind: bool,
    /// Merlin `flatten`: pipeline this loop and fully unroll every loop inside it.
    pub flatten: bool,
    pub dialect: Dialect,
    pub loc: Loc,
}

/// `UNROLL [factor=n] [off]`, or Merlin `PARALLEL FACTOR=n [reduction=x]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnrollDirective {
    /// `None` means complete unrolling.
    pub factor: Option<u32>,
    pub off: bool,
    /// Variables Merlin is told to rewrite as reduction trees.
    pub reductions: Vec<String>,
    pub dialect: Dialect,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Toggle {
    pub off: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripcountDirective {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub avg: Option<u64>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileDirective {
    pub factor: u32,
    pub loc: Loc,
}

/// `DEPENDENCE variable=x [class=array|pointer] [type=inter|intra] [direction=RAW|WAR|WAW]
/// [distance=n] dependent=false|true`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DependenceDirective {
    pub variable: Option<String>,
    /// `array` or `pointer`: every variable of that class (instead of `variable`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    pub inter: bool,
    pub direction: Option<String>,
    pub distance: Option<u32>,
    pub dependent: bool,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LatencyDirective {
    pub min: Option<u32>,
    pub max: Option<u32>,
    pub loc: Loc,
}

/// `BIND_OP variable=x op=mul impl=dsp latency=n`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BindOpDirective {
    pub variable: Option<String>,
    pub op: Option<String>,
    pub implementation: Option<String>,
    pub latency: Option<u32>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineDirective {
    pub off: bool,
    pub recursive: bool,
    pub loc: Loc,
}

/// `INTERFACE mode=m_axi port=x [bundle=b] [depth=n] [offset=...]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InterfaceDirective {
    pub mode: String,
    pub port: Option<String>,
    pub bundle: Option<String>,
    pub depth: Option<u64>,
    pub loc: Loc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    /// `#pragma HLS` (Vitis/Vivado HLS).
    Hls,
    /// `#pragma ACCEL` (Merlin).
    Accel,
}

/// Every pragma the front-end saw, parsed into name and arguments, with what it governs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PragmaRecord {
    pub dialect: Option<Dialect>,
    /// Upper-cased directive name (`PIPELINE`, `ARRAY_PARTITION`, ...).
    pub name: String,
    /// `key=value` or bare `flag` arguments in source order; keys lower-cased.
    pub args: Vec<(String, Option<String>)>,
    pub text: String,
    pub loc: Loc,
    pub target: PragmaTarget,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum PragmaTarget {
    Function(String),
    Loop(LoopId),
    Array { function: String, array: String },
    /// Recognised but not attached (e.g. `scop`, a pragma outside any function).
    None,
    /// Not a pragma hlsseek knows; reported as a warning.
    Unknown,
}

impl PartitionType {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "cyclic" => Some(PartitionType::Cyclic),
            "block" => Some(PartitionType::Block),
            "complete" => Some(PartitionType::Complete),
            _ => None,
        }
    }
}
