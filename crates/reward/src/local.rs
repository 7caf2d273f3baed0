//! Task-local neighbour judgements: what the real results already known for a task say about
//! designs of the same task that are not known yet.
//!
//! The candidates of one task mostly differ in a few pragmas. An unknown design's QoR is
//! predicted from its nearest known designs (fewest differing pragma lines) in two ways: their
//! real numbers as they are, and their real numbers scaled by the analytical estimator's ratio
//! between the unknown design and each neighbour (the estimator is poor at magnitudes on a kernel
//! it was never calibrated on, but better at the effect of a pragma change). A Pareto dominance is
//! claimed only when both predictions agree on it; the latency order comes from the scaled one.
//! A pair is *sure* when both designs are known or close to known ones and the two predictions
//! agree on dominance and latency order; the scorer can leave such pairs out of the switching.
//! Why this and not the proxy alone: on kernels the proxy never saw, its Pareto judgement stays at
//! the "neither dominates" constant however it is fine-tuned (docs/reward.md), while the
//! neighbours' real numbers are exact on the objectives a pragma change does not touch.

use crate::math::Relation;
use hlsseek_front::SourceFile;
use hlsseek_qor::pareto::{compare_objectives as compare, objectives, Dominance};
use hlsseek_qor::Qor;
use std::collections::{BTreeSet, HashMap};
use std::sync::Mutex;

/// A design as the neighbour search sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct DesignView {
    /// Each pragma line, normalised, anchored to the count of non-pragma lines before it in its
    /// file, so the same pragma on another loop is another line.
    pragmas: BTreeSet<String>,
    /// The analytical estimate's objectives (latency, LUT, FF, DSP, BRAM), when there is one.
    estimate: Option<[f64; 5]>,
}

impl DesignView {
    /// `estimate`: the analytical estimate of the design, if any (one without a latency bound
    /// scales nothing).
    pub fn new(files: &[SourceFile], estimate: Option<&Qor>) -> DesignView {
        let mut pragmas = BTreeSet::new();
        for f in files {
            let mut anchor = 0usize;
            for line in f.text.lines() {
                let t = line.trim();
                // `#pragma` and `# pragma` alike; layout and case inside do not matter.
                if let Some(rest) = t.strip_prefix('#').map(str::trim_start).and_then(|r| r.strip_prefix("pragma")) {
                    let norm: Vec<&str> = rest.split_whitespace().collect();
                    pragmas.insert(format!("{}:{anchor}:{}", f.name, norm.join(" ").to_ascii_lowercase()));
                } else if !t.is_empty() {
                    anchor += 1;
                }
            }
        }
        DesignView { pragmas, estimate: estimate.filter(|q| q.latency.value().is_some()).map(as_f64) }
    }

    /// Pragma lines one design has and the other has not.
    fn distance(&self, other: &DesignView) -> usize {
        self.pragmas.symmetric_difference(&other.pragmas).count()
    }
}

/// A design's objectives as two predictions (equal when the design is known).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Predicted {
    /// The nearest known designs' real numbers.
    neighbour: [f64; 5],
    /// Those numbers scaled by the estimator's ratio.
    scaled: [f64; 5],
}

fn as_f64(q: &Qor) -> [f64; 5] {
    objectives(q).map(|v| v as f64)
}

struct Known {
    key: String,
    view: DesignView,
    qor: Qor,
}

/// The real results of each task, for neighbour judgements. Shared by every group of a scorer.
#[derive(Default)]
pub struct TaskMemory {
    tasks: Mutex<HashMap<String, Vec<Known>>>,
}

impl TaskMemory {
    /// Remember a real (successful) result of `task`; a design key seen before is ignored.
    pub fn record(&self, task: &str, key: &str, view: &DesignView, qor: Qor) {
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        let known = tasks.entry(task.to_string()).or_default();
        if !known.iter().any(|k| k.key == key) {
            known.push(Known { key: key.to_string(), view: view.clone(), qor });
        }
    }

