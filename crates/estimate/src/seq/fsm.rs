//! The FSM's straight-line blocks: their schedule and cycles, and what each adds to the
//! function's hardware — costly units pooled across the FSM's states (and shared within a
//! block by operations that take turns), port accesses, registers and states.

use super::Seq;
use crate::model::UnitBag;
use crate::ops::{shareable, OpKey};
use hlsseek_ir::Node;
use std::collections::HashMap;

impl<'k, 'e> Seq<'k, 'e> {
    /// A straight-line block of the FSM: its cycles.
    pub(super) fn block(&mut self, nodes: &'k [Node]) -> u64 {
        let (finish, pb) = self.block_schedule(nodes);
        let lat = self.block_cycles(finish, pb);
        self.account_block(lat, finish)
    }

    /// Whole cycles of a block whose last result settles at `finish` (fractional cycles) and
    /// whose busiest memory port needs `pb` cycles.
    pub(super) fn block_cycles(&self, finish: f64, pb: u64) -> u64 {
        ((finish - 1e-9).ceil().max(0.0) as u64).max(pb).max(self.prof.control.min_block_cycles)
    }

    /// Units of kind `k` a block of `lat` cycles needs: the most operations its schedule
    /// starts in one cycle (as-soon-as-possible over `span` cycles), thinned in proportion when
    /// memory ports stretch the block beyond that span. Distinct source operations (no unrolled
    /// copies among them) may also take turns on fewer units anywhere in the block's cycles, as
    /// a scheduler that saves costly units within the latency places them; unrolled copies are
    /// there to run side by side (Merlin's PARALLEL copies keep their hardware on HLSyn).
    fn units_at_once(&self, k: OpKey, lat: u64, span: f64) -> f64 {
        let mine = || self.flat.starts.iter().filter(|e| e.0 == k);
        let mut per_cycle: HashMap<u64, f64> = HashMap::new();
        for &(_, start, busy, copies) in mine() {
            for c in start..start + busy {
                *per_cycle.entry(c).or_default() += copies;
            }
        }
        let peak = per_cycle.values().copied().fold(0.0, f64::max);
        let span = span.ceil().max(1.0);
        let thinned = (peak * (span / lat as f64).min(1.0)).ceil().max(1.0);
        let distinct = mine().all(|e| e.3 <= 1.0) && self.flat.bindings.iter().all(|b| b.range <= 1);
        if distinct {
            let busy_cycles: f64 = mine().map(|e| e.2 as f64).sum();
            thinned.min((busy_cycles / lat as f64).ceil().max(1.0))
        } else {
            thinned
        }
    }

    /// Schedule a straight-line block: (finish time in cycles, memory port bound).
    pub(super) fn block_schedule(&mut self, nodes: &'k [Node]) -> (f64, u64) {
        self.flat.reset();
        let cp = self.copies_in_bindings();
        let finish = self.flat.walk(nodes, cp) + self.jam_chain(nodes);
        (finish, self.flat.ports.port_bound(&self.flat.env.arrays))
    }

    /// Resources and states of a block of `lat` cycles just scheduled.
    pub(super) fn account_block(&mut self, lat: u64, span: f64) -> u64 {
        // Costly units are shared between the states of the FSM, within the block as well as
        // across blocks; cheap ones are not (their input multiplexers would cost more than the
        // unit).
        let mut shared = UnitBag::default();
        let mut own = UnitBag::default();
        for &(k, c, n) in &self.flat.units.items {
            if shareable(k.class, k.tc) {
                let n_units = if lat > 0 { self.units_at_once(k, lat, span).min(n) } else { n };
                shared.add(k, c, n_units);
                self.pool_uses.add(k, c, n);
            } else {
                own.add(k, c, n);
            }
        }
        self.pool.max_merge(&shared);
        self.flat.ports.add_per_bank(&mut self.fsm_ports);
        self.modules.add(own.cost());
        self.modules.add(self.flat.callee_res);
        self.modules.lut += self.flat.mux_bits * self.prof.resources.lut_per_bank_mux_bit;
        self.modules.ff += self.flat.reg_bits * self.prof.resources.ff_per_result_bit * 0.5;
        self.states += lat as f64;
        lat
    }
}
