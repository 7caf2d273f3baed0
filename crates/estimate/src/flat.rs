//! The straight-line scheduler: ASAP scheduling with operator chaining of a region whose loops
//! are all fully unrolled (a pipelined loop body, an unrolled body, a block of a non-pipelined
//! FSM). Unrolled copies are not materialised: a fully unrolled loop is scheduled once and its
//! copies are accounted for analytically (independent copies run side by side; a carried
//! dependence chains them). It also gathers port pressure per bank and operator instances.

use crate::memory::{address_adders, ArrayPlan, Binding, PortAcc};
use crate::model::{Res, UnitBag};
use crate::ops::{bound_cost, classify, OpImpl, OpKey};
use crate::plan::{trip, Plans};
use crate::profile::{OpClass, OpTable, Profile};
use crate::unrolled;
use crate::Summary;
use hlsseek_ir::{DepKind, Function, Loop, Node, Operand, TypeClass};
use std::collections::HashMap;

/// Everything the scheduler reads about one function.
pub(crate) struct FnEnv<'k> {
    pub f: &'k Function,
    pub plans: Plans,
    pub arrays: Vec<ArrayPlan>,
    /// Op id → slot in the scratch tables.
    pub max_op: usize,
}

/// Scheduler state reused across the blocks of one function.
pub(crate) struct Flat<'k, 'e> {
    pub env: &'e FnEnv<'k>,
    pub prof: &'e Profile,
    pub table: &'e OpTable,
    pub summaries: &'e HashMap<String, Summary>,
    /// Schedulable part of the clock period, ns.
    pub eff: f64,
    pub bindings: Vec<Binding<'k>>,
    ready: Vec<f64>,
    /// Each op's (cycles, chained delay in cycles): what [`finish_time`] needs to replay it.
    oplat: Vec<(u32, f64)>,
    is_mem: Vec<bool>,
    /// Per op: its result width (what a register holding it costs).
    op_bits: Vec<u32>,
    /// Per op: its values in sample copies when each unrolled copy knows it at compile time.
    copy_const: Vec<Option<unrolled::Samples>>,
    scalar_ready: Vec<(&'k str, f64)>,
    array_ready: Vec<f64>,
    pub ports: PortAcc,
    pub units: UnitBag,
    /// Per unit kind, the cycle each operation starts in (with its copies): how many a
    /// straight-line schedule needs at once.
    pub starts: Vec<(OpKey, u64, u64, f64)>,
    /// Resources of callees instantiated inside the block.
    pub callee_res: Res,
    /// Result bits held in pipeline registers (bits × stages, weighted by copies).
    pub reg_bits: f64,
    /// Largest interval a called function imposes on a pipeline around the call.
    pub call_ii: u64,
    /// A call in the block has an undefined latency, so the block's is undefined too.
    pub undefined_call: bool,
    /// Multiplexer bits for dynamic-bank reads of partitioned arrays.
    pub mux_bits: f64,
    pub notes: Vec<String>,
    seen: Vec<(u32, u64, bool)>,
}

impl<'k, 'e> Flat<'k, 'e> {
    pub(crate) fn new(env: &'e FnEnv<'k>, prof: &'e Profile, table: &'e OpTable, summaries: &'e HashMap<String, Summary>, eff: f64) -> Self {
        Flat {
            env,
            prof,
            table,
            summaries,
            eff,
            bindings: Vec::new(),
            ready: vec![0.0; env.max_op + 1],
            oplat: vec![(0, 0.0); env.max_op + 1],
            is_mem: vec![false; env.max_op + 1],
            op_bits: vec![0; env.max_op + 1],
            copy_const: vec![None; env.max_op + 1],
            scalar_ready: Vec::new(),
            array_ready: vec![0.0; env.f.arrays.len()],
            ports: PortAcc::default(),
            units: UnitBag::default(),
            starts: Vec::new(),
            callee_res: Res::default(),
            reg_bits: 0.0,
            call_ii: 1,
            undefined_call: false,
            mux_bits: 0.0,
            notes: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// Start a new block: forget times and tallies (bindings stay).
    pub(crate) fn reset(&mut self) {
        self.ready.iter_mut().for_each(|t| *t = 0.0);
        self.copy_const.iter_mut().for_each(|c| *c = None);
        self.scalar_ready.clear();
        self.array_ready.iter_mut().for_each(|t| *t = 0.0);
        self.ports.clear();
        self.seen.clear();
        self.units.clear();
        self.starts.clear();
        self.callee_res = Res::default();
        self.reg_bits = 0.0;
        self.call_ii = 1;
        self.mux_bits = 0.0;
        self.undefined_call = false;
    }

    fn slot(&self, id: u32) -> usize {
        (id as usize).min(self.env.max_op)
    }

    fn scalar_time(&self, name: &str) -> f64 {
        self.scalar_ready.iter().rev().find(|(n, _)| *n == name).map(|(_, t)| *t).unwrap_or(0.0)
    }

    /// Schedule `nodes` (copies = how many times the enclosing unrolled context replicates
    /// them); returns the finish time in cycles (fractional: chained logic inside a cycle).
    pub(crate) fn walk(&mut self, nodes: &'k [Node], copies: f64) -> f64 {
        let mut end = 0.0f64;
        for node in nodes {
            let t = match node {
                Node::Op(op) => self.op(op, copies),
                Node::Branch(b) => {
                    // Predicated: both sides are built and run side by side, but their memory
                    // accesses exclude each other.
                    let outer = std::mem::take(&mut self.ports);
                    let a = self.walk(&b.then_region.nodes, copies);
                    let then_ports = std::mem::take(&mut self.ports);
                    let c = self.walk(&b.else_region.nodes, copies);
                    let else_ports = std::mem::replace(&mut self.ports, outer);
                    self.ports.add_exclusive(then_ports, else_ports);
                    a.max(c)
                }
                Node::Loop(l) => self.unrolled_loop(l, copies),
                Node::Call(c) => {
                    let start = end.ceil();
                    match self.summaries.get(&c.callee) {
                        Some(s) => {
                            self.callee_res.add(s.res.scaled(copies));
                            if let Some(ii) = s.interval() {
                                self.call_ii = self.call_ii.max(ii);
                            }
                            // A task (free-running) is not waited for.
                            if c.free_running {
                                start
                            } else {
                                // A callee whose latency is undefined (a loop of unknown trip
                                // count) leaves the block's undefined too.
                                self.undefined_call |= s.lat.hi.is_none();
                                start + s.lat.hi.unwrap_or(0) as f64
                            }
                        }
                        None => start,
                    }
                }
            };
            end = end.max(t);
        }
        end
    }

    fn op(&mut self, op: &'k hlsseek_ir::Op, copies: f64) -> f64 {
        let slot = self.slot(op.id.0);
        let operands: Vec<Option<unrolled::Samples>> =
            op.operands.iter().map(|o| unrolled::of_operand(o, &self.bindings, |id| self.copy_const[self.slot(id)].clone())).collect();
        self.copy_const[slot] = None;
        // The operation as its unrolled copies see it: operands each copy knows at compile
        // time replaced by a representative literal.
        let mut view = None;
        if op.operands.iter().zip(&operands).any(|(o, s)| unrolled::varies(o, s)) {
            let known: Option<Vec<unrolled::Samples>> = operands.iter().cloned().collect();
            if let Some(values) = known.and_then(|k| unrolled::evaluate(op, &k)) {
                // Computed by the tool in each copy: no hardware, ready at once.
                self.copy_const[slot] = Some(values);
                self.ready[slot] = 0.0;
                self.oplat[slot] = (0, 0.0);
                self.is_mem[slot] = false;
                return 0.0;
            }
            let mut v = op.clone();
            for (o, s) in v.operands.iter_mut().zip(&operands) {
                if let Some(s) = s {
                    *o = unrolled::representative(s);
                }
            }
            view = Some(v);
        }
        let key = classify(view.as_ref().unwrap_or(op));
        let mut cost = bound_cost(op, key, self.table.get(key.class, key.tc, key.bits), self.prof);
        let mut start = 0.0f64;
        for o in &op.operands {
            match o {
                Operand::Op(id) => start = start.max(self.ready[self.slot(id.0)]),
                Operand::Scalar(s) => start = start.max(self.scalar_time(s)),
                _ => {}
            }
        }
        let mut plan = None;
        if let Some(acc) = &op.access {
            if let Some(p) = self.env.arrays.get(acc.array.0 as usize) {
                plan = Some(p);
                if p.registers && matches!(key.class, OpClass::Load | OpClass::Store) {
                    // Registers: a read is a multiplexer, a write a register enable.
                    cost.lat = 0;
                    cost.delay_ns = if key.class == OpClass::Load { 0.8 } else { 0.2 };
                }
                if p.wire {
                    // A scalar port: the value is on a wire.
                    cost.lat = 0;
                    cost.delay_ns = 0.0;
                }
                if key.class == OpClass::Load {
                    start = start.max(self.array_ready[acc.array.0 as usize]);
                    if let (false, Some(l)) = (p.registers, p.storage.read_latency) {
                        cost.lat = l;
                    }
                }
            }
        }
        let unit = cost.delay_ns / self.eff;
        let finish = finish_time(start, cost.lat, unit);
        self.ready[slot] = finish;
        self.oplat[slot] = (cost.lat, unit);
        self.is_mem[slot] = matches!(key.class, OpClass::Load | OpClass::Store);
        self.op_bits[slot] = key.bits;
        if let (Some(acc), Some(p)) = (&op.access, plan.filter(|p| !p.wire)) {
            let write = key.class == OpClass::Store;
            if write {
                let a = &mut self.array_ready[acc.array.0 as usize];
                *a = a.max(finish);
            }
            // The same address read (or written) twice in one block is one access: the tool
            // reuses the value (and merges the writes).
            let h = {
                use std::hash::{Hash, Hasher};
                let mut h = std::collections::hash_map::DefaultHasher::new();
                acc.index.hash(&mut h);
                h.finish()
            };
            let akey = (acc.array.0, h, write);
            if !self.seen.contains(&akey) {
                self.seen.push(akey);
                self.ports.record(acc, write, p, &self.bindings, op.id.0 as u64);
                if !p.registers {
                    // Each distinct address is computed: one adder per extra summand.
                    let (adders, bits) = address_adders(acc, &self.env.f.arrays[acc.array.0 as usize]);
                    if adders > 0 {
                        let akey = OpKey { class: OpClass::Add, tc: TypeClass::Int, bits, imp: OpImpl::Auto };
                        self.units.add(akey, self.table.get(OpClass::Add, TypeClass::Int, bits), adders as f64 * copies);
                    }
                }
            }
            if !write && p.banks > 1 && !p.registers {
                self.mux_bits += key.bits as f64 * p.banks as f64 * copies;
            }
        }
        if !matches!(key.class, OpClass::Load | OpClass::Store | OpClass::Free) {
            self.units.add(key, cost, copies);
            // A bit-serial core is busy for its whole latency; others take a new operation each cycle.
            let busy = if cost.iterative { u64::from(cost.lat.max(1)) } else { 1 };
            self.starts.push((key, start.max(0.0).floor() as u64, busy, copies));
        }
        let stages = if cost.lat == 0 {
            self.prof.resources.ff_comb_fraction
        } else if cost.iterative {
            1.0
        } else {
            cost.lat as f64
        };
        self.reg_bits += key.bits as f64 * stages * copies;
        if matches!(key.class, OpClass::Other) {
            if let hlsseek_ir::OpKind::Other(n) = &op.kind {
                if !self.notes.iter().any(|x| x.ends_with(n.as_str())) {
                    self.notes.push(format!("unmodelled library call timed as one cycle: {n}"));
                }
            }
        }
        finish
    }

    /// Bits of the registers that carry scalars from one iteration to the next: one register
    /// per carried variable, as wide as the widest operation on its cycle.
    pub(crate) fn carried_scalar_bits(&self, carried: &[hlsseek_ir::CarriedDep]) -> f64 {
        let mut vars: Vec<(&str, u32)> = Vec::new();
        for dep in carried.iter().filter(|d| !d.through_memory) {
            let bits = dep.ops.iter().map(|id| self.op_bits[self.slot(id.0)]).max().unwrap_or(0);
            match vars.iter_mut().find(|v| v.0 == dep.variable.as_str()) {
                Some(v) => v.1 = v.1.max(bits),
                None => vars.push((dep.variable.as_str(), bits)),
            }
        }
        vars.iter().map(|v| f64::from(v.1)).sum()
    }

    /// Recurrence delay of a carried dependence, in cycles (the ops must have been scheduled).
    pub(crate) fn dep_delay(&self, dep: &hlsseek_ir::CarriedDep) -> f64 {
        // A reduction onto one memory word is kept in a register by the tool: only its
        // arithmetic stays on the cycle.
        let forward = dep.through_memory && dep.kind == DepKind::Reduction && self.prof.control.forward_memory_reductions;
        // Replayed with the scheduler's own timing, so logic chained into a register's
        // cycle (a store's, a multi-cycle unit's first) is not counted twice. A registered
        // unit's output delay is left out: on the cycle its result goes straight back to a
        // register, not into more logic.
        dep.ops
            .iter()
            .filter(|id| !(forward && self.is_mem[self.slot(id.0)]))
            .fold(0.0, |t, id| {
                let (lat, unit) = self.oplat[self.slot(id.0)];
                finish_time(t, lat, if lat > 0 { 0.0 } else { unit })
            })
    }

    /// Whether a dependence may be re-associated into a tree (Merlin `reduction=`, integer
    /// reductions Vitis balances, floats only with unsafe math).
    pub(crate) fn tree_ok(&self, l: &Loop, dep: &hlsseek_ir::CarriedDep) -> bool {
        if dep.kind != DepKind::Reduction {
            return false;
        }
        if self.env.plans.get(l).tree_reduction || self.prof.control.float_tree_reduction {
            return true;
        }
        // Merlin `reduction=x` on a loop inside also rewrites the reduction of x.
        let mut named = false;
        l.body.visit_loops(&mut |c| named |= c.directives.unroll.as_ref().is_some_and(|u| u.reductions.contains(&dep.variable)));
        if named {
            return true;
        }
        !dep.ops.iter().any(|id| self.op_is_float(id.0))
    }

    fn op_is_float(&self, id: u32) -> bool {
        fn find(nodes: &[Node], id: u32) -> Option<TypeClass> {
            for n in nodes {
                match n {
                    Node::Op(op) if op.id.0 == id => return Some(op.ty.class()),
                    Node::Loop(l) => {
                        if let Some(t) = find(&l.body.nodes, id) {
                            return Some(t);
                        }
                    }
                    Node::Branch(b) => {
                        if let Some(t) = find(&b.then_region.nodes, id).or_else(|| find(&b.else_region.nodes, id)) {
                            return Some(t);
                        }
                    }
                    _ => {}
                }
            }
            None
        }
        find(&self.env.f.body.nodes, id).is_some_and(|t| t != TypeClass::Int)
    }

    fn unrolled_loop(&mut self, l: &'k Loop, copies: f64) -> f64 {
        if self.env.plans.get(l).closed_form {
            return 0.0;
        }
        let n = trip(l, self.prof).hi.unwrap_or(1).max(1);
        if trip(l, self.prof).hi.is_none() {
            self.notes.push(format!("loop {} has an unknown trip count inside an unrolled region: counted once", l.name()));
        }
        if let Some(v) = &l.var {
            self.bindings.push(Binding { var: v.as_str(), uc: 0, range: n });
        }
        let body = self.walk(&l.body.nodes, copies * n as f64);
        if l.var.is_some() {
            self.bindings.pop();
        }
        let mut chain = 0.0f64;
        for dep in &l.carried {
            let d = self.dep_delay(dep);
            let c = if self.tree_ok(l, dep) {
                (n as f64).log2().ceil() * d
            } else {
                (n.saturating_sub(1)) as f64 * d / dep.distance.max(1) as f64
            };
            chain = chain.max(c);
        }
        let finish = body + chain;
        for dep in &l.carried {
            self.scalar_ready.push((dep.variable.as_str(), finish));
            if dep.through_memory {
                if let Some(i) = self.env.f.arrays.iter().position(|a| a.name == dep.variable) {
                    self.array_ready[i] = self.array_ready[i].max(finish);
                }
            }
        }
        finish
    }
}

/// When an operation whose inputs are ready at `start` (cycles, fractional inside a cycle)
/// delivers its result: combinational logic (`lat` 0) chains into the current cycle while it
/// fits and starts the next one otherwise; a registered unit starts in the current cycle and
/// is done `lat` cycles later, plus its output delay.
fn finish_time(start: f64, lat: u32, unit: f64) -> f64 {
    if lat == 0 {
        if unit >= 1.0 {
            start.ceil() + unit
        } else {
            let s = if start.fract() + unit > 1.0 + 1e-9 { start.ceil() } else { start };
            s + unit
        }
    } else {
        start.floor() + lat as f64 + unit.min(0.9)
    }
}
