//! Kernel IR (+ the estimator's report) → [`DesignGraph`].
//!
//! Nodes: the top function and every function it reaches through calls, their arrays, loops,
//! branches, calls, and operations. Operations of one region are grouped by (operator class,
//! type class) into one node carrying a count: unrolled bodies repeat the same operators, and
//! grouping keeps graphs tens of nodes large, which is what makes scoring a group of candidates
//! in milliseconds possible, while the data-flow and memory edges between groups survive.

use crate::error::{ProxyError, Result};
use crate::graph::{edge, kind, slot, DesignGraph, ToolVersion, GLOBAL_DIM, NODE_DIM};
use hlsseek_estimate::Estimate;
use hlsseek_ir::{ArrayKind, Function, Kernel, Loop, Node, OpKind, Operand, Region, ScalarType, TypeClass};
use hlsseek_qor::LoopReport;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Graphs beyond this many nodes are refused (memory and time bound on odd inputs).
pub const MAX_NODES: usize = 50_000;

fn log2p(x: f64) -> f32 {
    (x.max(0.0) + 1.0).log2() as f32
}

fn op_class(k: &OpKind) -> usize {
    match k {
        OpKind::Add | OpKind::Sub => 0,
        OpKind::Mul => 1,
        OpKind::Div | OpKind::Rem => 2,
        OpKind::Neg | OpKind::Shl | OpKind::Shr | OpKind::And | OpKind::Or | OpKind::Xor | OpKind::Not => 3,
        OpKind::Cmp | OpKind::Select | OpKind::Min | OpKind::Max | OpKind::Abs => 4,
        OpKind::Sqrt | OpKind::Exp | OpKind::Log | OpKind::Pow | OpKind::Trig => 5,
        OpKind::Cast | OpKind::FpConvert | OpKind::FloatToInt { .. } => 6,
        OpKind::Load => 7,
        OpKind::Store => 8,
        OpKind::StreamRead | OpKind::StreamWrite => 9,
        OpKind::Other(_) => 10,
    }
}

/// What the loops above a node impose on it.
#[derive(Clone, Copy, Default)]
struct Context {
    depth: u32,
    /// log2 of the product of unroll factors of the enclosing loops.
    parallelism: f32,
    under_pipeline: bool,
    under_flatten: bool,
}

struct Builder<'k> {
    reports: Vec<&'k LoopReport>,
    nodes: Vec<[f32; NODE_DIM]>,
    edges: HashSet<(u32, u32, u32)>,
    functions: HashMap<String, u32>,
    pending_calls: Vec<(u32, String)>,
}

/// Encode a design. `estimate` is the analytical estimator's report for the same kernel (None
/// when it could not run: the graph then says so through a flag); `tool` is the tool whose
/// results are to be predicted.
pub fn encode(kernel: &Kernel, estimate: Option<&Estimate>, tool: ToolVersion) -> Result<DesignGraph> {
    let top = kernel
        .top_function()
        .ok_or_else(|| ProxyError::Invalid(format!("top function `{}` not found in the kernel", kernel.top)))?;
    let mut b = Builder {
        reports: estimate.map(|e| e.loops.iter().collect()).unwrap_or_default(),
        nodes: Vec::new(),
        edges: HashSet::new(),
        functions: HashMap::new(),
        pending_calls: Vec::new(),
    };
    b.function(top, true)?;
    // Callees are added breadth-first, each once, so recursion cannot loop.
    while let Some((call, callee)) = b.pending_calls.pop() {
        let target = match b.functions.get(&callee) {
            Some(&id) => Some(id),
            None => match kernel.function(&callee) {
                Some(f) => Some(b.function(f, false)?),
                None => None,
            },
        };
        if let Some(t) = target {
            b.edge(call, t, edge::CALL_CALLEE, edge::CALLEE_CALL);
        }
    }
    let mut edges: Vec<(u32, u32, u32)> = b.edges.into_iter().collect();
    edges.sort_unstable();
    Ok(DesignGraph {
        nodes: b.nodes.iter().flatten().copied().collect(),
        src: edges.iter().map(|e| e.0).collect(),
        dst: edges.iter().map(|e| e.1).collect(),
        etype: edges.iter().map(|e| e.2).collect(),
        global: global_features(estimate, tool),
    })
}

