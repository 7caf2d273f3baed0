//! `hlsseek accuracy`: run the estimator over every design of a published dataset and compare
//! with the recorded results (median APE, Spearman, per-kernel ranking for HLSyn).

use crate::output::{print_json, table};
use anyhow::Result;
use hlsseek_datasets::{forgehls, hlsyn};
use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, DesignSpace, FrontOptions, SourceFile};
use hlsseek_qor::pareto::PairAgreement;
use hlsseek_qor::{stats, Qor};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Instant;

#[derive(clap::Subcommand)]
pub enum AccuracyCommand {
    /// ForgeHLS `kernels.json` (xcu280, 10 ns).
    Forgehls {
        path: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// HLSyn dataset folder (with `designs/` and `sources/`; VU9P, 250 MHz).
    Hlsyn {
        dir: PathBuf,
        /// Tool version of the recorded results.
        #[arg(long, default_value = "v20", value_parser = ["v18", "v20"])]
        version: String,
        #[arg(long)]
        json: bool,
    },
}

/// One design to estimate: how to get its kernel, and what was recorded.
struct Case {
    name: String,
    group: String,
    truth: Option<Qor>,
    job: Box<dyn Fn() -> Result<hlsseek_ir::Kernel, String> + Send + Sync>,
}

/// What happened to one case.
struct Outcome {
    group: String,
    truth: Option<Qor>,
    result: Result<(Qor, f64), String>,
    name: String,
}

pub fn run(cmd: AccuracyCommand) -> Result<u8> {
    let (report, json) = match cmd {
        AccuracyCommand::Forgehls { path, json } => (forge(&path)?, json),
        AccuracyCommand::Hlsyn { dir, version, json } => (hlsyn_report(&dir, &version)?, json),
    };
    if json {
        print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(0)
}

fn forge(path: &std::path::Path) -> Result<Report> {
    let records = forgehls::load(path)?;
    let profile = Profile::builtin("xcu280")?;
    let cases = records
        .into_iter()
        .map(|r| {
            let files = r.files();
            let top = r.top_function_name.clone();
            Case {
                name: r.name(),
                group: r.source_name.clone(),
                truth: Some(r.qor()),
                job: Box::new(move || parse_kernel(&files, &top, &FrontOptions::default()).map_err(front_reason)),
            }
        })
        .collect();
    let outcomes = evaluate(cases, &profile, forgehls::CLOCK_NS);
    Ok(summarise("forgehls", None, &profile.part, forgehls::CLOCK_NS, &outcomes, false))
}

fn hlsyn_report(dir: &std::path::Path, version: &str) -> Result<Report> {
    let ds = hlsyn::Hlsyn::open(dir)?;
    let profile = Profile::builtin("vu9p")?;
    let mut cases = Vec::new();
    for kernel in ds.kernels(version)? {
        let top = kernel.top().unwrap_or_default();
        let space = DesignSpace::new(vec![kernel.source.clone()], &top, &FrontOptions::default());
        let space = std::sync::Arc::new(space.map_err(front_reason));
        for rec in &kernel.records {
            let (space, top, point) = (space.clone(), top.clone(), rec.point.clone());
            cases.push(Case {
                name: format!("{}/{}", kernel.name, rec.key),
                group: kernel.name.clone(),
                truth: rec.qor(),
                job: Box::new(move || {
                    let space = space.as_ref().as_ref().map_err(Clone::clone)?;
                    let files: Vec<SourceFile> = space.render(&point).map_err(front_reason)?;
                    parse_kernel(&files, &top, &FrontOptions::default()).map_err(front_reason)
                }),
            });
        }
    }
    let outcomes = evaluate(cases, &profile, hlsyn::CLOCK_NS);
    Ok(summarise("hlsyn", Some(version), &profile.part, hlsyn::CLOCK_NS, &outcomes, true))
}

fn front_reason(e: hlsseek_front::FrontError) -> String {
    format!("front-end: {}", serde_json::to_value(e.kind).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default())
}

/// Parse and estimate every case in parallel, timing each (parse included), catching panics so a
/// bug in one design is counted rather than ending the run.
fn evaluate(cases: Vec<Case>, profile: &Profile, clock_ns: f64) -> Vec<Outcome> {
    let bar = ProgressBar::new(cases.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} designs {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let outcomes = cases
        .into_par_iter()
        .map(|case| {
            let start = Instant::now();
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let kernel = (case.job)()?;
                let est = estimate(&kernel, profile, Some(clock_ns)).map_err(|e| format!("estimator: {e}"))?;
                Ok::<_, String>(est.qor)
            }))
            .unwrap_or_else(|_| Err("internal error (panic)".to_string()))
            .map(|q| (q, start.elapsed().as_secs_f64()));
            bar.inc(1);
            Outcome { group: case.group, truth: case.truth, result, name: case.name }
        })
        .collect();
    std::panic::set_hook(previous_hook);
    bar.finish_and_clear();
    outcomes
}

