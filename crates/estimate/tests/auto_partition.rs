//! Vitis's throughput-driven partitioning (xcu280 profile, `throughput_partition_max_elements`
//! 16): a small local array read by every copy of a loop unrolled in a pipeline is split into
//! one bank per copy, so the copies do not queue on its two ports (ForgeHLS `des_encrypt`: 16
//! round keys read in an unrolled 16-round loop, 1,029 cycles for 1,024 blocks, II 1). A larger
//! array, or one the source partitions itself, keeps what it has.

mod common;

use common::estimate_source;

fn rounds(keys: u32) -> String {
    format!(
        "#include <stdint.h>\n\
         void k(const uint64_t in[1024], uint64_t out[1024], uint64_t key) {{\n\
           uint64_t sub[{keys}];\n\
           for (int i = 0; i < {keys}; i++) sub[i] = key + i;\n\
           L: for (int i = 0; i < 1024; i++) {{\n\
             uint64_t l = in[i] >> 32, r = in[i] & 0xFFFFFFFF;\n\
             for (int j = 0; j < {keys}; j++) {{ uint64_t t = r; r = l ^ (r + sub[j]); l = t; }}\n\
             out[i] = (r << 32) | l;\n\
           }}\n\
         }}\n"
    )
}

fn ii(source: String) -> u64 {
    let e = estimate_source("k.cpp", source, "k");
    let l = e.loops.iter().find(|l| l.name == "L").unwrap_or_else(|| panic!("no loop L: {:?}", e.loops));
    l.ii.unwrap_or_else(|| panic!("L is not pipelined: {:?}", e.loops))
}

#[test]
fn a_small_local_array_gets_a_bank_per_unrolled_copy() {
    assert_eq!(ii(rounds(16)), 1, "16 keys in 16 banks");
    // 32 keys stay in one memory: 32 reads on 2 ports.
    assert_eq!(ii(rounds(32)), 16);
}
