//! `hlsseek accuracy`: run the estimator over every design of a published dataset and compare
//! with the recorded results (`hlsseek_synth::accuracy` computes; this prints).

use crate::output::{print_json, table};
use anyhow::{Context, Result};
use hlsseek_synth::accuracy::{evaluate, forgehls_dataset, hlsyn_dataset, summarise, write_designs, Report};
use hlsseek_synth::estimate::EstimateBackend;
use hlsseek_proxy::ToolVersion;
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;

#[derive(clap::Subcommand)]
pub enum AccuracyCommand {
    /// ForgeHLS `kernels.json` (xcu280, 10 ns).
    Forgehls {
        path: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// HLSyn dataset folder (with `designs/` and `sources/`; VU9P, 250 MHz).
    Hlsyn {
        dir: PathBuf,
        /// Tool version of the recorded results.
        #[arg(long, default_value = "v20", value_parser = ["v18", "v20"])]
        version: String,
        #[command(flatten)]
        out: OutputArgs,
    },
}

#[derive(clap::Args)]
pub struct OutputArgs {
    /// Estimate with this device profile (TOML, the format of `crates/estimate/profiles`)
    /// instead of the shipped one of the dataset's part and tool release: for calibrating a
    /// profile (`base = "vu9p"` builds on a shipped one).
    #[arg(long, value_name = "FILE.toml")]
    profile: Option<PathBuf>,
    #[arg(long)]
    json: bool,
    /// Also write one tab-separated line per design (recorded and estimated objectives, the
    /// estimator's loops and notes) to this file, for offline analysis.
    #[arg(long, value_name = "FILE.tsv")]
    designs: Option<PathBuf>,
}

pub fn run(cmd: AccuracyCommand) -> Result<u8> {
    // HLSyn's versions come from two tool releases; each is estimated with its release's
    // profile. ForgeHLS names no release: the part's default profile.
    let (dataset, out, release) = match cmd {
        AccuracyCommand::Forgehls { path, out } => (forgehls_dataset(&path)?, out, None),
        AccuracyCommand::Hlsyn { dir, version, out } => (hlsyn_dataset(&dir, &version)?, out, ToolVersion::parse(&version).release()),
    };
    let bar = ProgressBar::new(dataset.cases.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} designs {elapsed} (eta {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let backend = match &out.profile {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
            EstimateBackend::default().with_profile_text(&text).with_context(|| format!("profile {}", path.display()))?
        }
        None => EstimateBackend::default().with_release(release),
    };
    let outcomes = evaluate(&backend, &dataset.cases, &|| bar.inc(1));
    bar.finish_and_clear();
    if let Some(path) = &out.designs {
        let mut w = std::io::BufWriter::new(std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?);
        write_designs(&mut w, &outcomes).and_then(|()| std::io::Write::flush(&mut w)).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let report = summarise(&dataset, &outcomes);
    if out.json {
        print_json(&report)?;
    } else {
        print_report(&report);
    }
    Ok(0)
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
