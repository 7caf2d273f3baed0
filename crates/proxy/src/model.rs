//! [`ProxyModel`]: the network with its metadata; loading and saving (safetensors + JSON), the
//! shipped model, and Monte-Carlo-dropout scoring of design pairs.

use crate::error::{ProxyError, Result};
use crate::graph::{DesignGraph, Normalisation, FEATURE_VERSION};
use crate::network::{softmax, ModelConfig, Network, OBJECTIVES};
use candle_core::{Device, Tensor};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Marks a metadata file as ours.
pub const FORMAT: &str = "hlsseek-proxy";
pub const WEIGHTS_FILE: &str = "model.safetensors";
pub const META_FILE: &str = "meta.json";

/// Dropout passes used when the caller does not say.
pub const DEFAULT_PASSES: usize = 16;

/// `meta.json`: what a set of weights needs to be used, and how it was made.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelMeta {
    pub format: String,
    pub feature_version: u32,
    pub config: ModelConfig,
    pub normalisation: Normalisation,
    pub seed: u64,
    /// How the heads' outputs become the reported probabilities (fitted on the watched points
    /// at the end of training; the default is the direct heads alone).
    #[serde(default)]
    pub decision: Decision,
    /// Data hash, split, epochs, time and held-out metrics of the run that made the weights.
    #[serde(default)]
    pub training: serde_json::Value,
}

/// How the direct 3-way dominance head, the per-objective heads and the latency head are
/// combined into the reported probabilities. Every choice keeps the antisymmetry: the
/// per-objective logits swap with A and B exactly as the dominance logits do.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    /// Weight `w` of the dominance implied by the per-objective heads in a geometric mix with the
    /// direct head: `log p = (1 − w) log p_direct + w log p_objectives (+ bias)`, renormalised.
    /// `p_objectives(A≻B) = Π_k P(A ≤ B on k) − Π_k P(A = B on k)` (objectives taken as
    /// independent given the pair).
    pub objective_weight: f32,
    /// Added to the log-probability of "neither" before normalising: undoes (part of) the
    /// shift that class-weighted training puts on the rare "dominates" classes.
    pub neither_bias: f32,
    /// Weight of the per-objective latency head in the latency logit:
    /// `(1 − μ) lat + μ (log P(A lower) − log P(B lower))`.
    pub latency_objective_weight: f32,
    /// Weight `α` of the analytical estimator's own latency order in the latency logit:
    /// `(1 − α) logit + α s (est_B − est_A)` with the estimator's log2 latencies and scale `s`
    /// ([`Decision::estimator_scale`]). Kernels unlike the training kernels may be judged better
    /// by the estimator than by the learnt corrections; the weight is fitted on kernels kept out
    /// of training.
    pub estimator_weight: f32,
    pub estimator_scale: f32,
}

/// Floor for probabilities taken to logs.
const EPS: f32 = 1e-7;

/// One pair's raw head outputs for one pass: direct dominance probabilities, per-objective
/// probabilities (A lower, B lower, equal) and the latency logit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RawPass {
    pub dom: [f32; 3],
    pub obj: [[f32; 3]; OBJECTIVES],
    pub lat: f32,
    /// The estimator's log2 ratios A over B per objective (0 when it gave no estimate).
    pub est: [f32; OBJECTIVES],
}

impl Decision {
    /// Dominance probabilities (A≻B, B≻A, neither) and P(latency A < B) of one pass.
    pub fn apply(&self, r: &RawPass) -> ([f32; 3], f32) {
        let dom = if self.objective_weight == 0.0 && self.neither_bias == 0.0 {
            r.dom
        } else {
            let w = self.objective_weight;
            let derived = if w == 0.0 { [1.0; 3] } else { objective_dominance(&r.obj) };
            let mut l = [0f32; 3];
            for c in 0..3 {
                l[c] = (1.0 - w) * r.dom[c].max(EPS).ln() + w * derived[c].max(EPS).ln();
            }
            l[2] += self.neither_bias;
            let m = l[0].max(l[1]).max(l[2]);
            let e = [(l[0] - m).exp(), (l[1] - m).exp(), (l[2] - m).exp()];
            let z = e[0] + e[1] + e[2];
            [e[0] / z, e[1] / z, e[2] / z]
        };
        let mu = self.latency_objective_weight;
        let mut lat = if mu == 0.0 { r.lat } else { (1.0 - mu) * r.lat + mu * (r.obj[0][0].max(EPS).ln() - r.obj[0][1].max(EPS).ln()) };
        let alpha = self.estimator_weight;
        if alpha != 0.0 {
            lat = (1.0 - alpha) * lat - alpha * self.estimator_scale * r.est[0];
        }
        (dom, 1.0 / (1.0 + (-lat).exp()))
    }
}

