//! `#pragma HLS STREAM` on an array: the array becomes a FIFO channel of the given depth
//! (named constants and expressions allowed); `off` and the non-FIFO channel types keep it.

use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::ArrayKind;

fn kinds(pragmas: &str) -> Vec<(String, ArrayKind)> {
    let text = format!(
        "const int W = 64;\n\
         void stage(int in[8][W], int out[8][W]) {{\n  for (int i = 0; i < 8; i++) for (int j = 0; j < W; j++) out[i][j] = in[i][j] + 1;\n}}\n\
         void k(int a[8][W], int b[8][W]) {{\n#pragma HLS DATAFLOW\n  static int x[8][W];\n  static int y[8][W];\n  static int z[8][W];\n  static int u[8][W];\n{pragmas}\n\
         \x20 stage(a, x); stage(x, y); stage(y, z); stage(z, u); stage(u, b);\n}}\n"
    );
    let kernel = parse_kernel(&[SourceFile { name: "k.cpp".into(), text }], "k", &FrontOptions::default()).unwrap();
    kernel.function("k").unwrap().arrays.iter().filter(|a| a.name.len() == 1 && "xyzu".contains(&a.name)).map(|a| (a.name.clone(), a.kind)).collect()
}

#[test]
fn a_streamed_array_is_a_fifo_of_the_pragma_depth() {
    let got = kinds(
        "#pragma HLS STREAM variable=x depth=W*4\n\
         #pragma HLS STREAM variable=y\n\
         #pragma HLS STREAM variable=z off\n\
         #pragma HLS STREAM variable=u type=pipo",
    );
    assert_eq!(
        got,
        vec![
            ("x".to_string(), ArrayKind::Stream { depth: Some(256) }),
            ("y".to_string(), ArrayKind::Stream { depth: None }),
            ("z".to_string(), ArrayKind::Static),
            ("u".to_string(), ArrayKind::Static),
        ]
    );
}

#[test]
fn a_depth_naming_an_unknown_value_keeps_the_default() {
    let got = kinds("#pragma HLS STREAM variable=x depth=UNKNOWN_DEPTH");
    assert_eq!(got[0], ("x".to_string(), ArrayKind::Stream { depth: None }));
}
