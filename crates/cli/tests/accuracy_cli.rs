//! End-to-end tests of `hlsseek accuracy` on pieces of the published datasets, cut at run time.

use assert_cmd::Command;

mod common;
use common::shared_data;

fn run_json(args: &[&str]) -> serde_json::Value {
    let out = Command::cargo_bin("hlsseek").unwrap().args(args).assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("one JSON object")
}

fn check_common(v: &serde_json::Value, total: u64) {
    assert_eq!(v["total"].as_u64(), Some(total), "{v}");
    assert!(v["handled"].as_u64().unwrap() <= total);
    assert!(v["failures"].is_object());
    assert!(v["estimate_seconds_median"].as_f64().is_some());
    for m in ["latency", "lut", "ff", "dsp", "bram"] {
        assert!(v[m].get("mdape").is_some() && v[m].get("spearman").is_some(), "{m} in {v}");
    }
}

#[test]
fn forgehls_cut_reports_every_metric() {
    let Some(data) = shared_data() else { return };
    let text = std::fs::read_to_string(data.join("forgehls/kernels.json")).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let cut: Vec<_> = all.into_iter().step_by(25).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kernels.json");
    std::fs::write(&path, serde_json::to_string(&cut).unwrap()).unwrap();
    let v = run_json(&["accuracy", "forgehls", path.to_str().unwrap(), "--json"]);
    check_common(&v, cut.len() as u64);
}

#[test]
fn hlsyn_cut_reports_per_kernel_ranking() {
    let Some(data) = shared_data() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("designs/v20")).unwrap();
    std::fs::create_dir_all(dir.path().join("sources")).unwrap();
    let mut total = 0;
    for kernel in ["gemm-p", "atax"] {
        let text = std::fs::read_to_string(data.join(format!("hlsyn/designs/v20/{kernel}.json"))).unwrap();
        let all: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&text).unwrap();
        let cut: serde_json::Map<_, _> = all.into_iter().step_by(20).take(60).collect();
        total += cut.len();
        std::fs::write(dir.path().join(format!("designs/v20/{kernel}.json")), serde_json::to_string(&cut).unwrap()).unwrap();
        let src = format!("{kernel}_kernel.c");
        std::fs::copy(data.join("hlsyn/sources").join(&src), dir.path().join("sources").join(&src)).unwrap();
    }
    let designs = dir.path().join("designs.tsv");
    let v = run_json(&["accuracy", "hlsyn", dir.path().to_str().unwrap(), "--version", "v20", "--json", "--designs", designs.to_str().unwrap()]);
    check_common(&v, total as u64);
    // One line per design after the header; recorded and estimated latency side by side.
    let text = std::fs::read_to_string(&designs).unwrap();
    let lines: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    assert_eq!(lines.len(), total + 1);
    assert_eq!(&lines[0][..4], ["#group", "name", "true_latency", "est_latency"]);
    assert!(lines[1..].iter().all(|l| l.len() == lines[0].len() && ["gemm-p", "atax"].contains(&l[0])));
    let with_both = lines[1..].iter().filter(|l| l[2].parse::<f64>().is_ok() && l[3].parse::<f64>().is_ok()).count();
    assert_eq!(with_both as u64, v["latency"]["n"].as_u64().unwrap());
    assert!(v["latency"].get("median_kernel_spearman").is_some());
    assert!(v["latency"].get("pair_order_accuracy").is_some());
    assert_eq!(v["per_kernel"].as_array().unwrap().len(), 2);
    for m in ["lut", "ff", "dsp"] {
        assert!(v[m]["median_kernel_spearman"].is_f64(), "{m}: {}", v[m]);
    }
    // The Pareto relation of every pair of designs of a kernel: n(n-1)/2 pairs per kernel, and
    // the shares are shares.
    let kernels = v["per_kernel"].as_array().unwrap();
    let pairs: u64 = kernels.iter().map(|k| k["dominance"]["pairs"].as_u64().unwrap()).sum();
    assert_eq!(v["dominance"]["pairs"].as_u64(), Some(pairs));
    let compared = v["compared"].as_u64().unwrap();
    assert!(pairs > 0 && pairs < compared * compared / 2, "{pairs} pairs of {compared} designs");
    for key in ["agreement", "neither_baseline"] {
        let x = v["dominance"][key].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&x), "{key} = {x}");
    }
}

#[test]
fn a_missing_dataset_is_a_clear_error() {
    Command::cargo_bin("hlsseek")
        .unwrap()
        .args(["accuracy", "hlsyn", "/no/such/dir"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("/no/such/dir"));
}
