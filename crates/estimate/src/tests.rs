//! Schedules computed by hand on small hand-built kernels, and property tests on generated IR.
//! Timing constants are read from the shipped xcu280 profile at 10 ns (7.3 ns schedulable after
//! the 27 % uncertainty) so the hand computations name the numbers they rely on.

use crate::profile::{OpClass, OpTable};
use crate::{estimate, Estimate, Profile};
use hlsseek_ir::*;

pub(crate) struct B {
    next_op: u32,
    next_loop: u32,
}

pub(crate) fn aff(terms: &[(&str, i64)], c: i64) -> IndexExpr {
    IndexExpr { terms: terms.iter().map(|(v, k)| (v.to_string(), *k)).collect(), constant: c, affine: true }
}

impl B {
    pub(crate) fn new() -> B {
        B { next_op: 0, next_loop: 0 }
    }

    pub(crate) fn op(&mut self, kind: OpKind, ty: ScalarType, operands: Vec<Operand>) -> Op {
        self.next_op += 1;
        Op { id: OpId(self.next_op), kind, ty, operands, access: None, bind: None, loc: Loc::default() }
    }

    pub(crate) fn load(&mut self, array: u32, index: Vec<IndexExpr>, ty: ScalarType) -> Op {
        let mut o = self.op(OpKind::Load, ty, vec![]);
        o.access = Some(Access { array: ArrayId(array), index });
        o
    }

    pub(crate) fn store(&mut self, array: u32, index: Vec<IndexExpr>, val: &Op) -> Op {
        let mut o = self.op(OpKind::Store, val.ty, vec![Operand::Op(val.id)]);
        o.access = Some(Access { array: ArrayId(array), index });
        o
    }

    pub(crate) fn lp(&mut self, var: &str, tc: u64, nodes: Vec<Node>) -> Loop {
        self.next_loop += 1;
        Loop {
            id: LoopId(self.next_loop),
            label: Some(format!("L_{var}")),
            var: Some(var.to_string()),
            loc: Loc::default(),
            trip: TripCount::constant(tc),
            body: Region { nodes },
            directives: LoopDirectives::default(),
            carried: vec![],
            outer_writes: vec![],
        }
    }
}

pub(crate) fn ops(v: Vec<Op>) -> Vec<Node> {
    v.into_iter().map(Node::Op).collect()
}

pub(crate) fn array(name: &str, elem: ScalarType, dims: &[u64], kind: ArrayKind) -> Array {
    Array { name: name.into(), loc: Loc::default(), elem, dims: dims.iter().map(|d| Some(*d)).collect(), kind, partitions: vec![], storage: None }
}

pub(crate) fn func(name: &str, arrays: Vec<Array>, nodes: Vec<Node>) -> Function {
    Function {
        name: name.into(),
        loc: Loc::default(),
        ret: ScalarType::Void,
        params: vec![],
        arrays,
        body: Region { nodes },
        directives: FunctionDirectives::default(),
        global_writes: vec![],
    }
}

/// A kernel whose top is `fs[0]`. The top returns a value: the hand-built bodies compute into
/// local arrays, and a top without an output would synthesize to nothing (`effects`).
pub(crate) fn kernel(mut fs: Vec<Function>) -> Kernel {
    fs[0].ret = ScalarType::I32;
    Kernel { top: fs[0].name.clone(), files: vec!["k.c".into()], functions: fs, pragmas: vec![], diagnostics: vec![] }
}

pub(crate) fn pipe(ii: Option<u32>, off: bool, flatten: bool, dialect: Dialect) -> PipelineDirective {
    PipelineDirective { ii, off, rewind: false, flatten, dialect, loc: Loc::default() }
}

pub(crate) fn unroll(factor: Option<u32>, dialect: Dialect) -> UnrollDirective {
    UnrollDirective { factor, off: false, reductions: vec![], dialect, loc: Loc::default() }
}

fn cyclic(f: u32) -> PartitionDirective {
    PartitionDirective { kind: PartitionType::Cyclic, factor: Some(f), dim: 1, reshape: false, loc: Loc::default() }
}

fn prof() -> Profile {
    Profile::builtin("xcu280").unwrap()
}

fn lat(p: &Profile, c: OpClass, t: TypeClass, bits: u32) -> u64 {
    OpTable::resolve(p, 10.0).get(c, t, bits).lat as u64
}

fn est(k: &Kernel) -> Estimate {
    estimate(k, &prof(), None).unwrap()
}

fn top_lat(e: &Estimate) -> u64 {
    e.qor.latency.max.unwrap()
}

/// `for i<100: B[i] = A[i] + A[i+1] + A[i+2] + A[i+3]` (ints, local arrays, pipelined II=1
/// requested).
fn four_loads(partition: bool) -> Kernel {
    let mut b = B::new();
    let i32t = ScalarType::I32;
    let l0 = b.load(0, vec![aff(&[("i", 1)], 0)], i32t);
    let l1 = b.load(0, vec![aff(&[("i", 1)], 1)], i32t);
    let l2 = b.load(0, vec![aff(&[("i", 1)], 2)], i32t);
    let l3 = b.load(0, vec![aff(&[("i", 1)], 3)], i32t);
    let a0 = b.op(OpKind::Add, i32t, vec![Operand::Op(l0.id), Operand::Op(l1.id)]);
    let a1 = b.op(OpKind::Add, i32t, vec![Operand::Op(a0.id), Operand::Op(l2.id)]);
    let a2 = b.op(OpKind::Add, i32t, vec![Operand::Op(a1.id), Operand::Op(l3.id)]);
    let st = b.store(1, vec![aff(&[("i", 1)], 0)], &a2);
    let mut l = b.lp("i", 100, ops(vec![l0, l1, l2, l3, a0, a1, a2, st]));
    l.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    let mut a = array("A", i32t, &[128], ArrayKind::Local);
    if partition {
        a.partitions.push(cyclic(4));
    }
    kernel(vec![func("top", vec![a, array("B", i32t, &[128], ArrayKind::Local)], vec![Node::Loop(l)])])
}

