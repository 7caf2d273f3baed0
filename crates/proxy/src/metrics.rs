//! Pairwise evaluation: 3-way dominance accuracy and balanced accuracy, latency-order accuracy
//! over pairs whose latencies clearly differ, per-kernel breakdowns, and the calibration of the
//! uncertainty (accuracy of the most-certain half of pairs against the least-certain half).

use crate::data::{pair_label, PairLabel, Task};
use crate::error::Result;
use crate::model::{reduce, Decision, PairScore, ProxyModel};
use crate::network::OBJECTIVES;
use serde::Serialize;

/// Pairs scored per tensor batch: bounds memory on kernels with hundreds of thousands of pairs.
const CHUNK: usize = 4096;
/// Designs embedded per batch.
const EMBED_CHUNK: usize = 512;

/// Accuracy of the most- and least-certain halves of the pairs (by predictive entropy).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Halves {
    pub certain_accuracy: f64,
    pub uncertain_accuracy: f64,
    pub pairs: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Calibration {
    pub dominance: Halves,
    pub latency: Halves,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub pairs: usize,
    pub dominance_accuracy: f64,
    pub dominance_balanced_accuracy: f64,
    pub latency_pairs: usize,
    pub latency_accuracy: f64,
    /// True class counts: A dominates, B dominates, neither.
    pub class_counts: [usize; 3],
    /// Per objective (latency, LUT, FF, DSP, BRAM): accuracy of the 3-way "A lower / B lower /
    /// equal" judgement, over every pair.
    pub objective_accuracy: [f64; OBJECTIVES],
}

