//! A function whose straight-line logic settles within one clock, with no memory port to wait
//! for and no task to start, is combinational: latency 0, no start/done states, and a call of
//! it adds no cycle (Vitis's `pointer_basic` and `function_instantiate` examples record 0). A
//! loop, a memory read or a long chain keeps the cycles.

mod common;

fn latency(text: &str) -> u64 {
    common::estimate_source("comb.c", text.to_string(), "top").qor.latency.value().unwrap()
}

#[test]
fn straight_line_logic_within_a_clock_takes_no_cycle() {
    assert_eq!(latency("void top(int *d) {\n  static int acc = 0;\n  acc += *d;\n  *d = acc;\n}\n"), 0);
    let calls = "char add(char a, char b) {\n#pragma HLS INLINE OFF\n  return a + b;\n}\nvoid top(char x, char y, char *o1, char *o2) {\n  *o1 = add(x, 1);\n  *o2 = add(y, 2);\n}\n";
    assert_eq!(latency(calls), 0);
    // Pointer parameters of a callee given the addresses of scalars are wires too.
    let by_pointer = "void sumsub(int *a, int *b, int *sum, int *dif) {\n  *sum = *a + *b;\n  *dif = *a - *b;\n}\nvoid top(int x, int y, int *s, int *d) {\n  sumsub(&x, &y, s, d);\n}\n";
    assert_eq!(latency(by_pointer), 0);
}

#[test]
fn memory_loops_and_long_chains_keep_their_cycles() {
    // A read of an interface memory takes its cycle.
    assert!(latency("void top(int a[4], int *d) {\n  *d = a[1] + 1;\n}\n") >= 1);
    // A loop is states.
    assert!(latency("void top(int a[64], int *d) {\n  int s = 0;\n  for (int i = 0; i < 64; i++) s += a[i];\n  *d = s;\n}\n") >= 64);
    // Three chained float adds do not fit in 10 ns.
    assert!(latency("void top(float a, float b, float *d) {\n  *d = ((a + b) + a) + b;\n}\n") >= 3);
}

/// A loop that only steps scalars by constants (`count++` 256 times) is computed in closed form
/// and deleted by the compiler (ForgeHLS `timer_8bit`: 1,026 cycles recorded for 1,024
/// outer iterations, not 1,024 × 258); its parent then is innermost and pipelined. A loop that
/// also adds a value it reads keeps its iterations.
#[test]
fn a_loop_that_only_counts_is_deleted() {
    let counting = "void top(unsigned char out[1024]) {\n  for (int i = 0; i < 1024; i++) {\n    unsigned char count = 0;\n    for (int j = 0; j < 256; j++) count++;\n    out[i] = count;\n  }\n}\n";
    let summing = "void top(unsigned char in[256], unsigned char out[1024]) {\n  for (int i = 0; i < 1024; i++) {\n    unsigned char count = 0;\n    for (int j = 0; j < 256; j++) count += in[j];\n    out[i] = count;\n  }\n}\n";
    let deleted = latency(counting);
    assert!((1024..1100).contains(&deleted), "{deleted}");
    assert!(latency(summing) > 1024 * 256, "{}", latency(summing));
}
