//! Device/clock profiles: capacities, memory geometry, control and interface overheads and the
//! operator table, read from the TOML files under `profiles/` (embedded with `include_str!`).
//! A profile models one part under one tool release; a profile for another release of the same
//! part names its `base` and overrides only what that release does differently.
//! Also resolves the operator table at one clock period into an [`OpTable`].

use crate::EstimateError;
use hlsseek_ir::TypeClass;
use serde::{Deserialize, Serialize};

const BUILTIN: &[(&str, &str)] = &[
    ("xcu280", include_str!("../profiles/xcu280.toml")),
    ("vu9p", include_str!("../profiles/vu9p.toml")),
    ("vu9p-sdx2018", include_str!("../profiles/vu9p-sdx2018.toml")),
];

/// A device/clock profile (operator latencies and costs, memory geometry, capacities), loaded
/// from a data file under `profiles/`. Contract: `Profile::builtin("xcu280")`, `Profile::parts()`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Short name (`xcu280`).
    pub name: String,
    /// Full part name (`xcu280-fsvh2892-2L-e`).
    pub part: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The tool release whose behaviour the profile models (`vitis-2020.2`, `sdx-2018.3`):
    /// the same part under two releases can need two profiles ([`Profile::builtin_for`]).
    #[serde(default)]
    pub tool: Option<String>,
    pub family: String,
    /// Clock period the profile is meant for when the caller gives none, in ns.
    pub default_clock_ns: f64,
    pub clock: ClockRule,
    pub capacity: Capacity,
    pub memory: MemoryRules,
    pub control: ControlRules,
    pub resources: ResourceRules,
    pub interface: InterfaceCosts,
    pub merlin: MerlinRules,
    pub ops: Vec<OpRow>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClockRule {
    /// Uncertainty as a fraction of the period; the schedulable part is `period * (1 - f)`.
    pub uncertainty_fraction: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Capacity {
    pub lut: u64,
    pub ff: u64,
    pub dsp: u64,
    pub bram18k: u64,
    pub uram: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MemoryRules {
    pub bram18k_bits: u64,
    /// (width, depth) shapes of one BRAM18K.
    pub bram18k_shapes: Vec<(u64, u64)>,
    pub ports_per_bank: u32,
    pub param_ports: u32,
    /// A bank of at most this many bits is built in LUTRAM (or SRL).
    pub lutram_max_bits: u64,
    /// A whole array of at most this many bits is built in LUTRAM, whatever its banks
    /// (0: only the per-bank rule).
    #[serde(default)]
    pub lutram_max_array_bits: u64,
    pub complete_threshold: u64,
    /// Largest local array Vitis's throughput-driven partitioning splits for the copies of an
    /// unrolled loop (0: none, as before Vitis 2022.1 and under Merlin).
    #[serde(default)]
    pub throughput_partition_max_elements: u64,
    pub lutram_bits_per_lut: f64,
    /// (width, depth) of one URAM block, for `BIND_STORAGE impl=uram`.
    #[serde(default = "uram_shape")]
    pub uram_shape: (u64, u64),
}

/// UltraScale+ UltraRAM: 288 Kb as 4K × 72 (UG573).
fn uram_shape() -> (u64, u64) {
    (72, 4096)
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ControlRules {
    pub seq_iter_overhead: u64,
    pub seq_loop_exit: u64,
    pub pipe_loop_overhead: u64,
    pub call_overhead: u64,
    pub function_overhead: u64,
    pub min_block_cycles: u64,
    pub auto_pipeline_threshold: u64,
    pub auto_unroll_max_ops: u64,
    pub max_pipeline_ops: u64,
    pub auto_pipeline_variable_trip: bool,
    pub auto_pipeline_source_innermost_only: bool,
    /// A loop given a partial unroll factor stays a loop: an automatic pipeline does not climb
    /// past it (it would have to unroll it fully, overriding the factor).
    #[serde(default)]
    pub partial_unroll_stops_climb: bool,
    /// A perfect nest over a small innermost loop is flattened and pipelined rather than
    /// unrolled into its parent (Vitis flattens before it chooses loops to pipeline).
    #[serde(default)]
    pub flatten_before_absorb: bool,
    pub inline_max_ops: u64,
    pub float_tree_reduction: bool,
    pub forward_memory_reductions: bool,
    pub assume_trip_count: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResourceRules {
    pub ff_per_result_bit: f64,
    pub ff_comb_fraction: f64,
    pub ff_per_state: f64,
    pub lut_per_state: f64,
    pub lut_per_loop: f64,
    pub ff_per_loop: f64,
    /// LUTs per input of a multiplexer in front of a shared unit or port (csynth prices a mux
    /// by its inputs, not its width). Defaulted so profiles written before it still load.
    #[serde(default = "lut_per_mux_input")]
    pub lut_per_mux_input: f64,
    pub lut_per_bank_mux_bit: f64,
    /// LUTs that replace one DSP slice of an operator bound to the fabric (`BIND_OP impl=fabric`).
    #[serde(default = "fabric_lut_per_dsp")]
    pub fabric_lut_per_dsp: f64,
}

fn lut_per_mux_input() -> f64 {
    5.0
}

/// A DSP48E2 multiplies 27 × 18 bits; a LUT6 array multiplier takes about one LUT per two
/// partial-product bits: 27 · 18 / 2 ≈ 243. A rough figure, not calibrated (no data binds ops).
fn fabric_lut_per_dsp() -> f64 {
    243.0
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InterfaceCosts {
    pub ap_memory_lut: f64,
    pub ap_memory_ff: f64,
    pub s_axilite_lut: f64,
    pub s_axilite_ff: f64,
    pub s_axilite_lut_per_reg: f64,
    pub s_axilite_ff_per_reg: f64,
    pub m_axi_lut: f64,
    pub m_axi_ff: f64,
    pub m_axi_bram: f64,
    pub ctrl_lut: f64,
    pub ctrl_ff: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MerlinRules {
    pub bus_bytes: u64,
    pub burst_overhead: u64,
    pub overlap_transfers: bool,
    pub jam_carried: bool,
    pub max_partition: u64,
    pub partition_flattened: bool,
    /// Whether the copies of a partial `PARALLEL` (factor below the trip count) on a loop
    /// that holds loops run side by side where each copy can get its own banks (true), or
    /// always one after another, each running the inner loops, as Vitis does for a partial
    /// unroll (false).
    #[serde(default = "yes")]
    pub partial_coarse_parallel: bool,
    /// Merlin's memory coalescing (`bitwidth_opt`): each top-level array's port is widened to
    /// the bus where its innermost dimensions tile whole bus words, to the widest power-of-two
    /// share that they tile otherwise, and left one element wide where none fits; its burst
    /// buffer is partitioned to match (cyclically on the innermost dimensions by the elements
    /// a word carries, `AddPartitionPragma`), merged with the partitions PARALLEL asks for
    /// (the larger factor per dimension). Off: every port moves `bus_bytes` per beat and only
    /// PARALLEL partitions.
    #[serde(default)]
    pub memory_coalescing: bool,
    /// Whether Merlin's `TILE` refills on-chip buffers of the top-level arrays the tiled loop's
    /// variable indexes once per tile (a burst set-up per tile, array and direction).
    #[serde(default)]
    pub tile_buffers: bool,
    /// Whether Merlin's `PIPELINE off` leaves the loop to the HLS tool's defaults (true: it only
    /// stops Merlin from pipelining, Vitis may still pipeline or flatten it) or forbids any
    /// pipelining of the loop (false).
    #[serde(default)]
    pub off_keeps_tool_defaults: bool,
    /// Whether a partial `PARALLEL` whose factor does not divide the trip count is strip-mined
    /// to whole groups of copies followed by a copy of the loop that runs the remaining
    /// iterations one at a time (true, as Merlin's loop tiling does), or runs a last, partly
    /// idle group of copies (false).
    #[serde(default)]
    pub peel_remainder: bool,
    /// Whether the copies of a Merlin `PARALLEL` that run one after another (a loop holding
    /// loops whose copies cannot run side by side) share one instance of the inner loops'
    /// hardware (true) or each get their own, as a Vitis partial unroll makes them (false).
    /// Only resources change; the copies' latency is the same either way.
    #[serde(default)]
    pub sequential_copies_share: bool,
    /// Whether a coarse-grained Merlin `PARALLEL` (partial factor, loop holding loops, no
    /// carried dependence) refills per-copy buffers of the top-level arrays its variable
    /// indexes once per group of copies, instead of those arrays moving once for the kernel.
    #[serde(default)]
    pub parallel_refills: bool,
    /// Whether Merlin refuses a `PARALLEL` on a loop holding loops (pipelined or not) whose
    /// copies would write what another copy touches (a dependence carried through memory),
    /// removing the pragma so that the loop stays as written: latency, hardware and array
    /// partitioning of factor 1 (true); or unrolls it, the copies running in sequence with
    /// the unrolled loop's partitioning (false).
    #[serde(default)]
    pub refuse_overlapping_parallel: bool,
    /// Merlin's single-buffer limit (`burst_single_size_threshold`, 1 MiB by default), in
    /// bytes: a PARALLEL on a loop holding loops whose copies' buffers of one top-level array
    /// together pass it is refused and the loop stays as written, and a top-level array larger
    /// than it is buffered on chip one slice of its first dimension at a time. 0 = no limit.
    #[serde(default)]
    pub single_buffer_bytes: u64,
    /// Whether Merlin refuses a `PARALLEL` on a coarse-grained loop (not pipelined, keeping a
    /// sub-loop) when an array its body writes cannot be split per copy (`coarse_parallel.cpp`,
    /// CGPAR_WARNING_2): in some access, the first dimension whose index varies within the body
    /// is not indexed by the loop variable alone. The loop is then as written.
    #[serde(default)]
    pub refuse_unsplittable_parallel: bool,
    /// Whether Merlin refuses a full `PARALLEL` on a coarse-grained loop whose body writes a
    /// scalar declared outside it (not a loop counter): the copies would share it
    /// (`coarse_parallel.cpp`, CGPAR_WARNING_2, "on-chip scalar has data dependence"). The
    /// loop is then as written. Partial factors keep their copies (plan.rs says why).
    #[serde(default)]
    pub refuse_shared_scalar_parallel: bool,
}

fn yes() -> bool {
    true
}

/// Operator classes of the profile's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpClass {
    Add,
    Mul,
    MulConst,
    Div,
    Cmp,
    Logic,
    Select,
    Sqrt,
    Exp,
    Log,
    Pow,
    Trig,
    Cast,
    Load,
    Store,
    Other,
    /// Wiring only (shift by a constant, multiply by a power of two, int width change).
    Free,
    /// Integer division by a constant that is not a power of two: a multiply by its magic
    /// reciprocal, with the shift and sign fix-up around it.
    DivConst,
    /// A change of floating-point width (float ↔ double).
    FpConvert,
}

pub(crate) const N_CLASSES: usize = 19;

impl OpClass {
    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The class a profile without rows of this one (an older or hand-written profile) prices
    /// it as: a division by a constant is the multiplier it is built around, a float-width
    /// change a conversion.
    fn stand_in(self) -> Option<OpClass> {
        match self {
            OpClass::DivConst => Some(OpClass::Mul),
            OpClass::FpConvert => Some(OpClass::Cast),
            _ => None,
        }
    }
}

/// One row of the operator table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OpRow {
    pub op: OpClass,
    pub ty: TypeClass,
    #[serde(default = "wide")]
    pub max_bits: u32,
    /// (clock period in ns, latency in cycles) points.
    pub lat: Vec<(f64, u32)>,
    #[serde(default)]
    pub delay_ns: f64,
    #[serde(default)]
    pub lut: f64,
    #[serde(default)]
    pub lut_per_bit: f64,
    #[serde(default)]
    pub ff: f64,
    #[serde(default)]
    pub ff_per_bit: f64,
    #[serde(default)]
    pub dsp: f64,
    /// Cycles added per bit of width, for cores that work a bit at a time (the radix-2 divider:
    /// `bits + 4` cycles at 8, 16, 32 and 64 bits, hls-facts §Operator latency).
    #[serde(default)]
    pub lat_per_bit: u32,
    /// When set, the DSP count is `ceil(bits / dsp_tile_bits)²`: a multiplier wider than a DSP
    /// slice is built from that many partial products, one slice each.
    #[serde(default)]
    pub dsp_tile_bits: u32,
    /// For a bit-serial core (`lat_per_bit`): LUT and FF per bit per stage when it must take a
    /// new operand more often than its latency (inside a pipeline with a shorter II), where the
    /// tool builds it as a pipelined array, one stage per quotient bit, instead of one stage
    /// iterated (Vitis's `sdiv_…_1` against `sdiv_…_seq_1`).
    #[serde(default)]
    pub array_lut_per_bit_stage: f64,
    #[serde(default)]
    pub array_ff_per_bit_stage: f64,
}

/// The shipped profiles in `BUILTIN` order, parsed once per process: TOML parsing costs
/// milliseconds, an estimate microseconds.
fn shipped() -> &'static [Result<Profile, String>] {
    static PARSED: std::sync::OnceLock<Vec<Result<Profile, String>>> = std::sync::OnceLock::new();
    PARSED.get_or_init(|| BUILTIN.iter().map(|(name, text)| Profile::parse(text, name).map_err(|e| e.to_string())).collect())
}

fn wide() -> u32 {
    u32::MAX
}

impl Profile {
    /// Names of the profiles shipped with the estimator (e.g. `xcu280`, `vu9p`).
    pub fn parts() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }

    /// A shipped profile by part name or alias (`xcu280`, `xcu280-fsvh2892-2L-e`, `vu9p`).
    pub fn builtin(part: &str) -> Result<Profile, EstimateError> {
        let mut known = Vec::new();
        for (r, (name, _)) in shipped().iter().zip(BUILTIN) {
            let p = r.as_ref().map_err(|e| EstimateError::BadProfile(name.to_string(), e.clone()))?;
            if p.answers_to(part) {
                return Ok(p.clone());
            }
            known.push(format!("{} ({})", p.name, p.part));
        }
        Err(EstimateError::UnknownPart(part.to_string(), known.join(", ")))
    }

    /// The shipped profile of `part` for the tool `release` (as a profile's `tool` names it):
    /// the part's profile for that release when one is shipped, else the part's first profile,
    /// so a release no profile models gets the default model of its part.
    pub fn builtin_for(part: &str, release: Option<&str>) -> Result<Profile, EstimateError> {
        let default = Profile::builtin(part)?;
        let Some(release) = release.filter(|r| default.tool.as_deref() != Some(*r)) else { return Ok(default) };
        let for_release = shipped().iter().flatten().find(|p| p.part == default.part && p.tool.as_deref() == Some(release));
        Ok(for_release.cloned().unwrap_or(default))
    }

    /// A profile from TOML text (same schema as the shipped files).
    pub fn from_toml_str(text: &str) -> Result<Profile, EstimateError> {
        Profile::parse(text, "<string>")
    }

    pub fn from_path(path: &std::path::Path) -> Result<Profile, EstimateError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| EstimateError::BadProfile(shown.clone(), e.to_string()))?;
        Profile::parse(&text, &shown)
    }

    fn parse(text: &str, origin: &str) -> Result<Profile, EstimateError> {
        let bad = |m: String| EstimateError::BadProfile(origin.to_string(), m);
        let mut table: toml::Table = toml::from_str(text).map_err(|e| bad(e.to_string()))?;
        if let Some(base) = table.remove("base") {
            let base = base.as_str().ok_or_else(|| bad("`base` must name a shipped profile".into()))?;
            let (_, base_text) = BUILTIN
                .iter()
                .find(|(name, _)| *name == base)
                .ok_or_else(|| bad(format!("`base = \"{base}\"` is not a shipped profile (known: {})", Profile::parts().join(", "))))?;
            let mut merged: toml::Table = toml::from_str(base_text).map_err(|e| bad(format!("base `{base}`: {e}")))?;
            if table.get("name").is_none() || table.get("name") == merged.get("name") {
                return Err(bad(format!("a profile built on `{base}` needs a `name` of its own")));
            }
            if merged.contains_key("base") {
                return Err(bad(format!("base `{base}` has a base itself; one level only")));
            }
            // The base's aliases name the base: a derived profile answers to its own only.
            merged.remove("aliases");
            merge_tables(&mut merged, table);
            table = merged;
        }
        let p: Profile = table.try_into().map_err(|e: toml::de::Error| bad(e.to_string()))?;
        p.validate().map_err(|m| EstimateError::BadProfile(origin.to_string(), m))?;
        Ok(p)
    }

    fn validate(&self) -> Result<(), String> {
        if self.default_clock_ns.is_nan() || self.default_clock_ns <= 0.0 {
            return Err("default_clock_ns must be positive".into());
        }
        if !(0.0..0.9).contains(&self.clock.uncertainty_fraction) {
            return Err("clock.uncertainty_fraction must be in [0, 0.9)".into());
        }
        if self.memory.bram18k_shapes.is_empty() || self.memory.bram18k_shapes.iter().any(|&(w, d)| w == 0 || d == 0) {
            return Err("memory.bram18k_shapes must be non-empty (width, depth) pairs".into());
        }
        if self.memory.ports_per_bank == 0 || self.memory.param_ports == 0 {
            return Err("memory ports must be ≥ 1".into());
        }
        for r in &self.ops {
            if r.lat.is_empty() || r.lat.iter().any(|&(p, _)| p.is_nan() || p <= 0.0) {
                return Err(format!("ops row {:?}/{:?}: lat needs (period > 0, cycles) points", r.op, r.ty));
            }
        }
        Ok(())
    }

    /// Whether `query` names this profile (name, part or alias, case-insensitive; a full part
    /// name with a different package/speed suffix also matches by its device prefix).
    pub fn answers_to(&self, query: &str) -> bool {
        let q = query.trim().to_ascii_lowercase();
        if q.is_empty() {
            return false;
        }
        let eq = |s: &str| s.to_ascii_lowercase() == q;
        if eq(&self.name) || eq(&self.part) || self.aliases.iter().any(|a| eq(a)) {
            return true;
        }
        let device = self.part.split('-').next().unwrap_or("").to_ascii_lowercase();
        q.split('-').next() == Some(device.as_str())
    }
}

