//! Merlin refuses a coarse-grained `PARALLEL` whose copies would write what another copy touches
//! (`memory_burst_cg.cpp`, CGPAR_WARNING_13) and removes the pragma (`coarse_parallel.cpp`), so
//! the loop is synthesized as written (`merlin.refuse_overlapping_parallel`). Here every copy of
//! `i` updates the same `y[j]`: at factors 2 and 4 the estimate is the one of the kernel with no
//! pragma at all, latency and resources, and a note says why. Copies that write their own rows
//! of `C` are not refused: factor 4 has more DSPs than factor 2. Merlin also refuses copies
//! whose buffers of one array together pass its 1 MiB single-buffer limit
//! (`merlin.single_buffer_bytes`): each copy of `i` below reads all of `B` (256 × 256 doubles,
//! 512 KiB), so 2 copies (exactly 1 MiB) are made and 4 are refused. And it refuses copies
//! that cannot each get their own part of an array they write
//! (`merlin.refuse_unsplittable_parallel`, CGPAR_WARNING_2): a `j` copy updating `C[k][j]`
//! over an inner `k` has no dimension of `C` to itself first, while `C[j][k]` has; a pipelined
//! loop's copies are fine-grained and never refused for it. Fully parallel copies that would
//! all write a scalar declared outside the loop are refused too
//! (`merlin.refuse_shared_scalar_parallel`, "on-chip scalar has data dependence"); declared
//! inside, each copy has its own.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};

fn est(text: String) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: "refused.c".into(), text }], "k", &FrontOptions::default()).unwrap();
    estimate(&k, &Profile::builtin("vu9p").unwrap(), Some(4.0)).unwrap()
}

fn overlapping(pragma: &str) -> Estimate {
    est(format!(
        "#pragma ACCEL kernel\nvoid k(double A[8][16], double x[16], double y[16]) {{\n{pragma}\n  L_i: for (int i = 0; i < 8; i++) {{\n    L_j: for (int j = 0; j < 16; j++) {{\n      y[j] += A[i][j] * x[j];\n    }}\n  }}\n}}\n"
    ))
}

fn own_rows(factor: u32) -> Estimate {
    est(format!(
        "#pragma ACCEL kernel\nvoid k(double A[8][16], double C[8][16]) {{\n#pragma ACCEL PARALLEL FACTOR={factor}\n  L_i: for (int i = 0; i < 8; i++) {{\n    L_j: for (int j = 0; j < 16; j++) {{\n      C[i][j] = A[i][j] * A[i][j];\n    }}\n  }}\n}}\n"
    ))
}

#[test]
fn copies_that_overlap_in_memory_leave_the_loop_as_written() {
    assert!(Profile::builtin("vu9p").unwrap().merlin.refuse_overlapping_parallel);
    assert!(Profile::builtin("xcu280").unwrap().merlin.refuse_overlapping_parallel);
    let written = overlapping("");
    for factor in [2, 4, 8] {
        let e = overlapping(&format!("#pragma ACCEL PARALLEL FACTOR={factor}"));
        assert_eq!(e.qor, written.qor, "factor {factor}");
        assert!(e.notes.iter().any(|n| n.contains("L_i") && n.contains("refuses")), "{:?}", e.notes);
    }
    assert!(!written.notes.iter().any(|n| n.contains("refuses")));
}

#[test]
fn copies_on_their_own_rows_are_not_refused() {
    let (two, four) = (own_rows(2), own_rows(4));
    assert!(four.qor.resources.dsp > two.qor.resources.dsp, "{:?} vs {:?}", four.qor.resources, two.qor.resources);
    assert!(!four.notes.iter().any(|n| n.contains("refuses")));
}

fn whole_b(pragma: &str) -> Estimate {
    est(format!(
        "#pragma ACCEL kernel\nvoid k(double B[256][256], double C[8][256]) {{\n{pragma}\n  L_i: for (int i = 0; i < 8; i++) {{\n    L_k: for (int k = 0; k < 256; k++) {{\n      L_j: for (int j = 0; j < 256; j++) {{\n        C[i][j] += B[k][j] * 0.5;\n      }}\n    }}\n  }}\n}}\n"
    ))
}

