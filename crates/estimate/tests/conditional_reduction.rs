//! A reduction whose update sits in a branch (`if (i < n) t += a[i];`) still carries its value
//! from one iteration to the next: the recurrence runs through the add inside the branch and
//! the select that merges the branch, not only through the select's "unchanged" arm. Hand-
//! computed on the xcu280 at 10 ns: a float add takes 2 cycles, so the plain reduction pipelines
//! at II 2 (64 iterations, depth 3: 3 + 2 · 63 + 2 = 131); the guarded one adds the merging
//! select after the add's output register, on the recurrence and in the iteration: II 3,
//! depth 4, 4 + 3 · 63 + 2 = 195. (Before the front-end followed the chain into the branch, the
//! guarded loop was scheduled at II 1; before the select read the add itself, at depth 3.)

mod common;

const SRC: &str = "void acc(const float a[64], float out[2], int n) {
  float s = 0.0f;
  float t = 0.0f;
  plain: for (int i = 0; i < 64; i++) {
#pragma HLS pipeline II=1
    s += a[i];
  }
  guarded: for (int i = 0; i < 64; i++) {
#pragma HLS pipeline II=1
    if (i < n)
      t += a[i];
  }
  out[0] = s;
  out[1] = t;
}
";

#[test]
fn a_guarded_reduction_keeps_its_recurrence() {
    let e = common::estimate_source("acc.c", SRC.to_string(), "acc");
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).map(|l| (l.ii, l.iteration_latency, l.latency.value()));
    assert_eq!(lp("plain"), Some((Some(2), Some(3), Some(131))));
    assert_eq!(lp("guarded"), Some((Some(3), Some(4), Some(195))));
    assert!(e.notes.iter().any(|n| n == "loop guarded: II 3 limited by a loop-carried dependence"), "{:?}", e.notes);
}
