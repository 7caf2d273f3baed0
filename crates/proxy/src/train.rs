//! Training: batches of designs drawn per task, all pairs within each drawn group, a weighted
//! 3-way dominance loss plus latency, per-objective and per-design auxiliary terms, AdamW,
//! early stopping on held-out pairs; and [`update`], online fine-tuning with replay.

use crate::data::{heldout_pairs, pair_label, PairLabel, Split, Task};
use crate::error::{ProxyError, Result};
use crate::graph::{DesignGraph, Normalisation};
use crate::metrics::{embed_all, judge_with_label, summarise, Summary};
use crate::model::{reduce, Decision, ProxyModel, RawPass, RawScores};
use crate::network::{ModelConfig, OBJECTIVES};
use crate::rng::Rng;
use candle_core::{DType, Tensor, D};
use candle_nn::{AdamW, Optimizer, ParamsAdamW};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct TrainConfig {
    pub model: ModelConfig,
    pub seed: u64,
    pub max_epochs: usize,
    /// Epochs without improvement of the monitored score before stopping.
    pub patience: usize,
    pub lr: f64,
    pub weight_decay: f64,
    /// Designs drawn from one task per group (all pairs among them are used).
    pub group: usize,
    /// Groups (tasks) per optimiser step.
    pub groups_per_step: usize,
    /// Monitored pairs per task at most (held-out × any), to bound the per-epoch check.
    pub monitor_pairs: usize,
    /// Stop after the epoch that crosses this many seconds of training (None: no limit).
    #[serde(default)]
    pub time_budget_s: Option<f64>,
    /// Fit the [`Decision`] (how the heads are combined) on the watched pairs every epoch;
    /// otherwise the direct heads alone are used.
    #[serde(default)]
    pub fit_decision: bool,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            model: ModelConfig::default(),
            seed: 17,
            max_epochs: 40,
            patience: 20,
            lr: 3e-3,
            weight_decay: 1e-4,
            group: 16,
            groups_per_step: 4,
            monitor_pairs: 1500,
            time_budget_s: None,
            fit_decision: true,
        }
    }
}

/// Reported after every step and every epoch.
#[derive(Clone, Debug)]
pub struct TrainEvent {
    pub epoch: usize,
    pub max_epochs: usize,
    pub step: usize,
    pub steps: usize,
    pub loss: f32,
    /// Held-out summary at the end of an epoch.
    pub monitor: Option<Summary>,
    /// At the end of an epoch: the summary over tasks kept wholly out of training (validation
    /// kernels), when the split has any.
    pub unseen: Option<Summary>,
}

#[derive(Clone, Debug, Serialize)]
pub struct EpochLog {
    pub epoch: usize,
    pub loss: f32,
    /// Watched pairs under the decision fitted at this epoch.
    pub monitor: Summary,
    pub score: f64,
    pub decision: Decision,
    /// Watched pairs under the direct heads alone.
    pub direct: Summary,
    /// Pairs of the tasks kept wholly out of training (validation kernels), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unseen: Option<Summary>,
}

pub struct TrainOutcome {
    pub model: ProxyModel,
    pub best_epoch: usize,
    pub history: Vec<EpochLog>,
}

/// The number early stopping maximises: dominance accuracy, its balanced form and latency
/// accuracy, equally weighted, so the rare "dominates" classes are not traded away.
pub fn monitor_score(s: &Summary) -> f64 {
    (s.dominance_accuracy + s.dominance_balanced_accuracy + s.latency_accuracy) / 3.0
}

/// Class weights for the dominance loss: inverse square root of class frequency over the
/// training pairs, normalised to mean 1 (a middle ground between accuracy and balance).
fn class_weights(tasks: &[Task], train: &[Vec<usize>], rng: &mut Rng) -> [f32; 3] {
    let mut counts = [1f64; 3];
    for (t, idx) in train.iter().enumerate() {
        for _ in 0..200.min(idx.len() * idx.len()) {
            let (i, j) = (idx[rng.below(idx.len())], idx[rng.below(idx.len())]);
            if i != j {
                counts[pair_label(&tasks[t].designs[i].qor, &tasks[t].designs[j].qor).dominance as usize] += 1.0;
            }
        }
    }
    let total: f64 = counts.iter().sum();
    let w: Vec<f64> = counts.iter().map(|c| (total / c).sqrt()).collect();
    let mean = w.iter().sum::<f64>() / 3.0;
    [(w[0] / mean) as f32, (w[1] / mean) as f32, (w[2] / mean) as f32]
}

