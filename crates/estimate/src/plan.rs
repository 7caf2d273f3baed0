//! Loop transformation plan of one function: what the tool will do to each loop (pipeline,
//! unroll, flatten, tile) from its pragmas and the Vitis / Merlin defaults, before any
//! scheduling. Also derives Merlin's array partitioning for `PARALLEL`.

use crate::memory::PartitionRequest;
use crate::model::Trip;
use crate::profile::Profile;
use hlsseek_ir::{ArrayKind, Dialect, Function, IndexExpr, Loop, LoopDirectives, Node, Region};
use std::collections::{HashMap, HashSet};

#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct LoopPlan {
    pub pipelined: bool,
    pub target_ii: u64,
    /// Unroll factor (1 = not unrolled); ignored when `full`.
    pub unroll: u64,
    /// Fully unrolled: merged into the enclosing schedule.
    pub full: bool,
    /// Merged with its only child loop (perfect nest flattening); the chain ends at a pipelined loop.
    pub flatten_child: bool,
    /// Merlin `TILE FACTOR` (strip-mining), 0/1 = none.
    pub tile: u64,
    /// Merlin coarse-grained `PARALLEL`: copies of a loop nest run side by side.
    pub parallel_copies: bool,
    /// Merlin `reduction=`: the reduction is rewritten into a tree.
    pub tree_reduction: bool,
    pub auto_pipelined: bool,
    /// Iterations left over by a partial `PARALLEL` whose factor does not divide the trip
    /// count; Merlin runs them after the unrolled loop in a copy of it without the pragma.
    pub remainder: u64,
    /// Merlin `PARALLEL` on a loop holding loops whose copies run one after another (not side
    /// by side): one instance of the inner loops' hardware serves every copy
    /// (`merlin.sequential_copies_share`).
    pub shared_copies: bool,
    /// Merlin coarse-grained `PARALLEL` (a partial factor on a loop holding loops whose
    /// iterations carry no dependence): every group of copies gets its own buffers of the
    /// top-level arrays the loop's variable indexes, filled and written back by bursts inside
    /// the loop (`merlin.parallel_refills`).
    pub group_refills: bool,
    /// The loop only steps scalars by constants: the compiler computes their exit values in
    /// closed form and deletes the loop (LLVM's IndVarSimplify + LoopDeletion).
    pub closed_form: bool,
}

#[derive(Default)]
pub(crate) struct Plans {
    pub loops: HashMap<u32, LoopPlan>,
    pub notes: Vec<String>,
}

impl Plans {
    pub(crate) fn get(&self, l: &Loop) -> &LoopPlan {
        static DEFAULT: LoopPlan = LoopPlan {
            pipelined: false,
            target_ii: 1,
            unroll: 1,
            full: false,
            flatten_child: false,
            tile: 0,
            parallel_copies: false,
            tree_reduction: false,
            auto_pipelined: false,
            remainder: 0,
            shared_copies: false,
            group_refills: false,
            closed_form: false,
        };
        self.loops.get(&l.id.0).unwrap_or(&DEFAULT)
    }
}

/// Whether every operation of the loop adds a constant to, or subtracts one from, a scalar the
/// loop carries (`count++` 256 times): nothing else is computed, stored or called.
fn only_steps_scalars(l: &Loop) -> bool {
    let carried = |v: &str| l.carried.iter().any(|d| !d.through_memory && d.variable == v);
    !l.body.nodes.is_empty()
        && l.body.nodes.iter().all(|n| match n {
            Node::Op(op) => {
                op.access.is_none()
                    && matches!(op.kind, hlsseek_ir::OpKind::Add | hlsseek_ir::OpKind::Sub)
                    && matches!(&op.operands[..], [hlsseek_ir::Operand::Scalar(v), hlsseek_ir::Operand::Int(_)] if carried(v))
            }
            _ => false,
        })
}

