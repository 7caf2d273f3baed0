//! Analytical QoR estimator (the embedded "synthesis"): latency, II and resources of a kernel
//! from its IR, a device profile and a clock, in well under a millisecond.
//!
//! Pipeline of the model (docs/estimator.md states it in full):
//! [`profile`] data → [`plan`] (what the tool does to each loop: pipeline, unroll, flatten,
//! tile, Vitis and Merlin defaults) → [`memory`] (partitioning, banks, ports, BRAM; with
//! [`storage`] for `BIND_STORAGE`) →
//! [`flat`] (chaining ASAP scheduler of straight-line and unrolled bodies) → [`seq`]
//! (FSMs, pipelined / flattened / sequential loops, calls, dataflow; resources), with
//! [`transfer`] for Merlin's off-chip bursts. [`effects`] first checks that the top has an
//! output at all.

mod effects;
mod flat;
mod memory;
mod model;
mod ops;
mod plan;
mod profile;
mod seq;
mod storage;
mod transfer;
mod unrolled;

pub use profile::{Capacity, ClockRule, ControlRules, InterfaceCosts, MemoryRules, MerlinRules, OpClass, OpRow, Profile, ResourceRules};

use hlsseek_ir::Kernel;
use hlsseek_qor::{LoopReport, MemoryReport, Qor};
use serde::{Deserialize, Serialize};
pub(crate) use seq::Summary;

/// What the estimator says about one kernel.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub qor: Qor,
    pub loops: Vec<LoopReport>,
    /// Every array: partitioning, banks, where it is built and what it costs. Interface
    /// adapters (m_axi buffers) are in the totals only.
    #[serde(default)]
    pub memories: Vec<MemoryReport>,
    /// Assumptions the estimator had to make (unknown trip counts, unmodelled calls, ...).
    pub notes: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum EstimateError {
    #[error("unknown part `{0}` (known: {1})")]
    UnknownPart(String, String),
    #[error("top function `{0}` not found in the kernel")]
    MissingTop(String),
    #[error("bad device profile {0}: {1}")]
    BadProfile(String, String),
}

/// Estimate the QoR of `kernel.top` on `profile` at `clock_ns` (the profile's default if `None`).
pub fn estimate(kernel: &Kernel, profile: &Profile, clock_ns: Option<f64>) -> Result<Estimate, EstimateError> {
    let top = kernel.top_function().ok_or_else(|| EstimateError::MissingTop(kernel.top.clone()))?;
    let period = match clock_ns {
        Some(c) if c.is_finite() && c > 0.0 => c,
        Some(c) => return Err(EstimateError::BadProfile(profile.name.clone(), format!("clock period {c} ns is not positive"))),
        None => profile.default_clock_ns,
    };
    if !effects::has_output(kernel, top) {
        let note = format!(
            "`{}` writes no output (no interface array, pointer, reference, stream or file-scope variable is written and nothing is returned): synthesis removes all of its logic",
            top.name
        );
        let qor = Qor { latency: hlsseek_qor::Latency::exact(0), ii: Some(1), resources: Default::default() };
        return Ok(Estimate { qor, loops: Vec::new(), memories: Vec::new(), notes: vec![note] });
    }
    let mut ctx = seq::Ctx::new(kernel, profile, period);
    let (summary, interval) = ctx.function(top, true);
    let c = &profile.control;
    let i = &profile.interface;
    // A combinational top has no start/done states either.
    let mut lat = if summary.combinational { summary.lat } else { summary.lat.plus_c(c.function_overhead) };
    let mut res = summary.res;
    // Shared file-scope arrays: one memory for the kernel, held at the top.
    for (_, (mut report, cost)) in std::mem::take(&mut ctx.shared) {
        res.add(cost);
        report.function = top.name.clone();
        ctx.memories.push(report);
    }
    res.lut += i.ctrl_lut;
    res.ff += i.ctrl_ff;
    if ctx.merlin {
        let (cycles, ports) = transfer::merlin_transfer_cycles(top, profile, &ctx.refilled);
        lat = lat.plus_c(cycles);
        res.lut += ports as f64 * i.m_axi_lut;
        res.ff += ports as f64 * i.m_axi_ff;
        res.bram += ports as f64 * i.m_axi_bram;
    } else {
        interfaces(top, profile, &mut res);
    }
    let ii = match interval {
        Some(ii) => Some(ii),
        None => lat.hi.map(|l| l + 1),
    };
    let mut notes = ctx.notes;
    if lat.hi.is_none() {
        notes.push("latency undefined: a loop trip count is unknown".to_string());
    }
    Ok(Estimate { qor: Qor { latency: lat.to_qor(), ii, resources: res.to_qor() }, loops: ctx.reports, memories: ctx.memories, notes })
}

/// Interface adapters of a Vitis top function (ap_memory arrays and ap_none scalars are wires).
fn interfaces(top: &hlsseek_ir::Function, prof: &Profile, res: &mut model::Res) {
    let i = &prof.interface;
    let mut bundles: Vec<&str> = Vec::new();
    let mut axilite = false;
    for d in &top.directives.interfaces {
        match d.mode.to_ascii_lowercase().as_str() {
            "m_axi" => {
                let b = d.bundle.as_deref().unwrap_or("gmem");
                if !bundles.contains(&b) {
                    bundles.push(b);
                }
            }
            "s_axilite" => axilite = true,
            _ => {}
        }
    }
    res.lut += bundles.len() as f64 * i.m_axi_lut;
    res.ff += bundles.len() as f64 * i.m_axi_ff;
    res.bram += bundles.len() as f64 * i.m_axi_bram;
    if axilite {
        let regs = top.params.len() as f64;
        res.lut += i.s_axilite_lut + regs * i.s_axilite_lut_per_reg;
        res.ff += i.s_axilite_ff + regs * i.s_axilite_ff_per_reg;
    }
    let ap_mem = top.params.iter().filter(|p| p.array.is_some()).count() as f64;
    res.lut += ap_mem * i.ap_memory_lut;
    res.ff += ap_mem * i.ap_memory_ff;
}

#[cfg(test)]
mod tests;
