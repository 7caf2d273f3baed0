//! `BIND_STORAGE` from source to schedule and resources, on the front-end's fixture
//! (`crates/front/tests/fixtures/bind_storage.cpp`, whose IR the golden test
//! `bind_storage_pragmas` pins). Hand-computed on the xcu280 at 10 ns: a read, an add and a
//! store take depth 2 (load 1 cycle, add chained, store); pipelined latency is
//! `depth + II·(TC − 1) + 2`.
//! - A read and a write of one array per iteration fit the default true dual-port BRAM and a
//!   simple dual-port (`ram_s2p`: one read port, one write port) at II 1; a single port
//!   (`ram_1p`) takes II 2.
//! - Two reads per iteration: `ram_s2p` has one read port (II 2), `ram_2p` two (II 1).
//! - `latency=3` adds two cycles to the read: depth 4.
//! - Each 1024 × 32-bit array is two BRAM18K, except `impl=lutram` (none) and `impl=uram`
//!   (one URAM block of 4K × 72): 5 × 2 = 10 BRAM18K, 1 URAM.

mod common;

#[test]
fn bind_storage_sets_ports_latency_and_implementation() {
    let e = common::estimate_front_fixture("bind_storage.cpp", "bind_storage");
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no loop {name}: {:?}", e.loops));
    // (loop, trip count, II, depth)
    let expected = [
        ("fill", 1024, 1, 2),
        ("rmw_default", 1024, 1, 2),
        ("rmw_1p", 1024, 2, 2),
        ("rmw_s2p", 1024, 1, 2),
        ("pair_s2p", 512, 2, 2),
        ("pair_2p", 512, 1, 2),
        ("read_default", 1024, 1, 2),
        ("read_slow", 1024, 1, 4),
    ];
    for (name, tc, ii, depth) in expected {
        let l = lp(name);
        assert_eq!((l.ii, l.iteration_latency, l.latency.value()), (Some(ii), Some(depth), Some(depth + ii * (tc - 1) + 2)), "loop {name}");
    }
    let port_limited: Vec<&String> = e.notes.iter().filter(|n| n.contains("limited by memory ports")).collect();
    assert_eq!(port_limited.len(), 2, "{:?}", e.notes);
    assert_eq!((e.qor.resources.bram, e.qor.resources.uram), (10, Some(1)));
}
