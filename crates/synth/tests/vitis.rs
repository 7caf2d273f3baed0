//! The `vitis` backend end to end with stand-in executables: the generated project (golden
//! file), spawn + parse + store, a failing tool, a hanging tool killed at the timeout, and no
//! tool at all.

use hlsseek_front::SourceFile;
use hlsseek_store::sqlite::SqliteStore;
use hlsseek_synth::vitis::{tcl, VitisBackend, VitisConfig};
use hlsseek_synth::{Backend, FailureKind, SynthRequest, Synthesizer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn report(name: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/vitis-reports")).join(name);
    if p.is_file() {
        Some(p)
    } else {
        eprintln!("skipped: report not found at {}", p.display());
        None
    }
}

fn request() -> SynthRequest {
    SynthRequest {
        files: vec![
            SourceFile { name: "kernel.cpp".into(), text: "#include \"kernel.h\"\nvoid top(int a[N]) {\n  for (int i = 0; i < N; i++) a[i] += 1;\n}\n".into() },
            SourceFile { name: "kernel.h".into(), text: "#define N 16\n".into() },
        ],
        top: "top".into(),
        part: "xcu55c-fsvh2892-2L-e".into(),
        clock_ns: 4.55,
    }
}

/// Write an executable shell script.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

const VERSION_BANNER: &str = r#"if [ "$1" = "-version" ]; then
  echo "****** Vitis HLS - High-Level Synthesis from C, C++ and OpenCL v2023.2 (64-bit)"; exit 0
fi
"#;

/// A stand-in `vitis_hls` that checks what hlsseek gave it, counts its runs, and leaves a real
/// report where Vitis would.
fn fake_vitis(dir: &Path, report: &Path) -> PathBuf {
    fake_vitis_with_text_report(dir, report, None)
}

/// The same, also leaving `text_report` as the csynth.rpt beside the csynth.xml.
fn fake_vitis_with_text_report(dir: &Path, report: &Path, text_report: Option<&Path>) -> PathBuf {
    let copy_text = text_report.map_or(String::new(), |t| format!("cp \"{}\" {}/{}/syn/report/csynth.rpt\n", t.display(), tcl::PROJECT, tcl::SOLUTION));
    script(
        dir,
        "vitis_hls",
        &format!(
            r#"{VERSION_BANNER}[ "$1" = "-f" ] && [ -f "$2" ] || {{ echo "ERROR: expected -f run.tcl, got $*"; exit 3; }}
grep -q '^csynth_design$' "$2" || {{ echo "ERROR: no csynth_design"; exit 4; }}
[ -f src/kernel.cpp ] && [ -f src/kernel.h ] || {{ echo "ERROR: sources missing"; exit 5; }}
echo run >> "{count}"
echo "INFO: [HLS 200-10] Running synthesis"
mkdir -p {proj}/{sol}/syn/report
cp "{report}" {proj}/{sol}/syn/report/csynth.xml
{copy_text}"#,
            count = dir.join("runs").display(),
            proj = tcl::PROJECT,
            sol = tcl::SOLUTION,
            report = report.display()
        ),
    )
}

fn backend(tool: PathBuf, work: &Path, timeout: Duration) -> VitisBackend {
    let mut cfg = VitisConfig::new(work);
    cfg.tool = Some(tool);
    cfg.timeout = timeout;
    VitisBackend::new(cfg)
}

#[test]
fn generated_project_matches_the_golden_file() {
    insta::assert_snapshot!("run_tcl", tcl::script(&request()).unwrap());
}

#[test]
fn unsafe_file_names_are_refused() {
    for bad in ["../evil.cpp", "/abs.cpp", "a{b}.cpp", "x$y.c", "a/./b.c", ""] {
        let mut r = request();
        r.files[0].name = bad.into();
        assert!(tcl::script(&r).is_err(), "{bad:?} accepted");
    }
}

#[test]
fn spawn_parse_and_store_with_a_stand_in_tool() {
    let Some(rep) = report("prometheus-bicg-loop/csynth.xml") else { return };
    let dir = tempfile::tempdir().unwrap();
    let tool = fake_vitis(dir.path(), &rep);
    let vitis = backend(tool, &dir.path().join("work"), Duration::from_secs(60));
    assert_eq!(vitis.version(), "2023.2");
    let store = Arc::new(SqliteStore::open(&dir.path().join("results.db")).unwrap());
    let synth = Synthesizer::new(Arc::new(vitis), Some(store.clone()), 2);

    let first = synth.synthesize(&request());
    assert!(!first.cached);
    assert_eq!(first.store_error, None);
    let report = first.outcome.result.as_ref().unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(report.qor.latency.max, Some(7));
    assert_eq!(report.qor.ii, Some(7));
    assert_eq!((report.qor.resources.lut, report.qor.resources.ff), (125, 71));
    assert_eq!(report.loops[0].name, "VITIS_LOOP_794_1");
    assert_eq!((first.outcome.tool.as_str(), first.outcome.tool_version.as_str()), ("vitis_hls", "2023.2"));
    // Successful work directories are cleaned up.
    assert_eq!(std::fs::read_dir(dir.path().join("work")).unwrap().filter(|e| !e.as_ref().unwrap().file_name().to_string_lossy().starts_with('.')).count(), 0);

    // Same design with other comments and layout: served from the store, the tool not run.
    let mut again = request();
    again.files[0].text = format!("// a comment\n{}", again.files[0].text.replace("  ", "\t"));
    let second = synth.synthesize(&again);
    assert!(second.cached);
    assert_eq!(second.key, first.key);
    assert_eq!(second.outcome, first.outcome);
    assert_eq!(std::fs::read_to_string(dir.path().join("runs")).unwrap().lines().count(), 1);

    use hlsseek_store::ResultStore;
    let stats = store.stats().unwrap();
    assert_eq!((stats.results, stats.hits, stats.misses), (1, 1, 1));
}

/// The csynth.rpt beside the report gives the memories (AutoBridge's stencil: 128 FIFO
/// buffers of one BRAM18K each, the `Memory` row of its utilisation summary); a text report
/// that cannot be read costs only them, with a note.
#[test]
fn memories_come_from_the_text_report_beside_the_xml() {
    let (Some(xml), Some(rpt)) = (report("autobridge-stencil-compute/csynth.xml"), report("autobridge-stencil-compute/csynth.rpt")) else { return };
    let dir = tempfile::tempdir().unwrap();
    let tool = fake_vitis_with_text_report(dir.path(), &xml, Some(&rpt));
    let out = backend(tool, &dir.path().join("work"), Duration::from_secs(60)).synthesize(&request());
    let r = out.result.unwrap_or_else(|f| panic!("{f}"));
    assert_eq!(r.memories.len(), 128);
    assert_eq!(r.memories.iter().map(|m| m.resources.bram).sum::<u64>(), 128);
    assert!(r.memories.iter().all(|m| m.function == "compute"));

    let garbage = dir.path().join("garbage.rpt");
    std::fs::write(&garbage, "not a report\n").unwrap();
    let tool = fake_vitis_with_text_report(dir.path(), &xml, Some(&garbage));
    let out = backend(tool, &dir.path().join("work2"), Duration::from_secs(60)).synthesize(&request());
    let r = out.result.unwrap_or_else(|f| panic!("{f}"));
    assert!(r.memories.is_empty());
    assert!(r.notes.iter().any(|n| n.contains("csynth.rpt") && n.contains("no per-array memories")), "{:?}", r.notes);
}

#[test]
fn a_failing_tool_is_a_typed_failure_with_its_errors() {
    let dir = tempfile::tempdir().unwrap();
    let tool = script(
        dir.path(),
        "vitis_hls",
        &format!("{VERSION_BANNER}echo 'ERROR: [HLS 207-3776] use of undeclared identifier x (src/kernel.cpp:3:5)'\nexit 1\n"),
    );
    let out = backend(tool, &dir.path().join("work"), Duration::from_secs(60)).synthesize(&request());
    let f = out.result.unwrap_err();
    assert_eq!(f.kind, FailureKind::Syntax);
    assert!(f.message.contains("undeclared identifier") && f.message.contains("hlsseek-tool.log"), "{}", f.message);

    let tool = script(dir.path(), "vitis_hls2", &format!("{VERSION_BANNER}echo 'INFO: finished'\n"));
    let f = backend(tool, &dir.path().join("work"), Duration::from_secs(60)).synthesize(&request()).result.unwrap_err();
    assert_eq!(f.kind, FailureKind::ToolError);
    assert!(f.message.contains("wrote no report"), "{}", f.message);

    let garbage = dir.path().join("garbage.xml");
    std::fs::write(&garbage, "<profile><PerformanceEstimates>").unwrap();
    let tool = fake_vitis(dir.path(), &garbage);
    let f = backend(tool, &dir.path().join("work"), Duration::from_secs(60)).synthesize(&request()).result.unwrap_err();
    assert_eq!(f.kind, FailureKind::ToolError);
    assert!(f.message.contains("csynth.xml:1:") && f.message.contains("not a valid csynth.xml"), "{}", f.message);
}

#[test]
fn a_hanging_tool_is_killed_at_the_timeout_and_the_timeout_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let pid_file = dir.path().join("grandchild.pid");
    // The tool starts a grandchild and waits: killing only the script would leave it running.
    let tool = script(
        dir.path(),
        "vitis_hls",
        &format!("{VERSION_BANNER}sleep 300 &\necho $! > \"{}\"\nwait\n", pid_file.display()),
    );
    let store = Arc::new(SqliteStore::open(&dir.path().join("results.db")).unwrap());
    let synth = Synthesizer::new(
        Arc::new(backend(tool, &dir.path().join("work"), Duration::from_millis(700))),
        Some(store),
        1,
    );
    let start = Instant::now();
    let out = synth.synthesize(&request());
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
    let f = out.outcome.result.as_ref().unwrap_err();
    assert_eq!(f.kind, FailureKind::Timeout);
    assert!(f.message.contains("did not finish within 0.7 s"), "{}", f.message);
    let pid: i32 = std::fs::read_to_string(&pid_file).unwrap().trim().parse().unwrap();
    let alive = |pid: i32| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|s| !s.rsplit(')').next().unwrap_or("").trim_start().starts_with('Z'))
            .unwrap_or(false)
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    while alive(pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(pid), "the tool's child {pid} survived the timeout");
    // Stored as a timeout, so it is not retried.
    let again = synth.synthesize(&request());
    assert!(again.cached);
    assert_eq!(again.outcome.result.unwrap_err().kind, FailureKind::Timeout);
}

