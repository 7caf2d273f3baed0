//! The `vitis` backend: real Vitis HLS C synthesis where it is installed.
//!
//! Each request gets its own work directory (sources, `run.tcl`, the tool's log and project);
//! the tool runs there under a wall-clock limit and its `csynth.xml` is parsed (and the memory
//! table of the `csynth.rpt` beside it, where there is one). Where no tool
//! is found every request answers `Unavailable`, and the rest of hlsseek keeps working.

pub mod csynth;
pub mod process;
pub mod rpt;
pub mod tcl;

use crate::{Backend, FailureKind, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
use process::RunEnd;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Environment variable naming the tool executable, overriding the PATH search.
pub const TOOL_ENV: &str = "HLSSEEK_VITIS";

pub const UNAVAILABLE: &str = "vitis_hls not found on PATH; install Vitis HLS or use --backend estimate|recorded";

#[derive(Clone, Debug)]
pub struct VitisConfig {
    /// The tool executable; `None` searches `HLSSEEK_VITIS`, then `vitis_hls`, then
    /// `vitis-run` on PATH.
    pub tool: Option<PathBuf>,
    /// Where per-request work directories are created.
    pub work_root: PathBuf,
    pub timeout: Duration,
    /// Keep the work directory of successful runs too (failed runs always keep theirs).
    pub keep_work: bool,
    pub default_target: Target,
}

impl VitisConfig {
    pub fn new(work_root: impl Into<PathBuf>) -> VitisConfig {
        VitisConfig {
            tool: None,
            work_root: work_root.into(),
            timeout: Duration::from_secs(3600),
            keep_work: false,
            default_target: Target { part: "xcu280-fsvh2892-2L-e".into(), clock_ns: 10.0 },
        }
    }
}

/// How the tool takes a script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flavor {
    /// `vitis_hls -f run.tcl` (also `vivado_hls`).
    VitisHls,
    /// `vitis-run --mode hls --tcl run.tcl` (Vitis 2024.2 onward).
    VitisRun,
}

pub struct VitisBackend {
    config: VitisConfig,
    tool: Result<(PathBuf, Flavor), String>,
    version: OnceLock<String>,
    seq: AtomicU64,
}

impl VitisBackend {
    pub fn new(config: VitisConfig) -> VitisBackend {
        let tool = locate(config.tool.as_deref());
        VitisBackend { config, tool, version: OnceLock::new(), seq: AtomicU64::new(0) }
    }

    /// The tool that will run, or why there is none.
    pub fn tool(&self) -> Result<&Path, &str> {
        self.tool.as_ref().map(|(p, _)| p.as_path()).map_err(|e| e.as_str())
    }

    fn tool_name(&self) -> &'static str {
        match &self.tool {
            Ok((_, Flavor::VitisRun)) => "vitis-run",
            _ => "vitis_hls",
        }
    }

    fn detect_version(&self, tool: &Path) -> String {
        let dir = self.config.work_root.join(".version-probe");
        if std::fs::create_dir_all(&dir).is_ok() {
            let log = dir.join(format!("version-{}.log", std::process::id()));
            if let Ok(RunEnd::Exited(_)) = process::run(tool, &["-version"], &dir, &log, Duration::from_secs(60)) {
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                let _ = std::fs::remove_file(&log);
                if let Some(v) = version_in(&text) {
                    return v;
                }
            }
        }
        // Installations live under `.../Vitis_HLS/2023.2/bin/vitis_hls`.
        tool.components()
            .filter_map(|c| c.as_os_str().to_str())
            .find_map(|c| version_in(&format!("v{c}")))
            .unwrap_or_else(|| "unknown".into())
    }

    fn work_dir(&self, top: &str) -> Result<PathBuf, std::io::Error> {
        let safe: String = top.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).take(40).collect();
        loop {
            let n = self.seq.fetch_add(1, Ordering::Relaxed);
            let dir = self.config.work_root.join(format!("{safe}-{}-{n}", std::process::id()));
            std::fs::create_dir_all(&self.config.work_root)?;
            match std::fs::create_dir(&dir) {
                Ok(()) => return Ok(dir),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn run(&self, tool: &Path, flavor: Flavor, req: &SynthRequest) -> Result<QorReport, SynthFailure> {
        let script = tcl::script(req).map_err(|e| SynthFailure::new(FailureKind::Unsupported, e.to_string()))?;
        let io = |what: &str, e: std::io::Error| SynthFailure::new(FailureKind::ToolError, format!("{what}: {e}"));
        let dir = self.work_dir(&req.top).map_err(|e| io("cannot create a work directory", e))?;
        let src = dir.join(tcl::SRC_DIR);
        for f in &req.files {
            let path = src.join(&f.name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io(&format!("cannot write {}", path.display()), e))?;
            }
            std::fs::write(&path, &f.text).map_err(|e| io(&format!("cannot write {}", path.display()), e))?;
        }
        std::fs::write(dir.join(tcl::SCRIPT), script).map_err(|e| io("cannot write run.tcl", e))?;
        let args: &[&str] = match flavor {
            Flavor::VitisHls => &["-f", tcl::SCRIPT],
            Flavor::VitisRun => &["--mode", "hls", "--tcl", tcl::SCRIPT],
        };
        let log = dir.join("hlsseek-tool.log");
        let end = process::run(tool, args, &dir, &log, self.config.timeout)
            .map_err(|e| SynthFailure::new(FailureKind::ToolError, e.to_string()))?;
        let log_text = || String::from_utf8_lossy(&std::fs::read(&log).unwrap_or_default()).into_owned();
        let name = self.tool_name();
        let status = match end {
            RunEnd::TimedOut => {
                return Err(SynthFailure::new(
                    FailureKind::Timeout,
                    format!(
                        "{name} did not finish within {} s and was killed (work directory kept: {})",
                        self.config.timeout.as_secs_f64(),
                        dir.display()
                    ),
                ))
            }
            RunEnd::Exited(s) => s,
        };
        let report = dir.join(tcl::report_path());
        if !status.success() {
            let text = log_text();
            let errors = process::error_lines(&text, 5);
            // Vitis reports front-end (clang) diagnostics as `[HLS 207-...]`.
            let kind = if errors.iter().any(|l| l.contains("[HLS 207-") || l.contains(" error:")) {
                FailureKind::Syntax
            } else {
                FailureKind::ToolError
            };
            let detail = if errors.is_empty() { "no ERROR lines in its log".to_string() } else { errors.join(" | ") };
            return Err(SynthFailure::new(
                kind,
                format!("{name} exited with {status}: {detail} (log: {})", log.display()),
            ));
        }
        if !report.is_file() {
            let errors = process::error_lines(&log_text(), 5);
            return Err(SynthFailure::new(
                FailureKind::ToolError,
                format!(
                    "{name} finished but wrote no report at {}{} (log: {})",
                    report.display(),
                    if errors.is_empty() { String::new() } else { format!(": {}", errors.join(" | ")) },
                    log.display()
                ),
            ));
        }
        let parsed = csynth::parse_file(&report).map_err(|e| SynthFailure::new(FailureKind::ToolError, e.to_string()))?;
        let over = parsed.overflows();
        if !over.is_empty() {
            return Err(SynthFailure {
                kind: FailureKind::ResourceOverflow,
                message: format!("{} exceed the capacity of {}", over.join(", "), req.part),
                qor: Some(Box::new(parsed.qor())),
            });
        }
        let mut notes = Vec::new();
        if let (Some(est), Some(target)) = (parsed.estimated_clock_ns, parsed.target_clock_ns) {
            if est > target {
                notes.push(format!("estimated clock {est} ns misses the {target} ns target"));
            }
        }
        if !parsed.tool_version.is_empty() {
            notes.push(format!("report version {}", parsed.tool_version));
        }
        // The per-array memories are a detail: a text report that cannot be read costs them,
        // not the synthesis.
        let text_report = report.with_file_name("csynth.rpt");
        let memories = match std::fs::read(&text_report) {
            Ok(bytes) => rpt::memories(&String::from_utf8_lossy(&bytes), &text_report.display().to_string()).unwrap_or_else(|e| {
                notes.push(format!("{e}; no per-array memories"));
                Vec::new()
            }),
            Err(_) => Vec::new(),
        };
        if !self.config.keep_work {
            let _ = std::fs::remove_dir_all(&dir);
        }
        Ok(QorReport { qor: parsed.qor(), loops: parsed.loops, memories, notes })
    }
}

