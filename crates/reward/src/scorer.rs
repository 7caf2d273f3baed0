//! The group scorer: G candidate designs of one task in, one QoR reward per design out.
//!
//! Every pair is judged by the proxy (with Monte-Carlo-dropout uncertainty). Pairs the proxy is
//! unsure about (uncertainty above the threshold) are settled by real synthesis instead, within a
//! per-group synthesis budget: the most uncertain pairs first, each design synthesized at most
//! once (the store remembers every answer, so a design synthesized for an earlier group is free
//! and its pairs are settled by its real numbers). New real results feed the online updater
//! and the task's memory, from which the pairs left unsettled are judged once the task has a
//! few real results ([`crate::local`]); before that, the proxy's decision stands.

use crate::local::{DesignView, TaskMemory};
use crate::math::{advantages, rewards, Relation};
use crate::online::{OnlineUpdater, RealResult};
use hlsseek_estimate::Profile;
use hlsseek_front::FrontOptions;
use hlsseek_proxy::data::Design;
use hlsseek_proxy::{prepare, DesignGraph, PairScore, ToolVersion};
use hlsseek_qor::Qor;
use hlsseek_synth::{SynthOutcome, SynthRequest, Synthesized, Synthesizer};
use serde::Serialize;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

/// One candidate design of a group.
#[derive(Clone, Debug)]
pub struct Candidate {
    /// A name for reports (a record key, a sample index).
    pub id: String,
    pub request: SynthRequest,
    /// The proxy's view of the design; `None` when the front-end could not read it.
    pub graph: Option<DesignGraph>,
    /// Why there is no graph.
    pub encode_error: Option<String>,
    /// What the neighbour judgements compare ([`crate::local`]).
    pub view: DesignView,
}

impl Candidate {
    /// Parse, estimate and encode a design. A design the front-end cannot read is still a
    /// candidate (synthesis has the last word); it just has no proxy view.
    pub fn new(id: impl Into<String>, request: SynthRequest, tool: ToolVersion, profile: &Profile, opts: &FrontOptions) -> Candidate {
        let prepared = prepare(&request.files, &request.top, opts, Some(profile), Some(request.clock_ns), tool);
        let (graph, encode_error, estimate) = match prepared {
            Ok(p) => (Some(p.graph), None, p.estimate.ok().map(|e| e.qor)),
            Err(e) => (None, Some(e), None),
        };
        let view = DesignView::new(&request.files, estimate.as_ref());
        Candidate { id: id.into(), request, graph, encode_error, view }
    }
}

/// How the scorer decides.
#[derive(Clone, Debug, Serialize)]
pub struct ScorerConfig {
    /// Pairs whose uncertainty is above this go to real synthesis (within the budget).
    pub threshold: f32,
    /// New syntheses per group at most.
    pub budget: usize,
    /// Also spend what is left of the budget on the most uncertain pairs below the threshold.
    pub spend_budget: bool,
    /// Monte-Carlo-dropout passes.
    pub passes: usize,
    /// Pairs left unsettled are judged by the task's known real results ([`crate::local`])
    /// once the task has at least this many (0: never; the proxy judges them).
    pub neighbours_after: usize,
    /// Pairs the neighbours are sure of are not switched to synthesis (uncertainty 0): each
    /// design known or within this many pragma lines of a known one (a changed value is 2), and
    /// both of their predictions agreeing (0: off, the proxy's uncertainty alone decides).
    pub sure_within: usize,
}

impl Default for ScorerConfig {
    fn default() -> Self {
        ScorerConfig { threshold: 0.5, budget: 2, spend_budget: false, passes: hlsseek_proxy::model::DEFAULT_PASSES, neighbours_after: 8, sure_within: 0 }
    }
}

/// The uncertainty the threshold applies to: the larger of the normalised dominance entropy and
/// the latency entropy of the mean prediction (both in [0, 1]). The reward uses both judgements,
/// so a pair is only as certain as its less certain half.
pub fn uncertainty(s: &PairScore) -> f32 {
    s.dominance_entropy.max(s.latency_entropy)
}