#[test]
fn without_the_tool_the_backend_says_it_is_unavailable_and_nothing_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = VitisConfig::new(dir.path().join("work"));
    cfg.tool = Some(dir.path().join("no-such-vitis_hls"));
    let vitis = VitisBackend::new(cfg);
    let f = vitis.synthesize(&request()).result.unwrap_err();
    assert_eq!(f.kind, FailureKind::Unavailable);
    assert!(f.message.contains("no-such-vitis_hls") && f.message.contains("not an executable"), "{}", f.message);

    // Nothing on PATH: the message the CLI shows.
    let vitis = VitisBackend::new(VitisConfig::new(dir.path().join("work")));
    if vitis.tool().is_err() && std::env::var_os(hlsseek_synth::vitis::TOOL_ENV).is_none() {
        let store = Arc::new(SqliteStore::open(&dir.path().join("r.db")).unwrap());
        let synth = Synthesizer::new(Arc::new(vitis), Some(store.clone()), 1);
        let out = synth.synthesize(&request());
        let f = out.outcome.result.unwrap_err();
        assert_eq!(f.kind, FailureKind::Unavailable);
        assert_eq!(f.message, hlsseek_synth::vitis::UNAVAILABLE);
        use hlsseek_store::ResultStore;
        assert_eq!(store.stats().unwrap().results, 0, "an environment problem is not a fact about the design");
    }
}
