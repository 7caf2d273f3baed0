//! `DEPENDENCE` pragmas from source to schedule: the histogram update `h[x[i]] += 1` carries a
//! read-modify-write through memory (load 2 cycles + add chained + store 1 = a recurrence of 3
//! cycles on the xcu280 at 10 ns), so its pipeline runs at II 3; `inter false` frees it to the
//! requested II 1, and `distance=2` halves the bound to ⌈3 / 2⌉ = 2. Pipelined loop latency is
//! `depth + II·(TC − 1) + 2` with depth 3 and TC 64.

use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};

const SOURCE: &str = r#"
void hist(const int x[64], int h[16]) {
  plain: for (int i = 0; i < 64; i++) {
#pragma HLS PIPELINE II=1
    h[x[i]] += 1;
  }
  asserted_free: for (int i = 0; i < 64; i++) {
#pragma HLS PIPELINE II=1
#pragma HLS DEPENDENCE variable=h inter false
    h[x[i]] += 1;
  }
  distance_two: for (int i = 0; i < 64; i++) {
#pragma HLS PIPELINE II=1
#pragma HLS DEPENDENCE variable=h type=inter distance=2 dependent=true
    h[x[i]] += 1;
  }
}
"#;

#[test]
fn dependence_pragmas_set_the_recurrence_bound() {
    let files = vec![SourceFile { name: "hist.cpp".into(), text: SOURCE.into() }];
    let k = parse_kernel(&files, "hist", &FrontOptions::default()).unwrap();
    let e = estimate(&k, &Profile::builtin("xcu280").unwrap(), Some(10.0)).unwrap();
    let lp = |name: &str| e.loops.iter().find(|l| l.name == name).unwrap_or_else(|| panic!("no loop {name}: {:?}", e.loops));
    let got: Vec<(Option<u64>, Option<u64>, Option<u64>)> =
        ["plain", "asserted_free", "distance_two"].iter().map(|n| (lp(n).ii, lp(n).iteration_latency, lp(n).latency.value())).collect();
    assert_eq!(got, vec![(Some(3), Some(3), Some(3 + 3 * 63 + 2)), (Some(1), Some(3), Some(3 + 63 + 2)), (Some(2), Some(3), Some(3 + 2 * 63 + 2))]);
    assert_eq!(e.notes.iter().filter(|n| n.contains("loop-carried dependence")).count(), 2, "{:?}", e.notes);
}
