//! The per-array memory report: each array's partitioning, banks, storage and cost, hand-computed
//! on the xcu280 (BRAM18K shapes up to 36 × 512; a bank of ≤ 1024 bits goes to LUTRAM, one LUT
//! per 64 bits plus an output register; a completely partitioned array is registers).

mod common;

use hlsseek_qor::{MemoryReport, Storage};

const KERNEL: &str = r#"
#define N 1024
void mem(int in[N], int out[N]) {
  int banked[N];
#pragma HLS ARRAY_PARTITION variable=banked cyclic factor=4 dim=1
  int regs[8];
#pragma HLS ARRAY_PARTITION variable=regs complete dim=1
  int small[16];
  int grid[64][32];
#pragma HLS ARRAY_PARTITION variable=grid block factor=2 dim=2
  for (int i = 0; i < N; i++) banked[i] = in[i];
  for (int i = 0; i < 8; i++) regs[i] = i;
  for (int i = 0; i < 16; i++) small[i] = i;
  for (int i = 0; i < 64; i++)
    for (int j = 0; j < 32; j++) grid[i][j] = i + j;
  for (int i = 0; i < N; i++) out[i] = banked[i] + regs[i % 8] + small[i % 16] + grid[i % 64][i % 32];
}
"#;

/// (name, storage, words, banks, partition, BRAM18K, LUT, FF)
type Row = (&'static str, Storage, u64, u64, &'static [&'static str], u64, u64, u64);

fn memory<'a>(all: &'a [MemoryReport], name: &str) -> &'a MemoryReport {
    all.iter().find(|m| m.name == name).unwrap_or_else(|| panic!("no array {name} in {all:?}"))
}

#[test]
fn each_array_shows_its_banks_storage_and_cost() {
    let e = common::estimate_source("mem.c", KERNEL.to_string(), "mem");
    let m = &e.memories;
    assert_eq!(m.len(), 6, "{m:?}");
    let expected: [Row; 6] = [
        // Interface arrays are the caller's memory: listed, free.
        ("in", Storage::External, 1024, 1, &["-"], 0, 0, 0),
        ("out", Storage::External, 1024, 1, &["-"], 0, 0, 0),
        // 4 banks of 256 × 32 bits: one 36 × 512 block each.
        ("banked", Storage::Bram, 1024, 4, &["cyclic 4"], 4, 0, 0),
        // 8 × 32 bits of flip-flops.
        ("regs", Storage::Registers, 8, 8, &["complete 8"], 0, 0, 256),
        // 512 bits: LUTRAM, 8 LUTs and a 32-bit output register.
        ("small", Storage::Lutram, 16, 1, &["-"], 0, 8, 32),
        // 2 banks of 64 × 16 × 32 bits = 32 Kbit: two blocks each.
        ("grid", Storage::Bram, 2048, 2, &["-", "block 2"], 4, 0, 0),
    ];
    for (name, storage, words, banks, partition, bram, lut, ff) in expected {
        let a = memory(m, name);
        assert_eq!((a.function.as_str(), a.storage, a.words, a.width, a.banks), ("mem", storage, words, 32, banks), "{name}: {a:?}");
        assert_eq!(a.partition, partition, "{name}");
        assert_eq!((a.resources.bram, a.resources.lut, a.resources.ff), (bram, lut, ff), "{name}: {a:?}");
    }
    // No m_axi adapter here: the arrays are all the BRAM there is.
    assert_eq!(m.iter().map(|a| a.resources.bram).sum::<u64>(), e.qor.resources.bram);
}

/// A `BIND_STORAGE impl=` decides the storage column too (the front-end's fixture).
#[test]
fn bound_storage_is_reported() {
    let e = common::estimate_front_fixture("bind_storage.cpp", "bind_storage");
    assert_eq!(memory(&e.memories, "lut").storage, Storage::Lutram);
    let ultra = memory(&e.memories, "ultra");
    assert_eq!((ultra.storage, ultra.resources.uram), (Storage::Uram, Some(1)));
    assert_eq!(memory(&e.memories, "dflt").storage, Storage::Bram);
}

/// A local array sized at run time (which Vitis rejects) is listed as such, counted as nothing,
/// and a note says so.
#[test]
fn an_array_of_unknown_size_is_named_not_counted() {
    let src = "void k(int n, int out[64]) {\n  int buf[n];\n  for (int i = 0; i < 64; i++) buf[i % n] = i;\n  for (int i = 0; i < 64; i++) out[i] = buf[i % n];\n}\n";
    let e = common::estimate_source("vla.c", src.to_string(), "k");
    let buf = memory(&e.memories, "buf");
    assert_eq!((buf.storage, buf.words, buf.resources.bram, buf.resources.lut), (Storage::Unsized, 0, 0, 0), "{buf:?}");
    assert!(e.notes.iter().any(|n| n.contains("array buf in k: size unknown")), "{:?}", e.notes);
}

