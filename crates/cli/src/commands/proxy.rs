//! `hlsseek proxy`: train the comparative proxy on HLSyn, evaluate it over every pair of valid
//! designs, and compare two designs.

use crate::output::{print_json, table};
use anyhow::{Context, Result};
use crate::input::load_sources;
use hlsseek_proxy::data::{all_pairs, family, heldout_pairs, load_hlsyn, split_points, Task};
use hlsseek_proxy::metrics::{evaluate, Metrics};
use hlsseek_proxy::network::ModelConfig;
use hlsseek_proxy::protocol::{self, Protocol, SplitKind};
use hlsseek_proxy::train::{TrainConfig, TrainEvent};
use hlsseek_proxy::{prepare, ProxyModel, ToolVersion};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Families held out by `--split kernels` unless told otherwise.
const DEFAULT_HOLDOUT: &str = "atax,jacobi,symm,fdtd";

#[derive(clap::Subcommand)]
pub enum ProxyCommand {
    /// Train a model on HLSyn results and save it (weights + meta.json).
    Train {
        /// HLSyn dataset folder (with `designs/` and `sources/`).
        #[arg(long)]
        hlsyn: PathBuf,
        /// Output folder for model.safetensors and meta.json.
        #[arg(long, default_value = "models/proxy")]
        out: PathBuf,
        /// Most epochs (early stopping may end sooner).
        #[arg(long, default_value_t = 40)]
        epochs: usize,
        /// `none`: train on every kernel (10% of points per kernel watched for early stopping);
        /// `points`: hold out 15% of each kernel's points and report on them;
        /// `kernels`: hold out whole kernel families (`--holdout`) and report on them.
        #[arg(long, default_value = "none", value_parser = ["none", "points", "kernels"])]
        split: String,
        /// Kernel families held out by `--split kernels`, comma-separated.
        #[arg(long, default_value = DEFAULT_HOLDOUT)]
        holdout: String,
        #[arg(long, default_value_t = 17)]
        seed: u64,
        /// Stop after the epoch that crosses this many minutes of training.
        #[arg(long)]
        max_minutes: Option<f64>,
        /// Dropout passes for the held-out report.
        #[arg(long, default_value_t = 16)]
        passes: usize,
        /// Epochs without improvement of the watched score before stopping.
        #[arg(long, default_value_t = 20)]
        patience: usize,
        /// Initial learning rate (cosine decay to a tenth over `--epochs`).
        #[arg(long, default_value_t = 3e-3)]
        lr: f64,
        /// Width of the graph encoder (and of the embedding).
        #[arg(long, default_value_t = 64)]
        hidden: usize,
        /// Width of the pairwise head's hidden layers (the MC-dropout cost grows with its square).
        #[arg(long, default_value_t = 64)]
        head_hidden: usize,
        /// Dropout rate of the head.
        #[arg(long, default_value_t = 0.15)]
        dropout: f32,
        /// `--split kernels`: also keep this many training families out of training (seeded
        /// choice) and watch all their pairs, so early stopping and the decision see unseen
        /// kernels, not only unseen points of seen kernels.
        #[arg(long, default_value_t = 0)]
        validate_families: usize,
        /// Report with the direct heads alone instead of fitting how the heads are combined.
        #[arg(long)]
        no_fit_decision: bool,
        #[arg(long)]
        json: bool,
    },
    /// Measure a model over all pairs of valid designs within each kernel of an HLSyn folder.
    Eval {
        #[arg(long)]
        hlsyn: PathBuf,
        /// Tool version to evaluate (both when omitted).
        #[arg(long, value_parser = ["v18", "v20"])]
        version: Option<String>,
        /// Model folder (the shipped model when omitted).
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long, default_value_t = 16)]
        passes: usize,
        /// Only these kernel families (comma-separated; all when omitted).
        #[arg(long)]
        families: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Online update: fine-tune on half the designs of one kernel (with replay of the others) and
    /// report accuracy on the kernel's other half and on the other kernels, before and after.
    Update {
        #[arg(long)]
        hlsyn: PathBuf,
        /// The kernel whose results are "new" (both tool versions).
        #[arg(long)]
        kernel: String,
        #[arg(long)]
        model: Option<PathBuf>,
        /// Where to save the updated model (not saved when omitted).
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, default_value_t = 60)]
        steps: usize,
        #[arg(long)]
        json: bool,
    },
    /// Compare two designs of the same task: dominance, latency order and uncertainty.
    Compare {
        a: PathBuf,
        b: PathBuf,
        #[arg(long)]
        top: String,
        #[arg(long, default_value = "vu9p")]
        part: String,
        /// Clock period in ns (the part profile's default when omitted).
        #[arg(long)]
        clock: Option<f64>,
        /// Tool whose results are predicted.
        #[arg(long, default_value = "v20", value_parser = ["v18", "v20"])]
        tool: String,
        #[arg(long)]
        model: Option<PathBuf>,
        #[arg(long, default_value_t = 16)]
        passes: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(cmd: ProxyCommand) -> Result<u8> {
    match cmd {
        ProxyCommand::Train {
            hlsyn,
            out,
            epochs,
            split,
            holdout,
            seed,
            max_minutes,
            passes,
            patience,
            lr,
            hidden,
            head_hidden,
            dropout,
            validate_families,
            no_fit_decision,
            json,
        } => {
            let cfg = TrainConfig {
                seed,
                max_epochs: epochs,
                patience,
                lr,
                time_budget_s: max_minutes.map(|m| m * 60.0),
                fit_decision: !no_fit_decision,
                model: ModelConfig { hidden, embed: hidden, head_hidden, dropout, ..ModelConfig::default() },
                ..TrainConfig::default()
            };
            train_cmd(&hlsyn, &out, cfg, &split, &holdout, validate_families, passes, json)
        }
        ProxyCommand::Eval { hlsyn, version, model, passes, families, json } => eval_cmd(&hlsyn, version, model, passes, families, json),
        ProxyCommand::Update { hlsyn, kernel, model, out, steps, json } => update_cmd(&hlsyn, &kernel, model, out, steps, json),
        ProxyCommand::Compare { a, b, top, part, clock, tool, model, passes, seed, json } => {
            compare_cmd(&a, &b, &top, &part, clock, &tool, model, passes, seed, json)
        }
    }
}

pub(crate) fn bar(len: u64, what: &str) -> ProgressBar {
    let b = ProgressBar::new(len);
    let template = format!("{{bar:40}} {{pos}}/{{len}} {what} {{elapsed}} (eta {{eta}}) {{msg}}");
    b.set_style(ProgressStyle::with_template(&template).unwrap_or_else(|_| ProgressStyle::default_bar()));
    b
}

pub(crate) fn load(dir: &Path, versions: &[&str]) -> Result<Vec<Task>> {
    let pb = bar(0, "designs encoded");
    let (tasks, report) = load_hlsyn(dir, versions, &|done, total| {
        pb.set_length(total as u64);
        pb.set_position(done as u64);
    })?;
    pb.finish_and_clear();
    eprintln!(
        "loaded {} designs in {} tasks ({} records excluded: invalid or missing numbers; {} failed to parse; {} without estimate)",
        report.designs, report.tasks, report.excluded, report.failed, report.without_estimate
    );
    for r in report.reasons.iter().take(5) {
        eprintln!("  failed: {r}");
    }
    anyhow::ensure!(!tasks.is_empty(), "no usable designs in {}", dir.display());
    Ok(tasks)
}

pub(crate) fn model_or_shipped(path: Option<PathBuf>) -> Result<ProxyModel> {
    Ok(match path {
        Some(p) => ProxyModel::load(&p).with_context(|| format!("loading model {}", p.display()))?,
        None => ProxyModel::shipped().context("loading the shipped model")?,
    })
}

#[allow(clippy::too_many_arguments)]
fn train_cmd(dir: &Path, out: &Path, cfg: TrainConfig, split: &str, holdout: &str, validate_families: usize, passes: usize, json: bool) -> Result<u8> {
    let epochs = cfg.max_epochs;
    let start = Instant::now();
    let tasks = load(dir, &["v18", "v20"])?;
    eprintln!("encoded in {:.0} s", start.elapsed().as_secs_f64());
    let protocol = Protocol {
        split: SplitKind::parse(split).with_context(|| format!("unknown split `{split}`"))?,
        held_out_families: holdout.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect(),
        validate_families,
        passes,
        data_name: dir.file_name().map(|n| n.to_string_lossy().into_owned()),
    };
    let pb = bar(epochs as u64, "epochs");
    let mut on_event = |e: &TrainEvent| {
        pb.set_position(e.epoch as u64 - 1);
        match &e.monitor {
            None => pb.set_message(format!("step {}/{} loss {:.3}", e.step, e.steps, e.loss)),
            Some(m) => {
                pb.set_position(e.epoch as u64);
                // Printed whether or not the bar is drawn, so logs of unattended runs show progress.
                let unseen = e.unseen.as_ref().map_or(String::new(), |u| {
                    format!(
                        "  | validation kernels dominance {:.4} (balanced {:.4})  latency {:.4}",
                        u.dominance_accuracy, u.dominance_balanced_accuracy, u.latency_accuracy
                    )
                });
                pb.suspend(|| {
                    eprintln!(
                        "epoch {:>3} ({:>5.0} s): loss {:.4}  held-out dominance {:.4} (balanced {:.4})  latency {:.4}{unseen}",
                        e.epoch,
                        start.elapsed().as_secs_f64(),
                        e.loss,
                        m.dominance_accuracy,
                        m.dominance_balanced_accuracy,
                        m.latency_accuracy
                    )
                });
            }
        }
    };
    let trained = protocol::run(&tasks, &protocol, &cfg, &mut on_event)?;
    pb.finish_and_clear();
    trained.model.save(out)?;
    if json {
        print_json(&trained.model.meta.training)?;
    } else {
        if !trained.validation_families.is_empty() {
            eprintln!("validation families (not trained on, watched): {}", trained.validation_families.join(","));
        }
        eprintln!("trained in {:.0} s (best epoch {}), saved to {}", trained.seconds, trained.best_epoch, out.display());
        for (name, m) in &trained.reports {
            println!("{name}:");
            print_metrics(m);
        }
    }
    Ok(0)
}

fn pct(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

fn print_metrics(m: &Metrics) {
    let s = &m.summary;
    println!("  pairs                        {}", s.pairs);
    println!("  dominance accuracy           {}", pct(s.dominance_accuracy));
    println!("  dominance balanced accuracy  {}", pct(s.dominance_balanced_accuracy));
    println!("  latency accuracy             {} ({} pairs differing > 1%)", pct(s.latency_accuracy), s.latency_pairs);
    let c = &m.calibration;
    println!(
        "  calibration, dominance       most certain half {} / least certain half {}",
        pct(c.dominance.certain_accuracy),
        pct(c.dominance.uncertain_accuracy)
    );
    println!(
        "  calibration, latency         most certain half {} / least certain half {}",
        pct(c.latency.certain_accuracy),
        pct(c.latency.uncertain_accuracy)
    );
    let objs = |s: &hlsseek_proxy::metrics::Summary| s.objective_accuracy.iter().map(|a| pct(*a)).collect::<Vec<_>>().join(" / ");
    println!("  per objective (lat/LUT/FF/DSP/BRAM, lower/higher/equal)  {}", objs(s));
    for (name, o) in [("direct heads alone", &m.direct_heads), ("estimator alone", &m.estimator)] {
        println!(
            "  {name:<28} dominance {} (balanced {}), latency {}; per objective {}",
            pct(o.dominance_accuracy),
            pct(o.dominance_balanced_accuracy),
            pct(o.latency_accuracy),
            objs(o)
        );
    }
}

fn eval_cmd(dir: &Path, version: Option<String>, model: Option<PathBuf>, passes: usize, families: Option<String>, json: bool) -> Result<u8> {
    let model = model_or_shipped(model)?;
    let versions: Vec<&str> = match &version {
        Some(v) => vec![v.as_str()],
        None => vec!["v18", "v20"],
    };
    let mut tasks = load(dir, &versions)?;
    if let Some(f) = &families {
        let keep: Vec<&str> = f.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        tasks.retain(|t| keep.contains(&family(&t.kernel)));
        anyhow::ensure!(!tasks.is_empty(), "no kernel of the families {f}");
    }
    let pairs: Vec<_> = tasks.iter().map(|t| all_pairs(t.designs.len())).collect();
    let total: usize = pairs.iter().map(Vec::len).sum();
    let pb = bar(total as u64, "pairs");
    let m = evaluate(&model, &tasks, &pairs, passes, 7, &mut |d, _| pb.set_position(d as u64))?;
    pb.finish_and_clear();
    if json {
        print_json(&m)?;
        return Ok(0);
    }
    let mut t = table(["kernel", "tool", "pairs", "dominance", "balanced", "latency", "latency pairs"]);
    for k in &m.per_kernel {
        let s = &k.summary;
        t.add_row([
            k.kernel.clone(),
            k.version.clone(),
            s.pairs.to_string(),
            pct(s.dominance_accuracy),
            pct(s.dominance_balanced_accuracy),
            pct(s.latency_accuracy),
            s.latency_pairs.to_string(),
        ]);
    }
    println!("{t}");
    print_metrics(&m);
    Ok(0)
}

fn update_cmd(dir: &Path, kernel: &str, model: Option<PathBuf>, out: Option<PathBuf>, steps: usize, json: bool) -> Result<u8> {
    let mut model = model_or_shipped(model)?;
    let tasks = load(dir, &["v18", "v20"])?;
    let (new, old): (Vec<Task>, Vec<Task>) = tasks.into_iter().partition(|t| t.kernel == kernel);
    anyhow::ensure!(!new.is_empty(), "kernel `{kernel}` has no usable designs in {}", dir.display());
    // Even-numbered designs are the new results; odd ones measure the kernel afterwards.
    let half = |t: &Task, keep: usize| Task { designs: t.designs.iter().enumerate().filter(|(i, _)| i % 2 == keep).map(|(_, d)| d.clone()).collect(), ..t.clone() };
    let learn: Vec<Task> = new.iter().map(|t| half(t, 0)).collect();
    let test: Vec<Task> = new.iter().map(|t| half(t, 1)).collect();
    let test_pairs: Vec<_> = test.iter().map(|t| all_pairs(t.designs.len())).collect();
    let old_split = split_points(&old, 0.1, 3);
    let old_pairs: Vec<_> = old_split.held.iter().zip(&old_split.train).map(|(h, t)| {
        let mut p = heldout_pairs(h, t);
        p.truncate(3000);
        p
    }).collect();
    let quiet = &mut |_: usize, _: usize| {};
    let before_new = evaluate(&model, &test, &test_pairs, 0, 0, quiet)?.summary;
    let before_old = evaluate(&model, &old, &old_pairs, 0, 0, quiet)?.summary;
    let cfg = hlsseek_proxy::train::UpdateConfig { steps, ..Default::default() };
    hlsseek_proxy::train::update(&mut model, &learn, &old, &old_split.train, &cfg)?;
    let after_new = evaluate(&model, &test, &test_pairs, 0, 0, quiet)?.summary;
    let after_old = evaluate(&model, &old, &old_pairs, 0, 0, quiet)?.summary;
    if let Some(out) = &out {
        model.save(out)?;
    }
    let report = json!({
        "kernel": kernel,
        "steps": steps,
        "new_kernel_other_half": {"before": before_new, "after": after_new},
        "old_kernels_held_out_points": {"before": before_old, "after": after_old},
    });
    if json {
        print_json(&report)?;
    } else {
        for (name, b, a) in [("new kernel (other half)", &before_new, &after_new), ("old kernels (held-out points)", &before_old, &after_old)] {
            println!(
                "{name}: dominance {} -> {}, balanced {} -> {}, latency {} -> {}",
                pct(b.dominance_accuracy),
                pct(a.dominance_accuracy),
                pct(b.dominance_balanced_accuracy),
                pct(a.dominance_balanced_accuracy),
                pct(b.latency_accuracy),
                pct(a.latency_accuracy)
            );
        }
    }
    Ok(0)
}

#[allow(clippy::too_many_arguments)]
fn compare_cmd(a: &Path, b: &Path, top: &str, part: &str, clock: Option<f64>, tool: &str, model: Option<PathBuf>, passes: usize, seed: u64, json: bool) -> Result<u8> {
    let model = model_or_shipped(model)?;
    let tool = ToolVersion::parse(tool);
    let profile = tool.profile(part)?;
    let graph = |path: &Path| -> Result<hlsseek_proxy::DesignGraph> {
        let (files, opts) = load_sources(&[path.to_path_buf()])?;
        let p = prepare(&files, top, &opts, Some(&profile), clock, tool).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if let Err(e) = &p.estimate {
            eprintln!("warning: {}: no estimate ({e}); comparing on structure only", path.display());
        }
        Ok(p.graph)
    };
    let (ga, gb) = (graph(a)?, graph(b)?);
    let s = model.score(&[&ga, &gb], &[(0, 1)], passes, seed)?[0];
    if json {
        print_json(&json!({
            "a": a.display().to_string(),
            "b": b.display().to_string(),
            "p_a_dominates": s.p_a_dominates,
            "p_b_dominates": s.p_b_dominates,
            "p_neither": s.p_neither,
            "p_latency_a_faster": s.p_latency_a_faster,
            "uncertainty": {
                "dominance_entropy": s.dominance_entropy,
                "dominance_std": s.dominance_std,
                "latency_entropy": s.latency_entropy,
                "latency_std": s.latency_std,
            },
            "passes": passes,
        }))?;
    } else {
        println!("P(A dominates B)      {:.4}", s.p_a_dominates);
        println!("P(B dominates A)      {:.4}", s.p_b_dominates);
        println!("P(neither)            {:.4}", s.p_neither);
        println!("P(latency A < B)      {:.4}", s.p_latency_a_faster);
        println!("uncertainty           dominance entropy {:.3} (std {:.3}), latency entropy {:.3} (std {:.3}); {passes} passes", s.dominance_entropy, s.dominance_std, s.latency_entropy, s.latency_std);
    }
    Ok(0)
}
