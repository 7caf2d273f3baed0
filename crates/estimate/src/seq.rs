//! The function-level model: a non-pipelined body is an FSM that runs its blocks, loops and
//! calls one after another; loops are scheduled as pipelined (`depth + II·(TC−1)`), flattened
//! perfect nests, or sequential (`TC · iteration`); dataflow regions overlap their stages.
//! Also sums resources: shared units of the FSM, one module per pipelined loop and per call.
//! The FSM's straight-line blocks are scheduled and costed in [`fsm`], pipelines in
//! [`pipeline`].

use crate::flat::{Flat, FnEnv};
use crate::memory::{built_storage, partition_labels, plan_arrays, Binding};
use crate::model::{Lat, Res, Trip, UnitBag};
use crate::ops::operand_mux_lut;
use crate::plan::{callees, has_loops, merlin_partitions, plan_function, throughput_partitions, trip, unrolled_ops};
use crate::profile::{ControlRules, OpTable, Profile};
use crate::transfer;
use hlsseek_ir::{ArrayKind, Function, Kernel, LatencyDirective, Loc, Loop, Node, Region};
use hlsseek_qor::{LoopReport, MemoryReport, Storage};
use std::collections::{BTreeMap, HashMap, HashSet};

mod fsm;
mod pipeline;

/// What a caller needs to know about a function.
#[derive(Clone, Debug, Default)]
pub(crate) struct Summary {
    pub lat: Lat,
    /// Interval between starts when the function is pipelined or dataflow.
    pub ii: Option<u64>,
    pub res: Res,
    pub inline: bool,
    /// Straight-line logic that settles within one clock: no state of its own.
    pub combinational: bool,
}

impl Summary {
    /// Cycles between two calls of a function that is its own module: its II where pipelined
    /// or dataflow, else its latency + 1 (a sequential module takes the next call only once it
    /// has finished: the interval Vitis reports for it). An inlined function has none: its
    /// operations are scheduled in the caller.
    pub fn interval(&self) -> Option<u64> {
        if self.inline {
            return None;
        }
        self.ii.or(self.lat.hi.map(|l| l + 1))
    }
}

pub(crate) struct Ctx<'k> {
    pub kernel: &'k Kernel,
    pub prof: &'k Profile,
    pub table: OpTable,
    pub eff: f64,
    pub merlin: bool,
    pub summaries: HashMap<String, Summary>,
    pub notes: Vec<String>,
    pub reports: Vec<LoopReport>,
    /// Every array of every function, with the storage the model gave it.
    pub memories: Vec<MemoryReport>,
    /// Top-level arrays moved per group of PARALLEL copies rather than once for the kernel.
    pub refilled: Vec<u32>,
    /// File-scope arrays used by more than one function, by name and declaration: one memory
    /// in hardware (UG1399 "Global Variables": an internal RAM), so built once for the kernel
    /// (`Ctx::shared`) instead of in every function and call site that touches it.
    shared_keys: HashSet<(String, Loc)>,
    /// Their builds: the one with the most banks any user asked for, its report and cost.
    pub shared: BTreeMap<(String, Loc), (MemoryReport, Res)>,
    visiting: Vec<String>,
}

/// File-scope arrays (`Static`, one declaration) that more than one function uses.
fn shared_file_scope_arrays(kernel: &Kernel) -> HashSet<(String, Loc)> {
    let mut users: HashMap<(String, Loc), usize> = HashMap::new();
    for f in &kernel.functions {
        for a in f.arrays.iter().filter(|a| a.kind == ArrayKind::Static) {
            *users.entry((a.name.clone(), a.loc)).or_default() += 1;
        }
    }
    users.into_iter().filter(|(_, n)| *n > 1).map(|(k, _)| k).collect()
}

