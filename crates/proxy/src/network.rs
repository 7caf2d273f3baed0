//! The network: a GATv2-style typed message-passing encoder (design → embedding) and the pairwise
//! head (two embeddings → dominance, latency and per-objective logits), with the parameters, the
//! dropout masks and the safetensors weights they live in.
//!
//! Antisymmetry is structural. One scorer `f(a, b)` gives the "A wins" logits; the "B wins"
//! logits are the same scorer on `(b, a)` with the same dropout masks; the "neither"/"equal"
//! logits come from a scorer `g` of symmetric features only. Swapping A and B therefore swaps the
//! two win probabilities exactly and leaves "neither" unchanged, pass by pass.

use crate::error::{ProxyError, Result};
use crate::graph::{edge, DesignGraph, Normalisation, GLOBAL_DIM, GLOBAL_NORMALISED, NODE_DIM};
use crate::rng::Rng;
use candle_core::{DType, Device, Tensor, Var, D};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// Objectives in the order of [`hlsseek_qor::pareto::objectives`].
pub const OBJECTIVES: usize = 5;
/// Outputs of `f`: dominance, latency, one per objective.
const F_OUT: usize = 2 + OBJECTIVES;
/// Outputs of `g`: neither, "equal" per objective.
const G_OUT: usize = 1 + OBJECTIVES;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelConfig {
    pub hidden: usize,
    pub layers: usize,
    pub embed: usize,
    pub head_hidden: usize,
    /// Dropout rate of the head's hidden layers (training and Monte-Carlo scoring).
    pub dropout: f32,
}

impl Default for ModelConfig {
    fn default() -> Self {
        ModelConfig { hidden: 64, layers: 3, embed: 64, head_hidden: 64, dropout: 0.15 }
    }
}

impl ModelConfig {
    fn check(&self) -> std::result::Result<(), String> {
        let ok = |v: usize| (1..=1024).contains(&v);
        if !(ok(self.hidden) && ok(self.embed) && ok(self.head_hidden) && self.layers <= 16) {
            return Err(format!("implausible sizes in {self:?}"));
        }
        if !(0.0..0.9).contains(&self.dropout) {
            return Err(format!("dropout {} outside [0, 0.9)", self.dropout));
        }
        Ok(())
    }

    /// Every parameter's name and shape.
    pub(crate) fn shapes(&self) -> Vec<(String, Vec<usize>)> {
        let (h, hh) = (self.hidden, self.head_hidden);
        let (d, e) = (self.embed, self.embed + GLOBAL_NORMALISED);
        let mut v: Vec<(String, Vec<usize>)> = vec![("enc.in.w".into(), vec![NODE_DIM, h]), ("enc.in.b".into(), vec![h])];
        for l in 0..self.layers {
            for (n, s) in [("src", vec![h, h]), ("dst", vec![h, h]), ("etype", vec![edge::TYPES, h]), ("att", vec![h, 1]), ("self", vec![h, h]), ("b", vec![h])] {
                v.push((format!("enc.l{l}.{n}"), s));
            }
        }
        v.extend([
            ("read.w1".into(), vec![2 * h + GLOBAL_DIM, d]),
            ("read.b1".into(), vec![d]),
            ("read.w2".into(), vec![d, d]),
            ("read.b2".into(), vec![d]),
            ("f.a".into(), vec![e, hh]),
            ("f.b".into(), vec![e, hh]),
            ("f.c".into(), vec![e, hh]),
            ("f.b1".into(), vec![hh]),
            ("f.w2".into(), vec![hh, hh]),
            ("f.b2".into(), vec![hh]),
            ("f.w3".into(), vec![hh, F_OUT]),
            ("f.b3".into(), vec![F_OUT]),
            ("g.a".into(), vec![e, hh]),
            ("g.b".into(), vec![e, hh]),
            ("g.c".into(), vec![e, hh]),
            ("g.b1".into(), vec![hh]),
            ("g.w2".into(), vec![hh, hh]),
            ("g.b2".into(), vec![hh]),
            ("g.w3".into(), vec![hh, G_OUT]),
            ("g.b3".into(), vec![G_OUT]),
            ("aux.w".into(), vec![e, OBJECTIVES]),
            ("skip.dom".into(), vec![GLOBAL_NORMALISED, 1]),
            ("skip.lat".into(), vec![GLOBAL_NORMALISED, 1]),
            ("skip.obj".into(), vec![GLOBAL_NORMALISED, OBJECTIVES]),
            ("aux.b".into(), vec![OBJECTIVES]),
        ]);
        v
    }
}

