//! `hlsseek dse`: explore a design space's pragma knobs with the proxy choosing what to
//! synthesize; `hlsseek experiment dse`: proxy against random sampling on recorded HLSyn kernels.

use super::proxy::{bar, model_or_shipped};
use super::synth::{make_backend, read_design, resolve_target, BackendChoice, BackendKind, SynthOptions};
use crate::output::{print_json, table};
use anyhow::{bail, Context, Result};
use hlsseek_datasets::hlsyn::Hlsyn;
use hlsseek_dse::experiment::{self, Case, KernelResult};
use hlsseek_dse::plot::{plot_front, resource_use, Mark, PlotPoint};
use hlsseek_dse::{embed_pool, point_label, proxy_search, random_search, DseRun, Encoding, Evaluated, Pick, Pool, PoolSpec, SearchConfig};
use hlsseek_estimate::Profile;
use hlsseek_front::SourceFile;
use hlsseek_ir::DesignPoint;
use hlsseek_proxy::ToolVersion;
use hlsseek_qor::Qor;
use hlsseek_synth::{Synthesizer, Target};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How the proxy-guided search runs; shared by `dse` and `experiment dse`.
#[derive(clap::Args)]
pub struct SearchArgs {
    /// Proxy model directory (default: the shipped model).
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Designs synthesized before the proxy is asked (default point + estimator front).
    #[arg(long, default_value_t = 4)]
    pub initial: usize,
    /// Designs synthesized per proxy round.
    #[arg(long, default_value_t = 2)]
    pub batch: usize,
    /// MC-dropout passes per pair score.
    #[arg(long, default_value_t = 16)]
    pub passes: usize,
    /// Every N-th proxy round picks at random instead, a hedge against a confidently wrong
    /// proxy (0: never).
    #[arg(long, default_value_t = 3)]
    pub random_every: usize,
}

impl SearchArgs {
    fn config(&self, budget: usize, seed: u64) -> SearchConfig {
        SearchConfig { budget, initial: self.initial, batch: self.batch, passes: self.passes, random_every: self.random_every, seed, ..SearchConfig::default() }
    }
}

#[derive(clap::Args)]
pub struct DseArgs {
    /// Source files (a template with `auto{...}` placeholders, or a plain kernel whose
    /// PIPELINE/UNROLL/ARRAY_PARTITION or Merlin PARALLEL/TILE/PIPELINE pragmas become knobs),
    /// or a directory of them.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Top function.
    #[arg(long)]
    pub top: String,
    /// Syntheses to spend at most (failures count).
    #[arg(long, default_value_t = 30)]
    pub budget: usize,
    #[arg(long, value_enum, default_value = "estimate")]
    pub backend: BackendKind,
    /// For --backend recorded: the HLSyn root (designs/ + sources/). When the input is one of
    /// its kernel templates, the candidates are that kernel's recorded points.
    #[arg(long)]
    pub hlsyn: Option<PathBuf>,
    /// HLSyn tool version (v20: Vitis 2020.2, v18: SDx 2018.3); also what the proxy is told.
    #[arg(long, default_value = "v20")]
    pub version: String,
    /// Candidates at most: every point of a smaller space, a seeded sample of a larger one.
    #[arg(long, default_value_t = 500)]
    pub pool: usize,
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub search: SearchArgs,
    /// Sample the pool uniformly instead of asking the proxy (the baseline, for comparison).
    #[arg(long)]
    pub random: bool,
    #[command(flatten)]
    pub synth: SynthOptions,
    /// For --backend vitis: parallel syntheses.
    #[arg(long, default_value_t = 1)]
    pub jobs: usize,
    /// Write a PNG of latency against resource use with the front.
    #[arg(long)]
    pub plot: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct QorOut {
    latency: Option<u64>,
    lut: u64,
    ff: u64,
    dsp: u64,
    bram: u64,
}

fn qor_out(q: &Qor) -> QorOut {
    let r = &q.resources;
    QorOut { latency: q.latency.value(), lut: r.lut, ff: r.ff, dsp: r.dsp, bram: r.bram }
}

#[derive(Serialize)]
struct EvaluatedOut<'a> {
    point: &'a DesignPoint,
    round: usize,
    pick: &'a Pick,
    status: &'a str,
    qor: Option<QorOut>,
    failure: Option<&'a hlsseek_dse::Failure>,
    on_front: bool,
    cached: bool,
    seconds: f64,
}