impl<'k> Ctx<'k> {
    pub(crate) fn new(kernel: &'k Kernel, prof: &'k Profile, period: f64) -> Ctx<'k> {
        let merlin = kernel.top_function().is_some_and(|f| f.directives.merlin_kernel)
            || kernel.pragmas.iter().any(|p| p.dialect == Some(hlsseek_ir::Dialect::Accel));
        Ctx {
            kernel,
            prof,
            table: OpTable::resolve(prof, period),
            eff: period * (1.0 - prof.clock.uncertainty_fraction),
            merlin,
            summaries: HashMap::new(),
            notes: Vec::new(),
            reports: Vec::new(),
            memories: Vec::new(),
            refilled: Vec::new(),
            shared_keys: shared_file_scope_arrays(kernel),
            shared: BTreeMap::new(),
            visiting: Vec::new(),
        }
    }

    fn note(&mut self, s: String) {
        if !self.notes.contains(&s) {
            self.notes.push(s);
        }
    }

    /// Summarise `f` (callees first). Returns the top-level interval for `is_top`.
    pub(crate) fn function(&mut self, f: &'k Function, is_top: bool) -> (Summary, Option<u64>) {
        self.visiting.push(f.name.clone());
        let calls = callees(&f.body);
        for &c in &calls {
            if self.summaries.contains_key(c) || self.visiting.iter().any(|v| v == c) {
                if self.visiting.iter().any(|v| v == c) {
                    self.note(format!("recursive call to {c} not modelled"));
                }
                continue;
            }
            match self.kernel.function(c) {
                Some(g) => {
                    let (s, _) = self.function(g, false);
                    self.summaries.insert(c.to_string(), s);
                }
                None => self.note(format!("call to {c}: function not in the kernel, counted as 0 cycles")),
            }
        }
        let looped_inline: HashSet<String> = calls
            .iter()
            .filter(|c| self.summaries.get(**c).is_some_and(|s| s.inline) && self.kernel.function(c).is_some_and(|g| has_loops(&g.body)))
            .map(|c| c.to_string())
            .collect();
        let plans = plan_function(f, self.prof, self.merlin, &looped_inline);
        for n in &plans.notes {
            self.note(n.clone());
        }
        let requests = if self.merlin { merlin_partitions(f, &plans, self.prof) } else { throughput_partitions(f, &plans, self.prof) };
        let mut storage_notes = Vec::new();
        let arrays = plan_arrays(f, is_top, self.merlin, &requests, self.prof, &mut storage_notes);
        for n in storage_notes {
            self.note(n);
        }
        let mut max_op = 0usize;
        max_ops(&f.body, &mut max_op);
        let env = FnEnv { f, plans, arrays, max_op };
        let (summary, interval, reports, notes) = {
            let flat = Flat::new(&env, self.prof, &self.table, &self.summaries, self.eff);
            let mut s = Seq { prof: self.prof, flat, pool: UnitBag::default(), pool_uses: UnitBag::default(), fsm_ports: HashMap::new(), modules: Res::default(), states: 0.0, loops: 0.0, reports: Vec::new(), notes: Vec::new(), jam: Vec::new(), merlin_top: self.merlin && is_top, refilled: Vec::new(), combinational: false };
            let (lat, interval) = s.function(f);
            if is_top {
                self.refilled = std::mem::take(&mut s.refilled);
            }
            let mut res = s.pool.cost();
            res.add(s.modules);
            let r = &self.prof.resources;
            for &(k, _, units) in &s.pool.items {
                let uses = s.pool_uses.items.iter().find(|e| e.0 == k).map_or(0.0, |e| e.2);
                res.lut += operand_mux_lut(k, uses, units, r.lut_per_mux_input);
            }
            res.lut += s.port_muxes(&s.fsm_ports);
            res.lut += s.states * r.lut_per_state + s.loops * r.lut_per_loop;
            res.ff += s.states * r.ff_per_state + s.loops * r.ff_per_loop;
            for (a, p) in f.arrays.iter().zip(&env.arrays) {
                let built = built_storage(a, p, self.prof);
                if built.storage == Storage::Unsized {
                    // A run-time size stops Vitis (SYNCHK-61, UG1399 "Arrays on the Interface");
                    // an extent the front-end could not evaluate is the model's own gap.
                    s.notes.push(format!("array {} in {}: size unknown (a run-time size, or an extent the front-end could not evaluate); its storage is not counted", a.name, f.name));
                }
                let report = MemoryReport {
                    name: a.name.clone(),
                    function: f.name.clone(),
                    storage: built.storage,
                    words: built.words,
                    width: a.elem.bits() as u64,
                    banks: p.banks,
                    partition: partition_labels(p),
                    resources: built.res.to_qor(),
                };
                let key = (a.name.clone(), a.loc);
                if self.shared_keys.contains(&key) {
                    let kept = self.shared.entry(key).or_insert_with(|| (report.clone(), built.res));
                    if p.banks > kept.0.banks {
                        *kept = (report, built.res);
                    }
                    continue;
                }
                res.add(built.res);
                self.memories.push(report);
            }
            let inline = !is_top
                && match &f.directives.inline {
                    Some(d) => !d.off,
                    None => !has_loops(&f.body) && unrolled_ops(&f.body, self.prof) <= self.prof.control.inline_max_ops,
                };
            let mut notes = s.notes;
            notes.append(&mut s.flat.notes);
            (Summary { lat, ii: interval, res, inline, combinational: s.combinational }, interval, s.reports, notes)
        };
        for n in notes {
            self.note(n);
        }
        for mut r in reports {
            r.path.insert(0, f.name.clone());
            self.reports.push(r);
        }
        self.visiting.pop();
        (summary, interval)
    }
}

