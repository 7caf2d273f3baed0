//! Preprocessor behaviour: macros (function-like, `#`, `##`, variadic, recursion), `#if`
//! arithmetic, include resolution, line mapping, errors with locations, and limits.

use hlsseek_front::pp::{PpConfig, PpFile, PpOutput, Preprocessor};
use hlsseek_front::{parse_kernel, FrontErrorKind, FrontOptions, SourceFile};

fn pp_files(files: &[(&str, &str)]) -> Result<PpOutput, hlsseek_front::FrontError> {
    let mut fs: Vec<PpFile> = files.iter().map(|(n, t)| PpFile { name: n.to_string(), text: t.to_string() }).collect();
    let cfg = PpConfig { defines: &[], include_dirs: &[], max_file_bytes: 1 << 22 };
    Preprocessor::new(&mut fs, cfg).run(0)
}

/// Output tokens joined by single spaces (expansions are spaced freely).
fn pp(text: &str) -> String {
    norm(&pp_files(&[("main.c", text)]).unwrap().text)
}

fn norm(s: &str) -> String {
    hlsseek_front::normalize_source(s)
}

#[test]
fn object_and_function_like_macros() {
    assert_eq!(pp("#define N 10\n#define SQ(x) ((x)*(x))\nint a = SQ(N+1);"), norm("int a = ((10+1)*(10+1));"));
    // A name not followed by `(` is not an invocation.
    assert_eq!(pp("#define F(x) x\nint F = 1;"), norm("int F = 1;"));
    // `(` must touch the name for a function-like definition.
    assert_eq!(pp("#define G (x) x\nint y = G;"), norm("int y = (x) x;"));
}

#[test]
fn stringize_and_paste() {
    assert_eq!(pp("#define S(x) #x\nconst char *s = S(a + b);"), norm("const char *s = \"a + b\";"));
    assert_eq!(pp("#define CAT(a,b) a##b\nint CAT(foo,1) = CAT(0x,ff);"), norm("int foo1 = 0xff;"));
    assert_eq!(pp("#define SCALAR_VAL(x) x##f\nfloat v = SCALAR_VAL(0.5);"), norm("float v = 0.5f;"));
}

#[test]
fn variadic_macros() {
    assert_eq!(pp("#define P(fmt, ...) f(fmt, __VA_ARGS__)\nP(1, 2, 3);"), norm("f(1, 2, 3);"));
    assert_eq!(pp("#define Q(fmt, ...) g(fmt, ## __VA_ARGS__)\nQ(1);"), norm("g(1);"));
}

#[test]
fn recursion_terminates() {
    assert_eq!(pp("#define X X\nint X;"), norm("int X;"));
    assert_eq!(pp("#define A B\n#define B A\nint A;"), norm("int A;"));
    assert_eq!(pp("#define f(x) x + f(x)\nint y = f(1);"), norm("int y = 1 + f(1);"));
}

#[test]
fn nested_expansion_rescans() {
    let src = "#define POLYBENCH_LOOP_BOUND(x,y) x\n#define NI 60\n#define _PB_NI POLYBENCH_LOOP_BOUND(NI,ni)\nfor (i = 0; i < _PB_NI; i++);";
    assert_eq!(pp(src), norm("for (i = 0; i < 60; i++);"));
}

#[test]
fn exponential_expansion_is_an_error() {
    let mut src = String::from("#define A0 x x\n");
    for i in 1..40 {
        src.push_str(&format!("#define A{i} A{} A{}\n", i - 1, i - 1));
    }
    src.push_str("int v = A39;\n");
    let e = pp_files(&[("main.c", &src)]).err().expect("must fail");
    assert_eq!(e.kind, FrontErrorKind::Preprocess);
    assert!(e.message.contains("too large"), "{}", e.message);
}

#[test]
fn conditionals_and_arithmetic() {
    let src = "#define N 8\n#if N * 2 > 15 && defined(N) && !defined UNDEF\nyes\n#elif 1\nno1\n#else\nno2\n#endif\n\
               #if (N << 2) == 32 ? 0x10 % 3 == 1 : 0\nshift\n#endif\n#ifdef N\n#if 0\nhidden\n#else\nshown\n#endif\n#endif\n\
               #if -1 < 0 && 'a' == 97 && (7 / 2) == 3\nsigned_ok\n#endif";
    assert_eq!(pp(src), norm("yes shift shown signed_ok"));
    assert_eq!(pp("#ifndef GUARD\n#define GUARD\nonce\n#endif\n#ifndef GUARD\ntwice\n#endif"), norm("once"));
    assert_eq!(pp("#if defined(__SYNTHESIS__)\nsyn\n#endif"), norm("syn"));
}

#[test]
fn error_directive_and_unbalanced_conditionals() {
    let e = pp_files(&[("k.c", "int a;\n#error stop here\n")]).err().unwrap();
    assert_eq!((e.kind, e.file.as_str(), e.line), (FrontErrorKind::Preprocess, "k.c", 2));
    assert!(e.message.contains("stop here"));
    assert!(pp_files(&[("k.c", "#if 1\nint a;\n")]).is_err());
    assert!(pp_files(&[("k.c", "#endif\n")]).is_err());
    assert!(pp_files(&[("k.c", "#if 1/0\n#endif\n")]).is_err());
}

