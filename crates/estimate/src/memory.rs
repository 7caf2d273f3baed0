//! Memories: the effective partitioning of each array (pragmas, Vitis's small-array rule and
//! Merlin's partitioning for `PARALLEL`), which bank each access hits (affine index analysis),
//! port pressure per bank, and BRAM18K / LUTRAM / URAM counting.

use crate::model::Res;
use crate::profile::Profile;
use crate::storage::{self, Impl, Ports, StoragePlan};
use hlsseek_ir::{Access, Array, ArrayKind, Function, IndexExpr, Node, PartitionType, Region};
use hlsseek_qor::Storage;
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
    pub ports: Ports,
    /// `BIND_STORAGE`: implementation and read latency.
    pub storage: StoragePlan,
    /// Storage outside this function (a top-level interface array or a callee's parameter).
    pub external: bool,
    /// A pointer parameter to one value (`int *d` used only as `*d`): at the top a scalar port,
    /// in a callee the caller's scalar passed by address (`f(&x)`); read and written as a wire,
    /// not a memory.
    pub wire: bool,
    pub stream: bool,
    pub banks: u64,
}

/// A Merlin-style partition request: array, 0-based dimension, cyclic factor.
pub(crate) type PartitionRequest = (u32, usize, u64);

pub(crate) fn plan_arrays(f: &Function, is_top: bool, merlin: bool, requests: &[PartitionRequest], prof: &Profile, notes: &mut Vec<String>) -> Vec<ArrayPlan> {
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
            // A stream parameter is a port (of the top) or the caller's FIFO: no storage here.
            let stream_param = stream && f.params.iter().any(|p| p.array.is_some_and(|id| id.0 as usize == i));
            // Merlin copies the top's arrays on chip; a bare pointer stays outside.
            let external = stream_param || (a.kind == ArrayKind::Param && (!(is_top && merlin) || a.elements().is_none()));
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
            let storage = if stream { StoragePlan::DEFAULT } else { storage::bind(a.storage.as_ref(), &a.name, notes) };
            let ports = if stream {
                Ports::SplitReadWrite
            } else if let Some(p) = storage.ports {
                p
            } else if external && is_top && a.kind == ArrayKind::Param {
                Ports::Shared(prof.memory.param_ports)
            } else {
                Ports::Shared(prof.memory.ports_per_bank)
            };
            let one_value = a.dims.len() <= 1 && a.dims.first().is_none_or(|d| d.is_none_or(|n| n == 1));
            let wire = external && !(is_top && merlin) && a.kind == ArrayKind::Param && one_value && only_first_element(&f.body, i as u32);
            ArrayPlan { dims, registers, ports, storage, external, wire, stream, banks }
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

    /// Add the accesses of two mutually exclusive branches: only one runs in an iteration, so
    /// per bank the busier side counts, not both (the scheduler gives exclusive accesses the
    /// same port and cycle).
    pub(crate) fn add_exclusive(&mut self, then_side: PortAcc, else_side: PortAcc) {
        let mut merged = then_side.map;
        for (k, (r, w)) in else_side.map {
            let e = merged.entry(k).or_insert((0, 0));
            *e = (e.0.max(r), e.1.max(w));
        }
        for (k, (r, w)) in merged {
            let e = self.map.entry(k).or_insert((0, 0));
            *e = (e.0 + r, e.1 + w);
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

    /// Reads and writes per bank, over every address group: ((array, bank), (reads, writes)).
    pub(crate) fn per_bank(&self) -> HashMap<(u32, u64), (u64, u64)> {
        let mut out = HashMap::new();
        self.add_per_bank(&mut out);
        out
    }

    /// Adds [`PortAcc::per_bank`]'s counts to `out` (accesses of several blocks on one port).
    pub(crate) fn add_per_bank(&self, out: &mut HashMap<(u32, u64), (u64, u64)>) {
        for (&(a, _, bank), &(r, w)) in &self.map {
            let e = out.entry((a, bank)).or_insert((0, 0));
            e.0 += r;
            e.1 += w;
        }
    }

    /// Reads and writes on the busiest bank of each array: per dynamic group the bank that
    /// needs the most cycles, summed over groups (groups may line up at run time).
    pub(crate) fn loads(&self, plans: &[ArrayPlan]) -> Vec<(u32, u64, u64)> {
        let mut per_group: HashMap<(u32, u64), (u64, u64)> = HashMap::new();
        for (&(a, sig, _), &(r, w)) in &self.map {
            let ports = plans[a as usize].ports;
            let e = per_group.entry((a, sig)).or_insert((0, 0));
            if ports.cycles(r, w) > ports.cycles(e.0, e.1) {
                *e = (r, w);
            }
        }
        let mut per_array: HashMap<u32, (u64, u64)> = HashMap::new();
        for ((a, _), (r, w)) in per_group {
            let e = per_array.entry(a).or_insert((0, 0));
            e.0 += r;
            e.1 += w;
        }
        let mut v: Vec<(u32, u64, u64)> = per_array.into_iter().map(|(a, (r, w))| (a, r, w)).collect();
        v.sort_unstable();
        v
    }

    /// Cycles needed by the busiest bank of any array, given what its ports can do.
    pub(crate) fn port_bound(&self, plans: &[ArrayPlan]) -> u64 {
        self.loads(plans).into_iter().map(|(a, r, w)| plans[a as usize].ports.cycles(r, w)).max().unwrap_or(0)
    }
}

/// Adders that compute the address of `acc` into `a`, and their width: the flattened address is
/// a sum of one summand per variable term (per dimension; a data-dependent index is one) and
/// the constant offsets, so it takes one adder fewer than it has summands (csynth lists them
/// as `add_ln…` in its Expression table). Strides are not counted (loops step them).
pub(crate) fn address_adders(acc: &Access, a: &Array) -> (u64, u32) {
    let variables: usize = acc.index.iter().map(|e| if e.affine { e.terms.iter().filter(|t| t.1 != 0).count() } else { 1 }).sum();
    let offset = acc.index.iter().any(|e| e.affine && e.constant != 0);
    let summands = (variables + usize::from(offset)) as u64;
    // Address bits of the array; an index of unknown range is an int.
    let bits = a.elements().map_or(32, |words| 64 - (words.max(2) - 1).leading_zeros());
    (summands.saturating_sub(1), bits)
}

/// Whether every access to array `id` in `r` is to its first element, and no call is given it.
fn only_first_element(r: &Region, id: u32) -> bool {
    r.nodes.iter().all(|n| match n {
        Node::Op(op) => op.access.as_ref().is_none_or(|acc| acc.array.0 != id || acc.index.iter().all(|e| e.affine && e.terms.is_empty() && e.constant == 0)),
        Node::Loop(l) => only_first_element(&l.body, id),
        Node::Branch(b) => only_first_element(&b.then_region, id) && only_first_element(&b.else_region, id),
        Node::Call(c) => c.array_args.iter().all(|&(_, a)| a.0 != id),
    })
}

/// BRAM18K blocks for `words` words of `width` bits: the best shape (hls-facts §Memories).
pub(crate) fn bram_blocks(words: u64, width: u64, prof: &Profile) -> u64 {
    if words == 0 || width == 0 {
        return 0;
    }
    prof.memory.bram18k_shapes.iter().map(|&(w, d)| width.div_ceil(w) * words.div_ceil(d)).min().unwrap_or(0)
}

/// URAM blocks for `words` words of `width` bits (one block is a fixed `width × depth` shape).
fn uram_blocks(words: u64, width: u64, prof: &Profile) -> u64 {
    let (w, d) = prof.memory.uram_shape;
    width.div_ceil(w.max(1)) * words.div_ceil(d.max(1))
}

/// Where one array is built and what it costs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Built {
    pub storage: Storage,
    /// Elements held on chip (all banks together).
    pub words: u64,
    pub res: Res,
}

/// On-chip storage of one array (BRAM18K, URAM, LUT, FF), where `BIND_STORAGE impl=` puts it
/// or else where the tool would: registers when completely partitioned, LUTRAM when a bank is
/// small, BRAM otherwise.
pub(crate) fn built_storage(a: &Array, plan: &ArrayPlan, prof: &Profile) -> Built {
    if plan.stream && !plan.external {
        if let ArrayKind::Stream { depth } = a.kind {
            // FIFO of `depth` (default 2): in SRL (LUTs per bit-depth) up to Vitis's
            // `auto_srl_max_bits` of depth × width, in block RAM beyond (UG1399 config_storage).
            let depth = u64::from(depth.unwrap_or(2));
            let width = a.elem.bits().max(1) as u64;
            let control = Res { lut: 10.0, ff: width as f64 + 10.0, ..Res::default() };
            let res = if depth * width <= prof.memory.lutram_max_bits {
                Res { lut: control.lut + (depth * width) as f64 / 32.0, ..control }
            } else {
                Res { bram: bram_blocks(depth, width, prof) as f64, ..control }
            };
            return Built { storage: Storage::Fifo, words: depth, res };
        }
    }
    if plan.external {
        return Built { storage: Storage::External, words: a.elements().unwrap_or(0), res: Res::default() };
    }
    let Some(mut n) = a.elements() else { return Built { storage: Storage::Unsized, words: 0, res: Res::default() } };
    let width = a.elem.bits().max(1) as u64;
    let limit = prof.merlin.single_buffer_bytes;
    if a.kind == ArrayKind::Param && limit > 0 && n.saturating_mul(width) / 8 > limit {
        // A top-level array Merlin copies on chip (not external) but cannot buffer whole: its
        // burst buffer stops lifting below the limit (memory_burst.cpp, BURST_WARNING_18),
        // which for a row-major sweep is one slice of the first dimension.
        n /= a.dims.first().copied().flatten().unwrap_or(1).max(1);
    }
    if plan.registers {
        return Built { storage: Storage::Registers, words: n, res: Res { ff: (n * width) as f64, ..Res::default() } };
    }
    let words = n.div_ceil(plan.banks);
    let banks = plan.banks as f64;
    let lutram = Res {
        lut: ((words * width) as f64 / prof.memory.lutram_bits_per_lut).ceil() * banks,
        ff: (width * plan.banks) as f64,
        ..Res::default()
    };
    let bram = Res { bram: (bram_blocks(words, width, prof) * plan.banks) as f64, ..Res::default() };
    let (storage, res) = match plan.storage.implementation {
        Impl::Lutram | Impl::Srl => (Storage::Lutram, lutram),
        Impl::Bram => (Storage::Bram, bram),
        Impl::Uram => (Storage::Uram, Res { uram: (uram_blocks(words, width, prof) * plan.banks) as f64, ..Res::default() }),
        Impl::Auto if words * width <= prof.memory.lutram_max_bits || n * width <= prof.memory.lutram_max_array_bits => {
            (Storage::Lutram, lutram)
        }
        Impl::Auto => (Storage::Bram, bram),
    };
    Built { storage, words: n, res }
}

/// The partitioning of each dimension as the memory report shows it.
pub(crate) fn partition_labels(plan: &ArrayPlan) -> Vec<String> {
    plan.dims
        .iter()
        .map(|d| match d {
            None => "-".to_string(),
            Some(p) => {
                let kind = match p.kind {
                    DimKind::Cyclic => "cyclic",
                    DimKind::Block => "block",
                    DimKind::Complete => "complete",
                };
                format!("{kind} {}", p.factor)
            }
        })
        .collect()
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
    fn merlin_buffers_of_arrays_past_the_single_buffer_limit_are_one_slice() {
        let p = Profile::builtin("vu9p").unwrap();
        let f = |rows: u64| Function {
            name: "k".into(),
            loc: Loc::default(),
            ret: ScalarType::Void,
            params: vec![],
            arrays: vec![arr(vec![rows, 512], ArrayKind::Param)],
            body: Default::default(),
            directives: Default::default(),
            global_writes: vec![],
        };
        // 512 rows of 512 ints = 1 MiB: buffered whole (on chip as Merlin's top array).
        let whole = f(512);
        let plan = &plan_arrays(&whole, true, true, &[], &p, &mut Vec::new())[0];
        assert!(!plan.external);
        assert_eq!(built_storage(&whole.arrays[0], plan, &p).res.bram as u64, bram_blocks(512 * 512, 32, &p));
        // 513 rows pass the limit: one row is buffered at a time.
        let past = f(513);
        let plan = &plan_arrays(&past, true, true, &[], &p, &mut Vec::new())[0];
        assert_eq!(built_storage(&past.arrays[0], plan, &p).res.bram as u64, bram_blocks(512, 32, &p));
    }

    #[test]
    fn fifos_are_shift_registers_up_to_the_srl_limit_and_block_ram_past_it() {
        let p = prof();
        let f = |depth: u32| Function {
            name: "f".into(),
            loc: Loc::default(),
            ret: ScalarType::Void,
            params: vec![],
            arrays: vec![arr(vec![], ArrayKind::Stream { depth: Some(depth) })],
            body: Default::default(),
            directives: Default::default(),
            global_writes: vec![],
        };
        let built = |depth: u32| {
            let f = f(depth);
            let plan = &plan_arrays(&f, true, false, &[], &p, &mut Vec::new())[0];
            built_storage(&f.arrays[0], plan, &p)
        };
        // 32 × 32 bits = 1024: the limit itself is still SRL.
        let shallow = built(32);
        assert_eq!((shallow.storage, shallow.res.bram), (Storage::Fifo, 0.0));
        assert!(shallow.res.lut > 0.0);
        // 1024 × 32 bits: two BRAM18K (the array rules' shapes).
        let deep = built(1024);
        assert_eq!(deep.res.bram as u64, bram_blocks(1024, 32, &p));
        assert!(deep.res.lut < shallow.res.lut);
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
            global_writes: vec![],
        };
        let plans = plan_arrays(&f, true, false, &[], &p, &mut Vec::new());
        assert_eq!(plans[0].banks, 4);
        // a[i] with i = 4*i' + u, u in 0..4: one access per bank.
        let acc = Access { array: ArrayId(0), index: vec![IndexExpr { terms: vec![("i".into(), 1)], constant: 0, affine: true }] };
        let bs = [Binding { var: "i", uc: 4, range: 4 }];
        let mut pa = PortAcc::default();
        pa.record(&acc, false, &plans[0], &bs, 1);
        assert_eq!(pa.loads(&plans), vec![(0, 1, 0)]);
        // Unrolled by 8 over 4 banks: two per bank → one cycle with 2 ports.
        let bs = [Binding { var: "i", uc: 8, range: 8 }];
        let mut pa = PortAcc::default();
        pa.record(&acc, false, &plans[0], &bs, 1);
        assert_eq!(pa.loads(&plans), vec![(0, 2, 0)]);
        assert_eq!(pa.port_bound(&plans), 1);
    }
}