fn contains_op(nodes: &[Node], id: u32) -> bool {
    nodes.iter().any(|n| match n {
        Node::Op(op) => op.id.0 == id,
        Node::Loop(l) => contains_op(&l.body.nodes, id),
        Node::Branch(b) => contains_op(&b.then_region.nodes, id) || contains_op(&b.else_region.nodes, id),
        Node::Call(_) => false,
    })
}

fn max_ops(r: &Region, m: &mut usize) {
    for n in &r.nodes {
        match n {
            Node::Op(op) => *m = (*m).max(op.id.0 as usize),
            Node::Loop(l) => max_ops(&l.body, m),
            Node::Branch(b) => {
                max_ops(&b.then_region, m);
                max_ops(&b.else_region, m);
            }
            Node::Call(_) => {}
        }
    }
}

struct Seq<'k, 'e> {
    prof: &'e Profile,
    flat: Flat<'k, 'e>,
    /// Units of the FSM, shared between its states.
    pool: UnitBag,
    /// Operations the pool's units do, over all states (each needs its operands routed in).
    pool_uses: UnitBag,
    /// Accesses of the FSM's states per (array, bank): they take turns on its ports.
    fsm_ports: HashMap<(u32, u64), (u64, u64)>,
    /// Sub-modules: pipelined loops and called functions.
    modules: Res,
    states: f64,
    loops: f64,
    reports: Vec<LoopReport>,
    notes: Vec<String>,
    /// Enclosing unrolled loops with carried dependences, by their binding.
    jam: Vec<(&'k Loop, usize)>,
    /// Merlin's top function: its array parameters are off chip, moved by bursts.
    merlin_top: bool,
    /// Top-level arrays refilled per group of coarse-grained PARALLEL copies.
    refilled: Vec<u32>,
    /// The function is combinational (see [`Summary::combinational`]).
    combinational: bool,
}

impl<'k, 'e> Seq<'k, 'e> {
    fn function(&mut self, f: &'k Function) -> (Lat, Option<u64>) {
        let (lat, ii) = if let Some(p) = f.directives.pipeline.as_ref().filter(|p| !p.off) {
            let (depth, ii) = self.pipelined_block(&f.body.nodes, p.ii.unwrap_or(1).max(1) as u64, 1, &[]);
            (self.unless_call_undefined(Lat::exact(depth)), Some(ii))
        } else if f.directives.dataflow.is_some() {
            self.dataflow(&f.body.nodes, &[])
        } else {
            // Straight-line code that settles within one clock, with no memory port to wait
            // for and no task to start, is a combinational function: no state, latency 0
            // (Vitis's `pointer_basic`; `function_instantiate` calls three such functions).
            let starts_tasks = f.body.nodes.iter().any(|n| matches!(n, Node::Call(c) if c.free_running));
            let lat = if f.body.nodes.iter().all(|n| self.is_flat(n)) {
                let (finish, pb) = self.block_schedule(&f.body.nodes);
                let comb = pb == 0 && finish < 1.0 && self.prof.control.min_block_cycles == 0 && !starts_tasks;
                let lat = Lat::exact(self.account_block(if comb { 0 } else { self.block_cycles(finish, pb) }, finish));
                self.unless_call_undefined(lat)
            } else {
                self.region(&f.body.nodes, 1, false, &[])
            };
            self.combinational = lat == Lat::exact(0) && !starts_tasks;
            (lat, None)
        };
        (self.latency_directive(lat, f.directives.latency.as_ref(), &format!("function {}", f.name)), ii)
    }

