//! Group reward math: from pairwise relations to one QoR reward per design in [0, 1], and the
//! GRPO group-relative advantages.
//!
//! A design's reward is its Pareto standing in the group — how many designs it dominates minus
//! how many dominate it — with the share of designs it is faster than as a tie-break that can
//! never outweigh one dominance. Counting (rather than sorting by a dominance order) is what makes
//! the proxy's occasional dominance cycles harmless: in a cycle A≻B≻C≻A every member dominates
//! one and is dominated by one, so they simply tie.

use hlsseek_qor::pareto::{self, Dominance};
use hlsseek_qor::Qor;
use serde::{Deserialize, Serialize};

/// Weight of the latency tie-break relative to one unit of net dominance. Below 1, so a design
/// that dominates one more design always ranks higher, whatever the latencies.
const LATENCY_TIE_BREAK: f64 = 0.5;

/// What is known (or believed) about an ordered pair (A, B).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    pub dominance: Dominance,
    /// Whether A is faster; `None` for equal latencies (each counts half a win).
    pub a_faster: Option<bool>,
}

impl Relation {
    /// The true relation of two synthesis outcomes; `None` stands for a failed synthesis, which
    /// every successful design dominates.
    pub fn of_results(a: Option<&Qor>, b: Option<&Qor>) -> Relation {
        match (a, b) {
            (Some(a), Some(b)) => {
                let (la, lb) = (pareto::objectives(a)[0], pareto::objectives(b)[0]);
                Relation { dominance: pareto::compare(a, b), a_faster: (la != lb).then_some(la < lb) }
            }
            (a, b) => Relation::by_validity(a.is_some(), b.is_some()),
        }
    }

    /// What validity alone says: a design that works dominates (and outpaces) one that fails;
    /// two working or two failed designs are not told apart.
    pub fn by_validity(a_ok: bool, b_ok: bool) -> Relation {
        match (a_ok, b_ok) {
            (true, false) => Relation { dominance: Dominance::ADominates, a_faster: Some(true) },
            (false, true) => Relation { dominance: Dominance::BDominates, a_faster: Some(false) },
            _ => Relation { dominance: Dominance::Neither, a_faster: None },
        }
    }

    pub fn swapped(self) -> Relation {
        Relation { dominance: self.dominance.swapped(), a_faster: self.a_faster.map(|f| !f) }
    }
}

/// Rewards of `n` designs from the relations of the pairs `(i, j)` (any order, each unordered
/// pair at most once; a missing pair counts as "neither, equally fast").
///
/// reward_i = (net_i + (n − 1) + λ · faster_i) / (2 (n − 1) + λ), with net_i = dominated − dominating
/// ∈ [−(n−1), n−1], faster_i ∈ [0, 1] the share of the others it is faster than (ties half), and
/// λ = 0.5. So rewards lie in [0, 1], 1 only for a design that dominates and outpaces every other.
/// A group of one has nothing to be compared with: its reward is 0.5.
pub fn rewards(n: usize, pairs: &[((usize, usize), Relation)]) -> Vec<f64> {
    if n <= 1 {
        return vec![0.5; n];
    }
    let mut net = vec![0i64; n];
    let mut faster = vec![0f64; n];
    let mut seen = vec![0usize; n];
    for &((i, j), r) in pairs {
        if i == j || i >= n || j >= n {
            continue;
        }
        match r.dominance {
            Dominance::ADominates => {
                net[i] += 1;
                net[j] -= 1;
            }
            Dominance::BDominates => {
                net[i] -= 1;
                net[j] += 1;
            }
            Dominance::Neither => {}
        }
        match r.a_faster {
            Some(true) => faster[i] += 1.0,
            Some(false) => faster[j] += 1.0,
            None => {
                faster[i] += 0.5;
                faster[j] += 0.5;
            }
        }
        seen[i] += 1;
        seen[j] += 1;
    }
    let others = (n - 1) as f64;
    (0..n)
        .map(|i| {
            // Unseen pairs are ties: half a latency win each.
            let f = (faster[i] + 0.5 * (n - 1 - seen[i].min(n - 1)) as f64) / others;
            (net[i] as f64 + others + LATENCY_TIE_BREAK * f) / (2.0 * others + LATENCY_TIE_BREAK)
        })
        .collect()
}

