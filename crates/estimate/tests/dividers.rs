//! Integer division as Vitis builds it (xcu280, 10 ns):
//! - in a pipeline that takes a new operand more often than the divider's latency, a pipelined
//!   array of one stage per quotient bit (`sdiv_32ns_32ns_32_36_1`; ForgeHLS's
//!   `frequency_divider` records 1,847 LUT / 2,474 FF for one 32-bit divide per cycle); a
//!   divider that has the time (an FSM, or a pipeline whose II covers it) iterates one stage
//!   (`…_seq_1`, ~10 LUT per bit);
//! - a division by a constant is a multiply by its magic reciprocal: no divider, no divider's
//!   36 cycles, DSPs (`x / 12` records 4 DSP and a 2-cycle loop body); a remainder by a
//!   constant stays a divider (`x % 10` records no DSP and a divider's LUTs).

mod common;

use hlsseek_estimate::Estimate;

fn kernel(body: &str, pragma: &str) -> Estimate {
    let text = format!(
        "#include \"ap_int.h\"\nvoid k(ap_uint<32> a[1024], ap_uint<32> b[1024], ap_uint<32> out[1024]) {{\n  L: for (int i = 0; i < 1024; i++) {{\n{pragma}\n    out[i] = {body};\n  }}\n}}\n"
    );
    common::estimate_source("div.cpp", text, "k")
}

fn depth(e: &Estimate) -> u64 {
    e.loops[0].iteration_latency.unwrap()
}

#[test]
fn a_divider_in_a_fast_pipeline_is_an_array() {
    let fast = kernel("a[i] / b[i]", "");
    let slow = kernel("a[i] / b[i]", "#pragma HLS pipeline II=40");
    assert_eq!((fast.loops[0].ii, slow.loops[0].ii), (Some(1), Some(40)));
    // 32 bits × 34 stages: well over a thousand LUTs and FFs, against a few hundred for the
    // iterating divider the slow pipeline can use.
    assert!(fast.qor.resources.lut > 1_000 && fast.qor.resources.ff > 1_500, "{:?}", fast.qor.resources);
    assert!(slow.qor.resources.lut < 600 && slow.qor.resources.ff < 1_000, "{:?}", slow.qor.resources);
    assert!(depth(&fast) > 30, "{:?}", fast.loops);
}

#[test]
fn a_division_by_a_constant_is_a_multiply_and_a_remainder_is_not() {
    let div = kernel("a[i] / 12", "");
    assert!(depth(&div) < 5, "{:?}", div.loops);
    assert!(div.qor.resources.dsp >= 1, "{:?}", div.qor.resources);
    let rem = kernel("a[i] % 12", "");
    assert!(depth(&rem) > 30, "{:?}", rem.loops);
    assert_eq!(rem.qor.resources.dsp, 0, "{:?}", rem.qor.resources);
    // A power of two is wiring either way.
    let pow2 = kernel("a[i] / 16 + a[i] % 16", "");
    assert!(depth(&pow2) < 5 && pow2.qor.resources.dsp == 0, "{:?} {:?}", pow2.loops, pow2.qor.resources);
}
