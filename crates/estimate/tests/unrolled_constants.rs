//! In a fully unrolled loop each copy's loop variable is a constant: `1 << j` is computed by
//! the tool, `x * (1 << j)` is a shift and `x >> j` wiring (ForgeHLS bit-level kernels such as
//! `channel_photo_multiplier`, 77 LUT and no DSP recorded; estimated 1,700 LUT and 48 DSP
//! before). The same operations on a runtime value keep their multipliers and shifters, and a
//! loop that is only pipelined keeps its variable.

mod common;

use common::estimate_source;
use hlsseek_qor::Resources;

/// `out[i]` rebuilt bit by bit from `in[i]`, the inner loop over `j` as `inner` says.
fn bit_loop(weight: &str, inner_pragma: &str) -> Resources {
    let text = format!(
        "#include <ap_int.h>\n\
         void k(ap_uint<16> in[1024], ap_uint<16> out[1024], ap_uint<16> w) {{\n\
           L: for (int i = 0; i < 1024; i++) {{\n\
             ap_uint<16> t = in[i];\n\
             ap_uint<16> r = 0;\n\
             B: for (int j = 0; j < 16; j++) {{\n\
               {inner_pragma}\n\
               r += ((t >> j) & 1) * {weight};\n\
             }}\n\
             out[i] = r;\n\
           }}\n\
         }}\n"
    );
    estimate_source("k.cpp", text, "k").qor.resources
}

#[test]
fn a_copy_constant_weight_is_a_shift_and_a_runtime_one_a_multiplier() {
    // Inner loop fully unrolled into the automatically pipelined `L`; the casts keep every
    // operation 16 bits wide, so only the weight differs.
    let shifted = bit_loop("(ap_uint<16>)(1 << j)", "");
    let literal = bit_loop("(ap_uint<16>)2", "");
    let scaled = bit_loop("w", "");
    assert_eq!(shifted, literal, "x * (1 << j) in a copy costs what x * 2 does");
    assert_eq!(shifted.dsp, 0, "{shifted:?}");
    assert!(scaled.dsp > 0, "x * w needs multipliers: {scaled:?}");
}

#[test]
fn a_loop_that_is_not_unrolled_keeps_its_variable() {
    // `B` pipelined on its own: `j` changes every cycle, so `t >> j` is a shifter and
    // `1 << j` a decoder feeding a real multiplier.
    let pipelined = bit_loop("(1 << j)", "#pragma HLS pipeline II=1");
    let unrolled = bit_loop("(1 << j)", "#pragma HLS unroll");
    assert!(pipelined.dsp > 0, "{pipelined:?}");
    assert_eq!(unrolled.dsp, 0, "{unrolled:?}");
}
