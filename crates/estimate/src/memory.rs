//! Memories: the effective partitioning of each array (pragmas, Vitis's small-array rule and
//! Merlin's partitioning for `PARALLEL`), which bank each access hits (affine index analysis),
//! port pressure per bank, and BRAM18K / LUTRAM counting.

use crate::profile::Profile;
use hlsseek_ir::{Access, Array, ArrayKind, Function, IndexExpr, PartitionType};
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DimKind {
    Cyclic,
    Block,
    Complete,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DimPart {
    pub kind: DimKind,
    /// Number of banks along this dimension.
    pub factor: u64,
    /// Elements per bank for block partitioning.
    pub block: u64,
    pub extent: u64,
}

/// How one array is implemented.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ArrayPlan {
    pub dims: Vec<Option<DimPart>>,
    /// Every dimension completely partitioned: registers, no port limit.
    pub registers: bool,
    pub ports: u32,
    /// Storage outside this function (a top-level interface array or a callee's parameter).
    pub external: bool,
    pub stream: bool,
    pub banks: u64,
}

/// A Merlin-style partition request: array, 0-based dimension, cyclic factor.
pub(crate) type PartitionRequest = (u32, usize, u64);

pub(crate) fn plan_arrays(f: &Function, is_top: bool, merlin: bool, requests: &[PartitionRequest], prof: &Profile) -> Vec<ArrayPlan> {
    f.arrays
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let extents: Vec<u64> = a.dims.iter().map(|d| d.unwrap_or(0)).collect();
            let mut dims: Vec<Option<DimPart>> = vec![None; a.dims.len()];
            let mut set = |d: usize, kind: DimKind, factor: Option<u64>| {
                let ext = extents[d];
                let f = match kind {
                    DimKind::Complete => ext,
                    _ => factor.unwrap_or(1).min(if ext > 0 { ext } else { u64::MAX }),
                };
                if f <= 1 {
                    return;
                }
                let kind = if ext > 0 && f >= ext { DimKind::Complete } else { kind };
                let prev = dims[d].map(|p| p.factor).unwrap_or(1);
                if f >= prev {
                    let block = if ext > 0 { ext.div_ceil(f) } else { 1 };
                    dims[d] = Some(DimPart { kind, factor: f, block, extent: ext });
                }
            };
            for p in &a.partitions {
                let kind = match p.kind {
                    PartitionType::Cyclic => DimKind::Cyclic,
                    PartitionType::Block => DimKind::Block,
                    PartitionType::Complete => DimKind::Complete,
                };
                let range: Vec<usize> = if p.dim == 0 { (0..a.dims.len()).collect() } else { vec![(p.dim - 1) as usize] };
                for d in range {
                    if d < a.dims.len() && (kind != DimKind::Complete || extents[d] > 0) {
                        set(d, kind, p.factor.map(u64::from));
                    }
                }
            }
            for &(arr, d, fac) in requests {
                if arr as usize == i && d < a.dims.len() {
                    set(d, DimKind::Cyclic, Some(fac));
                }
            }
            let stream = matches!(a.kind, ArrayKind::Stream { .. });
            // Merlin copies the top's arrays on chip; a bare pointer stays outside.
            let external = a.kind == ArrayKind::Param && (!(is_top && merlin) || a.elements().is_none());
            let small = !stream && !external && a.elements().is_some_and(|n| n <= prof.memory.complete_threshold);
            if small {
                for (d, &ext) in extents.iter().enumerate() {
                    if ext > 1 {
                        dims[d] = Some(DimPart { kind: DimKind::Complete, factor: ext, block: 1, extent: ext });
                    }
                }
            }
            let registers = !stream && !external && a.elements().is_some() && extents.iter().enumerate().all(|(d, &e)| e <= 1 || dims[d].is_some_and(|p| p.kind == DimKind::Complete));
            let banks = dims.iter().map(|p| p.map(|p| p.factor).unwrap_or(1)).product::<u64>().max(1);
            let ports = if stream {
                1
            } else if external && is_top && a.kind == ArrayKind::Param {
                prof.memory.param_ports
            } else {
                prof.memory.ports_per_bank
            };
            ArrayPlan { dims, registers, ports, external, stream, banks }
        })
        .collect()
}

/// A loop variable as seen from inside a flat (pipelined or unrolled) region: its value is
/// `uc * unknown + u` with `u` in `0..range` known per copy.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Binding<'a> {
    pub var: &'a str,
    pub uc: i64,
    pub range: u64,
}

fn binding<'a, 'b>(bs: &'b [Binding<'a>], var: &str) -> Option<&'b Binding<'a>> {
    bs.iter().rev().find(|b| b.var == var)
}

/// Accesses per (array, dynamic-offset group, bank).
#[derive(Default, Debug)]
pub(crate) struct PortAcc {
    map: HashMap<(u32, u64, u64), (u64, u64)>,
}

