//! The search loop: spend at most `budget` syntheses on the pool's candidates, choosing each
//! batch with the proxy (or at random, the baseline), and keep the Pareto front of what real
//! synthesis said.
//!
//! Proxy-guided rounds (see docs/dse.md for the why and the measurements):
//! 1. **Start**: the space's default point (minimal pragmas: the low-resource end of the
//!    trade-off) and designs spread along the *estimator's* Pareto front of the pool, `initial`
//!    in all.
//! 2. **Prior** (once): every candidate against a fixed random sample of the pool gives its
//!    front-likeness (how rarely the proxy thinks a typical design dominates it), its place on
//!    the proxy's latency axis, and its MC-dropout spread.
//! 3. **Each round**, for every untried candidate `c`:
//!    `score = P(ok) · (front_like + P(nd) + w_lat · min(1, 4 · gap) + w_σ · σ)`, with
//!    `P(nd) = min_{f∈F} (1 − P(f ≻ c))` against the real front `F` found so far, `gap` the
//!    distance on the latency axis to the nearest design found (coverage of the front), and
//!    `P(ok)` the chance synthesis succeeds, a kernel-weighted average of the tried designs'
//!    outcomes in the standardised embedding space with the overall success rate as one
//!    pseudo-observation. The proxy was trained on successful designs only, so it cannot know
//!    which designs fail; failures cluster (a flattened outer loop times out whatever its
//!    factors), and the neighbours learn that within a few syntheses. The batch is filled
//!    greedily; after each pick the pick is *assumed* to succeed (its `P(pick ≻ c)` lowers the
//!    others' `P(nd)`, it covers its latency), so one batch does not spend its syntheses on
//!    near-twins.
//! 4. **Every `random_every`-th round** is a uniform random batch instead: a hedge against a
//!    proxy that is confidently wrong about a kernel it never saw (it tends to rank aggressive
//!    designs first and never visit the lean end of the front, which ADRS punishes most).
//! 5. Every answer is recorded, failures included (they count against the budget: a failed
//!    synthesis costs tool time too), and the search goes on with the rest.
//!
//! Pair scores are cached: a front member is scored against the pool once, not every round.

use crate::error::{DseError, Result};
use crate::pool::Pool;
use candle_core::Tensor;
use hlsseek_ir::DesignPoint;
use hlsseek_proxy::{PairScore, ProxyModel, Rng};
use hlsseek_qor::pareto::{self, objectives};
use hlsseek_qor::Qor;
use hlsseek_synth::{FailureKind, SynthRequest, Synthesizer, Target};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::time::Instant;

/// Knobs of the search itself.
#[derive(Clone, Debug, Serialize)]
pub struct SearchConfig {
    /// Syntheses to spend (failures and store hits count too).
    pub budget: usize,
    /// Designs synthesized before the proxy is asked (default point + estimator front).
    pub initial: usize,
    /// Designs synthesized per proxy round.
    pub batch: usize,
    /// MC-dropout passes per pair score.
    pub passes: usize,
    /// Weight of the dropout spread (exploration).
    pub explore: f32,
    /// Weight of the latency gap (coverage of the front along the proxy's latency axis).
    pub latency_weight: f32,
    /// Every this-many-th proxy round picks uniformly at random instead (0: never).
    pub random_every: usize,
    pub seed: u64,
}

impl Default for SearchConfig {
    fn default() -> Self {
        SearchConfig { budget: 30, initial: 4, batch: 2, passes: 16, explore: 0.5, latency_weight: 1.0, random_every: 3, seed: 0 }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// Proxy-guided (this crate's method).
    Proxy,
    /// Uniform random sampling of the pool (the baseline).
    Random,
}

/// Why a design was picked.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Pick {
    /// The space's default point.
    Default,
    /// Spread along the estimator's Pareto front of the pool.
    Estimator,
    /// Uniformly at random.
    Random,
    /// The proxy's acquisition score and its parts.
    Proxy { score: f32, p_ok: f32, p_non_dominated: f32, front_likeness: f32, speed: f32, gap: f32, spread: f32 },
}

/// A synthesis failure as reported.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Failure {
    pub kind: FailureKind,
    pub message: String,
}

