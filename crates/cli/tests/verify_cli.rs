//! End-to-end tests of `hlsseek verify` and `hlsseek setup` on the shipped tasks: exit codes,
//! the JSON report, answer extraction, a hostile candidate, the throughput report.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::PathBuf;
use std::sync::OnceLock;

fn tasks() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tasks")
}

/// Runs `hlsseek setup headers` once (fetching from PyPI if nothing is cached).
fn setup() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| {
        let out = Command::cargo_bin("hlsseek")
            .unwrap()
            .args(["setup", "headers"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "`hlsseek setup headers` failed; these tests need the HLS headers from PyPI:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    });
}

fn verify(args: &[&str]) -> (i32, String) {
    setup();
    let out = Command::cargo_bin("hlsseek")
        .unwrap()
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not one JSON object ({e}): {stdout}"))
}

fn t(rel: &str) -> String {
    tasks().join(rel).display().to_string()
}

#[test]
fn reference_passes_with_exit_zero_and_json_report() {
    let (code, out) = verify(&[&t("fir"), &t("fir/fir.cpp"), "--json"]);
    let v = json(&out);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["passed"], true);
    assert_eq!(v["stage"], "run");
    assert_eq!(v["outcome"], "pass");
    assert!(v["seconds"].as_f64().unwrap() > 0.0);
    assert!(v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m["stdout"].as_str().unwrap().contains("PASS")));
}

#[test]
fn broken_variant_fails_with_exit_one() {
    let (code, out) = verify(&[&t("matmul"), &t("matmul/broken/off_by_one.cpp"), "--json"]);
    let v = json(&out);
    assert_eq!(code, 1);
    assert_eq!(
        (
            v["passed"].as_bool(),
            v["stage"].as_str(),
            v["outcome"].as_str()
        ),
        (Some(false), Some("run"), Some("fail"))
    );
}

#[test]
fn syntax_error_is_reported_at_syntax_with_compiler_messages() {
    let d = tempfile::tempdir().unwrap();
    let cand = d.path().join("vadd.cpp");
    std::fs::write(&cand, "#include \"vadd.h\"\nvoid vadd(const int a[N], const int b[N], int c[N]) { c[0] = a[0] + }\n").unwrap();
    let (code, out) = verify(&[&t("vadd"), cand.to_str().unwrap(), "--json"]);
    let v = json(&out);
    assert_eq!(code, 1);
    assert_eq!(v["stage"], "syntax");
    assert!(
        v["messages"]
            .to_string()
            .contains("expected primary-expression"),
        "{v}"
    );
}

