//! What bounds a pipeline's II through a loop-carried value (xcu280, 10 ns: fadd and fmul 2
//! cycles, a memory read 1, a store 1, small integer logic chained inside a cycle):
//! - of several store/load pairs on one array, the slowest cycle (a filter's `w[1]` update,
//!   fmul + fsub + fsub and the register's read and write, not its `w[2] = w[1]` copy:
//!   ForgeHLS `butterworth_filter` records 8,209 cycles for 1,024 iterations, II 8);
//! - an inner loop unrolled in the pipeline that updates the same value repeats the cycle
//!   (ForgeHLS `frequency_counter`: four histogram updates an iteration, II 8, 8,455 cycles);
//! - a data-dependent index that stays put in the inner loop (`f[label][j]` over `j`) does not
//!   make the inner copies wait on each other;
//! - what an outer loop flattened into the pipeline carries comes back after the inner loops'
//!   fewest iterations (one, in a triangle's first row);
//! - a value stored unconditionally and read back the next iteration is forwarded in a
//!   register (`c[i] = c[i - 1] + h[i]`: II 1, ForgeHLS `fibonacci` 1,026 cycles for 1,022
//!   iterations), while a conditional read or a second store keeps the trip through memory;
//! - `std::swap` of two elements is two stores (a bubble sort's exchange waits on memory).

mod common;

use common::estimate_source;

fn ii_of(source: &str, loop_name: &str) -> u64 {
    let e = estimate_source("k.cpp", source.to_string(), "k");
    let l = e.loops.iter().find(|l| l.name == loop_name).unwrap_or_else(|| panic!("no loop {loop_name}: {:?}", e.loops));
    l.ii.unwrap_or_else(|| panic!("{loop_name} is not pipelined: {:?}", e.loops))
}

#[test]
fn the_slowest_of_several_cycles_through_one_array_bounds_the_ii() {
    let filter = "void k(const float in[1024], float out[1024], const float a[3]) {\n\
        float w[3] = {0, 0, 0};\n\
        L: for (int i = 0; i < 1024; i++) {\n\
          float nw = in[i] - a[1] * w[1] - a[2] * w[2];\n\
          out[i] = nw;\n\
          w[2] = w[1];\n\
          w[1] = nw;\n\
        }\n}\n";
    // 7 here: `w` is three registers (a read and a write chain into the fmul's and the
    // store's cycles), where Vitis spends a cycle more; the `w[2] = w[1]` pair alone gives 1.
    assert_eq!(ii_of(filter, "L"), 7);
}

#[test]
fn updates_unrolled_inside_the_pipeline_wait_on_each_other() {
    let histogram = "void k(const unsigned in[1024], unsigned h[256]) {\n\
        L: for (int i = 0; i < 1024; i++) {\n\
          unsigned v = in[i];\n\
          for (int j = 0; j < 4; j++) h[(v >> (8 * j)) & 255]++;\n\
        }\n}\n";
    assert_eq!(ii_of(histogram, "L"), 8, "four read-modify-writes of 2 cycles");
    let float_sum = "void k(const float a[1024][4], float out[1]) {\n\
        #pragma HLS ARRAY_PARTITION variable=a dim=2 complete\n  float s = 0;\n\
        L: for (int i = 0; i < 1024; i++) {\n#pragma HLS PIPELINE II=1\n\
          for (int j = 0; j < 4; j++) s += a[i][j];\n  }\n  out[0] = s;\n}\n";
    assert_eq!(ii_of(float_sum, "L"), 8, "four fadds in a row, not re-associated");
    // Integer additions are re-associated into a tree: one add on the cycle.
    let int_sum = float_sum.replace("float", "int");
    assert_eq!(ii_of(&int_sum, "L"), 1);
}

#[test]
fn a_row_picked_by_data_stays_put_across_the_inner_loop() {
    let per_class = "void k(const float x[1024][16], const int label[1024], float f[4][16]) {\n\
        L: for (int i = 0; i < 1024; i++) {\n\
          int c = label[i];\n\
          for (int j = 0; j < 16; j++) f[c][j] += x[i][j];\n\
        }\n}\n";
    // Sixteen distinct cells an iteration: one read-modify-write deep (2 cycles), however
    // many ports the sixteen reads need; not sixteen fadd cycles in a row.
    let ii = ii_of(per_class, "L");
    assert!(ii < 16 * 2, "II {ii}");
}

#[test]
fn a_flattened_triangle_comes_back_to_its_cells_at_once() {
    // `k` and `j` flatten into one pipeline; C[i][j] comes back after as many iterations as
    // `j` has, which is one in the first row: the tool schedules the read-modify-write
    // (load + dadd + store) for it (ForgeHLS PolyBench syr2k: 5.76 G cycles recorded, 1.44 G
    // at II 1). A rectangular `j` of 256 leaves it time.
    let nest = |bound: &str| {
        format!(
            "void k(double C[256][256], const double A[256][256]) {{\n\
             for (int i = 0; i < 256; i++)\n\
               for (int k = 0; k < 256; k++)\n\
                 for (int j = 0; j {bound}; j++)\n\
                   C[i][j] += A[j][k] * A[i][k];\n}}\n"
        )
    };
    let flattened_ii = |src: String| {
        let e = estimate_source("k.cpp", src, "k");
        let l = e.loops.iter().find(|l| l.flattened).unwrap_or_else(|| panic!("k and j flattened: {:?}", e.loops));
        l.ii.unwrap()
    };
    let ii = flattened_ii(nest("<= i"));
    assert!(ii >= 3, "II {ii}");
    assert_eq!(flattened_ii(nest("< 256")), 1);
}

#[test]
fn a_value_stored_and_read_back_next_iteration_is_forwarded() {
    let prefix = "void k(const int h[1024], int out[1024]) {\n\
        int c[1024];\n  c[0] = h[0];\n\
        L: for (int i = 1; i < 1024; i++) c[i] = c[i - 1] + h[i];\n\
        for (int i = 0; i < 1024; i++) out[i] = c[i];\n}\n";
    assert_eq!(ii_of(prefix, "L"), 1, "the add's result waits in a register");
    // Read under a branch: the load stays (ForgeHLS `sr_latch`, II 2).
    let conditional = prefix.replace("c[i] = c[i - 1] + h[i];", "{ int v = h[i]; if (v < 0) v = c[i - 1]; c[i] = v; }");
    assert_eq!(ii_of(&conditional, "L"), 2, "read, then write, of one memory");
    // Two stores to the array: which one the next iteration reads is not known statically.
    let two_stores = prefix.replace("c[i] = c[i - 1] + h[i];", "{ if (h[i]) c[i] = 0; else c[i] = c[i - 1] + 1; }");
    assert_eq!(ii_of(&two_stores, "L"), 2);
}

#[test]
fn a_swap_writes_both_elements() {
    let bubble = "#include <algorithm>\nvoid k(int a[1024]) {\n\
        for (int i = 0; i < 1023; i++)\n\
          L: for (int j = 0; j < 1023 - i; j++)\n\
            if (a[j] > a[j + 1]) std::swap(a[j], a[j + 1]);\n}\n";
    // Iteration j writes a[j + 1], which iteration j + 1 reads first: a read-compare-write
    // cycle of 2 (ForgeHLS's bubble sorts record 4; without the stores it was 1).
    assert_eq!(ii_of(bubble, "L0_L"), 2);
}