#[derive(Serialize)]
struct BestOut<'a> {
    point: &'a DesignPoint,
    qor: QorOut,
    files: &'a [SourceFile],
}

#[derive(Serialize)]
struct DseReport<'a> {
    top: &'a str,
    backend: &'a str,
    backend_version: String,
    part: &'a str,
    clock_ns: f64,
    strategy: hlsseek_dse::Strategy,
    budget: usize,
    spent: usize,
    failures: usize,
    cached: usize,
    seed: u64,
    knobs: Vec<&'a str>,
    pool: &'a hlsseek_dse::PoolReport,
    /// Where the candidates came from: `space`, or `hlsyn:<kernel>` (its recorded points).
    pool_source: &'a str,
    evaluated: Vec<EvaluatedOut<'a>>,
    front: Vec<EvaluatedOut<'a>>,
    best_latency: Option<BestOut<'a>>,
    proxy_pairs: usize,
    seconds: f64,
    plot: Option<String>,
    store: Option<String>,
    store_errors: Vec<&'a str>,
}

fn status_of(e: &Evaluated) -> &'static str {
    match &e.failure {
        None => "ok",
        Some(f) => f.kind.as_str(),
    }
}

pub fn run(args: DseArgs) -> Result<u8> {
    let start = Instant::now();
    if args.budget == 0 {
        bail!("--budget must be at least 1");
    }
    if args.backend == BackendKind::Recorded && args.hlsyn.is_none() {
        bail!("--backend recorded needs --hlsyn DIR (the HLSyn root with designs/ and sources/)");
    }
    if !hlsseek_datasets::hlsyn::VERSIONS.contains(&args.version.as_str()) {
        bail!("--version must be one of {:?}, not `{}`", hlsseek_datasets::hlsyn::VERSIONS, args.version);
    }
    let (files, opts) = read_design(&args.files)?;
    let datasets: Vec<PathBuf> = args.hlsyn.iter().cloned().collect();
    let choice = BackendChoice {
        kind: args.backend,
        datasets: &datasets,
        dataset_version: &args.version,
        vitis: args.synth.vitis.clone(),
        timeout: args.synth.timeout,
        work_dir: None,
        keep_work: false,
    };
    let backend = make_backend(&choice, opts.clone())?;
    let target = resolve_target(backend.as_ref(), args.synth.part.as_deref(), args.synth.clock)?;
    let (space, own) = hlsseek_dse::design_space(files.clone(), &args.top, &opts)?;
    let mut pool_source = "space".to_string();
    let spec = match (&args.hlsyn, args.backend) {
        (Some(root), BackendKind::Recorded) => match Hlsyn::open(root)?.kernel_of_template(&args.version, &files)? {
            Some(k) => {
                pool_source = format!("hlsyn:{}", k.name);
                PoolSpec::Points(k.records.into_iter().map(|r| r.point).collect())
            }
            None => {
                eprintln!(
                    "warning: the input is not an HLSyn {} kernel template; candidates are sampled from its space and most will be not_recorded",
                    args.version
                );
                PoolSpec::Auto { max: args.pool, seed: args.seed, extra: own.into_iter().collect() }
            }
        },
        _ => PoolSpec::Auto { max: args.pool, seed: args.seed, extra: own.into_iter().collect() },
    };
    let enc = Encoding { part: target.part.clone(), clock_ns: target.clock_ns, tool: ToolVersion::parse(&args.version), opts };
    let pool = Pool::build(space, spec, &enc)?;
    let (store, location) = crate::input::open_store_unless(args.synth.no_store, args.synth.store.as_deref())?;
    let synth = Synthesizer::new(backend, store, args.jobs);
    let cfg = args.search.config(args.budget, args.seed);
    let pb = bar(args.budget.min(pool.len()) as u64, "syntheses");
    let mut progress = |e: &Evaluated, spent: usize, _budget: usize| {
        pb.set_position(spent as u64);
        pb.set_message(format!("last: {}", status_of(e)));
    };
    let run = if args.random {
        random_search(&pool, &synth, &target, &cfg, &mut progress)?
    } else {
        let model = model_or_shipped(args.search.model.clone())?;
        let emb = embed_pool(&model, &pool)?;
        proxy_search(&pool, &model, &emb, &synth, &target, &cfg, &mut progress)?
    };
    pb.finish_and_clear();
    let plot = match &args.plot {
        Some(path) => {
            write_plot(path, &run, &target, &args.top)?;
            Some(path.display().to_string())
        }
        None => None,
    };
    let report = to_report(&args, &synth, &target, &pool, &pool_source, &run, plot, location, start);
    for e in &report.store_errors {
        eprintln!("warning: result store: {e}");
    }
    if args.json {
        print_json(&report)?;
    } else {
        print_human(&report, &pool);
    }
    Ok(if run.front.is_empty() { 1 } else { 0 })
}