/// Trip count of a loop: the front-end's bounds, else `LOOP_TRIPCOUNT`, else the profile's
/// assumption (0 = undefined).
pub(crate) fn trip(l: &Loop, prof: &Profile) -> Trip {
    let t = &l.trip;
    let mut lo = t.min.or(t.max);
    let mut hi = t.max.or(t.min);
    if hi.is_none() {
        if let Some(tc) = &l.directives.tripcount {
            hi = tc.max.or(tc.avg).or(tc.min);
            lo = tc.min.or(tc.avg).or(tc.max);
        }
    }
    if hi.is_none() && prof.control.assume_trip_count > 0 {
        hi = Some(prof.control.assume_trip_count);
        lo = Some(prof.control.assume_trip_count);
    }
    Trip { lo, hi }
}

/// Operations in a region with every loop fully unrolled (the size of a flattened body).
pub(crate) fn unrolled_ops(r: &Region, prof: &Profile) -> u64 {
    let mut n = 0u64;
    for node in &r.nodes {
        n = n.saturating_add(match node {
            Node::Op(_) => 1,
            Node::Call(_) => 8,
            Node::Branch(b) => unrolled_ops(&b.then_region, prof).saturating_add(unrolled_ops(&b.else_region, prof)),
            Node::Loop(l) => trip(l, prof).hi.unwrap_or(u64::MAX / 4).saturating_mul(unrolled_ops(&l.body, prof)),
        });
    }
    n
}

/// Known and the same in every execution (a loop that can be fully unrolled).
pub(crate) fn constant_trip(l: &Loop, prof: &Profile) -> bool {
    let t = trip(l, prof);
    t.hi.is_some() && t.lo == t.hi
}

/// Every loop inside can be fully unrolled.
pub(crate) fn unrollable(r: &Region, prof: &Profile) -> bool {
    let mut ok = true;
    r.visit_loops(&mut |l| ok &= constant_trip(l, prof));
    ok
}

pub(crate) fn has_loops(r: &Region) -> bool {
    let mut any = false;
    r.visit_loops(&mut |_| any = true);
    any
}

/// Names of the functions a region calls, at any depth of its loops and branches.
pub(crate) fn callees(r: &Region) -> Vec<&str> {
    let mut out = Vec::new();
    r.visit_calls(&mut |c| out.push(c.callee.as_str()));
    out
}

struct Planner<'a> {
    prof: &'a Profile,
    merlin: bool,
    arrays: &'a [hlsseek_ir::Array],
    /// Inlined callees that hold loops: a loop calling one holds loops after inlining.
    looped_inline: &'a HashSet<String>,
    plans: Plans,
}

/// What a planned loop tells its parent.
#[derive(Clone, Copy, PartialEq)]
enum Status {
    /// Fully unrolled (merged into the parent).
    Gone,
    /// Innermost, no directive: the Vitis default pipelines it (or its parent).
    Candidate { small: bool },
    /// Decided.
    Done,
}

pub(crate) fn plan_function(f: &Function, prof: &Profile, merlin: bool, looped_inline: &HashSet<String>) -> Plans {
    let mut p = Planner { prof, merlin, arrays: &f.arrays, looped_inline, plans: Plans::default() };
    let in_pipe = f.directives.pipeline.as_ref().is_some_and(|d| !d.off);
    let st = p.region(&f.body, in_pipe, false);
    for (id, s) in st {
        if let Status::Candidate { .. } = s {
            p.pipeline_auto(id);
        }
    }
    p.plans
}

impl<'a> Planner<'a> {
    fn calls_looped_inline(&self, r: &Region) -> bool {
        callees(r).into_iter().any(|c| self.looped_inline.contains(c))
    }

    fn pipeline_auto(&mut self, id: u32) {
        let e = self.plans.loops.entry(id).or_default();
        e.pipelined = true;
        e.auto_pipelined = true;
        e.target_ii = 1;
    }