#[test]
fn includes_from_the_file_set() {
    let out = pp_files(&[
        ("src/main.c", "#include \"defs.h\"\n#include <ap_int.h>\n#include \"../inc/other.h\"\nint a[N + M];"),
        ("src/defs.h", "#pragma once\n#define N 4\n#include \"defs.h\"\n"),
        ("inc/other.h", "#define M 2\n"),
    ])
    .unwrap();
    assert!(norm(&out.text).contains(&norm("int a[4 + 2];")), "{}", out.text);
}

#[test]
fn system_header_in_the_set_is_included() {
    let out = pp_files(&[("main.c", "#include <mylib.h>\nint v = LIBV;"), ("mylib.h", "#define LIBV 7\n")]).unwrap();
    assert!(norm(&out.text).contains(&norm("int v = 7;")));
    // `<math.h>` is built in: its constants exist, nothing else is read.
    let out = pp_files(&[("main.c", "#include <math.h>\ndouble p = M_PI;")]).unwrap();
    assert!(out.text.contains("3.14159"));
}

#[test]
fn include_cycle_is_an_error() {
    let e = pp_files(&[("a.h", "#include \"b.h\"\n"), ("b.h", "#include \"a.h\"\n")]).err().unwrap();
    assert_eq!(e.kind, FrontErrorKind::Preprocess);
    assert!(e.message.contains("cycle"), "{}", e.message);
}

#[test]
fn line_map_names_original_file_and_line() {
    let out = pp_files(&[
        ("main.c", "/* header\n   comment */\n#include \"h.h\"\nint x; // trailing\n\nint y = \\\n  2;\n"),
        ("h.h", "\n\nint from_header;\n"),
    ])
    .unwrap();
    let find = |needle: &str| {
        let row = out.text.lines().position(|l| l.contains(needle)).unwrap();
        let col = out.text.lines().nth(row).unwrap().find(needle).unwrap();
        out.loc(row, col)
    };
    let l = find("from_header");
    assert_eq!((l.file, l.line, l.col), (1, 3, 5));
    let l = find("int x");
    assert_eq!((l.file, l.line, l.col), (0, 4, 1));
    let l = find("int y");
    assert_eq!((l.file, l.line), (0, 6));
}

#[test]
fn pragmas_are_kept_and_expanded() {
    let out = pp("#define UF 4\nvoid f() {\n#pragma HLS UNROLL factor=UF\n}");
    assert!(out.contains("#pragma HLS UNROLL factor=4"), "{out}");
    // A pragma between a loop header and its brace moves just inside the body.
    let out = pp_files(&[("k.c", "void f(int a[4]) {\n for (int i = 0; i < 4; i++)\n#pragma HLS PIPELINE\n {\n  a[i] = 0;\n }\n}\n")]).unwrap();
    let brace = out.text.find('{').unwrap();
    let body = &out.text[out.text[brace + 1..].find('{').unwrap() + brace + 1..];
    assert!(body.contains("#pragma HLS PIPELINE"), "{}", out.text);
}

#[test]
fn errors_point_at_original_locations() {
    let files = vec![
        SourceFile { name: "k.c".into(), text: "#include \"h.h\"\nvoid k() {\n  int a = ;\n  {\n}\n".into() },
        SourceFile { name: "h.h".into(), text: "#define X 1\n".into() },
    ];
    let e = parse_kernel(&files, "k", &FrontOptions::default()).err().unwrap();
    assert_eq!(e.kind, FrontErrorKind::Syntax);
    assert_eq!(e.file, "k.c");
    assert!(e.line >= 3, "{e}");
}

#[test]
fn defines_from_options() {
    let files = vec![SourceFile { name: "k.c".into(), text: "void k(int a[SIZE]) { for (int i = 0; i < SIZE; i++) a[i] = 0; }".into() }];
    let opts = FrontOptions { defines: vec![("SIZE".into(), "12".into())], include_dirs: vec![] };
    let k = parse_kernel(&files, "k", &opts).unwrap();
    assert_eq!(k.top_function().unwrap().loops()[0].trip.max, Some(12));
}

#[test]
fn includes_from_disk() {
    let dir = std::env::temp_dir().join(format!("hlsseek-front-inc-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("inc")).unwrap();
    std::fs::write(dir.join("inc/sizes.h"), "#define ROWS 6\n").unwrap();
    std::fs::write(dir.join("local.h"), "#define COLS 7\n").unwrap();
    let main = dir.join("k.c");
    std::fs::write(&main, "#include \"local.h\"\n#include \"sizes.h\"\nvoid k(int a[ROWS][COLS]) { for (int i = 0; i < ROWS; i++) a[i][0] = 0; }\n").unwrap();
    let files = hlsseek_front::load_files(&[&main]).unwrap();
    let opts = FrontOptions { defines: vec![], include_dirs: vec![dir.join("inc")] };
    let k = parse_kernel(&files, "k", &opts).unwrap();
    assert_eq!(k.top_function().unwrap().arrays[0].dims, vec![Some(6), Some(7)]);
    assert_eq!(k.files.len(), 3, "{:?}", k.files);
    let _ = std::fs::remove_dir_all(&dir);
}