#[test]
fn a_memory_port_bound_ii() {
    let p = prof();
    assert_eq!(lat(&p, OpClass::Load, TypeClass::Int, 32), 1);
    assert_eq!(lat(&p, OpClass::Add, TypeClass::Int, 32), 0);
    // Schedule of one iteration: the 4 loads issue in cycle 0 (ports are an II matter in a
    // pipeline), data at 1 + 1.5/7.3; three chained adds (1.5 ns each) end at 1.82; the store
    // starts in cycle 1 and completes at 2 → depth 2.
    // A is one BRAM bank with 2 ports and 4 reads per iteration → II = ceil(4/2) = 2.
    // Latency = depth + II·(TC−1) + entry/exit = 2 + 2·99 + pipe_loop_overhead.
    let e = est(&four_loads(false));
    let lr = &e.loops[0];
    assert_eq!(lr.ii, Some(2));
    assert_eq!(lr.iteration_latency, Some(2));
    let ovh = p.control.pipe_loop_overhead;
    assert_eq!(lr.latency.max, Some(2 + 2 * 99 + ovh));
    assert_eq!(top_lat(&e), 2 + 2 * 99 + ovh + p.control.function_overhead);
    // Cyclic 4: A[i+k] for k = 0..3 land on 4 different banks → II 1.
    let e = est(&four_loads(true));
    assert_eq!(e.loops[0].ii, Some(1));
    assert_eq!(e.loops[0].latency.max, Some(2 + 99 + ovh));
}

/// `for i<64: s += a[i] * b[i]` in float, pipelined.
fn dot(tc: u64, unroll_by: Option<u32>, parts: u32) -> Kernel {
    let mut b = B::new();
    let f = ScalarType::Float;
    let la = b.load(0, vec![aff(&[("i", 1)], 0)], f);
    let lb = b.load(1, vec![aff(&[("i", 1)], 0)], f);
    let m = b.op(OpKind::Mul, f, vec![Operand::Op(la.id), Operand::Op(lb.id)]);
    let s = b.op(OpKind::Add, f, vec![Operand::Scalar("s".into()), Operand::Op(m.id)]);
    let sid = s.id;
    let mut l = b.lp("i", tc, ops(vec![la, lb, m, s]));
    l.carried.push(CarriedDep { kind: DepKind::Reduction, variable: "s".into(), through_memory: false, distance: 1, ops: vec![sid] });
    l.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    if let Some(u) = unroll_by {
        l.directives.unroll = Some(unroll(Some(u), Dialect::Hls));
    }
    let mut a = array("a", f, &[tc], ArrayKind::Local);
    let mut bb = array("b", f, &[tc], ArrayKind::Local);
    if parts > 1 {
        a.partitions.push(cyclic(parts));
        bb.partitions.push(cyclic(parts));
    }
    kernel(vec![func("dot", vec![a, bb], vec![Node::Loop(l)])])
}

#[test]
fn b_float_reduction_recurrence() {
    let p = prof();
    let fadd = lat(&p, OpClass::Add, TypeClass::Float, 32);
    let fmul = lat(&p, OpClass::Mul, TypeClass::Float, 32);
    // Loads end at 1.2, fmul at 1 + fmul, fadd at 1 + fmul + fadd → depth 1 + fmul + fadd.
    // The carried value s goes through one fadd per iteration → II = fadd latency.
    let e = est(&dot(64, None, 1));
    let lr = &e.loops[0];
    assert_eq!(lr.ii, Some(fadd));
    let depth = 1 + fmul + fadd;
    assert_eq!(lr.iteration_latency, Some(depth));
    assert_eq!(lr.latency.max, Some(depth + fadd * 63 + p.control.pipe_loop_overhead));
    // Unrolled by 4 (partitioned so ports do not bind): the 4 copies' adds chain on s
    // (Vitis does not re-associate floats) → II = 4·fadd over 16 iterations.
    let e = est(&dot(64, Some(4), 4));
    assert_eq!(e.loops[0].ii, Some(4 * fadd));
    assert_eq!(e.loops[0].trip_count.max, Some(64));
    assert_eq!(e.loops[0].unroll, 4);
}

#[test]
fn a_carried_scalar_is_held_in_a_register() {
    // `s` goes from one iteration to the next: a 32-bit register. The same recurrence through
    // a memory word (same timing) holds nothing of its own.
    let ff = |k: &Kernel| est(k).qor.resources.ff as f64;
    let through_memory = |mut k: Kernel| {
        let Node::Loop(l) = &mut k.functions[0].body.nodes[0] else { unreachable!() };
        l.carried[0].through_memory = true;
        k
    };
    assert_eq!(ff(&dot(64, None, 1)) - ff(&through_memory(dot(64, None, 1))), 32.0);
    // Unrolled by 4, the copies chain one `s`: still one register.
    assert_eq!(ff(&dot(64, Some(4), 4)) - ff(&through_memory(dot(64, Some(4), 4))), 32.0);
}

/// LUTs the multiplexers in front of shared units and shared memory ports add: the estimate
/// with the profile's price per mux input, less the one with muxes free.
fn mux_luts(k: &Kernel) -> f64 {
    let priced = estimate(k, &prof(), None).unwrap().qor.resources.lut;
    let mut free = prof();
    free.resources.lut_per_mux_input = 0.0;
    let unpriced = estimate(k, &free, None).unwrap().qor.resources.lut;
    (priced - unpriced) as f64
}

#[test]
fn k_shared_ports_and_units_pay_for_their_multiplexers() {
    let per_input = prof().resources.lut_per_mux_input;
    // Four reads of one A bank per iteration on its 2 ports: each port's address picks from 2
    // accesses (one 2-input mux per port). Partitioned cyclic 4: one read per bank, no mux.
    // The int adds are not shared (cheaper than their muxes) and B takes one write.
    assert_eq!(mux_luts(&four_loads(false)), 2.0 * 2.0 * per_input);
    assert_eq!(mux_luts(&four_loads(true)), 0.0);
    // Dot product unrolled by 4: the fadd chain sets II = 4·fadd, so one fmul and one fadd do
    // the 4 copies' operations, each operand picked from 4 sources (2 operands × 4 inputs per
    // unit); one bank per array: 4 reads on 2 ports, a 2-input address mux per port.
    let units = 2.0 * (2.0 * 4.0 * per_input);
    let ports = 2.0 * (2.0 * 2.0 * per_input);
    assert_eq!(mux_luts(&dot(64, Some(4), 1)), units + ports);
    assert_eq!(mux_luts(&dot(64, Some(4), 4)), units);
    // Not unrolled: each unit does one operation, each port one access.
    assert_eq!(mux_luts(&dot(64, None, 1)), 0.0);
}

