//! A call's latency is its callee's: a callee whose loop runs a run-time number of times has
//! an undefined latency, and so has every block, loop and function around the call (Vitis
//! reports `?`), pipelined or not. With the size a constant at the call, the front-end's
//! specialisation knows the trip count and the latency is defined again.

mod common;

use common::estimate_source;

fn kernel(call_site: &str) -> String {
    format!(
        "void scale(float a[64], int n) {{\n  for (int i = 0; i < n; i++) a[i] = a[i] * 3.0f;\n}}\n\
         void top(float a[64], int n) {{\n{call_site}\n}}\n"
    )
}

#[test]
fn a_call_of_unknown_latency_leaves_its_callers_undefined() {
    for site in [
        "  scale(a, n);",
        "  a[0] = 1.0f;\n  scale(a, n);\n  a[1] = 2.0f;",
        "  for (int r = 0; r < 4; r++) scale(a, n);",
        "  for (int r = 0; r < 4; r++) {\n#pragma HLS pipeline\n    scale(a, n);\n  }",
    ] {
        let e = estimate_source("k.cpp", kernel(site), "top");
        assert_eq!(e.qor.latency.value(), None, "{site}");
    }
}

#[test]
fn a_constant_size_makes_it_defined() {
    let e = estimate_source("k.cpp", kernel("  for (int r = 0; r < 4; r++) scale(a, 16);"), "top");
    let with_16 = e.qor.latency.value().expect("defined");
    let e = estimate_source("k.cpp", kernel("  for (int r = 0; r < 4; r++) scale(a, 32);"), "top");
    let with_32 = e.qor.latency.value().expect("defined");
    // Four calls of 16 more iterations each.
    assert!(with_32 >= with_16 + 4 * 16, "{with_16} {with_32}");
}
