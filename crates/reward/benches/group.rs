//! Cost of the reward itself, synthesis excluded: one group of 16 candidates through the group
//! scorer (store look-ups, 120 pairs × T = 16 dropout passes, selection, rewards, advantages)
//! with a threshold nothing exceeds, on one thread. Budget: under 30 ms, so a GRPO step of 64
//! groups spends well under 2 s on rewards besides synthesis (the proxy bench alone is ~17 ms).
//! Also the neighbour judgements of such a group against a task with 256 known designs of
//! 12 pragma lines each (budget: under 5 ms, a small share of the group's 30).

use criterion::{criterion_group, criterion_main, Criterion};
use hlsseek_front::SourceFile;
use hlsseek_proxy::synthetic::{families, task};
use hlsseek_proxy::{ProxyModel, ToolVersion};
use hlsseek_reward::local::DesignView;
use hlsseek_reward::online::{ModelCell, OnlineUpdater, UpdatePolicy};
use hlsseek_reward::{Candidate, GroupScorer, ScorerConfig};
use hlsseek_store::ResultStore;
use hlsseek_synth::testing::ScriptedBackend;
use hlsseek_synth::{FailureKind, SynthFailure, SynthRequest, Synthesizer, Target};
use std::sync::Arc;

fn bench(c: &mut Criterion) {
    std::env::set_var("RAYON_NUM_THREADS", "1");
    let task = task(&families(1)[0], ToolVersion::V20).expect("synthetic task");
    let candidates: Vec<Candidate> = task
        .designs
        .iter()
        .take(16)
        .enumerate()
        .map(|(i, d)| Candidate {
            id: d.key.clone(),
            view: DesignView::new(&[], None),
            request: SynthRequest { files: vec![SourceFile { name: "k.c".into(), text: format!("int design_{i};") }], top: "top".into(), part: "p".into(), clock_ns: 4.0 },
            graph: Some(d.graph.clone()),
            encode_error: None,
        })
        .collect();
    let dir = tempfile::tempdir().expect("temp dir");
    let store: Arc<dyn ResultStore> = Arc::new(hlsseek_store::sqlite::SqliteStore::open(&dir.path().join("r.db")).expect("store"));
    // Never called with this threshold; present because the scorer needs a backend.
    let unused = ScriptedBackend::new(Target { part: "p".into(), clock_ns: 4.0 }, |_| Err(SynthFailure::new(FailureKind::Unavailable, "bench")));
    let synth = Arc::new(Synthesizer::new(Arc::new(unused), Some(store), 8));
    let cell = Arc::new(ModelCell::new(ProxyModel::shipped().expect("shipped model")));
    let updater = Arc::new(OnlineUpdater::new(cell, vec![], vec![], UpdatePolicy { every: 0, ..UpdatePolicy::default() }));
    let scorer = GroupScorer::new(updater, synth, ScorerConfig { threshold: 2.0, budget: 4, spend_budget: false, passes: 16, neighbours_after: 0, sure_within: 0 });
    c.bench_function("group of 16: store look-ups + 120 pairs x T=16 + rewards", |b| {
        b.iter(|| scorer.score("int0", "v20", &candidates, 7).expect("scored"))
    });
}

fn neighbours(c: &mut Criterion) {
    use hlsseek_qor::{Latency, Qor, Resources};
    // Design i sets pragma k to bit k of i (4096 distinct designs of 12 pragma lines).
    let view = |i: usize| {
        let text: String = (0..12).map(|k| format!("s{k};\n#pragma HLS bit{k} factor={}\n", (i >> k) & 1)).collect();
        let estimate = Qor { latency: Latency::exact(100 + i as u64), ii: None, resources: Resources { lut: 1000 + 7 * i as u64, ..Resources::default() } };
        DesignView::new(&[SourceFile { name: "k.c".into(), text }], Some(&estimate))
    };
    let memory = hlsseek_reward::local::TaskMemory::default();
    for i in 0..256 {
        let q = Qor { latency: Latency::exact(90 + (i * 37 % 101) as u64), ii: None, resources: Resources { lut: 900 + 11 * i as u64, ff: 5, dsp: (i % 3) as u64, bram: (i % 5) as u64, uram: None } };
        memory.record("t", &format!("{i}"), &view(i * 13 % 4096), q);
    }
    let views: Vec<DesignView> = (0..16).map(|i| view(1000 + 17 * i)).collect();
    let refs: Vec<&DesignView> = views.iter().collect();
    let real = vec![None; 16];
    let pairs: Vec<(usize, usize)> = (0..16).flat_map(|a| (a + 1..16).map(move |b| (a, b))).collect();
    c.bench_function("neighbour judgements: 120 pairs, 256 known designs", |b| b.iter(|| memory.judge("t", &refs, &real, &pairs, 8, 2)));
}

criterion_group!(benches, bench, neighbours);
criterion_main!(benches);