/// Straight-line float code on two scalars: `y = (a * b) * c` (a chain) or `y = a * b + a * c`
/// (two products side by side).
fn two_products(chained: bool) -> Kernel {
    let mut b = B::new();
    let f = ScalarType::Float;
    let s = |n: &str| Operand::Scalar(n.into());
    let m1 = b.op(OpKind::Mul, f, vec![s("a"), s("b")]);
    let (m2, tail) = if chained {
        (b.op(OpKind::Mul, f, vec![Operand::Op(m1.id), s("c")]), None)
    } else {
        let m2 = b.op(OpKind::Mul, f, vec![s("a"), s("c")]);
        let add = b.op(OpKind::Add, f, vec![Operand::Op(m1.id), Operand::Op(m2.id)]);
        (m2, Some(add))
    };
    let st = b.store(0, vec![aff(&[], 0)], tail.as_ref().unwrap_or(&m2));
    let mut nodes = vec![m1, m2];
    nodes.extend(tail);
    nodes.push(st);
    kernel(vec![func("top", vec![array("y", f, &[4], ArrayKind::Local)], ops(nodes))])
}

/// `for u<2 (fully unrolled): y[u] = x[u] * c` in float: two copies of one product.
fn unrolled_products() -> Kernel {
    let mut b = B::new();
    let f = ScalarType::Float;
    let ld = b.load(0, vec![aff(&[("u", 1)], 0)], f);
    let m = b.op(OpKind::Mul, f, vec![Operand::Op(ld.id), Operand::Scalar("c".into())]);
    let st = b.store(1, vec![aff(&[("u", 1)], 0)], &m);
    let mut l = b.lp("u", 2, ops(vec![ld, m, st]));
    l.directives.unroll = Some(unroll(None, Dialect::Hls));
    kernel(vec![func("top", vec![array("x", f, &[2], ArrayKind::Local), array("y", f, &[2], ArrayKind::Local)], vec![Node::Loop(l)])])
}

#[test]
fn a_block_shares_a_unit_between_operations_that_can_take_turns() {
    let p = prof();
    let table = OpTable::resolve(&p, 10.0);
    let fmul = table.get(OpClass::Mul, TypeClass::Float, 32).dsp;
    let fadd = table.get(OpClass::Add, TypeClass::Float, 32).dsp;
    assert!(fmul > 0.0);
    // The chain's second product starts when the first is done: one multiplier serves both.
    assert_eq!(est(&two_products(true)).qor.resources.dsp as f64, fmul);
    // Two distinct products side by side can take turns within the block's cycles.
    assert_eq!(est(&two_products(false)).qor.resources.dsp as f64, fmul + fadd);
    // Unrolled copies run side by side: one multiplier each.
    assert_eq!(est(&unrolled_products()).qor.resources.dsp as f64, 2.0 * fmul);
}

/// `for i<100: B[i] = A[i + off]` (ints, 128-word local arrays), pipelined.
fn shifted_copy(off: i64) -> Kernel {
    let mut b = B::new();
    let t = ScalarType::I32;
    let ld = b.load(0, vec![aff(&[("i", 1)], off)], t);
    let st = b.store(1, vec![aff(&[("i", 1)], 0)], &ld);
    let mut l = b.lp("i", 100, ops(vec![ld, st]));
    l.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    kernel(vec![func("top", vec![array("A", t, &[128], ArrayKind::Local), array("B", t, &[128], ArrayKind::Local)], vec![Node::Loop(l)])])
}

#[test]
fn an_address_with_an_offset_costs_an_adder() {
    // `A[i + 1]` needs i + 1 computed (a 7-bit adder for 128 words); `A[i]` is i itself.
    let add7 = OpTable::resolve(&prof(), 10.0).get(OpClass::Add, TypeClass::Int, 7).lut;
    let lut = |off| est(&shifted_copy(off)).qor.resources.lut as f64;
    assert!(add7 > 0.0);
    assert_eq!(lut(1) - lut(0), add7.round());
    let a = array("M", ScalarType::I32, &[60, 80], ArrayKind::Local);
    let acc = |index: Vec<IndexExpr>| Access { array: ArrayId(0), index };
    // M[i][j]: i·80 + j, one adder of ⌈log2 4800⌉ = 13 bits; M[i][j + 1] two; M[3][5] none.
    assert_eq!(crate::memory::address_adders(&acc(vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 0)]), &a), (1, 13));
    assert_eq!(crate::memory::address_adders(&acc(vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 1)]), &a).0, 2);
    assert_eq!(crate::memory::address_adders(&acc(vec![aff(&[], 3), aff(&[], 5)]), &a).0, 0);
}

/// `for i<64: B[i] = A[i] + 1`, unrolled by 4, pipelined.
fn unrolled_copy(partition: bool) -> Kernel {
    let mut b = B::new();
    let t = ScalarType::I32;
    let la = b.load(0, vec![aff(&[("i", 1)], 0)], t);
    let add = b.op(OpKind::Add, t, vec![Operand::Op(la.id), Operand::Int(1)]);
    let st = b.store(1, vec![aff(&[("i", 1)], 0)], &add);
    let mut l = b.lp("i", 64, ops(vec![la, add, st]));
    l.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    l.directives.unroll = Some(unroll(Some(4), Dialect::Hls));
    let mut a = array("A", t, &[64], ArrayKind::Local);
    let mut o = array("B", t, &[64], ArrayKind::Local);
    if partition {
        a.partitions.push(cyclic(4));
        o.partitions.push(cyclic(4));
    }
    kernel(vec![func("copy", vec![a, o], vec![Node::Loop(l)])])
}

