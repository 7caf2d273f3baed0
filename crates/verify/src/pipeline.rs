//! The verification pipeline: extract -> syntax -> lint -> compile -> run -> compare, each
//! command in a fresh sandbox, with a bounded number of sandboxes alive at once.

use crate::compare::{compare, Tolerance};
use crate::error::{Result, VerifyError};
use crate::extract::extract;
use crate::lint::{self, Finding};
use crate::prepare::{self, Prepared, Toolchain};
use crate::report::{Outcome, Report, Stage, StepLog};
use crate::sandbox::{Capabilities, Limits, RunOutput, Sandbox, Termination};
use crate::task::Task;
use crate::{headers, state};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Instant;

/// What to verify: a bare source file, or an LLM answer to extract it from.
#[derive(Debug, Clone)]
pub enum Candidate {
    Source(String),
    Answer(String),
}

/// Where the HLS headers come from.
#[derive(Debug, Clone)]
pub enum HeaderSource {
    /// `$HLSSEEK_HLS_HEADERS`, else the setup cache; absent headers are an error.
    Auto,
    /// Like `Auto`, but carry on without HLS headers when none are cached (kernels that only
    /// use plain C++ still verify; others fail to compile with the missing include).
    AutoOptional,
    Dir(PathBuf),
}

#[derive(Debug, Clone)]
pub struct VerifyConfig {
    /// `g++` or `clang++` (a name looked up in PATH, or a path).
    pub compiler: String,
    /// Language and optimisation flags shared by every compile (and the PCH).
    pub flags: Vec<String>,
    pub headers: HeaderSource,
    pub state_dir: Option<PathBuf>,
    pub compile_limits: Limits,
    pub run_limits: Limits,
    pub lint: bool,
    /// Precompiled task headers: `None` = use them when the compiler is GCC.
    pub pch: Option<bool>,
    /// Sandboxes alive at once (across all threads using this verifier).
    pub max_parallel: usize,
    /// Overrides every task's tolerance when set.
    pub tolerance: Option<Tolerance>,
}

impl Default for VerifyConfig {
    fn default() -> Self {
        VerifyConfig {
            compiler: "g++".into(),
            flags: vec!["-std=c++14".into(), "-O1".into()],
            headers: HeaderSource::Auto,
            state_dir: None,
            compile_limits: Limits::compile_default(),
            run_limits: Limits::run_default(),
            lint: true,
            pch: None,
            max_parallel: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1),
            tolerance: None,
        }
    }
}

type PrepareCell = Arc<OnceLock<std::result::Result<Prepared, String>>>;

pub struct Verifier {
    cfg: VerifyConfig,
    compiler: PathBuf,
    compiler_id: String,
    pch: bool,
    state: PathBuf,
    /// Mirrored HLS headers + shim (read-only for sandboxes), if any.
    hls_include: Option<PathBuf>,
    /// What sandboxed compiles may read: `hls_include` and, for a compiler installed outside
    /// the system directories, its installation prefix.
    readable: Vec<PathBuf>,
    prepared: Mutex<HashMap<String, PrepareCell>>,
    slots: (Mutex<usize>, Condvar),
}

impl Verifier {
    pub fn new(cfg: VerifyConfig) -> Result<Verifier> {
        let compiler = resolve_program(&cfg.compiler).ok_or_else(|| {
            VerifyError::Sandbox(format!("compiler `{}` not found in PATH", cfg.compiler))
        })?;
        let version = std::process::Command::new(&compiler)
            .arg("--version")
            .output()
            .map_err(|e| VerifyError::Sandbox(format!("cannot run {}: {e}", compiler.display())))?;
        let compiler_id = String::from_utf8_lossy(&version.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string();
        let is_gcc = compiler_id.contains("g++")
            || compiler_id.contains("GCC")
            || compiler_id.contains("Free Software");
        let pch = cfg.pch.unwrap_or(is_gcc) && is_gcc;
        let state = cfg.state_dir.clone().unwrap_or_else(state::default_dir);
        state::ensure_dir(&state)?;
        state::ensure_dir(&state.join("run"))?;
        if Capabilities::get().uid_drop {
            state::check_traversable(&state)?;
        }
        let headers_dir = match &cfg.headers {
            HeaderSource::Dir(d) => Some(d.clone()),
            HeaderSource::Auto => Some(headers::locate()?),
            HeaderSource::AutoOptional => headers::locate().ok(),
        };
        let hls_include = headers_dir
            .map(|d| state::mirror_headers(&state, &d))
            .transpose()?;
        let mut readable: Vec<PathBuf> = hls_include.iter().cloned().collect();
        let real = compiler.canonicalize().unwrap_or_else(|_| compiler.clone());
        if let Some(prefix) = real.parent().and_then(|bin| bin.parent()) {
            if !["/usr", "/bin", "/sbin", "/lib"]
                .iter()
                .any(|sys| prefix.starts_with(sys))
                && prefix != Path::new("/")
            {
                readable.push(prefix.to_path_buf());
            }
        }
        Ok(Verifier {
            cfg,
            compiler,
            compiler_id,
            pch,
            state,
            hls_include,
            readable,
            prepared: Mutex::new(HashMap::new()),
            slots: (Mutex::new(0), Condvar::new()),
        })
    }

    pub fn config(&self) -> &VerifyConfig {
        &self.cfg
    }

    pub fn capabilities(&self) -> &'static Capabilities {
        Capabilities::get()
    }

