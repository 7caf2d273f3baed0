//! `LATENCY` from source to schedule, on the front-end's fixture
//! (`crates/front/tests/fixtures/latency.cpp`). Hand-computed on the xcu280 at 10 ns: each
//! loop body (load, add, store) takes 2 cycles.
//! - `padded` (not pipelined, `min=5`): 5 cycles an iteration, 64 · 5 + 1 (exit) = 321.
//! - `deep` (pipelined, `min=6`): depth 6, 6 + 1 · 63 + 2 = 71.
//! - `over` (`max=1`): stays at 2 cycles an iteration, with a note.
//! - The function (`min=1000`, the loops take 321 + 71 + 129 = 521): padded to 1000, plus the
//!   top's start state: 1001.

mod common;

#[test]
fn latency_directive_pads_to_min_and_notes_max() {
    let e = common::estimate_front_fixture("latency.cpp", "latency");
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).map(|l| (l.iteration_latency, l.latency.value()));
    assert_eq!(lp("padded"), Some((Some(5), Some(321))));
    assert_eq!(lp("deep"), Some((Some(6), Some(71))));
    assert_eq!(lp("over"), Some((Some(2), Some(129))));
    assert_eq!(e.notes, vec!["loop over: latency 2 exceeds LATENCY max=1".to_string()]);
    assert_eq!(e.qor.latency.value(), Some(1001));
}
