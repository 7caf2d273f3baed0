//! The design graph the model reads: node feature rows, typed directed edges, and graph-level
//! features (the analytical estimator's view and the tool version). Owns the feature layout and
//! its version number; [`crate::encode`] fills it from the IR.

use serde::{Deserialize, Serialize};

/// Bumped whenever the meaning or order of a feature changes; a model trained on another
/// version is refused at load time.
pub const FEATURE_VERSION: u32 = 1;

/// Width of a node feature row.
pub const NODE_DIM: usize = 64;

/// Number of graph-level features (see [`GlobalFeatures`]).
pub const GLOBAL_DIM: usize = 10;

/// How many of the graph-level features are normalised with a stored mean/std (the estimator's
/// log numbers); the rest are flags.
pub const GLOBAL_NORMALISED: usize = 6;

/// Node-kind slots (one-hot at the start of the row).
pub mod kind {
    pub const FUNCTION: usize = 0;
    pub const LOOP: usize = 1;
    pub const BRANCH: usize = 2;
    pub const CALL: usize = 3;
    pub const ARRAY: usize = 4;
    /// First op class; op classes occupy `OP_BASE..OP_BASE + OP_CLASSES`.
    pub const OP_BASE: usize = 5;
    pub const OP_CLASSES: usize = 11;
}

/// Feature slots after the kind one-hot.
pub mod slot {
    pub const TYPE_INT: usize = 16; // ..=19: int, half, float, double
    pub const BITS: usize = 20;
    pub const COUNT: usize = 21;
    pub const DEPTH: usize = 22;
    // Loop structure and directives.
    pub const TRIP: usize = 23;
    pub const TRIP_UNKNOWN: usize = 24;
    pub const PIPELINE_ON: usize = 25;
    pub const PIPELINE_OFF: usize = 26;
    pub const PIPELINE_FLATTEN: usize = 27;
    pub const II: usize = 28;
    pub const UNROLL_SET: usize = 29;
    pub const UNROLL_LOG: usize = 30;
    pub const UNROLL_COMPLETE: usize = 31;
    pub const TILE_LOG: usize = 32;
    pub const LOOP_FLATTEN: usize = 33;
    pub const DATAFLOW: usize = 34;
    pub const CARRIED: usize = 35;
    pub const REDUCTION: usize = 36;
    pub const INNERMOST: usize = 37;
    pub const PARALLELISM: usize = 38;
    pub const UNDER_PIPELINE: usize = 39;
    pub const UNDER_FLATTEN: usize = 40;
    // The estimator's per-loop report.
    pub const EST_MATCHED: usize = 41;
    pub const EST_LATENCY: usize = 42;
    pub const EST_II: usize = 43;
    pub const EST_PIPELINED: usize = 44;
    pub const EST_UNROLL: usize = 45;
    pub const EST_FLATTENED: usize = 46;
    // Arrays.
    pub const ELEMENTS: usize = 47;
    pub const DIMS: usize = 48;
    pub const ARRAY_PARAM: usize = 49;
    pub const ARRAY_LOCAL: usize = 50;
    pub const ARRAY_STATIC: usize = 51;
    pub const ARRAY_STREAM: usize = 52;
    pub const PART_COMPLETE: usize = 53;
    pub const PART_FACTOR: usize = 54;
    pub const PART_COUNT: usize = 55;
    pub const RESHAPE: usize = 56;
    pub const STORAGE: usize = 57;
    // Functions.
    pub const TOP: usize = 58;
    pub const FN_PIPELINE: usize = 59;
    pub const FN_DATAFLOW: usize = 60;
    pub const FN_INLINE: usize = 61;
    pub const ACCESSES: usize = 62;
    pub const INDIRECT: usize = 63;
}

/// Edge types. Every relation is present in both directions so information flows both ways.
pub mod edge {
    pub const PARENT_CHILD: u32 = 0;
    pub const CHILD_PARENT: u32 = 1;
    pub const FLOW: u32 = 2;
    pub const FLOW_BACK: u32 = 3;
    pub const OP_ARRAY: u32 = 4;
    pub const ARRAY_OP: u32 = 5;
    pub const CALL_CALLEE: u32 = 6;
    pub const CALLEE_CALL: u32 = 7;
    pub const TYPES: usize = 8;
}