    /// Whether a precompiled task header is used (GCC only).
    pub fn uses_pch(&self) -> bool {
        self.pch
    }

    /// Verifies one candidate. Never fails: a verifier-side problem is an `error` outcome.
    pub fn verify(&self, task: &Task, candidate: &Candidate) -> Report {
        let start = Instant::now();
        let mut run = Run {
            task,
            logs: Vec::new(),
            lint: Vec::new(),
            stage: Stage::Extract,
        };
        let (outcome, detail) = match self.pipeline(&mut run, candidate) {
            Ok(v) => v,
            Err(e) => (Outcome::Error, e.to_string()),
        };
        Report {
            task: task.name.clone(),
            passed: outcome == Outcome::Pass,
            stage: run.stage,
            outcome,
            seconds: start.elapsed().as_secs_f64(),
            detail,
            lint: run.lint,
            messages: run.logs,
            sandbox: Capabilities::get().clone(),
        }
    }

    /// Verifies many candidates on `workers` threads (the sandbox bound still applies).
    /// Reports come back in input order.
    pub fn verify_many(&self, jobs: &[(&Task, Candidate)], workers: usize) -> Vec<Report> {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let results: Vec<Mutex<Option<Report>>> = jobs.iter().map(|_| Mutex::new(None)).collect();
        std::thread::scope(|s| {
            for _ in 0..workers.clamp(1, jobs.len().max(1)) {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((task, cand)) = jobs.get(i) else {
                        break;
                    };
                    let r = self.verify(task, cand);
                    *results[i].lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
                });
            }
        });
        results
            .into_iter()
            .filter_map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect()
    }

    /// Builds (or finds cached) the task's testbench object and precompiled header.
    pub fn prepare(&self, task: &Task) -> Result<Prepared> {
        let tc = self.toolchain();
        let key = prepare::cache_key(task, &tc)?;
        let cell = {
            let mut map = self.prepared.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(key).or_default().clone()
        };
        let r = cell.get_or_init(|| {
            let _slot = self.slot();
            prepare::prepare(&self.state, task, &tc).map_err(|e| e.to_string())
        });
        r.clone().map_err(|m| VerifyError::Prepare {
            task: task.name.clone(),
            step: "preparing".into(),
            messages: m,
        })
    }

    fn toolchain(&self) -> Toolchain<'_> {
        Toolchain {
            compiler: &self.compiler,
            compiler_id: &self.compiler_id,
            flags: &self.cfg.flags,
            pch: self.pch,
            limits: &self.cfg.compile_limits,
            include_dirs: self.hls_include.as_slice(),
            readable: &self.readable,
        }
    }

    /// Blocks until fewer than `max_parallel` sandboxes are in use.
    fn slot(&self) -> SlotGuard<'_> {
        let (m, cv) = &self.slots;
        let mut n = m.lock().unwrap_or_else(|p| p.into_inner());
        while *n >= self.cfg.max_parallel.max(1) {
            n = cv.wait(n).unwrap_or_else(|p| p.into_inner());
        }
        *n += 1;
        SlotGuard { v: self }
    }

    fn pipeline(&self, run: &mut Run<'_>, candidate: &Candidate) -> Result<(Outcome, String)> {
        let task = run.task;
        let source = match candidate {
            Candidate::Source(s) => s.clone(),
            Candidate::Answer(a) => match extract(a, Some(&task.top)) {
                Ok(e) => e.code,
                Err(e) => return Ok((Outcome::Fail, e.to_string())),
            },
        };
        run.stage = Stage::Syntax;
        if self.cfg.lint {
            let headers: Vec<String> = task
                .headers
                .iter()
                .filter_map(|h| std::fs::read_to_string(h).ok())
                .collect();
            run.lint = lint::lint_with_headers(&source, &task.top, &headers);
        }
        let prepared = self.prepare(task)?;
        let _slot = self.slot();
        let sb = Sandbox::new(&self.state.join("run"))?;
        let cand_name = safe_name(&task.candidate_name, "candidate.cpp");
        sb.write(&cand_name, source.as_bytes())?;

        let mut read_only = vec![prepared.include_dir.clone(), prepared.testbench_obj.clone()];
        read_only.extend(self.readable.iter().cloned());
        let mut flags = self.cfg.flags.clone();
        flags.push(format!("-I{}", prepared.include_dir.display()));
        if let Some(d) = &self.hls_include {
            flags.push(format!("-I{}", d.display()));
        }
        let climits = self.cfg.compile_limits;

        // A full compile implies the syntax check passes, so -fsyntax-only only runs to
        // classify a failed compile: one g++ parse on the common path instead of two.
        let mut args = flags.clone();
        args.extend([
            "-c".into(),
            cand_name.clone(),
            "-o".into(),
            "candidate.o".into(),
        ]);
        let out = sb.run(&self.compiler, &args, &climits, &read_only)?;
        let compiled = out.success();
        let compile_log = StepLog::new(Stage::Compile, self.cmdline(&args), &out);
        if !compiled {
            if let Some(o) = abnormal(&out, &climits) {
                run.logs.push(compile_log);
                run.stage = Stage::Compile;
                return Ok((o, format!("compiler: {}", describe(&out))));
            }
            let mut syn = flags.clone();
            syn.extend(["-fsyntax-only".into(), cand_name.clone()]);
            let sout = sb.run(&self.compiler, &syn, &climits, &read_only)?;
            run.logs
                .push(StepLog::new(Stage::Syntax, self.cmdline(&syn), &sout));
            if !sout.success() {
                let o = abnormal(&sout, &climits).unwrap_or(Outcome::Fail);
                return Ok((o, first_error(&sout.stderr)));
            }
        }
        run.stage = Stage::Lint;
        if lint::has_errors(&run.lint) {
            if compiled {
                run.logs.push(compile_log);
            }
            let first = run
                .lint
                .iter()
                .find(|f| f.severity == lint::Severity::Error);
            return Ok((
                Outcome::Fail,
                first
                    .map(|f| format!("line {}: {}", f.line, f.message))
                    .unwrap_or_default(),
            ));
        }
        run.stage = Stage::Compile;
        run.logs.push(compile_log);
        if !compiled {
            return Ok((Outcome::Fail, first_error(&out.stderr)));
        }
        let mut link = vec![
            "candidate.o".to_string(),
            prepared.testbench_obj.display().to_string(),
            "-o".into(),
            "tb".into(),
        ];
        link.extend(
            self.cfg
                .flags
                .iter()
                .filter(|f| f.starts_with("-l") || f.starts_with("-L"))
                .cloned(),
        );
        let lout = sb.run(&self.compiler, &link, &climits, &read_only)?;
        run.logs
            .push(StepLog::new(Stage::Compile, self.cmdline(&link), &lout));
        if !lout.success() {
            let o = abnormal(&lout, &climits).unwrap_or(Outcome::Fail);
            return Ok((o, first_error(&lout.stderr)));
        }

        run.stage = Stage::Run;
        for d in &task.data {
            let name = safe_name(
                &d.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                "data",
            );
            let bytes = std::fs::read(d).map_err(|source| VerifyError::Read {
                path: d.clone(),
                source,
            })?;
            sb.write(&name, &bytes)?;
        }
        let rlimits = task.limits.apply(self.cfg.run_limits);
        let tb = sb.path().join("tb");
        let rout = sb.run(&tb, &[] as &[&str], &rlimits, &read_only)?;
        run.logs
            .push(StepLog::new(Stage::Run, "./tb".into(), &rout));
        if let Some(o) = abnormal(&rout, &rlimits) {
            return Ok((o, format!("testbench: {}", describe(&rout))));
        }
        if !rout.success() {
            return Ok((Outcome::Fail, format!("testbench: {}", describe(&rout))));
        }
        let Some(golden) = &task.golden_output else {
            return Ok((Outcome::Pass, "testbench exited 0".into()));
        };
        run.stage = Stage::Compare;
        let expected = std::fs::read_to_string(golden).map_err(|source| VerifyError::Read {
            path: golden.clone(),
            source,
        })?;
        let actual = match &task.output_file {
            None => rout.stdout.clone(),
            Some(f) => match crate::sandbox::read_regular(
                &sb.path().join(safe_name(f, "output")),
                64 << 20,
            ) {
                Ok(b) => String::from_utf8_lossy(&b).into_owned(),
                Err(e) => {
                    return Ok((
                        Outcome::Fail,
                        format!("output file `{f}` not produced: {e}"),
                    ))
                }
            },
        };
        let tol = self.cfg.tolerance.unwrap_or(task.tolerance);
        Ok(match compare(&actual, &expected, tol) {
            Ok(()) => (
                Outcome::Pass,
                "testbench exited 0 and output matches the golden output".into(),
            ),
            Err(diff) => (
                Outcome::Fail,
                format!("output differs from the golden output: {diff}"),
            ),
        })
    }

    fn cmdline(&self, args: &[String]) -> String {
        let prog = self
            .compiler
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        format!("{prog} {}", args.join(" "))
    }
}

