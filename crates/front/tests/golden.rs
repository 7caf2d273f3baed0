//! Golden snapshots of the IR (rendered with `summarize`, which shows loops, trip counts, typed
//! operations, accesses, carried dependences and where every pragma went) for small fixtures and
//! a few real kernels from the shared data (skipped when the data is absent).

mod common;
use common::data_dir;
use hlsseek_front::{parse_kernel, summarize, DesignSpace, FrontOptions, SourceFile};
use hlsseek_ir::KnobValue;
use std::path::Path;

fn fixture(names: &[&str]) -> Vec<SourceFile> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    names
        .iter()
        .map(|n| SourceFile { name: n.to_string(), text: std::fs::read_to_string(dir.join(n)).unwrap() })
        .collect()
}

fn summary(files: &[SourceFile], top: &str) -> String {
    let k = parse_kernel(files, top, &FrontOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    summarize(&k)
}

#[test]
fn vitis_directives() {
    insta::assert_snapshot!(summary(&fixture(&["vitis_directives.cpp"]), "vitis_top"));
}

#[test]
fn polybench_style() {
    let files = fixture(&["polybench/atax.c", "polybench/atax.h", "polybench/polybench_mini.h"]);
    insta::assert_snapshot!(summary(&files, "kernel_atax"));
}

#[test]
fn ap_types_and_streams() {
    insta::assert_snapshot!(summary(&fixture(&["ap_stream.cpp"]), "ap_stream_top"));
}

#[test]
fn triangular_loops() {
    insta::assert_snapshot!(summary(&fixture(&["triangular.c"]), "triangular"));
}

#[test]
fn recurrences() {
    insta::assert_snapshot!(summary(&fixture(&["recurrence.c"]), "recurrence"));
}

#[test]
fn reductions() {
    insta::assert_snapshot!(summary(&fixture(&["reduction.c"]), "reduction"));
}

/// The full serde form of one small kernel: the contract other crates read.
#[test]
fn reduction_full_ir() {
    let k = parse_kernel(&fixture(&["reduction.c"]), "reduction", &FrontOptions::default()).unwrap();
    insta::assert_yaml_snapshot!(k);
}


#[test]
fn hlsyn_gemm_p_point() {
    let Some(d) = data_dir() else { return };
    let name = "gemm-p_kernel.c";
    let text = std::fs::read_to_string(d.join("hlsyn/sources").join(name)).unwrap();
    let space = DesignSpace::new(vec![SourceFile { name: name.into(), text }], "kernel_gemm", &FrontOptions::default()).unwrap();
    let mut point = space.default_point();
    point.insert("__PIPE__L0".into(), KnobValue::Text("off".into()));
    point.insert("__PIPE__L2".into(), KnobValue::Text("flatten".into()));
    point.insert("__PARA__L3".into(), KnobValue::Int(10));
    point.insert("__TILE__L0".into(), KnobValue::Int(4));
    let mut out = String::new();
    for k in &space.knobs {
        let vals: Vec<String> = k.values.iter().map(|v| format!("{v:?}")).collect();
        out.push_str(&format!("knob {} {:?} line {} loop {:?}: {}\n", k.name, k.kind, k.loc.line, k.loop_id.map(|l| l.0), vals.join(" ")));
    }
    let kernel = space.kernel(&point, &FrontOptions::default()).unwrap();
    out.push_str(&summarize(&kernel));
    insta::assert_snapshot!(out);
}

fn forge(top: &str) -> Option<Vec<SourceFile>> {
    let d = data_dir()?;
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(d.join("forgehls/kernels.json")).ok()?).ok()?;
    let r = v.as_array()?.iter().find(|r| r["top_function_name"] == top)?;
    Some(
        r["source_code"]
            .as_array()?
            .iter()
            .map(|f| SourceFile { name: f["file_name"].as_str().unwrap().into(), text: f["file_content"].as_str().unwrap().into() })
            .collect(),
    )
}

#[test]
fn forgehls_polybench_3mm() {
    let Some(files) = forge("kernel_3mm") else { return };
    insta::assert_snapshot!(summary(&files, "kernel_3mm"));
}

#[test]
fn forgehls_bubble_sort() {
    let Some(files) = forge("bubble_sort") else { return };
    insta::assert_snapshot!(summary(&files, "bubble_sort"));
}

/// Dependences through memory that cannot be disproved are assumed, as HLS tools do (trmm's
/// `B[i][j]` / `B[k][j]`, `w[k]` / `w[2k]`, an unknown offset); disproved ones are not.
#[test]
fn may_alias_dependences() {
    insta::assert_snapshot!(summary(&fixture(&["may_alias.c"]), "may_alias"));
}

/// `DEPENDENCE` pragmas over what the analysis found: `inter false` (and `class=array`) removes
/// the carried RAW, `distance=2` sets its distance; a WAR-only, an intra or another variable's
/// pragma leaves it.
#[test]
fn dependence_pragmas() {
    insta::assert_snapshot!(summary(&fixture(&["dependence.cpp"]), "dependence"));
}

/// `BIND_STORAGE` on local arrays, with the spaced `variable = x` form and upper-case words:
/// each array carries its type, implementation and latency.
#[test]
fn bind_storage_pragmas() {
    insta::assert_snapshot!(summary(&fixture(&["bind_storage.cpp"]), "bind_storage"));
}

/// `BIND_OP` lands on the operations that compute its variable (the multiply of `q`, not the
/// add it feeds nor `r`'s multiply); one naming no such operation is a warning.
#[test]
fn bind_op_pragmas() {
    insta::assert_snapshot!(summary(&fixture(&["bind_op.cpp"]), "bind_op"));
}

/// Each loop lists the scalars declared outside it that its body writes, loop counters
/// excepted: `t` and `acc` for `L_i`, `acc` for `L_j` (it declares `u`), none for `L_k`.
#[test]
fn outer_scalar_writes() {
    insta::assert_snapshot!(summary(&fixture(&["outer_writes.c"]), "outer_writes"));
}

#[test]
fn affine_scalars() {
    insta::assert_snapshot!(summary(&fixture(&["affine_scalars.c"]), "affine_scalars"));
}

#[test]
fn countdown_loops() {
    insta::assert_snapshot!(summary(&fixture(&["countdown.c"]), "countdown"));
}