/// Deterministic (dropout off) head outputs and labels of the given pairs of every task.
pub fn raw_pairs(model: &ProxyModel, tasks: &[Task], pairs: &[Vec<(usize, usize)>]) -> Result<Vec<(RawPass, PairLabel)>> {
    let mut out = Vec::new();
    for (t, task) in tasks.iter().enumerate() {
        let Some(tp) = pairs.get(t).filter(|p| !p.is_empty()) else { continue };
        let emb = embed_all(model, task)?;
        for chunk in tp.chunks(4096) {
            let raw = model.raw_embedded(&emb, chunk, 0, 0)?;
            for (r, &(i, j)) in raw.passes[0].iter().zip(chunk) {
                out.push((*r, pair_label(&task.designs[i].qor, &task.designs[j].qor)));
            }
        }
    }
    Ok(out)
}

/// Summary of deterministic head outputs under a decision.
pub fn summarise_raw(raw: &[(RawPass, PairLabel)], d: &Decision) -> Summary {
    let scores = reduce(&RawScores { passes: vec![raw.iter().map(|r| r.0).collect()] }, d);
    let judged: Vec<_> = scores
        .iter()
        .zip(raw)
        .map(|(s, (_, l))| judge_with_label(s, l))
        .collect();
    summarise(&judged)
}

/// Choose how the heads are combined ([`Decision`]), on the watched pairs only: the dominance
/// mix and "neither" bias that maximise the mean of accuracy and balanced accuracy among those
/// whose plain accuracy is at least the always-"neither" rate (the highest accuracy when none
/// is), and the latency mix that maximises latency accuracy.
pub fn fit_decision(raw: &[(RawPass, PairLabel)]) -> (Decision, Summary) {
    let neither = raw.iter().filter(|r| r.1.dominance == 2).count() as f64 / raw.len().max(1) as f64;
    let mut best: Option<(bool, f64, Decision)> = None;
    for w in [0.0, 0.25, 0.5, 0.75, 1.0] {
        for b in [-1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0] {
            let d = Decision { objective_weight: w, neither_bias: b, ..Decision::default() };
            let s = summarise_raw(raw, &d);
            let ok = s.dominance_accuracy >= neither;
            let v = if ok { (s.dominance_accuracy + s.dominance_balanced_accuracy) / 2.0 } else { s.dominance_accuracy };
            if best.as_ref().is_none_or(|(bo, bv, _)| (ok && !bo) || (ok == *bo && v > *bv + 1e-12)) {
                best = Some((ok, v, d));
            }
        }
    }
    let mut d = best.map(|b| b.2).unwrap_or_default();
    let mut best_lat = (f64::NEG_INFINITY, d);
    for mu in [0.0, 0.25, 0.5, 0.75, 1.0] {
        for (alpha, scale) in [(0.0, 0.0), (0.25, 1.0), (0.5, 1.0), (0.75, 1.0), (0.25, 4.0), (0.5, 4.0), (0.75, 4.0), (1.0, 1.0)] {
            let c = Decision { latency_objective_weight: mu, estimator_weight: alpha, estimator_scale: scale, ..d };
            let s = summarise_raw(raw, &c);
            if s.latency_accuracy > best_lat.0 + 1e-12 {
                best_lat = (s.latency_accuracy, c);
            }
        }
    }
    d = best_lat.1;
    let s = summarise_raw(raw, &d);
    (d, s)
}

/// One group: a task and some of its designs.
type Group = (usize, Vec<usize>);