#[test]
fn c_unroll_with_and_without_partitioning() {
    let p = prof();
    let ovh = p.control.pipe_loop_overhead;
    // Depth: load 0→1.2, add → 1.4, store in cycle 1 → 2. i = 4·i' + u, u = 0..3.
    // Cyclic 4: copy u hits bank u of A and of B → one access per bank → II 1, 16 iterations.
    let e = est(&unrolled_copy(true));
    assert_eq!(e.loops[0].ii, Some(1));
    assert_eq!(e.loops[0].latency.max, Some(2 + 15 + ovh));
    // One bank each: 4 reads of A (and 4 writes of B) on 2 ports → II 2.
    let e = est(&unrolled_copy(false));
    assert_eq!(e.loops[0].ii, Some(2));
    assert_eq!(e.loops[0].latency.max, Some(2 + 2 * 15 + ovh));
}

#[test]
fn d_dataflow_interval_and_total() {
    let p = prof();
    let ovh = p.control.pipe_loop_overhead;
    let mut b = B::new();
    let t = ScalarType::I32;
    // Stage 1: for i<100: T[i] = A[i] + 1 (pipelined, depth 2, II 1 → 2 + 99 + ovh).
    let la = b.load(0, vec![aff(&[("i", 1)], 0)], t);
    let add = b.op(OpKind::Add, t, vec![Operand::Op(la.id), Operand::Int(1)]);
    let st = b.store(1, vec![aff(&[("i", 1)], 0)], &add);
    let mut l1 = b.lp("i", 100, ops(vec![la, add, st]));
    l1.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    // Stage 2: for j<50: O[j] = T[2j] (depth 2, II 1 → 2 + 49 + ovh).
    let lt = b.load(1, vec![aff(&[("j", 2)], 0)], t);
    let st2 = b.store(2, vec![aff(&[("j", 1)], 0)], &lt);
    let mut l2 = b.lp("j", 50, ops(vec![lt, st2]));
    l2.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    let mut f = func(
        "df",
        vec![array("A", t, &[100], ArrayKind::Param), array("T", t, &[100], ArrayKind::Local), array("O", t, &[50], ArrayKind::Param)],
        vec![Node::Loop(l1), Node::Loop(l2)],
    );
    f.directives.dataflow = Some(Loc::default());
    let e = est(&kernel(vec![f]));
    let s1 = 2 + 99 + ovh;
    let s2 = 2 + 49 + ovh;
    // Interval = slowest stage; one invocation = sum of the stages (+ function overhead).
    assert_eq!(e.qor.ii, Some(s1));
    assert_eq!(top_lat(&e), s1 + s2 + p.control.function_overhead);
}

fn nest(flatten_off: bool) -> Kernel {
    let mut b = B::new();
    let t = ScalarType::I32;
    // for i<10: for j<100: C[i][j] = A[i][j] * 3 — no pragmas: j (TC 100 > 64) is pipelined by
    // the Vitis default and the perfect nest is flattened.
    let la = b.load(0, vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 0)], t);
    let m = b.op(OpKind::Add, t, vec![Operand::Op(la.id), Operand::Int(3)]);
    let st = b.store(1, vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 0)], &m);
    let mut inner = b.lp("j", 100, ops(vec![la, m, st]));
    if flatten_off {
        inner.directives.flatten = Some(Toggle { off: true, loc: Loc::default() });
    }
    let outer = b.lp("i", 10, vec![Node::Loop(inner)]);
    kernel(vec![func("nest", vec![array("A", t, &[10, 100], ArrayKind::Local), array("C", t, &[10, 100], ArrayKind::Local)], vec![Node::Loop(outer)])])
}

#[test]
fn e_perfect_nest_flattening() {
    let p = prof();
    let c = &p.control;
    // Flattened: one pipeline of 10·100 iterations, depth 2, II 1.
    let e = est(&nest(false));
    assert_eq!(e.loops.len(), 1);
    assert!(e.loops[0].flattened && e.loops[0].pipelined);
    assert_eq!(e.loops[0].trip_count.max, Some(1000));
    assert_eq!(e.loops[0].latency.max, Some(2 + 999 + c.pipe_loop_overhead));
    // LOOP_FLATTEN off: the pipeline restarts 10 times inside a sequential outer loop.
    let e = est(&nest(true));
    let inner = 2 + 99 + c.pipe_loop_overhead;
    assert_eq!(e.loops.len(), 2);
    assert_eq!(e.loops[0].latency.max, Some(10 * (inner + c.seq_iter_overhead) + c.seq_loop_exit));
}

/// Merlin: `for i<8 { for j<16 { C[i][j] = A[i][j] + B[j] } }` with `PIPELINE flatten` on i
/// or `PARALLEL FACTOR=4` on j.
fn merlin(flatten_i: bool, par_j: Option<u32>) -> Kernel {
    let mut b = B::new();
    let t = ScalarType::I32;
    let la = b.load(0, vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 0)], t);
    let lb = b.load(1, vec![aff(&[("j", 1)], 0)], t);
    let add = b.op(OpKind::Add, t, vec![Operand::Op(la.id), Operand::Op(lb.id)]);
    let st = b.store(2, vec![aff(&[("i", 1)], 0), aff(&[("j", 1)], 0)], &add);
    let mut inner = b.lp("j", 16, ops(vec![la, lb, add, st]));
    if let Some(f) = par_j {
        inner.directives.unroll = Some(unroll(Some(f), Dialect::Accel));
        inner.directives.pipeline = Some(pipe(None, false, false, Dialect::Accel));
    }
    let mut outer = b.lp("i", 8, vec![Node::Loop(inner)]);
    outer.directives.pipeline = Some(pipe(None, !flatten_i, flatten_i, Dialect::Accel));
    let mut f = func(
        "kernel",
        vec![array("A", t, &[8, 16], ArrayKind::Param), array("B", t, &[16], ArrayKind::Param), array("C", t, &[8, 16], ArrayKind::Param)],
        vec![Node::Loop(outer)],
    );
    f.directives.merlin_kernel = true;
    kernel(vec![f])
}