    fn region(&mut self, r: &Region, in_pipe: bool, no_auto: bool) -> Vec<(u32, Status)> {
        let mut out = Vec::new();
        for node in &r.nodes {
            match node {
                Node::Loop(l) => {
                    let s = self.lp(l, in_pipe, no_auto);
                    out.push((l.id.0, s));
                }
                Node::Branch(b) => {
                    out.extend(self.region(&b.then_region, in_pipe, no_auto));
                    out.extend(self.region(&b.else_region, in_pipe, no_auto));
                }
                _ => {}
            }
        }
        out
    }

    fn mark_full(&mut self, r: &Region) {
        r.visit_loops(&mut |l| {
            let ok = constant_trip(l, self.prof);
            let e = self.plans.loops.entry(l.id.0).or_default();
            if ok {
                e.full = true;
                e.pipelined = false;
                e.auto_pipelined = false;
                e.flatten_child = false;
            }
        });
    }

    /// Why Merlin's coarse-grained parallel pass (`memory_burst_cg.cpp`,
    /// `process_coarse_grained_top`) refuses `copies` copies of `l`, a loop holding loops, and
    /// removes its PARALLEL (`coarse_parallel.cpp`), if it does: a copy would write what another
    /// touches (CGPAR_WARNING_13), or a copy's buffer times the copies passes the single-buffer
    /// limit; the recorded designs say the same of a pipelined such loop (gemm-p's `k` under
    /// `PIPELINE flatten`: DSPs flat in the factor), so the pipeline does not matter there. A
    /// coarse-grained loop is also refused when its copies cannot split an array they write,
    /// or (fully parallel) would share a scalar declared outside it.
    fn refusal(&self, l: &Loop, copies: u64, full: bool) -> Option<String> {
        let m = &self.prof.merlin;
        if m.refuse_overlapping_parallel && l.carried.iter().any(|c| c.through_memory) {
            return Some("its copies would overlap in memory".into());
        }
        if (m.refuse_unsplittable_parallel || m.refuse_shared_scalar_parallel) && coarse_grained(l, self.prof) {
            if let Some(array) = unsplittable_array(l, self.arrays).filter(|_| m.refuse_unsplittable_parallel) {
                return Some(format!("its copies cannot each get their own part of `{array}`"));
            }
            // Only a full PARALLEL: after a partial one the recorded designs run orders of
            // magnitude slower than the loop as written, with no on-chip buffers (stencil's
            // `temp`, gemm-ncubed's `i_col`); what Merlin builds then is not modelled, the
            // copies stay.
            if let Some(x) = l.outer_writes.first().filter(|_| m.refuse_shared_scalar_parallel && full) {
                return Some(format!("its copies would all write `{x}`, declared outside it"));
            }
        }
        let limit = m.single_buffer_bytes;
        let (array, bytes) = copy_buffer_bytes(l, self.arrays, self.prof)?;
        (limit > 0 && bytes.saturating_mul(copies) > limit)
            .then(|| format!("{copies} copies of its {bytes}-byte buffer of `{array}` pass the {limit}-byte single-buffer limit"))
    }

