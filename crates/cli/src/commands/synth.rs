//! `hlsseek synth`: synthesize one design through a backend, with the result store in front.

use crate::output::{memory_table, or_undef, print_json, range, table};
use anyhow::{bail, Context, Result};
use hlsseek_front::{FrontOptions, SourceFile};
use hlsseek_qor::{Latency, LoopReport, MemoryReport};
use hlsseek_synth::estimate::EstimateBackend;
use hlsseek_synth::recorded::RecordedBackend;
use hlsseek_synth::vitis::{VitisBackend, VitisConfig};
use hlsseek_synth::{Backend, SynthRequest, Synthesized, Synthesizer, Target};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum BackendKind {
    /// The embedded analytical estimator.
    Estimate,
    /// Recorded results of a published dataset (--dataset).
    Recorded,
    /// Vitis HLS, where installed.
    Vitis,
}

/// Target, result store and Vitis tool options of every command that synthesizes (`synth`,
/// `dse`).
#[derive(clap::Args)]
pub struct SynthOptions {
    /// Device part (the backend's default when absent: xcu280 for estimate and vitis, the
    /// dataset's part for recorded).
    #[arg(long)]
    pub part: Option<String>,
    /// Clock period in ns (the backend's default when absent).
    #[arg(long)]
    pub clock: Option<f64>,
    /// Result store: `sqlite:///path/results.db` or a path (default: $HLSSEEK_STORE, else the
    /// per-user data directory).
    #[arg(long)]
    pub store: Option<String>,
    /// Neither read nor write the result store.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
    /// For --backend vitis: the tool (default: $HLSSEEK_VITIS, else vitis_hls or vitis-run on PATH).
    #[arg(long)]
    pub vitis: Option<PathBuf>,
    /// For --backend vitis: seconds before one synthesis is killed.
    #[arg(long, default_value_t = 3600.0)]
    pub timeout: f64,
}

#[derive(clap::Args)]
pub struct SynthArgs {
    /// Source files, or directories whose .c/.cpp/.h/.hpp files are the design (as written by
    /// `hlsseek space --render POINT --out DIR`).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Top function.
    #[arg(long)]
    pub top: String,
    #[arg(long, value_enum, default_value = "estimate")]
    pub backend: BackendKind,
    /// For --backend recorded: an HLSyn root (with designs/ and sources/) or a ForgeHLS
    /// kernels.json; may be repeated.
    #[arg(long)]
    pub dataset: Vec<PathBuf>,
    /// HLSyn tool version to answer from: v20 (Vitis 2020.2) or v18 (SDx 2018.3).
    #[arg(long, default_value = "v20")]
    pub dataset_version: String,
    #[command(flatten)]
    pub synth: SynthOptions,
    /// For --backend vitis: where work directories go (default: a folder in the temp dir).
    #[arg(long)]
    pub work_dir: Option<PathBuf>,
    /// For --backend vitis: keep the work directory of successful runs too.
    #[arg(long)]
    pub keep_work: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct Failure<'a> {
    kind: &'a str,
    message: &'a str,
}

#[derive(Serialize)]
struct SynthReport<'a> {
    top: &'a str,
    part: &'a str,
    clock_ns: f64,
    backend: &'a str,
    backend_version: String,
    tool: &'a str,
    tool_version: &'a str,
    status: &'a str,
    latency: Option<Latency>,
    ii: Option<u64>,
    lut: Option<u64>,
    ff: Option<u64>,
    dsp: Option<u64>,
    bram: Option<u64>,
    uram: Option<u64>,
    loops: &'a [LoopReport],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    memories: &'a [MemoryReport],
    notes: &'a [String],
    failure: Option<Failure<'a>>,
    seconds: f64,
    cached: bool,
    key: String,
    store: Option<String>,
    store_error: Option<&'a str>,
}

