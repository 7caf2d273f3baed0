//! `DEPENDENCE` pragmas from source to schedule, on the front-end's fixture
//! (`crates/front/tests/fixtures/dependence.cpp`, whose IR the golden test `dependence_pragmas`
//! pins). Each loop is the histogram update `h[x[i]] += 1`: a read-modify-write through memory
//! (load 2 cycles + add chained + store 1 = a recurrence of 3 cycles on the xcu280 at 10 ns), so
//! its pipeline runs at II 3; `inter false` (or `class=array`) frees it to the requested II 1,
//! `distance=2` halves the bound to ⌈3 / 2⌉ = 2, and the pragmas that do not concern this RAW
//! (WAR only, another variable, intra) leave II 3. Pipelined loop latency is
//! `depth + II·(TC − 1) + 2` with depth 3 and TC 64.

mod common;

#[test]
fn dependence_pragmas_set_the_recurrence_bound() {
    let e = common::estimate_front_fixture("dependence.cpp", "dependence");
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no loop {name}: {:?}", e.loops));
    let expected_ii = [("none", 3), ("removed", 1), ("distance", 2), ("war_only", 3), ("other_variable", 3), ("any_array", 1), ("intra", 3)];
    for (name, ii) in expected_ii {
        let l = lp(name);
        assert_eq!((l.ii, l.iteration_latency, l.latency.value()), (Some(ii), Some(3), Some(3 + ii * 63 + 2)), "loop {name}");
    }
    let limited = e.notes.iter().filter(|n| n.contains("loop-carried dependence")).count();
    assert_eq!(limited, 5, "{:?}", e.notes);
}