    fn lp(&mut self, l: &Loop, in_pipe: bool, no_auto: bool) -> Status {
        let tc = trip(l, self.prof);
        if tc.hi.is_some() && only_steps_scalars(l) {
            self.plans.loops.insert(l.id.0, LoopPlan { target_ii: 1, unroll: 1, closed_form: true, ..LoopPlan::default() });
            return Status::Gone;
        }
        let d = &l.directives;
        let mut plan = LoopPlan { target_ii: 1, unroll: 1, ..LoopPlan::default() };
        let accel = |dia: Dialect| dia == Dialect::Accel || self.merlin;
        if let Some(u) = &d.unroll {
            plan.tree_reduction = !u.reductions.is_empty();
        }
        if in_pipe {
            if constant_trip(l, self.prof) {
                plan.full = true;
            } else {
                self.plans.notes.push(format!("loop {} inside a pipeline has an unknown trip count: not unrolled", l.name()));
            }
        } else if let Some(u) = d.unroll.as_ref().filter(|u| !u.off) {
            let constant = constant_trip(l, self.prof);
            match u.factor {
                _ if unrolls_fully(u, l, self.prof) => plan.full = true,
                None => self.plans.notes.push(format!("loop {}: complete unroll of a variable trip count ignored", l.name())),
                Some(f) => plan.unroll = (f as u64).max(1),
            }
            // Merlin's loop tiling (source-opt loop_tiling.cpp, TILE_WARNING_10): N/f whole
            // groups of f copies, then a copy of the loop for the N mod f left, one at a time.
            if accel(u.dialect) && self.prof.merlin.peel_remainder && plan.unroll > 1 && !plan.full && constant {
                plan.remainder = tc.hi.map_or(0, |n| n % plan.unroll);
            }
            // Merlin runs the copies of a loop nest side by side (jammed into the inner loops);
            // copies that update the same data either chain (jam_carried) or run in sequence,
            // and so do the copies of a partial PARALLEL unless the profile says otherwise.
            let merlin = &self.prof.merlin;
            // Merlin makes copies of this loop (partial or full PARALLEL).
            let merlin_copies = (plan.unroll > 1 || plan.full) && accel(u.dialect);
            if merlin_copies
                && (l.carried.is_empty() || merlin.jam_carried)
                && (plan.full || (merlin.partial_coarse_parallel && copies_get_own_banks(l)) || !has_loops(&l.body))
            {
                plan.parallel_copies = true;
            }
            plan.shared_copies = merlin_copies && !plan.parallel_copies && merlin.sequential_copies_share;
            // Where Merlin does not refuse it (below), coarse-grained parallelism gives each copy
            // its own slice of every array (overlapping read-only slices included), burst in per
            // iteration because the bursts are not lifted above the parallel loop.
            plan.group_refills = plan.unroll > 1
                && !plan.full
                && accel(u.dialect)
                && has_loops(&l.body)
                && l.carried.is_empty()
                && merlin.parallel_refills;
            if merlin_copies && has_loops(&l.body) {
                let copies = if plan.full { tc.hi.unwrap_or(1) } else { plan.unroll };
                if let Some(why) = self.refusal(l, copies, plan.full) {
                    self.plans.notes.push(format!("loop {}: Merlin refuses the PARALLEL ({why}); left as written", l.name()));
                    plan = LoopPlan { target_ii: 1, unroll: 1, ..LoopPlan::default() };
                }
            }
        }
        if !plan.full {
            if let Some(t) = &d.tile {
                if t.factor > 1 && tc.hi.is_none_or(|n| (t.factor as u64) < n) {
                    plan.tile = t.factor as u64;
                    // The tiles' buffers are the refills then.
                    plan.group_refills = false;
                    // TILE and PARALLEL on one loop: Merlin tiles first and the parallel copies
                    // split each tile; no remainder loop is modelled for that case.
                    plan.remainder = 0;
                }
            }
        }
        let pipe = if plan.full || in_pipe { None } else { d.pipeline.as_ref() };
        // Merlin's `off` only withholds Merlin's own pipeline; the HLS tool's defaults remain.
        let pipe = pipe.filter(|p| !(p.off && accel(p.dialect) && self.prof.merlin.off_keeps_tool_defaults));
        let mut explicit = pipe.is_some_and(|p| !p.off);
        let off = pipe.is_some_and(|p| p.off);
        let mut no_auto = no_auto;
        if explicit && (!unrollable(&l.body, self.prof) || unrolled_ops(&l.body, self.prof) > self.prof.control.max_pipeline_ops) {
            // Vitis cannot unroll a loop with variable bounds (or a body past its size limit)
            // inside a pipeline: the pipeline is not built and nothing below it is pipelined.
            self.plans.notes.push(format!("loop {}: pipeline not applied (inner loops cannot be fully unrolled)", l.name()));
            explicit = false;
            no_auto = true;
        }
        if explicit {
            plan.pipelined = true;
            plan.target_ii = pipe.and_then(|p| p.ii).unwrap_or(1).max(1) as u64;
            plan.parallel_copies = false;
            plan.shared_copies = false;
            plan.group_refills = false;
        }
        self.plans.loops.insert(l.id.0, plan.clone());
        // Only a pipeline unrolls what is inside; a fully unrolled loop's children keep their own plan.
        let children = self.region(&l.body, in_pipe || explicit, no_auto);
        if plan.full {
            // Loops left inside a fully unrolled loop are still pipelined by default.
            for (id, st) in &children {
                if let Status::Candidate { .. } = st {
                    self.pipeline_auto(*id);
                }
            }
            let all_gone = children.iter().all(|(_, st)| *st == Status::Gone);
            return if all_gone { Status::Gone } else { Status::Done };
        }
        let remaining: Vec<(u32, Status)> = children.into_iter().filter(|(_, s)| *s != Status::Gone).collect();
        if remaining.is_empty() {
            // Innermost (after unrolling what is inside).
            if explicit || off || in_pipe || no_auto {
                return Status::Done;
            }
            if !self.prof.control.auto_pipeline_variable_trip && !constant_trip(l, self.prof) {
                return Status::Done;
            }
            if self.prof.control.auto_pipeline_source_innermost_only && has_loops(&l.body) {
                return Status::Done;
            }
            // Not innermost after all: a dataflow loop's body is its stages, and an inlined
            // callee's loops become this loop's (Vitis pipelines innermost loops only).
            if d.dataflow.is_some() || self.calls_looped_inline(&l.body) {
                return Status::Done;
            }
            let small = tc.hi.is_some_and(|n| n <= self.prof.control.auto_pipeline_threshold);
            return Status::Candidate { small };
        }
        // Vitis pipelines the parent of small innermost loops (unrolling them) when the whole
        // body stays small; otherwise the innermost loops themselves.
        let all_small = remaining.iter().all(|(_, s)| matches!(s, Status::Candidate { small: true }));
        let partial_child = self.prof.control.partial_unroll_stops_climb
            && remaining.iter().any(|(id, _)| self.plans.loops.get(id).is_some_and(|c| c.unroll > 1 && !c.full));
        // A perfect nest is flattened before Vitis looks for loops to pipeline: a small inner
        // loop whose flattened nest is large is pipelined over the product of the trip counts,
        // not unrolled (a small flattened nest is unrolled into its parent as before).
        let flatten_allowed = |d: &LoopDirectives| d.flatten.as_ref().is_none_or(|t| !t.off);
        let flattened_trip = match &l.body.nodes[..] {
            [Node::Loop(c)] if flatten_allowed(&c.directives) => tc.hi.zip(trip(c, self.prof).hi).map(|(a, b)| a.saturating_mul(b)),
            _ => None,
        };
        let flattens_first = self.prof.control.flatten_before_absorb
            && flattened_trip.is_some_and(|n| n > self.prof.control.auto_pipeline_threshold)
            && !explicit
            && !off
            && plan.unroll == 1
            && plan.tile <= 1
            && constant_trip(l, self.prof)
            && flatten_allowed(d);
        let absorb = all_small
            && !flattens_first
            && !partial_child
            && !explicit
            && !off
            && plan.unroll == 1
            && plan.tile <= 1
            && tc.hi.is_some()
            && unrollable(&l.body, self.prof)
            && unrolled_ops(&l.body, self.prof) <= self.prof.control.auto_unroll_max_ops;
        if absorb {
            // The small inner loops are unrolled into this one, which is now innermost: the
            // same rule applies again one level up (Vitis climbs until a loop is large).
            self.mark_full(&l.body);
            let small = tc.hi.is_some_and(|n| n <= self.prof.control.auto_pipeline_threshold) && constant_trip(l, self.prof);
            return Status::Candidate { small };
        }
        for (id, s) in &remaining {
            if let Status::Candidate { .. } = s {
                self.pipeline_auto(*id);
            }
        }
        // Perfect nest: the only node is a loop that is pipelined or itself flattened.
        if !explicit && plan.unroll == 1 && plan.tile <= 1 && l.body.nodes.len() == 1 && flatten_allowed(d) {
            if let Node::Loop(c) = &l.body.nodes[0] {
                let cp = self.plans.get(c).clone();
                if flatten_allowed(&c.directives) && (cp.pipelined || cp.flatten_child) && cp.tile <= 1 && tc.hi.is_some() && !off {
                    self.plans.loops.get_mut(&l.id.0).unwrap().flatten_child = true;
                }
            }
        }
        Status::Done
    }
}