/// One synthesized design.
#[derive(Clone, Debug, Serialize)]
pub struct Evaluated {
    /// Index into the pool.
    pub candidate: usize,
    pub point: DesignPoint,
    /// 0 for the initial designs, then one per proxy round (or batch of the baseline).
    pub round: usize,
    pub pick: Pick,
    /// The real QoR, when synthesis succeeded.
    pub qor: Option<Qor>,
    pub failure: Option<Failure>,
    /// Answered from the result store.
    pub cached: bool,
    /// Seconds the synthesis took (for a stored answer: what it cost originally).
    pub seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store_error: Option<String>,
}

/// The outcome of one search.
#[derive(Clone, Debug, Serialize)]
pub struct DseRun {
    pub strategy: Strategy,
    pub budget: usize,
    pub evaluated: Vec<Evaluated>,
    /// Indices into `evaluated` of the Pareto front of the successful designs.
    pub front: Vec<usize>,
    /// Index into `evaluated` of the fastest successful design (fewer resources break ties).
    pub best_latency: Option<usize>,
    pub failures: usize,
    pub cached: usize,
    /// Pairs the proxy scored.
    pub proxy_pairs: usize,
    pub seconds: f64,
}

impl DseRun {
    /// QoR of every successful design.
    pub fn found(&self) -> Vec<Qor> {
        self.evaluated.iter().filter_map(|e| e.qor).collect()
    }
}

/// Progress callback: the design just answered, syntheses spent, budget.
pub type Progress<'a> = &'a mut dyn FnMut(&Evaluated, usize, usize);

/// Design embeddings of the whole pool (deterministic: no dropout in the encoder), computed once
/// and shared by every search over the pool.
pub fn embed_pool(model: &ProxyModel, pool: &Pool) -> Result<Tensor> {
    let graphs: Vec<&hlsseek_proxy::DesignGraph> = pool.candidates.iter().map(|c| &c.graph).collect();
    // Chunks bound the size of one batched graph.
    let parts: Vec<Tensor> = graphs.chunks(256).map(|g| model.embed(g)).collect::<std::result::Result<_, _>>()?;
    Ok(Tensor::cat(&parts, 0)?)
}

/// What the loop knows so far.
struct State {
    evaluated: Vec<Evaluated>,
    taken: HashSet<usize>,
}

impl State {
    fn front(&self) -> Vec<usize> {
        let ok: Vec<usize> = (0..self.evaluated.len()).filter(|&i| self.evaluated[i].qor.is_some()).collect();
        let qors: Vec<Qor> = ok.iter().filter_map(|&i| self.evaluated[i].qor).collect();
        pareto::front(&qors).into_iter().map(|k| ok[k]).collect()
    }

    fn best_latency(&self) -> Option<usize> {
        (0..self.evaluated.len())
            .filter(|&i| self.evaluated[i].qor.is_some())
            .min_by_key(|&i| {
                let o = objectives(&self.evaluated[i].qor.unwrap_or_default());
                (o[0], o[1..].iter().sum::<u64>())
            })
    }
}

/// Synthesize `picks` (pool indices) in one batch and record the answers.
#[allow(clippy::too_many_arguments)]
fn synthesize(pool: &Pool, synth: &Synthesizer, target: &Target, state: &mut State, picks: Vec<(usize, Pick)>, round: usize, budget: usize, progress: &mut dyn FnMut(&Evaluated, usize, usize)) {
    let requests: Vec<SynthRequest> = picks
        .iter()
        .map(|(c, _)| SynthRequest { files: pool.candidates[*c].files.clone(), top: pool.space.top.clone(), part: target.part.clone(), clock_ns: target.clock_ns })
        .collect();
    let answers = synth.synthesize_many(&requests);
    for ((c, pick), done) in picks.into_iter().zip(answers) {
        let (qor, failure) = match &done.outcome.result {
            Ok(r) => (Some(r.qor), None),
            Err(f) => (None, Some(Failure { kind: f.kind, message: f.message.clone() })),
        };
        state.taken.insert(c);
        let e = Evaluated {
            candidate: c,
            point: pool.candidates[c].point.clone(),
            round,
            pick,
            qor,
            failure,
            cached: done.cached,
            seconds: done.outcome.seconds,
            store_error: done.store_error,
        };
        state.evaluated.push(e);
        progress(state.evaluated.last().expect("just pushed"), state.evaluated.len(), budget);
    }
}