struct Run<'a> {
    task: &'a Task,
    logs: Vec<StepLog>,
    lint: Vec<Finding>,
    stage: Stage,
}

struct SlotGuard<'a> {
    v: &'a Verifier,
}

impl Drop for SlotGuard<'_> {
    fn drop(&mut self) {
        let (m, cv) = &self.v.slots;
        *m.lock().unwrap_or_else(|p| p.into_inner()) -= 1;
        cv.notify_one();
    }
}

/// Maps how a command died to an outcome, or `None` for a plain exit (pass or fail).
pub fn abnormal(out: &RunOutput, limits: &Limits) -> Option<Outcome> {
    let mem_words = [
        "std::bad_alloc",
        "Cannot allocate memory",
        "out of memory",
        "virtual memory exhausted",
    ];
    let oom = mem_words.iter().any(|w| out.stderr.contains(w));
    let eagain = out.stderr.contains("Resource temporarily unavailable");
    match out.termination {
        Termination::WallTimeout => Some(Outcome::Timeout),
        Termination::Signaled(libc::SIGXCPU) => Some(Outcome::Timeout),
        // The kernel sends SIGKILL at the hard CPU limit (one second past the soft one).
        Termination::Signaled(libc::SIGKILL)
            if out.cpu_seconds + 0.5 >= limits.cpu_seconds as f64 =>
        {
            Some(Outcome::Timeout)
        }
        Termination::Signaled(libc::SIGKILL) => Some(Outcome::ResourceLimit),
        Termination::Signaled(libc::SIGXFSZ) => Some(Outcome::ResourceLimit),
        Termination::Signaled(libc::SIGSYS) => Some(Outcome::SandboxViolation),
        Termination::Signaled(_) | Termination::Exited(_) if oom || eagain => {
            Some(Outcome::ResourceLimit)
        }
        _ => None,
    }
}

