//! Small generated design families for tests and benchmarks: a two-deep loop nest whose inner
//! loop is pipelined, unrolled and fed by a partitioned array, with a closed-form "true" QoR and
//! an estimator view that is right about most of it but ignores the memory-port limit (so a model
//! has something to learn beyond the estimator). Built directly as IR, so no front-end is needed.

use crate::data::{Design, Task};
use crate::encode::encode;
use crate::error::Result;
use crate::graph::ToolVersion;
use hlsseek_estimate::Estimate;
use hlsseek_ir::*;
use hlsseek_qor::{Latency, LoopReport, Qor, Resources};

/// One family of designs (a "kernel").
#[derive(Clone, Debug)]
pub struct Family {
    pub name: String,
    pub outer: u64,
    pub inner: u64,
    pub float: bool,
}

/// The knobs of a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Point {
    pub pipeline: bool,
    pub unroll: u32,
    pub partition: u32,
}

/// Every point of the family's space (2 × 5 × 4 = 40).
pub fn points() -> Vec<Point> {
    let mut v = Vec::new();
    for pipeline in [false, true] {
        for unroll in [1, 2, 4, 8, 16] {
            for partition in [1, 2, 4, 8] {
                v.push(Point { pipeline, unroll, partition });
            }
        }
    }
    v
}

fn ii_and_depth(f: &Family, p: Point) -> (u64, u64) {
    let depth = if f.float { 12 } else { 4 };
    // Two ports per bank: more parallel reads than ports stretch the initiation interval.
    let ii = (p.unroll as u64).div_ceil(2 * p.partition as u64).max(1);
    (ii, depth)
}

/// The "synthesized" result.
pub fn true_qor(f: &Family, p: Point) -> Qor {
    let (ii, depth) = ii_and_depth(f, p);
    let iters = f.inner.div_ceil(p.unroll as u64);
    let inner = if p.pipeline { iters * ii + depth } else { iters * (depth + ii) };
    let u = p.unroll as u64;
    let (lut_op, ff_op, dsp_op) = if f.float { (320, 510, 3) } else { (45, 70, 1) };
    Qor {
        latency: Latency::exact(f.outer * (inner + 2) + 3),
        ii: None,
        resources: Resources {
            lut: 600 + u * lut_op + p.partition as u64 * 40 + p.pipeline as u64 * 90,
            ff: 900 + u * ff_op + p.partition as u64 * 25 + p.pipeline as u64 * 150,
            dsp: u * dsp_op,
            bram: 2 * p.partition as u64,
            uram: None,
        },
    }
}

/// What an estimator that forgets memory ports would say.
pub fn estimate_of(f: &Family, p: Point) -> Estimate {
    let ideal = Point { partition: 64, ..p };
    let mut q = true_qor(f, ideal);
    q.resources = true_qor(f, p).resources;
    let inner_lat = q.latency.value().unwrap_or(0) / f.outer.max(1);
    Estimate {
        qor: q,
        loops: vec![LoopReport {
            name: "L1".into(),
            path: vec!["top".into(), "L0".into()],
            trip_count: Latency::exact(f.inner),
            latency: Latency::exact(inner_lat),
            iteration_latency: Some(ii_and_depth(f, p).1),
            ii: p.pipeline.then_some(1),
            pipelined: p.pipeline,
            unroll: p.unroll as u64,
            flattened: false,
        }],
        memories: Vec::new(),
        notes: Vec::new(),
    }
}