/// Merlin partitions the arrays a `PARALLEL` (or fully unrolled) loop reads and writes so that
/// its copies get their own banks: cyclic by the factor on each dimension the loop variable
/// indexes; with `merlin.memory_coalescing`, each top-level array's burst buffer also to the
/// bus word ([`bus_partitions`]).
pub(crate) fn merlin_partitions(f: &Function, plans: &Plans, prof: &Profile) -> Vec<PartitionRequest> {
    let mut requests = copy_partitions(
        f,
        plans,
        prof,
        // Only PARALLEL asks for partitioning; loops unrolled by an enclosing
        // `PIPELINE flatten` get none unless the profile says so.
        |l| prof.merlin.partition_flattened || l.directives.unroll.as_ref().is_some_and(|u| !u.off && u.factor.is_none_or(|f| f > 1)),
        // Merlin gives up partitioning beyond a factor (the copies then share banks).
        |_, factor| factor <= prof.merlin.max_partition,
    );
    if prof.merlin.memory_coalescing {
        requests.extend(bus_partitions(f, prof));
    }
    requests
}

/// The partitions Merlin's memory coalescing gives the burst buffer of each top-level array
/// (`AddPartitionPragma`): with `e` elements per bus word, the innermost dimensions that hold
/// fewer than `e` elements together are split completely, and the next one cyclically by what
/// is left of `e`. `plan_arrays` merges them with the PARALLEL requests (the larger factor).
fn bus_partitions(f: &Function, prof: &Profile) -> Vec<PartitionRequest> {
    let bus_bits = prof.merlin.bus_bytes * 8;
    let mut out = Vec::new();
    for (i, a) in f.arrays.iter().enumerate().filter(|(_, a)| a.kind == ArrayKind::Param) {
        let Some(elements) = crate::transfer::bus_word_elements(a, bus_bits) else { continue };
        let mut inner = 1u64;
        for (d, extent) in a.dims.iter().enumerate().rev() {
            let extent = extent.unwrap_or(1);
            if inner * extent < elements {
                out.push((i as u32, d, extent));
                inner *= extent;
            } else {
                out.push((i as u32, d, elements / inner));
                break;
            }
        }
    }
    out
}

