//! Time of one `estimate` call on real kernels (the front-end parse is outside the timing):
//! HLSyn gemm-p at one design point (Merlin, vu9p @ 4 ns) and ForgeHLS PolyBench 3mm and
//! gemm (Vitis defaults, xcu280 @ 10 ns). Kernels whose data files are absent are skipped.

use criterion::{criterion_group, criterion_main, Criterion};
use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, DesignSpace, FrontOptions, SourceFile};
use hlsseek_ir::{DesignPoint, Kernel, KnobValue};

const DATA: &str = "/work/shared/data";

fn gemm_p() -> Option<Kernel> {
    let name = "gemm-p_kernel.c";
    let text = std::fs::read_to_string(format!("{DATA}/hlsyn/sources/{name}")).ok()?;
    let space = DesignSpace::new(vec![SourceFile { name: name.into(), text }], "kernel_gemm", &FrontOptions::default()).ok()?;
    let mut point = DesignPoint::new();
    for (k, v) in [("__PARA__L0", KnobValue::Int(1)), ("__PARA__L1", KnobValue::Int(4)), ("__PARA__L2", KnobValue::Int(1)), ("__PARA__L3", KnobValue::Int(10))] {
        point.insert(k.into(), v);
    }
    for (k, v) in [("__PIPE__L0", ""), ("__PIPE__L2", "off")] {
        point.insert(k.into(), KnobValue::Text(v.into()));
    }
    for k in ["__TILE__L0", "__TILE__L2"] {
        point.insert(k.into(), KnobValue::Int(1));
    }
    space.kernel(&point, &FrontOptions::default()).ok()
}

fn forgehls(algo: &str) -> Option<Kernel> {
    let text = std::fs::read_to_string(format!("{DATA}/forgehls/kernels.json")).ok()?;
    let recs: Vec<serde_json::Value> = serde_json::from_str(&text).ok()?;
    let r = recs.iter().find(|r| r["algo_name"] == algo && r["source_name"] == "PolyBench")?;
    let files: Vec<SourceFile> = r["source_code"]
        .as_array()?
        .iter()
        .map(|f| SourceFile { name: f["file_name"].as_str().unwrap_or("").into(), text: f["file_content"].as_str().unwrap_or("").into() })
        .collect();
    parse_kernel(&files, r["top_function_name"].as_str()?, &FrontOptions::default()).ok()
}

fn bench(c: &mut Criterion) {
    let vu9p = Profile::builtin("vu9p").unwrap();
    let u280 = Profile::builtin("xcu280").unwrap();
    if let Some(k) = gemm_p() {
        c.bench_function("estimate/hlsyn-gemm-p", |b| b.iter(|| estimate(std::hint::black_box(&k), &vu9p, None).unwrap()));
    }
    for algo in ["3mm", "gemm"] {
        if let Some(k) = forgehls(algo) {
            c.bench_function(&format!("estimate/forgehls-{algo}"), |b| b.iter(|| estimate(std::hint::black_box(&k), &u280, None).unwrap()));
        }
    }
    c.bench_function("estimate/profile-builtin", |b| b.iter(|| Profile::builtin(std::hint::black_box("xcu280")).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