fn global_features(estimate: Option<&Estimate>, tool: ToolVersion) -> [f32; GLOBAL_DIM] {
    let mut g = [0f32; GLOBAL_DIM];
    if let Some(e) = estimate {
        let q = &e.qor;
        let r = &q.resources;
        g[0] = log2p(q.latency.value().unwrap_or(0) as f64);
        g[1] = log2p(r.lut as f64);
        g[2] = log2p(r.ff as f64);
        g[3] = log2p(r.dsp as f64);
        g[4] = log2p(r.bram as f64);
        g[5] = log2p(q.ii.unwrap_or(0) as f64);
        g[6] = 1.0;
    }
    g[7 + match tool {
        ToolVersion::V18 => 0,
        ToolVersion::V20 => 1,
        ToolVersion::Other => 2,
    }] = 1.0;
    g
}

impl<'k> Builder<'k> {
    fn add(&mut self, row: [f32; NODE_DIM]) -> Result<u32> {
        if self.nodes.len() >= MAX_NODES {
            return Err(ProxyError::Invalid(format!("design graph over {MAX_NODES} nodes")));
        }
        self.nodes.push(row);
        Ok(self.nodes.len() as u32 - 1)
    }

    fn edge(&mut self, a: u32, b: u32, forward: u32, backward: u32) {
        self.edges.insert((a, b, forward));
        self.edges.insert((b, a, backward));
    }

    fn function(&mut self, f: &'k Function, is_top: bool) -> Result<u32> {
        let mut row = [0f32; NODE_DIM];
        row[kind::FUNCTION] = 1.0;
        row[slot::COUNT] = 1.0;
        row[slot::TOP] = is_top as u8 as f32;
        let d = &f.directives;
        row[slot::FN_PIPELINE] = d.pipeline.as_ref().is_some_and(|p| !p.off) as u8 as f32;
        row[slot::FN_DATAFLOW] = d.dataflow.is_some() as u8 as f32;
        row[slot::FN_INLINE] = d.inline.as_ref().is_some_and(|i| !i.off) as u8 as f32;
        let id = self.add(row)?;
        self.functions.insert(f.name.clone(), id);
        let mut arrays = Vec::with_capacity(f.arrays.len());
        for a in &f.arrays {
            let mut row = [0f32; NODE_DIM];
            row[kind::ARRAY] = 1.0;
            type_features(&mut row, a.elem);
            row[slot::COUNT] = 1.0;
            row[slot::ELEMENTS] = log2p(a.elements().unwrap_or(0) as f64) / 24.0;
            row[slot::DIMS] = a.dims.len() as f32 / 4.0;
            let k = match a.kind {
                ArrayKind::Param => slot::ARRAY_PARAM,
                ArrayKind::Local => slot::ARRAY_LOCAL,
                ArrayKind::Static => slot::ARRAY_STATIC,
                ArrayKind::Stream { .. } => slot::ARRAY_STREAM,
            };
            row[k] = 1.0;
            row[slot::PART_COMPLETE] = a.partitions.iter().any(|p| p.factor.is_none()) as u8 as f32;
            let max_factor = a.partitions.iter().filter_map(|p| p.factor).max().unwrap_or(1);
            row[slot::PART_FACTOR] = (max_factor.max(1) as f32).log2() / 8.0;
            row[slot::PART_COUNT] = a.partitions.len() as f32 / 4.0;
            row[slot::RESHAPE] = a.partitions.iter().any(|p| p.reshape) as u8 as f32;
            row[slot::STORAGE] = a.storage.is_some() as u8 as f32;
            let aid = self.add(row)?;
            self.edge(id, aid, edge::PARENT_CHILD, edge::CHILD_PARENT);
            arrays.push(aid);
        }
        self.region(&f.body, id, &arrays, &f.name, Context::default())?;
        Ok(id)
    }