#[derive(Clone, Debug, Serialize)]
pub struct KernelMetrics {
    pub kernel: String,
    pub version: String,
    #[serde(flatten)]
    pub summary: Summary,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct Metrics {
    #[serde(flatten)]
    pub summary: Summary,
    pub calibration: Calibration,
    pub per_kernel: Vec<KernelMetrics>,
    /// The same pairs judged by the direct heads alone (the default [`Decision`]), for
    /// comparison with the model's fitted decision.
    pub direct_heads: Summary,
    /// The same pairs judged by the analytical estimator alone (its log numbers in the graph's
    /// global features: Pareto comparison of its five objectives, and its latency order): the
    /// floor a learnt model must beat.
    pub estimator: Summary,
}

/// The estimator's own judgement of a pair, from the graph-level features.
pub fn estimator_judgement(a: &crate::graph::DesignGraph, b: &crate::graph::DesignGraph) -> PairScore {
    let (mut a_le, mut b_le, mut eq) = (true, true, true);
    let mut p_objectives = [[0f32; 3]; OBJECTIVES];
    for (k, row) in p_objectives.iter_mut().enumerate() {
        let (x, y) = (a.global[k], b.global[k]);
        let c = if (x - y).abs() < 1e-6 { 2 } else if x < y { 0 } else { 1 };
        row[c] = 1.0;
        a_le &= c != 1;
        b_le &= c != 0;
        eq &= c == 2;
    }
    let dom = if eq { [0.0, 0.0, 1.0] } else if a_le { [1.0, 0.0, 0.0] } else if b_le { [0.0, 1.0, 0.0] } else { [0.0, 0.0, 1.0] };
    let lat = p_objectives[0][0] + 0.5 * p_objectives[0][2];
    PairScore {
        p_a_dominates: dom[0],
        p_b_dominates: dom[1],
        p_neither: dom[2],
        p_latency_a_faster: lat,
        dominance_entropy: 0.0,
        latency_entropy: 0.0,
        dominance_std: 0.0,
        latency_std: 0.0,
        p_objectives,
    }
}

/// One judged pair.
#[derive(Clone, Copy, Debug)]
pub struct Judged {
    pub truth: u32,
    pub predicted: u32,
    pub dominance_uncertainty: f32,
    /// (truth A faster, predicted A faster) for pairs whose latencies differ by more than 1%.
    pub latency: Option<(bool, bool)>,
    pub latency_uncertainty: f32,
    /// Per objective: (truth, predicted) class, 0 A lower, 1 B lower, 2 equal.
    pub objectives: [(u32, u32); OBJECTIVES],
}

fn argmax3(p: &[f32; 3]) -> u32 {
    if p[0] >= p[1] && p[0] >= p[2] {
        0
    } else if p[1] >= p[2] {
        1
    } else {
        2
    }
}

pub fn judge(score: &PairScore, a: &hlsseek_qor::Qor, b: &hlsseek_qor::Qor) -> Judged {
    judge_with_label(score, &pair_label(a, b))
}

/// [`judge`] against an already computed label.
pub fn judge_with_label(score: &PairScore, label: &PairLabel) -> Judged {
    Judged {
        truth: label.dominance,
        predicted: crate::data::dominance_class(score.dominance()),
        dominance_uncertainty: score.dominance_entropy,
        latency: label.latency_clear.then(|| (label.a_faster == Some(true), score.p_latency_a_faster > 0.5)),
        latency_uncertainty: score.latency_entropy,
        objectives: std::array::from_fn(|k| (label.objectives[k], argmax3(&score.p_objectives[k]))),
    }
}

pub fn summarise(judged: &[Judged]) -> Summary {
    let mut counts = [0usize; 3];
    let mut hits = [0usize; 3];
    let (mut lat_n, mut lat_ok) = (0usize, 0usize);
    let mut obj_ok = [0usize; OBJECTIVES];
    for j in judged {
        for (ok, (t, p)) in obj_ok.iter_mut().zip(&j.objectives) {
            *ok += (t == p) as usize;
        }
        counts[j.truth as usize] += 1;
        hits[j.truth as usize] += (j.truth == j.predicted) as usize;
        if let Some((t, p)) = j.latency {
            lat_n += 1;
            lat_ok += (t == p) as usize;
        }
    }
    let n = judged.len();
    let present: Vec<usize> = (0..3).filter(|&c| counts[c] > 0).collect();
    let balanced = if present.is_empty() { 0.0 } else { present.iter().map(|&c| hits[c] as f64 / counts[c] as f64).sum::<f64>() / present.len() as f64 };
    Summary {
        pairs: n,
        dominance_accuracy: ratio(hits.iter().sum(), n),
        dominance_balanced_accuracy: balanced,
        latency_pairs: lat_n,
        latency_accuracy: ratio(lat_ok, lat_n),
        class_counts: counts,
        objective_accuracy: obj_ok.map(|k| ratio(k, n)),
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// Split items by uncertainty (ties broken by order, so halves are equal in size) and give the
/// accuracy of each half.
fn halves(mut items: Vec<(f32, bool)>) -> Halves {
    items.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mid = items.len() / 2;
    let acc = |s: &[(f32, bool)]| ratio(s.iter().filter(|x| x.1).count(), s.len());
    Halves { certain_accuracy: acc(&items[..mid]), uncertain_accuracy: acc(&items[mid..]), pairs: items.len() }
}

pub fn calibration(judged: &[Judged]) -> Calibration {
    Calibration {
        dominance: halves(judged.iter().map(|j| (j.dominance_uncertainty, j.truth == j.predicted)).collect()),
        latency: halves(judged.iter().filter_map(|j| j.latency.map(|(t, p)| (j.latency_uncertainty, t == p))).collect()),
    }
}

/// Score the given pairs of every task (`pairs[t]` indexes `tasks[t].designs`) and measure.
/// `passes == 0` scores deterministically (dropout off), otherwise MC dropout with that many
/// passes. `progress(done, total)` counts pairs.
pub fn evaluate(
    model: &ProxyModel,
    tasks: &[Task],
    pairs: &[Vec<(usize, usize)>],
    passes: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Metrics> {
    let total: usize = pairs.iter().map(Vec::len).sum();
    let mut done = 0;
    let mut all = Vec::with_capacity(total);
    let mut direct = Vec::with_capacity(total);
    let mut est = Vec::with_capacity(total);
    let mut per_kernel = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let Some(task_pairs) = pairs.get(t).filter(|p| !p.is_empty()) else { continue };
        let emb = embed_all(model, task)?;
        let mut judged = Vec::with_capacity(task_pairs.len());
        for (c, chunk) in task_pairs.chunks(CHUNK).enumerate() {
            let raw = model.raw_embedded(&emb, chunk, passes, seed ^ ((t as u64) << 40) ^ c as u64)?;
            let scores = reduce(&raw, &model.meta.decision);
            let plain = reduce(&raw, &Decision::default());
            for ((s, d), &(i, j)) in scores.iter().zip(&plain).zip(chunk) {
                let (a, b) = (&task.designs[i].qor, &task.designs[j].qor);
                judged.push(judge(s, a, b));
                direct.push(judge(d, a, b));
                est.push(judge(&estimator_judgement(&task.designs[i].graph, &task.designs[j].graph), a, b));
            }
            done += chunk.len();
            progress(done, total);
        }
        per_kernel.push(KernelMetrics { kernel: task.kernel.clone(), version: task.version.clone(), summary: summarise(&judged) });
        all.extend(judged);
    }
    Ok(Metrics { summary: summarise(&all), calibration: calibration(&all), per_kernel, direct_heads: summarise(&direct), estimator: summarise(&est) })
}

/// Embeddings of every design of a task, in design order.
pub fn embed_all(model: &ProxyModel, task: &Task) -> Result<candle_core::Tensor> {
    let mut parts = Vec::new();
    for chunk in task.designs.chunks(EMBED_CHUNK) {
        let graphs: Vec<_> = chunk.iter().map(|d| &d.graph).collect();
        parts.push(model.embed(&graphs)?);
    }
    Ok(candle_core::Tensor::cat(&parts, 0)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(truth: u32, predicted: u32, u: f32) -> Judged {
        Judged {
            truth,
            predicted,
            dominance_uncertainty: u,
            latency: Some((true, truth == predicted)),
            latency_uncertainty: u,
            objectives: [(2, 2); OBJECTIVES],
        }
    }

    #[test]
    fn balanced_accuracy_is_mean_recall() {
        // 8 "neither" all right, 2 "A dominates" both wrong: accuracy 0.8, balanced 0.5.
        let mut v: Vec<Judged> = (0..8).map(|_| j(2, 2, 0.1)).collect();
        v.extend((0..2).map(|_| j(0, 2, 0.9)));
        let s = summarise(&v);
        assert!((s.dominance_accuracy - 0.8).abs() < 1e-12);
        assert!((s.dominance_balanced_accuracy - 0.5).abs() < 1e-12);
        assert_eq!(s.class_counts, [2, 0, 8]);
        assert!((s.latency_accuracy - 0.8).abs() < 1e-12);
        let c = calibration(&v);
        assert_eq!(c.dominance.certain_accuracy, 1.0);
        assert!((c.dominance.uncertain_accuracy - 0.6).abs() < 1e-12);
    }
}
