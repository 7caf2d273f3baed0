//! Quality of Results: what a synthesis (real or estimated) says about a design.
//!
//! [`Qor`] holds latency (min/max cycles), the top-level initiation interval and resources;
//! [`LoopReport`] is the per-loop breakdown shared by the estimator and report parsers,
//! [`MemoryReport`] the per-array one (the estimator's, and Vitis's from its csynth.rpt);
//! [`pareto`] defines dominance on (latency, LUT, FF, DSP, BRAM); [`stats`] has the rank and
//! error metrics used to compare estimates with recorded results.

pub mod pareto;
pub mod stats;

use serde::{Deserialize, Serialize};

/// Resource usage. BRAM is counted in BRAM18K blocks (a BRAM36 counts 2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Resources {
    pub lut: u64,
    pub ff: u64,
    pub dsp: u64,
    pub bram: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uram: Option<u64>,
}

impl std::ops::Add for Resources {
    type Output = Resources;
    fn add(self, o: Resources) -> Resources {
        Resources {
            lut: self.lut + o.lut,
            ff: self.ff + o.ff,
            dsp: self.dsp + o.dsp,
            bram: self.bram + o.bram,
            uram: match (self.uram, o.uram) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            },
        }
    }
}

impl std::ops::AddAssign for Resources {
    fn add_assign(&mut self, o: Resources) {
        *self = *self + o;
    }
}

impl Resources {
    /// Scale every count (e.g. replicate a unit `n` times).
    pub fn times(self, n: u64) -> Resources {
        Resources {
            lut: self.lut * n,
            ff: self.ff * n,
            dsp: self.dsp * n,
            bram: self.bram * n,
            uram: self.uram.map(|u| u * n),
        }
    }
}

/// Latency in clock cycles. `None` means undefined (a loop bound the tool could not resolve).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Latency {
    pub min: Option<u64>,
    pub max: Option<u64>,
}

impl Latency {
    pub fn exact(c: u64) -> Self {
        Latency { min: Some(c), max: Some(c) }
    }

    /// The single number used for comparisons: the worst case where defined, else the best case.
    pub fn value(&self) -> Option<u64> {
        self.max.or(self.min)
    }
}

/// The QoR of one design.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Qor {
    pub latency: Latency,
    /// Initiation interval of the top function (cycles between starts); `None` if undefined.
    pub ii: Option<u64>,
    #[serde(flatten)]
    pub resources: Resources,
}

/// Where an array is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Storage {
    Bram,
    Lutram,
    Uram,
    /// Every element in its own register (completely partitioned).
    Registers,
    /// Outside the design: a top-level interface array (ap_memory, m_axi) or a callee's
    /// parameter, which uses the caller's storage.
    External,
    /// A FIFO (`hls::stream`, `STREAM`).
    Fifo,
    /// A local array of unknown size (a run-time size, or an extent the estimator could not
    /// evaluate): not counted.
    Unsized,
}

impl std::fmt::Display for Storage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Storage::Bram => "bram",
            Storage::Lutram => "lutram",
            Storage::Uram => "uram",
            Storage::Registers => "registers",
            Storage::External => "external",
            Storage::Fifo => "fifo",
            Storage::Unsized => "unsized",
        })
    }
}

/// One array of a synthesized or estimated design: how it is split into banks, where it is
/// built and what it costs (what the "Memory" table of a Vitis csynth.rpt shows).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryReport {
    pub name: String,
    /// The function that declares it (or has it as a parameter).
    pub function: String,
    pub storage: Storage,
    /// Elements held (all banks together); 0 where the source does not say (a Vitis 2022+
    /// csynth.rpt lists no sizes).
    pub words: u64,
    /// Bits per element; 0 where the source does not say.
    pub width: u64,
    pub banks: u64,
    /// Partitioning of each dimension, outermost first: `-`, `cyclic N`, `block N` or
    /// `complete N` (N banks along that dimension).
    pub partition: Vec<String>,
    #[serde(flatten)]
    pub resources: Resources,
}

/// One loop of a synthesized or estimated design.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LoopReport {
    /// Loop name (label, or a generated one), with its nesting path in `path`.
    pub name: String,
    /// Names of the enclosing loops and function, outermost first, e.g. `["kernel", "L0"]`.
    pub path: Vec<String>,
    pub trip_count: Latency,
    /// Cycles of one whole execution of the loop.
    pub latency: Latency,
    /// Cycles of one iteration (non-pipelined) or the pipeline depth.
    pub iteration_latency: Option<u64>,
    /// Achieved II when pipelined.
    pub ii: Option<u64>,
    pub pipelined: bool,
    /// Unroll factor applied (1 = not unrolled); fully unrolled loops do not appear.
    pub unroll: u64,
    /// Merged into its parent by loop flattening.
    pub flattened: bool,
}
