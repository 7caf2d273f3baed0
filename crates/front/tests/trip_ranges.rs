//! A loop bounded by a run-time value of a narrow integer type runs at most as many times as
//! the type has values: Vitis reports `for (x = 0; x < width; x++)` with an `ap_uint<5>` width
//! as 0 to 31 iterations (its `variable_bound_loops` example), and a `uint16_t` length as up to
//! 65,535. An `int` bound stays unknown, as Vitis leaves its latency undefined.

use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, Node, TripCount};

fn trips(text: &str) -> Vec<TripCount> {
    let k: Kernel = parse_kernel(&[SourceFile { name: "k.cpp".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap();
    k.function("k").unwrap().body.nodes.iter().filter_map(|n| if let Node::Loop(l) = n { Some(l.trip.clone()) } else { None }).collect()
}

#[test]
fn a_narrow_bound_limits_the_trip_count_to_its_type() {
    let t = trips(
        "#include <ap_int.h>\n#include <cstdint>\n\
         void k(ap_int<8> a[32], ap_uint<5> width, uint16_t &len, int n, signed char c) {\n\
           ap_uint<5> x;\n\
           for (x = 0; x < width; x++) a[x] += 1;\n\
           uint16_t payload = len - 22;\n\
           for (int i = 0; i < payload; i++) a[i & 31] += 2;\n\
           for (int i = 0; i < n; i++) a[i & 31] += 3;\n\
           for (int i = 0; i <= c; i++) a[i & 31] += 4;\n\
         }\n",
    );
    let bounds: Vec<(Option<u64>, Option<u64>)> = t.iter().map(|t| (t.min, t.max)).collect();
    assert_eq!(bounds, vec![(Some(0), Some(31)), (Some(0), Some(65535)), (None, None), (Some(0), Some(128))]);
}

/// Rosetta 3d-rendering bounds its rasterisation loop by an element of a `bit16` array (the
/// bounding-box size computed by the previous stage); an `int` array element stays unknown.
#[test]
fn a_narrow_array_element_bound_limits_the_trip_count_too() {
    let t = trips(
        "#include <ap_int.h>\n\
         typedef ap_uint<16> bit16;\n\
         void k(int a[32], bit16 max_index[2], ap_uint<4> grid[4][4], int sizes[2]) {\n\
           for (bit16 i = 0; i < max_index[0]; i++) a[i & 31] += 1;\n\
           for (int i = 1; i <= (int)(grid[1][2]); i++) a[i & 31] += 2;\n\
           for (int i = 0; i < sizes[1]; i++) a[i & 31] += 3;\n\
         }\n",
    );
    let bounds: Vec<(Option<u64>, Option<u64>)> = t.iter().map(|t| (t.min, t.max)).collect();
    assert_eq!(bounds, vec![(Some(0), Some(65535)), (Some(0), Some(15)), (None, None)]);
}
