//! Memory accesses in mutually exclusive branches share a port: only one side runs in an
//! iteration (ForgeHLS `mux_8_to_1`, a `switch` over eight rows of one array, is pipelined at
//! II 1 by Vitis: 1,026 cycles for 1,024 iterations).

mod common;

use common::estimate_source;

fn ii_of(source: &str) -> u64 {
    let e = estimate_source("k.cpp", source.to_string(), "k");
    e.loops[0].ii.expect("pipelined")
}

#[test]
fn exclusive_reads_of_one_array_do_not_add_up() {
    let switch = "void k(int sel, int in[4][256], int out[256]) {\n  for (int i = 0; i < 256; i++) {\n\
        switch (sel) {\n case 0: out[i] = in[0][i]; break;\n case 1: out[i] = in[1][i]; break;\n\
        case 2: out[i] = in[2][i]; break;\n default: out[i] = in[3][i]; break;\n }\n  }\n}\n";
    assert_eq!(ii_of(switch), 1);
    // The same four reads all taken in one iteration need two cycles of a two-port memory.
    let all = "void k(int sel, int in[4][256], int out[256]) {\n  for (int i = 0; i < 256; i++)\n\
        out[i] = in[0][i] + in[1][i] + in[2][i] + in[3][i];\n}\n";
    assert_eq!(ii_of(all), 2);
}

#[test]
fn an_access_on_both_sides_of_a_branch_and_after_it_still_counts_twice() {
    // One read in either arm plus two after the branch: three reads in an iteration.
    let src = "void k(int sel, int in[4][256], int out[256]) {\n  for (int i = 0; i < 256; i++) {\n\
        int v;\n if (sel) v = in[0][i]; else v = in[1][i];\n out[i] = v + in[2][i] + in[3][i];\n  }\n}\n";
    assert_eq!(ii_of(src), 2);
}