/// Which tool produced (or is meant to produce) the design's results: the same design gets
/// different numbers from different tools, so the model is told.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ToolVersion {
    /// SDx 2018.3 (HLSyn `v18`).
    V18,
    /// Vitis 2020.2 (HLSyn `v20`); the default for new designs.
    #[default]
    V20,
    Other,
}

impl ToolVersion {
    pub fn parse(s: &str) -> ToolVersion {
        match s {
            "v18" => ToolVersion::V18,
            "v20" => ToolVersion::V20,
            _ => ToolVersion::Other,
        }
    }

    /// The release as the estimator's device profiles name it (`Profile::tool`).
    pub fn release(self) -> Option<&'static str> {
        match self {
            ToolVersion::V18 => Some("sdx-2018.3"),
            ToolVersion::V20 => Some("vitis-2020.2"),
            ToolVersion::Other => None,
        }
    }

    /// The estimator's shipped profile of `part` under this release (the part's default where
    /// no profile models the release).
    pub fn profile(self, part: &str) -> Result<hlsseek_estimate::Profile, hlsseek_estimate::EstimateError> {
        hlsseek_estimate::Profile::builtin_for(part, self.release())
    }
}

/// Graph-level features: `[log2 latency, log2 LUT, log2 FF, log2 DSP, log2 BRAM, log2 II,
/// estimate present, v18, v20, other tool]` (the first [`GLOBAL_NORMALISED`] before
/// normalisation).
pub type GlobalFeatures = [f32; GLOBAL_DIM];

/// One encoded design.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DesignGraph {
    /// `n × NODE_DIM`, row-major.
    pub nodes: Vec<f32>,
    pub src: Vec<u32>,
    pub dst: Vec<u32>,
    pub etype: Vec<u32>,
    pub global: GlobalFeatures,
}

impl DesignGraph {
    pub fn node_count(&self) -> usize {
        self.nodes.len() / NODE_DIM
    }

    pub fn is_loop(&self, node: usize) -> bool {
        self.nodes[node * NODE_DIM + kind::LOOP] > 0.5
    }
}

/// Mean and standard deviation of the normalised graph-level features, fixed at training time
/// and stored with the model.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Normalisation {
    pub mean: Vec<f32>,
    pub std: Vec<f32>,
}

impl Default for Normalisation {
    fn default() -> Self {
        Normalisation { mean: vec![0.0; GLOBAL_NORMALISED], std: vec![1.0; GLOBAL_NORMALISED] }
    }
}

impl Normalisation {
    /// Fit on a set of designs; a constant feature keeps std 1 so it normalises to 0.
    pub fn fit<'a>(graphs: impl Iterator<Item = &'a DesignGraph>) -> Normalisation {
        let (mut sum, mut sq, mut n) = ([0f64; GLOBAL_NORMALISED], [0f64; GLOBAL_NORMALISED], 0f64);
        for g in graphs {
            for k in 0..GLOBAL_NORMALISED {
                sum[k] += g.global[k] as f64;
                sq[k] += (g.global[k] as f64).powi(2);
            }
            n += 1.0;
        }
        if n == 0.0 {
            return Normalisation::default();
        }
        let mean: Vec<f32> = sum.iter().map(|s| (s / n) as f32).collect();
        let std = (0..GLOBAL_NORMALISED)
            .map(|k| {
                let var = sq[k] / n - (sum[k] / n).powi(2);
                if var > 1e-8 { var.sqrt() as f32 } else { 1.0 }
            })
            .collect();
        Normalisation { mean, std }
    }

    pub fn apply(&self, g: &GlobalFeatures) -> GlobalFeatures {
        let mut out = *g;
        for k in 0..GLOBAL_NORMALISED.min(self.mean.len()).min(self.std.len()) {
            out[k] = (g[k] - self.mean[k]) / self.std[k];
        }
        out
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.mean.len() != GLOBAL_NORMALISED || self.std.len() != GLOBAL_NORMALISED {
            return Err(format!("normalisation has {} means and {} stds, expected {GLOBAL_NORMALISED}", self.mean.len(), self.std.len()));
        }
        if self.mean.iter().chain(&self.std).any(|v| !v.is_finite()) || self.std.iter().any(|s| *s <= 0.0) {
            return Err("normalisation has non-finite or non-positive values".into());
        }
        Ok(())
    }
}
