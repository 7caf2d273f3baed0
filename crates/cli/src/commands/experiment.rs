//! `hlsseek experiment`: measured experiments over recorded real results — the self-improving
//! reward loop (`loop`) and design-space exploration against random sampling (`dse`).

use super::proxy::{bar, load, model_or_shipped};
use crate::output::{print_json, table};
use anyhow::{Context, Result};
use hlsseek_proxy::data::{family, Task};
use hlsseek_proxy::train::UpdateConfig;
use hlsseek_reward::calibrate::{for_accuracy, for_budget, validation_pairs, Calibrated};
use hlsseek_reward::experiment::{load_hlsyn_stream, run as run_stream, ExperimentConfig, StreamMetrics, UpdateSync};
use hlsseek_reward::{GroupScorer, ModelCell, OnlineUpdater, ScorerConfig, UpdatePolicy};
use hlsseek_store::ResultStore;
use hlsseek_synth::recorded::RecordedBackend;
use hlsseek_synth::Synthesizer;
use serde_json::json;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum ExperimentCommand {
    /// Stream groups of random HLSyn designs through the group scorer with online updates, and
    /// measure decisions and rewards against the recorded truth.
    Loop(LoopArgs),
    /// Design-space exploration with the proxy against random sampling, scored by ADRS.
    Dse(super::dse::ExperimentDseArgs),
}

#[derive(clap::Args)]
pub struct LoopArgs {
    /// HLSyn dataset folder (with `designs/` and `sources/`).
    #[arg(long)]
    hlsyn: PathBuf,
    #[arg(long, default_value = "v20", value_parser = ["v18", "v20"])]
    version: String,
    /// Kernels to stream, comma-separated. Default: every kernel of the families the model was
    /// not trained on (its meta.json `held_out_families`).
    #[arg(long)]
    kernels: Option<String>,
    /// Candidates per group (GRPO's G).
    #[arg(long, default_value_t = 8)]
    group: usize,
    /// Groups drawn per kernel.
    #[arg(long, default_value_t = 40)]
    groups: usize,
    /// Uncertainty threshold above which a pair goes to synthesis. Default: calibrated on
    /// validation pairs of the training kernels for `--target-accuracy`.
    #[arg(long)]
    threshold: Option<f32>,
    /// Calibrate the threshold for this pairwise accuracy...
    #[arg(long, default_value_t = 0.99)]
    target_accuracy: f64,
    /// ...or for this share of pairs sent to synthesis (overrides --target-accuracy).
    #[arg(long)]
    target_fraction: Option<f64>,
    /// New syntheses per group at most (default: a quarter of the group).
    #[arg(long)]
    budget: Option<usize>,
    /// Also spend what is left of the budget on the most uncertain pairs below the threshold.
    #[arg(long)]
    spend_budget: bool,
    /// Judge the pairs left unsettled by the task's known real results (nearest designs in
    /// pragmas, scaled by the estimator) once a task has this many (0: the proxy judges them).
    #[arg(long, default_value_t = 8)]
    neighbours_after: usize,
    /// Do not synthesize for pairs the neighbours are sure of: both designs known or within N
    /// pragma lines of a known design, both predictions agreeing (0: off).
    #[arg(long, default_value_t = 0)]
    sure_within: usize,
    /// Fine-tune the proxy after this many new real results (0: never).
    #[arg(long, default_value_t = 16)]
    update_every: usize,
    /// Optimiser steps per fine-tuning.
    #[arg(long, default_value_t = 60)]
    update_steps: usize,
    /// When the stream waits for a running fine-tuning: `step` (end of each RL step; the
    /// simulated 40 s syntheses leave room for it), `group`, or `background` (never).
    #[arg(long, default_value = "step", value_parser = ["step", "group", "background"])]
    sync: String,
    /// Groups per RL step, whose syntheses share the 8 parallel slots.
    #[arg(long, default_value_t = 8)]
    step_groups: usize,
    /// Model folder (the shipped model when omitted).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Result store URL; default: a fresh temporary store, so the counters describe this run.
    #[arg(long)]
    store: Option<String>,
    #[arg(long, default_value_t = 16)]
    passes: usize,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    #[arg(long)]
    json: bool,
}