/// Dominance implied by the per-objective probabilities, objectives taken as independent.
pub fn objective_dominance(obj: &[[f32; 3]; OBJECTIVES]) -> [f32; 3] {
    let (mut la, mut lb, mut le) = (0f32, 0f32, 0f32);
    for o in obj {
        la += (o[0] + o[2]).max(EPS).ln();
        lb += (o[1] + o[2]).max(EPS).ln();
        le += o[2].max(EPS).ln();
    }
    let e = le.exp();
    let a = (la.exp() - e).max(EPS);
    let b = (lb.exp() - e).max(EPS);
    [a, b, (1.0 - a - b).max(EPS)]
}

/// Raw head outputs of a set of pairs: `passes[t][p]`.
pub struct RawScores {
    pub passes: Vec<Vec<RawPass>>,
}

/// The comparative proxy: a trained network and its metadata.
pub struct ProxyModel {
    pub meta: ModelMeta,
    pub(crate) net: Network,
}

/// The model's judgement of one pair (A, B), averaged over the dropout passes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairScore {
    pub p_a_dominates: f32,
    pub p_b_dominates: f32,
    pub p_neither: f32,
    /// P(latency A < latency B).
    pub p_latency_a_faster: f32,
    /// Predictive entropy of the mean dominance distribution, divided by ln 3 (0 sure, 1 clueless).
    pub dominance_entropy: f32,
    /// Binary predictive entropy of the mean latency probability, in bits (0..1).
    pub latency_entropy: f32,
    /// Standard deviation over passes of P(A dominates) − P(B dominates).
    pub dominance_std: f32,
    /// Standard deviation over passes of P(latency A < latency B).
    pub latency_std: f32,
    /// Per objective (latency, LUT, FF, DSP, BRAM): P(A lower), P(B lower), P(equal), mean over
    /// passes.
    #[serde(default)]
    pub p_objectives: [[f32; 3]; OBJECTIVES],
}

impl PairScore {
    /// The same judgement with A and B swapped.
    pub fn swapped(&self) -> PairScore {
        PairScore {
            p_a_dominates: self.p_b_dominates,
            p_b_dominates: self.p_a_dominates,
            p_latency_a_faster: 1.0 - self.p_latency_a_faster,
            p_objectives: self.p_objectives.map(|o| [o[1], o[0], o[2]]),
            ..*self
        }
    }

    /// Most likely relation.
    pub fn dominance(&self) -> hlsseek_qor::pareto::Dominance {
        use hlsseek_qor::pareto::Dominance;
        if self.p_a_dominates >= self.p_b_dominates && self.p_a_dominates >= self.p_neither {
            Dominance::ADominates
        } else if self.p_b_dominates >= self.p_neither {
            Dominance::BDominates
        } else {
            Dominance::Neither
        }
    }
}

fn bad(what: &str, message: impl Into<String>) -> ProxyError {
    ProxyError::BadModel { what: what.into(), message: message.into() }
}

impl ProxyModel {
    /// An untrained model.
    pub fn new(config: ModelConfig, normalisation: Normalisation, seed: u64) -> Result<ProxyModel> {
        let net = Network::new(config.clone(), normalisation.clone(), seed, &Device::Cpu)?;
        let meta = ModelMeta {
            format: FORMAT.into(),
            feature_version: FEATURE_VERSION,
            config,
            normalisation,
            seed,
            decision: Decision::default(),
            training: serde_json::Value::Null,
        };
        Ok(ProxyModel { meta, net })
    }

    /// The model that ships with hlsseek (`models/proxy`, embedded at build time).
    pub fn shipped() -> Result<ProxyModel> {
        ProxyModel::from_bytes(crate::shipped::WEIGHTS, crate::shipped::META)
    }

    /// Weights and metadata from memory, validated: a wrong format, feature version, missing
    /// tensor, wrong shape or non-finite value is an error, never a panic.
    pub fn from_bytes(weights: &[u8], meta_json: &[u8]) -> Result<ProxyModel> {
        let meta: ModelMeta = serde_json::from_slice(meta_json).map_err(|e| bad(META_FILE, e.to_string()))?;
        if meta.format != FORMAT {
            return Err(bad(META_FILE, format!("format is `{}`, expected `{FORMAT}`", meta.format)));
        }
        if meta.feature_version != FEATURE_VERSION {
            return Err(ProxyError::FeatureVersion { found: meta.feature_version, expected: FEATURE_VERSION });
        }
        let tensors = candle_core::safetensors::load_buffer(weights, &Device::Cpu)
            .map_err(|e| bad(WEIGHTS_FILE, format!("not a safetensors file: {e}")))?;
        let net = Network::from_tensors(meta.config.clone(), meta.normalisation.clone(), tensors, &Device::Cpu)?;
        Ok(ProxyModel { meta, net })
    }