/// Loss of a step over several groups.
fn step_loss(model: &ProxyModel, tasks: &[Task], groups: &[Group], weights: [f32; 3], mask_seed: u64) -> Result<Tensor> {
    let net = &model.net;
    let dev = &net.device;
    let mut graphs: Vec<&DesignGraph> = Vec::new();
    let mut pairs = Vec::new();
    let (mut dom_t, mut dom_w, mut lat_t, mut lat_m, mut obj_t) = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut aux_t = Vec::new();
    for (t, idx) in groups {
        let base = graphs.len() as u32;
        let task = &tasks[*t];
        let logs: Vec<[f32; OBJECTIVES]> = idx
            .iter()
            .map(|&i| hlsseek_qor::pareto::objectives(&task.designs[i].qor).map(|v| (v as f32 + 1.0).log2()))
            .collect();
        // Centred within the group: the auxiliary head learns relative size, not kernel scale.
        let means: Vec<f32> = (0..OBJECTIVES).map(|k| logs.iter().map(|l| l[k]).sum::<f32>() / logs.len() as f32).collect();
        for l in &logs {
            aux_t.extend((0..OBJECTIVES).map(|k| (l[k] - means[k]) / 4.0));
        }
        graphs.extend(idx.iter().map(|&i| &task.designs[i].graph));
        for a in 0..idx.len() {
            for b in a + 1..idx.len() {
                let l = pair_label(&task.designs[idx[a]].qor, &task.designs[idx[b]].qor);
                pairs.push((base + a as u32, base + b as u32));
                dom_t.push(l.dominance);
                dom_w.push(weights[l.dominance as usize]);
                lat_t.push(l.a_faster.unwrap_or(false) as u8 as f32);
                lat_m.push(l.a_faster.is_some() as u8 as f32);
                obj_t.extend(l.objectives);
            }
        }
    }
    let p = pairs.len();
    if p == 0 {
        return Err(ProxyError::Invalid("no training pairs in the step".into()));
    }
    let batch = net.batch(&graphs)?;
    let emb = net.embed(&batch)?;
    let masks = net.masks(1, p, mask_seed, true)?;
    let lg = net.pair_logits(&emb, &pairs, &masks)?;

    let ce = |logits: &Tensor, targets: Vec<u32>, w: Option<Vec<f32>>| -> Result<Tensor> {
        let n = targets.len();
        let lp = candle_nn::ops::log_softmax(logits, D::Minus1)?;
        let picked = lp.gather(&Tensor::from_vec(targets, (n, 1), dev)?, 1)?.squeeze(1)?;
        Ok(match w {
            Some(w) => {
                let sum_w: f32 = w.iter().sum();
                (picked.mul(&Tensor::from_vec(w, n, dev)?)?.sum_all()? / (-(sum_w as f64)))?
            }
            None => (picked.mean_all()? * -1.0)?,
        })
    };
    let dom = ce(&lg.dom.reshape((p, 3))?, dom_t, Some(dom_w))?;
    let obj = ce(&lg.obj.reshape((p * OBJECTIVES, 3))?, obj_t, None)?;
    // Binary cross-entropy on latency order, over pairs whose latencies differ.
    let x = lg.lat.reshape(p)?;
    let y = Tensor::from_vec(lat_t, p, dev)?;
    let m_sum: f32 = lat_m.iter().sum();
    let m = Tensor::from_vec(lat_m, p, dev)?;
    let softplus = (x.relu()? + x.abs()?.neg()?.exp()?.affine(1.0, 1.0)?.log()?)?;
    let bce = softplus.sub(&x.mul(&y)?)?.mul(&m)?.sum_all()?;
    let lat = (bce / (m_sum.max(1.0) as f64))?;
    let aux_pred = net.aux(&emb)?.flatten_all()?;
    let aux = aux_pred.sub(&Tensor::from_vec(aux_t, graphs.len() * OBJECTIVES, dev)?)?.sqr()?.mean_all()?;
    let total = (dom + (lat * 0.5)? + (obj * 0.3)? + (aux * 0.1)?)?;
    Ok(total.to_dtype(DType::F32)?)
}

/// Draw one epoch of groups: every task contributes about one group per `group` training
/// designs, each a random subset; groups are shuffled and packed into steps.
fn epoch_groups(train: &[Vec<usize>], cfg: &TrainConfig, rng: &mut Rng) -> Vec<Vec<Group>> {
    let mut groups = Vec::new();
    for (t, idx) in train.iter().enumerate() {
        if idx.len() < 2 {
            continue;
        }
        let draws = idx.len().div_ceil(cfg.group);
        let mut pool = idx.clone();
        for _ in 0..draws {
            rng.shuffle(&mut pool);
            let mut g: Vec<usize> = pool[..cfg.group.min(pool.len())].to_vec();
            g.sort_unstable();
            groups.push((t, g));
        }
    }
    rng.shuffle(&mut groups);
    groups.chunks(cfg.groups_per_step.max(1)).map(|c| c.to_vec()).collect()
}

