//! End-to-end tests of `hlsseek estimate` and `hlsseek space` on the bundled examples and on
//! bad input: clear errors with a location, a non-zero exit code, never a panic.

use assert_cmd::Command;
use predicates::prelude::*;

mod common;
use common::{hlsseek, json_of};

#[test]
fn estimate_json_has_the_documented_fields() {
    let v = json_of(hlsseek().args(["estimate", "examples/gemm/gemm.cpp", "--top", "gemm", "--json"]));
    for field in ["latency", "ii", "lut", "ff", "dsp", "bram", "loops"] {
        assert!(v.get(field).is_some(), "missing `{field}` in {v}");
    }
    let lat = v["latency"]["max"].as_u64().expect("gemm has a defined latency");
    // 64×64 outputs, each at least 64/4 pipelined iterations: well above 64*64*16 cycles.
    assert!(lat >= 64 * 64 * 16, "latency {lat} too small for a 64³ GEMM unrolled by 4");
    let loops = v["loops"].as_array().unwrap();
    assert!(loops.iter().any(|l| l["name"] == "dot"), "the labelled `dot` loop is reported: {loops:?}");
}

/// `--ir` shows what the estimator is given: the kernel's functions, its labelled loops and the
/// pragmas attached to them.
#[test]
fn estimate_ir_prints_the_kernel() {
    let v = json_of(hlsseek().args(["estimate", "examples/gemm/gemm.cpp", "--top", "gemm", "--ir"]));
    assert_eq!(v["top"], "gemm");
    let text = v.to_string();
    assert!(v["functions"].as_array().is_some_and(|f| !f.is_empty()), "no functions in {text}");
    assert!(text.contains("\"dot\""), "the `dot` loop label is in the IR");
    assert!(v.get("latency").is_none(), "--ir does not estimate");
}

#[test]
fn estimate_table_is_readable() {
    hlsseek()
        .args(["estimate", "examples/atax-polybench/atax.c", "--top", "kernel_atax", "--part", "xcu280"])
        .assert()
        .success()
        .stdout(predicate::str::contains("latency").and(predicate::str::contains("BRAM18K")));
}

/// A tool release's profile is chosen by name and named in both outputs; SDx 2018.3 builds the
/// 1-Kbit banks of a partitioned buffer in block RAM where Vitis 2020.2 uses LUTRAM.
#[test]
fn a_release_profile_is_chosen_by_name_and_named() {
    let file = "crates/cli/tests/fixtures/partitioned_buffer.c";
    let run = |part: &str| json_of(hlsseek().args(["estimate", file, "--top", "k", "--part", part, "--json"]));
    let (vitis, sdx) = (run("vu9p"), run("vu9p-sdx2018"));
    assert_eq!((vitis["profile"].as_str(), vitis["tool"].as_str()), (Some("vu9p"), Some("vitis-2020.2")));
    assert_eq!((sdx["profile"].as_str(), sdx["tool"].as_str()), (Some("vu9p-sdx2018"), Some("sdx-2018.3")));
    assert_eq!(sdx["part"], vitis["part"]);
    assert_eq!((vitis["bram"].as_u64(), sdx["bram"].as_u64()), (Some(0), Some(8)));
    hlsseek()
        .args(["estimate", file, "--top", "k", "--part", "vu9p-sdx2018"])
        .assert()
        .success()
        .stdout(predicate::str::contains("profile vu9p-sdx2018, sdx-2018.3"));
    // The same profile by part and release; a release no profile models keeps the part's own.
    let by_release = json_of(hlsseek().args(["estimate", file, "--top", "k", "--part", "xcvu9p", "--tool", "sdx-2018.3", "--json"]));
    assert_eq!((by_release["profile"].as_str(), by_release["bram"].as_u64()), (Some("vu9p-sdx2018"), Some(8)));
    let unknown = json_of(hlsseek().args(["estimate", file, "--top", "k", "--part", "vu9p", "--tool", "vitis-2024.2", "--json"]));
    assert_eq!(unknown["profile"].as_str(), Some("vu9p"));
    let said = unknown["warnings"].to_string();
    assert!(said.contains("no shipped profile") && said.contains("vitis-2024.2"), "{said}");
}

