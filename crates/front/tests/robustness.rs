//! Hostile input: random bytes, mutated kernels, huge files, binary files, deep nesting, missing
//! top. The front-end must answer `Ok` or a clear `Err`, never panic or hang.

use hlsseek_front::{load_files, parse_kernel, FrontErrorKind, FrontOptions, SourceFile};
use proptest::prelude::*;

fn one(text: &str) -> Vec<SourceFile> {
    vec![SourceFile { name: "k.cpp".into(), text: text.into() }]
}

const KERNELS: [&str; 3] = [
    include_str!("fixtures/vitis_directives.cpp"),
    include_str!("fixtures/ap_stream.cpp"),
    include_str!("fixtures/reduction.c"),
];

fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            cur.push(c);
        } else {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(c.to_string());
        }
    }
    out.push(cur);
    out
}

const INSERTS: [&str; 14] = ["{", "}", "(", ")", ";", "#pragma HLS PIPELINE\n", "#if 1\n", "#endif\n", "for", "[", "]", "<", "\"", "/*"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let _ = parse_kernel(&one(&text), "k", &FrontOptions::default());
    }

    #[test]
    fn random_ascii_never_panic(text in "[ -~\n]{0,1500}") {
        let _ = parse_kernel(&one(&text), "k", &FrontOptions::default());
    }

    #[test]
    fn mutated_kernels_never_panic(
        which in 0usize..3,
        edits in proptest::collection::vec((any::<bool>(), any::<prop::sample::Index>(), 0usize..INSERTS.len()), 1..12),
    ) {
        let mut toks = tokens(KERNELS[which]);
        for (delete, at, ins) in edits {
            if toks.is_empty() {
                break;
            }
            let i = at.index(toks.len());
            if delete {
                toks.remove(i);
            } else {
                toks.insert(i, INSERTS[ins].to_string());
            }
        }
        let text: String = toks.concat();
        for top in ["vitis_top", "ap_stream_top", "reduction"] {
            let _ = parse_kernel(&one(&text), top, &FrontOptions::default());
        }
    }
}

#[test]
fn oversized_file_is_bad_input() {
    let big = "int x;\n".repeat(10 * 1024 * 1024 / 7 + 1);
    let e = parse_kernel(&one(&big), "k", &FrontOptions::default()).err().unwrap();
    assert_eq!(e.kind, FrontErrorKind::BadInput);
    assert!(e.message.contains("bytes") && e.message.contains("4194304"), "{}", e.message);
}

#[test]
fn binary_input_is_bad_input() {
    let e = parse_kernel(&one("int x;\0\u{1}\u{2}"), "k", &FrontOptions::default()).err().unwrap();
    assert_eq!((e.kind, e.file.as_str()), (FrontErrorKind::BadInput, "k.cpp"));
    let dir = std::env::temp_dir().join(format!("hlsseek-front-bin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join("bad.c");
    std::fs::write(&p, [0x66u8, 0x6f, 0xff, 0xfe, 0x20]).unwrap();
    let e = load_files(&[&p]).err().unwrap();
    assert_eq!(e.kind, FrontErrorKind::BadInput);
    assert!(e.message.contains("UTF-8"), "{}", e.message);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn missing_top_lists_functions() {
    let e = parse_kernel(&one("void a() {}\nint b(int x) { return x; }\n"), "c", &FrontOptions::default()).err().unwrap();
    assert_eq!(e.kind, FrontErrorKind::MissingTop);
    assert!(e.message.contains("a, b"), "{}", e.message);
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    for depth in [50usize, 2_000, 50_000] {
        let expr = format!("int k(int x) {{ return {}x{}; }}", "(".repeat(depth), ")".repeat(depth));
        let r = parse_kernel(&one(&expr), "k", &FrontOptions::default());
        if depth <= 50 {
            assert!(r.is_ok());
        } else {
            assert_eq!(r.err().map(|e| e.kind), Some(FrontErrorKind::Unsupported));
        }
        let blocks = format!("void k(int a[4]) {{ {} a[0] = 1; {} }}", "if (a[1]) {".repeat(depth), "}".repeat(depth));
        let r = parse_kernel(&one(&blocks), "k", &FrontOptions::default());
        if depth <= 50 {
            assert!(r.is_ok());
        } else {
            assert!(r.is_err());
        }
        let loops = format!("void k(int a[4]) {{ {} a[0] += 1; }}", "for (int i = 0; i < 2; i++) ".repeat(depth));
        let _ = parse_kernel(&one(&loops), "k", &FrontOptions::default());
    }
}

#[test]
fn broken_code_is_a_syntax_error() {
    for src in [
        "void k(int a[4]) { for (int i = 0; i < 4; i++) { a[i] = 0; }",
        "void k(int a[4]) { a[0] = ; }",
        "void k(int a[4] { }",
        "void k() { int x = 1 }",
        "@@@ garbage $$$ void k() {}",
    ] {
        let e = parse_kernel(&one(src), "k", &FrontOptions::default()).err();
        assert_eq!(e.as_ref().map(|e| e.kind), Some(FrontErrorKind::Syntax), "{src}: {e:?}");
        let e = e.unwrap();
        assert_eq!(e.file, "k.cpp");
        assert!(e.line >= 1 && e.col >= 1, "{e}");
    }
}
