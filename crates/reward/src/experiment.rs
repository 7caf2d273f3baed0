//! The replay experiment: a stream of groups of random designs of each kernel goes through the
//! group scorer (online updates on), and every decision and reward is checked against the truth
//! recorded in the dataset (which is also what "real synthesis" returns here).
//!
//! Simulated time: rewards are needed per RL step, a batch of groups (GRPO draws G samples for
//! each of several prompts); the syntheses of a step run 8 at a time at 40 s each, so a step with
//! S new syntheses waits ceil(S / 8) × 40 s plus the measured proxy time. The all-real baseline
//! synthesizes every candidate of the step (`speedup`, the definition); because a
//! recorded pool is finite, designs repeat over a long stream, so a second baseline that
//! synthesizes each distinct design once (as a store would) is reported too
//! (`speedup_distinct`): the honest number when repeats are an artefact of the replay.

use crate::math::{rewards, Relation};
use crate::scorer::{agrees, Candidate, GroupScore, GroupScorer};
use hlsseek_datasets::hlsyn::{Hlsyn, CLOCK_NS, PART};
use hlsseek_front::{DesignSpace, FrontOptions};
use hlsseek_proxy::{Rng, ToolVersion};
use hlsseek_qor::pareto::Dominance;
use hlsseek_qor::stats::kendall_tau;
use hlsseek_qor::Qor;
use hlsseek_synth::SynthRequest;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// A design of the stream with its recorded truth (`None`: the recorded run failed).
#[derive(Clone, Debug)]
pub struct StreamDesign {
    pub candidate: Candidate,
    pub truth: Option<Qor>,
}

/// The designs of one kernel under one tool version.
#[derive(Clone, Debug)]
pub struct StreamKernel {
    pub kernel: String,
    pub tool_version: String,
    pub designs: Vec<StreamDesign>,
}

/// Every recorded point of `kernels` (HLSyn `version`) that the proxy could have been trained
/// on — valid, with complete numbers — as candidates with their truth (what the recorded
/// backend answers: over-capacity points come back as failures).
pub fn load_hlsyn_stream(root: &std::path::Path, version: &str, kernels: &[String]) -> crate::Result<Vec<StreamKernel>> {
    let ds = Hlsyn::open(root)?;
    let tool = ToolVersion::parse(version);
    let profile = tool.profile(PART).map_err(|e| crate::RewardError::Invalid(e.to_string()))?;
    let opts = FrontOptions::default();
    let label = format!("hlsyn-{version}");
    let mut out = Vec::new();
    for name in kernels {
        let k = ds.kernel(version, name)?;
        let top = k.top().ok_or_else(|| crate::RewardError::Invalid(format!("{name}: no `#pragma ACCEL kernel` function")))?;
        let space = DesignSpace::new(vec![k.source.clone()], &top, &opts)
            .map_err(|e| crate::RewardError::Invalid(format!("{name}: {e}")))?;
        let designs: Vec<StreamDesign> = k
            .records
            .par_iter()
            .filter(|r| r.valid && r.qor().is_some())
            .filter_map(|r| {
                let files = space.render(&r.point).ok()?;
                let request = SynthRequest { files, top: top.clone(), part: PART.into(), clock_ns: CLOCK_NS };
                let truth = hlsseek_synth::recorded::hlsyn::answer(r, &label).ok().map(|a| a.qor);
                Some(StreamDesign { candidate: Candidate::new(r.key.clone(), request, tool, &profile, &opts), truth })
            })
            .collect();
        if designs.len() >= 2 {
            out.push(StreamKernel { kernel: name.clone(), tool_version: version.into(), designs });
        }
    }
    Ok(out)
}

#[derive(Clone, Debug, Serialize)]
pub struct ExperimentConfig {
    /// Candidates per group (GRPO's G).
    pub group: usize,
    /// Groups drawn per kernel.
    pub groups: usize,
    /// Groups per RL step (their syntheses share the parallel slots).
    pub step_groups: usize,
    pub parallel_syntheses: usize,
    pub synthesis_seconds: f64,
    pub seed: u64,
    /// When the stream waits for a running fine-tuning to be swapped in.
    pub sync: UpdateSync,
}

/// How the replayed stream lines up with background fine-tuning. Here a "synthesis" answers in
/// microseconds, so without a rule the stream would outrun every update; in the simulated
/// world a step waits 40 s for its syntheses, far longer than a fine-tuning (seconds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateSync {
    /// Never wait: updates land whenever they finish (not reproducible).
    Background,
    /// Wait at the end of each RL step (the simulated time has room for it). The default.
    Step,
    /// Wait after every group.
    Group,
}

