//! `hlsseek estimate`: parse a kernel and print the analytical estimate.

use crate::input::load_sources;
use crate::output::{memory_table, or_undef, print_json, range, table};
use anyhow::Result;
use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::parse_kernel;
use hlsseek_qor::{LoopReport, MemoryReport, Qor};
use serde::Serialize;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct EstimateArgs {
    /// Source files of the kernel (.c/.cpp and the headers it includes).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Top function to synthesize.
    #[arg(long)]
    pub top: String,
    /// Device profile by part or profile name (see `--part help` for the list); a release's
    /// profile by its name (`vu9p-sdx2018`: the VU9P under SDx 2018.3).
    #[arg(long, default_value = "xcu280")]
    pub part: String,
    /// A device profile file (TOML, the format of `crates/estimate/profiles`) to use instead
    /// of `--part`'s shipped one.
    #[arg(long, value_name = "FILE.toml", conflicts_with = "part")]
    pub profile: Option<PathBuf>,
    /// The tool release to model (`vitis-2020.2`, `sdx-2018.3`): `--part`'s profile for that
    /// release where one is shipped, else the part's default profile.
    #[arg(long, value_name = "RELEASE", conflicts_with = "profile")]
    pub tool: Option<String>,
    /// Clock period in ns (the profile's default when absent).
    #[arg(long)]
    pub clock: Option<f64>,
    /// Print one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Print the kernel IR the front-end built (JSON: loops, operations, carried dependences,
    /// directives) instead of estimating; for checking what the estimator is given.
    #[arg(long)]
    pub ir: bool,
}

#[derive(Serialize)]
struct EstimateReport<'a> {
    top: &'a str,
    part: &'a str,
    /// The profile the numbers come from, and the tool release it models.
    profile: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    tool: Option<&'a str>,
    clock_ns: f64,
    #[serde(flatten)]
    qor: Qor,
    loops: &'a [LoopReport],
    memories: &'a [MemoryReport],
    notes: &'a [String],
    warnings: Vec<String>,
}

pub fn run(args: EstimateArgs) -> Result<u8> {
    let profile = match &args.profile {
        Some(path) => Profile::from_path(path)?,
        None => Profile::builtin_for(&args.part, args.tool.as_deref())?,
    };
    let (files, opts) = load_sources(&args.files)?;
    let kernel = parse_kernel(&files, &args.top, &opts)?;
    if args.ir {
        print_json(&kernel)?;
        return Ok(0);
    }
    let est = estimate(&kernel, &profile, args.clock)?;
    let mut warnings: Vec<String> = kernel
        .diagnostics
        .iter()
        .map(|d| format!("{}: {}", kernel.display_loc(d.loc), d.message))
        .collect();
    if let Some(wanted) = args.tool.as_deref().filter(|t| profile.tool.as_deref() != Some(*t)) {
        let has = profile.tool.as_deref().map(|t| format!(", which models {t}")).unwrap_or_default();
        warnings.push(format!("no shipped profile of {} models {wanted}: estimated with `{}`{has}", profile.part, profile.name));
    }
    let report = EstimateReport {
        top: &args.top,
        part: &profile.part,
        profile: &profile.name,
        tool: profile.tool.as_deref(),
        clock_ns: args.clock.unwrap_or(profile.default_clock_ns),
        qor: est.qor,
        loops: &est.loops,
        memories: &est.memories,
        notes: &est.notes,
        warnings,
    };
    if args.json {
        print_json(&report)?;
    } else {
        print_tables(&report);
    }
    Ok(0)
}

fn print_tables(r: &EstimateReport) {
    for w in &r.warnings {
        eprintln!("warning: {w}");
    }
    let release = r.tool.map(|t| format!(", {t}")).unwrap_or_default();
    println!("{} on {} at {} ns (analytical estimate, profile {}{release})", r.top, r.part, r.clock_ns, r.profile);
    let q = &r.qor;
    let mut t = table(["latency (cycles)", "II", "LUT", "FF", "DSP", "BRAM18K", "URAM"]);
    t.add_row([
        range(&q.latency),
        or_undef(q.ii),
        q.resources.lut.to_string(),
        q.resources.ff.to_string(),
        q.resources.dsp.to_string(),
        q.resources.bram.to_string(),
        q.resources.uram.unwrap_or(0).to_string(),
    ]);
    println!("{t}");
    if !r.loops.is_empty() {
        let mut t = table(["loop", "trip count", "II", "depth", "latency", "pipelined", "unroll"]);
        for l in r.loops {
            let indent = "  ".repeat(l.path.len().saturating_sub(1));
            t.add_row([
                format!("{indent}{}", l.name),
                range(&l.trip_count),
                or_undef(l.ii),
                or_undef(l.iteration_latency),
                range(&l.latency),
                if l.pipelined { "yes" } else { "no" }.to_string(),
                l.unroll.to_string(),
            ]);
        }
        println!("{t}");
    }
    if !r.memories.is_empty() {
        println!("{}", memory_table(r.memories));
    }
    for n in r.notes {
        println!("note: {n}");
    }
}