#[test]
fn f_merlin_parallel_and_pipeline_flatten() {
    let p = prof();
    let c = &p.control;
    // Transfers: A and B read, C written: 512 B / 64 B = 8 beats, 64 B → 1 beat, 8 beats,
    // each plus the burst overhead.
    let xfer = (8 + p.merlin.burst_overhead) + (1 + p.merlin.burst_overhead) + (8 + p.merlin.burst_overhead);
    // PIPELINE flatten on i: j fully unrolled; Merlin partitions A, C dim 2 and B by 16 →
    // registers/banks of one word each → II 1 over 8 iterations. Depth: loads 1.2, add 1.4,
    // store → 2.
    let e = est(&merlin(true, None));
    assert_eq!(e.loops.len(), 1);
    assert_eq!(e.loops[0].ii, Some(1));
    assert_eq!(e.loops[0].latency.max, Some(2 + 7 + c.pipe_loop_overhead));
    assert_eq!(top_lat(&e), 2 + 7 + c.pipe_loop_overhead + c.function_overhead + xfer);
    // PARALLEL FACTOR=4 + PIPELINE on j, PIPELINE off on i: A, B, C cyclic 4 → II 1 over 4
    // iterations per i. Merlin's `off` leaves i to Vitis, which flattens the perfect nest:
    // one pipeline of 8 · 4 = 32 iterations.
    let e = est(&merlin(false, Some(4)));
    assert_eq!(e.loops.len(), 1);
    assert!(e.loops[0].flattened);
    assert_eq!((e.loops[0].ii, e.loops[0].latency.max), (Some(1), Some(2 + 31 + c.pipe_loop_overhead)));
    // With `off` read as "no pipelining of i at all": 8 sequential i iterations.
    let mut strict = p.clone();
    strict.merlin.off_keeps_tool_defaults = false;
    let e = estimate(&merlin(false, Some(4)), &strict, None).unwrap();
    assert_eq!(e.loops.len(), 2);
    let inner = 2 + 3 + c.pipe_loop_overhead;
    assert_eq!(e.loops[1].ii, Some(1));
    assert_eq!(e.loops[1].latency.max, Some(inner));
    assert_eq!(e.loops[0].latency.max, Some(8 * (inner + c.seq_iter_overhead) + c.seq_loop_exit));
    // The same with PARALLEL FACTOR=1 is 4× slower in the inner loop.
    let e1 = estimate(&merlin(false, Some(1)), &strict, None).unwrap();
    assert_eq!(e1.loops[1].latency.max, Some(2 + 15 + c.pipe_loop_overhead));
}

/// Merlin `PARALLEL FACTOR=2` on `i`, a loop holding the pipelined `j` loop. The shipped
/// profile runs the two copies side by side (jammed into `j`: `i` indexes A and C alone, so
/// each copy gets its own banks); with `partial_coarse_parallel = false` they run one after
/// another, each running `j`, as Vitis does for a partial unroll.
#[test]
fn h_merlin_partial_coarse_parallel() {
    let par_i = |k: &mut Kernel| {
        if let Node::Loop(l) = &mut k.functions[0].body.nodes[0] {
            l.directives.unroll = Some(unroll(Some(2), Dialect::Accel));
        }
    };
    let mut k = merlin(false, Some(4));
    par_i(&mut k);
    let mut p = prof();
    // The per-group buffer bursts (tests/parallel_refills.rs) are left out: the copies alone.
    p.merlin.parallel_refills = false;
    assert!(p.merlin.partial_coarse_parallel);
    let c = p.control.clone();
    let inner = 2 + 3 + c.pipe_loop_overhead;
    let e = estimate(&k, &p, None).unwrap();
    // Side by side: one j pipeline per outer iteration serves both copies (A and C are
    // partitioned on i as well, so II stays 1).
    assert_eq!(e.loops[1].ii, Some(1));
    assert_eq!(e.loops[0].latency.max, Some(4 * (e.loops[1].latency.max.unwrap() + c.seq_iter_overhead) + c.seq_loop_exit));
    assert!(e.loops[0].latency.max.unwrap() < 4 * (2 * inner + c.seq_iter_overhead) + c.seq_loop_exit);
    p.merlin.partial_coarse_parallel = false;
    let e = estimate(&k, &p, None).unwrap();
    // 4 outer iterations, each running the j pipeline twice.
    assert_eq!(e.loops[0].latency.max, Some(4 * (2 * inner + c.seq_iter_overhead) + c.seq_loop_exit));
}

/// The same PARALLEL FACTOR=2 on `i` over flattened arrays (`A[i*16 + j]`): Merlin cannot give
/// each copy its own banks, so the copies run one after another even with partial coarse
/// parallelism on. (The shipped profile goes further and refuses the copies, since `C`, which
/// they write, cannot be split per copy: tests/refused_parallel.rs; off here to isolate the rule.)
#[test]
fn i_merlin_copies_need_their_own_banks() {
    let mut b = B::new();
    let t = ScalarType::I32;
    let la = b.load(0, vec![aff(&[("i", 16), ("j", 1)], 0)], t);
    let add = b.op(OpKind::Add, t, vec![Operand::Op(la.id), Operand::Int(1)]);
    let st = b.store(1, vec![aff(&[("i", 16), ("j", 1)], 0)], &add);
    let mut inner = b.lp("j", 16, ops(vec![la, add, st]));
    inner.directives.pipeline = Some(pipe(None, false, false, Dialect::Accel));
    let mut outer = b.lp("i", 8, vec![Node::Loop(inner)]);
    outer.directives.unroll = Some(unroll(Some(2), Dialect::Accel));
    let mut f = func("kernel", vec![array("A", t, &[128], ArrayKind::Param), array("C", t, &[128], ArrayKind::Param)], vec![Node::Loop(outer)]);
    f.directives.merlin_kernel = true;
    let k = kernel(vec![f]);
    let mut p = prof();
    p.merlin.parallel_refills = false;
    assert!(p.merlin.partial_coarse_parallel);
    assert!(estimate(&k, &p, None).unwrap().notes.iter().any(|n| n.contains("refuses") && n.contains("`C`")));
    p.merlin.refuse_unsplittable_parallel = false;
    let e = estimate(&k, &p, None).unwrap();
    let (c, inner) = (&p.control, e.loops[1].latency.max.unwrap());
    assert_eq!(e.loops[0].latency.max, Some(4 * (2 * inner + c.seq_iter_overhead) + c.seq_loop_exit));
}

