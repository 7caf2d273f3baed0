//! The training protocol behind `hlsseek proxy train` and the shipped model: which tasks are
//! trained on, which designs are watched (early stopping, the fitted decision), which are only
//! reported (held-out kernel families or points), and the record of it all in the model's
//! metadata (`meta.json` → `training`), so that a model says what it was and was not shown.

use crate::data::{all_pairs, data_hash, family, heldout_pairs, split_points, split_watched, Split, Task};
use crate::metrics::{evaluate, Metrics};
use crate::train::{train, TrainConfig, TrainEvent};
use crate::{ProxyError, ProxyModel, Result};
use serde_json::json;
use std::time::Instant;

/// Share of the training designs watched for early stopping and the decision.
const WATCHED: f64 = 0.10;
/// Share of each kernel's designs only reported under [`SplitKind::Points`].
const REPORTED: f64 = 0.15;

/// What is held out of training.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplitKind {
    /// Nothing: every kernel trains, 10 % of its designs are watched.
    None,
    /// 15 % of each kernel's designs are never trained on nor watched, and reported.
    Points,
    /// Whole kernel families are never trained on nor watched, and reported.
    Kernels,
}

impl SplitKind {
    pub fn parse(s: &str) -> Option<SplitKind> {
        match s {
            "none" => Some(SplitKind::None),
            "points" => Some(SplitKind::Points),
            "kernels" => Some(SplitKind::Kernels),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SplitKind::None => "none",
            SplitKind::Points => "points",
            SplitKind::Kernels => "kernels",
        }
    }
}

/// One training run's plan.
#[derive(Clone, Debug)]
pub struct Protocol {
    pub split: SplitKind,
    /// Families held out by [`SplitKind::Kernels`].
    pub held_out_families: Vec<String>,
    /// Under [`SplitKind::Kernels`], this many further families (a seeded choice) are kept out
    /// of training and watched whole: early stopping and the decision then see unseen kernels.
    pub validate_families: usize,
    /// MC-dropout passes of the reports.
    pub passes: usize,
    /// The data folder's name, recorded.
    pub data_name: Option<String>,
}