fn finish(strategy: Strategy, budget: usize, state: State, proxy_pairs: usize, start: Instant) -> DseRun {
    let front = state.front();
    let best_latency = state.best_latency();
    let failures = state.evaluated.iter().filter(|e| e.failure.is_some()).count();
    let cached = state.evaluated.iter().filter(|e| e.cached).count();
    DseRun { strategy, budget, evaluated: state.evaluated, front, best_latency, failures, cached, proxy_pairs, seconds: start.elapsed().as_secs_f64() }
}

/// The baseline: `budget` distinct candidates drawn uniformly (seeded), synthesized in batches
/// of `cfg.batch`.
pub fn random_search(pool: &Pool, synth: &Synthesizer, target: &Target, cfg: &SearchConfig, progress: Progress) -> Result<DseRun> {
    if cfg.budget == 0 {
        return Err(DseError::ZeroBudget);
    }
    let start = Instant::now();
    let mut order: Vec<usize> = (0..pool.len()).collect();
    Rng::new(cfg.seed).fork(0x5EED).shuffle(&mut order);
    order.truncate(cfg.budget);
    let mut state = State { evaluated: Vec::new(), taken: HashSet::new() };
    for (round, chunk) in order.chunks(cfg.batch.max(1)).enumerate() {
        let picks = chunk.iter().map(|&c| (c, Pick::Random)).collect();
        synthesize(pool, synth, target, &mut state, picks, round, cfg.budget, progress);
    }
    Ok(finish(Strategy::Random, cfg.budget, state, 0, start))
}

/// Cached MC-dropout pair scores over the pool's embeddings.
struct Scorer<'a> {
    model: &'a ProxyModel,
    emb: &'a Tensor,
    passes: usize,
    seed: u64,
    cache: HashMap<(usize, usize), PairScore>,
    calls: u64,
}

impl Scorer<'_> {
    /// Score every listed (a, b) not scored yet.
    fn ensure(&mut self, pairs: impl Iterator<Item = (usize, usize)>) -> Result<()> {
        let mut missing: Vec<(usize, usize)> = pairs.filter(|p| !self.cache.contains_key(p)).collect();
        missing.sort_unstable();
        missing.dedup();
        // Bounded chunks keep the (2 · passes · pairs × hidden) matrices of one call small.
        for chunk in missing.chunks(2048) {
            self.calls += 1;
            let scores = self.model.score_embedded(self.emb, chunk, self.passes, self.seed.wrapping_add(self.calls))?;
            self.cache.extend(chunk.iter().copied().zip(scores));
        }
        Ok(())
    }

    fn get(&self, a: usize, b: usize) -> &PairScore {
        &self.cache[&(a, b)]
    }
}

/// P(synthesis succeeds) from the tried designs' outcomes: a Nadaraya-Watson average in the
/// standardised embedding space (Gaussian weights), with the overall success rate as one
/// pseudo-observation of weight 1.
///
/// Why not k-nearest neighbours (the first version, k = 3): once the first few syntheses have
/// all failed, every candidate's 3 nearest tried designs are failures, so every candidate gets
/// the same P(ok) and nothing pushes the search away from the failures. With distance weights a
/// candidate far from every failure keeps the prior, one next to a failure drops. Measured on
/// the 20 v20 kernels with 5 seeds (docs/dse.md).
struct Feasibility {
    /// Standardised embedding rows of the pool.
    rows: Vec<Vec<f32>>,
    /// Bandwidth²: `BANDWIDTH` × the median squared nearest-neighbour distance of the pool
    /// (of its first 200 rows), so a design's twins weigh ~1 and distant designs ~0.
    h2: f32,
}

impl Feasibility {
    const BANDWIDTH: f32 = 4.0;

