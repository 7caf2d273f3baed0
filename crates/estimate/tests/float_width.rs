//! A change of floating-point width (`fpext`/`fptrunc`: a float meeting a double constant) is a
//! small core, combinational at 10 ns (Vitis's `fpext_32ns_64_1`, LATENCY 0), not an int↔float
//! converter of 4 cycles. Hand-computed on the xcu280 at 10 ns: `y = y * 0.5 + a[i]` promotes
//! `y` and `a[i]` to double, so the recurrence is fpext → dmul (3) → dadd (3) → fptrunc; the
//! two conversions chain into the cycles around them, II 7 (it was 14 with converter cores).

mod common;

const SRC: &str = "void decay(const float a[64], float out[1]) {
  float y = 0.0f;
  for (int i = 0; i < 64; i++) {
#pragma HLS pipeline II=1
    y = y * 0.5 + a[i];
  }
  out[0] = y;
}
";

#[test]
fn a_float_width_change_is_not_a_converter() {
    let e = common::estimate_source("decay.c", SRC.to_string(), "decay");
    let l = &e.loops[0];
    assert_eq!((l.ii, l.iteration_latency), (Some(7), Some(7)), "{:?}", e.notes);
}

/// A float converted to an int (`fptosi`) is a float↔int converter core, like the int → float
/// conversion on the other side of the recurrence; it used to be free wiring. Hand-computed on
/// the xcu280 at 10 ns: `acc = (int)(acc * 0.5f + a[i])` runs sitofp (4) → fmul (2) → fadd
/// (2) → fptosi (4) on the recurrence, II 12 (8 while the fptosi was free).
#[test]
fn a_float_to_int_conversion_is_a_converter() {
    let src = "void quant(const float a[64], int out[1]) {
  int acc = 0;
  for (int i = 0; i < 64; i++) {
#pragma HLS pipeline II=1
    acc = (int)(acc * 0.5f + a[i]);
  }
  out[0] = acc;
}
";
    let e = common::estimate_source("quant.c", src.to_string(), "quant");
    let l = &e.loops[0];
    assert_eq!((l.ii, l.iteration_latency), (Some(12), Some(12)), "{:?}", e.notes);
}