    /// `lat` of the block just scheduled, or undefined when it calls a function whose latency
    /// is undefined (the block's schedule counted that call as 0 cycles).
    fn unless_call_undefined(&self, lat: Lat) -> Lat {
        if self.flat.undefined_call {
            Lat { lo: None, hi: None }
        } else {
            lat
        }
    }

    /// `LATENCY min= max=` on a function or loop body: the tool pads a faster schedule up to
    /// `min` (UG1399); a slower one than `max` stays as it is, with a note (the tool warns).
    fn latency_directive(&mut self, lat: Lat, d: Option<&LatencyDirective>, what: &str) -> Lat {
        let Some(d) = d else { return lat };
        let floor = |x: Option<u64>| x.map(|v| v.max(d.min.unwrap_or(0) as u64));
        let lat = Lat { lo: floor(lat.lo), hi: floor(lat.hi) };
        if let (Some(max), Some(hi)) = (d.max, lat.hi) {
            if hi > max as u64 {
                self.notes.push(format!("{what}: latency {hi} exceeds LATENCY max={max}"));
            }
        }
        lat
    }

    fn is_flat(&self, n: &Node) -> bool {
        match n {
            Node::Op(_) => true,
            Node::Branch(b) => b.then_region.nodes.iter().chain(&b.else_region.nodes).all(|n| self.is_flat(n)),
            Node::Loop(l) => {
                let plan = self.flat.env.plans.get(l);
                plan.closed_form || (plan.full && l.body.nodes.iter().all(|n| self.is_flat(n)))
            }
            Node::Call(c) => self.flat.summaries.get(&c.callee).is_none_or(|s| s.inline),
        }
    }

    /// The registers holding the scalars `l` carries from one iteration to the next (one per
    /// copy of an enclosing unrolled context; the loop's own unrolled copies chain one value).
    /// Call after the body was scheduled and the loop's own binding popped.
    fn carried_registers(&mut self, l: &Loop) {
        self.modules.ff += self.flat.carried_scalar_bits(&l.carried) * self.copies_in_bindings();
    }

    fn copies_in_bindings(&self) -> f64 {
        self.flat.bindings.iter().map(|b| b.range as f64).product()
    }

