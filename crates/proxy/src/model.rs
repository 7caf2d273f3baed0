//! [`ProxyModel`]: the network with its metadata; loading and saving (safetensors + JSON), the
//! shipped model, and Monte-Carlo-dropout scoring of design pairs.

use crate::error::{ProxyError, Result};
use crate::graph::{DesignGraph, Normalisation, FEATURE_VERSION};
use crate::network::{softmax, ModelConfig, Network};
use candle_core::{Device, Tensor, D};
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
    /// Data hash, split, epochs, time and held-out metrics of the run that made the weights.
    #[serde(default)]
    pub training: serde_json::Value,
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
}

impl PairScore {
    /// The same judgement with A and B swapped.
    pub fn swapped(&self) -> PairScore {
        PairScore {
            p_a_dominates: self.p_b_dominates,
            p_b_dominates: self.p_a_dominates,
            p_latency_a_faster: 1.0 - self.p_latency_a_faster,
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
        let n = emb.dim(0)?;
        if pairs.is_empty() {
            return Ok(Vec::new());
        }
        if let Some(&(i, j)) = pairs.iter().find(|(i, j)| *i >= n || *j >= n) {
            return Err(ProxyError::Invalid(format!("pair ({i}, {j}) out of range for {n} designs")));
        }
        // A single pass with dropout off is the deterministic prediction.
        let (passes, active) = if passes == 0 { (1, false) } else { (passes, true) };
        let idx: Vec<(u32, u32)> = pairs.iter().map(|&(i, j)| (i as u32, j as u32)).collect();
        let masks = self.net.masks(passes, idx.len(), seed, active)?;
        let logits = self.net.pair_logits(emb, &idx, &masks)?;
        let dom = softmax(&logits.dom)?; // (T, P, 3)
        let lat = candle_nn::ops::sigmoid(&logits.lat)?; // (T, P)
        let dom_mean: Vec<Vec<f32>> = dom.mean(0)?.to_vec2()?;
        let margin = dom.narrow(D::Minus1, 0, 1)?.sub(&dom.narrow(D::Minus1, 1, 1)?)?.squeeze(D::Minus1)?;
        let margin_std = std_over_passes(&margin)?;
        let lat_mean: Vec<f32> = lat.mean(0)?.to_vec1()?;
        let lat_std = std_over_passes(&lat)?;
        Ok((0..idx.len())
            .map(|k| {
                let d = &dom_mean[k];
                let ent = -d.iter().map(|p| if *p > 0.0 { p * p.ln() } else { 0.0 }).sum::<f32>() / 3f32.ln();
                let q = lat_mean[k].clamp(0.0, 1.0);
                let lent = -[q, 1.0 - q].iter().map(|p| if *p > 0.0 { p * p.log2() } else { 0.0 }).sum::<f32>();
                PairScore {
                    p_a_dominates: d[0],
                    p_b_dominates: d[1],
                    p_neither: d[2],
                    p_latency_a_faster: lat_mean[k],
                    dominance_entropy: ent.max(0.0),
                    latency_entropy: lent.max(0.0),
                    dominance_std: margin_std[k],
                    latency_std: lat_std[k],
                }
            })
            .collect())
    }
}

/// Per-pair standard deviation over the first (pass) dimension of a (T, P) tensor.
fn std_over_passes(x: &Tensor) -> Result<Vec<f32>> {
    let mean = x.mean_keepdim(0)?;
    let var = x.broadcast_sub(&mean)?.sqr()?.mean(0)?;
    Ok(var.sqrt()?.to_vec1()?)
}