/// The network's parameters and the normalisation its inputs need.
pub struct Network {
    pub config: ModelConfig,
    pub norm: Normalisation,
    pub(crate) params: BTreeMap<String, Var>,
    pub(crate) device: Device,
}

/// A batch of graphs as tensors (concatenated nodes, offset edges).
pub struct GraphBatch {
    x: Tensor,
    src: Option<Tensor>,
    dst: Option<Tensor>,
    etype: Option<Tensor>,
    node_graph: Tensor,
    mean_w: Tensor,
    loop_w: Tensor,
    global: Tensor,
    /// The estimator's log2 numbers, centred but not scaled: differences are log ratios.
    estimator: Tensor,
    graphs: usize,
}

/// Logits for a set of pairs over `passes` dropout passes; the first dimension is the pass.
pub struct PairLogits {
    /// (T, P, 3): A dominates, B dominates, neither.
    pub dom: Tensor,
    /// (T, P): logit of P(latency A < latency B).
    pub lat: Tensor,
    /// (T, P, OBJECTIVES, 3): per objective A better, B better, equal.
    pub obj: Tensor,
}

/// Dropout masks, already scaled by 1/(1-p), per pass and pair: (T, P, head_hidden) each.
pub struct Masks {
    f1: Tensor,
    f2: Tensor,
    g1: Tensor,
    g2: Tensor,
}

impl Network {
    /// Fresh parameters from `seed` (scaled-normal weights, zero biases).
    pub fn new(config: ModelConfig, norm: Normalisation, seed: u64, device: &Device) -> Result<Network> {
        config.check().map_err(ProxyError::Invalid)?;
        let mut rng = Rng::new(seed);
        let mut params = BTreeMap::new();
        for (name, shape) in config.shapes() {
            let n: usize = shape.iter().product();
            let data: Vec<f32> = if name.starts_with("skip.") {
                // Start from the estimator's own judgement: lower estimated latency (objective k)
                // means "A faster" ("A lower on k"); the network learns corrections on top.
                let mut d = vec![0.0; n];
                match name.as_str() {
                    "skip.lat" => d[0] = -1.0,
                    "skip.obj" => (0..OBJECTIVES).for_each(|k| d[k * OBJECTIVES + k] = -1.0),
                    _ => {}
                }
                d
            } else if shape.len() == 1 {
                vec![0.0; n]
            } else {
                let scale = (2.0 / shape[0] as f32).sqrt() * if name.ends_with("etype") { 0.1 } else { 1.0 };
                (0..n).map(|_| rng.normal() * scale).collect()
            };
            params.insert(name, Var::from_vec(data, shape, device)?);
        }
        Ok(Network { config, norm, params, device: device.clone() })
    }

    pub fn vars(&self) -> Vec<Var> {
        self.params.values().cloned().collect()
    }

    fn p(&self, name: &str) -> &Tensor {
        // Every name is created from `shapes()` in `new` or checked in `from_tensors`.
        self.params.get(name).map(|v| v.as_tensor()).expect("parameter created from the config")
    }

    pub fn tensors(&self) -> HashMap<String, Tensor> {
        self.params.iter().map(|(k, v)| (k.clone(), v.as_tensor().clone())).collect()
    }

    /// Rebuild from named tensors, checking every expected parameter is there with its shape
    /// and finite values.
    pub fn from_tensors(config: ModelConfig, norm: Normalisation, tensors: HashMap<String, Tensor>, device: &Device) -> Result<Network> {
        let bad = |m: String| ProxyError::BadModel { what: "weights".into(), message: m };
        config.check().map_err(bad)?;
        norm.check().map_err(bad)?;
        let mut params = BTreeMap::new();
        for (name, shape) in config.shapes() {
            let t = tensors.get(&name).ok_or_else(|| bad(format!("missing tensor `{name}`")))?;
            if t.dims() != shape.as_slice() {
                return Err(bad(format!("tensor `{name}` has shape {:?}, expected {shape:?}", t.dims())));
            }
            let t = t.to_dtype(DType::F32)?.to_device(device)?;
            let values: Vec<f32> = t.flatten_all()?.to_vec1()?;
            if values.iter().any(|v| !v.is_finite()) {
                return Err(bad(format!("tensor `{name}` has non-finite values")));
            }
            params.insert(name, Var::from_tensor(&t)?);
        }
        Ok(Network { config, norm, params, device: device.clone() })
    }

