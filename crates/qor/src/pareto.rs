//! Pareto dominance on (latency, LUT, FF, DSP, BRAM): lower is better in every objective.

use crate::Qor;
use serde::{Deserialize, Serialize};

/// How two designs relate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dominance {
    /// A is no worse in every objective and strictly better in at least one.
    ADominates,
    BDominates,
    /// Neither dominates (a trade-off, or identical).
    Neither,
}

impl Dominance {
    /// The relation seen with the two designs swapped.
    pub fn swapped(self) -> Self {
        match self {
            Dominance::ADominates => Dominance::BDominates,
            Dominance::BDominates => Dominance::ADominates,
            Dominance::Neither => Dominance::Neither,
        }
    }
}

/// The objective vector, lower is better. Undefined latency counts as worst.
pub fn objectives(q: &Qor) -> [u64; 5] {
    let r = &q.resources;
    [q.latency.value().unwrap_or(u64::MAX), r.lut, r.ff, r.dsp, r.bram]
}

/// The relation of two objective vectors (lower is better); also for predicted, fractional ones.
pub fn compare_objectives<T: PartialOrd, const N: usize>(a: &[T; N], b: &[T; N]) -> Dominance {
    let a_better = a.iter().zip(b).any(|(x, y)| x < y);
    let b_better = a.iter().zip(b).any(|(x, y)| y < x);
    match (a_better, b_better) {
        (true, false) => Dominance::ADominates,
        (false, true) => Dominance::BDominates,
        _ => Dominance::Neither,
    }
}

pub fn compare(a: &Qor, b: &Qor) -> Dominance {
    compare_objectives(&objectives(a), &objectives(b))
}

/// Indices of the non-dominated designs.
pub fn front(designs: &[Qor]) -> Vec<usize> {
    (0..designs.len())
        .filter(|&i| {
            !designs.iter().any(|other| compare(other, &designs[i]) == Dominance::ADominates)
        })
        .collect()
}

/// How well `predicted` tells the Pareto relation of every pair of designs, against `truth`
/// (same designs, same order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairAgreement {
    /// Pairs whose predicted relation is the recorded one.
    pub agree: u64,
    /// Pairs whose recorded relation is `Neither`: what always answering "neither" scores.
    pub neither: u64,
    pub pairs: u64,
}

impl PairAgreement {
    pub fn of(predicted: &[Qor], truth: &[Qor]) -> PairAgreement {
        assert_eq!(predicted.len(), truth.len(), "one prediction per design");
        let mut out = PairAgreement::default();
        for i in 0..truth.len() {
            for j in i + 1..truth.len() {
                let t = compare(&truth[i], &truth[j]);
                out.pairs += 1;
                out.neither += u64::from(t == Dominance::Neither);
                out.agree += u64::from(compare(&predicted[i], &predicted[j]) == t);
            }
        }
        out
    }

    pub fn add(&mut self, other: PairAgreement) {
        self.agree += other.agree;
        self.neither += other.neither;
        self.pairs += other.pairs;
    }

    pub fn accuracy(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.agree as f64 / self.pairs as f64)
    }

    pub fn neither_share(&self) -> Option<f64> {
        (self.pairs > 0).then(|| self.neither as f64 / self.pairs as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Latency, Resources};
    use proptest::prelude::*;

    fn qor(v: [u64; 5]) -> Qor {
        Qor {
            latency: Latency::exact(v[0]),
            ii: None,
            resources: Resources { lut: v[1], ff: v[2], dsp: v[3], bram: v[4], uram: None },
        }
    }

    proptest! {
        #[test]
        fn swapping_swaps(a in prop::array::uniform5(0u64..5), b in prop::array::uniform5(0u64..5)) {
            prop_assert_eq!(compare(&qor(a), &qor(b)), compare(&qor(b), &qor(a)).swapped());
        }

        #[test]
        fn dominance_is_transitive(a in prop::array::uniform5(0u64..4), b in prop::array::uniform5(0u64..4), c in prop::array::uniform5(0u64..4)) {
            let (a, b, c) = (qor(a), qor(b), qor(c));
            if compare(&a, &b) == Dominance::ADominates && compare(&b, &c) == Dominance::ADominates {
                prop_assert_eq!(compare(&a, &c), Dominance::ADominates);
            }
        }

        #[test]
        fn front_members_are_not_dominated(v in prop::collection::vec(prop::array::uniform5(0u64..6), 1..12)) {
            let designs: Vec<Qor> = v.into_iter().map(qor).collect();
            let f = front(&designs);
            prop_assert!(!f.is_empty());
            for &i in &f {
                for d in &designs {
                    prop_assert_ne!(compare(d, &designs[i]), Dominance::ADominates);
                }
            }
        }
    }

    #[test]
    fn pair_agreement_counts_relations_and_the_neither_baseline() {
        let truth = [qor([1, 1, 1, 1, 1]), qor([2, 2, 2, 2, 2]), qor([3, 0, 3, 3, 3])];
        // Truth: 0≻1, 0 vs 2 neither, 1 vs 2 neither. The prediction, missing design 2's small
        // LUT, says 0≻2 and 1≻2: only 0≻1 is right.
        let predicted = [qor([1, 1, 1, 1, 1]), qor([5, 5, 5, 5, 5]), qor([9, 9, 9, 9, 9])];
        let a = PairAgreement::of(&predicted, &truth);
        assert_eq!(a, PairAgreement { agree: 1, neither: 2, pairs: 3 });
        assert_eq!(a.neither_share(), Some(2.0 / 3.0));
        assert_eq!(PairAgreement::of(&truth, &truth).agree, 3);
        assert_eq!(PairAgreement::of(&truth[..1], &truth[..1]).accuracy(), None);
    }

    #[test]
    fn identical_designs_are_neither() {
        assert_eq!(compare(&qor([1, 2, 3, 4, 5]), &qor([1, 2, 3, 4, 5])), Dominance::Neither);
        assert_eq!(compare(&qor([1, 2, 3, 4, 5]), &qor([1, 2, 3, 4, 6])), Dominance::ADominates);
        assert_eq!(compare(&qor([1, 2, 3, 4, 6]), &qor([2, 2, 3, 4, 5])), Dominance::Neither);
    }
}