/// Merlin `TILE FACTOR=2` on `i` (8 iterations, 4 tiles) over `C[i][j] = A[i][j] + B[j]`: each
/// tile refills the buffers of A (read) and C (written), the arrays `i` indexes: per tile and
/// array a burst of 512 B · 2/8 = 128 B = 2 beats plus the set-up.
#[test]
fn j_merlin_tile_refills_buffers() {
    let mut k = merlin(false, Some(4));
    if let Node::Loop(l) = &mut k.functions[0].body.nodes[0] {
        l.directives.tile = Some(hlsseek_ir::TileDirective { factor: 2, loc: Loc::default() });
    }
    let mut p = prof();
    assert!(p.merlin.tile_buffers);
    let tiled = top_lat(&estimate(&k, &p, None).unwrap());
    p.merlin.tile_buffers = false;
    let plain = top_lat(&estimate(&k, &p, None).unwrap());
    assert_eq!(tiled - plain, 4 * 2 * (2 + p.merlin.burst_overhead));
}

#[test]
fn g_bram_counting() {
    let t = ScalarType::I32;
    let mut b = B::new();
    let ld = b.load(0, vec![aff(&[("i", 1)], 0)], t);
    let st = b.store(0, vec![aff(&[("i", 1)], 1)], &ld);
    let l = b.lp("i", 1000, ops(vec![ld, st]));
    let k = |a: Array| kernel(vec![func("m", vec![a], vec![Node::Loop(l.clone())])]);
    // 1024 × 32 bits: the 18×1024 shape needs 2 blocks (32 = 18 + 14), 36×512 needs 2 → 2.
    assert_eq!(est(&k(array("M", t, &[1024], ArrayKind::Local))).qor.resources.bram, 2);
    // Cyclic 4: 4 banks of 256 × 32 = 8 Kbit each → 1 block per bank (2 wide × 1 deep at 18×1024
    // would be 2; 36×512 is 1) → 4.
    let mut a = array("M", t, &[1024], ArrayKind::Local);
    a.partitions.push(cyclic(4));
    assert_eq!(est(&k(a)).qor.resources.bram, 4);
    // Complete partition: registers, no BRAM.
    let mut a = array("M", t, &[1024], ArrayKind::Local);
    a.partitions.push(PartitionDirective { kind: PartitionType::Complete, factor: None, dim: 1, reshape: false, loc: Loc::default() });
    assert_eq!(est(&k(a)).qor.resources.bram, 0);
    // 32 × 32 = 1024 bits: LUTRAM (auto_srl_max_bits), no BRAM.
    assert_eq!(est(&k(array("M", t, &[32], ArrayKind::Local))).qor.resources.bram, 0);
    // A small array stays in LUTRAM whole up to `lutram_max_array_bits` (64 × 32 = 2 Kbit);
    // 128 × 32 = 4 Kbit takes a block.
    assert_eq!(est(&k(array("M", t, &[64], ArrayKind::Local))).qor.resources.bram, 0);
    assert_eq!(est(&k(array("M", t, &[128], ArrayKind::Local))).qor.resources.bram, 1);
    // The banks of a large array keep the per-bank rule: cyclic 32 gives 32 banks of
    // 32 × 32 = 1 Kbit, LUTRAM; cyclic 16 gives 64-word banks (2 Kbit), one block each.
    let mut a = array("M", t, &[1024], ArrayKind::Local);
    a.partitions.push(cyclic(32));
    assert_eq!(est(&k(a)).qor.resources.bram, 0);
    let mut a = array("M", t, &[1024], ArrayKind::Local);
    a.partitions.push(cyclic(16));
    assert_eq!(est(&k(a)).qor.resources.bram, 16);
    // A top-level array argument lives outside (ap_memory).
    assert_eq!(est(&k(array("M", t, &[1024], ArrayKind::Param))).qor.resources.bram, 0);
}

#[test]
fn unknown_trip_count_is_undefined_with_a_note() {
    let mut b = B::new();
    let t = ScalarType::I32;
    let ld = b.load(0, vec![aff(&[("i", 1)], 0)], t);
    let mut l = b.lp("i", 1, ops(vec![ld]));
    l.trip = TripCount::unknown();
    let e = est(&kernel(vec![func("u", vec![array("M", t, &[64], ArrayKind::Param)], vec![Node::Loop(l)])]));
    assert_eq!(e.qor.latency.max, None);
    assert!(e.notes.iter().any(|n| n.contains("unknown trip count")));
}

/// callee `scale`: for k<10 (pipeline off): x[k] = x[k] * y  (int mul 0 cycles at 10 ns? no:
/// 6 ns combinational → load 1.2 + 6/7.3 = 2.03 → the store waits for cycle 2 → 3 cycles/iter).
fn scale_callee(b: &mut B) -> Function {
    let t = ScalarType::I32;
    let ld = b.load(0, vec![aff(&[("k", 1)], 0)], t);
    let m = b.op(OpKind::Mul, t, vec![Operand::Op(ld.id), Operand::Scalar("y".into())]);
    let st = b.store(0, vec![aff(&[("k", 1)], 0)], &m);
    let mut l = b.lp("k", 10, ops(vec![ld, m, st]));
    l.directives.pipeline = Some(pipe(None, true, false, Dialect::Hls));
    func("scale", vec![array("x", t, &[10], ArrayKind::Param)], vec![Node::Loop(l)])
}

/// A call of `scale` on the caller's first array.
fn call_scale() -> Node {
    Node::Call(Call { callee: "scale".into(), loc: Loc::default(), array_args: vec![(0, ArrayId(0))], free_running: false, const_args: vec![] })
}

#[test]
fn sequential_loop_and_call() {
    let p = prof();
    let c = &p.control;
    let t = ScalarType::I32;
    let mut b = B::new();
    let callee = scale_callee(&mut b);
    let top = func("top", vec![array("v", t, &[10], ArrayKind::Param)], vec![call_scale()]);
    let e = est(&kernel(vec![top, callee]));
    let iter = 3 + c.seq_iter_overhead;
    let callee_lat = 10 * iter + c.seq_loop_exit;
    assert_eq!(e.loops[0].iteration_latency, Some(iter));
    assert_eq!(top_lat(&e), callee_lat + c.call_overhead + c.function_overhead);
    assert_eq!(e.qor.ii, Some(top_lat(&e) + 1));
    // One 32-bit multiplier: 3 DSP.
    assert_eq!(e.qor.resources.dsp, 3);
}

