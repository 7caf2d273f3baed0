//! A subscript past an `ap_int` array's rank selects a bit of the element: `x[i][j]` on
//! `ap_uint<8> x[N]` is one access of `x[i]`, not a two-dimensional access.

mod common;

use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Op, OpKind};

fn kernel_ops(body: &str) -> Vec<Op> {
    let text = format!("#include <ap_int.h>\nvoid k(ap_uint<8> x[16], ap_uint<1> y[16]) {{\n{body}\n}}\n");
    let kernel = parse_kernel(&[SourceFile { name: "k.cpp".into(), text }], "k", &FrontOptions::default()).unwrap();
    common::all_ops(&kernel.function("k").unwrap().body).into_iter().cloned().collect()
}

#[test]
fn reading_a_bit_of_an_element_loads_the_element_once_per_index() {
    let ops = kernel_ops("for (int i = 0; i < 16; i++) { ap_uint<1> p = 0; for (int j = 0; j < 8; j++) p ^= x[i][j]; y[i] = p; }");
    let loads: Vec<&Op> = ops.iter().filter(|o| o.kind == OpKind::Load).collect();
    assert_eq!(loads.len(), 1);
    assert_eq!(loads[0].access.as_ref().unwrap().index.len(), 1, "x[i][j] indexes x by i only");
    assert!(ops.iter().any(|o| o.kind == OpKind::And), "the bit select is an operation");
}

#[test]
fn writing_a_bit_of_an_element_reads_merges_and_writes_it() {
    let ops = kernel_ops("for (int i = 0; i < 16; i++) x[i][3] = y[i];");
    let kinds: Vec<OpKind> = ops.iter().map(|o| o.kind.clone()).collect();
    let x_accesses: Vec<&Op> = ops.iter().filter(|o| o.access.as_ref().is_some_and(|a| a.array.0 == 0)).collect();
    assert_eq!(x_accesses.len(), 2, "{kinds:?}");
    assert!(x_accesses.iter().all(|o| o.access.as_ref().unwrap().index.len() == 1));
    assert_eq!(x_accesses.iter().map(|o| o.kind.clone()).collect::<Vec<_>>(), vec![OpKind::Load, OpKind::Store]);
    assert!(kinds.contains(&OpKind::Or));
}