#[test]
fn dataflow_example_estimates() {
    let v = json_of(hlsseek().args(["estimate", "examples/dataflow/stages.cpp", "--top", "stages", "--json"]));
    let lat = v["latency"]["max"].as_u64().unwrap();
    let ii = v["ii"].as_u64().unwrap();
    // Three 512-iteration II=1 stages overlap: the interval is about one stage, not three.
    assert!((512..2 * 512).contains(&ii), "dataflow interval {ii}");
    assert!((512..3 * 512 + 100).contains(&lat), "dataflow latency {lat}");
}

/// `BIND_STORAGE impl=uram` shows as URAM in both outputs, and a `BIND_OP` that names no
/// operation is a warning that does not stop the estimate.
#[test]
fn storage_bindings_reach_the_report() {
    let file = "crates/front/tests/fixtures/bind_storage.cpp";
    let v = json_of(hlsseek().args(["estimate", file, "--top", "bind_storage", "--json"]));
    assert_eq!((v["bram"].as_u64(), v["uram"].as_u64()), (Some(10), Some(1)), "{v}");
    hlsseek().args(["estimate", file, "--top", "bind_storage"]).assert().success().stdout(predicate::str::contains("URAM"));
    hlsseek()
        .args(["estimate", "crates/front/tests/fixtures/bind_op.cpp", "--top", "bind_op"])
        .assert()
        .success()
        .stderr(predicate::str::contains("bind_op.cpp:31:1").and(predicate::str::contains("BIND_OP variable=s op=mul")));
}

/// The memory table: every array with its storage, in both outputs.
#[test]
fn estimate_reports_each_array() {
    let file = "crates/front/tests/fixtures/bind_storage.cpp";
    let v = json_of(hlsseek().args(["estimate", file, "--top", "bind_storage", "--json"]));
    let memories = v["memories"].as_array().expect("a `memories` list");
    let ultra = memories.iter().find(|m| m["name"] == "ultra").expect("array `ultra` listed");
    assert_eq!((ultra["storage"].as_str(), ultra["uram"].as_u64(), ultra["banks"].as_u64()), (Some("uram"), Some(1), Some(1)), "{ultra}");
    hlsseek()
        .args(["estimate", file, "--top", "bind_storage"])
        .assert()
        .success()
        .stdout(predicate::str::contains("storage").and(predicate::str::contains("lutram")).and(predicate::str::contains("1024 × 32")));
}

fn assert_clean_failure(cmd: &mut Command, needle: &str) {
    cmd.assert()
        .failure()
        .stderr(predicate::str::contains(needle).and(predicate::str::contains("panicked").not()));
}

#[test]
fn broken_cpp_names_the_place() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("broken.cpp");
    std::fs::write(&f, "void k(int a[4]) {\n  for (int i = 0; i < 4; i++ {\n    a[i] = i;\n}\n").unwrap();
    assert_clean_failure(hlsseek().arg("estimate").arg(&f).args(["--top", "k"]), "broken.cpp:");
}

#[test]
fn missing_top_is_reported() {
    assert_clean_failure(
        hlsseek().args(["estimate", "examples/gemm/gemm.cpp", "--top", "nope"]),
        "nope",
    );
}

#[test]
fn unknown_part_lists_the_known_ones() {
    assert_clean_failure(
        hlsseek().args(["estimate", "examples/gemm/gemm.cpp", "--top", "gemm", "--part", "xc9000"]),
        "xcu280",
    );
}

#[test]
fn missing_file_is_reported() {
    assert_clean_failure(hlsseek().args(["estimate", "no/such/file.cpp", "--top", "k"]), "no/such/file.cpp");
}

#[test]
fn binary_file_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("blob.cpp");
    std::fs::write(&f, [0x7fu8, b'E', b'L', b'F', 0, 0, 0xff, 0xfe, 0, 1, 2, 3]).unwrap();
    assert_clean_failure(hlsseek().arg("estimate").arg(&f).args(["--top", "k"]), "blob.cpp");
}

#[test]
fn huge_source_is_rejected_with_its_size() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("huge.cpp");
    let mut text = String::from("void k(int a[4]) { a[0] = 1; }\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("// padding padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(&f, text).unwrap();
    assert_clean_failure(hlsseek().arg("estimate").arg(&f).args(["--top", "k"]), "huge.cpp");
}