/// A loop calling a function that is its own (sequential) module cannot start iterations
/// faster than the module takes calls: its II is at least the callee's latency + 1, pipelined or
/// not (aes's round loop calling `aes_subBytes`, whose loop kept it a module).
#[test]
fn pipelined_loop_waits_for_a_sequential_callee() {
    let p = prof();
    let c = &p.control;
    let t = ScalarType::I32;
    let mut b = B::new();
    let callee = scale_callee(&mut b);
    let mut outer = b.lp("r", 13, vec![call_scale()]);
    outer.directives.pipeline = Some(pipe(None, false, false, Dialect::Hls));
    let top = func("top", vec![array("v", t, &[10], ArrayKind::Param)], vec![Node::Loop(outer)]);
    let e = est(&kernel(vec![top, callee]));
    let callee_lat = 10 * (3 + c.seq_iter_overhead) + c.seq_loop_exit;
    let outer_report = e.loops.iter().find(|l| l.name == "L_r").expect("outer loop reported");
    assert!(outer_report.pipelined);
    assert_eq!(outer_report.ii, Some(callee_lat + 1), "{outer_report:?}");
    assert!(top_lat(&e) >= 13 * (callee_lat + 1));
}

/// A loop around an inlined callee that holds a loop is not innermost, so Vitis's default
/// pipelining passes it by (it was pipelined at II 1 around the callee's whole loop: Rosetta
/// digit-recognition 500× too fast); nor is a `DATAFLOW` loop, whose body is its stages.
#[test]
fn loops_around_inlined_loops_and_dataflow_loops_are_not_auto_pipelined() {
    let t = ScalarType::I32;
    for dataflow in [false, true] {
        let mut b = B::new();
        // `scale` under `INLINE`: its loop becomes the caller's.
        let mut callee = scale_callee(&mut b);
        callee.directives.inline = Some(InlineDirective { off: false, recursive: false, loc: Loc::default() });
        let mut outer = b.lp("r", 13, vec![call_scale()]);
        if dataflow {
            outer.directives.dataflow = Some(Loc::default());
        }
        let top = func("top", vec![array("v", t, &[10], ArrayKind::Param)], vec![Node::Loop(outer)]);
        let e = est(&kernel(vec![top, callee]));
        let outer_report = e.loops.iter().find(|l| l.name == "L_r").expect("outer loop reported");
        assert!(!outer_report.pipelined, "dataflow {dataflow}: {outer_report:?}");
        // Each of the 13 iterations (or stage intervals) waits for the callee's 10 iterations.
        assert!(top_lat(&e) >= 13 * 10 * 3, "dataflow {dataflow}: {}", top_lat(&e));
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    struct Shape {
        tcs: Vec<u64>,
        body_ops: Vec<(u8, u8)>,
        pipeline_inner: bool,
        partition: u32,
        float: bool,
        unroll: u32,
        reduction: bool,
    }

    fn shape() -> impl Strategy<Value = Shape> {
        (
            // Trip counts above every unroll factor: `UNROLL factor >= TC` would change the plan.
            prop::collection::vec(4u64..40, 1..4),
            prop::collection::vec((0u8..8, 0u8..8), 1..10),
            any::<bool>(),
            prop::sample::select(vec![1u32, 2, 4]),
            any::<bool>(),
            prop::sample::select(vec![1u32, 2, 3]),
            any::<bool>(),
        )
            .prop_map(|(tcs, body_ops, pipeline_inner, partition, float, unroll, reduction)| Shape { tcs, body_ops, pipeline_inner, partition, float, unroll, reduction })
    }

    /// A loop nest of the shape; every loop has an explicit PIPELINE or PIPELINE off, so what
    /// the tool does to it does not depend on trip counts.
    fn build(s: &Shape) -> Kernel {
        let mut b = B::new();
        let ty = if s.float { ScalarType::Float } else { ScalarType::I32 };
        let vars: Vec<String> = (0..s.tcs.len()).map(|d| format!("v{d}")).collect();
        let inner_var = vars.last().unwrap().clone();
        let mut body: Vec<Op> = Vec::new();
        let ld = b.load(0, vec![aff(&[(&inner_var, 1)], 0)], ty);
        body.push(ld);
        for &(k, src) in &s.body_ops {
            let a = body[(src as usize) % body.len()].id;
            let kind = match k % 4 {
                0 => OpKind::Add,
                1 => OpKind::Mul,
                2 => OpKind::Sub,
                _ => OpKind::Cmp,
            };
            let o = if k >= 6 {
                b.load(1, vec![aff(&[(&inner_var, 1)], k as i64)], ty)
            } else {
                b.op(kind, ty, vec![Operand::Op(a), Operand::Scalar("x".into())])
            };
            body.push(o);
        }
        let last = body.last().unwrap().clone();
        let acc = b.op(OpKind::Add, ty, vec![Operand::Op(last.id), Operand::Scalar("s".into())]);
        let acc_id = acc.id;
        body.push(acc.clone());
        body.push(b.store(2, vec![aff(&[(&inner_var, 1)], 0)], &acc));
        let mut l = b.lp(&inner_var, s.tcs[s.tcs.len() - 1], ops(body));
        if s.reduction {
            l.carried.push(CarriedDep { kind: DepKind::Reduction, variable: "s".into(), through_memory: false, distance: 1, ops: vec![acc_id] });
        }
        l.directives.pipeline = Some(pipe(None, !s.pipeline_inner, false, Dialect::Hls));
        if s.unroll > 1 {
            l.directives.unroll = Some(unroll(Some(s.unroll), Dialect::Hls));
        }
        for d in (0..s.tcs.len() - 1).rev() {
            let mut o = b.lp(&vars[d], s.tcs[d], vec![Node::Loop(l)]);
            o.directives.pipeline = Some(pipe(None, true, false, Dialect::Hls));
            l = o;
        }
        let mut arrays = vec![array("A", ty, &[128], ArrayKind::Local), array("B", ty, &[128], ArrayKind::Local), array("C", ty, &[128], ArrayKind::Local)];
        if s.partition > 1 {
            for a in &mut arrays {
                a.partitions.push(cyclic(s.partition));
            }
        }
        kernel(vec![func("p", arrays, vec![Node::Loop(l)])])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn latency_monotone_in_trip_count(s in shape(), which in 0usize..4) {
            let p = prof();
            let k = build(&s);
            let e1 = estimate(&k, &p, None).unwrap();
            let mut s2 = s.clone();
            let w = which % s2.tcs.len();
            s2.tcs[w] += 1;
            let e2 = estimate(&build(&s2), &p, None).unwrap();
            prop_assert!(e2.qor.latency.max.unwrap() >= e1.qor.latency.max.unwrap());
            prop_assert!(e2.qor.latency.min.unwrap() >= e1.qor.latency.min.unwrap());
            prop_assert!(e1.qor.latency.min <= e1.qor.latency.max);
        }

        #[test]
        fn deterministic(s in shape()) {
            let p = prof();
            let k = build(&s);
            prop_assert_eq!(estimate(&k, &p, None).unwrap(), estimate(&k, &p, None).unwrap());
        }
    }

    /// Arbitrary IR: random nodes, dangling operand ids, odd directives, unknown trips.
    fn any_region(depth: u32) -> BoxedStrategy<Vec<Node>> {
        let op = (0u8..30, 0u32..50, 0u32..5, any::<bool>(), -3i64..3).prop_map(|(k, id, arr, nonaff, c)| {
            let kinds = [
                OpKind::Add, OpKind::Sub, OpKind::Mul, OpKind::Div, OpKind::Rem, OpKind::Neg, OpKind::Shl, OpKind::Shr, OpKind::And,
                OpKind::Or, OpKind::Xor, OpKind::Not, OpKind::Cmp, OpKind::Select, OpKind::Min, OpKind::Max, OpKind::Abs,
                OpKind::Sqrt, OpKind::Exp, OpKind::Log, OpKind::Pow, OpKind::Trig, OpKind::Cast, OpKind::Load, OpKind::Store,
                OpKind::StreamRead, OpKind::StreamWrite, OpKind::Other("foo".into()), OpKind::Load, OpKind::Store,
            ];
            let tys = [ScalarType::I32, ScalarType::Float, ScalarType::Double, ScalarType::Half, ScalarType::Bool];
            let kind = kinds[k as usize % kinds.len()].clone();
            let access = matches!(kind, OpKind::Load | OpKind::Store | OpKind::StreamRead | OpKind::StreamWrite).then(|| Access {
                array: ArrayId(arr),
                index: vec![IndexExpr { terms: vec![("v0".into(), c), ("q".into(), 1)], constant: c, affine: !nonaff }],
            });
            Node::Op(Op { id: OpId(id), kind, ty: tys[id as usize % tys.len()], operands: vec![Operand::Op(OpId(id / 2)), Operand::Int(c)], access, bind: None, loc: Loc::default() })
        });
        if depth == 0 {
            return prop::collection::vec(op, 0..6).boxed();
        }
        let inner = any_region(depth - 1);
        let lp = (inner.clone(), 0u32..20, prop::option::of(0u64..300), 0u8..8, prop::option::of(0u32..9)).prop_map(|(body, id, tc, d, uf)| {
            let mut dirs = LoopDirectives::default();
            match d {
                1 => dirs.pipeline = Some(pipe(Some(2), false, false, Dialect::Hls)),
                2 => dirs.pipeline = Some(pipe(None, true, false, Dialect::Accel)),
                3 => dirs.pipeline = Some(pipe(None, false, true, Dialect::Accel)),
                4 => dirs.dataflow = Some(Loc::default()),
                5 => dirs.tile = Some(TileDirective { factor: 4, loc: Loc::default() }),
                6 => dirs.flatten = Some(Toggle { off: true, loc: Loc::default() }),
                _ => {}
            }
            if let Some(f) = uf {
                dirs.unroll = Some(UnrollDirective { factor: (f > 0).then_some(f), off: f == 8, reductions: vec![], dialect: Dialect::Accel, loc: Loc::default() });
            }
            Node::Loop(Loop {
                id: LoopId(id),
                label: None,
                var: Some(format!("v{}", id % 2)),
                loc: Loc::default(),
                trip: tc.map(TripCount::constant).unwrap_or_else(TripCount::unknown),
                body: Region { nodes: body },
                directives: dirs,
                carried: vec![CarriedDep { kind: DepKind::Reduction, variable: "s".into(), through_memory: id % 3 == 0, distance: id % 3, ops: vec![OpId(id), OpId(99)] }],
                outer_writes: if id % 2 == 0 { vec!["s".into()] } else { vec![] },
            })
        });
        let br = (inner.clone(), inner).prop_map(|(a, b)| Node::Branch(Branch { loc: Loc::default(), cond: Some(OpId(3)), then_region: Region { nodes: a }, else_region: Region { nodes: b } }));
        let call = prop::sample::select(vec!["g", "missing", "p"]).prop_map(|c| Node::Call(Call { callee: c.into(), loc: Loc::default(), array_args: vec![], free_running: false, const_args: vec![] }));
        prop::collection::vec(prop_oneof![4 => any_region(0).prop_map(|v| Node::Branch(Branch { loc: Loc::default(), cond: None, then_region: Region { nodes: v }, else_region: Region::default() })), 3 => lp, 1 => br, 1 => call], 0..4).boxed()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn never_panics(body in any_region(2), g in any_region(1), merlin in any::<bool>(), clock in 1.0f64..20.0) {
            let t = ScalarType::I32;
            let mut arrays = vec![array("A", t, &[16, 8], ArrayKind::Local), array("B", ScalarType::Float, &[3], ArrayKind::Param), array("S", t, &[1], ArrayKind::Stream { depth: None })];
            arrays[0].partitions.push(PartitionDirective { kind: PartitionType::Block, factor: Some(3), dim: 0, reshape: false, loc: Loc::default() });
            arrays.push(Array { dims: vec![None], ..array("P", t, &[1], ArrayKind::Param) });
            let mut top = func("p", arrays.clone(), body);
            top.directives.merlin_kernel = merlin;
            let gf = func("g", arrays, g);
            let k = kernel(vec![top, gf]);
            let e = estimate(&k, &prof(), Some(clock)).unwrap();
            prop_assert!(e.qor.latency.min.is_none() || e.qor.latency.max.is_none() || e.qor.latency.min <= e.qor.latency.max);
        }
    }
}
