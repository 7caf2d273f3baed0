//! Vitis's automatic pipelining climbs from small innermost loops to their parent, unrolling them
//! into it, but not past a loop given a partial unroll factor (`control.partial_unroll_stops_climb`):
//! that loop stays a loop (Merlin strip-mines a partial `PARALLEL`; Vitis keeps the factor it
//! was given), so the parent is not innermost and is not pipelined; the partially unrolled loop
//! is pipelined itself. HLSyn's gemm-ncubed and symm record exactly that: with the inner `k` at
//! factors 8–32 their latency is that of a sequential `j` loop, not of a pipelined one.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_qor::LoopReport;

/// `pragma` is Merlin's (before the loop, in a Merlin kernel) or Vitis's (inside the loop body).
fn est(pragma: &str) -> Estimate {
    let vitis = pragma.contains("HLS");
    let (kernel, before, inside) = if vitis { ("", "", pragma) } else { ("#pragma ACCEL kernel\n", pragma, "") };
    let text = format!(
        "{kernel}void k(double a[64][32], double b[32], double out[64]) {{\n  L_i: for (int i = 0; i < 64; i++) {{\n    double s = 0;\n{before}\n    L_k: for (int k = 0; k < 32; k++) {{\n{inside}\n      s += a[i][k] * b[k];\n    }}\n    out[i] = s;\n  }}\n}}\n"
    );
    let k = parse_kernel(&[SourceFile { name: "climb.c".into(), text }], "k", &FrontOptions::default()).unwrap();
    estimate(&k, &Profile::builtin("vu9p").unwrap(), Some(4.0)).unwrap()
}

fn report<'a>(e: &'a Estimate, name: &str) -> Option<&'a LoopReport> {
    e.loops.iter().find(|l| l.name == name)
}

#[test]
fn a_partially_unrolled_loop_stays_a_loop_under_the_default_pipeline() {
    assert!(Profile::builtin("vu9p").unwrap().control.partial_unroll_stops_climb);
    for pragma in ["#pragma ACCEL PARALLEL reduction=s FACTOR=8", "#pragma HLS unroll factor=8"] {
        let e = est(pragma);
        let (i, k) = (report(&e, "L_i").unwrap(), report(&e, "L_k").unwrap());
        assert!(!i.pipelined, "{pragma}: {i:?}");
        assert!(k.pipelined && k.unroll == 8, "{pragma}: {k:?}");
    }
    // Small and with no factor, the inner loop is unrolled into its parent, which is pipelined.
    for pragma in ["", "#pragma ACCEL PARALLEL reduction=s FACTOR=32"] {
        let e = est(pragma);
        assert!(report(&e, "L_k").is_none(), "{pragma}: {:?}", e.loops);
        assert!(report(&e, "L_i").unwrap().pipelined, "{pragma}");
    }
}