    /// A deep copy: its weights can be fine-tuned while this model keeps serving.
    pub fn try_clone(&self) -> Result<ProxyModel> {
        let tensors = self.net.tensors().into_iter().map(|(k, t)| Ok((k, t.copy()?))).collect::<Result<_>>()?;
        let net = crate::network::Network::from_tensors(self.meta.config.clone(), self.meta.normalisation.clone(), tensors, &self.net.device)?;
        Ok(ProxyModel { meta: self.meta.clone(), net })
    }

    /// `dir/model.safetensors` + `dir/meta.json`.
    pub fn load(dir: &Path) -> Result<ProxyModel> {
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read(&p).map_err(|source| ProxyError::Io { path: p.display().to_string(), source })
        };
        ProxyModel::from_bytes(&read(WEIGHTS_FILE)?, &read(META_FILE)?)
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        let io = |p: &Path, source| ProxyError::Io { path: p.display().to_string(), source };
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let weights = dir.join(WEIGHTS_FILE);
        candle_core::safetensors::save(&self.net.tensors(), &weights)?;
        let meta = dir.join(META_FILE);
        let mut text = serde_json::to_string_pretty(&self.meta).map_err(|e| ProxyError::Invalid(e.to_string()))?;
        text.push('\n');
        std::fs::write(&meta, text).map_err(|e| io(&meta, e))
    }

    /// Design embeddings, one row per graph.
    pub fn embed(&self, graphs: &[&DesignGraph]) -> Result<Tensor> {
        if graphs.is_empty() {
            return Err(ProxyError::Invalid("no designs to embed".into()));
        }
        let batch = self.net.batch(graphs)?;
        self.net.embed(&batch)
    }

    /// Score pairs of graphs (indices into `graphs`) with `passes` dropout passes whose masks
    /// come from `seed`.
    pub fn score(&self, graphs: &[&DesignGraph], pairs: &[(usize, usize)], passes: usize, seed: u64) -> Result<Vec<PairScore>> {
        let emb = self.embed(graphs)?;
        self.score_embedded(&emb, pairs, passes, seed)
    }

    /// Every pair `i < j` of a group of candidates, in row-major order.
    pub fn score_group(&self, graphs: &[&DesignGraph], passes: usize, seed: u64) -> Result<Vec<PairScore>> {
        let pairs: Vec<(usize, usize)> = (0..graphs.len()).flat_map(|i| (i + 1..graphs.len()).map(move |j| (i, j))).collect();
        self.score(graphs, &pairs, passes, seed)
    }

    /// Score pairs of rows of an embedding matrix from [`ProxyModel::embed`].
    pub fn score_embedded(&self, emb: &Tensor, pairs: &[(usize, usize)], passes: usize, seed: u64) -> Result<Vec<PairScore>> {
        let raw = self.raw_embedded(emb, pairs, passes, seed)?;
        Ok(reduce(&raw, &self.meta.decision))
    }

    /// The heads' outputs for every pass, before the [`Decision`] combines them.
    /// `passes == 0` scores deterministically (dropout off, one pass).
    pub fn raw_embedded(&self, emb: &Tensor, pairs: &[(usize, usize)], passes: usize, seed: u64) -> Result<RawScores> {
        let n = emb.dim(0)?;
        if pairs.is_empty() {
            return Ok(RawScores { passes: Vec::new() });
        }
        if let Some(&(i, j)) = pairs.iter().find(|(i, j)| *i >= n || *j >= n) {
            return Err(ProxyError::Invalid(format!("pair ({i}, {j}) out of range for {n} designs")));
        }
        // A single pass with dropout off is the deterministic prediction.
        let (passes, active) = if passes == 0 { (1, false) } else { (passes, true) };
        let idx: Vec<(u32, u32)> = pairs.iter().map(|&(i, j)| (i as u32, j as u32)).collect();
        let masks = self.net.masks(passes, idx.len(), seed, active)?;
        let logits = self.net.pair_logits(emb, &idx, &masks)?;
        let p = idx.len();
        let dom: Vec<f32> = softmax(&logits.dom)?.flatten_all()?.to_vec1()?; // (T, P, 3)
        let obj: Vec<f32> = softmax(&logits.obj)?.flatten_all()?.to_vec1()?; // (T, P, K, 3)
        let lat: Vec<f32> = logits.lat.flatten_all()?.to_vec1()?; // (T, P)
        // The estimator's centred log2 numbers sit after the learnt embedding.
        let d = self.meta.config.embed;
        let est_rows: Vec<Vec<f32>> = emb.narrow(1, d, OBJECTIVES)?.to_vec2()?;
        let est: Vec<[f32; OBJECTIVES]> = idx.iter().map(|&(i, j)| std::array::from_fn(|k| est_rows[i as usize][k] - est_rows[j as usize][k])).collect();
        let out = (0..passes)
            .map(|t| {
                (0..p)
                    .map(|q| {
                        let k = t * p + q;
                        let mut o = [[0f32; 3]; OBJECTIVES];
                        for (m, row) in o.iter_mut().enumerate() {
                            row.copy_from_slice(&obj[(k * OBJECTIVES + m) * 3..(k * OBJECTIVES + m) * 3 + 3]);
                        }
                        RawPass { dom: [dom[3 * k], dom[3 * k + 1], dom[3 * k + 2]], obj: o, lat: lat[k], est: est[q] }
                    })
                    .collect()
            })
            .collect();
        Ok(RawScores { passes: out })
    }
}

