//! `hlsseek synth` and `hlsseek store` end to end: every backend through the binary, the
//! store in between (cache hits, stats, export), and composition with `space --render`.

use assert_cmd::Command;
use hlsseek_datasets::{forgehls, hlsyn};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn hlsseek() -> Command {
    let mut c = Command::cargo_bin("hlsseek").unwrap();
    // Tests never touch the user's own store or tool.
    c.env_remove("HLSSEEK_STORE").env_remove("HLSSEEK_VITIS");
    c
}

fn data(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: shared data not found at {}", p.display());
        None
    }
}

fn json_of(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}\nstderr: {}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
    })
}

const VADD: &str = "#define N 64\nvoid vadd(int a[N], int b[N], int c[N]) {\n  for (int i = 0; i < N; i++) {\n    c[i] = a[i] + b[i];\n  }\n}\n";

#[test]
fn estimate_is_stored_then_served_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    let store = dir.path().join("results.db");
    let run = || {
        hlsseek()
            .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "estimate", "--json", "--store"])
            .arg(&store)
            .output()
            .unwrap()
    };
    let first = run();
    let j1 = json_of(&first);
    assert!(first.status.success(), "{j1}");
    assert_eq!(j1["status"], "ok");
    assert_eq!(j1["backend"], "estimate");
    assert_eq!(j1["cached"], false);
    assert!(j1["latency"]["max"].as_u64().unwrap() > 0, "{j1}");
    for field in ["ii", "lut", "ff", "dsp", "bram", "uram", "loops", "tool_version", "seconds", "key"] {
        assert!(j1.get(field).is_some(), "missing {field}: {j1}");
    }
    // Same design with a comment: the store answers.
    std::fs::write(&src, format!("// edited comment\n{VADD}")).unwrap();
    let j2 = json_of(&run());
    assert_eq!(j2["cached"], true);
    assert_eq!(j2["key"], j1["key"]);
    // The estimator's per-array report (a, b, c: interface arrays) survives the store.
    assert_eq!(j1["memories"].as_array().map(Vec::len), Some(3), "{j1}");
    for field in ["latency", "ii", "lut", "ff", "dsp", "bram", "loops", "memories"] {
        assert_eq!(j2[field], j1[field], "{field}");
    }

    let stats = hlsseek().args(["store", "stats", "--json", "--store"]).arg(&store).output().unwrap();
    assert!(stats.status.success());
    let s = json_of(&stats);
    assert_eq!((s["results"].as_u64(), s["hits"].as_u64(), s["misses"].as_u64()), (Some(1), Some(1), Some(1)));
    assert_eq!(s["hit_rate"].as_f64(), Some(0.5));
    assert_eq!(s["backends"][0]["backend"], "estimate");

    let human = hlsseek().args(["store", "stats", "--store"]).arg(&store).assert().success();
    let text = String::from_utf8_lossy(&human.get_output().stdout).into_owned();
    assert!(text.contains("hit rate 50.0%") && text.contains("estimate"), "{text}");

    let export = hlsseek().args(["store", "export", "--store"]).arg(format!("sqlite://{}", store.display())).output().unwrap();
    assert!(export.status.success());
    let lines: Vec<Value> =
        String::from_utf8(export.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["key"], j1["key"]);
    assert_eq!(lines[0]["status"], "ok");
    assert_eq!(lines[0]["result"]["result"]["Ok"]["qor"]["lut"], j1["lut"]);
}