    fn new(emb: &Tensor) -> Result<Feasibility> {
        let mut rows: Vec<Vec<f32>> = emb.to_dtype(candle_core::DType::F32)?.to_vec2()?;
        let (n, d) = (rows.len(), rows.first().map_or(0, Vec::len));
        for j in 0..d {
            let mean = rows.iter().map(|r| r[j]).sum::<f32>() / n.max(1) as f32;
            let var = rows.iter().map(|r| (r[j] - mean).powi(2)).sum::<f32>() / n.max(1) as f32;
            let sd = if var > 1e-12 { var.sqrt() } else { 1.0 };
            for r in &mut rows {
                r[j] = (r[j] - mean) / sd;
            }
        }
        let sample = rows.len().min(200);
        let mut nearest: Vec<f32> = (0..sample).map(|i| (0..rows.len()).filter(|&j| j != i).map(|j| sq_dist(&rows[i], &rows[j])).fold(f32::MAX, f32::min)).filter(|d| d.is_finite()).collect();
        nearest.sort_by(f32::total_cmp);
        let h2 = Self::BANDWIDTH * nearest.get(nearest.len() / 2).copied().unwrap_or(1.0).max(1e-6);
        Ok(Feasibility { rows, h2 })
    }

    /// P(ok) for candidate `c` given `(candidate, succeeded)` of the tried designs.
    fn p_ok(&self, c: usize, tried: &[(usize, bool)]) -> f32 {
        if tried.is_empty() {
            return 1.0;
        }
        let prior = (tried.iter().filter(|t| t.1).count() as f32 + 1.0) / (tried.len() as f32 + 2.0);
        let (mut ok, mut weight) = (prior, 1.0f32);
        for &(t, succeeded) in tried {
            let w = (-sq_dist(&self.rows[c], &self.rows[t]) / self.h2).exp();
            ok += if succeeded { w } else { 0.0 };
            weight += w;
        }
        ok / weight
    }
}

