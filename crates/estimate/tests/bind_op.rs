//! `BIND_OP` from source to schedule and resources, on the front-end's fixture
//! (`crates/front/tests/fixtures/bind_op.cpp`, pinned by the golden test `bind_op_pragmas`).
//! Hand-computed on the xcu280 at 10 ns, where a 32-bit multiply is combinational (6 ns,
//! chained after the load) on 3 DSP48E2:
//! - `plain`: load (1 cycle), multiply chained, store: depth 3.
//! - `slow_mul` (`latency=6`): load 1 + multiply 6 + store 1: depth 8.
//! - `fabric_mul` (`impl=fabric` on `q`'s multiply): `r`'s multiply stays on DSPs, so the
//!   design has 3 multiplies on DSPs (plain, slow_mul, `r`): 9 DSP; the fabric one costs
//!   3 × 243 LUTs instead.
//! - `no_such_operation`: the pragma names an add-only variable and changes nothing.

mod common;

#[test]
fn bind_op_sets_latency_and_implementation() {
    let e = common::estimate_front_fixture("bind_op.cpp", "bind_op");
    let depth = |name: &str| e.loops.iter().find(|l| l.name == name).and_then(|l| l.iteration_latency);
    assert_eq!(depth("plain"), Some(3));
    assert_eq!(depth("slow_mul"), Some(8));
    assert_eq!(depth("no_such_operation"), Some(2));
    assert_eq!(e.qor.resources.dsp, 9);
    // Without the fabric binding: one more multiply on DSPs, 3 × 243 LUTs fewer.
    let text = common::front_fixture("bind_op.cpp").replace("#pragma HLS BIND_OP variable=q op=mul impl=fabric", "");
    let on_dsp = common::estimate_source("bind_op.cpp", text, "bind_op");
    assert_eq!(on_dsp.qor.resources.dsp, 12);
    assert_eq!(e.qor.resources.lut - on_dsp.qor.resources.lut, 3 * 243);
}
