//! Merlin's memory coalescing (`merlin.memory_coalescing`): each top-level array's port takes
//! the 512-bit bus, halved until the array's innermost dimensions tile whole words, and its
//! burst buffer is partitioned to match (innermost dimensions cyclically by the elements a word
//! carries), merged with what PARALLEL asks for (the larger factor per dimension).

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_qor::MemoryReport;

const KERNEL: &str = r#"
#pragma ACCEL kernel
void k(double a[64][64], double b[40][70], double c[45][45], float d[4][4], double e[64][64], double out[64]) {
  for (int i = 0; i < 64; i++) {
    double s = 0.0;
    for (int j = 0; j < 64; j++) s += a[i][j];
#pragma ACCEL PARALLEL FACTOR=16
    for (int j = 0; j < 64; j++) s += e[i][j];
    out[i] = s;
  }
  for (int i = 0; i < 40; i++)
    for (int j = 0; j < 70; j++) out[i % 64] += b[i][j];
  for (int i = 0; i < 45; i++)
    for (int j = 0; j < 45; j++) out[i] += c[i][j];
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 4; j++) out[i] += d[i][j];
}
"#;

/// `text`'s top `top` estimated on the vu9p, with or without memory coalescing.
fn estimate_vu9p(text: &str, top: &str, coalescing: bool) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: format!("{top}.c"), text: text.into() }], top, &FrontOptions::default()).unwrap();
    let mut p = Profile::builtin("vu9p").unwrap();
    p.merlin.memory_coalescing = coalescing;
    estimate(&k, &p, None).unwrap()
}

fn memories(coalescing: bool) -> Vec<MemoryReport> {
    estimate_vu9p(KERNEL, "k", coalescing).memories
}

fn partition<'a>(m: &'a [MemoryReport], name: &str) -> &'a [String] {
    &m.iter().find(|a| a.name == name).unwrap_or_else(|| panic!("no array {name} in {m:?}")).partition
}

#[test]
fn burst_buffers_are_split_to_the_bus_width() {
    let m = memories(true);
    // 8 doubles per 512-bit word, and 64 is a multiple of 8.
    assert_eq!(partition(&m, "a"), ["-", "cyclic 8"]);
    // 70 doubles per row tile neither 8- nor 4-element words: the port narrows to 2 doubles.
    assert_eq!(partition(&m, "b"), ["-", "cyclic 2"]);
    // 45 is odd: no width of two or more elements fits, the buffer is left unaligned.
    assert_eq!(partition(&m, "c"), ["-", "-"]);
    // 16 floats per word: a row of 4 is split completely and 4 rows make a word.
    assert_eq!(partition(&m, "d"), ["complete 4", "complete 4"]);
    // PARALLEL's 16 copies ask for more than the bus: the larger factor wins.
    assert_eq!(partition(&m, "e"), ["-", "cyclic 16"]);
    // A one-dimensional buffer always takes the full width.
    assert_eq!(partition(&m, "out"), ["cyclic 8"]);
}

#[test]
fn without_the_rule_only_parallel_partitions() {
    let m = memories(false);
    assert_eq!(partition(&m, "a"), ["-", "-"]);
    assert_eq!(partition(&m, "b"), ["-", "-"]);
    assert_eq!(partition(&m, "e"), ["-", "cyclic 16"]);
    assert_eq!(partition(&m, "out"), ["-"]);
}

/// Latency of `text`'s top `t` on the vu9p with and without memory coalescing.
fn latencies(text: &str) -> (u64, u64) {
    let latency = |coalescing| estimate_vu9p(text, "t", coalescing).qor.latency.max.unwrap();
    (latency(true), latency(false))
}

#[test]
fn a_port_narrows_to_the_words_its_rows_tile() {
    // 40 rows of 70 doubles tile 2-double words only: 22,400 bytes take 1,400 beats of 16 bytes
    // instead of 350 of 64.
    let (on, off) = latencies(
        "#pragma ACCEL kernel\nvoid t(double b[40][70], double out[1]) {\n  double s = 0.0;\n  for (int i = 0; i < 40; i++)\n    for (int j = 0; j < 70; j++) s += b[i][j];\n  out[0] = s;\n}\n",
    );
    assert_eq!(on - off, 1400 - 350);
    // Rows of 64 doubles fill whole 512-bit words: the same beats either way.
    let (on, off) = latencies(
        "#pragma ACCEL kernel\nvoid t(double b[40][64], double out[1]) {\n  double s = 0.0;\n  for (int i = 0; i < 40; i++)\n    for (int j = 0; j < 64; j++) s += b[i][j];\n  out[0] = s;\n}\n",
    );
    assert_eq!(on, off);
}
