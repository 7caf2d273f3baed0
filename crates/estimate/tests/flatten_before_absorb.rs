//! Vitis flattens a perfect loop nest before it chooses loops to pipeline
//! (`control.flatten_before_absorb`): a small innermost loop whose flattened nest is large is
//! pipelined over the product of the trip counts rather than unrolled into its parent. The
//! Vitis introductory examples `perfect_loop` and `pipelined_loop` (20 × 20, no pragma) record
//! 405 cycles, a 400-iteration pipeline at II 1, not 20 iterations of an unrolled inner loop.
//! A small flattened nest (a 3 × 3 window) is still unrolled into the loop around it.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};

fn est(text: &str, prof: &Profile) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: "nest.c".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap();
    estimate(&k, prof, Some(4.0)).unwrap()
}

const PERFECT: &str = "static int acc;\nint k(short a[20]) {\n  L_i: for (int i = 0; i < 20; i++) {\n    L_j: for (int j = 0; j < 20; j++) {\n      acc += a[j] * i;\n    }\n  }\n  return acc;\n}\n";

const WINDOW: &str = "void k(int img[102][102], int out[100][100]) {\n  L_y: for (int y = 0; y < 100; y++) {\n    L_x: for (int x = 0; x < 100; x++) {\n      int s = 0;\n      L_ky: for (int ky = 0; ky < 3; ky++) {\n        L_kx: for (int kx = 0; kx < 3; kx++) {\n          s += img[y + ky][x + kx];\n        }\n      }\n      out[y][x] = s;\n    }\n  }\n}\n";

#[test]
fn a_large_perfect_nest_over_a_small_loop_is_flattened_and_pipelined() {
    let prof = Profile::builtin("vu9p").unwrap();
    assert!(prof.control.flatten_before_absorb);
    let e = est(PERFECT, &prof);
    assert_eq!(e.loops.len(), 1, "{:?}", e.loops);
    let nest = &e.loops[0];
    assert!(nest.name.contains("L_i") && nest.name.contains("L_j"), "{nest:?}");
    assert!(nest.pipelined && nest.flattened, "{nest:?}");
    assert_eq!(nest.trip_count.value(), Some(400), "{nest:?}");
    let latency = e.qor.latency.value().unwrap();
    assert!((400..=420).contains(&latency), "latency {latency}");

    // Without the rule, the inner loop is unrolled into the outer one, which is pipelined.
    let mut old = prof.clone();
    old.control.flatten_before_absorb = false;
    let e = est(PERFECT, &old);
    assert_eq!(e.loops.len(), 1, "{:?}", e.loops);
    assert_eq!((e.loops[0].name.as_str(), e.loops[0].trip_count.value()), ("L_i", Some(20)), "{:?}", e.loops);
    assert!(e.qor.latency.value().unwrap() < 400);
}

#[test]
fn a_small_flattened_nest_is_still_unrolled_into_its_parent() {
    let e = est(WINDOW, &Profile::builtin("vu9p").unwrap());
    assert!(e.loops.iter().all(|l| !l.name.contains("L_ky") && !l.name.contains("L_kx")), "{:?}", e.loops);
    let x = e.loops.iter().find(|l| l.name.contains("L_x")).unwrap();
    assert!(x.pipelined, "{x:?}");
}