impl Default for ExperimentConfig {
    fn default() -> Self {
        ExperimentConfig { group: 8, groups: 40, step_groups: 8, parallel_syntheses: 8, synthesis_seconds: 40.0, seed: 1, sync: UpdateSync::Step }
    }
}

/// What one scored group contributed.
#[derive(Clone, Debug, Default)]
struct GroupOutcome {
    pairs: usize,
    agree: usize,
    latency_pairs: usize,
    latency_agree: usize,
    /// Pairs left unsettled (judged by the neighbours or the proxy), and how many were right.
    proxy_pairs: usize,
    proxy_agree: usize,
    /// Of those, pairs whose truth is "neither dominates", pairs where the proxy claimed a
    /// dominance, and claims that were right.
    proxy_truth_neither: usize,
    proxy_claims: usize,
    proxy_claims_right: usize,
    /// Of the pairs left unsettled, those the neighbours judged, how many they got right, and
    /// how many the proxy would have.
    neighbour_pairs: usize,
    neighbour_agree: usize,
    neighbour_proxy_agree: usize,
    tau: Option<f64>,
    candidates: usize,
    synthesized: usize,
    /// Designs not seen earlier in the stream (what synthesizing every candidate would pay).
    first_seen: usize,
    proxy_seconds: f64,
}