#[test]
fn space_lists_knobs_and_renders_a_point_that_estimates() {
    let v = json_of(hlsseek().args(["space", "examples/fir-space/fir.c", "--top", "fir", "--json"]));
    let names: Vec<&str> = v.as_array().unwrap().iter().map(|k| k["name"].as_str().unwrap()).collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for n in ["__PIPE__L0", "__TILE__L0", "__PARA__L0", "__PARA__L1"] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    hlsseek()
        .args(["space", "examples/fir-space/fir.c", "--top", "fir", "--render"])
        .arg("__PIPE__L0=,__TILE__L0=1,__PARA__L0=4,__PARA__L1=64")
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let rendered = std::fs::read_to_string(dir.path().join("fir.c")).unwrap();
    assert!(!rendered.contains("auto{__"), "placeholders left in:\n{rendered}");
    assert!(!rendered.contains("__PIPE__L0"), "an empty PIPELINE value drops the pragma");
    assert!(rendered.contains("FACTOR=64"));
    let fast = json_of(hlsseek().arg("estimate").arg(dir.path().join("fir.c")).args(["--top", "fir", "--part", "vu9p", "--json"]));

    let slow_dir = tempfile::tempdir().unwrap();
    hlsseek()
        .args(["space", "examples/fir-space/fir.c", "--top", "fir", "--render"])
        .arg("__PIPE__L0=off,__TILE__L0=1,__PARA__L0=1,__PARA__L1=1")
        .arg("--out")
        .arg(slow_dir.path())
        .assert()
        .success();
    let slow = json_of(hlsseek().arg("estimate").arg(slow_dir.path().join("fir.c")).args(["--top", "fir", "--part", "vu9p", "--json"]));
    assert!(
        fast["latency"]["max"].as_u64() < slow["latency"]["max"].as_u64(),
        "four outputs at a time must beat one: {} vs {}",
        fast["latency"],
        slow["latency"]
    );
}

#[test]
fn a_point_missing_a_knob_is_an_error() {
    assert_clean_failure(
        hlsseek().args(["space", "examples/fir-space/fir.c", "--top", "fir", "--render", "__PARA__L0=2"]),
        "__",
    );
}

/// `--profile FILE.toml` estimates with a profile of one's own (calibration): a cheaper fadd
/// in a copy of the shipped xcu280 profile lowers the LUTs of a float kernel, and a profile
/// that is not one is an error naming the file, not a panic.
#[test]
fn a_profile_file_replaces_the_shipped_profile() {
    let shipped = std::fs::read_to_string(common::repo().join("crates/estimate/profiles/xcu280.toml")).unwrap();
    let marker = "# fadd/fsub (full_dsp)";
    let at = shipped.find(marker).expect("the fadd row of the shipped profile");
    let row_end = at + shipped[at..].find("\ndsp = ").unwrap();
    let cheap = format!("{}{}", &shipped[..at], shipped[at..row_end].replacen("\nlut = 200.0", "\nlut = 20.0", 1)) + &shipped[row_end..];
    assert_ne!(cheap, shipped, "the fadd row's LUT was edited");
    let dir = tempfile::tempdir().unwrap();
    let (own, bad) = (dir.path().join("own.toml"), dir.path().join("bad.toml"));
    std::fs::write(&own, cheap).unwrap();
    std::fs::write(&bad, "name = 1").unwrap();
    let args = |extra: &[&str]| {
        let mut a = vec!["estimate", "examples/gemm/gemm.cpp", "--top", "gemm", "--json"];
        a.extend_from_slice(extra);
        a.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let base = json_of(hlsseek().args(args(&[])));
    let mine = json_of(hlsseek().args(args(&["--profile", own.to_str().unwrap()])));
    assert!(mine["lut"].as_u64() < base["lut"].as_u64(), "{} vs {}", mine["lut"], base["lut"]);
    assert_eq!(mine["latency"], base["latency"]);
    hlsseek()
        .args(args(&["--profile", bad.to_str().unwrap()]))
        .assert()
        .failure()
        .stderr(predicate::str::contains("bad.toml").and(predicate::str::contains("panicked").not()));
}
