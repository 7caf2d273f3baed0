//! What Clang and LLVM's instcombine settle before scheduling, on integer code: an integer
//! variable initialised from a float literal holds the truncated value (`ap_uint<32> rate =
//! 0.1;` is 0), an operation with a deciding literal is its result (`x * 0`, `x + 0`), and a
//! store of the value just loaded from the same element is no store at all.

mod common;

use common::all_ops;
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, OpKind};

fn kernel(text: &str) -> Kernel {
    parse_kernel(&[SourceFile { name: "k.cpp".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap()
}

fn kinds(k: &Kernel) -> Vec<OpKind> {
    all_ops(&k.function("k").unwrap().body).into_iter().map(|op| op.kind.clone()).collect()
}

/// A Q-table update with a learning rate of 0.1 held in an `ap_uint`: the rate is 0, the
/// update `q + rate * (...)` is `q`, and writing `q` back where it came from is nothing.
#[test]
fn an_update_scaled_by_a_truncated_rate_stores_nothing() {
    let k = kernel(
        "#include <ap_int.h>\n\
         void k(ap_uint<32> q[64], ap_uint<32> r[64], ap_uint<32> s[64]) {\n\
           ap_uint<32> rate = 0.1;\n\
           for (int i = 0; i < 64; i++) {\n\
             q[s[i]] = q[s[i]] + rate * (r[i] - q[s[i]]);\n\
           }\n\
         }\n",
    );
    let ops = kinds(&k);
    assert!(!ops.contains(&OpKind::Store), "{ops:?}");
    // The difference feeds nothing now; dead operations inside a kernel are not removed (the
    // estimator's whole-kernel check zeroes this one: it writes no output).
    assert!(!ops.iter().any(|o| matches!(o, OpKind::Mul | OpKind::Add)), "{ops:?}");
}

#[test]
fn stores_of_anything_else_stay() {
    let cases = [
        // Another array's element.
        "void k(int a[8], int b[8], int x) { for (int i = 0; i < 8; i++) a[i] = b[i] + 0 * x; }",
        // Another element of the same array.
        "void k(int a[9], int x) { for (int i = 0; i < 8; i++) a[i] = a[i + 1] + 0 * x; }",
        // Float arithmetic is not folded: x * 0.0f is not 0 for an infinite x.
        "void k(float a[8], float x) { for (int i = 0; i < 8; i++) a[i] = a[i] + 0.0f * x; }",
        // A right side with a side effect (a call that may write `a`).
        "void f(int a[8]); void k(int a[8]) { for (int i = 0; i < 8; i++) a[i] = a[i] + 0 * (f(a), 1); }",
        // A multiplier of 1.5 held in an int is 1: x * 1 is x, and the store is a real one.
        "void k(int a[8], int b[8]) { int m = 1.5; for (int i = 0; i < 8; i++) a[i] = b[i] * m; }",
    ];
    for src in cases {
        let ops = kinds(&kernel(src));
        assert_eq!(ops.iter().filter(|o| **o == OpKind::Store).count(), 1, "{src}: {ops:?}");
    }
    let ops = kinds(&kernel(cases[4]));
    assert!(!ops.contains(&OpKind::Mul), "int m = 1.5 holds 1: {ops:?}");
}
