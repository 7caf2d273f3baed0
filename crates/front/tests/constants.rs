//! What Clang settles before HLS scheduling sees the code: arithmetic on literals and macros
//! is folded, a branch on a constant condition keeps only its live arm, and pragma arguments
//! that are constant expressions (`max=N_NODES`, `max = a * b / (c * d)`) are evaluated.

mod common;

use common::all_ops;
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, Node, OpKind, Operand, ScalarType};

fn kernel(text: &str) -> Kernel {
    parse_kernel(&[SourceFile { name: "k.cpp".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap()
}

/// The kinds and types of the operations of `k`, in order, loads and stores left out.
fn arithmetic(k: &Kernel) -> Vec<(OpKind, ScalarType)> {
    all_ops(&k.function("k").unwrap().body)
        .into_iter()
        .filter(|op| !matches!(op.kind, OpKind::Load | OpKind::Store))
        .map(|op| (op.kind.clone(), op.ty))
        .collect()
}

#[test]
fn arithmetic_on_literals_and_macros_is_folded() {
    let k = kernel(
        "#include <cmath>\n#define SMOOTHING 0.1\n#define SIZE 1024\n\
         void k(float in[SIZE], float out[SIZE], int n[SIZE]) {\n\
           for (int i = 0; i < SIZE; i++) {\n\
             out[i] = in[i] * (1.0 - SMOOTHING) + SMOOTHING / SIZE + 1.0 / sqrt(64.0);\n\
             n[i] = n[i] * (3 * 4) + (1 << 8) % 7;\n\
           }\n\
         }\n",
    );
    use OpKind::*;
    use ScalarType::{Double, Float};
    assert_eq!(
        arithmetic(&k),
        vec![(FpConvert, Double), (Mul, Double), (Add, Double), (Add, Double), (FpConvert, Float), (Mul, ScalarType::I32), (Add, ScalarType::I32)],
        "one multiply and two adds per output: the subtraction, the divisions and the square root are constants"
    );
    let ops = all_ops(&k.function("k").unwrap().body);
    let int_mul = ops.iter().find(|op| op.kind == Mul && op.ty == ScalarType::I32).unwrap();
    assert!(int_mul.operands.contains(&Operand::Int(12)), "{:?}", int_mul.operands);
    let int_add = ops.iter().find(|op| op.kind == Add && op.ty == ScalarType::I32).unwrap();
    assert!(int_add.operands.contains(&Operand::Int(4)), "(1 << 8) % 7 = 4: {:?}", int_add.operands);
}

#[test]
fn integer_folding_follows_the_c_type_and_leaves_undefined_operations_alone() {
    let k = kernel(
        "void k(unsigned char a[4], int b[4]) {\n\
           for (int i = 0; i < 4; i++) {\n\
             a[i] = a[i] + (unsigned char)(250 + 10);\n\
             b[i] = b[i] / (2 - 2);\n\
           }\n\
         }\n",
    );
    let ops = all_ops(&k.function("k").unwrap().body);
    assert!(ops.iter().any(|op| op.kind == OpKind::Add && op.operands.contains(&Operand::Int(4))), "(unsigned char)260 is 4");
    assert!(
        ops.iter().any(|op| op.kind == OpKind::Div && op.operands.contains(&Operand::Int(0))),
        "division by a constant zero stays an operation"
    );
}

#[test]
fn a_branch_on_a_constant_keeps_only_its_live_arm() {
    let k = kernel(
        "#define N 64\n#define DEBUG 0\n\
         void k(float a[N], float b[N]) {\n\
           int rem = N % 16;\n\
           rem++;\n\
           if (rem > 8) {\n\
             for (int i = 0; i < N; i++) a[i] = a[i] / b[i];\n\
           } else {\n\
             for (int i = 0; i < N; i++) a[i] = a[i] * b[i];\n\
           }\n\
           if (DEBUG) { for (int i = 0; i < N; i++) b[i] = 0; }\n\
           for (int i = 0; i < N; i++) b[i] = N > 32 ? a[i] + 1.0f : a[i] - 1.0f;\n\
         }\n",
    );
    let f = k.function("k").unwrap();
    assert!(f.body.nodes.iter().all(|n| !matches!(n, Node::Branch(_))), "no branch is left");
    let loops = f.body.nodes.iter().filter(|n| matches!(n, Node::Loop(_))).count();
    assert_eq!(loops, 2, "the else arm's loop and the last loop; the DEBUG loop is gone");
    let kinds: Vec<OpKind> = arithmetic(&k).into_iter().map(|(kind, _)| kind).collect();
    assert_eq!(kinds, vec![OpKind::Mul, OpKind::Add], "rem is 1: the multiply arm; N > 32: the `+` arm, no select");
}

#[test]
fn pragma_arguments_that_are_constant_expressions_are_evaluated() {
    let k = kernel(
        "#define SCALE 8\n#define N_NODES (1 << SCALE)\n\
         const unsigned int c_min = 1;\nconst unsigned int c_max = 256;\nconst unsigned int c_chunk = 2048;\n\
         void k(int a[4096], int n) {\n\
           for (int i = 0; i < n; i++) {\n\
           #pragma HLS loop_tripcount min=1 max=N_NODES\n\
             a[i] = a[i] + 1;\n\
           }\n\
           for (int i = 0; i < n; i++) {\n\
           #pragma HLS LOOP_TRIPCOUNT min = c_min * c_min max = c_chunk * c_chunk / (c_max * c_max)\n\
             a[i] = a[i] + 2;\n\
           }\n\
           for (int i = 0; i < n; i++) {\n\
           #pragma HLS loop_tripcount max=unknown_name\n\
             a[i] = a[i] + 3;\n\
           }\n\
         }\n",
    );
    let trips: Vec<(Option<u64>, Option<u64>)> = k
        .function("k")
        .unwrap()
        .body
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Loop(l) => Some((l.directives.tripcount.as_ref()?.min, l.directives.tripcount.as_ref()?.max)),
            _ => None,
        })
        .collect();
    assert_eq!(trips, vec![(Some(1), Some(256)), (Some(1), Some(64)), (None, None)], "an unknown name is not 0 (as in #if)");
    // The record keeps what was written, for rendering and reports.
    assert!(k.pragmas.iter().any(|p| p.args.iter().any(|(_, v)| v.as_deref() == Some("c_chunk * c_chunk / (c_max * c_max)"))));
}

#[test]
fn negative_literals_keep_their_sign() {
    // tree-sitter lexes `-7` after an operator as one number literal, sign included.
    let k = kernel(
        "void k(int in[16], int out[16]) {\n\
           for (int i = 0; i < 16; i++) {\n\
             int t = in[i];\n\
             out[i] = (t * -7) + (t < -128) + (t + (-0x10));\n\
           }\n\
         }\n",
    );
    let ops = all_ops(&k.function("k").unwrap().body);
    let operand_of = |kind: OpKind| ops.iter().filter(|op| op.kind == kind).flat_map(|op| op.operands.iter().filter_map(Operand::as_int)).collect::<Vec<_>>();
    assert!(operand_of(OpKind::Mul).contains(&-7), "{:?}", operand_of(OpKind::Mul));
    assert!(operand_of(OpKind::Cmp).contains(&-128), "{:?}", operand_of(OpKind::Cmp));
    assert!(operand_of(OpKind::Add).contains(&-16), "{:?}", operand_of(OpKind::Add));
}

/// float → int and double → int conversions say what they convert from (the estimator sizes
/// the converter by it); int → float stays a Cast typed by its float result.
#[test]
fn float_to_int_conversions_name_their_source() {
    let k = kernel(
        "void k(float f[4], double d[4], int o[4], float g[4]) {\n\
           for (int i = 0; i < 4; i++) {\n\
             o[i] = (int)f[i] + (int)d[i];\n\
             g[i] = (float)o[i];\n\
           }\n\
         }\n",
    );
    use OpKind::*;
    let convs: Vec<_> = all_ops(&k.function("k").unwrap().body)
        .into_iter()
        .filter(|op| matches!(op.kind, Cast | FloatToInt { .. } | FpConvert))
        .map(|op| (op.kind.clone(), op.ty))
        .collect();
    assert_eq!(
        convs,
        vec![(FloatToInt { double: false }, ScalarType::I32), (FloatToInt { double: true }, ScalarType::I32), (Cast, ScalarType::Float)]
    );
}