pub fn run(c: ExperimentCommand) -> Result<u8> {
    match c {
        ExperimentCommand::Loop(a) => loop_cmd(a),
        ExperimentCommand::Dse(a) => super::dse::run_experiment(a),
    }
}

fn loop_cmd(a: LoopArgs) -> Result<u8> {
    let started = Instant::now();
    anyhow::ensure!(a.group >= 2, "--group must be at least 2");
    let model = model_or_shipped(a.model.clone())?;
    let held: Vec<String> = model.meta.training.get("held_out_families").and_then(|v| serde_json::from_value(v.clone()).ok()).unwrap_or_default();
    let ds = hlsseek_datasets::hlsyn::Hlsyn::open(&a.hlsyn)?;
    let names = ds.kernel_names(&a.version)?;
    let stream_names: Vec<String> = match &a.kernels {
        Some(list) => list.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        None => {
            anyhow::ensure!(!held.is_empty(), "the model records no held-out kernel families; name the kernels with --kernels");
            names.iter().filter(|n| held.iter().any(|f| f == family(n))).cloned().collect()
        }
    };
    for k in &stream_names {
        anyhow::ensure!(names.contains(k), "HLSyn {} has no kernel `{k}` (known: {})", a.version, names.join(", "));
    }
    let seen_in_training: Vec<&String> = stream_names.iter().filter(|k| !held.iter().any(|f| f == family(k))).collect();

    // The old training data: replayed during fine-tuning, and the validation pairs for the threshold.
    let stream_families: Vec<&str> = stream_names.iter().map(|k| family(k)).collect();
    let replay: Vec<Task> =
        load(&a.hlsyn, &[a.version.as_str()])?.into_iter().filter(|t| !stream_families.contains(&family(&t.kernel)) && !held.iter().any(|f| f == family(&t.kernel))).collect();
    let calibration: Option<Calibrated> = match a.threshold {
        Some(_) => None,
        None => {
            let pairs = validation_pairs(&model, &replay, 300, a.passes, a.seed)?;
            Some(match a.target_fraction {
                Some(f) => for_budget(&pairs, f),
                None => for_accuracy(&pairs, a.target_accuracy),
            })
        }
    };
    let threshold = a.threshold.or(calibration.map(|c| c.threshold)).unwrap_or(0.5);

    eprintln!("loading the stream kernels: {}", stream_names.join(", "));
    let kernels = load_hlsyn_stream(&a.hlsyn, &a.version, &stream_names)?;
    let pools: Vec<String> = kernels.iter().map(|k| format!("{} ({} designs)", k.kernel, k.designs.len())).collect();
    eprintln!("stream pools: {}", pools.join(", "));
    let mut recorded = RecordedBackend::new();
    recorded.add_path(&a.hlsyn, &a.version).context("indexing the recorded results")?;
    let tmp = tempfile::tempdir()?;
    let fresh = tmp.path().join("results.db").display().to_string();
    let store: Arc<dyn ResultStore> = crate::input::open_store(Some(a.store.as_deref().unwrap_or(&fresh)))?;
    let synth = Arc::new(Synthesizer::new(Arc::new(recorded), Some(store.clone()), 8));

    let replay_idx: Vec<Vec<usize>> = replay.iter().map(|t| (0..t.designs.len()).collect()).collect();
    let policy = UpdatePolicy { every: a.update_every, update: UpdateConfig { steps: a.update_steps, ..UpdateConfig::default() } };
    let updater = Arc::new(OnlineUpdater::new(Arc::new(ModelCell::new(model)), replay, replay_idx, policy));
    let config = ScorerConfig { threshold, budget: a.budget.unwrap_or(a.group / 4), spend_budget: a.spend_budget, passes: a.passes, neighbours_after: a.neighbours_after, sure_within: a.sure_within };
    let scorer = GroupScorer::new(updater.clone(), synth, config);
    let cfg = ExperimentConfig {
        group: a.group,
        groups: a.groups,
        step_groups: a.step_groups,
        seed: a.seed,
        sync: match a.sync.as_str() {
            "group" => UpdateSync::Group,
            "background" => UpdateSync::Background,
            _ => UpdateSync::Step,
        },
        ..ExperimentConfig::default()
    };
    let pb = bar((a.groups * kernels.len()) as u64, "groups scored");
    let report = run_stream(&kernels, &scorer, &cfg, &mut |done, _| pb.set_position(done as u64))?;
    pb.finish_and_clear();
    let stats = store.stats()?;
    let versions = updater.versions();
    let errors = updater.errors();

    if a.json {
        let mut v = serde_json::to_value(&report)?;
        let extra = json!({
            "hlsyn_version": a.version,
            "stream_kernels": stream_names,
            "kernels_seen_in_training": seen_in_training,
            "scorer": scorer.config,
            "experiment": cfg,
            "calibration": calibration,
            "update_every": a.update_every,
            "model_versions_detail": versions.iter().map(|v| json!({"version": v.version, "parent": v.parent, "results": v.trained_on.len(), "mean_loss": v.mean_loss, "seconds": v.seconds})).collect::<Vec<_>>(),
            "update_errors": errors,
            "store": stats,
            "seconds": started.elapsed().as_secs_f64(),
        });
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        print_json(&v)?;
        return Ok(0);
    }
    println!("streamed {} groups of {} from {} ({})", report.overall.groups, a.group, stream_names.join(", "), a.version);
    if !seen_in_training.is_empty() {
        println!("note: the model was trained on {}", seen_in_training.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", "));
    }
    match calibration {
        Some(c) => println!(
            "threshold {:.3} (calibrated on {} validation pairs: proxy {:.1}% → {:.1}% with {:.1}% of pairs switched)",
            threshold,
            c.pairs,
            100.0 * c.proxy_accuracy,
            100.0 * c.accuracy,
            100.0 * c.switched_fraction
        ),
        None => println!("threshold {threshold:.3} (given)"),
    }
    let mut t = table(["slice", "groups", "pairwise agreement", "latency agreement", "proxy-only agreement", "\"neither\" on those", "Kendall tau", "synthesized", "speedup", "vs distinct"]);
    for (name, m) in [("all", &report.overall), ("first quarter", &report.first_quarter), ("last quarter", &report.last_quarter)] {
        t.add_row(row(name, m));
    }
    for (k, m) in &report.kernels {
        t.add_row(row(k, m));
    }
    println!("{t}");
    println!(
        "{} candidates, {} real syntheses; store: {} results, {} hits, {} misses; {} model versions swapped in{}",
        report.candidates,
        report.syntheses,
        stats.results,
        stats.hits,
        stats.misses,
        versions.len(),
        if errors.is_empty() { String::new() } else { format!(" ({} updates failed: {})", errors.len(), errors[0]) }
    );
    println!(
        "simulated reward time {:.0} s vs {:.0} s synthesizing every candidate, {:.0} s synthesizing each distinct design once (40 s each, 8 in parallel)",
        report.overall.simulated_seconds, report.overall.all_real_seconds, report.overall.distinct_real_seconds
    );
    Ok(0)
}

fn row(name: &str, m: &StreamMetrics) -> Vec<String> {
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    vec![
        name.to_string(),
        m.groups.to_string(),
        pct(m.pairwise_agreement),
        pct(m.latency_agreement),
        pct(m.proxy_agreement),
        pct(m.proxy_neither_baseline),
        format!("{:.3}", m.kendall_tau),
        pct(m.synthesized_fraction),
        format!("{:.1}×", m.speedup),
        format!("{:.1}×", m.speedup_distinct),
    ]
}
