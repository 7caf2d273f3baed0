//! Front-end speed on real-size kernels: HLSyn templates (render + parse at a point), a PolyBench
//! kernel with its headers, and `normalize_source`. Falls back to the test fixtures when the
//! shared data is absent.

use criterion::{criterion_group, criterion_main, Criterion};
use hlsseek_front::{normalize_source, parse_kernel, DesignSpace, FrontOptions, SourceFile};
use std::hint::black_box;
use std::path::PathBuf;

fn data() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"))
}

fn fixture(name: &str) -> SourceFile {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures")).join(name);
    SourceFile { name: name.into(), text: std::fs::read_to_string(p).unwrap() }
}

fn bench(c: &mut Criterion) {
    let opts = FrontOptions::default();
    for (file, top) in [("gemm-p_kernel.c", "kernel_gemm"), ("md_kernel.c", "md_kernel"), ("fdtd-2d_kernel.c", "kernel_fdtd_2d")] {
        let Ok(text) = std::fs::read_to_string(data().join("hlsyn/sources").join(file)) else {
            eprintln!("skipping {file}: shared data absent");
            continue;
        };
        let space = DesignSpace::new(vec![SourceFile { name: file.into(), text }], top, &opts).unwrap();
        let point = space.default_point();
        let rendered = space.render(&point).unwrap();
        c.bench_function(&format!("parse_kernel {file}"), |b| b.iter(|| parse_kernel(black_box(&rendered), top, &opts).unwrap()));
        c.bench_function(&format!("render+parse {file}"), |b| b.iter(|| space.kernel(black_box(&point), &opts).unwrap()));
        let text = rendered[0].text.clone();
        c.bench_function(&format!("normalize_source {file}"), |b| b.iter(|| normalize_source(black_box(&text))));
    }
    // A PolyBench kernel with the full polybench.h, from ForgeHLS.
    if let Ok(json) = std::fs::read_to_string(data().join("forgehls/kernels.json")) {
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        if let Some(r) = v.as_array().unwrap().iter().find(|r| r["top_function_name"] == "kernel_3mm") {
            let files: Vec<SourceFile> = r["source_code"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| SourceFile { name: f["file_name"].as_str().unwrap().into(), text: f["file_content"].as_str().unwrap().into() })
                .collect();
            c.bench_function("parse_kernel forgehls 3mm (polybench.h)", |b| b.iter(|| parse_kernel(black_box(&files), "kernel_3mm", &opts).unwrap()));
        }
    }
    let files = vec![fixture("vitis_directives.cpp")];
    c.bench_function("parse_kernel fixture vitis_directives", |b| b.iter(|| parse_kernel(black_box(&files), "vitis_top", &opts).unwrap()));
}

criterion_group!(benches, bench);
criterion_main!(benches);