fn describe(out: &RunOutput) -> String {
    let how = match out.termination {
        Termination::Exited(c) => format!("exited with {c}"),
        Termination::Signaled(s) => format!("killed by signal {s} ({})", signal_name(s)),
        Termination::WallTimeout => format!("killed after {:.1} s wall time", out.wall_seconds),
    };
    match out.stderr.lines().rev().find(|l| !l.trim().is_empty()) {
        Some(last) => format!("{how}; last stderr line: {}", last.trim()),
        None => how,
    }
}

fn signal_name(s: i32) -> &'static str {
    match s {
        libc::SIGSEGV => "SIGSEGV",
        libc::SIGABRT => "SIGABRT",
        libc::SIGFPE => "SIGFPE",
        libc::SIGKILL => "SIGKILL",
        libc::SIGXCPU => "SIGXCPU",
        libc::SIGXFSZ => "SIGXFSZ",
        libc::SIGSYS => "SIGSYS, a blocked system call",
        libc::SIGBUS => "SIGBUS",
        _ => "signal",
    }
}

fn first_error(stderr: &str) -> String {
    stderr
        .lines()
        .find(|l| l.contains("error"))
        .or_else(|| stderr.lines().find(|l| !l.trim().is_empty()))
        .unwrap_or("failed without a message")
        .trim()
        .to_string()
}

/// A file name safe to create in the sandbox: no directories, no dot-dot.
fn safe_name(name: &str, fallback: &str) -> String {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && !name.starts_with(".hlsseek")
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok && name != "tb" && name != "candidate.o" {
        name.to_string()
    } else {
        fallback.to_string()
    }
}

fn resolve_program(name: &str) -> Option<PathBuf> {
    let p = Path::new(name);
    if p.components().count() > 1 {
        return p.canonicalize().ok().filter(|p| p.is_file());
    }
    std::env::var_os("PATH")?
        .to_string_lossy()
        .split(':')
        .map(|d| Path::new(d).join(name))
        .find(|p| p.is_file())
}
