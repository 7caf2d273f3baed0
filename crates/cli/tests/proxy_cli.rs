//! End-to-end tests of `hlsseek proxy`: compare two designs (fields, antisymmetry, clean errors),
//! evaluate and train on a small cut of the shared HLSyn data (skipped when it is absent), and
//! refuse a bad model folder clearly.

use predicates::prelude::*;
use std::path::{Path, PathBuf};

mod common;
use common::{hlsseek, json_of, repo};

/// Two variants of the bundled GEMM: the shipped one (unroll 4) and one unrolled by 16.
/// (Not asserted: which is faster. The shipped model is trained on Merlin HLSyn kernels and is
/// honestly unsure about Vitis-pragma designs like these; see docs/proxy.md.)
fn gemm_pair(dir: &Path) -> (PathBuf, PathBuf) {
    let src = std::fs::read_to_string(repo().join("examples/gemm/gemm.cpp")).unwrap();
    let a = dir.join("gemm_uf4.cpp");
    let b = dir.join("gemm_uf16.cpp");
    std::fs::write(&a, &src).unwrap();
    std::fs::write(&b, src.replace("#define UF 4", "#define UF 16")).unwrap();
    (a, b)
}

fn compare(a: &Path, b: &Path) -> serde_json::Value {
    json_of(hlsseek().args(["proxy", "compare"]).arg(a).arg(b).args(["--top", "gemm", "--json"]))
}

#[test]
fn compare_reports_probabilities_that_swap_with_the_designs() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = gemm_pair(dir.path());
    let ab = compare(&a, &b);
    let ba = compare(&b, &a);
    let f = |v: &serde_json::Value, k: &str| v[k].as_f64().unwrap_or_else(|| panic!("missing {k} in {v}"));
    let total = f(&ab, "p_a_dominates") + f(&ab, "p_b_dominates") + f(&ab, "p_neither");
    assert!((total - 1.0).abs() < 1e-4, "{ab}");
    assert!((f(&ab, "p_a_dominates") - f(&ba, "p_b_dominates")).abs() < 1e-5);
    assert!((f(&ab, "p_latency_a_faster") - (1.0 - f(&ba, "p_latency_a_faster"))).abs() < 1e-5);
    for k in ["dominance_entropy", "latency_entropy"] {
        let u = ab["uncertainty"][k].as_f64().unwrap();
        assert!((0.0..=1.0 + 1e-6).contains(&u), "{k} = {u}");
        assert!((u - ba["uncertainty"][k].as_f64().unwrap()).abs() < 1e-5, "uncertainty is symmetric");
    }

    hlsseek()
        .args(["proxy", "compare"])
        .arg(&a)
        .arg(&b)
        .args(["--top", "gemm"])
        .assert()
        .success()
        .stdout(predicate::str::contains("P(A dominates B)").and(predicate::str::contains("uncertainty")));
}

#[test]
fn compare_fails_cleanly_on_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (a, _) = gemm_pair(dir.path());
    let missing = dir.path().join("nope.cpp");
    hlsseek()
        .args(["proxy", "compare"])
        .arg(&a)
        .arg(&missing)
        .args(["--top", "gemm"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("nope.cpp").and(predicate::str::contains("panicked").not()));
    let bad_model = dir.path().join("model");
    std::fs::create_dir_all(&bad_model).unwrap();
    std::fs::write(bad_model.join("model.safetensors"), b"\x00garbage").unwrap();
    std::fs::write(bad_model.join("meta.json"), b"{}").unwrap();
    hlsseek()
        .args(["proxy", "compare"])
        .arg(&a)
        .arg(&a)
        .args(["--top", "gemm", "--model"])
        .arg(&bad_model)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not usable").and(predicate::str::contains("panicked").not()));
}

/// A one-kernel HLSyn folder cut from the shared data, or None when it is absent.
fn hlsyn_cut(dir: &Path, kernel: &str) -> Option<PathBuf> {
    let shared = repo().join("../shared/data/hlsyn");
    if !shared.is_dir() {
        eprintln!("skipped: HLSyn data not found at {}", shared.display());
        return None;
    }
    let root = dir.join("hlsyn");
    std::fs::create_dir_all(root.join("designs/v20")).unwrap();
    std::fs::create_dir_all(root.join("sources")).unwrap();
    std::fs::copy(shared.join(format!("designs/v20/{kernel}.json")), root.join(format!("designs/v20/{kernel}.json"))).unwrap();
    let src = format!("sources/{kernel}_kernel.c");
    std::fs::copy(shared.join(&src), root.join(&src)).unwrap();
    std::fs::create_dir_all(root.join("designs/v18")).unwrap();
    Some(root)
}

#[test]
fn eval_counts_every_pair_of_valid_designs() {
    let dir = tempfile::tempdir().unwrap();
    let Some(root) = hlsyn_cut(dir.path(), "aes") else { return };
    let v = json_of(hlsseek().args(["proxy", "eval", "--hlsyn"]).arg(&root).args(["--version", "v20", "--json", "--passes", "4"]));
    // aes has 8 valid v20 designs with complete numbers: 28 pairs.
    assert_eq!(v["pairs"], 28, "{v}");
    for k in ["dominance_accuracy", "dominance_balanced_accuracy", "latency_accuracy"] {
        let x = v[k].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{k} = {x}");
    }
    assert_eq!(v["per_kernel"].as_array().unwrap().len(), 1);
    assert!(v["calibration"]["dominance"]["certain_accuracy"].as_f64().is_some());
}

#[test]
fn train_writes_a_model_that_eval_reads() {
    let dir = tempfile::tempdir().unwrap();
    let Some(root) = hlsyn_cut(dir.path(), "aes") else { return };
    let out = dir.path().join("model");
    hlsseek().args(["proxy", "train", "--hlsyn"]).arg(&root).arg("--out").arg(&out).args(["--epochs", "2"]).assert().success();
    assert!(out.join("model.safetensors").is_file() && out.join("meta.json").is_file());
    let meta: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("meta.json")).unwrap()).unwrap();
    assert_eq!(meta["training"]["designs"], 8);
    assert!(meta["training"]["data_hash"].as_str().is_some_and(|h| !h.is_empty()));
    let v = json_of(hlsseek().args(["proxy", "eval", "--hlsyn"]).arg(&root).arg("--model").arg(&out).args(["--version", "v20", "--json"]));
    assert_eq!(v["pairs"], 28);
}