    /// `copies` > 1: the nodes run that many times in sequence (copies made by unrolling an
    /// enclosing loop); `shared`: those copies reuse one set of hardware.
    fn region(&mut self, nodes: &'k [Node], copies: u64, shared: bool, path: &[String]) -> Lat {
        let mut total = Lat::exact(0);
        let mut i = 0;
        while i < nodes.len() {
            if self.is_flat(&nodes[i]) {
                let mut j = i;
                while j < nodes.len() && self.is_flat(&nodes[j]) {
                    j += 1;
                }
                let block = Lat::exact(self.block(&nodes[i..j]));
                total = total.plus(self.unless_call_undefined(block));
                i = j;
                continue;
            }
            let before = self.modules;
            // Sequential copies: inside the node, the unrolled variable is one unknown value.
            let saved = if copies > 1 { self.flat.bindings.last().copied() } else { None };
            if let (Some(b), Some(top)) = (saved, self.flat.bindings.last_mut()) {
                *top = Binding { uc: 1, range: 1, ..b };
            }
            let lat = match &nodes[i] {
                Node::Loop(l) => self.lp(l, path),
                Node::Branch(b) => {
                    let a = self.region(&b.then_region.nodes, 1, false, path);
                    let c = self.region(&b.else_region.nodes, 1, false, path);
                    self.states += 1.0;
                    a.either(c).plus_c(1)
                }
                Node::Call(c) => match self.flat.summaries.get(&c.callee) {
                    Some(s) => {
                        self.modules.add(s.res);
                        // A task's hardware is built; its caller does not wait for it. A
                        // combinational callee is logic on the caller's cycle.
                        if c.free_running || s.combinational {
                            Lat::exact(0)
                        } else {
                            s.lat.plus_c(self.prof.control.call_overhead)
                        }
                    }
                    None => Lat::exact(self.prof.control.call_overhead),
                },
                Node::Op(_) => unreachable!("ops are flat"),
            };
            if let (Some(b), Some(top)) = (saved, self.flat.bindings.last_mut()) {
                *top = b;
            }
            if copies > 1 {
                // Copies of a loop nest made by unrolling an enclosing loop run one after another.
                if !shared {
                    let extra = self.modules.minus(before);
                    self.modules.add(extra.scaled((copies - 1) as f64));
                }
                total = total.plus(lat.times(Trip::exact(copies)));
            } else {
                total = total.plus(lat);
            }
            i += 1;
        }
        total
    }

    fn push_binding(&mut self, l: &'k Loop, uc: i64, range: u64) -> bool {
        match &l.var {
            Some(v) => {
                self.flat.bindings.push(Binding { var: v.as_str(), uc, range });
                true
            }
            None => false,
        }
    }

    /// Copies of an unrolled loop that carries a dependence chain through its carried values.
    fn push_jam(&mut self, l: &'k Loop, pushed: bool, copies: u64) -> bool {
        if pushed && copies > 1 && !l.carried.is_empty() {
            self.jam.push((l, self.flat.bindings.len() - 1));
            true
        } else {
            false
        }
    }

    /// Extra depth of `nodes` from copies chained through a carried dependence of an enclosing
    /// unrolled loop (a tree where the reduction may be re-associated).
    fn jam_chain(&self, nodes: &[Node]) -> f64 {
        let mut total = 0.0;
        for &(l, bi) in &self.jam {
            let n = self.flat.bindings.get(bi).map(|b| b.range).unwrap_or(1);
            if n <= 1 {
                continue;
            }
            let mut chain = 0.0f64;
            for dep in &l.carried {
                if !dep.ops.iter().any(|id| contains_op(nodes, id.0)) {
                    continue;
                }
                let d = self.flat.dep_delay(dep);
                let c = if self.flat.tree_ok(l, dep) { (n as f64).log2().ceil() * d } else { (n - 1) as f64 * d / dep.distance.max(1) as f64 };
                chain = chain.max(c);
            }
            total += chain;
        }
        total
    }

    fn pop_binding(&mut self, pushed: bool) {
        if pushed {
            self.flat.bindings.pop();
        }
    }

