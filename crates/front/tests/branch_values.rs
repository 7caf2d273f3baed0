//! An arm of a branch runs in the same iteration as the code around it: what that code
//! computed reaches the arm as the operation's result (a data dependence the scheduler sees),
//! not as a variable read from outside the region.

mod common;

use common::all_ops;
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, Op, OpKind, Operand};

fn kernel(text: &str) -> Kernel {
    parse_kernel(&[SourceFile { name: "k.cpp".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap()
}

fn ops(k: &Kernel) -> Vec<Op> {
    all_ops(&k.function("k").unwrap().body).into_iter().cloned().collect()
}

#[test]
fn an_arm_reads_the_value_computed_before_the_branch() {
    let k = kernel(
        "void k(int in[16], int out[16], int s) {\n\
           for (int i = 0; i < 16; i++) {\n\
             int t = in[i] * s;\n\
             if (t > 127) {\n\
               out[i] = 127;\n\
             } else if (t < -128) {\n\
               out[i] = t + 1;\n\
             } else {\n\
               out[i] = t - 1;\n\
             }\n\
           }\n\
         }\n",
    );
    let ops = ops(&k);
    let mul = ops.iter().find(|op| op.kind == OpKind::Mul).unwrap().id;
    for kind in [OpKind::Add, OpKind::Sub] {
        let op = ops.iter().find(|op| op.kind == kind).unwrap();
        assert!(op.operands.contains(&Operand::Op(mul)), "{kind:?} in a nested arm reads the multiply: {:?}", op.operands);
    }
    let inner_cmp = ops.iter().filter(|op| op.kind == OpKind::Cmp).nth(1).unwrap();
    assert_eq!(inner_cmp.operands, vec![Operand::Op(mul), Operand::Int(-128)]);
}

#[test]
fn a_value_the_variable_truncates_is_read_by_name() {
    // `acc` keeps 12 bits of the 32-bit sum: read by name, the narrowing pass builds the sum
    // (and the multiply feeding it) 12 bits wide.
    let k = kernel(
        "#include <ap_int.h>\n\
         void k(ap_int<5> a[20], ap_int<6> b[20]) {\n\
           ap_int<12> acc = 0;\n\
           for (int j = 0; j < 20; j++) {\n\
             acc += a[j] * j;\n\
             if (j == 19) b[0] = acc / 20;\n\
           }\n\
         }\n",
    );
    let ops = ops(&k);
    let div = ops.iter().find(|op| op.kind == OpKind::Div).unwrap();
    assert_eq!(div.operands[0], Operand::Scalar("acc".into()));
    let add = ops.iter().find(|op| op.kind == OpKind::Add).unwrap();
    assert_eq!(add.ty.bits(), 12, "{add:?}");
}

#[test]
fn a_loop_body_still_reads_outer_values_by_name() {
    let k = kernel(
        "void k(int in[16], int out[16], int s) {\n\
           int t = s * 3;\n\
           for (int i = 0; i < 16; i++) {\n\
             out[i] = in[i] + t;\n\
           }\n\
         }\n",
    );
    let add = ops(&k).into_iter().find(|op| op.kind == OpKind::Add).unwrap();
    assert!(add.operands.contains(&Operand::Scalar("t".into())), "{:?}", add.operands);
}

#[test]
fn the_merge_after_a_branch_selects_what_the_arm_computed() {
    let k = kernel(
        "void k(int a[16], int out[1]) {\n\
           int s = 0;\n\
           for (int i = 0; i < 16; i++) {\n\
             s = s + a[i];\n\
             if (s > 10) {\n\
               s = s * 3;\n\
             }\n\
           }\n\
           out[0] = s;\n\
         }\n",
    );
    let ops = ops(&k);
    let find = |kind: OpKind| ops.iter().find(|op| op.kind == kind).unwrap().id;
    let (add, cmp, mul, select) = (find(OpKind::Add), find(OpKind::Cmp), find(OpKind::Mul), find(OpKind::Select));
    let select = ops.iter().find(|op| op.id == select).unwrap();
    assert_eq!(select.operands, vec![Operand::Op(cmp), Operand::Op(mul), Operand::Op(add)]);
}

#[test]
fn a_recurrence_runs_through_the_arm_that_updates_it() {
    // `s` goes round the loop through the arm's multiply and add when `c[i]` holds: that
    // longer cycle is the recurrence, not only the Select's "unchanged" input.
    let k = kernel(
        "void k(int a[16], int c[16], int out[1]) {\n\
           int s = 0;\n\
           for (int i = 0; i < 16; i++) {\n\
             s = s + a[i];\n\
             if (c[i]) {\n\
               s = s * 3 + 1;\n\
             }\n\
           }\n\
           out[0] = s;\n\
         }\n",
    );
    let Some(hlsseek_ir::Node::Loop(l)) = k.function("k").unwrap().body.nodes.iter().find(|n| matches!(n, hlsseek_ir::Node::Loop(_))) else {
        panic!("no loop")
    };
    let dep = l.carried.iter().find(|d| d.variable == "s").unwrap();
    let ops = ops(&k);
    let kinds: Vec<OpKind> = dep.ops.iter().map(|id| ops.iter().find(|o| o.id == *id).unwrap().kind.clone()).collect();
    assert_eq!(kinds, vec![OpKind::Add, OpKind::Mul, OpKind::Add, OpKind::Select]);
}