    /// How many real results of `task` are known.
    pub fn known(&self, task: &str) -> usize {
        self.tasks.lock().unwrap_or_else(|p| p.into_inner()).get(task).map_or(0, Vec::len)
    }

    /// Judge the pairs of a group. `views[k]` is design k's view and `real[k]` its real QoR when
    /// known. Returns, per pair of `pairs`, the neighbours' judgement, or `None` when the task
    /// has fewer than `min_known` real results (too few neighbours to say anything). A pair is
    /// `sure` when each design is known or within `sure_within` pragma lines of a known design
    /// (0: only known designs) and the two predictions agree on dominance and latency order.
    pub fn judge(&self, task: &str, views: &[&DesignView], real: &[Option<Qor>], pairs: &[(usize, usize)], min_known: usize, sure_within: usize) -> Vec<Option<Judgement>> {
        let tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        let known = match tasks.get(task) {
            Some(k) if k.len() >= min_known.max(1) => k,
            _ => return vec![None; pairs.len()],
        };
        let predicted: Vec<(Predicted, usize)> = views
            .iter()
            .zip(real)
            .map(|(v, r)| match r {
                Some(q) => (Predicted { neighbour: as_f64(q), scaled: as_f64(q) }, 0),
                None => predict(v, known),
            })
            .collect();
        pairs
            .iter()
            .map(|&(i, j)| {
                let ((a, da), (b, db)) = (&predicted[i], &predicted[j]);
                let by_neighbour = compare(&a.neighbour, &b.neighbour);
                let agree = by_neighbour == compare(&a.scaled, &b.scaled);
                let dominance = if agree { by_neighbour } else { Dominance::Neither };
                let (la, lb) = (a.scaled[0], b.scaled[0]);
                let same_order = a.neighbour[0].partial_cmp(&b.neighbour[0]) == la.partial_cmp(&lb);
                Some(Judgement {
                    relation: Relation { dominance, a_faster: if la == lb { None } else { Some(la < lb) } },
                    sure: agree && same_order && (*da).max(*db) <= sure_within,
                })
            })
            .collect()
    }
}

/// What the neighbours say about a pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Judgement {
    pub relation: Relation,
    /// Both designs are known or close to known ones, and both predictions say the same.
    pub sure: bool,
}