    fn lp(&mut self, l: &'k Loop, path: &[String]) -> Lat {
        let plan = self.flat.env.plans.get(l).clone();
        let tc = trip(l, self.prof);
        let name = l.name();
        if tc.hi.is_none() {
            self.notes.push(format!("loop {name}: unknown trip count, latency undefined"));
        }
        if plan.full {
            let n = tc.hi.unwrap_or(1).max(1);
            if plan.parallel_copies {
                // Merlin: the copies of the nest run side by side (their loops see n copies,
                // chained where they update the same data).
                let pushed = self.push_binding(l, 0, n);
                let jammed = self.push_jam(l, pushed, n);
                let body = self.region(&l.body.nodes, 1, false, path);
                if jammed {
                    self.jam.pop();
                }
                self.pop_binding(pushed);
                return body;
            }
            // Fully unrolled but holding loops that stay: the copies run in sequence.
            let before = self.modules;
            let pushed = self.push_binding(l, 1, 1);
            let body = self.region(&l.body.nodes, 1, false, path);
            self.pop_binding(pushed);
            if !plan.shared_copies {
                let extra = self.modules.minus(before);
                self.modules.add(extra.scaled((n - 1) as f64));
            }
            return body.times(tc);
        }
        if plan.flatten_child || plan.pipelined {
            let mut chain: Vec<&'k Loop> = vec![l];
            let mut outer = Trip::exact(1);
            let mut cur = l;
            while self.flat.env.plans.get(cur).flatten_child {
                outer = outer.mul(trip(cur, self.prof));
                match cur.body.nodes.first() {
                    Some(Node::Loop(c)) => {
                        cur = c;
                        chain.push(c);
                    }
                    _ => break,
                }
            }
            let last = *chain.last().unwrap();
            if !self.flat.env.plans.get(last).pipelined {
                self.notes.push(format!("loop {name}: flatten chain does not end in a pipelined loop"));
            }
            let name = chain.iter().map(|c| c.name()).collect::<Vec<_>>().join("_");
            // Outer loops of the chain become counters of the pipeline: their variables are unknown.
            let mut pushed = Vec::new();
            for c in &chain[..chain.len() - 1] {
                pushed.push(self.push_binding(c, 1, 1));
            }
            let lat = self.pipelined_loop(last, outer, name, &chain[..chain.len() - 1], path);
            for p in pushed.into_iter().rev() {
                self.pop_binding(p);
            }
            return lat;
        }
        let idx = self.reports.len();
        self.reports.push(LoopReport::default());
        let mut sub = path.to_vec();
        sub.push(name.clone());
        let uf = plan.unroll.max(1);
        let pushed = self.push_binding(l, uf as i64, uf);
        let jammed = self.push_jam(l, pushed, uf);
        let copies = if plan.parallel_copies { 1 } else { uf };
        let body = if l.directives.dataflow.is_some() {
            let (lat, interval) = self.dataflow(&l.body.nodes, &sub);
            // Iterations overlap at the stage interval.
            if jammed {
                self.jam.pop();
            }
            self.pop_binding(pushed);
            let iters = tc.map(|n| n.div_ceil(uf));
            let int = interval.unwrap_or(lat.hi.unwrap_or(0));
            let total = Lat { lo: iters.lo.map(|n| n.saturating_sub(1) * int), hi: iters.hi.map(|n| n.saturating_sub(1) * int) }.plus(lat);
            self.loops += 1.0;
            self.reports[idx] = LoopReport {
                name,
                path: path.to_vec(),
                trip_count: tc.to_qor(),
                latency: total.to_qor(),
                iteration_latency: lat.hi,
                ii: interval,
                pipelined: false,
                unroll: uf,
                flattened: false,
            };
            return total;
        } else {
            self.region(&l.body.nodes, copies, plan.shared_copies, &sub)
        };
        self.pop_binding(pushed);
        if jammed {
            self.jam.pop();
        }
        self.carried_registers(l);
        let body = self.latency_directive(body, l.directives.latency.as_ref(), &format!("loop {name}"));
        let c = &self.prof.control;
        let iter = sequential_iteration(body, c);
        let iters = tc.map(|n| whole_groups(n, uf, plan.remainder));
        let mut total = iter.times(iters).plus_c(c.seq_loop_exit);
        if plan.remainder > 0 {
            total = total.plus(self.remainder_loop(l, plan.remainder, &sub));
        }
        if plan.tile > 1 {
            let per_tile = c.seq_loop_exit + self.tile_bursts(l, plan.tile, tc.hi);
            total = total.plus(Lat::exact(per_tile).times(tc.map(|n| n.div_ceil(plan.tile))));
        }
        if plan.group_refills && self.merlin_top {
            // Each group of copies bursts its slices in before it runs and out after: the
            // arrays move per group (and per iteration of any enclosing loop), not once.
            let per_group = transfer::group_bursts(self.flat.env.f, self.prof, l, uf, tc.hi);
            total = total.plus(Lat::exact(per_group).times(iters));
            if let Some(var) = l.var.as_deref() {
                for a in transfer::param_arrays(self.flat.env.f, &l.body, var) {
                    if !self.refilled.contains(&a) {
                        self.refilled.push(a);
                    }
                }
            }
        }
        self.loops += 1.0;
        self.states += 1.0;
        self.reports[idx] = LoopReport {
            name,
            path: path.to_vec(),
            trip_count: tc.to_qor(),
            latency: total.to_qor(),
            iteration_latency: iter.hi,
            ii: None,
            pipelined: false,
            unroll: uf,
            flattened: false,
        };
        total
    }