    fn region(&mut self, r: &'k Region, parent: u32, arrays: &[u32], func: &str, ctx: Context) -> Result<()> {
        // (op class, type class) → group node, and each op's group for data-flow edges.
        let mut groups: BTreeMap<(usize, TypeClass), u32> = BTreeMap::new();
        let mut op_group: HashMap<u32, u32> = HashMap::new();
        for node in &r.nodes {
            match node {
                Node::Op(op) => {
                    let key = (op_class(&op.kind), op.ty.class());
                    let g = match groups.get(&key) {
                        Some(&g) => g,
                        None => {
                            let mut row = [0f32; NODE_DIM];
                            row[kind::OP_BASE + key.0] = 1.0;
                            type_features(&mut row, op.ty);
                            context_features(&mut row, ctx);
                            let g = self.add(row)?;
                            self.edge(parent, g, edge::PARENT_CHILD, edge::CHILD_PARENT);
                            groups.insert(key, g);
                            g
                        }
                    };
                    self.nodes[g as usize][slot::COUNT] += 1.0;
                    op_group.insert(op.id.0, g);
                    for operand in &op.operands {
                        if let Operand::Op(src) = operand {
                            if let Some(&sg) = op_group.get(&src.0) {
                                self.edge(sg, g, edge::FLOW, edge::FLOW_BACK);
                            }
                        }
                    }
                    if let Some(acc) = &op.access {
                        self.nodes[g as usize][slot::ACCESSES] += 1.0;
                        if acc.index.iter().any(|i| !i.affine) {
                            self.nodes[g as usize][slot::INDIRECT] = 1.0;
                        }
                        if let Some(&a) = arrays.get(acc.array.0 as usize) {
                            self.edge(g, a, edge::OP_ARRAY, edge::ARRAY_OP);
                        }
                    }
                }
                Node::Loop(l) => self.lp(l, parent, arrays, func, ctx)?,
                Node::Call(c) => {
                    let mut row = [0f32; NODE_DIM];
                    row[kind::CALL] = 1.0;
                    row[slot::COUNT] = 1.0;
                    context_features(&mut row, ctx);
                    let id = self.add(row)?;
                    self.edge(parent, id, edge::PARENT_CHILD, edge::CHILD_PARENT);
                    for (_, arr) in &c.array_args {
                        if let Some(&a) = arrays.get(arr.0 as usize) {
                            self.edge(id, a, edge::OP_ARRAY, edge::ARRAY_OP);
                        }
                    }
                    self.pending_calls.push((id, c.callee.clone()));
                }
                Node::Branch(br) => {
                    let mut row = [0f32; NODE_DIM];
                    row[kind::BRANCH] = 1.0;
                    row[slot::COUNT] = 1.0;
                    context_features(&mut row, ctx);
                    let id = self.add(row)?;
                    self.edge(parent, id, edge::PARENT_CHILD, edge::CHILD_PARENT);
                    if let Some(&g) = br.cond.and_then(|c| op_group.get(&c.0)) {
                        self.edge(g, id, edge::FLOW, edge::FLOW_BACK);
                    }
                    self.region(&br.then_region, id, arrays, func, ctx)?;
                    self.region(&br.else_region, id, arrays, func, ctx)?;
                }
            }
        }
        for g in groups.values() {
            let c = &mut self.nodes[*g as usize];
            c[slot::COUNT] = log2p(c[slot::COUNT] as f64 - 1.0) / 8.0;
            c[slot::ACCESSES] = log2p(c[slot::ACCESSES] as f64) / 8.0;
        }
        Ok(())
    }