/// The proxy's hard decision for a pair.
pub fn proxy_relation(s: &PairScore) -> Relation {
    let p = s.p_latency_a_faster;
    Relation { dominance: s.dominance(), a_faster: if p == 0.5 { None } else { Some(p > 0.5) } }
}

/// The decision taken for one pair `a < b`.
#[derive(Clone, Debug, Serialize)]
pub struct PairDecision {
    pub a: usize,
    pub b: usize,
    pub relation: Relation,
    /// Settled by real results (of both designs, or a failed one).
    pub from_synthesis: bool,
    /// What the proxy said (absent when a design had no graph).
    pub proxy: Option<Relation>,
    /// What the task's known real results said ([`crate::local`]; absent while too few).
    pub neighbours: Option<Relation>,
    /// Who decided an unsettled pair: the neighbours (else the proxy).
    pub by_neighbours: bool,
    pub uncertainty: f32,
}

/// Where a design's real result came from, if it has one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RealSource {
    /// Synthesized for this group.
    Synthesized,
    /// Already in the store.
    Stored,
}

#[derive(Clone, Debug, Serialize)]
pub struct DesignResult {
    pub id: String,
    pub reward: f64,
    pub advantage: f64,
    /// Real result: where from, `ok` or the failure kind, and the QoR when it succeeded.
    pub real: Option<(RealSource, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qor: Option<Qor>,
}

/// A scored group.
#[derive(Clone, Debug, Serialize)]
pub struct GroupScore {
    pub designs: Vec<DesignResult>,
    pub pairs: Vec<PairDecision>,
    /// New syntheses run for this group.
    pub synthesized: usize,
    /// The proxy model version that judged the pairs.
    pub model_version: u64,
    /// Seconds spent encoding-free proxy scoring and bookkeeping (synthesis excluded).
    pub proxy_seconds: f64,
    /// Seconds the syntheses of this group took (as reported by the backend).
    pub synthesis_seconds: f64,
}

impl GroupScore {
    pub fn rewards(&self) -> Vec<f64> {
        self.designs.iter().map(|d| d.reward).collect()
    }
}

/// Scores groups of candidates of one task.
pub struct GroupScorer {
    pub updater: Arc<OnlineUpdater>,
    pub synth: Arc<Synthesizer>,
    pub config: ScorerConfig,
    /// Real results per task, for the neighbour judgements.
    pub memory: TaskMemory,
}

/// A real result as the reward needs it: `Some(qor)` or `None` for a failed design.
fn real_qor(o: &SynthOutcome) -> Option<Qor> {
    o.result.as_ref().ok().map(|r| r.qor)
}

/// The real QoR of each design: `None` where it is unknown or failed.
fn real_qors(real: &[Option<(RealSource, SynthOutcome)>]) -> Vec<Option<Qor>> {
    real.iter().map(|r| r.as_ref().and_then(|(_, o)| real_qor(o))).collect()
}

impl GroupScorer {
    pub fn new(updater: Arc<OnlineUpdater>, synth: Arc<Synthesizer>, config: ScorerConfig) -> GroupScorer {
        GroupScorer { updater, synth, config, memory: TaskMemory::default() }
    }

