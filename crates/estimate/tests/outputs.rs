//! A top function whose results reach no output synthesizes to nothing (ForgeHLS's `mpc`
//! and `nested_cross_validation` report 0 cycles and 0 LUT); one output of any kind keeps
//! the logic.

mod common;

use common::estimate_source;

/// The same computation into a local array, then `ending` (a statement of `top`'s body) and
/// the extra declarations `globals` and parameters `params`.
fn kernel(globals: &str, params: &str, ending: &str) -> String {
    format!(
        "#include <iostream>\n#include \"hls_stream.h\"\n{globals}\n\
         void helper(float v[64], float &acc) {{ for (int i = 0; i < 64; i++) acc += v[i]; }}\n\
         void top(const float a[64]{params}) {{\n  float t[64];\n  float s = 0;\n\
         for (int i = 0; i < 64; i++) t[i] = a[i] * 3.0f;\n\
         for (int i = 0; i < 64; i++) s += t[i];\n  {ending}\n}}\n"
    )
}

#[test]
fn a_top_that_writes_nothing_is_empty_and_says_so() {
    let e = estimate_source("k.cpp", kernel("", "", "std::cout << s << std::endl;"), "top");
    assert_eq!(e.qor.latency.value(), Some(0));
    assert_eq!((e.qor.resources.lut, e.qor.resources.ff, e.qor.resources.dsp, e.qor.resources.bram), (0, 0, 0, 0));
    assert!(e.loops.is_empty());
    assert_eq!(e.notes.len(), 1);
    assert!(e.notes[0].contains("`top` writes no output"), "{:?}", e.notes);
}

#[test]
fn any_output_keeps_the_logic() {
    let cases = [
        ("array parameter", kernel("", ", float out[1]", "out[0] = s;")),
        ("reference parameter", kernel("", ", float &out", "out = s;")),
        ("pointer parameter", kernel("", ", float *out", "*out = s;")),
        ("file-scope scalar", kernel("float result;", "", "result = s;")),
        ("file-scope array", kernel("float results[4];", "", "results[0] = s;")),
        ("stream", kernel("", ", hls::stream<float> &out", "out.write(s);")),
        ("callee's reference", kernel("", "", "helper(t, s);")),
    ];
    for (what, text) in cases {
        let e = estimate_source("k.cpp", text, "top");
        assert!(e.qor.latency.value().is_some_and(|l| l > 64), "{what}: {:?}", e.qor.latency);
        assert!(e.qor.resources.lut > 0, "{what}");
        assert!(e.notes.iter().all(|n| !n.contains("writes no output")), "{what}: {:?}", e.notes);
    }
}

/// An update that folding reduces to writing back what it read (a learning rate of 0.1 held in
/// an `ap_uint`, which is 0) is no write: the kernel writes nothing, as Vitis reports
/// (ForgeHLS `federated_reinforcement_learning`: 0 cycles, 0 LUT).
#[test]
fn an_update_folded_to_a_write_back_is_no_output() {
    let text = "#include <ap_int.h>\n\
                void top(ap_uint<32> q[64][8], ap_uint<32> r[64], ap_uint<32> s[64]) {\n\
                  ap_uint<32> rate = 0.1;\n\
                  for (int i = 0; i < 64; i++)\n\
                    for (int a = 0; a < 8; a++)\n\
                      q[s[i]][a] = q[s[i]][a] + rate * (r[i] - q[s[i]][a]);\n\
                }\n";
    let e = estimate_source("k.cpp", text.to_string(), "top");
    assert_eq!(e.qor.latency.value(), Some(0), "{:?}", e.notes);
    assert_eq!(e.qor.resources.lut, 0);
    let kept = estimate_source("k.cpp", text.replace("= 0.1", "= 1"), "top");
    assert!(kept.qor.latency.value().is_some_and(|l| l > 64), "a rate of 1 writes r[i]: {:?}", kept.qor.latency);
}