/// Lay `over` onto `base`: tables merge key by key; an `[[ops]]` row merges into the base's
/// row for the same operator, type and width (`op`, `ty`, `max_bits`), so a release restates
/// only what differs (`dsp = 11.0`), or is added when the base has none; any other value
/// (arrays included) replaces the base's.
fn merge_tables(base: &mut toml::Table, over: toml::Table) {
    for (key, value) in over {
        match (base.get_mut(&key), value) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => merge_tables(b, o),
            (Some(toml::Value::Array(rows)), toml::Value::Array(new)) if key == "ops" => {
                for row in new {
                    let toml::Value::Table(row) = row else {
                        rows.push(row);
                        continue;
                    };
                    match rows.iter_mut().find_map(|r| r.as_table_mut().filter(|r| same_op_row(r, &row))) {
                        Some(existing) => merge_tables(existing, row),
                        None => rows.push(toml::Value::Table(row)),
                    }
                }
            }
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

/// Whether two `[[ops]]` rows price the same operator class, type class and width.
fn same_op_row(a: &toml::Table, b: &toml::Table) -> bool {
    ["op", "ty", "max_bits"].iter().all(|k| a.get(*k) == b.get(*k))
}

/// Resolved timing and cost of one operator instance at one clock.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct OpCost {
    /// Whole cycles (0 = combinational, chains with neighbours).
    pub lat: u32,
    /// Combinational delay (lat 0) or output delay after the last register, in ns.
    pub delay_ns: f64,
    pub lut: f64,
    pub ff: f64,
    pub dsp: f64,
    /// One unit iterating over its `lat` cycles on its own registers (`ff`), with no register
    /// per stage for the schedule to hold: a bit-serial core wider than 64 bits, which no tool
    /// builds as a pipelined array (a 1024-bit one would take a million registers).
    pub iterative: bool,
    /// LUT and FF of the core built as a pipelined array, when a pipeline needs one (0: the
    /// core is the same in and out of pipelines).
    pub array_lut: f64,
    pub array_ff: f64,
}

impl OpCost {
    /// The core a pipeline of interval `ii` needs: the pipelined array when the core would
    /// otherwise be busy for longer than `ii`.
    pub(crate) fn in_pipeline(self, ii: u64) -> OpCost {
        if self.array_lut + self.array_ff > 0.0 && !self.iterative && ii < u64::from(self.lat) {
            OpCost { lut: self.array_lut, ff: self.array_ff, ..self }
        } else {
            self
        }
    }
}

/// The operator table resolved at one clock: per class and type class, rows by width.
pub(crate) struct OpTable {
    rows: Vec<Vec<(u32, OpCostRow)>>,
}

#[derive(Clone, Copy, Debug)]
struct OpCostRow {
    lat: u32,
    lat_per_bit: u32,
    dsp_tile_bits: u32,
    delay_ns: f64,
    lut: f64,
    lut_per_bit: f64,
    ff: f64,
    ff_per_bit: f64,
    dsp: f64,
    array_lut_per_bit_stage: f64,
    array_ff_per_bit_stage: f64,
}

fn tc_index(t: TypeClass) -> usize {
    match t {
        TypeClass::Int => 0,
        TypeClass::Half => 1,
        TypeClass::Float => 2,
        TypeClass::Double => 3,
    }
}

/// Latency at `period` from (period, cycles) points, interpolated linearly in frequency and
/// rounded up (a core never gets faster than the point above it).
pub(crate) fn latency_at(points: &[(f64, u32)], period: f64) -> u32 {
    let f = 1.0 / period;
    let mut pts: Vec<(f64, f64)> = points.iter().map(|&(p, c)| (1.0 / p, c as f64)).collect();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (f0, c0) = pts[0];
    let (fl, cl) = pts[pts.len() - 1];
    if f <= f0 {
        return c0 as u32;
    }
    if f >= fl {
        // Faster than the fastest point: cycles scale with frequency.
        return (cl * f / fl).ceil() as u32;
    }
    for w in pts.windows(2) {
        let ((fa, ca), (fb, cb)) = (w[0], w[1]);
        if f >= fa && f <= fb {
            let t = if fb > fa { (f - fa) / (fb - fa) } else { 0.0 };
            return (ca + t * (cb - ca) - 1e-9).ceil().max(0.0) as u32;
        }
    }
    cl as u32
}

impl OpTable {
    pub(crate) fn resolve(profile: &Profile, period: f64) -> OpTable {
        let mut rows: Vec<Vec<(u32, OpCostRow)>> = vec![Vec::new(); N_CLASSES * 4];
        for r in &profile.ops {
            let slot = r.op.index() * 4 + tc_index(r.ty);
            let lat = latency_at(&r.lat, period);
            // A core's registers scale with its stages: the FF figures are for the deepest
            // (fastest-clock) point of the row.
            let deepest = r.lat.iter().map(|&(_, c)| c).max().unwrap_or(0);
            // A core working a bit at a time keeps a register per bit whatever the clock.
            let ff_scale = if deepest > 0 && r.lat_per_bit == 0 { (lat as f64 + 1.0) / (deepest as f64 + 1.0) } else { 1.0 };
            rows[slot].push((
                r.max_bits,
                OpCostRow {
                    lat,
                    lat_per_bit: r.lat_per_bit,
                    dsp_tile_bits: r.dsp_tile_bits,
                    delay_ns: r.delay_ns,
                    lut: r.lut,
                    lut_per_bit: r.lut_per_bit,
                    ff: r.ff * ff_scale,
                    ff_per_bit: r.ff_per_bit * ff_scale,
                    dsp: r.dsp,
                    array_lut_per_bit_stage: r.array_lut_per_bit_stage,
                    array_ff_per_bit_stage: r.array_ff_per_bit_stage,
                },
            ));
        }
        for v in &mut rows {
            v.sort_by_key(|(b, _)| *b);
        }
        OpTable { rows }
    }

    /// Cost of `class` on a value of type class `tc` and width `bits`.
    pub(crate) fn get(&self, class: OpClass, tc: TypeClass, bits: u32) -> OpCost {
        if class == OpClass::Free {
            return OpCost::default();
        }
        if let Some(other) = class.stand_in().filter(|_| self.rows[class.index() * 4 + tc_index(tc)].is_empty()) {
            return self.get(other, tc, bits);
        }
        let mut order: [TypeClass; 3] = [tc, TypeClass::Int, TypeClass::Int];
        if tc == TypeClass::Half {
            order = [TypeClass::Half, TypeClass::Float, TypeClass::Int];
        }
        for t in order {
            let v = &self.rows[class.index() * 4 + tc_index(t)];
            if v.is_empty() {
                continue;
            }
            let row = v.iter().find(|(mb, _)| *mb >= bits).or_else(|| v.last()).map(|(_, r)| *r).unwrap();
            let b = bits.max(1) as f64;
            let dsp = match row.dsp_tile_bits {
                0 => row.dsp,
                tile => f64::from(bits.max(1).div_ceil(tile)).powi(2),
            };
            let lat = row.lat + row.lat_per_bit * bits;
            let bit_stages = b * f64::from(lat);
            return OpCost {
                lat,
                delay_ns: row.delay_ns,
                lut: row.lut + row.lut_per_bit * b,
                ff: row.ff + row.ff_per_bit * b,
                dsp,
                iterative: row.lat_per_bit > 0 && bits > 64,
                array_lut: row.array_lut_per_bit_stage * bit_stages,
                array_ff: row.array_ff_per_bit_stage * bit_stages,
            };
        }
        OpCost { lat: 0, delay_ns: 1.0, ..OpCost::default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_parse_and_answer_to_aliases() {
        for p in Profile::parts() {
            Profile::builtin(p).unwrap();
        }
        assert_eq!(Profile::builtin("xcu280-fsvh2892-2L-e").unwrap().name, "xcu280");
        assert_eq!(Profile::builtin("XCVU9P-flgb2104-2-i").unwrap().name, "vu9p");
        match Profile::builtin("xc7z020") {
            Err(EstimateError::UnknownPart(q, known)) => {
                assert_eq!(q, "xc7z020");
                assert!(known.contains("xcu280") && known.contains("vu9p"));
            }
            other => panic!("expected UnknownPart, got {other:?}"),
        }
    }

    /// A release's profile is its base with the keys it gives: nested tables merge key by key,
    /// the base's aliases stay with the base, and the part's default stays the base.
    #[test]
    fn a_release_profile_overrides_its_base_key_by_key() {
        let base = Profile::builtin("vu9p").unwrap();
        let old = Profile::builtin("vu9p-sdx2018").unwrap();
        assert_eq!(old.part, base.part);
        assert_eq!(old.tool.as_deref(), Some("sdx-2018.3"));
        assert_ne!(old.memory.lutram_max_bits, base.memory.lutram_max_bits);
        let mut same = old.clone();
        same.name = base.name.clone();
        same.aliases = base.aliases.clone();
        same.tool = base.tool.clone();
        same.memory.lutram_max_bits = base.memory.lutram_max_bits;
        assert_eq!(same, base, "only the keys the release gives differ");
        assert_eq!(Profile::builtin("xcvu9p-flgb2104-2-i").unwrap().name, "vu9p");
        assert_eq!(Profile::builtin("vu9p-2018.3").unwrap().name, "vu9p-sdx2018");
        assert_eq!(Profile::builtin_for("xcvu9p", Some("sdx-2018.3")).unwrap().name, "vu9p-sdx2018");
        assert_eq!(Profile::builtin_for("xcvu9p", Some("vitis-2020.2")).unwrap().name, "vu9p");
        // A release no profile models gets the part's default; another part is never chosen.
        assert_eq!(Profile::builtin_for("xcvu9p", Some("vitis-2024.1")).unwrap().name, "vu9p");
        assert_eq!(Profile::builtin_for("xcvu9p", None).unwrap().name, "vu9p");
        assert_eq!(Profile::builtin_for("xcu280", Some("sdx-2018.3")).unwrap().name, "xcu280");
    }

    #[test]
    fn a_user_profile_can_build_on_a_shipped_one_and_bad_bases_are_refused() {
        let p = Profile::from_toml_str("base = \"xcu280\"\nname = \"mine\"\n[memory]\nlutram_max_bits = 64\n").unwrap();
        assert_eq!((p.name.as_str(), p.part.as_str(), p.memory.lutram_max_bits), ("mine", "xcu280-fsvh2892-2L-e", 64));
        assert!(p.aliases.is_empty());
        // An `[[ops]]` row restates only what differs from the base's row for the same
        // operator, type and width; a row the base lacks is added.
        let base = Profile::builtin("vu9p").unwrap();
        let row = |p: &Profile, op: OpClass, ty: TypeClass| p.ops.iter().find(|r| r.op == op && r.ty == ty).cloned().unwrap();
        let text = "base = \"vu9p\"\nname = \"mine\"\n[[ops]]\nop = \"mul\"\nty = \"double\"\nmax_bits = 64\ndsp = 11.0\n";
        let p = Profile::from_toml_str(text).unwrap();
        assert_eq!(p.ops.len(), base.ops.len());
        let (mine, theirs) = (row(&p, OpClass::Mul, TypeClass::Double), row(&base, OpClass::Mul, TypeClass::Double));
        assert_eq!(mine.dsp, 11.0);
        assert_eq!((mine.lat.clone(), mine.lut, mine.ff), (theirs.lat.clone(), theirs.lut, theirs.ff));
        assert_eq!(row(&p, OpClass::MulConst, TypeClass::Double), row(&base, OpClass::MulConst, TypeClass::Double));
        // A row for a width the base does not price is a new row: it must be whole.
        let narrow = text.replace("max_bits = 64", "max_bits = 32");
        assert!(Profile::from_toml_str(&narrow).unwrap_err().to_string().contains("missing field `lat`"));
        let added = Profile::from_toml_str(&format!("{narrow}lat = [[4.0, 3]]\n")).unwrap();
        assert_eq!(added.ops.len(), base.ops.len() + 1);
        let err = |text: &str| Profile::from_toml_str(text).unwrap_err().to_string();
        assert!(err("base = \"zynq\"\nname = \"x\"").contains("not a shipped profile"));
        assert!(err("base = \"vu9p\"\n[memory]\nlutram_max_bits = 64").contains("needs a `name` of its own"));
        assert!(err("base = \"vu9p\"\nname = \"vu9p\"").contains("needs a `name` of its own"));
        assert!(err("base = 3\nname = \"x\"").contains("must name a shipped profile"));
        assert!(err("base = \"vu9p\"\nname = \"x\"\n[memory]\nlutram_max_bits = \"many\"").contains("lutram_max_bits"));
    }

    /// A profile without `div_const` or `fp_convert` rows prices those classes as their stand-ins.
    #[test]
    fn classes_without_rows_take_their_stand_ins() {
        let mut p = Profile::builtin("xcu280").unwrap();
        let full = OpTable::resolve(&p, 10.0);
        assert_ne!(full.get(OpClass::FpConvert, TypeClass::Double, 64), full.get(OpClass::Cast, TypeClass::Double, 64));
        p.ops.retain(|r| !matches!(r.op, OpClass::DivConst | OpClass::FpConvert));
        let t = OpTable::resolve(&p, 10.0);
        assert_eq!(t.get(OpClass::DivConst, TypeClass::Int, 32), t.get(OpClass::Mul, TypeClass::Int, 32));
        assert_eq!(t.get(OpClass::FpConvert, TypeClass::Double, 64), t.get(OpClass::Cast, TypeClass::Double, 64));
    }

    #[test]
    fn latency_interpolates_in_frequency() {
        let pts = [(10.0, 4), (4.0, 7)];
        assert_eq!(latency_at(&pts, 10.0), 4);
        assert_eq!(latency_at(&pts, 20.0), 4);
        assert_eq!(latency_at(&pts, 4.0), 7);
        // 175 MHz is halfway between 100 and 250 MHz: 5.5 → 6.
        assert_eq!(latency_at(&pts, 1000.0 / 175.0), 6);
        // 500 MHz: twice the fastest point's frequency.
        assert_eq!(latency_at(&pts, 2.0), 14);
    }

    #[test]
    fn op_table_picks_rows_by_width_and_type() {
        let p = Profile::builtin("xcu280").unwrap();
        let t = OpTable::resolve(&p, 10.0);
        assert_eq!(t.get(OpClass::Mul, TypeClass::Int, 32).dsp, 3.0);
        assert_eq!(t.get(OpClass::Mul, TypeClass::Int, 16).dsp, 1.0);
        assert_eq!(t.get(OpClass::Add, TypeClass::Float, 32).dsp, 2.0);
        // Half falls back to float where it has no row.
        assert_eq!(t.get(OpClass::Div, TypeClass::Half, 16).lat, t.get(OpClass::Div, TypeClass::Float, 32).lat);
        assert_eq!(t.get(OpClass::Free, TypeClass::Int, 32), OpCost::default());
    }

    #[test]
    fn dividers_take_a_cycle_a_bit_and_wide_multipliers_a_slice_a_tile() {
        let p = Profile::builtin("xcu280").unwrap();
        // The published points: 8→12, 16→20, 32→36, 64→68 cycles at 250 MHz; 32→34 at 100 MHz.
        let fast = OpTable::resolve(&p, 4.0);
        for (bits, lat) in [(8, 12), (16, 20), (32, 36), (64, 68)] {
            assert_eq!(fast.get(OpClass::Div, TypeClass::Int, bits).lat, lat, "{bits} bits");
        }
        let slow = OpTable::resolve(&p, 10.0);
        assert_eq!(slow.get(OpClass::Div, TypeClass::Int, 32).lat, 34);
        let wide = slow.get(OpClass::Div, TypeClass::Int, 1024);
        assert_eq!(wide.lat, 1026);
        assert!(wide.iterative && !slow.get(OpClass::Div, TypeClass::Int, 64).iterative);
        // Up to 64 bits the cascade rows; beyond, 17 × 17-bit partial products.
        assert_eq!(slow.get(OpClass::Mul, TypeClass::Int, 64).dsp, 10.0);
        assert_eq!(slow.get(OpClass::Mul, TypeClass::Int, 128).dsp, 64.0);
        assert_eq!(slow.get(OpClass::Mul, TypeClass::Int, 1024).dsp, 3721.0);
    }

    #[test]
    fn bad_profile_is_reported() {
        assert!(matches!(Profile::from_toml_str("name = 1"), Err(EstimateError::BadProfile(..))));
    }
}
