//! A struct local assigned whole (`Node n = nodes[i];`) carries its fields: reading `n.f`
//! uses the loaded value, so a walk whose next index comes from the node it loaded is one
//! recurrence through both loads. A field written after the whole assignment wins.

mod common;

use common::all_ops;
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{CarriedDep, Function, Kernel, OpKind, Operand};

const NODE: &str = "struct Node { int feature; float threshold; int left; int right; };\n";

fn kernel(body: &str) -> Kernel {
    let text = format!("{NODE}void k(float f[10], Node nodes[64], int out[4]) {{\n{body}\n}}\n");
    parse_kernel(&[SourceFile { name: "k.cpp".into(), text }], "k", &FrontOptions::default()).unwrap()
}

fn first_loop_deps(f: &Function) -> Vec<CarriedDep> {
    let mut deps = Vec::new();
    f.body.visit_loops(&mut |l| {
        if deps.is_empty() {
            deps = l.carried.clone();
        }
    });
    deps
}

#[test]
fn a_tree_walk_recurs_through_the_node_it_loads() {
    let k = kernel(
        "int at = 0;
         for (int i = 0; i < 16; i++) {
           Node n = nodes[at];
           if (f[n.feature] <= n.threshold) at = n.left; else at = n.right;
         }
         out[0] = at;",
    );
    let f = k.function("k").unwrap();
    let all = all_ops(&f.body);
    let kind = |id: &hlsseek_ir::OpId| all.iter().find(|o| o.id == *id).map(|o| o.kind.clone());
    let deps = first_loop_deps(f);
    let at = deps.iter().find(|d| d.variable == "at").expect("the index is carried");
    let chain: Vec<Option<OpKind>> = at.ops.iter().map(kind).collect();
    assert_eq!(chain.iter().filter(|k| **k == Some(OpKind::Load)).count(), 2, "node load, then feature load: {chain:?}");
    assert!(chain.contains(&Some(OpKind::Cmp)), "{chain:?}");
    // The feature load is indexed by the node's value, not by an unknown scalar `n.feature`.
    let node_load = all.iter().find(|o| o.kind == OpKind::Load && o.access.as_ref().is_some_and(|a| a.array.0 == 1)).unwrap();
    let feature_load = all.iter().find(|o| o.kind == OpKind::Load && o.access.as_ref().is_some_and(|a| a.array.0 == 0)).unwrap();
    assert!(feature_load.operands.contains(&Operand::Op(node_load.id)), "{:?}", feature_load.operands);
}

#[test]
fn a_field_written_after_the_whole_value_is_read_back() {
    let k = kernel(
        "for (int i = 0; i < 4; i++) {
           Node n = nodes[i];
           n.left = 7;
           out[i] = n.left + n.right;
         }",
    );
    let all = all_ops(&k.function("k").unwrap().body);
    let add = all.iter().find(|o| o.kind == OpKind::Add).expect("the sum");
    assert!(add.operands.contains(&Operand::Int(7)), "n.left is the 7 written: {:?}", add.operands);
    let load = all.iter().find(|o| o.kind == OpKind::Load).unwrap();
    assert!(add.operands.contains(&Operand::Op(load.id)), "n.right comes from the load: {:?}", add.operands);
}

#[test]
fn a_whole_assignment_replaces_fields_written_before_it() {
    let k = kernel(
        "Node n;
         n.left = 7;
         for (int i = 0; i < 4; i++) {
           n = nodes[i];
           out[i] = n.left;
         }",
    );
    let all = all_ops(&k.function("k").unwrap().body);
    let load = all.iter().find(|o| o.kind == OpKind::Load).unwrap();
    let store = all.iter().find(|o| o.kind == OpKind::Store).unwrap();
    assert!(store.operands.contains(&Operand::Op(load.id)), "out[i] stores the loaded node's field: {:?}", store.operands);
}