fn write_plot(path: &Path, run: &DseRun, target: &Target, top: &str) -> Result<()> {
    let (cap, part_note) = match Profile::builtin(&target.part) {
        Ok(p) => (p.capacity, p.name),
        Err(_) => (Profile::builtin("vu9p")?.capacity, "vu9p capacities; part unknown".into()),
    };
    let points: Vec<PlotPoint> = run
        .evaluated
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            e.qor.map(|q| PlotPoint {
                resource: resource_use(&q, &cap),
                latency: q.latency.value().unwrap_or(u64::MAX) as f64,
                mark: if Some(i) == run.best_latency {
                    Mark::Best
                } else if run.front.contains(&i) {
                    Mark::Front
                } else {
                    Mark::Other
                },
            })
        })
        .collect();
    let title = format!("{top}: {} designs synthesized, {} on the front", run.evaluated.len(), run.front.len());
    let x = format!("mean utilisation of LUT, FF, DSP, BRAM (% of {part_note}, log scale)");
    plot_front(path, &title, &x, &points, (960, 640))?;
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn to_report<'a>(
    args: &'a DseArgs,
    synth: &'a Synthesizer,
    target: &'a Target,
    pool: &'a Pool,
    pool_source: &'a str,
    run: &'a DseRun,
    plot: Option<String>,
    store: Option<String>,
    start: Instant,
) -> DseReport<'a> {
    let out = |i: usize| {
        let e = &run.evaluated[i];
        EvaluatedOut {
            point: &e.point,
            round: e.round,
            pick: &e.pick,
            status: status_of(e),
            qor: e.qor.as_ref().map(qor_out),
            failure: e.failure.as_ref(),
            on_front: run.front.contains(&i),
            cached: e.cached,
            seconds: e.seconds,
        }
    };
    let best_latency = run.best_latency.map(|i| {
        let e = &run.evaluated[i];
        BestOut { point: &e.point, qor: qor_out(&e.qor.unwrap_or_default()), files: &pool.candidates[e.candidate].files }
    });
    let mut front = run.front.clone();
    front.sort_by_key(|&i| run.evaluated[i].qor.and_then(|q| q.latency.value()));
    DseReport {
        top: &args.top,
        backend: synth.backend().name(),
        backend_version: synth.backend().version(),
        part: &target.part,
        clock_ns: target.clock_ns,
        strategy: run.strategy,
        budget: run.budget,
        spent: run.evaluated.len(),
        failures: run.failures,
        cached: run.cached,
        seed: args.seed,
        knobs: pool.space.knobs.iter().map(|k| k.name.as_str()).collect(),
        pool: &pool.report,
        pool_source,
        evaluated: (0..run.evaluated.len()).map(out).collect(),
        front: front.into_iter().map(out).collect(),
        best_latency,
        proxy_pairs: run.proxy_pairs,
        seconds: start.elapsed().as_secs_f64(),
        plot,
        store,
        store_errors: run.evaluated.iter().filter_map(|e| e.store_error.as_deref()).collect(),
    }
}

fn pick_label(p: &Pick) -> String {
    match p {
        Pick::Default => "default".into(),
        Pick::Estimator => "estimator".into(),
        Pick::Random => "random".into(),
        Pick::Proxy { score, .. } => format!("proxy {score:.2}"),
    }
}