    /// The copy of a partially unrolled loop that runs the `left` iterations its factor leaves
    /// over, without the unrolling or Merlin's pipelining: Vitis's default pipelines it where it
    /// is innermost; otherwise its iterations run in sequence. Its loops are not reported again.
    fn remainder_loop(&mut self, l: &'k Loop, left: u64, path: &[String]) -> Lat {
        let reports = self.reports.len();
        let pushed = self.push_binding(l, 1, 1);
        let lat = if has_loops(&l.body) {
            let body = self.region(&l.body.nodes, 1, false, path);
            let c = &self.prof.control;
            sequential_iteration(body, c).times(Trip::exact(left)).plus_c(c.seq_loop_exit)
        } else {
            let (depth, ii) = self.pipelined_block(&l.body.nodes, 1, 1, &l.carried);
            self.unless_call_undefined(Lat::exact(pipeline_cycles(depth, ii, left, self.prof.control.pipe_loop_overhead)))
        };
        self.pop_binding(pushed);
        self.reports.truncate(reports);
        self.loops += 1.0;
        self.notes.push(format!(
            "loop {}: the factor {} does not divide the trip count: {left} iterations run afterwards, one at a time",
            l.name(),
            self.flat.env.plans.get(l).unroll
        ));
        lat
    }

    /// Dataflow: each loop, call or block of operations is a stage; stages overlap across
    /// invocations, so the interval is the slowest stage and one invocation takes the sum
    /// (ScaleHLS's model, hls-facts §How analytical...).
    fn dataflow(&mut self, nodes: &'k [Node], path: &[String]) -> (Lat, Option<u64>) {
        let mut total = Lat::exact(0);
        let mut interval: Option<u64> = Some(1);
        let mut i = 0;
        while i < nodes.len() {
            let mut j = i + 1;
            if self.is_flat(&nodes[i]) {
                while j < nodes.len() && self.is_flat(&nodes[j]) {
                    j += 1;
                }
            }
            let lat = self.region(&nodes[i..j], 1, false, path);
            // A pipelined-function stage starts again after its own II.
            let stage_int = match &nodes[i] {
                Node::Call(c) if j == i + 1 => self.flat.summaries.get(&c.callee).and_then(|s| s.ii).or(lat.hi),
                _ => lat.hi,
            };
            interval = match (interval, stage_int) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
            total = total.plus(lat);
            i = j;
        }
        (total, interval)
    }
}

impl<'k, 'e> Seq<'k, 'e> {
    /// Per-tile refills of a Merlin `TILE` in the top function ([`transfer::tile_bursts`]).
    fn tile_bursts(&self, l: &Loop, tile: u64, trip: Option<u64>) -> u64 {
        if !self.merlin_top {
            return 0;
        }
        transfer::tile_bursts(self.flat.env.f, self.prof, l, tile, trip)
    }
}

/// One iteration of a loop run in sequence: its body plus the iteration's state, at least a cycle.
fn sequential_iteration(body: Lat, c: &ControlRules) -> Lat {
    body.plus_c(c.seq_iter_overhead).max(Lat::exact(1))
}

/// Cycles of a pipeline of `n` iterations: fill (`depth`), one `ii` per further iteration, and
/// the pipelined module's overhead.
fn pipeline_cycles(depth: u64, ii: u64, n: u64, overhead: u64) -> u64 {
    if n == 0 {
        overhead
    } else {
        depth + ii * (n - 1) + overhead
    }
}

/// Iterations of a loop unrolled by `uf`: whole groups only where the `remainder` runs apart.
fn whole_groups(n: u64, uf: u64, remainder: u64) -> u64 {
    if remainder > 0 {
        n / uf
    } else {
        n.div_ceil(uf)
    }
}