impl Backend for VitisBackend {
    fn name(&self) -> &str {
        "vitis"
    }

    fn version(&self) -> String {
        match &self.tool {
            Ok((tool, _)) => self.version.get_or_init(|| self.detect_version(tool)).clone(),
            Err(_) => "unavailable".into(),
        }
    }

    fn default_target(&self) -> Target {
        self.config.default_target.clone()
    }

    fn synthesize(&self, req: &SynthRequest) -> SynthOutcome {
        let start = Instant::now();
        let result = match &self.tool {
            Ok((tool, flavor)) => self.run(tool, *flavor, req),
            Err(why) => Err(SynthFailure::new(FailureKind::Unavailable, why.clone())),
        };
        SynthOutcome {
            result,
            seconds: start.elapsed().as_secs_f64(),
            tool: self.tool_name().into(),
            tool_version: self.version(),
        }
    }
}

fn locate(configured: Option<&Path>) -> Result<(PathBuf, Flavor), String> {
    let flavor = |p: &Path| {
        let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if n.starts_with("vitis-run") { Flavor::VitisRun } else { Flavor::VitisHls }
    };
    let explicit = configured
        .map(|p| (p.to_path_buf(), "configured"))
        .or_else(|| std::env::var_os(TOOL_ENV).filter(|v| !v.is_empty()).map(|v| (PathBuf::from(v), TOOL_ENV)));
    if let Some((p, from)) = explicit {
        // A bare name is looked up on PATH, a path is taken as is.
        let resolved = if p.components().count() == 1 { process::find_on_path(&p.to_string_lossy()) } else { Some(p.clone()) };
        return match resolved.filter(|r| process::is_executable(r)) {
            Some(r) => {
                let f = flavor(&r);
                Ok((r, f))
            }
            None => Err(format!("Vitis HLS tool `{}` ({from}) is not an executable file", p.display())),
        };
    }
    for name in ["vitis_hls", "vitis-run"] {
        if let Some(p) = process::find_on_path(name) {
            let f = flavor(&p);
            return Ok((p, f));
        }
    }
    Err(UNAVAILABLE.into())
}

/// `v2023.2` / `v2019.1.3` in a version banner.
fn version_in(text: &str) -> Option<String> {
    text.split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',').find_map(|w| {
        let v = w.strip_prefix('v')?;
        let ok = v.len() >= 6 && v.starts_with("20") && v.contains('.') && v.chars().all(|c| c.is_ascii_digit() || c == '.');
        ok.then(|| v.trim_end_matches('.').to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_versions_in_banners() {
        assert_eq!(
            version_in("****** Vitis HLS - High-Level Synthesis from C, C++ and OpenCL v2023.2 (64-bit)").as_deref(),
            Some("2023.2")
        );
        assert_eq!(version_in("Vivado HLS v2019.1.3 blah").as_deref(), Some("2019.1.3"));
        assert_eq!(version_in("version 12"), None);
    }
}
