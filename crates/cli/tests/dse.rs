//! End-to-end tests of `hlsseek dse` and `hlsseek experiment dse`.

mod common;

use common::{hlsseek, json_of, shared_data};

#[test]
fn dse_on_the_fir_template_reports_the_front_as_json() {
    let v = json_of(hlsseek().args([
        "dse",
        "examples/fir-space/fir.c",
        "--top",
        "fir",
        "--budget",
        "8",
        "--pool",
        "100",
        "--passes",
        "4",
        "--backend",
        "estimate",
        "--no-store",
        "--json",
    ]));
    assert_eq!(v["spent"], 8);
    assert_eq!(v["budget"], 8);
    assert_eq!(v["strategy"], "proxy");
    assert_eq!(v["knobs"].as_array().unwrap().len(), 4);
    assert_eq!(v["pool"]["origin"], "sampled");
    let evaluated = v["evaluated"].as_array().unwrap();
    assert_eq!(evaluated.len(), 8);
    let points: std::collections::HashSet<String> = evaluated.iter().map(|e| e["point"].to_string()).collect();
    assert_eq!(points.len(), 8, "no design is synthesized twice");
    assert_eq!(evaluated[0]["pick"]["by"], "default");
    let front = v["front"].as_array().unwrap();
    assert!(!front.is_empty());
    for f in front {
        assert!(points.contains(&f["point"].to_string()), "the front is made of synthesized designs");
        assert_eq!(f["on_front"], true);
    }
    let best = &v["best_latency"];
    assert_eq!(best["qor"]["latency"], front[0]["qor"]["latency"], "the front is listed fastest first");
    let text = best["files"][0]["text"].as_str().unwrap();
    assert!(text.contains("#pragma ACCEL PARALLEL") && !text.contains("auto{__"), "the rendered source of the best design");
}

#[test]
fn dse_draws_the_plot_and_prints_a_table() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("front.png");
    let out = hlsseek()
        .args(["dse", "examples/fir-space/fir.c", "--top", "fir", "--budget", "6", "--pool", "60", "--passes", "4", "--no-store", "--plot"])
        .arg(&png)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(text.contains("Pareto front"), "{text}");
    assert!(text.contains("Lowest-latency design"), "{text}");
    assert!(text.contains("#pragma ACCEL kernel"), "the best design's source is printed");
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "a PNG file");
    assert!(bytes.len() > 2000);
}

#[test]
fn dse_answers_a_repeated_run_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("results.db");
    let args = |random: bool| {
        let mut a: Vec<String> = ["dse", "examples/fir-space/fir.c", "--top", "fir", "--budget", "5", "--pool", "40", "--passes", "2", "--json", "--store"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        a.push(db.display().to_string());
        if random {
            a.push("--random".into());
        }
        a
    };
    let first = json_of(hlsseek().args(args(false)));
    assert_eq!(first["cached"], 0);
    let second = json_of(hlsseek().args(args(false)));
    assert_eq!(second["cached"], 5, "the same search again costs no synthesis");
    let random = json_of(hlsseek().args(args(true)));
    assert_eq!(random["strategy"], "random");
    assert_eq!(random["spent"], 5);
}

#[test]
fn dse_tunes_the_pragmas_of_a_plain_kernel() {
    let v = json_of(hlsseek().args([
        "dse",
        "examples/gemm/gemm.cpp",
        "--top",
        "gemm",
        "--budget",
        "4",
        "--pool",
        "30",
        "--passes",
        "2",
        "--no-store",
        "--json",
    ]));
    let knobs: Vec<&str> = v["knobs"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert!(knobs.contains(&"__PARA__L4"), "{knobs:?}");
    assert_eq!(v["spent"], 4);
    let text = v["best_latency"]["files"][0]["text"].as_str().unwrap();
    assert!(text.contains("#pragma HLS UNROLL factor="), "{text}");
}

#[test]
fn dse_refuses_bad_input_with_a_message() {
    hlsseek()
        .args(["dse", "examples/fir-space/fir.c", "--top", "fir", "--budget", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--budget"));
    hlsseek()
        .args(["dse", "examples/fir-space/fir.c", "--top", "fir", "--backend", "recorded"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--hlsyn"));
    hlsseek()
        .args(["dse", "examples/dataflow/stages.cpp", "--top", "no_such_function", "--no-store"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no_such_function"));
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("plain.c");
    std::fs::write(&plain, "void k(int a[4]) { for (int i = 0; i < 4; i++) a[i] = i; }\n").unwrap();
    hlsseek().args(["dse"]).arg(&plain).args(["--top", "k", "--no-store"]).assert().code(2).stderr(predicates::str::contains("no knobs"));
}

#[test]
fn dse_with_recorded_hlsyn_uses_the_kernels_recorded_points() {
    let Some(data) = shared_data() else { return };
    let root = data.join("hlsyn");
    let v = json_of(
        hlsseek()
            .args(["dse"])
            .arg(root.join("sources/doitgen_kernel.c"))
            .args(["--top", "kernel_doitgen", "--backend", "recorded", "--hlsyn"])
            .arg(&root)
            .args(["--budget", "6", "--passes", "4", "--no-store", "--json"]),
    );
    assert_eq!(v["pool_source"], "hlsyn:doitgen");
    assert_eq!(v["pool"]["origin"], "given");
    assert_eq!(v["spent"], 6);
    for e in v["evaluated"].as_array().unwrap() {
        assert_ne!(e["status"], "not_recorded", "every candidate is a recorded point: {e}");
    }
}

#[test]
fn experiment_dse_reports_adrs_for_proxy_and_random() {
    let Some(data) = shared_data() else { return };
    let v = json_of(
        hlsseek()
            .args(["experiment", "dse", "--hlsyn"])
            .arg(data.join("hlsyn"))
            .args(["--kernels", "doitgen", "--budget", "8", "--seeds", "2", "--passes", "4", "--json"]),
    );
    let k = &v["kernels"][0];
    assert_eq!(k["kernel"], "doitgen");
    assert_eq!(k["proxy"].as_array().unwrap().len(), 2);
    assert_eq!(k["random"].as_array().unwrap().len(), 2);
    let p = k["proxy_mean"].as_f64().unwrap();
    assert!(p >= 0.0 && p.is_finite(), "{k}");
    assert_eq!(v["summary"]["kernels"], 1);
    assert_eq!(v["selection"], "given with --kernels");
}
