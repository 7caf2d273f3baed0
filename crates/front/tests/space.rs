//! Design spaces: knob discovery, rendering (drop-line semantics, errors, byte stability) and
//! `normalize_source`.

use hlsseek_front::{normalize_source, DesignSpace, FrontErrorKind, FrontOptions, SourceFile};
use hlsseek_ir::{KnobKind, KnobValue, LoopId};

const TEMPLATE: &str = "#pragma ACCEL kernel\n\nvoid k(double a[24][30])\n{\n  int i;\n  int j;\n\
#pragma ACCEL PIPELINE auto{__PIPE__L0}\n#pragma ACCEL TILE FACTOR=auto{__TILE__L0}\n\
#pragma ACCEL PARALLEL FACTOR=auto{__PARA__L0}\n  for (i = 0; i < 24; i++) {\n\
#pragma ACCEL PARALLEL reduction=a FACTOR=auto{__PARA__L1}\n    for (j = 0; j < 30; j++) {\n      a[i][j] += 1.0;\n    }\n  }\n}\n";

fn space() -> DesignSpace {
    DesignSpace::new(vec![SourceFile { name: "k.c".into(), text: TEMPLATE.into() }], "k", &FrontOptions::default()).unwrap()
}

#[test]
fn knobs_found_with_loops_and_values() {
    let s = space();
    let names: Vec<&str> = s.knobs.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["__PIPE__L0", "__TILE__L0", "__PARA__L0", "__PARA__L1"]);
    let k = s.knob("__PARA__L1").unwrap();
    assert_eq!((k.kind, k.loop_id, k.loc.line), (KnobKind::Parallel, Some(LoopId(1)), 11));
    let vals: Vec<u64> = k.values.iter().map(|v| if let KnobValue::Int(n) = v { *n } else { 0 }).collect();
    assert_eq!(vals, [1, 2, 3, 4, 5, 6, 8, 10, 15, 16, 30]);
    let t = s.knob("__TILE__L0").unwrap();
    assert_eq!(t.values, [1, 2, 4, 8, 24].map(KnobValue::Int));
    assert_eq!(s.knob("__PIPE__L0").unwrap().values[0], KnobValue::Text(String::new()));
}

#[test]
fn render_drops_empty_pipeline_and_keeps_lines() {
    let s = space();
    let mut p = s.default_point();
    let out = s.render(&p).unwrap();
    assert!(!out[0].text.contains("PIPELINE"));
    assert_eq!(out[0].text.lines().count(), TEMPLATE.lines().count());
    p.insert("__PIPE__L0".into(), KnobValue::Text("flatten".into()));
    p.insert("__PARA__L1".into(), KnobValue::Int(6));
    let out = s.render(&p).unwrap();
    assert!(out[0].text.contains("#pragma ACCEL PIPELINE flatten\n"));
    assert!(out[0].text.contains("reduction=a FACTOR=6\n"));
    // Byte-stable: the same point renders to the same bytes.
    assert_eq!(s.render(&p).unwrap(), out);
    let k = s.kernel(&p, &FrontOptions::default()).unwrap();
    let l0 = &k.top_function().unwrap().loops()[0];
    assert!(l0.directives.pipeline.as_ref().unwrap().flatten);
    assert_eq!(k.top_function().unwrap().loops()[1].directives.unroll.as_ref().unwrap().factor, Some(6));
}

#[test]
fn render_errors_name_the_knob() {
    let s = space();
    let mut p = s.default_point();
    p.remove("__TILE__L0");
    let e = s.render(&p).unwrap_err();
    assert!(e.message.contains("__TILE__L0"), "{e}");
    let mut p = s.default_point();
    p.insert("__PARA__L0".into(), KnobValue::Text("flatten".into()));
    let e = s.render(&p).unwrap_err();
    assert!(e.message.contains("__PARA__L0"), "{e}");
    assert_eq!(e.kind, FrontErrorKind::BadInput);
    let mut p = s.default_point();
    p.insert("__PIPE__L0".into(), KnobValue::Int(3));
    assert!(s.render(&p).unwrap_err().message.contains("__PIPE__L0"));
}

#[test]
fn normalize_ignores_layout_and_comments() {
    let a = "int  f(int x) { // add one\n  return x+1; /* done */ }\n#pragma HLS   PIPELINE\n#define N  4\n";
    let b = "/* header */\nint f ( int x )\n{\n\treturn x + 1 ;\n}\n#  pragma HLS PIPELINE\n#define N 4";
    assert_eq!(normalize_source(a), normalize_source(b));
    assert_eq!(normalize_source(a), "int f ( int x ) { return x + 1 ; }\n#pragma HLS PIPELINE\n#define N 4");
    // Different code stays different.
    assert_ne!(normalize_source("a = b - -c;"), normalize_source("a = b--c;"));
    assert_ne!(normalize_source("#define F(x) x"), normalize_source("#define F (x) x"));
    assert_eq!(normalize_source("x = \"a  /* b */  c\";"), "x = \"a  /* b */  c\" ;");
}
