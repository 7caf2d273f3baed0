//! Scoring speed: all 120 pairs of a group of 16 candidates with T = 16 dropout passes, on one
//! thread, encoding (estimator + graph) included, parsing excluded. Uses 16 real HLSyn points
//! when the shared data is present, else synthetic designs.

use criterion::{criterion_group, criterion_main, Criterion};
use hlsseek_estimate::{estimate, Profile};
use hlsseek_ir::Kernel;
use hlsseek_proxy::{encode, synthetic, ProxyModel, ToolVersion};

fn hlsyn_group() -> Option<(String, Vec<Kernel>)> {
    let root = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/hlsyn"));
    let ds = hlsseek_datasets::hlsyn::Hlsyn::open(root).ok()?;
    let k = ds.kernel("v20", "gemm-p").ok()?;
    let top = k.top()?;
    let opts = hlsseek_front::FrontOptions::default();
    let space = hlsseek_front::DesignSpace::new(vec![k.source.clone()], &top, &opts).ok()?;
    let kernels: Vec<Kernel> = k
        .records
        .iter()
        .filter(|r| r.valid && r.qor().is_some())
        .take(16)
        .filter_map(|r| hlsseek_front::parse_kernel(&space.render(&r.point).ok()?, &top, &opts).ok())
        .collect();
    (kernels.len() == 16).then(|| ("hlsyn gemm-p".to_string(), kernels))
}

fn bench(c: &mut Criterion) {
    // One core, as the target says; must be set before the first tensor operation.
    std::env::set_var("RAYON_NUM_THREADS", "1");
    let model = ProxyModel::shipped().expect("shipped model loads");
    let profile = Profile::builtin("vu9p").expect("vu9p profile");
    match hlsyn_group() {
        Some((name, kernels)) => {
            c.bench_function(&format!("score 120 pairs x T=16 ({name}, estimate+encode+score)"), |b| {
                b.iter(|| {
                    let graphs: Vec<_> = kernels
                        .iter()
                        .map(|k| encode(k, estimate(k, &profile, Some(4.0)).ok().as_ref(), ToolVersion::V20).unwrap())
                        .collect();
                    let refs: Vec<_> = graphs.iter().collect();
                    model.score_group(&refs, 16, 7).unwrap()
                })
            });
        }
        None => eprintln!("HLSyn data not found: benchmarking synthetic designs only"),
    }
    let fam = &synthetic::families(1)[0];
    let points: Vec<_> = synthetic::points().into_iter().take(16).collect();
    let kernels: Vec<_> = points.iter().map(|p| (synthetic::kernel(fam, *p), synthetic::estimate_of(fam, *p))).collect();
    c.bench_function("score 120 pairs x T=16 (synthetic, encode+score)", |b| {
        b.iter(|| {
            let graphs: Vec<_> = kernels.iter().map(|(k, e)| encode(k, Some(e), ToolVersion::V20).unwrap()).collect();
            let refs: Vec<_> = graphs.iter().collect();
            model.score_group(&refs, 16, 7).unwrap()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