/// Metrics over a slice of the stream.
#[derive(Clone, Debug, Default, Serialize)]
pub struct StreamMetrics {
    pub groups: usize,
    pub pairs: usize,
    /// Share of pairwise Pareto-dominance decisions (3-way) equal to the recorded truth.
    pub pairwise_agreement: f64,
    /// Share of latency-order decisions equal to the truth, over pairs whose recorded latencies
    /// differ by more than 1%.
    pub latency_agreement: f64,
    /// Agreement on the pairs left unsettled by real results (judged by the neighbours or the
    /// proxy; the name predates the neighbours and is kept so reports stay comparable).
    pub proxy_agreement: f64,
    /// What answering "neither dominates" on every unsettled pair would score: the
    /// baseline `proxy_agreement` has to beat (with five objectives most pairs are "neither").
    pub proxy_neither_baseline: f64,
    /// Share of the unsettled pairs on which a dominance was claimed (a design the front-end
    /// could not read counts as failed, which is a claim too), and the share of those claims
    /// that were right.
    pub proxy_claim_rate: f64,
    pub proxy_claim_precision: f64,
    /// Share of the unsettled pairs judged by the task's known real results (neighbours in
    /// pragmas) instead of the proxy, their agreement there, and what the proxy's own decision
    /// would have scored on the same pairs.
    pub neighbour_share: f64,
    pub neighbour_agreement: f64,
    pub neighbour_proxy_agreement: f64,
    /// Mean over groups of Kendall's tau-b between the group rewards and the rewards all-real
    /// synthesis gives (groups whose true rewards all tie are skipped).
    pub kendall_tau: f64,
    /// Candidates really synthesized / all candidates.
    pub synthesized_fraction: f64,
    pub syntheses_per_group: f64,
    pub simulated_seconds: f64,
    /// Synthesizing every candidate.
    pub all_real_seconds: f64,
    /// all_real_seconds / simulated_seconds.
    pub speedup: f64,
    /// Synthesizing each distinct design once (the first time it appears in the stream).
    pub distinct_real_seconds: f64,
    pub speedup_distinct: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExperimentReport {
    #[serde(flatten)]
    pub overall: StreamMetrics,
    pub first_quarter: StreamMetrics,
    pub last_quarter: StreamMetrics,
    pub kernels: Vec<(String, StreamMetrics)>,
    /// How many designs each kernel's groups are drawn from. A small pool repeats designs, and
    /// a repeat is answered by the store for free, so agreement and speed-up rise with the
    /// stream's length there without the proxy learning anything (docs/reward.md).
    pub pools: Vec<(String, usize)>,
    pub candidates: usize,
    pub syntheses: usize,
    /// Model versions swapped in during the stream.
    pub model_versions: usize,
}

fn summarise(outcomes: &[&GroupOutcome], cfg: &ExperimentConfig) -> StreamMetrics {
    let sum = |f: &dyn Fn(&GroupOutcome) -> usize| outcomes.iter().map(|o| f(o)).sum::<usize>();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (pairs, candidates, synthesized) = (sum(&|o| o.pairs), sum(&|o| o.candidates), sum(&|o| o.synthesized));
    let taus: Vec<f64> = outcomes.iter().filter_map(|o| o.tau).collect();
    // Steps of `step_groups` consecutive groups share the parallel synthesis slots.
    let (mut simulated, mut all_real, mut distinct) = (0.0, 0.0, 0.0);
    let slots = cfg.parallel_syntheses.max(1);
    for step in outcomes.chunks(cfg.step_groups.max(1)) {
        let s: usize = step.iter().map(|o| o.synthesized).sum();
        let f: usize = step.iter().map(|o| o.first_seen).sum();
        let c: usize = step.iter().map(|o| o.candidates).sum();
        simulated += s.div_ceil(slots) as f64 * cfg.synthesis_seconds + step.iter().map(|o| o.proxy_seconds).sum::<f64>();
        all_real += c.div_ceil(slots) as f64 * cfg.synthesis_seconds;
        distinct += f.div_ceil(slots) as f64 * cfg.synthesis_seconds;
    }
    StreamMetrics {
        groups: outcomes.len(),
        pairs,
        pairwise_agreement: ratio(sum(&|o| o.agree), pairs),
        latency_agreement: ratio(sum(&|o| o.latency_agree), sum(&|o| o.latency_pairs)),
        proxy_agreement: ratio(sum(&|o| o.proxy_agree), sum(&|o| o.proxy_pairs)),
        proxy_neither_baseline: ratio(sum(&|o| o.proxy_truth_neither), sum(&|o| o.proxy_pairs)),
        proxy_claim_rate: ratio(sum(&|o| o.proxy_claims), sum(&|o| o.proxy_pairs)),
        proxy_claim_precision: ratio(sum(&|o| o.proxy_claims_right), sum(&|o| o.proxy_claims)),
        neighbour_share: ratio(sum(&|o| o.neighbour_pairs), sum(&|o| o.proxy_pairs)),
        neighbour_agreement: ratio(sum(&|o| o.neighbour_agree), sum(&|o| o.neighbour_pairs)),
        neighbour_proxy_agreement: ratio(sum(&|o| o.neighbour_proxy_agree), sum(&|o| o.neighbour_pairs)),
        kendall_tau: if taus.is_empty() { 0.0 } else { taus.iter().sum::<f64>() / taus.len() as f64 },
        synthesized_fraction: ratio(synthesized, candidates),
        syntheses_per_group: ratio(synthesized, outcomes.len()),
        simulated_seconds: simulated,
        all_real_seconds: all_real,
        speedup: if simulated > 0.0 { all_real / simulated } else { 0.0 },
        distinct_real_seconds: distinct,
        speedup_distinct: if simulated > 0.0 { distinct / simulated } else { 0.0 },
    }
}

/// Check one scored group against the truth.
fn judge(score: &GroupScore, truth: &[Option<Qor>]) -> GroupOutcome {
    let n = truth.len();
    let mut o = GroupOutcome { candidates: n, synthesized: score.synthesized, proxy_seconds: score.proxy_seconds, ..Default::default() };
    let mut true_pairs = Vec::with_capacity(score.pairs.len());
    for d in &score.pairs {
        let t = Relation::of_results(truth[d.a].as_ref(), truth[d.b].as_ref());
        true_pairs.push(((d.a, d.b), t));
        o.pairs += 1;
        let ok = agrees(&d.relation, &t);
        o.agree += ok as usize;
        if !d.from_synthesis {
            o.proxy_pairs += 1;
            o.proxy_agree += ok as usize;
            o.proxy_truth_neither += (t.dominance == Dominance::Neither) as usize;
            if d.relation.dominance != Dominance::Neither {
                o.proxy_claims += 1;
                o.proxy_claims_right += ok as usize;
            }
            if d.by_neighbours {
                o.neighbour_pairs += 1;
                o.neighbour_agree += ok as usize;
                o.neighbour_proxy_agree += d.proxy.as_ref().is_some_and(|p| agrees(p, &t)) as usize;
            }
        }
        if let (Some(a), Some(b)) = (&truth[d.a], &truth[d.b]) {
            let (la, lb) = (hlsseek_qor::pareto::objectives(a)[0] as f64, hlsseek_qor::pareto::objectives(b)[0] as f64);
            if (la - lb).abs() > 0.01 * la.max(lb) {
                o.latency_pairs += 1;
                o.latency_agree += (d.relation.a_faster == Some(la < lb)) as usize;
            }
        }
    }
    o.tau = kendall_tau(&score.rewards(), &rewards(n, &true_pairs));
    o
}

/// Run the stream: `groups` rounds, each drawing one group of `group` distinct designs from
/// every kernel in turn. `progress(done, total)` after each group.
pub fn run(kernels: &[StreamKernel], scorer: &GroupScorer, cfg: &ExperimentConfig, progress: &mut dyn FnMut(usize, usize)) -> crate::Result<ExperimentReport> {
    if kernels.is_empty() {
        return Err(crate::RewardError::Invalid("no kernel with at least two usable designs to stream".into()));
    }
    let mut rng = Rng::new(cfg.seed);
    let total = cfg.groups * kernels.len();
    let mut outcomes: Vec<(usize, GroupOutcome)> = Vec::with_capacity(total);
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    for _ in 0..cfg.groups {
        for (k, sk) in kernels.iter().enumerate() {
            let mut idx: Vec<usize> = (0..sk.designs.len()).collect();
            rng.shuffle(&mut idx);
            idx.truncate(cfg.group.max(1));
            let candidates: Vec<Candidate> = idx.iter().map(|&i| sk.designs[i].candidate.clone()).collect();
            let truth: Vec<Option<Qor>> = idx.iter().map(|&i| sk.designs[i].truth).collect();
            let score = scorer.score(&sk.kernel, &sk.tool_version, &candidates, rng.next_u64())?;
            let mut o = judge(&score, &truth);
            o.first_seen = idx.iter().filter(|&&i| seen.insert((k, i))).count();
            outcomes.push((k, o));
            let step_done = outcomes.len().is_multiple_of(cfg.step_groups.max(1));
            if cfg.sync == UpdateSync::Group || (cfg.sync == UpdateSync::Step && step_done) {
                scorer.updater.wait();
            }
            progress(outcomes.len(), total);
        }
    }
    scorer.updater.wait();
    let all: Vec<&GroupOutcome> = outcomes.iter().map(|(_, o)| o).collect();
    let q = (all.len() / 4).max(1);
    let kernels_report = kernels
        .iter()
        .enumerate()
        .map(|(k, sk)| {
            let mine: Vec<&GroupOutcome> = outcomes.iter().filter(|(kk, _)| *kk == k).map(|(_, o)| o).collect();
            (sk.kernel.clone(), summarise(&mine, cfg))
        })
        .collect();
    Ok(ExperimentReport {
        overall: summarise(&all, cfg),
        first_quarter: summarise(&all[..q], cfg),
        last_quarter: summarise(&all[all.len() - q..], cfg),
        kernels: kernels_report,
        pools: kernels.iter().map(|sk| (sk.kernel.clone(), sk.designs.len())).collect(),
        candidates: all.iter().map(|o| o.candidates).sum(),
        syntheses: all.iter().map(|o| o.synthesized).sum(),
        model_versions: scorer.updater.versions().len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scorer::{DesignResult, PairDecision};
    use hlsseek_qor::{Latency, Resources};

    fn qor(latency: u64, lut: u64) -> Qor {
        Qor { latency: Latency::exact(latency), ii: Some(1), resources: Resources { lut, ..Default::default() } }
    }

    fn decision(a: usize, b: usize, dominance: Dominance, a_faster: bool, from_synthesis: bool) -> PairDecision {
        let relation = Relation { dominance, a_faster: Some(a_faster) };
        PairDecision { a, b, relation, from_synthesis, proxy: Some(relation), neighbours: None, by_neighbours: false, uncertainty: 0.5 }
    }

    /// Design 0 dominates 1; 2 is fastest but largest, so it neither dominates nor is dominated.
    /// Pair (0, 1) is settled by synthesis; the proxy claims 0 ≻ 2 (wrong) and says "neither"
    /// for (1, 2) (right, but with the wrong latency order).
    #[test]
    fn judging_counts_agreement_the_neither_baseline_and_the_proxy_claims() {
        let truth = vec![Some(qor(10, 10)), Some(qor(20, 20)), Some(qor(5, 30))];
        let pairs = vec![
            decision(0, 1, Dominance::ADominates, true, true),
            decision(0, 2, Dominance::ADominates, false, false),
            decision(1, 2, Dominance::Neither, true, false),
        ];
        let designs = (0..3).map(|k| DesignResult { id: k.to_string(), reward: 0.5, advantage: 0.0, real: None, qor: None }).collect();
        let score = GroupScore { designs, pairs, synthesized: 2, model_version: 0, proxy_seconds: 0.0, synthesis_seconds: 0.0 };
        let o = judge(&score, &truth);
        let m = summarise(&[&o], &ExperimentConfig::default());
        assert_eq!(m.pairs, 3);
        assert!((m.pairwise_agreement - 2.0 / 3.0).abs() < 1e-12);
        assert!((m.latency_agreement - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(m.proxy_agreement, 0.5);
        assert_eq!(m.proxy_neither_baseline, 1.0, "both pairs left to the proxy are truly 'neither'");
        assert_eq!(m.proxy_claim_rate, 0.5);
        assert_eq!(m.proxy_claim_precision, 0.0);
        assert!((m.synthesized_fraction - 2.0 / 3.0).abs() < 1e-12);
    }
}