    fn lp(&mut self, l: &'k Loop, parent: u32, arrays: &[u32], func: &str, ctx: Context) -> Result<()> {
        let mut row = [0f32; NODE_DIM];
        row[kind::LOOP] = 1.0;
        row[slot::COUNT] = 1.0;
        context_features(&mut row, ctx);
        let d = &l.directives;
        let trip = l.trip.max.or(d.tripcount.as_ref().and_then(|t| t.max));
        row[slot::TRIP] = log2p(trip.unwrap_or(0) as f64) / 16.0;
        row[slot::TRIP_UNKNOWN] = trip.is_none() as u8 as f32;
        let pipe = d.pipeline.as_ref();
        let pipelined = pipe.is_some_and(|p| !p.off);
        let flatten_pipe = pipe.is_some_and(|p| p.flatten && !p.off);
        row[slot::PIPELINE_ON] = pipelined as u8 as f32;
        row[slot::PIPELINE_OFF] = pipe.is_some_and(|p| p.off) as u8 as f32;
        row[slot::PIPELINE_FLATTEN] = flatten_pipe as u8 as f32;
        row[slot::II] = pipe.and_then(|p| p.ii).map_or(0.0, |ii| log2p(ii as f64) / 4.0);
        // The factor this loop is unrolled by: complete unrolling (explicit, or implied by an
        // enclosing Merlin flatten pipeline) replicates the whole trip count.
        let mut factor = 1f64;
        if let Some(u) = d.unroll.as_ref().filter(|u| !u.off) {
            row[slot::UNROLL_SET] = 1.0;
            match u.factor {
                Some(f) => factor = f.max(1) as f64,
                None => {
                    row[slot::UNROLL_COMPLETE] = 1.0;
                    factor = trip.unwrap_or(1).max(1) as f64;
                }
            }
        }
        if ctx.under_flatten {
            factor = trip.unwrap_or(1).max(1) as f64;
        }
        if let Some(t) = trip {
            factor = factor.min(t.max(1) as f64);
        }
        row[slot::UNROLL_LOG] = factor.log2() as f32 / 8.0;
        row[slot::TILE_LOG] = d.tile.as_ref().map_or(0.0, |t| (t.factor.max(1) as f32).log2() / 8.0);
        row[slot::LOOP_FLATTEN] = d.flatten.as_ref().is_some_and(|t| !t.off) as u8 as f32;
        row[slot::DATAFLOW] = d.dataflow.is_some() as u8 as f32;
        row[slot::CARRIED] = l.carried.len() as f32 / 4.0;
        row[slot::REDUCTION] = l.carried.iter().any(|c| c.kind == hlsseek_ir::DepKind::Reduction) as u8 as f32;
        row[slot::INNERMOST] = l.inner_loops().next().is_none() as u8 as f32;
        let inner = Context {
            depth: ctx.depth + 1,
            parallelism: ctx.parallelism + factor.log2() as f32,
            under_pipeline: ctx.under_pipeline || pipelined,
            under_flatten: ctx.under_flatten || flatten_pipe,
        };
        row[slot::PARALLELISM] = inner.parallelism / 16.0;
        if let Some(rep) = self.report(l, func) {
            row[slot::EST_MATCHED] = 1.0;
            row[slot::EST_LATENCY] = log2p(rep.latency.value().unwrap_or(0) as f64) / 32.0;
            row[slot::EST_II] = log2p(rep.ii.unwrap_or(0) as f64) / 8.0;
            row[slot::EST_PIPELINED] = rep.pipelined as u8 as f32;
            row[slot::EST_UNROLL] = log2p(rep.unroll.saturating_sub(1) as f64) / 8.0;
            row[slot::EST_FLATTENED] = rep.flattened as u8 as f32;
        }
        let id = self.add(row)?;
        self.edge(parent, id, edge::PARENT_CHILD, edge::CHILD_PARENT);
        self.region(&l.body, id, arrays, func, inner)
    }

    /// The estimator's report for a loop: same name, preferring one whose path names the
    /// function (reports of inlined callees may repeat names).
    fn report(&self, l: &Loop, func: &str) -> Option<&'k LoopReport> {
        let name = l.name();
        let mut same = self.reports.iter().filter(|r| r.name == name);
        let first = same.next().copied();
        self.reports
            .iter()
            .find(|r| r.name == name && r.path.iter().any(|p| p == func))
            .copied()
            .or(first)
    }
}

fn type_features(row: &mut [f32; NODE_DIM], ty: ScalarType) {
    let k = match ty.class() {
        TypeClass::Int => 0,
        TypeClass::Half => 1,
        TypeClass::Float => 2,
        TypeClass::Double => 3,
    };
    row[slot::TYPE_INT + k] = 1.0;
    row[slot::BITS] = ty.bits() as f32 / 64.0;
}