fn sq_dist(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// The initial designs: the default point, then designs spread evenly (by estimated latency)
/// along the estimator's Pareto front of the pool, then random ones if the pool is short.
fn initial_picks(pool: &Pool, n: usize, rng: &mut Rng) -> Vec<(usize, Pick)> {
    let mut picks: Vec<(usize, Pick)> = Vec::new();
    if let Some(d) = pool.find(&pool.space.default_point()) {
        picks.push((d, Pick::Default));
    }
    let with_est: Vec<usize> = (0..pool.len()).filter(|&i| pool.candidates[i].estimate.is_some()).collect();
    let est: Vec<Qor> = with_est.iter().filter_map(|&i| pool.candidates[i].estimate).collect();
    let mut est_front: Vec<usize> = pareto::front(&est).into_iter().map(|k| with_est[k]).collect();
    est_front.sort_by_key(|&i| objectives(&pool.candidates[i].estimate.unwrap_or_default())[0]);
    let want = n.saturating_sub(picks.len());
    if want > 0 && !est_front.is_empty() {
        let m = est_front.len();
        for k in 0..want.min(m) {
            // Evenly spaced, from the fastest estimate to the slowest (fewest resources).
            let at = if want <= 1 { 0 } else { (k * (m - 1) + (want - 1) / 2) / (want - 1) };
            let c = est_front[at.min(m - 1)];
            if !picks.iter().any(|(p, _)| *p == c) {
                picks.push((c, Pick::Estimator));
            }
        }
    }
    while picks.len() < n.min(pool.len()) {
        let c = rng.below(pool.len());
        if !picks.iter().any(|(p, _)| *p == c) {
            picks.push((c, Pick::Random));
        }
    }
    picks.truncate(n);
    picks
}

/// The proxy's view of the whole pool, computed once per search: each candidate against a
/// fixed random sample `S` of the pool.
struct Prior {
    /// 1 − percentile rank of `D(c) = mean_{s∈S} P(s ≻ c)`: 1 for the candidate the proxy
    /// thinks least dominated in the pool ("front-likeness").
    front_like: Vec<f32>,
    /// `mean_{s∈S} P(lat c < lat s)`: where `c` sits on the latency axis (1 = fastest).
    speed: Vec<f32>,
    /// Mean MC-dropout spread of the dominance margin over `S`.
    spread: Vec<f32>,
}

impl Prior {
    /// How far apart two designs sit on the proxy's latency axis. (Spreading along the
    /// estimator's resource rank as a second axis was tried and did worse: 7 kernels of 20
    /// better than random instead of 10, docs/dse.md.)
    fn gap(&self, a: usize, b: usize) -> f32 {
        (self.speed[a] - self.speed[b]).abs()
    }

    /// Size of the comparison sample.
    const SAMPLE: usize = 32;

    fn new(scorer: &mut Scorer, pool: &Pool, rng: &mut Rng) -> Result<Prior> {
        let n = pool.len();
        let mut idx: Vec<usize> = (0..n).collect();
        rng.shuffle(&mut idx);
        idx.truncate(Self::SAMPLE.min(n));
        scorer.ensure(idx.iter().flat_map(|&s| (0..n).filter(move |&c| c != s).map(move |c| (s, c))))?;
        let (mut dominated, mut speed, mut spread) = (vec![0f32; n], vec![0f32; n], vec![0f32; n]);
        for c in 0..n {
            let others: Vec<&PairScore> = idx.iter().filter(|&&s| s != c).map(|&s| scorer.get(s, c)).collect();
            let m = others.len().max(1) as f32;
            dominated[c] = others.iter().map(|p| p.p_a_dominates).sum::<f32>() / m;
            speed[c] = others.iter().map(|p| 1.0 - p.p_latency_a_faster).sum::<f32>() / m;
            spread[c] = others.iter().map(|p| p.dominance_std).sum::<f32>() / m;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| dominated[a].total_cmp(&dominated[b]));
        let mut front_like = vec![0f32; n];
        for (rank, &c) in order.iter().enumerate() {
            front_like[c] = 1.0 - rank as f32 / n.max(2).saturating_sub(1) as f32;
        }
        Ok(Prior { front_like, speed, spread })
    }
}

/// Proxy-guided search (module documentation). `emb` is [`embed_pool`] of this pool.
pub fn proxy_search(pool: &Pool, model: &ProxyModel, emb: &Tensor, synth: &Synthesizer, target: &Target, cfg: &SearchConfig, progress: Progress) -> Result<DseRun> {
    if cfg.budget == 0 {
        return Err(DseError::ZeroBudget);
    }
    if emb.dim(0)? != pool.len() {
        return Err(DseError::Invalid(format!("embedding has {} rows for a pool of {}", emb.dim(0)?, pool.len())));
    }
    let start = Instant::now();
    let mut rng = Rng::new(cfg.seed);
    let mut scorer = Scorer { model, emb, passes: cfg.passes, seed: cfg.seed.wrapping_mul(0x9E37_79B9), cache: HashMap::new(), calls: 0 };
    let feasibility = Feasibility::new(emb)?;
    let mut state = State { evaluated: Vec::new(), taken: HashSet::new() };
    let first = initial_picks(pool, cfg.initial.clamp(1, cfg.budget), &mut rng);
    synthesize(pool, synth, target, &mut state, first, 0, cfg.budget, progress);
    let prior = if state.evaluated.len() < cfg.budget && pool.len() > state.taken.len() { Some(Prior::new(&mut scorer, pool, &mut rng)?) } else { None };
    let mut round = 0;
    while let Some(prior) = prior.as_ref().filter(|_| state.evaluated.len() < cfg.budget && state.taken.len() < pool.len()) {
        round += 1;
        let n = cfg.batch.max(1).min(cfg.budget - state.evaluated.len());
        let remaining: Vec<usize> = (0..pool.len()).filter(|c| !state.taken.contains(c)).collect();
        let front: Vec<usize> = state.front().iter().map(|&i| state.evaluated[i].candidate).collect();
        let tried: Vec<(usize, bool)> = state.evaluated.iter().map(|e| (e.candidate, e.qor.is_some())).collect();
        let p_ok: Vec<f32> = remaining.iter().map(|&c| feasibility.p_ok(c, &tried)).collect();
        let found: Vec<usize> = state.evaluated.iter().filter(|e| e.qor.is_some()).map(|e| e.candidate).collect();
        let picks = if cfg.random_every > 0 && round % cfg.random_every == 0 {
            let mut order = remaining;
            rng.shuffle(&mut order);
            order.into_iter().take(n).map(|c| (c, Pick::Random)).collect()
        } else {
            proxy_batch(&mut scorer, prior, &remaining, &p_ok, &front, &found, n, cfg, &mut rng)?
        };
        synthesize(pool, synth, target, &mut state, picks, round, cfg.budget, progress);
    }
    let pairs = scorer.cache.len();
    Ok(finish(Strategy::Proxy, cfg.budget, state, pairs, start))
}

/// One batch of `n` picks by the acquisition score, filled greedily; each pick is assumed to
/// succeed and join the front before the next is chosen.
#[allow(clippy::too_many_arguments)]
fn proxy_batch(scorer: &mut Scorer, prior: &Prior, remaining: &[usize], p_ok: &[f32], front: &[usize], found: &[usize], n: usize, cfg: &SearchConfig, rng: &mut Rng) -> Result<Vec<(usize, Pick)>> {
    scorer.ensure(front.iter().flat_map(|&f| remaining.iter().map(move |&c| (f, c))))?;
    struct Acq {
        c: usize,
        p_ok: f32,
        /// min over the real front of 1 − P(f ≻ c).
        p_nd: f32,
        /// Distance on the proxy's latency axis to the nearest design found.
        gap: f32,
        jitter: f32,
    }
    let mut acq: Vec<Acq> = remaining
        .iter()
        .zip(p_ok)
        .map(|(&c, &p_ok)| {
            let p_nd = front.iter().map(|&f| 1.0 - scorer.get(f, c).p_a_dominates).fold(1f32, f32::min);
            let gap = found.iter().map(|&t| prior.gap(c, t)).fold(1f32, f32::min);
            // A tie-breaker far below any score difference that matters, so seeds differ.
            Acq { c, p_ok, p_nd, gap, jitter: rng.uniform() * 1e-4 }
        })
        .collect();
    let score = |a: &Acq| {
        a.p_ok * (prior.front_like[a.c] + a.p_nd + cfg.latency_weight * (a.gap * 4.0).min(1.0) + cfg.explore * prior.spread[a.c]) + a.jitter
    };
    let mut picks = Vec::with_capacity(n);
    while picks.len() < n && !acq.is_empty() {
        let best = (0..acq.len()).max_by(|&i, &j| score(&acq[i]).total_cmp(&score(&acq[j]))).expect("non-empty");
        let a = acq.swap_remove(best);
        let c = a.c;
        picks.push((
            c,
            Pick::Proxy {
                score: score(&a),
                p_ok: a.p_ok,
                p_non_dominated: a.p_nd,
                front_likeness: prior.front_like[c],
                speed: prior.speed[c],
                gap: a.gap,
                spread: prior.spread[c],
            },
        ));
        if picks.len() < n && !acq.is_empty() {
            // Assume the pick succeeds: it may dominate the others and it covers its latency.
            scorer.ensure(acq.iter().map(|o| (c, o.c)))?;
            for o in &mut acq {
                o.p_nd = o.p_nd.min(1.0 - scorer.get(c, o.c).p_a_dominates);
                o.gap = o.gap.min(prior.gap(o.c, c));
            }
        }
    }
    Ok(picks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use candle_core::Device;

    /// Points on a line at 0, 1, 2, ..., 9 (one embedding dimension plus a constant one).
    fn line() -> Feasibility {
        let rows: Vec<f32> = (0..10).flat_map(|i| [i as f32, 1.0]).collect();
        Feasibility::new(&Tensor::from_vec(rows, (10, 2), &Device::Cpu).unwrap()).unwrap()
    }

    #[test]
    fn p_ok_moves_away_from_failures() {
        let f = line();
        // Only failures so far, all at the low end: k-nearest neighbours would give every
        // candidate the same value; distance weights keep the far end near the prior.
        let tried = [(0, false), (1, false), (2, false)];
        let (near, far) = (f.p_ok(3, &tried), f.p_ok(9, &tried));
        assert!(near < far, "near {near} far {far}");
        let prior = 1.0 / 5.0;
        assert!((far - prior).abs() < 0.02, "far from everything tried is the prior: {far}");
        // A success pulls its neighbours up.
        let tried = [(0, false), (8, true)];
        assert!(f.p_ok(9, &tried) > f.p_ok(1, &tried));
        assert_eq!(f.p_ok(5, &[]), 1.0);
        for c in 0..10 {
            let p = f.p_ok(c, &[(0, false), (4, true), (9, false)]);
            assert!((0.0..=1.0).contains(&p));
        }
    }
}
