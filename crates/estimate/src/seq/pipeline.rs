//! Pipelined loops and functions: depth, II (target, memory ports, carried dependences,
//! including those of loops flattened into the pipeline) and the pipeline's hardware — units
//! shared `⌈instances / II⌉`, their operand and port multiplexers, registers.

use super::{pipeline_cycles, whole_groups, Seq};
use crate::model::{Lat, Trip, UnitBag};
use crate::ops::{mux_lut, operand_mux_lut, shareable};
use crate::plan::trip;
use crate::storage::port_mux_inputs;
use hlsseek_ir::{Loop, Node};
use hlsseek_qor::LoopReport;
use std::collections::HashMap;

/// What `l` carries through the same variable (scalar or array) as `dep`.
fn carried_like<'l>(l: &'l Loop, dep: &hlsseek_ir::CarriedDep) -> Option<&'l hlsseek_ir::CarriedDep> {
    l.carried.iter().find(|d| d.variable == dep.variable && d.through_memory == dep.through_memory)
}

impl<'k, 'e> Seq<'k, 'e> {
    /// The II bound from what the loops flattened into `last` carry: a value carried `n`
    /// iterations of an outer loop comes back `n ×` (the fewest iterations of the loops inside
    /// it) pipeline iterations later, which is 1 for a triangular nest's first row
    /// (`for k, for j <= i: C[i][j] += ...`: the tool schedules for it). Cells that change with
    /// the inner loops are not one register any more, so a memory reduction pays its load and
    /// store there.
    fn flattened_recurrence(&self, last: &'k Loop, flat_outer: &[&'k Loop]) -> u64 {
        let mut rec = 0u64;
        for (i, c) in flat_outer.iter().enumerate() {
            let below: Vec<&Loop> = flat_outer[i + 1..].iter().copied().chain([last]).collect();
            let inner = below.iter().map(|x| trip(x, self.prof).lo.unwrap_or(1).max(1)).fold(1u64, u64::saturating_mul);
            for dep in &c.carried {
                // Carried by an inner loop too: the same cell every iteration, bounded there.
                let inner_carries = below.iter().any(|x| carried_like(x, dep).is_some());
                if inner_carries {
                    continue;
                }
                let mut dep = dep.clone();
                if dep.through_memory {
                    dep.kind = hlsseek_ir::DepKind::Recurrence;
                }
                let d = self.flat.dep_delay(&dep);
                let distance = (dep.distance.max(1) as u64).saturating_mul(inner) as f64;
                rec = rec.max(((d - 1e-9) / distance).ceil().max(0.0) as u64);
            }
        }
        rec
    }

    /// How many updates of what `dep` carries one iteration of a pipelined body makes one
    /// after another: an inner loop (unrolled in the pipeline) that carries the same value
    /// repeats its body's updates trip-count times (a histogram's byte loop, `sum += a[i][j]`
    /// over `j`), once when the tool re-associates them into a tree; sibling loops add up.
    fn serial_updates(&self, nodes: &[Node], dep: &hlsseek_ir::CarriedDep) -> u64 {
        self.inner_updates(nodes, dep).max(1)
    }

    fn inner_updates(&self, nodes: &[Node], dep: &hlsseek_ir::CarriedDep) -> u64 {
        let mut n = 0u64;
        for node in nodes {
            let more = match node {
                Node::Loop(c) => match carried_like(c, dep) {
                    Some(inner) => {
                        let times = if self.flat.tree_ok(c, inner) { 1 } else { trip(c, self.prof).hi.unwrap_or(1).max(1) };
                        times.saturating_mul(self.serial_updates(&c.body.nodes, dep))
                    }
                    None => 0,
                },
                Node::Branch(b) => self.inner_updates(&b.then_region.nodes, dep).max(self.inner_updates(&b.else_region.nodes, dep)),
                _ => 0,
            };
            n = n.saturating_add(more);
        }
        n
    }

    /// Schedule a pipelined body: (depth, II).
    pub(super) fn pipelined_block(&mut self, nodes: &'k [Node], target: u64, uf: u64, carried: &'k [hlsseek_ir::CarriedDep]) -> (u64, u64) {
        self.flat.reset();
        let finish = self.flat.walk(nodes, uf as f64);
        let depth = ((finish - 1e-9).ceil().max(1.0)) as u64;
        let pb = self.flat.ports.port_bound(&self.flat.env.arrays);
        let mut rec = 0u64;
        for dep in carried {
            let d = self.flat.dep_delay(dep);
            rec = rec.max(((d - 1e-9) / dep.distance.max(1) as f64).ceil().max(0.0) as u64);
        }
        let ii = target.max(pb).max(rec).max(self.flat.call_ii).max(1);
        self.account_pipeline(ii);
        (depth, ii)
    }

    /// LUTs of the multiplexers in front of the memory ports that these accesses share.
    pub(super) fn port_muxes(&self, per_bank: &HashMap<(u32, u64), (u64, u64)>) -> f64 {
        let per_input = self.prof.resources.lut_per_mux_input;
        per_bank
            .iter()
            .map(|(&(a, bank), &(r, w))| {
                let plan = &self.flat.env.arrays[a as usize];
                // Copies too many to enumerate are one bank's share (`PortAcc::record`): every
                // bank gets as many.
                let banks = if bank == u64::MAX { plan.banks.max(1) as f64 } else { 1.0 };
                banks * port_mux_inputs(plan.ports, r, w, !plan.stream).into_iter().map(|k| mux_lut(k, per_input)).sum::<f64>()
            })
            .sum()
    }

    fn account_pipeline(&mut self, ii: u64) {
        let r = &self.prof.resources;
        let mut units = UnitBag::default();
        let mut operand_muxes = 0.0;
        for &(k, c, n) in &self.flat.units.items {
            let shared_by_ii = (n / ii as f64).ceil();
            units.add(k, c.in_pipeline(ii), shared_by_ii);
            if shareable(k.class, k.tc) {
                operand_muxes += operand_mux_lut(k, n, shared_by_ii, r.lut_per_mux_input);
            }
        }
        let mut res = units.cost();
        res.lut += operand_muxes + self.port_muxes(&self.flat.ports.per_bank());
        res.add(self.flat.callee_res);
        res.ff += self.flat.reg_bits * r.ff_per_result_bit;
        res.lut += self.flat.mux_bits * r.lut_per_bank_mux_bit + r.lut_per_loop;
        res.ff += r.ff_per_loop;
        self.modules.add(res);
    }

    /// `flat_outer`: the loops flattened into this one, outermost first.
    pub(super) fn pipelined_loop(&mut self, l: &'k Loop, outer: Trip, name: String, flat_outer: &[&'k Loop], path: &[String]) -> Lat {
        let flattened = !flat_outer.is_empty();
        let plan = self.flat.env.plans.get(l).clone();
        let idx = self.reports.len();
        self.reports.push(LoopReport::default());
        let uf = plan.unroll.max(1);
        let pushed = self.push_binding(l, uf as i64, uf);
        let jammed = self.push_jam(l, pushed, uf);
        self.flat.reset();
        // Copies from enclosing Merlin-parallel loops are jammed into this pipeline.
        let copies = self.copies_in_bindings();
        let finish = self.flat.walk(&l.body.nodes, copies) + self.jam_chain(&l.body.nodes);
        if jammed {
            self.jam.pop();
        }
        let depth = ((finish - 1e-9).ceil().max(1.0)) as u64;
        let depth = self.latency_directive(Lat::exact(depth), l.directives.latency.as_ref(), &format!("loop {name}")).hi.unwrap_or(depth);
        let pb = self.flat.ports.port_bound(&self.flat.env.arrays);
        let mut rec = 0u64;
        for dep in &l.carried {
            let d = self.flat.dep_delay(dep);
            let serial = (uf * self.serial_updates(&l.body.nodes, dep)) as f64;
            let chain = if serial > 1.0 && !self.flat.tree_ok(l, dep) { d * serial } else { d };
            rec = rec.max(((chain - 1e-9) / dep.distance.max(1) as f64).ceil().max(0.0) as u64);
        }
        rec = rec.max(self.flattened_recurrence(l, flat_outer));
        self.pop_binding(pushed);
        let ii = plan.target_ii.max(pb).max(rec).max(self.flat.call_ii).max(1);
        if pb > plan.target_ii.max(rec) && pb > 1 {
            self.notes.push(format!("loop {name}: II {ii} limited by memory ports"));
        } else if rec > plan.target_ii && rec >= pb && rec > 1 {
            self.notes.push(format!("loop {name}: II {ii} limited by a loop-carried dependence"));
        }
        self.account_pipeline(ii);
        self.carried_registers(l);
        let ovh = self.prof.control.pipe_loop_overhead;
        let tc = trip(l, self.prof);
        let one = |n: u64| pipeline_cycles(depth, ii, n, ovh);
        let (lat, iters) = if plan.tile > 1 {
            // Strip-mined: the pipeline drains at the end of every tile.
            let t = plan.tile;
            let per = one(t.div_ceil(uf)) + self.tile_bursts(l, t, tc.hi);
            let segs = tc.map(|n| n.div_ceil(t)).mul(outer);
            (Lat::exact(per).times(segs), tc.map(|n| n.div_ceil(uf)).mul(outer))
        } else {
            let iters = tc.map(|n| whole_groups(n, uf, plan.remainder)).mul(outer);
            (Lat { lo: iters.lo.map(one), hi: iters.hi.map(one) }, iters)
        };
        let lat = self.unless_call_undefined(lat);
        let lat = if plan.remainder > 0 {
            let mut sub = path.to_vec();
            sub.push(name.clone());
            lat.plus(self.remainder_loop(l, plan.remainder, &sub).times(outer))
        } else {
            lat
        };
        self.reports[idx] = LoopReport {
            name,
            path: path.to_vec(),
            trip_count: if flattened { iters.to_qor() } else { tc.to_qor() },
            latency: lat.to_qor(),
            iteration_latency: Some(depth),
            ii: Some(ii),
            pipelined: true,
            unroll: uf,
            flattened,
        };
        lat
    }
}