fn context_features(row: &mut [f32; NODE_DIM], ctx: Context) {
    row[slot::DEPTH] = ctx.depth as f32 / 8.0;
    row[slot::PARALLELISM] = ctx.parallelism / 16.0;
    row[slot::UNDER_PIPELINE] = ctx.under_pipeline as u8 as f32;
    row[slot::UNDER_FLATTEN] = ctx.under_flatten as u8 as f32;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{estimate_of, kernel, Family, Point};

    fn fam() -> Family {
        Family { name: "t".into(), outer: 16, inner: 64, float: false }
    }

    fn nodes_of(g: &DesignGraph, k: usize) -> Vec<&[f32]> {
        g.nodes.chunks(NODE_DIM).filter(|r| r[k] > 0.5).collect()
    }

    #[test]
    fn loops_arrays_and_grouped_ops_become_nodes() {
        let p = Point { pipeline: true, unroll: 4, partition: 2 };
        let g = encode(&kernel(&fam(), p), Some(&estimate_of(&fam(), p)), ToolVersion::V20).unwrap();
        assert_eq!(nodes_of(&g, kind::FUNCTION).len(), 1);
        assert_eq!(nodes_of(&g, kind::LOOP).len(), 2);
        assert_eq!(nodes_of(&g, kind::ARRAY).len(), 3);
        // Two loads grouped into one node; mul, add, store one each.
        assert_eq!(nodes_of(&g, kind::OP_BASE + 7).len(), 1);
        assert_eq!(g.node_count(), 1 + 3 + 2 + 4);
        let inner = nodes_of(&g, kind::LOOP).into_iter().find(|r| r[slot::INNERMOST] > 0.5).unwrap();
        assert_eq!(inner[slot::PIPELINE_ON], 1.0);
        assert!((inner[slot::UNROLL_LOG] - 2.0 / 8.0).abs() < 1e-6);
        assert_eq!(inner[slot::EST_MATCHED], 1.0);
        assert_eq!(inner[slot::REDUCTION], 1.0);
        let b = nodes_of(&g, kind::ARRAY).into_iter().find(|r| r[slot::ARRAY_LOCAL] > 0.5).unwrap();
        assert!((b[slot::PART_FACTOR] - 1.0 / 8.0).abs() < 1e-6);
        // Every edge has its reverse.
        let set: HashSet<(u32, u32)> = g.src.iter().zip(&g.dst).map(|(a, b)| (*a, *b)).collect();
        assert!(g.src.iter().zip(&g.dst).all(|(a, b)| set.contains(&(*b, *a))));
        assert!(g.etype.contains(&edge::FLOW) && g.etype.contains(&edge::OP_ARRAY));
        assert_eq!(g.global[6], 1.0);
        assert_eq!(g.global[8], 1.0);
    }

    #[test]
    fn knobs_change_the_encoding_and_missing_estimate_is_flagged() {
        let f = fam();
        let a = encode(&kernel(&f, Point { pipeline: false, unroll: 1, partition: 1 }), None, ToolVersion::V18).unwrap();
        let b = encode(&kernel(&f, Point { pipeline: false, unroll: 8, partition: 1 }), None, ToolVersion::V18).unwrap();
        assert_eq!(a.src, b.src);
        assert_ne!(a.nodes, b.nodes);
        assert_eq!(a.global[6], 0.0);
        assert_eq!(a.global[7], 1.0);
        let mut k = kernel(&f, Point { pipeline: false, unroll: 1, partition: 1 });
        k.top = "missing".into();
        assert!(encode(&k, None, ToolVersion::V20).is_err());
    }
}

/// A design read from source and encoded for the proxy, with the estimator's report it was
/// encoded with.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub kernel: hlsseek_ir::Kernel,
    pub graph: DesignGraph,
    /// The estimator's report, or why there is none (no profile given, or the estimator
    /// refused the kernel); the graph then says through its flag that it has no estimate.
    pub estimate: std::result::Result<Estimate, String>,
}

/// Source → kernel IR → analytical estimate → graph: the one path every user of the proxy
/// (training data, the reward scorer, DSE, `proxy compare`) takes, so a design is seen the same
/// way everywhere. `profile` None skips the estimator; `clock_ns` None is the profile's default.
/// The error is the front-end's or the encoder's message.
pub fn prepare(
    files: &[hlsseek_front::SourceFile],
    top: &str,
    opts: &hlsseek_front::FrontOptions,
    profile: Option<&hlsseek_estimate::Profile>,
    clock_ns: Option<f64>,
    tool: ToolVersion,
) -> std::result::Result<Prepared, String> {
    let kernel = hlsseek_front::parse_kernel(files, top, opts).map_err(|e| e.to_string())?;
    let estimate = match profile {
        Some(p) => hlsseek_estimate::estimate(&kernel, p, clock_ns).map_err(|e| e.to_string()),
        None => Err("no device profile".to_string()),
    };
    let graph = encode(&kernel, estimate.as_ref().ok(), tool).map_err(|e| e.to_string())?;
    Ok(Prepared { kernel, graph, estimate })
}
