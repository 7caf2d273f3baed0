//! A Merlin `PARALLEL` whose factor does not divide the trip count: Merlin's loop tiling runs
//! N / f whole groups of f copies, then a copy of the loop without the pragma for the N mod f
//! iterations left (`merlin.peel_remainder`). Hand-computed on the xcu280 at 10 ns, where a body
//! of load, add and store takes 2 cycles and a pipeline adds `pipe_loop_overhead` = 2.
//! - `for i < 40`, factor 16 (innermost, pipelined by default): 40 / 16 = 2 groups of 16 copies
//!   (the arrays are banked by 16, so II 1): 2 + 1 · 1 + 2 = 5; then 8 left, one copy per
//!   iteration, pipelined: 2 + 1 · 7 + 2 = 11. The loop takes 16.
//! - The same with Vitis's `#pragma HLS unroll factor=16` (no remainder loop: the last group
//!   of copies runs partly idle): ⌈40 / 16⌉ = 3 iterations: 2 + 1 · 2 + 2 = 6.
//! - A loop of 8 holding a pipelined loop of 16, factor 3 (copies side by side): 2 groups,
//!   then 2 iterations one at a time; each iteration runs the inner pipeline once (2 + 15 + 2
//!   = 19 cycles), so both parts take 2 · (19 + seq_iter_overhead) + seq_loop_exit. Each group
//!   also bursts its 3 rows of `a` in and of `c` out (`merlin.parallel_refills`, tests/
//!   parallel_refills.rs): 512 B · 3/8 = 192 B, ⌈192 / bus⌉ + set-up cycles per array.

mod common;

use hlsseek_estimate::Profile;

fn loop_latency(src: &str, name: &str) -> (Option<u64>, Vec<String>) {
    let e = common::estimate_source("remainder.c", src.to_string(), "k");
    let l = e.loops.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no loop {name} in {:?}", e.loops));
    (l.latency.value(), e.notes)
}

#[test]
fn innermost_remainder_runs_after_the_groups() {
    let merlin = "#pragma ACCEL kernel\nvoid k(int a[40], int b[40]) {\n#pragma ACCEL PARALLEL FACTOR=16\n  L: for (int i = 0; i < 40; i++) {\n    b[i] = a[i] + 1;\n  }\n}\n";
    let (lat, notes) = loop_latency(merlin, "L");
    assert_eq!(lat, Some(16));
    assert!(notes.iter().any(|n| n.contains("loop L: the factor 16 does not divide the trip count: 8 iterations")), "{notes:?}");

    let vitis = "void k(int a[40], int b[40]) {\n#pragma HLS array_partition variable=a cyclic factor=16\n#pragma HLS array_partition variable=b cyclic factor=16\n  L: for (int i = 0; i < 40; i++) {\n#pragma HLS unroll factor=16\n    b[i] = a[i] + 1;\n  }\n}\n";
    assert_eq!(loop_latency(vitis, "L").0, Some(6));

    let divides = merlin.replace("40", "48");
    // 3 whole groups and nothing left: 2 + 1 · 2 + 2.
    let (lat, notes) = loop_latency(&divides, "L");
    assert_eq!(lat, Some(6));
    assert!(!notes.iter().any(|n| n.contains("does not divide")));
}

#[test]
fn coarse_remainder_runs_the_inner_loop_once_per_iteration() {
    let src = "#pragma ACCEL kernel\nvoid k(int a[8][16], int c[8][16]) {\n#pragma ACCEL PARALLEL FACTOR=3\n  L_i: for (int i = 0; i < 8; i++) {\n    L_j: for (int j = 0; j < 16; j++) {\n      c[i][j] = a[i][j] + 1;\n    }\n  }\n}\n";
    let prof = Profile::builtin("xcu280").unwrap();
    let c = &prof.control;
    let (inner, _) = loop_latency(src, "L_j");
    assert_eq!(inner, Some(19));
    let part = 2 * (19 + c.seq_iter_overhead) + c.seq_loop_exit;
    let refills = 2 * 2 * (192u64.div_ceil(prof.merlin.bus_bytes) + prof.merlin.burst_overhead);
    assert_eq!(loop_latency(src, "L_i").0, Some(2 * part + refills));
}
