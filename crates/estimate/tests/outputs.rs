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