/// Predict an unknown design from its nearest known designs (all those at the smallest pragma
/// distance): their mean, and the geometric mean of each one scaled by the estimator's ratio;
/// with that distance.
fn predict(view: &DesignView, known: &[Known]) -> (Predicted, usize) {
    let distances: Vec<usize> = known.iter().map(|k| view.distance(&k.view)).collect();
    let nearest = distances.iter().copied().min().unwrap_or(0);
    let neighbours: Vec<&Known> = known.iter().zip(&distances).filter(|(_, &d)| d == nearest).map(|(k, _)| k).collect();
    let n = neighbours.len() as f64;
    let mut neighbour = [0f64; 5];
    let mut scaled = [0f64; 5];
    for m in 0..5 {
        neighbour[m] = neighbours.iter().map(|k| as_f64(&k.qor)[m]).sum::<f64>() / n;
        let log_scaled: f64 = neighbours
            .iter()
            .map(|k| {
                let real = as_f64(&k.qor)[m] + 1.0;
                match (view.estimate, k.view.estimate) {
                    (Some(u), Some(e)) => (real * (u[m] + 1.0) / (e[m] + 1.0)).ln(),
                    _ => real.ln(),
                }
            })
            .sum();
        // Counts are integers: rounding keeps a tie a tie (an objective the pragma change does
        // not touch comes back as the neighbour's number, not a hair above it).
        neighbour[m] = neighbour[m].round();
        scaled[m] = ((log_scaled / n).exp() - 1.0).round();
    }
    (Predicted { neighbour, scaled }, nearest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_qor::{Latency, Resources};

    fn qor(latency: u64, lut: u64, bram: u64) -> Qor {
        Qor { latency: Latency::exact(latency), ii: Some(1), resources: Resources { lut, ff: 100, dsp: 0, bram, uram: None } }
    }

    /// A two-loop kernel whose loops carry the given pragma lines (empty: none).
    fn source(l0: &str, l1: &str) -> Vec<SourceFile> {
        let text = format!("void k(int a[64]) {{\n  for (int i = 0; i < 64; i++) {{\n    {l0}\n    a[i] += 1;\n  }}\n  for (int j = 0; j < 64; j++) {{\n    {l1}\n    a[j] *= 2;\n  }}\n}}\n");
        vec![SourceFile { name: "k.c".into(), text }]
    }

    fn view(l0: &str, l1: &str, estimate: Option<Qor>) -> DesignView {
        DesignView::new(&source(l0, l1), estimate.as_ref())
    }

    const P: &str = "#pragma HLS pipeline";
    const U2: &str = "#pragma HLS unroll factor=2";
    const U4: &str = "#pragma HLS unroll factor=4";

    #[test]
    fn distance_counts_pragma_lines_by_their_loop() {
        let a = view(P, "", None);
        assert_eq!(a.distance(&view(P, "", None)), 0);
        // Layout and case do not matter.
        assert_eq!(a.distance(&DesignView::new(&source("#pragma   hls PIPELINE", ""), None)), 0);
        assert_eq!(a.distance(&DesignView::new(&source("# pragma HLS pipeline", ""), None)), 0);
        assert_eq!(a.distance(&view(P, U2, None)), 1, "one pragma added");
        assert_eq!(view(U2, "", None).distance(&view(U4, "", None)), 2, "one value changed");
        assert_eq!(a.distance(&view("", P, None)), 2, "the same pragma on the other loop is another line");
    }

    #[test]
    fn too_few_known_results_say_nothing() {
        let m = TaskMemory::default();
        m.record("t", "a", &view(P, "", None), qor(100, 10, 0));
        let views = [view(P, "", None), view(U2, "", None)];
        assert_eq!(m.judge("t", &views.iter().collect::<Vec<_>>(), &[None, None], &[(0, 1)], 2, 0), vec![None]);
        assert_eq!(m.judge("other", &views.iter().collect::<Vec<_>>(), &[None, None], &[(0, 1)], 1, 0), vec![None]);
        assert_eq!(m.known("t"), 1);
        m.record("t", "a", &view(P, "", None), qor(100, 10, 0));
        assert_eq!(m.known("t"), 1, "a design key is remembered once");
    }

    #[test]
    fn known_designs_relate_by_their_real_numbers() {
        let m = TaskMemory::default();
        m.record("t", "x", &view("", "", None), qor(500, 10, 0));
        let views = [view(P, "", None), view(U2, "", None)];
        let got = m.judge("t", &views.iter().collect::<Vec<_>>(), &[Some(qor(100, 10, 0)), Some(qor(200, 20, 1))], &[(0, 1)], 1, 0);
        let relation = Relation { dominance: Dominance::ADominates, a_faster: Some(true) };
        assert_eq!(got, vec![Some(Judgement { relation, sure: true })]);
    }

    /// The unknown design is one pragma from `near` and far from `far`: its prediction is
    /// `near`'s real numbers, scaled by the estimator's ratio for the scaled half.
    #[test]
    fn an_unknown_design_is_judged_from_its_nearest_known_design() {
        let m = TaskMemory::default();
        let est = |lat: u64, lut: u64| Some(qor(lat, lut, 0));
        m.record("t", "near", &view(U2, "", est(1000, 100)), qor(400, 50, 0));
        m.record("t", "far", &view(U4, U4, est(10, 10)), qor(1, 1, 0));
        // The estimator says the unknown design (pipelined instead of unrolled) takes half the
        // latency of `near` at the same LUTs: scaled (~200, 50), as is (400, 50). Both
        // dominate a known (500, 60).
        let unknown = view(P, "", est(500, 100));
        let known = view("", U2, None);
        let got = m.judge("t", &[&unknown, &known], &[None, Some(qor(500, 60, 0))], &[(0, 1)], 2, 2);
        let relation = Relation { dominance: Dominance::ADominates, a_faster: Some(true) };
        assert_eq!(got, vec![Some(Judgement { relation, sure: true })]);
        // Sure only while the unknown design is within reach of a known one: it is 2 lines
        // from `near`.
        let got = m.judge("t", &[&unknown, &known], &[None, Some(qor(500, 60, 0))], &[(0, 1)], 2, 1);
        assert_eq!(got, vec![Some(Judgement { relation, sure: false })]);
        // Against a known (300, 40): the neighbour's own numbers (400, 50) are dominated, the
        // scaled ones (~200, 50) trade latency for LUTs; the two disagree, so nothing is
        // claimed, and the latency order is the scaled one's.
        let got = m.judge("t", &[&unknown, &view("", U2, None)], &[None, Some(qor(300, 40, 0))], &[(0, 1)], 2, 2);
        let relation = Relation { dominance: Dominance::Neither, a_faster: Some(true) };
        assert_eq!(got, vec![Some(Judgement { relation, sure: false })]);
    }

    #[test]
    fn without_estimates_the_scaled_prediction_is_the_neighbour() {
        let known = [Known { key: "a".into(), view: view(U2, "", None), qor: qor(400, 50, 2) }];
        let (p, distance) = predict(&view(U4, "", Some(qor(1, 1, 1))), &known);
        assert_eq!(distance, 2);
        assert_eq!(p.neighbour, [400.0, 50.0, 100.0, 0.0, 2.0]);
        for (s, n) in p.scaled.iter().zip(p.neighbour) {
            assert!((s - n).abs() < 1e-9, "{:?}", p.scaled);
        }
    }

    fn bits(i: usize, estimate: Option<Qor>) -> DesignView {
        let text: String = (0..4).map(|k| format!("s{k};\n#pragma HLS bit{k} {}\n", (i >> k) & 1)).collect();
        DesignView::new(&[SourceFile { name: "k.c".into(), text }], estimate.as_ref())
    }

    proptest::proptest! {
        /// The judgement of a pair does not depend on the order its designs are given in.
        #[test]
        fn judging_a_pair_either_way_gives_the_swapped_relation(
            known in proptest::collection::vec((0usize..16, 1u64..1000, 1u64..1000, 0u64..4), 1..8),
            group in proptest::collection::vec((0usize..16, 1u64..1000, 1u64..1000), 2..6),
        ) {
            let m = TaskMemory::default();
            for (k, &(i, lat, lut, bram)) in known.iter().enumerate() {
                m.record("t", &format!("{k}"), &bits(i, Some(qor(lat / 2 + 1, lut, 0))), qor(lat, lut, bram));
            }
            let views: Vec<DesignView> = group.iter().map(|&(i, lat, lut)| bits(i, Some(qor(lat, lut, 0)))).collect();
            let refs: Vec<&DesignView> = views.iter().collect();
            let real = vec![None; group.len()];
            let forward: Vec<(usize, usize)> = (0..group.len()).flat_map(|a| (a + 1..group.len()).map(move |b| (a, b))).collect();
            let backward: Vec<(usize, usize)> = forward.iter().map(|&(a, b)| (b, a)).collect();
            let f = m.judge("t", &refs, &real, &forward, 1, 2);
            let b = m.judge("t", &refs, &real, &backward, 1, 2);
            for (x, y) in f.iter().zip(&b) {
                proptest::prop_assert_eq!(x.map(|j| Judgement { relation: j.relation.swapped(), sure: j.sure }), *y);
            }
        }
    }
}