/// Combine every pass under `decision` and summarise over passes: mean probabilities, their
/// spread and the predictive entropy of the mean.
pub fn reduce(raw: &RawScores, decision: &Decision) -> Vec<PairScore> {
    let t = raw.passes.len();
    let Some(p) = raw.passes.first().map(Vec::len) else { return Vec::new() };
    let tf = t as f32;
    (0..p)
        .map(|q| {
            let (mut d, mut lat, mut obj) = ([0f32; 3], 0f32, [[0f32; 3]; OBJECTIVES]);
            let (mut m1, mut m2, mut l2) = (0f32, 0f32, 0f32);
            for pass in &raw.passes {
                let r = &pass[q];
                let (dd, ll) = decision.apply(r);
                for c in 0..3 {
                    d[c] += dd[c] / tf;
                }
                for (acc, o) in obj.iter_mut().zip(&r.obj) {
                    for c in 0..3 {
                        acc[c] += o[c] / tf;
                    }
                }
                lat += ll / tf;
                let margin = dd[0] - dd[1];
                m1 += margin / tf;
                m2 += margin * margin / tf;
                l2 += ll * ll / tf;
            }
            let std = |sq: f32, mean: f32| (sq - mean * mean).max(0.0).sqrt();
            let ent = -d.iter().map(|p| if *p > 0.0 { p * p.ln() } else { 0.0 }).sum::<f32>() / 3f32.ln();
            let qv = lat.clamp(0.0, 1.0);
            let lent = -[qv, 1.0 - qv].iter().map(|p| if *p > 0.0 { p * p.log2() } else { 0.0 }).sum::<f32>();
            PairScore {
                p_a_dominates: d[0],
                p_b_dominates: d[1],
                p_neither: d[2],
                p_latency_a_faster: lat,
                dominance_entropy: ent.max(0.0),
                latency_entropy: lent.max(0.0),
                dominance_std: if t > 1 { std(m2, m1) } else { 0.0 },
                latency_std: if t > 1 { std(l2, lat) } else { 0.0 },
                p_objectives: obj,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objective_dominance_follows_the_objectives() {
        let sure = |c: usize| {
            let mut o = [0f32; 3];
            o[c] = 1.0;
            o
        };
        // A lower on latency, equal elsewhere: A dominates.
        let mut obj = [sure(2); OBJECTIVES];
        obj[0] = sure(0);
        let d = objective_dominance(&obj);
        assert!(d[0] > 0.99 && d[1] < 1e-5, "{d:?}");
        // A lower on latency, B lower on LUT: neither.
        obj[1] = sure(1);
        assert!(objective_dominance(&obj)[2] > 0.99);
        // All equal: neither.
        assert!(objective_dominance(&[sure(2); OBJECTIVES])[2] > 0.99);
        // The default decision passes the direct head through.
        let r = RawPass { dom: [0.2, 0.3, 0.5], obj, lat: 0.0, est: [1.0, 0.0, 0.0, 0.0, 0.0] };
        let (p, l) = Decision::default().apply(&r);
        assert_eq!(p, r.dom);
        assert!((l - 0.5).abs() < 1e-6);
        // A "neither" bias moves mass to neither.
        let (q, _) = Decision { neither_bias: 1.0, ..Decision::default() }.apply(&r);
        assert!(q[2] > p[2] && (q.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        // The estimator says A is twice as slow: with its weight, B is judged faster.
        let (_, l) = Decision { estimator_weight: 1.0, estimator_scale: 2.0, ..Decision::default() }.apply(&r);
        assert!(l < 0.2);
    }
}