    /// Score one group of the task (`kernel`, tool version). `seed` drives the dropout masks.
    pub fn score(&self, kernel: &str, tool: &str, candidates: &[Candidate], seed: u64) -> crate::Result<GroupScore> {
        let n = candidates.len();
        let started = Instant::now();
        let model = self.updater.cell().current();
        // Real results already paid for.
        let stored: Vec<Option<Synthesized>> = candidates.iter().map(|c| self.synth.stored(&c.request)).collect();
        let task = format!("{kernel}\u{1f}{tool}");
        for (c, s) in candidates.iter().zip(&stored) {
            if let Some((s, q)) = s.as_ref().and_then(|s| Some((s, real_qor(&s.outcome)?))) {
                self.memory.record(&task, &s.key.to_hex(), &c.view, q);
            }
        }
        let mut real: Vec<Option<(RealSource, SynthOutcome)>> = stored.into_iter().map(|s| s.map(|s| (RealSource::Stored, s.outcome))).collect();

        // The proxy's view of every pair of designs it can read.
        let with_graph: Vec<usize> = (0..n).filter(|&i| candidates[i].graph.is_some()).collect();
        let graphs: Vec<&DesignGraph> = with_graph.iter().filter_map(|&i| candidates[i].graph.as_ref()).collect();
        let local_pairs: Vec<(usize, usize)> =
            (0..graphs.len()).flat_map(|i| (i + 1..graphs.len()).map(move |j| (i, j))).collect();
        let scores = if local_pairs.is_empty() { Vec::new() } else { model.model.score(&graphs, &local_pairs, self.config.passes, seed)? };
        let mut proxy: Vec<Option<PairScore>> = vec![None; n * n];
        for (&(i, j), s) in local_pairs.iter().zip(&scores) {
            proxy[with_graph[i] * n + with_graph[j]] = Some(*s);
        }
        let pairs: Vec<(usize, usize)> = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect();
        // A design without a graph is as uncertain as it gets.
        let mut unc: Vec<f32> = pairs.iter().map(|&(i, j)| proxy[i * n + j].as_ref().map_or(1.0, uncertainty)).collect();
        let views: Vec<&DesignView> = candidates.iter().map(|c| &c.view).collect();
        if self.config.neighbours_after > 0 && self.config.sure_within > 0 {
            let judged = self.memory.judge(&task, &views, &real_qors(&real), &pairs, self.config.neighbours_after, self.config.sure_within);
            for (u, j) in unc.iter_mut().zip(judged) {
                if j.is_some_and(|j| j.sure) {
                    *u = 0.0;
                }
            }
        }
        let mut proxy_seconds = started.elapsed().as_secs_f64();

        // Pick designs to synthesize: most uncertain unsettled pairs first.
        let settled = |real: &[Option<(RealSource, SynthOutcome)>], chosen: &HashSet<usize>, i: usize, j: usize| {
            let has = |k: usize| real[k].is_some() || chosen.contains(&k);
            let failed = |k: usize| real[k].as_ref().is_some_and(|(_, o)| o.result.is_err());
            (has(i) && has(j)) || failed(i) || failed(j)
        };
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        order.sort_by(|&x, &y| unc[y].total_cmp(&unc[x]));
        let mut chosen: HashSet<usize> = HashSet::new();
        let mut chosen_order: Vec<usize> = Vec::new();
        for &p in &order {
            let below = unc[p] <= self.config.threshold;
            if below && !self.config.spend_budget {
                break;
            }
            let (i, j) = pairs[p];
            if settled(&real, &chosen, i, j) {
                continue;
            }
            let need: Vec<usize> = [i, j].into_iter().filter(|&k| real[k].is_none() && !chosen.contains(&k)).collect();
            if need.len() > self.config.budget - chosen.len() {
                continue;
            }
            for k in need {
                chosen.insert(k);
                chosen_order.push(k);
            }
            if chosen.len() == self.config.budget {
                break;
            }
        }
        // One synthesis left and no pair it settles alone: synthesize the design with the most
        // uncertainty at stake. Its result settles its pairs with every design known later (the
        // store keeps it) and teaches the online update.
        if chosen.len() < self.config.budget {
            let mut stake = vec![0f32; n];
            for (p, &(i, j)) in pairs.iter().enumerate() {
                if (unc[p] > self.config.threshold || self.config.spend_budget) && !settled(&real, &chosen, i, j) {
                    stake[i] += unc[p];
                    stake[j] += unc[p];
                }
            }
            let best = (0..n).filter(|&k| real[k].is_none() && !chosen.contains(&k) && stake[k] > 0.0).max_by(|&a, &b| stake[a].total_cmp(&stake[b]));
            if let Some(k) = best {
                chosen.insert(k);
                chosen_order.push(k);
            }
        }

        // Synthesize (in parallel, through the store).
        let requests: Vec<SynthRequest> = chosen_order.iter().map(|&k| candidates[k].request.clone()).collect();
        let answers = self.synth.synthesize_many(&requests);
        let mut synthesized = 0;
        let mut synthesis_seconds = 0.0;
        let mut new_results = Vec::new();
        // The same design twice in a group is synthesized once (the Synthesizer merges identical
        // requests); count it once.
        let mut counted = HashSet::new();
        for (&k, s) in chosen_order.iter().zip(answers) {
            let source = if s.cached { RealSource::Stored } else { RealSource::Synthesized };
            if !s.cached && counted.insert(s.key) {
                synthesized += 1;
                synthesis_seconds += s.outcome.seconds;
            }
            if let Some(qor) = real_qor(&s.outcome) {
                self.memory.record(&task, &s.key.to_hex(), &candidates[k].view, qor);
            }
            if let (Some(graph), Some(qor)) = (&candidates[k].graph, real_qor(&s.outcome)) {
                new_results.push(RealResult {
                    kernel: kernel.to_string(),
                    tool_version: tool.to_string(),
                    design: Design { key: s.key.to_hex(), graph: graph.clone(), qor },
                });
            }
            real[k] = Some((source, s.outcome));
        }
        let t = Instant::now();
        if !new_results.is_empty() {
            self.updater.record(new_results);
        }

        // Decide every pair, reward every design.
        let qor = real_qors(&real);
        let none = HashSet::new();
        let neighbours: Vec<Option<Relation>> = if self.config.neighbours_after == 0 {
            vec![None; pairs.len()]
        } else {
            self.memory.judge(&task, &views, &qor, &pairs, self.config.neighbours_after, self.config.sure_within).into_iter().map(|j| j.map(|j| j.relation)).collect()
        };
        let decisions: Vec<PairDecision> = pairs
            .iter()
            .zip(&unc)
            .zip(neighbours)
            .map(|((&(i, j), &u), nb)| {
                let p = proxy[i * n + j].as_ref().map(proxy_relation);
                let from_synthesis = settled(&real, &none, i, j);
                let known = |k: usize| real[k].is_some();
                let (relation, by_neighbours) = if known(i) && known(j) {
                    (Relation::of_results(qor[i].as_ref(), qor[j].as_ref()), false)
                } else if from_synthesis {
                    // One design failed for real, the other was not synthesized: it is taken to
                    // work (it would be ranked as failed only by its own synthesis).
                    (Relation::by_validity(!known(i) || qor[i].is_some(), !known(j) || qor[j].is_some()), false)
                } else if let (Some(r), Some(_)) = (nb, p) {
                    // The task's own real results judge better than the proxy on kernels it
                    // never saw (docs/reward.md, session 27). A design the front-end could not
                    // read keeps the rule below.
                    (r, true)
                } else {
                    // Without a graph and without synthesis, a design is taken to have failed.
                    (p.unwrap_or_else(|| Relation::by_validity(candidates[i].graph.is_some(), candidates[j].graph.is_some())), false)
                };
                PairDecision { a: i, b: j, relation, from_synthesis, proxy: p, neighbours: nb, by_neighbours, uncertainty: u }
            })
            .collect();
        let rel: Vec<((usize, usize), Relation)> = decisions.iter().map(|d| ((d.a, d.b), d.relation)).collect();
        let r = rewards(n, &rel);
        let adv = advantages(&r);
        let designs = (0..n)
            .map(|k| DesignResult {
                id: candidates[k].id.clone(),
                reward: r[k],
                advantage: adv[k],
                real: real[k].as_ref().map(|(s, o)| (*s, o.status().to_string())),
                qor: qor[k],
            })
            .collect();
        proxy_seconds += t.elapsed().as_secs_f64();
        Ok(GroupScore { designs, pairs: decisions, synthesized, model_version: model.version, proxy_seconds, synthesis_seconds })
    }
}

/// The true relation of a pair of recorded outcomes (what the experiment measures against).
pub fn true_relation(a: &SynthOutcome, b: &SynthOutcome) -> Relation {
    Relation::of_results(real_qor(a).as_ref(), real_qor(b).as_ref())
}

/// Whether a decision agrees with the truth on Pareto dominance (the 3-way class).
pub fn agrees(decided: &Relation, truth: &Relation) -> bool {
    decided.dominance == truth.dominance
}