#[test]
fn answer_is_extracted_first() {
    let d = tempfile::tempdir().unwrap();
    let reference = std::fs::read_to_string(tasks().join("prefix_sum/prefix_sum.cpp")).unwrap();
    let good = d.path().join("good.txt");
    std::fs::write(
        &good,
        format!("Here you go:\n```cpp\n{reference}```\nThe loop is pipelined."),
    )
    .unwrap();
    let (code, out) = verify(&[
        &t("prefix_sum"),
        "--answer",
        good.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(json(&out)["stage"], "compare");

    let none = d.path().join("none.txt");
    std::fs::write(&none, "I am not able to write this kernel.").unwrap();
    let (code, out) = verify(&[
        &t("prefix_sum"),
        "--answer",
        none.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(json(&out)["stage"], "extract");
}

#[test]
fn infinite_loop_times_out_quickly() {
    let d = tempfile::tempdir().unwrap();
    let cand = d.path().join("vadd.cpp");
    std::fs::write(&cand, "#include \"vadd.h\"\nvoid vadd(const int a[N], const int b[N], int c[N]) { volatile int k = 0; for (;;) k++; }\n").unwrap();
    let (code, out) = verify(&[
        &t("vadd"),
        cand.to_str().unwrap(),
        "--json",
        "--timeout",
        "1",
    ]);
    let v = json(&out);
    assert_eq!(code, 1);
    assert_eq!(
        (v["stage"].as_str(), v["outcome"].as_str()),
        (Some("run"), Some("timeout")),
        "{v}"
    );
    let run = v["messages"].as_array().unwrap().last().unwrap().clone();
    assert!(
        run["seconds"].as_f64().unwrap() < 3.0,
        "the run outlived its 1 s limit: {run}"
    );
    assert!(v["lint"].to_string().contains("unbounded-loop"));
}

#[test]
fn human_output_names_the_verdict() {
    setup();
    Command::cargo_bin("hlsseek")
        .unwrap()
        .args(["verify", &t("saxpy_hlseval"), &t("saxpy_hlseval/saxpy.cpp")])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("PASS saxpy_hlseval"));
}

#[test]
fn bad_task_folder_is_a_clear_error_with_exit_two() {
    let d = tempfile::tempdir().unwrap();
    Command::cargo_bin("hlsseek")
        .unwrap()
        .args(["verify", d.path().to_str().unwrap(), &t("vadd/vadd.cpp")])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no task.toml/task.json and no *_tb.cpp testbench",
        ));
}

#[test]
fn bench_reports_throughput() {
    let (code, out) = verify(&[&t("vadd"), &t("vadd/vadd.cpp"), "--bench", "4", "--json"]);
    assert_eq!(code, 0, "{out}");
    let v = json(&out);
    assert_eq!(v["verifications"], 4);
    assert_eq!(v["passed"], 4);
    assert!(v["per_cpu_second"].as_f64().unwrap() > 0.0);
}

#[test]
fn setup_reports_headers_and_sandbox() {
    setup();
    Command::cargo_bin("hlsseek")
        .unwrap()
        .args(["setup"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("HLS headers:")
                .and(predicate::str::contains("sandbox: uid drop")),
        );
}

/// The documented degraded mode: without Landlock (turned off here with
/// HLSSEEK_SANDBOX_DISABLE), a world-readable file outside the sandbox can be read, while the
/// uid drop still protects a 0600 one. With Landlock neither can.
#[test]
fn without_landlock_only_the_uid_drop_protects_files() {
    setup();
    let d = tempfile::tempdir().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let (open, private) = (d.path().join("open.txt"), d.path().join("private.txt"));
    std::fs::write(&open, "SECRET-OPEN-41").unwrap();
    std::fs::write(&private, "SECRET-PRIVATE-42").unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let cand = d.path().join("vadd.cpp");
    std::fs::write(
        &cand,
        format!(
            "#include \"vadd.h\"\n#include <cstdio>\n\
             static void leak(const char *p) {{ char b[64] = {{0}}; FILE *f = fopen(p, \"r\"); if (!f) return; fread(b, 1, 63, f); fclose(f); printf(\"%s\\n\", b); }}\n\
             void vadd(const int a[N], const int b[N], int c[N]) {{ leak(\"{}\"); leak(\"{}\"); for (int i = 0; i < N; i++) c[i] = a[i] + b[i]; }}\n",
            open.display(),
            private.display()
        ),
    )
    .unwrap();
    for disable in ["", "landlock"] {
        let out = Command::cargo_bin("hlsseek")
            .unwrap()
            .env("HLSSEEK_SANDBOX_DISABLE", disable)
            .args([
                "verify",
                &t("vadd"),
                cand.to_str().unwrap(),
                "--json",
                "--no-lint",
            ])
            .output()
            .unwrap();
        let v = json(&String::from_utf8_lossy(&out.stdout));
        assert_eq!(v["passed"], true, "{v}");
        let text = v["messages"].to_string();
        let landlock = v["sandbox"]["landlock_abi"].as_u64().unwrap() > 0;
        let uid_drop = v["sandbox"]["uid_drop"].as_bool().unwrap();
        if disable == "landlock" {
            assert!(!landlock, "HLSSEEK_SANDBOX_DISABLE=landlock ignored");
        }
        if landlock {
            assert!(
                !text.contains("SECRET-OPEN") && !text.contains("SECRET-PRIVATE"),
                "{text}"
            );
        } else if uid_drop {
            assert!(
                text.contains("SECRET-OPEN-41"),
                "a 0644 file is readable without Landlock: {text}"
            );
            assert!(
                !text.contains("SECRET-PRIVATE-42"),
                "the uid drop must protect a 0600 file: {text}"
            );
        }
    }
}