fn snapshot(model: &ProxyModel) -> Result<Vec<Tensor>> {
    Ok(model.net.vars().iter().map(|v| v.as_tensor().copy()).collect::<candle_core::Result<_>>()?)
}

fn restore(model: &ProxyModel, snap: &[Tensor]) -> Result<()> {
    for (v, t) in model.net.vars().iter().zip(snap) {
        v.set(t)?;
    }
    Ok(())
}

/// Train from scratch on `split.train`, monitoring pairs that involve `split.held` designs for
/// early stopping (the best epoch's weights are kept). The normalisation is fitted on the
/// training designs.
pub fn train(tasks: &[Task], split: &Split, cfg: &TrainConfig, progress: &mut dyn FnMut(&TrainEvent)) -> Result<TrainOutcome> {
    let norm = Normalisation::fit(split.train.iter().enumerate().flat_map(|(t, idx)| idx.iter().map(move |&i| &tasks[t].designs[i].graph)));
    let model = ProxyModel::new(cfg.model.clone(), norm, cfg.seed)?;
    let mut rng = Rng::new(cfg.seed).fork(1);
    let weights = class_weights(tasks, &split.train, &mut rng);
    let mut opt = AdamW::new(model.net.vars(), ParamsAdamW { lr: cfg.lr, weight_decay: cfg.weight_decay, ..Default::default() })?;
    let monitor: Vec<Vec<(usize, usize)>> = split
        .held
        .iter()
        .zip(&split.train)
        .enumerate()
        .map(|(t, (h, tr))| {
            let mut p = heldout_pairs(h, tr);
            Rng::new(cfg.seed).fork(1000 + t as u64).shuffle(&mut p);
            p.truncate(cfg.monitor_pairs);
            p
        })
        .collect();
    // Tasks with no training design are validation kernels: watched separately, and the
    // decision is fitted on them (the question is then how the model does on kernels it never
    // saw), while the score weighs seen-kernel points and unseen kernels equally.
    let unseen_task = |t: usize| split.train.get(t).is_none_or(|v| v.is_empty());
    let pick = |unseen: bool| -> Vec<Vec<(usize, usize)>> {
        monitor.iter().enumerate().map(|(t, p)| if unseen_task(t) == unseen { p.clone() } else { Vec::new() }).collect()
    };
    let (monitor_seen, monitor_unseen) = (pick(false), pick(true));
    let has_monitor = monitor.iter().any(|p| !p.is_empty());
    let has_unseen = monitor_unseen.iter().any(|p| !p.is_empty());
    let (mut best, mut best_epoch, mut best_snap) = (f64::NEG_INFINITY, 0, snapshot(&model)?);
    let mut best_decision = Decision::default();
    let mut history = Vec::new();
    let started = std::time::Instant::now();
    for epoch in 1..=cfg.max_epochs {
        // Cosine decay to a tenth of the initial rate over the epoch budget.
        let frac = (epoch - 1) as f64 / cfg.max_epochs.max(1) as f64;
        opt.set_learning_rate(cfg.lr * (0.1 + 0.9 * 0.5 * (1.0 + (std::f64::consts::PI * frac).cos())));
        let steps = epoch_groups(&split.train, cfg, &mut rng);
        let mut loss_sum = 0f32;
        for (s, groups) in steps.iter().enumerate() {
            let loss = step_loss(&model, tasks, groups, weights, rng.next_u64())?;
            opt.backward_step(&loss)?;
            let l = loss.to_scalar::<f32>()?;
            if !l.is_finite() {
                return Err(ProxyError::Invalid(format!("training diverged (loss {l}) at epoch {epoch}")));
            }
            loss_sum += l;
            progress(&TrainEvent { epoch, max_epochs: cfg.max_epochs, step: s + 1, steps: steps.len(), loss: l, monitor: None, unseen: None });
        }
        let loss = loss_sum / steps.len().max(1) as f32;
        let (decision, summary, direct, unseen) = if has_monitor {
            let raw = raw_pairs(&model, tasks, &monitor_seen)?;
            let raw_unseen = if has_unseen { raw_pairs(&model, tasks, &monitor_unseen)? } else { Vec::new() };
            let fit_on = if has_unseen { &raw_unseen } else { &raw };
            let d = if cfg.fit_decision { fit_decision(fit_on).0 } else { Decision::default() };
            let unseen = has_unseen.then(|| summarise_raw(&raw_unseen, &d));
            (d, summarise_raw(&raw, &d), summarise_raw(&raw, &Decision::default()), unseen)
        } else {
            (Decision::default(), Summary::default(), Summary::default(), None)
        };
        let score = match (&unseen, has_monitor) {
            (Some(u), _) if summary.pairs > 0 => (monitor_score(&summary) + monitor_score(u)) / 2.0,
            (Some(u), _) => monitor_score(u),
            (None, true) => monitor_score(&summary),
            (None, false) => -(loss as f64),
        };
        progress(&TrainEvent {
            epoch,
            max_epochs: cfg.max_epochs,
            step: steps.len(),
            steps: steps.len(),
            loss,
            monitor: Some(summary.clone()),
            unseen: unseen.clone(),
        });
        history.push(EpochLog { epoch, loss, monitor: summary, score, decision, direct, unseen });
        if score > best {
            best = score;
            best_epoch = epoch;
            best_snap = snapshot(&model)?;
            best_decision = decision;
        } else if epoch - best_epoch >= cfg.patience {
            break;
        }
        if cfg.time_budget_s.is_some_and(|b| started.elapsed().as_secs_f64() > b) {
            break;
        }
    }
    restore(&model, &best_snap)?;
    let mut model = model;
    model.meta.decision = best_decision;
    Ok(TrainOutcome { model, best_epoch, history })
}