    pub fn batch(&self, graphs: &[&DesignGraph]) -> Result<GraphBatch> {
        let dev = &self.device;
        let (mut x, mut src, mut dst, mut et, mut node_graph, mut mean_w, mut loop_w, mut global) =
            (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut estimator = Vec::new();
        let mut offset = 0u32;
        for (gi, g) in graphs.iter().enumerate() {
            let n = g.node_count();
            if n == 0 || g.nodes.len() != n * NODE_DIM || g.src.len() != g.dst.len() || g.src.len() != g.etype.len() {
                return Err(ProxyError::Invalid("malformed design graph".into()));
            }
            if g.src.iter().chain(&g.dst).any(|&v| v as usize >= n) || g.etype.iter().any(|&t| t as usize >= edge::TYPES) {
                return Err(ProxyError::Invalid("design graph edge out of range".into()));
            }
            x.extend(g.nodes.iter().map(|v| if v.is_finite() { *v } else { 0.0 }));
            src.extend(g.src.iter().map(|s| s + offset));
            dst.extend(g.dst.iter().map(|s| s + offset));
            et.extend_from_slice(&g.etype);
            let loops = (0..n).filter(|&i| g.is_loop(i)).count();
            for i in 0..n {
                node_graph.push(gi as u32);
                mean_w.push(1.0 / n as f32);
                loop_w.push(if g.is_loop(i) { 1.0 / loops as f32 } else { 0.0 });
            }
            global.extend(self.norm.apply(&g.global).map(|v| if v.is_finite() { v } else { 0.0 }));
            estimator.extend((0..GLOBAL_NORMALISED).map(|k| {
                let v = g.global[k] - self.norm.mean[k];
                if v.is_finite() { v } else { 0.0 }
            }));
            offset += n as u32;
        }
        let n = offset as usize;
        let e = src.len();
        let idx = |v: Vec<u32>| -> Result<Option<Tensor>> { Ok(if e == 0 { None } else { Some(Tensor::from_vec(v, e, dev)?) }) };
        Ok(GraphBatch {
            x: Tensor::from_vec(x, (n, NODE_DIM), dev)?,
            src: idx(src)?,
            dst: idx(dst)?,
            etype: idx(et)?,
            node_graph: Tensor::from_vec(node_graph, n, dev)?,
            mean_w: Tensor::from_vec(mean_w, (n, 1), dev)?,
            loop_w: Tensor::from_vec(loop_w, (n, 1), dev)?,
            global: Tensor::from_vec(global, (graphs.len(), GLOBAL_DIM), dev)?,
            estimator: Tensor::from_vec(estimator, (graphs.len(), GLOBAL_NORMALISED), dev)?,
            graphs: graphs.len(),
        })
    }

    /// Design embeddings (B, embed + GLOBAL_NORMALISED): the readout, then the estimator's
    /// centred log2 numbers, so the head sees "the estimator says A is twice as fast" directly as
    /// a difference of 1 rather than only through the encoder. Deterministic: dropout lives in
    /// the head only.
    pub fn embed(&self, b: &GraphBatch) -> Result<Tensor> {
        let h_dim = self.config.hidden;
        let n = b.x.dim(0)?;
        let mut h = b.x.matmul(self.p("enc.in.w"))?.broadcast_add(self.p("enc.in.b"))?.relu()?;
        for l in 0..self.config.layers {
            let p = |s: &str| self.p(&format!("enc.l{l}.{s}"));
            let self_term = h.matmul(p("self"))?.broadcast_add(p("b"))?;
            let update = match (&b.src, &b.dst, &b.etype) {
                (Some(src), Some(dst), Some(et)) => {
                    let msg = h.matmul(p("src"))?.index_select(src, 0)?.add(&p("etype").index_select(et, 0)?)?;
                    let z = msg.add(&h.matmul(p("dst"))?.index_select(dst, 0)?)?;
                    let z = z.maximum(&(&z * 0.2)?)?;
                    // Bounded scores keep exp() finite without a per-node max.
                    let score = (z.matmul(p("att"))?.affine(0.2, 0.0)?.tanh()? * 5.0)?.exp()?;
                    let denom = Tensor::zeros((n, 1), DType::F32, &self.device)?.index_add(dst, &score, 0)?;
                    let alpha = score.div(&(denom.index_select(dst, 0)? + 1e-6)?)?;
                    let agg = Tensor::zeros((n, h_dim), DType::F32, &self.device)?.index_add(dst, &msg.broadcast_mul(&alpha)?, 0)?;
                    self_term.add(&agg)?
                }
                _ => self_term,
            };
            h = h.add(&update.relu()?)?;
        }
        let pool = |w: &Tensor| -> Result<Tensor> {
            Ok(Tensor::zeros((b.graphs, h_dim), DType::F32, &self.device)?.index_add(&b.node_graph, &h.broadcast_mul(w)?, 0)?)
        };
        let r = Tensor::cat(&[&pool(&b.mean_w)?, &pool(&b.loop_w)?, &b.global], 1)?;
        let e = r.matmul(self.p("read.w1"))?.broadcast_add(self.p("read.b1"))?.relu()?;
        let e = e.matmul(self.p("read.w2"))?.broadcast_add(self.p("read.b2"))?;
        Ok(Tensor::cat(&[&e, &b.estimator], 1)?)
    }

    /// Per-design auxiliary regression of (centred) log objectives, (B, OBJECTIVES).
    pub fn aux(&self, emb: &Tensor) -> Result<Tensor> {
        Ok(emb.matmul(self.p("aux.w"))?.broadcast_add(self.p("aux.b"))?)
    }

    /// Dropout masks for `passes` passes over `pairs` pairs; `None` rate → all ones. Each
    /// (pass, pair) row comes from its own stream of `seed`, so the same pair index gets the same
    /// mask whatever order its two designs are given in.
    pub fn masks(&self, passes: usize, pairs: usize, seed: u64, active: bool) -> Result<Masks> {
        let hh = self.config.head_hidden;
        let p = if active { self.config.dropout } else { 0.0 };
        let mk = |stream: u64| -> Result<Tensor> {
            let mut data = Vec::with_capacity(passes * pairs * hh);
            let keep = 1.0 / (1.0 - p);
            let threshold = (p * 65536.0) as u64;
            let base = Rng::new(seed ^ stream.wrapping_mul(0xA24B_AED4_963E_E407));
            for t in 0..passes {
                for q in 0..pairs {
                    if p == 0.0 {
                        data.extend(std::iter::repeat_n(1.0f32, hh));
                        continue;
                    }
                    let mut r = base.fork(((t as u64) << 32) | q as u64);
                    let mut bits = 0u64;
                    for k in 0..hh {
                        if k % 4 == 0 {
                            bits = r.next_u64();
                        }
                        let draw = (bits >> (16 * (k % 4))) & 0xFFFF;
                        data.push(if draw < threshold { 0.0 } else { keep });
                    }
                }
            }
            Ok(Tensor::from_vec(data, (passes, pairs, hh), &self.device)?)
        };
        Ok(Masks { f1: mk(1)?, f2: mk(2)?, g1: mk(3)?, g2: mk(4)? })
    }

    /// Logits for pairs `(i, j)` of rows of `emb` under the given masks.
    pub fn pair_logits(&self, emb: &Tensor, pairs: &[(u32, u32)], masks: &Masks) -> Result<PairLogits> {
        let p = pairs.len();
        let (t, mp, hh) = masks.f1.dims3()?;
        if mp != p {
            return Err(ProxyError::Invalid(format!("{mp} masks for {p} pairs")));
        }
        let dev = &self.device;
        let i = Tensor::from_vec(pairs.iter().map(|x| x.0).collect::<Vec<_>>(), p, dev)?;
        let j = Tensor::from_vec(pairs.iter().map(|x| x.1).collect::<Vec<_>>(), p, dev)?;
        let (ei, ej) = (emb.index_select(&i, 0)?, emb.index_select(&j, 0)?);
        let prod = ei.mul(&ej)?;
        // The first layer has no dropout before it, so it is computed once per pair and shared
        // by every pass; `f.a`/`f.b` act on each design once.
        let fa = emb.matmul(self.p("f.a"))?;
        let fb = emb.matmul(self.p("f.b"))?;
        let shared = prod.matmul(self.p("f.c"))?.broadcast_add(self.p("f.b1"))?;
        let pre_ab = fa.index_select(&i, 0)?.add(&fb.index_select(&j, 0)?)?.add(&shared)?;
        let pre_ba = fa.index_select(&j, 0)?.add(&fb.index_select(&i, 0)?)?.add(&shared)?;
        // Repeating by concatenation keeps every operand contiguous: candle's strided broadcast
        // kernels are an order of magnitude slower than a copy plus a plain multiply.
        let tile = |x: &Tensor| -> Result<Tensor> { Ok(Tensor::cat(&vec![x; t], 0)?) };
        let expand = |x: Tensor, m: &Tensor| -> Result<Tensor> { Ok(tile(&x.relu()?)?.mul(&m.reshape((t * p, hh))?)?) };
        let f1 = Tensor::cat(&[&expand(pre_ab, &masks.f1)?, &expand(pre_ba, &masks.f1)?], 0)?;
        let m2 = masks.f2.reshape((t * p, hh))?;
        let m2 = Tensor::cat(&[&m2, &m2], 0)?;
        let f2 = f1.matmul(self.p("f.w2"))?.broadcast_add(self.p("f.b2"))?.relu()?.mul(&m2)?;
        let fo = f2.matmul(self.p("f.w3"))?.broadcast_add(self.p("f.b3"))?;
        let (ab, ba) = (fo.narrow(0, 0, t * p)?, fo.narrow(0, t * p, t * p)?);

        let pre_g = ei.sub(&ej)?.abs()?.matmul(self.p("g.a"))?
            .add(&prod.matmul(self.p("g.b"))?)?
            .add(&ei.add(&ej)?.matmul(self.p("g.c"))?)?
            .broadcast_add(self.p("g.b1"))?;
        let g1 = expand(pre_g, &masks.g1)?;
        let g2 = g1.matmul(self.p("g.w2"))?.broadcast_add(self.p("g.b2"))?.relu()?.mul(&masks.g2.reshape((t * p, hh))?)?;
        let go = g2.matmul(self.p("g.w3"))?.broadcast_add(self.p("g.b3"))?;

        // Linear skip from the estimator's log ratios: an antisymmetric term added to the "A" side
        // and subtracted on the "B" side, the same for every pass.
        let d = self.config.embed;
        let diff = ei.narrow(1, d, GLOBAL_NORMALISED)?.sub(&ej.narrow(1, d, GLOBAL_NORMALISED)?)?;
        let rep = |x: Tensor| -> Result<Tensor> { tile(&x) };
        let s_dom = rep(diff.matmul(self.p("skip.dom"))?)?;
        let s_lat = rep(diff.matmul(self.p("skip.lat"))?)?;
        let s_obj = rep(diff.matmul(self.p("skip.obj"))?)?;
        let col = |x: &Tensor, c: usize| x.narrow(1, c, 1);
        let dom = Tensor::cat(&[&col(&ab, 0)?.add(&s_dom)?, &col(&ba, 0)?.sub(&s_dom)?, &col(&go, 0)?], 1)?.reshape((t, p, 3))?;
        let lat = col(&ab, 1)?.sub(&col(&ba, 1)?)?.add(&s_lat)?.reshape((t, p))?;
        let obj = Tensor::stack(
            &[&ab.narrow(1, 2, OBJECTIVES)?.add(&s_obj)?, &ba.narrow(1, 2, OBJECTIVES)?.sub(&s_obj)?, &go.narrow(1, 1, OBJECTIVES)?],
            2,
        )?
        .reshape((t, p, OBJECTIVES, 3))?;
        Ok(PairLogits { dom, lat, obj })
    }
}

/// Softmax over the last dimension.
pub(crate) fn softmax(x: &Tensor) -> Result<Tensor> {
    Ok(candle_nn::ops::softmax(x, D::Minus1)?)
}