#[test]
fn copies_whose_buffers_pass_the_single_buffer_limit_are_refused() {
    assert_eq!(Profile::builtin("vu9p").unwrap().merlin.single_buffer_bytes, 1 << 20);
    let written = whole_b("");
    let four = whole_b("#pragma ACCEL PARALLEL FACTOR=4");
    assert_eq!(four.qor, written.qor);
    let note = four.notes.iter().find(|n| n.contains("refuses")).unwrap_or_else(|| panic!("{:?}", four.notes));
    assert!(note.contains("`B`") && note.contains("524288-byte"), "{note}");
    let two = whole_b("#pragma ACCEL PARALLEL FACTOR=2");
    assert!(!two.notes.iter().any(|n| n.contains("refuses")), "{:?}", two.notes);
    assert_ne!(two.qor, written.qor);
}

fn columns(pragmas: &str, c_index: &str) -> Estimate {
    est(format!(
        "#pragma ACCEL kernel\nvoid k(double A[8][8], double B[16][16], double C[16][16]) {{\n{pragmas}\n  L_j: for (int j = 0; j < 16; j++) {{\n    L_k: for (int k = 0; k < 8; k++) {{\n      C{c_index} += A[k][0] * B{c_index};\n    }}\n  }}\n}}\n"
    ))
}

#[test]
fn copies_that_cannot_split_a_written_array_are_refused() {
    assert!(Profile::builtin("vu9p").unwrap().merlin.refuse_unsplittable_parallel);
    let written = columns("", "[k][j]");
    let four = columns("#pragma ACCEL PARALLEL FACTOR=4", "[k][j]");
    assert_eq!(four.qor, written.qor);
    let note = four.notes.iter().find(|n| n.contains("refuses")).unwrap_or_else(|| panic!("{:?}", four.notes));
    assert!(note.contains("L_j") && note.contains("`C`"), "{note}");
    // Transposed, each copy owns a row: the copies are made.
    let rows = columns("#pragma ACCEL PARALLEL FACTOR=4", "[j][k]");
    assert!(!rows.notes.iter().any(|n| n.contains("refuses")), "{:?}", rows.notes);
    assert_ne!(rows.qor, columns("", "[j][k]").qor);
    // Pipelined, the copies are fine-grained (the inner loop is unrolled): no refusal.
    let piped = columns("#pragma ACCEL PIPELINE flatten\n#pragma ACCEL PARALLEL FACTOR=4", "[k][j]");
    assert!(!piped.notes.iter().any(|n| n.contains("refuses")), "{:?}", piped.notes);
}

fn shared_scalar(pragma: &str, inside: bool) -> Estimate {
    let (outer, inner) = if inside { ("", "double t; ") } else { ("  double t;\n", "") };
    est(format!(
        "#pragma ACCEL kernel\nvoid k(double A[8][16], double C[8][16]) {{\n{outer}{pragma}\n  L_i: for (int i = 0; i < 8; i++) {{\n    L_j: for (int j = 0; j < 16; j++) {{\n      {inner}t = A[i][j] * 0.5;\n      C[i][j] = t * t;\n    }}\n  }}\n}}\n"
    ))
}

#[test]
fn full_copies_sharing_a_scalar_are_refused() {
    assert!(Profile::builtin("vu9p").unwrap().merlin.refuse_shared_scalar_parallel);
    let written = shared_scalar("", false);
    let full = shared_scalar("#pragma ACCEL PARALLEL FACTOR=8", false);
    assert_eq!(full.qor, written.qor);
    let note = full.notes.iter().find(|n| n.contains("refuses")).unwrap_or_else(|| panic!("{:?}", full.notes));
    assert!(note.contains("L_i") && note.contains("`t`"), "{note}");
    // Declared in the body, every copy has its own `t`: the copies are made.
    let own = shared_scalar("#pragma ACCEL PARALLEL FACTOR=8", true);
    assert!(!own.notes.iter().any(|n| n.contains("refuses")), "{:?}", own.notes);
    assert_ne!(own.qor, shared_scalar("", true).qor);
    // A partial factor keeps its copies (what Merlin builds after refusing them is not modelled).
    let partial = shared_scalar("#pragma ACCEL PARALLEL FACTOR=4", false);
    assert!(!partial.notes.iter().any(|n| n.contains("refuses")), "{:?}", partial.notes);
}