fn qor_cells(q: &Option<QorOut>) -> [String; 5] {
    match q {
        Some(q) => [q.latency.map_or("undef".into(), |l| l.to_string()), q.lut.to_string(), q.ff.to_string(), q.dsp.to_string(), q.bram.to_string()],
        None => Default::default(),
    }
}

fn print_human(r: &DseReport, pool: &Pool) {
    use std::fmt::Write as _;
    use std::io::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}: {} knobs, {:.0} points in the space, {} candidates ({}); {} on {} at {} ns",
        r.top,
        r.knobs.len(),
        r.pool.space_size,
        r.pool.candidates,
        r.pool_source,
        r.backend,
        r.part,
        r.clock_ns
    );
    let _ = writeln!(
        out,
        "{:?} search: {} of {} syntheses spent, {} failed, {} from the store, {} on the Pareto front",
        r.strategy,
        r.spent,
        r.budget,
        r.failures,
        r.cached,
        r.front.len()
    );
    let mut t = table(["#", "round", "picked by", "status", "latency", "LUT", "FF", "DSP", "BRAM", "front", "point"]);
    for (i, e) in r.evaluated.iter().enumerate() {
        let [lat, lut, ff, dsp, bram] = qor_cells(&e.qor);
        t.add_row([
            (i + 1).to_string(),
            e.round.to_string(),
            pick_label(e.pick),
            e.status.to_string(),
            lat,
            lut,
            ff,
            dsp,
            bram,
            if e.on_front { "*".into() } else { String::new() },
            point_label(e.point),
        ]);
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(out, "Pareto front (latency, LUT, FF, DSP, BRAM), fastest first:");
    let mut f = table(["latency", "LUT", "FF", "DSP", "BRAM", "point"]);
    for e in &r.front {
        let [lat, lut, ff, dsp, bram] = qor_cells(&e.qor);
        f.add_row([lat, lut, ff, dsp, bram, point_label(e.point)]);
    }
    let _ = writeln!(out, "{f}");
    for e in r.evaluated.iter().filter_map(|e| e.failure.as_ref()).take(3) {
        let _ = writeln!(out, "failure ({}): {}", e.kind, e.message);
    }
    if pool.report.skipped > 0 {
        let _ = writeln!(out, "note: {} points left out (could not be rendered or parsed), e.g. {}", pool.report.skipped, pool.report.reasons.join("; "));
    }
    if let Some(p) = &r.plot {
        let _ = writeln!(out, "plot: {p}");
    }
    match &r.best_latency {
        Some(b) => {
            let _ = writeln!(out, "\nLowest-latency design ({} cycles): {}", b.qor.latency.map_or("undef".into(), |l| l.to_string()), point_label(b.point));
            for f in b.files {
                if b.files.len() > 1 {
                    let _ = writeln!(out, "// ---- {}", f.name);
                }
                out.push_str(&f.text);
            }
        }
        None => {
            let _ = writeln!(out, "no synthesis succeeded");
        }
    }
    let _ = std::io::stdout().lock().write_all(out.as_bytes());
}

#[derive(clap::Args)]
pub struct ExperimentDseArgs {
    /// The HLSyn root (designs/ + sources/).
    #[arg(long)]
    pub hlsyn: PathBuf,
    #[arg(long, default_value = "v20")]
    pub version: String,
    /// Syntheses per search.
    #[arg(long, default_value_t = 30)]
    pub budget: usize,
    /// Seeds per kernel (both methods run with each).
    #[arg(long, default_value_t = 5)]
    pub seeds: usize,
    /// Kernels (comma-separated; default: the model's held-out families if it has any, else
    /// every kernel with more than 3 × budget recorded points and at least 10 valid ones).
    #[arg(long, value_delimiter = ',')]
    pub kernels: Vec<String>,
    /// First seed.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    #[command(flatten)]
    pub search: SearchArgs,
    #[arg(long)]
    pub json: bool,
}

#[derive(Serialize)]
struct ExperimentReport<'a> {
    hlsyn: String,
    version: &'a str,
    config: &'a SearchConfig,
    seeds: usize,
    /// How the kernels were chosen.
    selection: String,
    kernels: &'a [KernelResult],
    summary: experiment::Summary,
    seconds: f64,
}

