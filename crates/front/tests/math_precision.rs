//! The precision of a math call on a `float`: which function an unqualified `cosh(x)` reaches
//! depends on the language, the header and `using namespace std` (see `pp::MathLookup`), and
//! that decides whether Vitis builds a single- or a double-precision core.

use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Node, OpKind, Region, ScalarType};

/// The math operations of a kernel: kind and precision, in program order.
type MathOps = Vec<(OpKind, ScalarType)>;

fn math_op_types(region: &Region, out: &mut MathOps) {
    for node in &region.nodes {
        match node {
            Node::Op(op) if matches!(op.kind, OpKind::Exp | OpKind::Log | OpKind::Trig | OpKind::Sqrt | OpKind::Pow) => {
                out.push((op.kind.clone(), op.ty));
            }
            Node::Op(_) | Node::Call(_) => {}
            Node::Loop(l) => math_op_types(&l.body, out),
            Node::Branch(b) => {
                math_op_types(&b.then_region, out);
                math_op_types(&b.else_region, out);
            }
        }
    }
}

/// The types of the math operations of `k(float *x)` written as `prelude` + `body`.
fn math_types(file: &str, prelude: &str, call: &str) -> MathOps {
    let text = format!("{prelude}\nvoid k(float x[4]) {{\n  for (int i = 0; i < 4; i++) x[i] = {call};\n}}\n");
    let kernel = parse_kernel(&[SourceFile { name: file.into(), text }], "k", &FrontOptions::default()).unwrap();
    let mut out = Vec::new();
    math_op_types(&kernel.function("k").unwrap().body, &mut out);
    out
}

#[test]
fn an_unqualified_call_on_a_float_reaches_the_double_function_where_only_it_is_visible() {
    use OpKind::*;
    use ScalarType::{Double, Float};
    let cases: &[(&str, &str, &str, MathOps)] = &[
        // C: `cosh` is the double function, `coshf` the float one.
        ("k.c", "#include <math.h>", "cosh(x[i])", vec![(Trig, Double)]),
        ("k.c", "#include <math.h>", "coshf(x[i])", vec![(Trig, Float)]),
        // C++ with <cmath> alone: the float overloads live in std:: only.
        ("k.cpp", "#include <cmath>", "log(cosh(x[i]))", vec![(Trig, Double), (Log, Double)]),
        ("k.cpp", "#include <cmath>", "std::exp(x[i])", vec![(Exp, Float)]),
        ("k.cpp", "#include <cmath>", "::exp(x[i])", vec![(Exp, Double)]),
        ("k.cpp", "#include <cmath>\nusing namespace std;", "exp(x[i])", vec![(Exp, Float)]),
        // C++ <math.h> exports the overloads to the global namespace.
        ("k.cpp", "#include <math.h>", "pow(x[i], x[0])", vec![(Pow, Float)]),
        // sqrt is narrowed back to float: its result is exact.
        ("k.cpp", "#include <cmath>", "sqrt(x[i])", vec![(Sqrt, Float)]),
        // A double argument stays double whatever is visible.
        ("k.cpp", "#include <cmath>\nusing namespace std;", "exp((double)x[i])", vec![(Exp, Double)]),
    ];
    for (file, prelude, call, want) in cases {
        assert_eq!(&math_types(file, prelude, call), want, "{file}: {prelude:?} then `{call}`");
    }
}