pub fn run(args: SynthArgs) -> Result<u8> {
    let (files, opts) = read_design(&args.files)?;
    let choice = BackendChoice {
        kind: args.backend,
        datasets: &args.dataset,
        dataset_version: &args.dataset_version,
        vitis: args.synth.vitis.clone(),
        timeout: args.synth.timeout,
        work_dir: args.work_dir.clone(),
        keep_work: args.keep_work,
    };
    let backend = make_backend(&choice, opts)?;
    let target = resolve_target(backend.as_ref(), args.synth.part.as_deref(), args.synth.clock)?;
    let request = SynthRequest { files, top: args.top.clone(), part: target.part, clock_ns: target.clock_ns };
    let (store, location) = crate::input::open_store_unless(args.synth.no_store, args.synth.store.as_deref())?;
    let synth = Synthesizer::new(backend, store, 1);
    let done = synth.synthesize(&request);
    let report = to_report(&request, synth.backend(), &done, location);
    if args.json {
        print_json(&report)?;
    } else {
        print_human(&report);
    }
    Ok(if done.outcome.result.is_ok() { 0 } else { 1 })
}

/// Which backend to build and how, whichever command asks (`synth`, `dse`).
pub(crate) struct BackendChoice<'a> {
    pub kind: BackendKind,
    /// For `recorded`: HLSyn roots or ForgeHLS kernels.json files.
    pub datasets: &'a [PathBuf],
    pub dataset_version: &'a str,
    /// For `vitis`: the tool, its time limit, where work goes, whether to keep it.
    pub vitis: Option<PathBuf>,
    pub timeout: f64,
    pub work_dir: Option<PathBuf>,
    pub keep_work: bool,
}

/// The backend's default target with the user's `--part` / `--clock` on top.
pub(crate) fn resolve_target(backend: &dyn Backend, part: Option<&str>, clock: Option<f64>) -> Result<Target> {
    let default = backend.default_target();
    let target = Target { part: part.map_or(default.part, str::to_string), clock_ns: clock.unwrap_or(default.clock_ns) };
    if !(target.clock_ns.is_finite() && target.clock_ns > 0.0) {
        bail!("--clock must be a positive number of ns, not {}", target.clock_ns);
    }
    Ok(target)
}

pub(crate) fn make_backend(args: &BackendChoice, opts: FrontOptions) -> Result<Arc<dyn Backend>> {
    Ok(match args.kind {
        BackendKind::Estimate => Arc::new(EstimateBackend::new(opts)),
        BackendKind::Recorded => {
            if args.datasets.is_empty() {
                bail!("--backend recorded needs --dataset PATH (an HLSyn root or a ForgeHLS kernels.json)");
            }
            let mut b = RecordedBackend::new();
            for d in args.datasets {
                b.add_path(d, args.dataset_version).with_context(|| format!("cannot index dataset {}", d.display()))?;
            }
            Arc::new(b)
        }
        BackendKind::Vitis => {
            if !(args.timeout.is_finite() && args.timeout > 0.0) {
                bail!("--timeout must be a positive number of seconds");
            }
            let mut cfg = VitisConfig::new(args.work_dir.clone().unwrap_or_else(|| std::env::temp_dir().join("hlsseek-vitis")));
            cfg.tool = args.vitis.clone();
            cfg.timeout = Duration::from_secs_f64(args.timeout);
            cfg.keep_work = args.keep_work;
            Arc::new(VitisBackend::new(cfg))
        }
    })
}

fn is_source(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("c" | "cc" | "cpp" | "cxx" | "h" | "hh" | "hpp" | "hxx")
    )
}