/// Online fine-tuning settings.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct UpdateConfig {
    pub steps: usize,
    pub lr: f64,
    /// Replay groups (old tasks) mixed into every step beside one group of new results.
    pub replay_groups: usize,
    pub group: usize,
    pub seed: u64,
}

impl Default for UpdateConfig {
    fn default() -> Self {
        UpdateConfig { steps: 60, lr: 5e-4, replay_groups: 2, group: 24, seed: 23 }
    }
}

/// Fine-tune `model` on newly labelled designs (`new`, every design used) mixed with a replay
/// sample of the old training data (`replay`, indices per task in `replay_idx`), so that what
/// was learnt before is rehearsed while the new results are learnt. Returns the mean loss.
pub fn update(model: &mut ProxyModel, new: &[Task], replay: &[Task], replay_idx: &[Vec<usize>], cfg: &UpdateConfig) -> Result<f32> {
    let new_tasks: Vec<usize> = (0..new.len()).filter(|&t| new[t].designs.len() >= 2).collect();
    if new_tasks.is_empty() {
        return Err(ProxyError::Invalid("update needs a task with at least two new designs".into()));
    }
    // One design list: the new tasks first, then the replay tasks.
    let all: Vec<Task> = new.iter().chain(replay.iter()).cloned().collect();
    let replay_tasks: Vec<usize> = (0..replay.len()).filter(|&t| replay_idx.get(t).is_some_and(|i| i.len() >= 2)).collect();
    let mut rng = Rng::new(cfg.seed);
    let mut train_idx: Vec<Vec<usize>> = new.iter().map(|t| (0..t.designs.len()).collect()).collect();
    train_idx.extend(replay_idx.iter().cloned());
    let weights = class_weights(&all, &train_idx, &mut rng);
    let mut opt = AdamW::new(model.net.vars(), ParamsAdamW { lr: cfg.lr, weight_decay: 1e-4, ..Default::default() })?;
    let draw = |t: usize, idx: &[usize], rng: &mut Rng| -> Group {
        let mut pool = idx.to_vec();
        rng.shuffle(&mut pool);
        pool.truncate(cfg.group);
        pool.sort_unstable();
        (t, pool)
    };
    let mut loss_sum = 0f32;
    for _ in 0..cfg.steps {
        let t = new_tasks[rng.below(new_tasks.len())];
        let mut groups = vec![draw(t, &train_idx[t], &mut rng)];
        for _ in 0..cfg.replay_groups.min(replay_tasks.len()) {
            let r = replay_tasks[rng.below(replay_tasks.len())];
            groups.push(draw(new.len() + r, &train_idx[new.len() + r], &mut rng));
        }
        let loss = step_loss(model, &all, &groups, weights, rng.next_u64())?;
        opt.backward_step(&loss)?;
        loss_sum += loss.to_scalar::<f32>()?;
    }
    Ok(loss_sum / cfg.steps.max(1) as f32)
}