pub fn run_experiment(args: ExperimentDseArgs) -> Result<u8> {
    let start = Instant::now();
    if args.budget == 0 || args.seeds == 0 {
        bail!("--budget and --seeds must be at least 1");
    }
    let ds = Hlsyn::open(&args.hlsyn)?;
    let model = model_or_shipped(args.search.model.clone())?;
    let held_out: Vec<String> = model
        .meta
        .training
        .get("held_out_families")
        .and_then(|v| v.as_array())
        .map(|a| a.iter().filter_map(|s| s.as_str().map(str::to_string)).collect())
        .unwrap_or_default();
    let (kernels, selection) = if !args.kernels.is_empty() {
        (args.kernels.clone(), "given with --kernels".to_string())
    } else if !held_out.is_empty() {
        let k = experiment::default_kernels(&ds, &args.version, args.budget, &held_out)?;
        (k, format!("the model's held-out families ({}) with more than {} recorded points", held_out.join(", "), 3 * args.budget))
    } else {
        let k = experiment::default_kernels(&ds, &args.version, args.budget, &[])?;
        (
            k,
            format!(
                "every {} kernel with more than {} recorded points and at least 10 valid ones (the model holds out no family, so it has seen most of these kernels' points)",
                args.version,
                3 * args.budget
            ),
        )
    };
    if kernels.is_empty() {
        bail!("no kernel to run ({selection})");
    }
    let cfg = args.search.config(args.budget, args.seed);
    let mut results = Vec::new();
    for (i, name) in kernels.iter().enumerate() {
        let case = Case::load(&ds, &args.version, name).with_context(|| format!("kernel {name}"))?;
        let r = experiment::run_case(&case, &model, &cfg, args.seeds).with_context(|| format!("kernel {name}"))?;
        eprintln!(
            "[{}/{}] {name}: ADRS proxy {:.4}, random {:.4} ({} points, {:.1} s)",
            i + 1,
            kernels.len(),
            r.proxy_mean,
            r.random_mean,
            r.pool,
            r.prepare_seconds + r.proxy_seconds
        );
        results.push(r);
    }
    let summary = experiment::summarise(&results);
    if args.json {
        let report = ExperimentReport {
            hlsyn: args.hlsyn.display().to_string(),
            version: &args.version,
            config: &cfg,
            seeds: args.seeds,
            selection,
            kernels: &results,
            summary,
            seconds: start.elapsed().as_secs_f64(),
        };
        print_json(&report)?;
        return Ok(0);
    }
    println!(
        "DSE with budget {} on HLSyn {} ({} kernels: {selection}), {} seeds; ADRS against the front of all valid records (lower is better)",
        args.budget,
        args.version,
        results.len(),
        args.seeds
    );
    let mut t = table(["kernel", "records", "valid", "true front", "ADRS proxy", "ADRS random", "better", "floored: proxy", "random", "failed (proxy/random)"]);
    for r in &results {
        let better = if r.proxy_mean < r.random_mean {
            "proxy"
        } else if r.proxy_mean > r.random_mean {
            "random"
        } else {
            "tie"
        };
        t.add_row([
            r.kernel.clone(),
            r.records.to_string(),
            r.valid.to_string(),
            r.reference_front.to_string(),
            format!("{:.4}", r.proxy_mean),
            format!("{:.4}", r.random_mean),
            better.to_string(),
            format!("{:.4}", r.proxy_floored_mean),
            format!("{:.4}", r.random_floored_mean),
            format!("{:.1} / {:.1}", r.proxy_failures, r.random_failures),
        ]);
    }
    println!("{t}");
    println!(
        "mean ADRS over kernels: proxy {:.4}, random {:.4} (median {:.4} / {:.4}); proxy better on {} of {} kernels (random better on {}, ties {})",
        summary.proxy_mean,
        summary.random_mean,
        summary.proxy_median,
        summary.random_median,
        summary.proxy_wins,
        summary.kernels,
        summary.random_wins,
        summary.ties,
    );
    println!(
        "floored ADRS (resources over at least 1% of the VU9P): proxy {:.4}, random {:.4}; proxy better on {} of {} kernels (random on {}); {:.0} s",
        summary.proxy_floored_mean,
        summary.random_floored_mean,
        summary.proxy_floored_wins,
        summary.kernels,
        summary.random_floored_wins,
        start.elapsed().as_secs_f64()
    );
    Ok(0)
}