const ENUM_CAP: u64 = 4096;

fn mix(h: u64, v: u64) -> u64 {
    (h ^ v).wrapping_mul(0x100_0000_01b3)
}

fn hash_str(h: u64, s: &str) -> u64 {
    s.bytes().fold(h, |h, b| mix(h, b as u64))
}

impl PortAcc {
    pub(crate) fn clear(&mut self) {
        self.map.clear();
    }

    fn bump(&mut self, array: u32, sig: u64, bank: u64, write: bool, n: u64) {
        let e = self.map.entry((array, sig, bank)).or_insert((0, 0));
        if write {
            e.1 += n;
        } else {
            e.0 += n;
        }
    }

    /// Record one access (per copy of the region, with `bs` describing unrolled copies).
    /// `uid` makes data-dependent accesses their own group (they may hit any bank).
    pub(crate) fn record(&mut self, acc: &Access, write: bool, plan: &ArrayPlan, bs: &[Binding<'_>], uid: u64) {
        if plan.registers {
            return;
        }
        let array = acc.array.0;
        let mut sig = 0xcbf2_9ce4_8422_2325u64;
        let mut known: Vec<(&str, u64)> = Vec::new();
        let no_index = IndexExpr::constant(0);
        // Copies that differ in any index are distinct accesses; copies that do not are one
        // (the tool reuses the value), so only variables of the index are enumerated.
        for e in &acc.index {
            for (v, c) in &e.terms {
                if *c == 0 && e.affine {
                    continue;
                }
                let range = binding(bs, v).map(|b| b.range).unwrap_or(1);
                if range > 1 && !known.iter().any(|(k, _)| k == v) {
                    known.push((v.as_str(), range));
                }
            }
        }
        for (d, part) in plan.dims.iter().enumerate() {
            let Some(part) = part else { continue };
            let e = acc.index.get(d).unwrap_or(&no_index);
            if !e.affine {
                sig = mix(mix(sig, 0xdead), uid);
                continue;
            }
            for (v, c) in &e.terms {
                if *c == 0 {
                    continue;
                }
                let uc = binding(bs, v).map(|b| b.uc).unwrap_or(1);
                let dyn_c = c.saturating_mul(uc);
                let red = match part.kind {
                    DimKind::Cyclic | DimKind::Complete => dyn_c.rem_euclid(part.factor.max(1) as i64),
                    DimKind::Block => dyn_c,
                };
                if red != 0 {
                    sig = mix(hash_str(mix(sig, d as u64), v), red as u64);
                }
            }
        }
        let total: u64 = known.iter().map(|(_, r)| *r).fold(1u64, |a, r| a.saturating_mul(r));
        if total > ENUM_CAP {
            // Too many copies to enumerate: assume they spread evenly over the banks.
            let per = total.div_ceil(plan.banks.max(1));
            self.bump(array, sig, u64::MAX, write, per);
            return;
        }
        let mut vals = vec![0i64; known.len()];
        for mut n in 0..total {
            for (k, (_, r)) in known.iter().enumerate() {
                vals[k] = (n % r) as i64;
                n /= r;
            }
            let mut bank = 0u64;
            for (d, part) in plan.dims.iter().enumerate() {
                let Some(part) = part else { continue };
                let e = acc.index.get(d).unwrap_or(&no_index);
                let comp = if !e.affine {
                    0
                } else {
                    let mut v = e.constant;
                    for (var, c) in &e.terms {
                        if let Some(k) = known.iter().position(|(kv, _)| kv == var) {
                            v = v.saturating_add(c.saturating_mul(vals[k]));
                        }
                    }
                    match part.kind {
                        DimKind::Cyclic => v.rem_euclid(part.factor as i64) as u64,
                        DimKind::Complete => v.clamp(0, part.factor as i64 - 1) as u64,
                        DimKind::Block => (v.max(0) as u64 / part.block.max(1)).min(part.factor - 1),
                    }
                };
                bank = bank * part.factor + comp;
            }
            self.bump(array, sig, bank, write, 1);
        }
    }

    /// Accesses on the busiest bank of each array: per dynamic group the busiest bank, summed
    /// over groups (groups may line up at run time).
    pub(crate) fn loads(&self, plans: &[ArrayPlan]) -> Vec<(u32, u64)> {
        let mut per_group: HashMap<(u32, u64), u64> = HashMap::new();
        for (&(a, sig, _), &(r, w)) in &self.map {
            let plan = &plans[a as usize];
            let n = if plan.stream { r.max(w) } else { r + w };
            let e = per_group.entry((a, sig)).or_insert(0);
            *e = (*e).max(n);
        }
        let mut per_array: HashMap<u32, u64> = HashMap::new();
        for ((a, _), n) in per_group {
            *per_array.entry(a).or_insert(0) += n;
        }
        let mut v: Vec<(u32, u64)> = per_array.into_iter().collect();
        v.sort_unstable();
        v
    }

    /// Cycles needed by the busiest bank: `max over arrays ceil(load / ports)`.
    pub(crate) fn port_bound(&self, plans: &[ArrayPlan]) -> u64 {
        self.loads(plans).into_iter().map(|(a, n)| n.div_ceil(plans[a as usize].ports as u64)).max().unwrap_or(0)
    }
}

/// BRAM18K blocks for `words` words of `width` bits: the best shape (hls-facts §Memories).
pub(crate) fn bram_blocks(words: u64, width: u64, prof: &Profile) -> u64 {
    if words == 0 || width == 0 {
        return 0;
    }
    prof.memory.bram18k_shapes.iter().map(|&(w, d)| width.div_ceil(w) * words.div_ceil(d)).min().unwrap_or(0)
}

/// On-chip storage of one array: (BRAM18K, LUT, FF).
pub(crate) fn storage_cost(a: &Array, plan: &ArrayPlan, prof: &Profile) -> (u64, f64, f64) {
    if plan.external || plan.stream {
        if let ArrayKind::Stream { depth } = a.kind {
            // FIFO of `depth` (default 2) in SRL: LUTs per bit-depth.
            let bits = a.elem.bits() as f64 * depth.unwrap_or(2) as f64;
            return (0, bits / 32.0 + 10.0, a.elem.bits() as f64 + 10.0);
        }
        return (0, 0.0, 0.0);
    }
    let Some(n) = a.elements() else { return (0, 0.0, 0.0) };
    let width = a.elem.bits().max(1) as u64;
    if plan.registers {
        return (0, 0.0, (n * width) as f64);
    }
    let words = n.div_ceil(plan.banks);
    if words * width <= prof.memory.lutram_max_bits {
        let lut = ((words * width) as f64 / prof.memory.lutram_bits_per_lut).ceil() * plan.banks as f64;
        return (0, lut, (width * plan.banks) as f64);
    }
    (bram_blocks(words, width, prof) * plan.banks, 0.0, 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_ir::{ArrayId, Loc, ScalarType};

    fn prof() -> Profile {
        Profile::builtin("xcu280").unwrap()
    }

    #[test]
    fn bram_geometry() {
        let p = prof();
        // 1024 × 32: 18-wide shape → 2 × 1 blocks; 36-wide → 1 × 2: 2 either way.
        assert_eq!(bram_blocks(1024, 32, &p), 2);
        // 512 × 36 fits one block in the simple dual-port shape.
        assert_eq!(bram_blocks(512, 36, &p), 1);
        // 4096 × 64: 36-wide → 2 × 8 = 16; 18-wide → 4 × 4 = 16.
        assert_eq!(bram_blocks(4096, 64, &p), 16);
        assert_eq!(bram_blocks(2048, 8, &p), 1);
    }

    fn arr(dims: Vec<u64>, kind: ArrayKind) -> Array {
        Array {
            name: "a".into(),
            loc: Loc::default(),
            elem: ScalarType::I32,
            dims: dims.into_iter().map(Some).collect(),
            kind,
            partitions: vec![],
            storage: None,
        }
    }

    #[test]
    fn cyclic_banks_separate_unrolled_copies() {
        let p = prof();
        let mut a = arr(vec![64], ArrayKind::Local);
        a.partitions.push(hlsseek_ir::PartitionDirective { kind: PartitionType::Cyclic, factor: Some(4), dim: 1, reshape: false, loc: Loc::default() });
        let f = Function {
            name: "f".into(),
            loc: Loc::default(),
            ret: ScalarType::Void,
            params: vec![],
            arrays: vec![a],
            body: Default::default(),
            directives: Default::default(),
        };
        let plans = plan_arrays(&f, true, false, &[], &p);
        assert_eq!(plans[0].banks, 4);
        // a[i] with i = 4*i' + u, u in 0..4: one access per bank.
        let acc = Access { array: ArrayId(0), index: vec![IndexExpr { terms: vec![("i".into(), 1)], constant: 0, affine: true }] };
        let bs = [Binding { var: "i", uc: 4, range: 4 }];
        let mut pa = PortAcc::default();
        pa.record(&acc, false, &plans[0], &bs, 1);
        assert_eq!(pa.loads(&plans), vec![(0, 1)]);
        // Unrolled by 8 over 4 banks: two per bank → one cycle with 2 ports.
        let bs = [Binding { var: "i", uc: 8, range: 8 }];
        let mut pa = PortAcc::default();
        pa.record(&acc, false, &plans[0], &bs, 1);
        assert_eq!(pa.loads(&plans), vec![(0, 2)]);
        assert_eq!(pa.port_bound(&plans), 1);
    }
}