/// Vitis's throughput-driven partitioning (`config_array_partition -throughput_driven auto`,
/// the default since 2022.1), as far as the data shows it: a small local array (at most
/// `throughput_partition_max_elements`, no `ARRAY_PARTITION` of its own, not a struct member)
/// whose elements the copies of an unrolled loop read or write is split the same way.
pub(crate) fn throughput_partitions(f: &Function, plans: &Plans, prof: &Profile) -> Vec<PartitionRequest> {
    let limit = prof.memory.throughput_partition_max_elements;
    let small = |a: u32| {
        f.arrays.get(a as usize).is_some_and(|a| {
            a.kind == ArrayKind::Local && a.partitions.is_empty() && !a.name.contains('.') && !a.name.contains("->") && a.elements().is_some_and(|n| n <= limit)
        })
    };
    copy_partitions(f, plans, prof, |_| limit > 0, |a, _| small(a))
}

/// For each unrolled loop `ask` accepts, a cyclic request by the unroll factor (times the
/// stride) on every dimension its variable indexes, for the arrays `take` accepts.
fn copy_partitions(f: &Function, plans: &Plans, prof: &Profile, ask: impl Fn(&Loop) -> bool, take: impl Fn(u32, u64) -> bool) -> Vec<PartitionRequest> {
    let mut out: Vec<PartitionRequest> = Vec::new();
    f.body.visit_loops(&mut |l| {
        let p = plans.get(l);
        let factor = if p.full { trip(l, prof).hi.unwrap_or(1) } else { p.unroll };
        let Some(var) = &l.var else { return };
        if factor <= 1 || !ask(l) {
            return;
        }
        collect_accesses(&l.body, &mut |acc, _| {
            for (d, e) in acc.index.iter().enumerate() {
                let c = e.coeff(var);
                let f = factor.saturating_mul(c.unsigned_abs()).max(factor);
                if c != 0 && take(acc.array.0, f) {
                    out.push((acc.array.0, d, f));
                }
            }
        });
    });
    out
}

