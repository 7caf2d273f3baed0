//! A Merlin `PARALLEL` on a loop holding a loop whose copies cannot run side by side (every copy
//! of `i` updates the same `y[j]`, so the banks of `y` cannot be split per copy): the copies run
//! one after another, and one instance of the inner loop's hardware serves them all
//! (`merlin.sequential_copies_share`, after HLSyn's atax, whose recorded DSP count is the same at
//! factors 1 and 116). Merlin refuses this particular PARALLEL outright (`refused_parallel.rs`:
//! the copies overlap, and `y[j]` cannot be split per copy); the sharing is tested here with
//! both refusals off, as it stands for copies that run in sequence
//! for other reasons. The only DSP users are the inner loop's double multiply and add, so:
//! - sharing on: factors 2 and 4 have the same DSPs (one instance of the inner loop);
//! - sharing off (a Vitis partial unroll's copies): factor 4 has 4 × those, factor 2 twice;
//! - the latency is the same either way (the copies of the inner loop run in sequence).
//!
//! Factor 1 is not comparable: Merlin's automatic pipelining then pipelines `i` and unrolls `j`
//! into it.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};

fn kernel(factor: u32) -> String {
    format!(
        "#pragma ACCEL kernel\nvoid k(double A[8][16], double x[16], double y[16]) {{\n#pragma ACCEL PARALLEL FACTOR={factor}\n  L_i: for (int i = 0; i < 8; i++) {{\n    L_j: for (int j = 0; j < 16; j++) {{\n      y[j] += A[i][j] * x[j];\n    }}\n  }}\n}}\n"
    )
}

fn run(factor: u32, share: bool) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: "shared.c".into(), text: kernel(factor) }], "k", &FrontOptions::default()).unwrap();
    let mut prof = Profile::builtin("xcu280").unwrap();
    prof.merlin.sequential_copies_share = share;
    prof.merlin.refuse_overlapping_parallel = false;
    prof.merlin.refuse_unsplittable_parallel = false;
    estimate(&k, &prof, Some(10.0)).unwrap()
}

#[test]
fn sequential_copies_share_the_inner_loop_hardware() {
    assert!(Profile::builtin("xcu280").unwrap().merlin.sequential_copies_share);
    assert!(Profile::builtin("vu9p").unwrap().merlin.sequential_copies_share);
    let shared = run(4, true);
    let replicated = run(4, false);
    let one = shared.qor.resources.dsp;
    assert!(one > 0, "the inner loop multiplies and adds doubles: {:?}", shared.qor.resources);
    assert_eq!(run(2, true).qor.resources.dsp, one);
    assert_eq!(replicated.qor.resources.dsp, 4 * one);
    assert_eq!(run(2, false).qor.resources.dsp, 2 * one);
    assert!(replicated.qor.resources.lut > shared.qor.resources.lut);
    assert_eq!(shared.qor.latency, replicated.qor.latency);
}

#[test]
fn copies_side_by_side_keep_their_own_hardware() {
    // Each copy of `i` writes its own row of `C`: the copies run side by side on their own
    // banks, so the inner loop sees 4 copies at factor 4 and 2 at factor 2, switch or not.
    let src = "#pragma ACCEL kernel\nvoid k(double A[8][16], double C[8][16]) {\n#pragma ACCEL PARALLEL FACTOR=4\n  L_i: for (int i = 0; i < 8; i++) {\n    L_j: for (int j = 0; j < 16; j++) {\n      C[i][j] = A[i][j] * A[i][j];\n    }\n  }\n}\n";
    let est = |factor: &str| {
        let text = src.replace("FACTOR=4", factor);
        let k = parse_kernel(&[SourceFile { name: "side.c".into(), text }], "k", &FrontOptions::default()).unwrap();
        estimate(&k, &Profile::builtin("xcu280").unwrap(), Some(10.0)).unwrap()
    };
    let (two, four) = (est("FACTOR=2"), est("FACTOR=4"));
    assert!(two.qor.resources.dsp > 0);
    assert_eq!(four.qor.resources.dsp, 2 * two.qor.resources.dsp);
}
