//! Cost of the reward itself, synthesis excluded: one group of 16 candidates through the group
//! scorer (store look-ups, 120 pairs × T = 16 dropout passes, selection, rewards, advantages)
//! with a threshold nothing exceeds, on one thread. Budget: under 30 ms, so a GRPO step of 64
//! groups spends well under 2 s on rewards besides synthesis (the proxy bench alone is ~17 ms).

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
    let scorer = GroupScorer::new(updater, synth, ScorerConfig { threshold: 2.0, budget: 4, spend_budget: false, passes: 16, neighbours_after: 0 });
    c.bench_function("group of 16: store look-ups + 120 pairs x T=16 + rewards", |b| {
        b.iter(|| scorer.score("int0", "v20", &candidates, 7).expect("scored"))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