/// GRPO group-relative advantages: (r − mean) / std (population std). A group whose rewards are
/// all equal (std below 1e-9) carries no preference: every advantage is 0, not NaN.
pub fn advantages(rewards: &[f64]) -> Vec<f64> {
    if rewards.is_empty() {
        return Vec::new();
    }
    let n = rewards.len() as f64;
    let mean = rewards.iter().sum::<f64>() / n;
    let std = (rewards.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / n).sqrt();
    if std < 1e-9 {
        return vec![0.0; rewards.len()];
    }
    rewards.iter().map(|r| (r - mean) / std).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_qor::{Latency, Resources};
    use proptest::prelude::*;

    fn q(v: [u64; 5]) -> Qor {
        Qor { latency: Latency::exact(v[0]), ii: None, resources: Resources { lut: v[1], ff: v[2], dsp: v[3], bram: v[4], uram: None } }
    }

    fn all_pairs(qs: &[Option<Qor>]) -> Vec<((usize, usize), Relation)> {
        let mut out = Vec::new();
        for i in 0..qs.len() {
            for j in i + 1..qs.len() {
                out.push(((i, j), Relation::of_results(qs[i].as_ref(), qs[j].as_ref())));
            }
        }
        out
    }

    #[test]
    fn dominance_chain_orders_rewards_and_spans_the_range() {
        let qs = vec![Some(q([10, 1, 1, 1, 1])), Some(q([20, 2, 2, 2, 2])), Some(q([30, 3, 3, 3, 3]))];
        let r = rewards(3, &all_pairs(&qs));
        assert_eq!(r[0], 1.0);
        assert_eq!(r[2], 0.0);
        assert!((r[1] - 0.5).abs() < 1e-12);
    }

    #[test]
    fn latency_breaks_ties_but_never_beats_dominance() {
        // A and B trade off (neither dominates); A is faster. C is dominated by B only.
        let a = q([10, 9, 9, 9, 9]);
        let b = q([20, 1, 1, 1, 1]);
        let c = q([25, 2, 2, 2, 2]);
        let r = rewards(3, &all_pairs(&[Some(a), Some(b), Some(c)]));
        // B dominates C: net +1; A: net 0 but fastest. B must still rank above A.
        assert!(r[1] > r[0], "{r:?}");
        assert!(r[0] > r[2], "{r:?}");
    }

    #[test]
    fn equal_designs_tie_and_all_equal_groups_have_zero_advantages() {
        let x = q([10, 1, 1, 1, 1]);
        let r = rewards(4, &all_pairs(&[Some(x), Some(x), Some(x), Some(x)]));
        assert!(r.iter().all(|v| (v - 0.5).abs() < 1e-12), "{r:?}");
        assert_eq!(advantages(&r), vec![0.0; 4]);
        assert_eq!(advantages(&[]), Vec::<f64>::new());
        assert_eq!(rewards(1, &[]), vec![0.5]);
    }

    #[test]
    fn failed_designs_rank_last() {
        let r = rewards(3, &all_pairs(&[None, Some(q([10, 1, 1, 1, 1])), Some(q([99, 9, 9, 9, 9]))]));
        assert!(r[0] < r[2] && r[2] < r[1], "{r:?}");
    }

    #[test]
    fn a_dominance_cycle_ties_its_members() {
        // Only a proxy can say this: A≻B, B≻C, C≻A with A faster than B faster than C faster than A.
        let rel = |d| Relation { dominance: d, a_faster: Some(true) };
        let pairs = vec![((0, 1), rel(Dominance::ADominates)), ((1, 2), rel(Dominance::ADominates)), ((2, 0), rel(Dominance::ADominates))];
        let r = rewards(3, &pairs);
        assert!(r.iter().all(|v| (v - r[0]).abs() < 1e-12), "{r:?}");
        assert!(advantages(&r).iter().all(|a| *a == 0.0));
    }

    #[test]
    fn advantages_are_standardised() {
        let a = advantages(&[0.0, 0.5, 1.0]);
        assert!(a.iter().sum::<f64>().abs() < 1e-12);
        let var = a.iter().map(|x| x * x).sum::<f64>() / 3.0;
        assert!((var - 1.0).abs() < 1e-12);
        assert!(a[0] < a[1] && a[1] < a[2]);
    }

    fn qor_strategy() -> impl Strategy<Value = Option<Qor>> {
        prop::option::weighted(0.9, prop::array::uniform5(1u64..6).prop_map(q))
    }

    proptest! {
        /// Rewards lie in [0, 1], depend only on the relations (not on the order or the
        /// orientation in which pairs are given), and advantages are finite and centred.
        #[test]
        fn rewards_are_bounded_and_orientation_free(qs in prop::collection::vec(qor_strategy(), 1..9)) {
            let pairs = all_pairs(&qs);
            let r = rewards(qs.len(), &pairs);
            prop_assert!(r.iter().all(|v| (0.0..=1.0).contains(v)));
            let flipped: Vec<_> = pairs.iter().rev().map(|&((i, j), rel)| ((j, i), rel.swapped())).collect();
            let r2 = rewards(qs.len(), &flipped);
            for (x, y) in r.iter().zip(&r2) {
                prop_assert!((x - y).abs() < 1e-12);
            }
            let adv = advantages(&r);
            prop_assert!(adv.iter().all(|a| a.is_finite()));
            prop_assert!(adv.iter().sum::<f64>().abs() < 1e-6);
        }

        /// A design that dominates every other design (real numbers) gets the top reward.
        #[test]
        fn a_dominating_design_is_on_top(qs in prop::collection::vec(prop::array::uniform5(2u64..6).prop_map(q), 1..8)) {
            let mut all: Vec<Option<Qor>> = qs.into_iter().map(Some).collect();
            all.push(Some(q([1, 1, 1, 1, 1])));
            let r = rewards(all.len(), &all_pairs(&all));
            let top = *r.last().unwrap();
            prop_assert!(r.iter().all(|v| *v <= top));
            prop_assert!((top - 1.0).abs() < 1e-12);
        }
    }
}