/// Whether Merlin can give each copy of a `PARALLEL` loop its own banks: wherever the loop
/// variable indexes an array dimension, it does so with a unit stride and, per array and
/// dimension, one offset: not `m1[i*64 + k]` into a flattened array, nor the shifted rows
/// `hz[i-1]` / `hz[i]` that two copies share.
fn copies_get_own_banks(l: &Loop) -> bool {
    let Some(var) = &l.var else { return false };
    let mut ok = true;
    let mut offsets: HashMap<(u32, usize), i64> = HashMap::new();
    collect_accesses(&l.body, &mut |acc, _| {
        for (d, e) in acc.index.iter().enumerate() {
            let c = e.coeff(var);
            if c != 0 && (c.abs() != 1 || !e.affine) {
                ok = false;
            }
            if c != 0 {
                let prev = offsets.entry((acc.array.0, d)).or_insert(e.constant);
                if *prev != e.constant {
                    ok = false;
                }
            }
        }
    });
    ok
}

/// Whether Merlin sees `l` as a coarse-grained loop: not pipelined, and something inside stays
/// a loop (a sub-loop its own `PARALLEL` does not unroll fully); otherwise its copies are
/// fine-grained and never reach the coarse-grained parallel pass.
fn coarse_grained(l: &Loop, prof: &Profile) -> bool {
    if l.directives.pipeline.as_ref().is_some_and(|p| !p.off) {
        return false;
    }
    let mut kept = false;
    l.body.visit_loops(&mut |c| kept |= !c.directives.unroll.as_ref().is_some_and(|u| !u.off && unrolls_fully(u, c, prof)));
    kept
}

/// Whether the unroll directive `u` of `l` unrolls it fully: no factor, or one at least its
/// (constant) trip count.
fn unrolls_fully(u: &hlsseek_ir::UnrollDirective, l: &Loop, prof: &Profile) -> bool {
    let Some(n) = trip(l, prof).hi.filter(|_| constant_trip(l, prof)) else { return false };
    u.factor.is_none_or(|f| f as u64 >= n)
}

