//! Choosing the uncertainty threshold on validation pairs: from a target accuracy (the smallest
//! share of pairs sent to synthesis that reaches it) or from a target synthesis share.
//!
//! The model is: a pair above the threshold is settled by synthesis and so decided correctly; a
//! pair below keeps the proxy's answer. Calibration is per pair; the scorer's per-group budget
//! may still stop some uncertain pairs from reaching synthesis, so the accuracy reached in a
//! loop is at most the calibrated one.

use crate::scorer::{proxy_relation, uncertainty};
use hlsseek_proxy::data::{pair_label, Task};
use hlsseek_proxy::{ProxyModel, Rng};
use serde::Serialize;

/// One validation pair: the proxy's uncertainty and whether its decision was right.
#[derive(Clone, Copy, Debug)]
pub struct ValidationPair {
    pub uncertainty: f32,
    pub correct: bool,
}

/// A threshold and what it gives on the validation pairs.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Calibrated {
    pub threshold: f32,
    /// Share of pairs above the threshold (sent to synthesis).
    pub switched_fraction: f64,
    /// Accuracy with the switched pairs settled by synthesis.
    pub accuracy: f64,
    /// The proxy's accuracy alone.
    pub proxy_accuracy: f64,
    pub pairs: usize,
}

/// Pairs sorted most uncertain first, and the threshold that switches exactly the first `k`
/// (midway between the k-th and the next uncertainty, so ties are never split silently: a tie
/// at the cut moves the cut down to the tie's value, switching the whole tie).
fn cut(sorted: &[ValidationPair], k: usize) -> f32 {
    match (k, sorted.len()) {
        (_, 0) => 1.0,
        (0, _) => sorted[0].uncertainty.max(0.0) + 1e-6,
        (k, n) if k >= n => -1.0,
        (k, _) => {
            let (hi, lo) = (sorted[k - 1].uncertainty, sorted[k].uncertainty);
            if hi > lo { (hi + lo) / 2.0 } else { lo - 1e-6 }
        }
    }
}

fn evaluate(pairs: &[ValidationPair], threshold: f32) -> Calibrated {
    let n = pairs.len().max(1) as f64;
    let switched = pairs.iter().filter(|p| p.uncertainty > threshold).count();
    let right = pairs.iter().filter(|p| p.uncertainty > threshold || p.correct).count();
    let proxy_right = pairs.iter().filter(|p| p.correct).count();
    Calibrated {
        threshold,
        switched_fraction: switched as f64 / n,
        accuracy: right as f64 / n,
        proxy_accuracy: proxy_right as f64 / n,
        pairs: pairs.len(),
    }
}

fn sorted(pairs: &[ValidationPair]) -> Vec<ValidationPair> {
    let mut v = pairs.to_vec();
    v.sort_by(|a, b| b.uncertainty.total_cmp(&a.uncertainty));
    v
}

/// The highest threshold whose accuracy reaches `target` (switching as few pairs as possible).
pub fn for_accuracy(pairs: &[ValidationPair], target: f64) -> Calibrated {
    let s = sorted(pairs);
    let n = s.len();
    // Accuracy after switching the first k: (k + correct among the rest) / n, non-decreasing in k.
    let mut correct_rest: usize = s.iter().filter(|p| p.correct).count();
    for k in 0..=n {
        if n == 0 || (k + correct_rest) as f64 / n as f64 >= target {
            return evaluate(pairs, cut(&s, k));
        }
        correct_rest -= s[k].correct as usize;
    }
    evaluate(pairs, cut(&s, n))
}

/// The threshold that sends at most `fraction` of the pairs to synthesis.
pub fn for_budget(pairs: &[ValidationPair], fraction: f64) -> Calibrated {
    let s = sorted(pairs);
    let mut k = ((fraction.clamp(0.0, 1.0)) * s.len() as f64).floor() as usize;
    // Never exceed the budget because of a tie at the cut.
    while k > 0 && k < s.len() && s[k - 1].uncertainty == s[k].uncertainty {
        k -= 1;
    }
    evaluate(pairs, cut(&s, k))
}

/// Validation pairs from labelled tasks: up to `per_task` random pairs of each, judged by the
/// proxy the way the scorer judges them (its 3-way dominance decision).
pub fn validation_pairs(model: &ProxyModel, tasks: &[Task], per_task: usize, passes: usize, seed: u64) -> crate::Result<Vec<ValidationPair>> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for task in tasks.iter().filter(|t| t.designs.len() >= 2) {
        let n = task.designs.len();
        let pairs: Vec<(usize, usize)> = (0..per_task)
            .map(|_| {
                let a = rng.below(n);
                let b = (a + 1 + rng.below(n - 1)) % n;
                (a, b)
            })
            .collect();
        let graphs: Vec<_> = task.designs.iter().map(|d| &d.graph).collect();
        let scores = model.score(&graphs, &pairs, passes, rng.next_u64())?;
        for (&(a, b), s) in pairs.iter().zip(&scores) {
            let truth = pair_label(&task.designs[a].qor, &task.designs[b].qor).dominance;
            let decided = hlsseek_proxy::data::dominance_class(proxy_relation(s).dominance);
            out.push(ValidationPair { uncertainty: uncertainty(s), correct: decided == truth });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn vp(u: f32, c: bool) -> ValidationPair {
        ValidationPair { uncertainty: u, correct: c }
    }

    #[test]
    fn accuracy_target_switches_the_uncertain_wrong_pairs() {
        let pairs = [vp(0.9, false), vp(0.8, false), vp(0.5, true), vp(0.1, true), vp(0.05, true)];
        let c = for_accuracy(&pairs, 1.0);
        assert!(c.threshold < 0.8 && c.threshold > 0.5, "{c:?}");
        assert_eq!(c.accuracy, 1.0);
        assert!((c.switched_fraction - 0.4).abs() < 1e-12);
        assert!((c.proxy_accuracy - 0.6).abs() < 1e-12);
        // Already good enough: nothing switched.
        let c = for_accuracy(&pairs, 0.6);
        assert_eq!(c.switched_fraction, 0.0);
    }

    #[test]
    fn budget_is_never_exceeded_by_ties() {
        let pairs = [vp(0.7, false), vp(0.7, false), vp(0.7, true), vp(0.1, true)];
        let c = for_budget(&pairs, 0.5);
        assert!(c.switched_fraction <= 0.5, "{c:?}");
        assert_eq!(for_budget(&pairs, 1.0).switched_fraction, 1.0);
        assert_eq!(for_budget(&[], 0.3).pairs, 0);
    }

    proptest! {
        #[test]
        fn calibration_meets_its_target(raw in prop::collection::vec((0f32..1.0, any::<bool>()), 1..60), target in 0.0f64..1.0, budget in 0.0f64..1.0) {
            let pairs: Vec<_> = raw.iter().map(|&(u, c)| vp(u, c)).collect();
            let a = for_accuracy(&pairs, target);
            prop_assert!(a.accuracy + 1e-12 >= target);
            let b = for_budget(&pairs, budget);
            prop_assert!(b.switched_fraction <= budget + 1e-12);
            prop_assert!(b.accuracy >= b.proxy_accuracy);
        }
    }
}
