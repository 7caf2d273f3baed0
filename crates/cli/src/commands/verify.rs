//! `hlsseek verify TASK_DIR CANDIDATE.cpp | --answer FILE`: compile and C-simulate a candidate
//! against a task's testbench in the sandbox; exit 0 iff it passed. `--bench N` measures
//! throughput instead.

use crate::output::print_json;
use anyhow::{bail, Context, Result};
use hlsseek_verify::{
    Candidate, HeaderSource, Outcome, Report, Task, Verifier, VerifyConfig, VerifyError,
};
use serde::Serialize;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// Task folder (task.toml / task.json, or an HLS-eval design folder).
    pub task: PathBuf,
    /// The candidate source (.cpp).
    #[arg(conflicts_with = "answer", required_unless_present = "answer")]
    pub candidate: Option<PathBuf>,
    /// An LLM answer to extract the candidate from (fenced block or <OUTPUT_CODE> tags).
    #[arg(long)]
    pub answer: Option<PathBuf>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
    /// C++ compiler (g++ or clang++).
    #[arg(long, default_value = "g++")]
    pub compiler: String,
    /// Skip the synthesizability lint.
    #[arg(long)]
    pub no_lint: bool,
    /// Wall-clock limit of the testbench run, in seconds.
    #[arg(long)]
    pub timeout: Option<f64>,
    /// Memory limit of the testbench run, in MiB.
    #[arg(long)]
    pub memory_mb: Option<u64>,
    /// Absolute numeric tolerance for golden-output comparison (overrides the task's).
    #[arg(long)]
    pub tolerance: Option<f64>,
    /// Verify the candidate N times and report throughput instead of a verdict.
    #[arg(long, value_name = "N")]
    pub bench: Option<usize>,
    /// Parallel verifications (default: one per core).
    #[arg(long)]
    pub jobs: Option<usize>,
}

pub fn run(args: VerifyArgs) -> Result<u8> {
    let task = Task::load(&args.task)?;
    let candidate = match (&args.candidate, &args.answer) {
        (Some(p), _) => Candidate::Source(read(p)?),
        (None, Some(p)) => Candidate::Answer(read(p)?),
        (None, None) => bail!("give a CANDIDATE.cpp or --answer FILE"),
    };
    let verifier = make_verifier(&args)?;
    if let Some(n) = args.bench {
        return bench(&verifier, &task, candidate, n, args.json);
    }
    let report = verifier.verify(&task, &candidate);
    if args.json {
        print_json(&report)?;
    } else {
        print_human(&report);
    }
    Ok(match report.outcome {
        Outcome::Pass => 0,
        Outcome::Error => 2,
        _ => 1,
    })
}

fn read(p: &PathBuf) -> Result<String> {
    std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))
}

fn make_verifier(args: &VerifyArgs) -> Result<Verifier> {
    let mut cfg = VerifyConfig {
        compiler: args.compiler.clone(),
        lint: !args.no_lint,
        ..VerifyConfig::default()
    };
    if let Some(t) = args.timeout {
        if !(t.is_finite() && t > 0.0) {
            bail!("--timeout must be a positive number of seconds");
        }
        cfg.run_limits.wall = Duration::from_secs_f64(t);
        cfg.run_limits.cpu_seconds = t.ceil() as u64;
    }
    if let Some(m) = args.memory_mb {
        cfg.run_limits.memory_bytes = m << 20;
    }
    if let Some(a) = args.tolerance {
        cfg.tolerance = Some(hlsseek_verify::compare::Tolerance { abs: a, rel: 0.0 });
    }
    if let Some(j) = args.jobs {
        cfg.max_parallel = j.max(1);
    }
    match Verifier::new(cfg.clone()) {
        Err(VerifyError::HeadersMissing(why)) => {
            eprintln!("warning: HLS headers not available ({why}); run `hlsseek setup headers`. Verifying without them.");
            Ok(Verifier::new(VerifyConfig {
                headers: HeaderSource::AutoOptional,
                ..cfg
            })?)
        }
        other => Ok(other?),
    }
}

fn print_human(r: &Report) {
    let verdict = if r.passed { "PASS" } else { "FAIL" };
    println!(
        "{verdict} {} — stage {}, outcome {}, {:.2} s",
        r.task,
        r.stage.as_str(),
        r.outcome.as_str(),
        r.seconds
    );
    println!("  {}", r.detail);
    for f in &r.lint {
        println!(
            "  lint {:?} line {}: {} [{}]",
            f.severity, f.line, f.message, f.rule
        );
    }
    if !r.passed {
        if let Some(last) = r.messages.last() {
            let text = if last.stderr.trim().is_empty() {
                &last.stdout
            } else {
                &last.stderr
            };
            for line in text.lines().take(20) {
                println!("  | {line}");
            }
        }
    }
}

#[derive(Serialize)]
struct BenchReport {
    task: String,
    verifications: usize,
    passed: usize,
    jobs: usize,
    wall_seconds: f64,
    /// CPU time of this process and every compiler/testbench it ran.
    cpu_seconds: f64,
    per_second_wall: f64,
    /// Verifications per CPU-second: the per-core rate, independent of machine load.
    per_cpu_second: f64,
    warmup_seconds: f64,
}

fn bench(v: &Verifier, task: &Task, candidate: Candidate, n: usize, json: bool) -> Result<u8> {
    let warm = Instant::now();
    // The first run builds the task's PCH and testbench object; it is reported apart.
    let first = v.verify(task, &candidate);
    let warmup_seconds = warm.elapsed().as_secs_f64();
    if first.outcome == Outcome::Error {
        bail!("warm-up verification failed: {}", first.detail);
    }
    let jobs = v.config().max_parallel;
    let work: Vec<(&Task, Candidate)> = (0..n).map(|_| (task, candidate.clone())).collect();
    let cpu0 = hlsseek_verify::sandbox::cpu_seconds_used();
    let t0 = Instant::now();
    let reports = v.verify_many(&work, jobs);
    let wall = t0.elapsed().as_secs_f64();
    let cpu = hlsseek_verify::sandbox::cpu_seconds_used() - cpu0;
    let r = BenchReport {
        task: task.name.clone(),
        verifications: n,
        passed: reports.iter().filter(|r| r.passed).count(),
        jobs,
        wall_seconds: wall,
        cpu_seconds: cpu,
        per_second_wall: n as f64 / wall.max(1e-9),
        per_cpu_second: n as f64 / cpu.max(1e-9),
        warmup_seconds,
    };
    if json {
        print_json(&r)?;
    } else {
        println!(
            "{}: {} verifications ({} passed) with {} jobs in {:.2} s wall, {:.2} s CPU\n  {:.2} verifications/s wall, {:.2} verifications per CPU-second (per core); warm-up {:.2} s",
            r.task, r.verifications, r.passed, r.jobs, r.wall_seconds, r.cpu_seconds, r.per_second_wall, r.per_cpu_second, r.warmup_seconds
        );
    }
    Ok(0)
}
