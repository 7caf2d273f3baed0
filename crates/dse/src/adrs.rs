//! ADRS, the average distance from a reference Pareto set: how far the designs a search found
//! are from the true front, on the five objectives of [`hlsseek_qor::pareto::objectives`]
//! (latency, LUT, FF, DSP, BRAM; lower is better).
//!
//! ```text
//! ADRS(F, R) = 1/|P(R)| · Σ_{r ∈ P(R)} min_{f ∈ F} δ(r, f)
//! δ(r, f)    = max_k max(0, (f_k − r_k) / max(r_k, 1))
//! ```
//!
//! `P(R)` is the Pareto front of the reference designs (so passing all reference points or only
//! their front gives the same number). δ is the worst relative excess of `f` over `r` in any
//! objective: 0 when `f` is at least as good as `r` everywhere. The denominator is
//! `max(r_k, 1)` because resource counts can be 0 (no DSP, no BRAM) and the counts are integers:
//! an excess over 0 is measured in units (2 DSPs where the reference uses none count as 200%).
//! The found set may hold dominated designs; they never lower the minimum below what the
//! designs dominating them give. An empty found set is infinitely far (∞); an empty reference
//! is trivially reached (0).

use hlsseek_qor::pareto::{front, objectives};
use hlsseek_qor::Qor;

/// The denominators' floor of [`adrs`]: one unit of every objective.
pub const UNIT_FLOORS: [f64; 5] = [1.0; 5];

/// δ(r, f): the largest relative excess of `found` over `reference` in any objective.
pub fn excess(found: &Qor, reference: &Qor) -> f64 {
    excess_with(found, reference, &UNIT_FLOORS)
}

/// δ with per-objective floors: `max_k max(0, (f_k − r_k) / max(r_k, floor_k))`.
pub fn excess_with(found: &Qor, reference: &Qor, floors: &[f64; 5]) -> f64 {
    let (f, r) = (objectives(found), objectives(reference));
    (0..5).map(|k| ((f[k] as f64 - r[k] as f64) / (r[k] as f64).max(floors[k])).max(0.0)).fold(0.0, f64::max)
}

/// ADRS of `found` against the Pareto front of `reference` (see the module documentation).
pub fn adrs(found: &[Qor], reference: &[Qor]) -> f64 {
    adrs_with(found, reference, &UNIT_FLOORS)
}

/// [`adrs`] with per-objective floors under the denominators (e.g. 1% of a part's capacity for
/// the resources, so a design using 0 DSPs does not make every DSP count 100% of an excess).
pub fn adrs_with(found: &[Qor], reference: &[Qor], floors: &[f64; 5]) -> f64 {
    let front_idx = front(reference);
    if front_idx.is_empty() {
        return 0.0;
    }
    if found.is_empty() {
        return f64::INFINITY;
    }
    let total: f64 = front_idx.iter().map(|&i| found.iter().map(|f| excess_with(f, &reference[i], floors)).fold(f64::INFINITY, f64::min)).sum();
    total / front_idx.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_qor::{Latency, Resources};
    use proptest::prelude::*;

    fn q(v: [u64; 5]) -> Qor {
        Qor { latency: Latency::exact(v[0]), ii: None, resources: Resources { lut: v[1], ff: v[2], dsp: v[3], bram: v[4], uram: None } }
    }

    #[test]
    fn hand_computed_cases() {
        // Reference front: two trade-off designs.
        let r = [q([100, 1000, 1000, 10, 4]), q([400, 200, 300, 0, 0])];
        // Found the first exactly; the second's nearest is 20% slower and uses 2 DSPs where the
        // reference uses none: 200% (units over a zero count) is its worst excess.
        let f = [q([100, 1000, 1000, 10, 4]), q([480, 200, 300, 2, 0])];
        assert!((excess(&f[1], &r[1]) - 2.0).abs() < 1e-12);
        assert!((adrs(&f, &r) - (0.0 + 2.0) / 2.0).abs() < 1e-12, "{}", adrs(&f, &r));
        // A single found design 10% over the first reference in LUT, and vs the second:
        // latency 100 vs 400 is fine, LUT 1100 vs 200 → 4.5, FF 1000 vs 300 → 2.333, DSP 10 vs 0 → 10.
        let g = [q([100, 1100, 1000, 10, 4])];
        assert!((adrs(&g, &r) - (0.1 + 10.0) / 2.0).abs() < 1e-12, "{}", adrs(&g, &r));
        // Dominated reference points do not count.
        let r3 = [r[0], r[1], q([500, 2000, 2000, 20, 8])];
        assert_eq!(adrs(&f, &r3), adrs(&f, &r));
        assert_eq!(adrs(&[], &r), f64::INFINITY);
        assert_eq!(adrs(&f, &[]), 0.0);
    }

    proptest! {
        #[test]
        fn reference_against_itself_is_zero(v in prop::collection::vec(prop::array::uniform5(0u64..50), 1..15)) {
            let r: Vec<Qor> = v.into_iter().map(q).collect();
            prop_assert_eq!(adrs(&r, &r), 0.0);
        }

        #[test]
        fn adding_points_never_increases_adrs(
            r in prop::collection::vec(prop::array::uniform5(0u64..50), 1..10),
            f in prop::collection::vec(prop::array::uniform5(0u64..60), 0..10),
            extra in prop::array::uniform5(0u64..60),
        ) {
            let r: Vec<Qor> = r.into_iter().map(q).collect();
            let mut f: Vec<Qor> = f.into_iter().map(q).collect();
            let before = adrs(&f, &r);
            f.push(q(extra));
            let after = adrs(&f, &r);
            prop_assert!(after <= before, "{after} > {before}");
            prop_assert!(after >= 0.0);
        }
    }
}