/// A trained model (its metadata filled in) and what it was measured on.
pub struct Trained {
    pub model: ProxyModel,
    /// (`held_out_points` | `held_out_kernels`, metrics) for what the split held out.
    pub reports: Vec<(&'static str, Metrics)>,
    pub validation_families: Vec<String>,
    pub best_epoch: usize,
    /// Training and reporting, not the encoding of the data.
    pub seconds: f64,
}

/// Train on `tasks` as `p` says, then measure what was held out.
pub fn run(tasks: &[Task], p: &Protocol, cfg: &TrainConfig, on_event: &mut dyn FnMut(&TrainEvent)) -> Result<Trained> {
    let start = Instant::now();
    let seed = cfg.seed;
    let held_out = |t: &Task| p.split == SplitKind::Kernels && p.held_out_families.iter().any(|f| f == family(&t.kernel));
    let (train_tasks, held_tasks): (Vec<Task>, Vec<Task>) = tasks.iter().cloned().partition(|t| !held_out(t));
    if train_tasks.is_empty() {
        return Err(ProxyError::Invalid("every kernel is held out".into()));
    }
    let report_split: Option<Split> = (p.split == SplitKind::Points).then(|| split_points(&train_tasks, REPORTED, seed));
    let mut watched: Split = match &report_split {
        Some(r) => split_watched(r, WATCHED, seed),
        None => split_points(&train_tasks, WATCHED, seed),
    };
    let validation = validation_families(&train_tasks, p, seed)?;
    for (t, task) in train_tasks.iter().enumerate() {
        if validation.iter().any(|f| f == family(&task.kernel)) {
            watched.held[t] = (0..task.designs.len()).collect();
            watched.train[t].clear();
        }
    }
    let outcome = train(&train_tasks, &watched, cfg, on_event)?;
    let mut model = outcome.model;

    let mut reports: Vec<(&'static str, Metrics)> = Vec::new();
    let quiet = &mut |_: usize, _: usize| {};
    if let Some(r) = &report_split {
        let pairs: Vec<_> = r.held.iter().zip(&r.train).map(|(h, t)| heldout_pairs(h, t)).collect();
        reports.push(("held_out_points", evaluate(&model, &train_tasks, &pairs, p.passes, seed, quiet)?));
    }
    if !held_tasks.is_empty() {
        let pairs: Vec<_> = held_tasks.iter().map(|t| all_pairs(t.designs.len())).collect();
        reports.push(("held_out_kernels", evaluate(&model, &held_tasks, &pairs, p.passes, seed, quiet)?));
    }
    let mut report = json!({});
    for (name, m) in &reports {
        report[*name] = serde_json::to_value(m).map_err(|e| ProxyError::Invalid(format!("report: {e}")))?;
    }
    let seconds = start.elapsed().as_secs_f64();
    let kernels = p.split == SplitKind::Kernels;
    model.meta.training = json!({
        "data": p.data_name,
        "data_hash": data_hash(tasks),
        "designs": tasks.iter().map(|t| t.designs.len()).sum::<usize>(),
        "tasks": tasks.iter().map(|t| format!("{}/{}", t.version, t.kernel)).collect::<Vec<_>>(),
        "split": p.split.as_str(),
        "held_out_families": if kernels { p.held_out_families.clone() } else { Vec::new() },
        "validation_families": validation,
        "decision": model.meta.decision,
        "monitor_fraction": WATCHED,
        "report_fraction": if p.split == SplitKind::Points { REPORTED } else { 0.0 },
        "config": cfg,
        "best_epoch": outcome.best_epoch,
        "epochs_run": outcome.history.len(),
        "history": outcome.history,
        "seconds": seconds,
        "threads": rayon::current_num_threads(),
        "report": report,
    });
    Ok(Trained { model, reports, validation_families: validation, best_epoch: outcome.best_epoch, seconds })
}

/// The seeded choice of validation families among the training tasks' families.
fn validation_families(train_tasks: &[Task], p: &Protocol, seed: u64) -> Result<Vec<String>> {
    if p.split != SplitKind::Kernels || p.validate_families == 0 {
        return Ok(Vec::new());
    }
    let mut fams: Vec<String> = train_tasks.iter().map(|t| family(&t.kernel).to_string()).collect();
    fams.sort();
    fams.dedup();
    crate::Rng::new(seed).fork(77).shuffle(&mut fams);
    if p.validate_families >= fams.len() {
        return Err(ProxyError::Invalid(format!("--validate-families {} leaves no family to train on", p.validate_families)));
    }
    let mut chosen = fams[..p.validate_families].to_vec();
    chosen.sort();
    Ok(chosen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::ModelConfig;
    use crate::synthetic;
    use crate::ToolVersion;

    fn tiny() -> TrainConfig {
        TrainConfig {
            model: ModelConfig { hidden: 16, layers: 1, embed: 16, head_hidden: 16, dropout: 0.1 },
            max_epochs: 1,
            patience: 1,
            group: 8,
            groups_per_step: 1,
            fit_decision: false,
            ..TrainConfig::default()
        }
    }

    fn protocol(split: SplitKind, held: &[&str], validate: usize) -> Protocol {
        Protocol { split, held_out_families: held.iter().map(|s| s.to_string()).collect(), validate_families: validate, passes: 2, data_name: Some("synthetic".into()) }
    }

    #[test]
    fn held_out_and_validation_families_never_train_and_are_recorded() {
        let tasks: Vec<Task> = synthetic::families(5).iter().map(|f| synthetic::task(f, ToolVersion::V20).unwrap()).collect();
        let p = protocol(SplitKind::Kernels, &["int0"], 1);
        let t = run(&tasks, &p, &tiny(), &mut |_| {}).unwrap();
        // The held-out family is reported over all its pairs; the validation family is another one.
        let (name, m) = &t.reports[0];
        let n = tasks[0].designs.len() as u64;
        assert_eq!((*name, t.reports.len()), ("held_out_kernels", 1));
        assert_eq!(m.summary.pairs as u64, n * (n - 1) / 2);
        assert_eq!(t.validation_families.len(), 1);
        assert_ne!(t.validation_families[0], "int0");
        let meta = &t.model.meta.training;
        assert_eq!(meta["held_out_families"], serde_json::json!(["int0"]));
        assert_eq!(meta["validation_families"], serde_json::json!(t.validation_families));
        assert_eq!(meta["split"], "kernels");
        assert_eq!(meta["data"], "synthetic");
        // The seeded choice is the same run to run.
        assert_eq!(validation_families(&tasks[1..], &p, tiny().seed).unwrap(), t.validation_families);
    }

    #[test]
    fn impossible_protocols_are_errors() {
        let tasks: Vec<Task> = synthetic::families(2).iter().map(|f| synthetic::task(f, ToolVersion::V20).unwrap()).collect();
        let all = protocol(SplitKind::Kernels, &["int0", "int1"], 0);
        assert!(matches!(run(&tasks, &all, &tiny(), &mut |_| {}), Err(ProxyError::Invalid(m)) if m.contains("every kernel")));
        let too_many = protocol(SplitKind::Kernels, &["int0"], 1);
        assert!(matches!(run(&tasks, &too_many, &tiny(), &mut |_| {}), Err(ProxyError::Invalid(m)) if m.contains("--validate-families")));
        assert_eq!(SplitKind::parse("points"), Some(SplitKind::Points));
        assert_eq!(SplitKind::parse("rows"), None);
    }
}
