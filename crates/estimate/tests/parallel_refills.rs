//! A coarse-grained Merlin `PARALLEL` (a partial factor on a loop holding loops whose iterations
//! carry no dependence): every group of copies bursts its own slices of the top-level arrays the
//! loop's variable indexes in before it runs and out after, inside the loop, so those arrays
//! move once per group instead of once for the kernel (`merlin.parallel_refills`).
//!
//! Hand-computed with the profile's bus width B and burst set-up O: `a` and `b` are 8 × 16
//! doubles (1,024 bytes each); factor 2 on `i` makes 4 groups, each moving 2 rows (256 bytes) of
//! `a` in and of `b` out. With the rule: 4 · 2 · (⌈256 / B⌉ + O) cycles of bursts inside the
//! loop; without: 2 · (⌈1024 / B⌉ + O) once for the kernel. Nothing else differs.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};

fn run(src: &str, refills: bool) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: "refills.c".into(), text: src.into() }], "k", &FrontOptions::default()).unwrap();
    let mut prof = Profile::builtin("xcu280").unwrap();
    prof.merlin.parallel_refills = refills;
    estimate(&k, &prof, Some(10.0)).unwrap()
}

fn latency(e: &Estimate) -> u64 {
    e.qor.latency.value().expect("constant trip counts")
}

const ROWS: &str = "#pragma ACCEL kernel\nvoid k(double a[8][16], double b[8][16]) {\n#pragma ACCEL PARALLEL FACTOR=2\n  L_i: for (int i = 0; i < 8; i++) {\n    L_j: for (int j = 0; j < 16; j++) {\n      b[i][j] = a[i][j] * 2.0;\n    }\n  }\n}\n";

#[test]
fn each_group_of_copies_moves_its_own_rows() {
    let prof = Profile::builtin("xcu280").unwrap();
    assert!(prof.merlin.parallel_refills);
    assert!(Profile::builtin("vu9p").unwrap().merlin.parallel_refills);
    let (bus, setup) = (prof.merlin.bus_bytes, prof.merlin.burst_overhead);
    let burst = |bytes: u64| bytes.div_ceil(bus) + setup;
    let with = run(ROWS, true);
    let without = run(ROWS, false);
    let expected = 4 * 2 * burst(256) - 2 * burst(1024);
    assert_eq!(latency(&with) - latency(&without), expected);
    // The bursts belong to the parallel loop: its report carries them.
    let loop_lat = |e: &Estimate| e.loops.iter().find(|l| l.name == "L_i").and_then(|l| l.latency.value()).unwrap();
    assert_eq!(loop_lat(&with) - loop_lat(&without), 4 * 2 * burst(256));
}

#[test]
fn copies_that_update_shared_data_are_refused_and_move_nothing_more() {
    // Every copy of `i` adds into the same `y[j]`: Merlin drops the pragma (CGPAR_WARNING_13).
    let src = "#pragma ACCEL kernel\nvoid k(double A[8][16], double x[16], double y[16]) {\n#pragma ACCEL PARALLEL FACTOR=2\n  L_i: for (int i = 0; i < 8; i++) {\n    L_j: for (int j = 0; j < 16; j++) {\n      y[j] += A[i][j] * x[j];\n    }\n  }\n}\n";
    assert_eq!(latency(&run(src, true)), latency(&run(src, false)));
}