/// Read the design. Files keep their base name (what `#include` and a Vitis project use);
/// directories contribute their source files.
pub(crate) fn read_design(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, FrontOptions)> {
    let mut list = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("cannot read directory {}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|q| q.is_file() && is_source(q))
                .collect();
            if found.is_empty() {
                bail!("{}: no .c/.cpp/.h files in this directory", p.display());
            }
            found.sort();
            list.extend(found);
        } else {
            list.push(p.clone());
        }
    }
    let mut files: Vec<SourceFile> = Vec::new();
    let mut opts = FrontOptions::default();
    for path in &list {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!("{}: not a text source file (invalid UTF-8 at byte {})", path.display(), e.utf8_error().valid_up_to())
        })?;
        let name = path.file_name().context("source path has no file name")?.to_string_lossy().into_owned();
        if files.iter().any(|f| f.name == name) {
            bail!("two source files are named `{name}`; a design needs distinct file names");
        }
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !opts.include_dirs.contains(&dir) {
            opts.include_dirs.push(dir);
        }
        files.push(SourceFile { name, text });
    }
    Ok((files, opts))
}

fn to_report<'a>(req: &'a SynthRequest, backend: &'a dyn Backend, done: &'a Synthesized, store: Option<String>) -> SynthReport<'a> {
    let o = &done.outcome;
    let (qor, loops, memories, notes, failure): (_, &[LoopReport], &[MemoryReport], &[String], _) = match &o.result {
        Ok(r) => (Some(r.qor), &r.loops, &r.memories, &r.notes, None),
        Err(f) => (f.qor.as_deref().copied(), &[], &[], &[], Some(Failure { kind: f.kind.as_str(), message: &f.message })),
    };
    SynthReport {
        top: &req.top,
        part: &req.part,
        clock_ns: req.clock_ns,
        backend: backend.name(),
        backend_version: backend.version(),
        tool: &o.tool,
        tool_version: &o.tool_version,
        status: o.status(),
        latency: qor.map(|q| q.latency),
        ii: qor.and_then(|q| q.ii),
        lut: qor.map(|q| q.resources.lut),
        ff: qor.map(|q| q.resources.ff),
        dsp: qor.map(|q| q.resources.dsp),
        bram: qor.map(|q| q.resources.bram),
        uram: qor.and_then(|q| q.resources.uram),
        loops,
        memories,
        notes,
        failure,
        seconds: o.seconds,
        cached: done.cached,
        key: done.key.to_hex(),
        store,
        store_error: done.store_error.as_deref(),
    }
}

fn print_human(r: &SynthReport) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    // Built first and written once, ignoring a closed pipe (`| head`), which would otherwise
    // panic in the print macros.
    let mut out = String::new();
    if let Some(e) = r.store_error {
        eprintln!("warning: result store: {e}");
    }
    // A stored answer's seconds are what the original synthesis cost, not this lookup.
    let how = if r.cached {
        format!("from the store (synthesis took {:.3} s)", r.seconds)
    } else {
        format!("answered in {:.3} s", r.seconds)
    };
    let _ = writeln!(out, "{} on {} at {} ns: {} {} ({}), {how}", r.top, r.part, r.clock_ns, r.tool, r.tool_version, r.backend);
    if let Some(f) = &r.failure {
        let _ = writeln!(out, "FAILED ({}): {}", f.kind, f.message);
    }
    if let Some(lat) = &r.latency {
        let mut t = table(["latency (cycles)", "II", "LUT", "FF", "DSP", "BRAM18K", "URAM"]);
        t.add_row([
            range(lat),
            or_undef(r.ii),
            or_undef(r.lut),
            or_undef(r.ff),
            or_undef(r.dsp),
            or_undef(r.bram),
            r.uram.map_or_else(|| "-".into(), |u| u.to_string()),
        ]);
        let _ = writeln!(out, "{t}");
    }
    if !r.loops.is_empty() {
        let mut t = table(["loop", "trip count", "latency", "iteration", "II"]);
        for l in r.loops {
            let name = format!("{}{}", "  ".repeat(l.path.len().saturating_sub(1)), l.name);
            t.add_row([name, range(&l.trip_count), range(&l.latency), or_undef(l.iteration_latency), or_undef(l.ii)]);
        }
        let _ = writeln!(out, "{t}");
    }
    if !r.memories.is_empty() {
        let _ = writeln!(out, "{}", memory_table(r.memories));
    }
    for n in r.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}