/// An array that Merlin's coarse-grained parallel pass cannot split among the copies of `l`
/// (`coarse_parallel.cpp`, `generate_parallel_xilinx`, CGPAR_WARNING_2), if any. The pass
/// walks an array's dimensions, skipping those fixed within the body (constants and outer
/// variables: the body's buffers are burst per iteration of the loops around it); the first
/// one that varies must be indexed by `l`'s variable alone, and is then partitioned
/// completely, one part per copy. Every access of an array the body writes is held to this:
/// symm's `C[k][j] += …` in a `j` copy fails (its first varying dimension is the inner `k`),
/// and so does trmm's `B[k][j]` read beside its `B[i][j] +=`. Arrays only read are left out
/// (Merlin duplicates some of them per copy; mvt's column `A[j][i]` in an `i` copy does not
/// stop the recorded copies).
fn unsplittable_array<'a>(l: &Loop, arrays: &'a [hlsseek_ir::Array]) -> Option<&'a str> {
    let var = l.var.as_deref()?;
    let mut inner: Vec<&str> = Vec::new();
    l.body.visit_loops(&mut |c| inner.extend(c.var.as_deref()));
    let by_inner = |e: &IndexExpr| !e.affine || inner.iter().any(|v| e.depends_on(v));
    let mut written = Vec::new();
    let mut unsplit = Vec::new();
    collect_accesses(&l.body, &mut |acc, write| {
        if write {
            written.push(acc.array);
        }
        let first = acc.index.iter().find(|e| e.depends_on(var) || by_inner(e));
        if !first.is_some_and(|e| e.coeff(var) != 0 && !by_inner(e)) {
            unsplit.push(acc.array);
        }
    });
    let array = unsplit.into_iter().find(|a| written.contains(a))?;
    arrays.get(array.0 as usize).map(|a| a.name.as_str())
}

/// Every memory access of `r` (nested loops and branches included, callees not), with whether
/// it is a store (a stream write is not: streams are arrays of their own kind, never a
/// function's parameter arrays or the arrays Merlin splits).
pub(crate) fn collect_accesses(r: &Region, f: &mut dyn FnMut(&hlsseek_ir::Access, bool)) {
    for n in &r.nodes {
        match n {
            Node::Op(op) => {
                if let Some(a) = &op.access {
                    f(a, op.kind == hlsseek_ir::OpKind::Store);
                }
            }
            Node::Loop(l) => collect_accesses(&l.body, f),
            Node::Branch(b) => {
                collect_accesses(&b.then_region, f);
                collect_accesses(&b.else_region, f);
            }
            Node::Call(_) => {}
        }
    }
}

/// The largest buffer one copy of `l` needs for a top-level array, as (array, bytes): the
/// elements one iteration of `l` reaches, the product of the trip counts of the inner loops
/// whose variables index it (a column of `A[j][i]` is its `N` elements, not the span of rows
/// between them: strided copies of mvt's column loop are not refused in the recorded designs).
fn copy_buffer_bytes<'a>(l: &Loop, arrays: &'a [hlsseek_ir::Array], prof: &Profile) -> Option<(&'a str, u64)> {
    let mut trips: HashMap<&str, u64> = HashMap::new();
    l.body.visit_loops(&mut |c| {
        if let Some(v) = &c.var {
            trips.insert(v.as_str(), trip(c, prof).hi.unwrap_or(1));
        }
    });
    let mut worst: Option<(&'a str, u64)> = None;
    collect_accesses(&l.body, &mut |acc, _| {
        let Some(a) = arrays.get(acc.array.0 as usize).filter(|a| a.kind == hlsseek_ir::ArrayKind::Param) else { return };
        let Some(n) = a.elements() else { return };
        let words = if acc.index.iter().any(|e| !e.affine) {
            n
        } else {
            let mut vars: Vec<&str> = Vec::new();
            for (v, c) in acc.index.iter().flat_map(|e| &e.terms) {
                if *c != 0 && !vars.contains(&v.as_str()) {
                    vars.push(v);
                }
            }
            vars.iter().filter_map(|v| trips.get(v)).product::<u64>().min(n)
        };
        let bytes = words.saturating_mul(a.elem.bits().div_ceil(8) as u64);
        if worst.is_none_or(|(_, b)| bytes > b) {
            worst = Some((a.name.as_str(), bytes));
        }
    });
    worst
}