#[test]
fn a_syntax_error_is_a_typed_failure_and_a_nonzero_exit() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("bad.c");
    std::fs::write(&src, "void bad(int a[4] {\n  return\n").unwrap();
    let out = hlsseek()
        .args(["synth", src.to_str().unwrap(), "--top", "bad", "--no-store"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAILED (syntax)") && text.contains("bad.c:"), "{text}");
}

#[test]
fn recorded_forgehls_returns_the_recorded_numbers() {
    let Some(json) = data("forgehls/kernels.json") else { return };
    let records = forgehls::load(&json).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("r.db");
    for r in records.iter().step_by(97) {
        let design = dir.path().join(format!("d{}", r.algo_name.replace('/', "_")));
        std::fs::create_dir_all(&design).unwrap();
        for f in r.files() {
            std::fs::write(design.join(&f.name), &f.text).unwrap();
        }
        let out = hlsseek()
            .args(["synth", design.to_str().unwrap(), "--top", &r.top_function_name, "--backend", "recorded", "--json", "--dataset"])
            .arg(&json)
            .arg("--store")
            .arg(&store)
            .output()
            .unwrap();
        let j = json_of(&out);
        assert!(out.status.success(), "{}: {j}", r.name());
        let q = r.qor();
        assert_eq!(j["lut"].as_u64(), Some(q.resources.lut), "{}", r.name());
        assert_eq!(j["ff"].as_u64(), Some(q.resources.ff));
        assert_eq!(j["dsp"].as_u64(), Some(q.resources.dsp));
        assert_eq!(j["bram"].as_u64(), Some(q.resources.bram));
        assert_eq!(j["latency"]["min"].as_u64(), q.latency.min);
        assert_eq!(j["latency"]["max"].as_u64(), q.latency.max);
        assert_eq!(j["part"], forgehls::PART);
        assert_eq!(j["tool_version"], "forgehls (Vitis HLS)");
    }
}

#[test]
fn space_render_composes_with_recorded_synth() {
    let Some(root) = data("hlsyn") else { return };
    let ds = hlsyn::Hlsyn::open(&root).unwrap();
    let kernel = ds.kernel("v20", "gemm-p").unwrap();
    let top = kernel.top().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join(&kernel.source.name);
    std::fs::write(&template, &kernel.source.text).unwrap();
    let rendered = dir.path().join("rendered");
    for r in kernel.records.iter().take(3) {
        let point = dir.path().join("point.json");
        std::fs::write(&point, serde_json::to_string(&r.point).unwrap()).unwrap();
        let space = hlsseek()
            .args(["space", template.to_str().unwrap(), "--top", &top, "--render"])
            .arg(format!("@{}", point.display()))
            .arg("--out")
            .arg(&rendered)
            .output()
            .unwrap();
        assert!(space.status.success(), "space --render: {}", String::from_utf8_lossy(&space.stderr));
        let out = hlsseek()
            .args(["synth", rendered.to_str().unwrap(), "--top", &top, "--backend", "recorded", "--json", "--no-store"])
            .arg("--dataset")
            .arg(&root)
            .output()
            .unwrap();
        let j = json_of(&out);
        assert_ne!(j["status"], "not_recorded", "{}: {j}", r.key);
        assert_eq!(j["tool_version"], "hlsyn-v20 (Vitis 2020.2)");
        match r.qor() {
            Some(q) => {
                assert_eq!(j["latency"]["max"].as_u64(), q.latency.max, "{}", r.key);
                assert_eq!(j["lut"].as_u64(), Some(q.resources.lut));
                assert_eq!(j["dsp"].as_u64(), Some(q.resources.dsp));
            }
            None => assert_eq!(j["status"], "tool_error", "{}: {j}", r.key),
        }
    }
    // v18 answers the same source from the other tool.
    let out = hlsseek()
        .args(["synth", rendered.to_str().unwrap(), "--top", &top, "--backend", "recorded", "--dataset-version", "v18", "--json", "--no-store", "--dataset"])
        .arg(&root)
        .output()
        .unwrap();
    let j = json_of(&out);
    if j["status"] != "not_recorded" {
        assert_eq!(j["tool_version"], "hlsyn-v18 (SDx 2018.3)");
    }
}

#[test]
fn recorded_without_a_record_says_not_recorded() {
    let Some(json) = data("forgehls/kernels.json") else { return };
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    let out = hlsseek()
        .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "recorded", "--no-store", "--dataset"])
        .arg(&json)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAILED (not_recorded)") && text.contains("no record of this design"), "{text}");
    hlsseek()
        .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "recorded", "--no-store"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("needs --dataset"));
}

fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(name);
    std::fs::write(&p, format!("#!/bin/sh\n{body}")).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn vitis_through_a_stand_in_tool_then_from_the_store() {
    let Some(report) = data("vitis-reports/systolic-multiplier/csynth.xml") else { return };
    let dir = tempfile::tempdir().unwrap();
    let tool = script(
        dir.path(),
        "vitis_hls",
        &format!(
            "if [ \"$1\" = -version ]; then echo 'Vitis HLS v2022.2 (64-bit)'; exit 0; fi\n\
             mkdir -p hlsseek_proj/solution1/syn/report && cp '{}' hlsseek_proj/solution1/syn/report/csynth.xml\n",
            report.display()
        ),
    );
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    let store = dir.path().join("r.db");
    let run = || {
        let out = hlsseek()
            .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "vitis", "--json", "--part", "xck26-sfvc784-2LV-c"])
            .arg("--vitis")
            .arg(&tool)
            .arg("--work-dir")
            .arg(dir.path().join("work"))
            .arg("--store")
            .arg(&store)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
        json_of(&out)
    };
    let j = run();
    assert_eq!((j["cached"].as_bool(), j["latency"]["max"].as_u64(), j["ii"].as_u64()), (Some(false), Some(260), Some(261)));
    assert_eq!((j["lut"].as_u64(), j["ff"].as_u64(), j["dsp"].as_u64()), (Some(26638), Some(18616), Some(192)));
    assert_eq!((j["tool"].as_str(), j["tool_version"].as_str(), j["backend_version"].as_str()), (Some("vitis_hls"), Some("2022.2"), Some("2022.2")));
    assert_eq!(run()["cached"], true);
}

#[test]
fn vitis_timeout_and_unavailable_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    let hang = script(dir.path(), "vitis_hls", "if [ \"$1\" = -version ]; then echo v2023.2; exit 0; fi\nsleep 300\n");
    let out = hlsseek()
        .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "vitis", "--timeout", "0.5", "--no-store"])
        .arg("--vitis")
        .arg(&hang)
        .arg("--work-dir")
        .arg(dir.path().join("work"))
        .timeout(std::time::Duration::from_secs(30))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAILED (timeout)") && text.contains("did not finish within 0.5 s"), "{text}");

    // No vitis on PATH.
    let empty = dir.path().join("empty-bin");
    std::fs::create_dir_all(&empty).unwrap();
    let out = hlsseek()
        .env("PATH", &empty)
        .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--backend", "vitis", "--no-store", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let j = json_of(&out);
    assert_eq!(j["status"], "unavailable");
    assert_eq!(j["failure"]["message"], "vitis_hls not found on PATH; install Vitis HLS or use --backend estimate|recorded");
}

#[test]
fn bad_store_urls_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    hlsseek()
        .args(["synth", src.to_str().unwrap(), "--top", "vadd", "--store", "mysql://host/db"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown scheme `mysql`"));
    hlsseek()
        .args(["store", "stats", "--store", "postgres://farm/hls"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("PostgreSQL store is not built yet"));
}

#[test]
fn the_default_store_comes_from_hlsseek_store() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("vadd.c");
    std::fs::write(&src, VADD).unwrap();
    let store = dir.path().join("env.db");
    hlsseek().env("HLSSEEK_STORE", &store).args(["synth", src.to_str().unwrap(), "--top", "vadd"]).assert().success();
    let s = json_of(&hlsseek().env("HLSSEEK_STORE", &store).args(["store", "stats", "--json"]).output().unwrap());
    assert_eq!(s["results"].as_u64(), Some(1));
}