#[derive(Serialize)]
struct Report {
    dataset: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<String>,
    part: String,
    clock_ns: f64,
    total: usize,
    handled: usize,
    handled_share: f64,
    failures: BTreeMap<String, usize>,
    failure_examples: BTreeMap<String, Vec<String>>,
    /// Designs with recorded numbers usable for the error metrics.
    compared: usize,
    estimate_seconds_median: Option<f64>,
    latency: Metric,
    lut: Metric,
    ff: Metric,
    dsp: Metric,
    bram: Metric,
    /// Per-kernel runs only: the estimator's Pareto relation (on all five objectives) of every
    /// pair of designs of a kernel against the recorded one, pooled over kernels.
    #[serde(skip_serializing_if = "Option::is_none")]
    dominance: Option<DominanceMetric>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    per_kernel: Vec<KernelMetric>,
}

#[derive(Serialize)]
struct DominanceMetric {
    agreement: Option<f64>,
    /// What always answering "neither dominates" would score on the same pairs.
    neither_baseline: Option<f64>,
    pairs: u64,
}

impl From<PairAgreement> for DominanceMetric {
    fn from(a: PairAgreement) -> Self {
        DominanceMetric { agreement: a.accuracy(), neither_baseline: a.neither_share(), pairs: a.pairs }
    }
}

#[derive(Serialize, Default)]
struct Metric {
    /// Median absolute percentage error, over designs whose recorded value is not 0.
    mdape: Option<f64>,
    spearman: Option<f64>,
    n: usize,
    /// Designs whose recorded value is 0 (percentage error undefined; counted apart).
    zero_truth: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    median_kernel_spearman: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pair_order_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pairs: Option<u64>,
}

#[derive(Serialize)]
struct KernelMetric {
    kernel: String,
    points: usize,
    latency_spearman: Option<f64>,
    lut_spearman: Option<f64>,
    ff_spearman: Option<f64>,
    dsp_spearman: Option<f64>,
    bram_spearman: Option<f64>,
    pair_order_accuracy: Option<f64>,
    pairs: u64,
    dominance: DominanceMetric,
}

type Extract = fn(&Qor) -> Option<f64>;

const METRICS: [(&str, Extract); 5] = [
    ("latency", |q| q.latency.value().map(|v| v as f64)),
    ("lut", |q| Some(q.resources.lut as f64)),
    ("ff", |q| Some(q.resources.ff as f64)),
    ("dsp", |q| Some(q.resources.dsp as f64)),
    ("bram", |q| Some(q.resources.bram as f64)),
];

fn metric(pairs: &[(f64, f64)]) -> Metric {
    let (pred, truth): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let apes: Vec<f64> = pairs.iter().filter_map(|&(p, t)| stats::ape(p, t)).collect();
    Metric {
        mdape: stats::median(&apes),
        spearman: stats::spearman(&pred, &truth),
        n: pairs.len(),
        zero_truth: pairs.len() - apes.len(),
        ..Metric::default()
    }
}