/// A member array takes its extents from the struct's declaration (HLSyn's aes keeps its keys
/// in `ctx->enckey[32]`); a 2-D member keeps both dimensions.
#[test]
fn member_arrays_are_sized_by_their_struct() {
    let src = "typedef struct { unsigned char key[32]; int grid[4][256]; } ctx_t;\n\
               void k(ctx_t *ctx, int out[256]) {\n\
                 for (int i = 0; i < 32; i++) ctx->key[i] = i;\n\
                 for (int i = 0; i < 256; i++) out[i] = ctx->grid[i % 4][i] + ctx->key[i % 32];\n\
               }\n";
    let e = common::estimate_source("member.c", src.to_string(), "k");
    let key = memory(&e.memories, "ctx->key");
    assert_eq!((key.storage, key.words, key.width), (Storage::Lutram, 32, 8), "{key:?}");
    let grid = memory(&e.memories, "ctx->grid");
    assert_eq!((grid.storage, grid.words, grid.partition.len()), (Storage::Bram, 1024, 2), "{grid:?}");
    assert!(!e.notes.iter().any(|n| n.contains("size unknown")), "{:?}", e.notes);
}

/// A file-scope array that several functions use is one memory (UG1399 "Global Variables"),
/// listed once under the top and counted once, however many functions and call sites touch
/// it; a file-scope array of one function stays that function's.
#[test]
fn a_shared_global_array_is_one_memory() {
    const SHARED: &str = r#"
int table[2048];
int own[2048];
static int lookup(int i) {
  int s = 0;
  for (int k = 0; k < 4; k++) s += table[(i + k) % 2048];
  return s;
}
static void fill(int v) {
  for (int k = 0; k < 2048; k++) table[k] = v + k;
}
void top(int x[16], int y[16]) {
  fill(x[0]);
  for (int i = 0; i < 16; i++) y[i] = lookup(x[i]) + lookup(y[i]) + own[i];
  for (int i = 0; i < 16; i++) own[i] = y[i];
}
"#;
    let e = common::estimate_source("shared.c", SHARED.to_string(), "top");
    let tables: Vec<&MemoryReport> = e.memories.iter().filter(|m| m.name == "table").collect();
    assert_eq!(tables.len(), 1, "{:?}", e.memories);
    // 2048 × 32 bits = 64 Kbit: four 36 × 512 blocks, once.
    assert_eq!((tables[0].function.as_str(), tables[0].storage, tables[0].resources.bram), ("top", Storage::Bram, 4));
    assert_eq!(memory(&e.memories, "own").function, "top");
    assert_eq!(e.qor.resources.bram, e.memories.iter().map(|m| m.resources.bram).sum::<u64>());
}

/// A stream parameter is a port of the top (or the caller's FIFO, seen from a callee): no
/// storage of its own. A stream declared inside is a FIFO channel and is built: depth × width
/// bits in shift registers (Vitis examples such as `split_load_balance` record 68 FF for a
/// top with four 32-bit stream ports and no channel).
#[test]
fn stream_parameters_are_ports_and_local_streams_are_fifos() {
    const STREAMS: &str = r#"
#include "hls_stream.h"
static void produce(hls::stream<int> &in, hls::stream<int> &mid) {
  for (int i = 0; i < 64; i++) mid.write(in.read() + 1);
}
static void consume(hls::stream<int> &mid, hls::stream<int> &out) {
  for (int i = 0; i < 64; i++) out.write(mid.read() * 3);
}
void top(hls::stream<int> &in, hls::stream<int> &out) {
#pragma HLS DATAFLOW
  hls::stream<int> mid;
#pragma HLS STREAM variable=mid depth=8
  produce(in, mid);
  consume(mid, out);
}
"#;
    let e = common::estimate_source("streams.cpp", STREAMS.to_string(), "top");
    let fifos: Vec<&MemoryReport> = e.memories.iter().filter(|m| m.storage == Storage::Fifo).collect();
    assert_eq!(fifos.len(), 1, "{:?}", e.memories);
    assert_eq!((fifos[0].name.as_str(), fifos[0].function.as_str(), fifos[0].words), ("mid", "top", 8));
    assert!(fifos[0].resources.ff > 0, "{:?}", fifos[0]);
    for port in e.memories.iter().filter(|m| m.storage != Storage::Fifo) {
        assert_eq!((port.resources.lut, port.resources.ff, port.resources.bram), (0, 0, 0), "{port:?}");
    }
}

/// A top-level pointer to one value (`int *d` used only as `*d`) is a scalar port: its reads
/// and writes are wires, not memory accesses with a cycle each (Vitis's `pointer_basic`
/// example records a latency of 0). An interface array read at its first element stays a
/// memory.
#[test]
fn a_pointer_to_one_value_is_a_wire() {
    let lat = |params: &str| {
        let text = format!("void top({params}) {{\n  int v = d[0];\n  d[0] = v * 3 + 1;\n}}\n");
        let e = common::estimate_source("ptr.c", text, "top");
        e.qor.latency.value().unwrap()
    };
    let (port, memory) = (lat("int *d"), lat("int d[2]"));
    assert!(port < memory, "pointer {port} cycles, array {memory}");
    assert!(port <= 2, "{port}");
}
