//! Small value types the schedulers share: latency ranges, trip ranges, fractional resources and
//! pools of operator units.

use crate::ops::OpKey;
use crate::profile::OpCost;
use hlsseek_qor::Resources;

/// Best/worst-case cycles; `None` = undefined (unknown trip count somewhere below).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) struct Lat {
    pub lo: Option<u64>,
    pub hi: Option<u64>,
}

fn map2(a: Option<u64>, b: Option<u64>, f: impl Fn(u64, u64) -> u64) -> Option<u64> {
    Some(f(a?, b?))
}

impl Lat {
    pub(crate) fn exact(c: u64) -> Lat {
        Lat { lo: Some(c), hi: Some(c) }
    }

    pub(crate) fn plus(self, o: Lat) -> Lat {
        Lat { lo: map2(self.lo, o.lo, u64::saturating_add), hi: map2(self.hi, o.hi, u64::saturating_add) }
    }

    pub(crate) fn plus_c(self, c: u64) -> Lat {
        self.plus(Lat::exact(c))
    }

    /// Either of two alternatives (a branch): shortest best case, longest worst case.
    pub(crate) fn either(self, o: Lat) -> Lat {
        Lat { lo: map2(self.lo, o.lo, u64::min), hi: map2(self.hi, o.hi, u64::max) }
    }

    pub(crate) fn max(self, o: Lat) -> Lat {
        Lat { lo: map2(self.lo, o.lo, u64::max), hi: map2(self.hi, o.hi, u64::max) }
    }

    pub(crate) fn times(self, t: Trip) -> Lat {
        Lat { lo: map2(self.lo, t.lo, u64::saturating_mul), hi: map2(self.hi, t.hi, u64::saturating_mul) }
    }

    pub(crate) fn to_qor(self) -> hlsseek_qor::Latency {
        hlsseek_qor::Latency { min: self.lo, max: self.hi }
    }
}

/// Best/worst-case trip count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Trip {
    pub lo: Option<u64>,
    pub hi: Option<u64>,
}

impl Trip {
    pub(crate) fn exact(n: u64) -> Trip {
        Trip { lo: Some(n), hi: Some(n) }
    }

    pub(crate) fn map(self, f: impl Fn(u64) -> u64) -> Trip {
        Trip { lo: self.lo.map(&f), hi: self.hi.map(&f) }
    }

    pub(crate) fn mul(self, o: Trip) -> Trip {
        Trip { lo: map2(self.lo, o.lo, u64::saturating_mul), hi: map2(self.hi, o.hi, u64::saturating_mul) }
    }

    pub(crate) fn to_qor(self) -> hlsseek_qor::Latency {
        hlsseek_qor::Latency { min: self.lo, max: self.hi }
    }
}

/// Resources while they are being summed (fractions of LUTs and FFs are normal in the model).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Res {
    pub lut: f64,
    pub ff: f64,
    pub dsp: f64,
    pub bram: f64,
    pub uram: f64,
}

impl Res {
    pub(crate) fn add(&mut self, o: Res) {
        self.lut += o.lut;
        self.ff += o.ff;
        self.dsp += o.dsp;
        self.bram += o.bram;
        self.uram += o.uram;
    }

    pub(crate) fn minus(self, o: Res) -> Res {
        Res { lut: self.lut - o.lut, ff: self.ff - o.ff, dsp: self.dsp - o.dsp, bram: self.bram - o.bram, uram: self.uram - o.uram }
    }

    pub(crate) fn scaled(self, k: f64) -> Res {
        Res { lut: self.lut * k, ff: self.ff * k, dsp: self.dsp * k, bram: self.bram * k, uram: self.uram * k }
    }

    pub(crate) fn to_qor(self) -> Resources {
        let r = |x: f64| if x.is_finite() && x > 0.0 { x.round() as u64 } else { 0 };
        Resources { lut: r(self.lut), ff: r(self.ff), dsp: r(self.dsp), bram: r(self.bram), uram: Some(r(self.uram)) }
    }
}

/// Operator instances by kind, weighted by replication.
#[derive(Clone, Debug, Default)]
pub(crate) struct UnitBag {
    pub items: Vec<(OpKey, OpCost, f64)>,
}

impl UnitBag {
    pub(crate) fn add(&mut self, key: OpKey, cost: OpCost, n: f64) {
        if let Some(e) = self.items.iter_mut().find(|e| e.0 == key) {
            e.2 += n;
        } else {
            self.items.push((key, cost, n));
        }
    }

    pub(crate) fn clear(&mut self) {
        self.items.clear();
    }

    /// Keep, per kind, the larger unit count (units shared across the states of one FSM).
    pub(crate) fn max_merge(&mut self, o: &UnitBag) {
        for &(k, c, n) in &o.items {
            if let Some(e) = self.items.iter_mut().find(|e| e.0 == k) {
                e.2 = e.2.max(n);
            } else {
                self.items.push((k, c, n));
            }
        }
    }

    pub(crate) fn cost(&self) -> Res {
        let mut r = Res::default();
        for &(_, c, n) in &self.items {
            let n = n.ceil();
            r.lut += c.lut * n;
            r.ff += c.ff * n;
            r.dsp += c.dsp * n;
        }
        r
    }
}

/// `n` things spread as evenly as possible over `over` places.
pub(crate) fn spread(n: u64, over: u64) -> Vec<u64> {
    let over = over.max(1);
    (0..over).map(|i| n / over + u64::from(i < n % over)).collect()
}