fn summarise(dataset: &str, version: Option<&str>, part: &str, clock_ns: f64, outcomes: &[Outcome], per_kernel: bool) -> Report {
    let mut failures = BTreeMap::new();
    let mut failure_examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seconds = Vec::new();
    for o in outcomes {
        match &o.result {
            Ok((_, s)) => seconds.push(*s),
            Err(reason) => {
                *failures.entry(reason.clone()).or_insert(0) += 1;
                let ex = failure_examples.entry(reason.clone()).or_default();
                if ex.len() < 5 {
                    ex.push(o.name.clone());
                }
            }
        }
    }
    // (prediction, truth) per metric over handled designs with usable recorded numbers.
    let compared: Vec<(&Outcome, &Qor, &Qor)> = outcomes
        .iter()
        .filter_map(|o| match (&o.result, &o.truth) {
            (Ok((p, _)), Some(t)) => Some((o, p, t)),
            _ => None,
        })
        .collect();
    let mut metrics: Vec<Metric> = METRICS
        .iter()
        .map(|(_, f)| {
            let pairs: Vec<(f64, f64)> = compared.iter().filter_map(|(_, p, t)| Some((f(p)?, f(t)?))).collect();
            metric(&pairs)
        })
        .collect();
    let mut kernels = Vec::new();
    let mut dominance = None;
    if per_kernel {
        let mut groups: BTreeMap<&str, (Vec<Qor>, Vec<Qor>)> = BTreeMap::new();
        for (o, p, t) in &compared {
            let g = groups.entry(o.group.as_str()).or_default();
            g.0.push(**p);
            g.1.push(**t);
        }
        let (mut ok_all, mut n_all) = (0, 0);
        let mut dom_all = PairAgreement::default();
        // Per metric, the Spearman of every kernel that has one.
        let mut rhos: [Vec<f64>; 5] = Default::default();
        for (kernel, (pred, truth)) in groups {
            // (prediction, truth) of each objective over the designs where both numbers exist.
            let values: Vec<(Vec<f64>, Vec<f64>)> =
                METRICS.iter().map(|(_, f)| pred.iter().zip(&truth).filter_map(|(p, t)| Some((f(p)?, f(t)?))).unzip()).collect();
            let rho: Vec<Option<f64>> = values.iter().map(|(p, t)| stats::spearman(p, t)).collect();
            for (all, r) in rhos.iter_mut().zip(&rho) {
                all.extend(*r);
            }
            let (lat_p, lat_t) = &values[0];
            let (ok, n) = stats::pair_order(lat_p, lat_t, 0.01);
            ok_all += ok;
            n_all += n;
            let dom = PairAgreement::of(&pred, &truth);
            dom_all.add(dom);
            kernels.push(KernelMetric {
                kernel: kernel.to_string(),
                points: lat_t.len(),
                latency_spearman: rho[0],
                lut_spearman: rho[1],
                ff_spearman: rho[2],
                dsp_spearman: rho[3],
                bram_spearman: rho[4],
                pair_order_accuracy: (n > 0).then(|| ok as f64 / n as f64),
                pairs: n,
                dominance: dom.into(),
            });
        }
        for (m, r) in metrics.iter_mut().zip(&rhos) {
            m.median_kernel_spearman = stats::median(r);
        }
        metrics[0].pair_order_accuracy = (n_all > 0).then(|| ok_all as f64 / n_all as f64);
        metrics[0].pairs = Some(n_all);
        dominance = Some(dom_all.into());
    }
    let handled = seconds.len();
    let mut it = metrics.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Report {
        dataset: dataset.to_string(),
        version: version.map(str::to_string),
        part: part.to_string(),
        clock_ns,
        total: outcomes.len(),
        handled,
        handled_share: if outcomes.is_empty() { 0.0 } else { handled as f64 / outcomes.len() as f64 },
        failures,
        failure_examples,
        compared: compared.len(),
        estimate_seconds_median: stats::median(&seconds),
        latency: next(),
        lut: next(),
        ff: next(),
        dsp: next(),
        bram: next(),
        dominance,
        per_kernel: kernels,
    }
}

fn print_report(r: &Report) {
    let version = r.version.as_deref().map(|v| format!(" {v}")).unwrap_or_default();
    println!(
        "{}{version}: {} of {} designs handled ({:.1}%), {} compared with recorded results; median parse+estimate {}",
        r.dataset,
        r.handled,
        r.total,
        100.0 * r.handled_share,
        r.compared,
        r.estimate_seconds_median.map_or("-".into(), |s| format!("{:.3} ms", s * 1e3)),
    );
    for (reason, count) in &r.failures {
        println!("  failed: {count} × {reason} (e.g. {})", r.failure_examples[reason].join(", "));
    }
    let fmt = |v: Option<f64>, unit: &str| v.map_or("-".to_string(), |v| format!("{v:.3}{unit}"));
    let per_kernel = !r.per_kernel.is_empty();
    let mut head = vec!["metric", "MdAPE", "Spearman", "n", "truth = 0"];
    if per_kernel {
        head.push("median per kernel");
    }
    let mut t = table(head);
    for (name, m) in [("latency", &r.latency), ("LUT", &r.lut), ("FF", &r.ff), ("DSP", &r.dsp), ("BRAM", &r.bram)] {
        let mut row = vec![name.to_string(), fmt(m.mdape, "%"), fmt(m.spearman, ""), m.n.to_string(), m.zero_truth.to_string()];
        if per_kernel {
            row.push(fmt(m.median_kernel_spearman, ""));
        }
        t.add_row(row);
    }
    println!("{t}");
    if let Some(d) = &r.dominance {
        println!(
            "Pareto relation of design pairs (5 objectives): {} agree with the recorded one, always \"neither\" {}, over {} pairs",
            fmt(d.agreement, ""),
            fmt(d.neither_baseline, ""),
            d.pairs
        );
    }
    if !r.per_kernel.is_empty() {
        println!(
            "latency per kernel: median Spearman {}, pair-order accuracy {} over {} pairs",
            fmt(r.latency.median_kernel_spearman, ""),
            fmt(r.latency.pair_order_accuracy, ""),
            r.latency.pairs.unwrap_or(0)
        );
        let mut t = table(["kernel", "points", "Spearman", "pair order", "LUT ρ", "FF ρ", "DSP ρ", "BRAM ρ", "Pareto agr.", "neither"]);
        for k in &r.per_kernel {
            t.add_row([
                k.kernel.clone(),
                k.points.to_string(),
                fmt(k.latency_spearman, ""),
                fmt(k.pair_order_accuracy, ""),
                fmt(k.lut_spearman, ""),
                fmt(k.ff_spearman, ""),
                fmt(k.dsp_spearman, ""),
                fmt(k.bram_spearman, ""),
                fmt(k.dominance.agreement, ""),
                fmt(k.dominance.neither_baseline, ""),
            ]);
        }
        println!("{t}");
    }
}
