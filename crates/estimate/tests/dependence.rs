//! `DEPENDENCE` pragmas from source to schedule, on the front-end's fixture
//! (`crates/front/tests/fixtures/dependence.cpp`, whose IR the golden test `dependence_pragmas`
//! pins). Each loop is the histogram update `h[x[i]] += 1`: a read-modify-write through memory
//! (load 1 cycle, the add chained into the store's cycle, store 1 = a recurrence of 2 cycles on
//! the xcu280 at 10 ns; ForgeHLS `frequency_counter`, four such updates an iteration, records
//! II 8), so its pipeline runs at II 2; `inter false` (or `class=array`)
//! frees it to the requested II 1, `distance=2` halves the bound to ⌈2 / 2⌉ = 1, and the
//! pragmas that do not concern this RAW (WAR only, another variable, intra) leave II 2.
//! Pipelined loop latency is `depth + II·(TC − 1) + 2` with depth 3 and TC 64.

mod common;

#[test]
fn dependence_pragmas_set_the_recurrence_bound() {
    let e = common::estimate_front_fixture("dependence.cpp", "dependence");
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no loop {name}: {:?}", e.loops));
    let expected_ii = [("none", 2), ("removed", 1), ("distance", 1), ("war_only", 2), ("other_variable", 2), ("any_array", 1), ("intra", 2)];
    for (name, ii) in expected_ii {
        let l = lp(name);
        assert_eq!((l.ii, l.iteration_latency, l.latency.value()), (Some(ii), Some(3), Some(3 + ii * 63 + 2)), "loop {name}");
    }
    let limited = e.notes.iter().filter(|n| n.contains("loop-carried dependence")).count();
    assert_eq!(limited, 4, "{:?}", e.notes);
}