/// The point as kernel IR.
pub fn kernel(f: &Family, p: Point) -> Kernel {
    let loc = Loc::default();
    let ty = if f.float { ScalarType::Float } else { ScalarType::I32 };
    let idx = |v: &str| IndexExpr { terms: vec![(v.to_string(), 1)], constant: 0, affine: true };
    let op = |id: u32, kind: OpKind, operands: Vec<Operand>, access: Option<Access>| Op { id: OpId(id), kind, ty, operands, access, bind: None, loc };
    let body = Region {
        nodes: vec![
            Node::Op(op(0, OpKind::Load, vec![], Some(Access { array: ArrayId(0), index: vec![idx("i"), idx("j")] }))),
            Node::Op(op(1, OpKind::Load, vec![], Some(Access { array: ArrayId(1), index: vec![idx("j")] }))),
            Node::Op(op(2, OpKind::Mul, vec![Operand::Op(OpId(0)), Operand::Op(OpId(1))], None)),
            Node::Op(op(3, OpKind::Add, vec![Operand::Op(OpId(2)), Operand::Scalar("acc".into())], None)),
        ],
    };
    let inner = Loop {
        id: LoopId(1),
        label: Some("L1".into()),
        var: Some("j".into()),
        loc,
        trip: TripCount::constant(f.inner),
        body,
        directives: LoopDirectives {
            pipeline: p.pipeline.then_some(PipelineDirective { ii: None, off: false, rewind: false, flatten: false, dialect: Dialect::Hls, loc }),
            unroll: (p.unroll > 1).then_some(UnrollDirective { factor: Some(p.unroll), off: false, reductions: vec![], dialect: Dialect::Hls, loc }),
            ..Default::default()
        },
        carried: vec![CarriedDep { kind: DepKind::Reduction, variable: "acc".into(), through_memory: false, distance: 1, ops: vec![OpId(3)] }],
        outer_writes: vec![],
    };
    let store = Op { id: OpId(4), kind: OpKind::Store, ty, operands: vec![Operand::Scalar("acc".into())], access: Some(Access { array: ArrayId(2), index: vec![idx("i")] }), bind: None, loc };
    let outer = Loop {
        id: LoopId(0),
        label: Some("L0".into()),
        var: Some("i".into()),
        loc,
        trip: TripCount::constant(f.outer),
        body: Region { nodes: vec![Node::Loop(inner), Node::Op(store)] },
        directives: LoopDirectives::default(),
        carried: vec![],
        outer_writes: vec![],
    };
    let array = |name: &str, dims: Vec<Option<u64>>, kind: ArrayKind, partition: u32| Array {
        name: name.into(),
        loc,
        elem: ty,
        dims,
        kind,
        partitions: if partition > 1 {
            vec![PartitionDirective { kind: PartitionType::Cyclic, factor: Some(partition), dim: 1, reshape: false, loc }]
        } else {
            vec![]
        },
        storage: None,
    };
    let function = Function {
        name: "top".into(),
        loc,
        ret: ScalarType::Void,
        params: vec![],
        arrays: vec![
            array("A", vec![Some(f.outer), Some(f.inner)], ArrayKind::Param, 1),
            array("B", vec![Some(f.inner)], ArrayKind::Local, p.partition),
            array("C", vec![Some(f.outer)], ArrayKind::Param, 1),
        ],
        body: Region { nodes: vec![Node::Loop(outer)] },
        directives: FunctionDirectives::default(),
        global_writes: vec![],
    };
    Kernel { top: "top".into(), files: vec!["synthetic.c".into()], functions: vec![function], pragmas: vec![], diagnostics: vec![] }
}

/// A task of every point of a family, encoded with the estimator view.
pub fn task(f: &Family, tool: ToolVersion) -> Result<Task> {
    let designs = points()
        .into_iter()
        .map(|p| {
            let graph = encode(&kernel(f, p), Some(&estimate_of(f, p)), tool)?;
            Ok(Design { key: format!("{p:?}"), graph, qor: true_qor(f, p) })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Task { kernel: f.name.clone(), version: "v20".into(), designs })
}

/// A handful of integer families of different sizes.
pub fn families(n: usize) -> Vec<Family> {
    (0..n)
        .map(|k| Family { name: format!("int{k}"), outer: 8 << (k % 4), inner: 32 << (k % 3), float: k % 5 == 4 })
        .collect()
}
