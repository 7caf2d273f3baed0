//! The search loop against a scripted backend (the estimator's answers, counted): budget, no repeats, failures, the store.

use hlsseek_dse::{design_space, embed_pool, proxy_search, random_search, DseRun, Encoding, Pool, PoolSpec, SearchConfig};
use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_proxy::{ProxyModel, ToolVersion};
use hlsseek_qor::pareto;
use hlsseek_synth::testing::ScriptedBackend;
use hlsseek_synth::{FailureKind, QorReport, SynthFailure, Synthesizer, Target};
use std::path::Path;
use std::sync::Arc;

/// Answers with the estimator; designs whose source contains `fail_on` fail with a tool error.
/// The scripted backend counts how often each design is synthesized.
fn counting(fail_on: Option<&'static str>) -> Arc<ScriptedBackend> {
    Arc::new(ScriptedBackend::new(target(), move |r| {
        if fail_on.is_some_and(|s| r.files.iter().any(|f| f.text.contains(s))) {
            return Err(SynthFailure::new(FailureKind::ToolError, "the fake tool refuses this design"));
        }
        let k = parse_kernel(&r.files, &r.top, &FrontOptions::default()).expect("pool designs parse");
        let e = estimate(&k, &Profile::builtin("vu9p").unwrap(), Some(4.0)).expect("estimate");
        Ok(QorReport { qor: e.qor, ..QorReport::default() })
    }))
}

fn fir_pool(max: usize) -> Pool {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/fir-space/fir.c");
    let files = vec![SourceFile { name: "fir.c".into(), text: std::fs::read_to_string(path).unwrap() }];
    let (space, own) = design_space(files, "fir", &FrontOptions::default()).unwrap();
    assert!(own.is_none(), "a template has no point of its own");
    let enc = Encoding { part: "vu9p".into(), clock_ns: 4.0, tool: ToolVersion::V20, opts: FrontOptions::default() };
    Pool::build(space, PoolSpec::Auto { max, seed: 3, extra: Vec::new() }, &enc).unwrap()
}

fn target() -> Target {
    Target { part: "vu9p".into(), clock_ns: 4.0 }
}

fn check_run(run: &DseRun, budget: usize) {
    assert_eq!(run.evaluated.len(), budget, "the whole budget is spent, no more");
    let mut seen = std::collections::HashSet::new();
    for e in &run.evaluated {
        assert!(seen.insert(e.candidate), "candidate {} picked twice", e.candidate);
        assert_eq!(e.qor.is_some(), e.failure.is_none());
    }
    // The front is exactly the Pareto front of the successful designs, and only of them.
    let ok: Vec<usize> = (0..run.evaluated.len()).filter(|&i| run.evaluated[i].qor.is_some()).collect();
    let qors: Vec<_> = ok.iter().map(|&i| run.evaluated[i].qor.unwrap()).collect();
    let expected: Vec<usize> = pareto::front(&qors).into_iter().map(|k| ok[k]).collect();
    assert_eq!(run.front, expected);
    assert!(run.front.iter().all(|&i| run.evaluated[i].qor.is_some()));
    if let Some(b) = run.best_latency {
        let best = run.evaluated[b].qor.unwrap().latency.value();
        assert!(qors.iter().all(|q| q.latency.value() >= best));
        assert!(run.front.contains(&b));
    }
}

#[test]
fn proxy_search_spends_the_budget_once_per_design() {
    let pool = fir_pool(120);
    assert_eq!(pool.report.candidates + pool.report.duplicates + pool.report.skipped, 120);
    let model = ProxyModel::shipped().unwrap();
    let emb = embed_pool(&model, &pool).unwrap();
    let backend = counting(None);
    let synth = Synthesizer::new(backend.clone(), None, 2);
    let cfg = SearchConfig { budget: 12, passes: 4, ..SearchConfig::default() };
    let mut seen_progress = 0;
    let run = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, spent, budget| {
        seen_progress = spent;
        assert_eq!(budget, 12);
    })
    .unwrap();
    check_run(&run, 12);
    assert_eq!(seen_progress, 12);
    assert_eq!(backend.calls(), 12);
    assert_eq!(backend.max_calls_per_design(), 1, "nothing is synthesized twice");
    assert!(run.proxy_pairs > 0);
    assert!(!run.front.is_empty());
    // The first design is the space's default point.
    assert_eq!(run.evaluated[0].point, pool.space.default_point());
}

#[test]
fn a_budget_larger_than_the_pool_stops_at_the_pool() {
    let pool = fir_pool(6);
    let model = ProxyModel::shipped().unwrap();
    let emb = embed_pool(&model, &pool).unwrap();
    let synth = Synthesizer::new(counting(None), None, 1);
    let cfg = SearchConfig { budget: 50, passes: 2, ..SearchConfig::default() };
    let run = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    assert_eq!(run.evaluated.len(), pool.len());
    let r = random_search(&pool, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    assert_eq!(r.evaluated.len(), pool.len());
}

#[test]
fn failed_syntheses_are_recorded_and_the_search_goes_on() {
    let pool = fir_pool(120);
    let model = ProxyModel::shipped().unwrap();
    let emb = embed_pool(&model, &pool).unwrap();
    // Every pipelined-with-flatten design fails: a large share of the space, including designs
    // the proxy likes.
    let backend = counting(Some("PIPELINE flatten"));
    let synth = Synthesizer::new(backend.clone(), None, 1);
    let cfg = SearchConfig { budget: 14, passes: 4, seed: 5, ..SearchConfig::default() };
    let run = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    check_run(&run, 14);
    assert!(run.failures > 0, "some picks hit the failing designs");
    assert_eq!(run.failures, run.evaluated.iter().filter(|e| e.failure.is_some()).count());
    for e in run.evaluated.iter().filter(|e| e.failure.is_some()) {
        assert_eq!(e.failure.as_ref().unwrap().kind, FailureKind::ToolError);
        assert_eq!(e.point.get("__PIPE__L0").map(|v| v.to_string()).as_deref(), Some("flatten"));
    }
    assert!(!run.front.is_empty(), "the search went on and found working designs");
    assert_eq!(backend.max_calls_per_design(), 1);
}

#[test]
fn a_second_run_is_answered_by_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let loc = hlsseek_store::StoreLocation::parse(dir.path().join("r.db").to_str().unwrap()).unwrap();
    let store: Arc<dyn hlsseek_store::ResultStore> = Arc::from(hlsseek_store::open(&loc).unwrap());
    let pool = fir_pool(60);
    let model = ProxyModel::shipped().unwrap();
    let emb = embed_pool(&model, &pool).unwrap();
    let backend = counting(Some("PIPELINE off"));
    let synth = Synthesizer::new(backend.clone(), Some(store.clone()), 1);
    let cfg = SearchConfig { budget: 8, passes: 4, seed: 1, ..SearchConfig::default() };
    let first = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    assert_eq!(first.cached, 0);
    assert_eq!(backend.calls(), 8);
    let second = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    // Same seed, same picks: every answer (failures included) comes from the store.
    assert_eq!(second.cached, 8);
    assert_eq!(backend.calls(), 8, "no design was synthesized again");
    let picks = |r: &DseRun| r.evaluated.iter().map(|e| e.candidate).collect::<Vec<_>>();
    assert_eq!(picks(&first), picks(&second));
    let stats = store.stats().unwrap();
    let b = stats.backends.iter().find(|b| b.backend == "scripted").unwrap();
    assert_eq!((b.hits, b.misses), (8, 8));
    assert_eq!(b.results, 8);
    assert_eq!(b.failed as usize, first.failures);
}

#[test]
fn random_search_is_seeded() {
    let pool = fir_pool(80);
    let synth = Synthesizer::new(counting(None), None, 1);
    let cfg = SearchConfig { budget: 10, ..SearchConfig::default() };
    let a = random_search(&pool, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    let b = random_search(&pool, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    let c = random_search(&pool, &synth, &target(), &SearchConfig { seed: 9, ..cfg.clone() }, &mut |_, _, _| {}).unwrap();
    check_run(&a, 10);
    let picks = |r: &DseRun| r.evaluated.iter().map(|e| e.candidate).collect::<Vec<_>>();
    assert_eq!(picks(&a), picks(&b));
    assert_ne!(picks(&a), picks(&c));
    assert!(random_search(&pool, &synth, &target(), &SearchConfig { budget: 0, ..cfg }, &mut |_, _, _| {}).is_err());
}

#[test]
fn a_plain_vitis_kernel_gets_knobs_from_its_pragmas() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/gemm/gemm.cpp");
    let files = vec![SourceFile { name: "gemm.cpp".into(), text: std::fs::read_to_string(path).unwrap() }];
    let (space, own) = design_space(files, "gemm", &FrontOptions::default()).unwrap();
    let names: Vec<&str> = space.knobs.iter().map(|k| k.name.as_str()).collect();
    assert_eq!(names, ["__PART__L0", "__PART__L1", "__II__L2", "__II__L3", "__PARA__L4"]);
    // The design as written (factor UF = 4, II = 1) is a point of its own space.
    let own = own.expect("every pragma value is a candidate");
    assert_eq!(own["__PARA__L4"].to_string(), "4");
    assert_eq!(own["__II__L3"].to_string(), "1");
    let rendered = space.render(&own).unwrap();
    assert!(rendered[0].text.contains("#pragma HLS UNROLL factor=4"));
    let enc = Encoding { part: "xcu280".into(), clock_ns: 10.0, tool: ToolVersion::V20, opts: FrontOptions::default() };
    let pool = Pool::build(space, PoolSpec::Auto { max: 40, seed: 1, extra: vec![own.clone()] }, &enc).unwrap();
    assert!(pool.find(&own).is_some(), "the design as written is a candidate");
}

#[test]
fn a_design_without_knobs_is_refused() {
    let files = vec![SourceFile { name: "k.c".into(), text: "void k(int a[4]) { for (int i = 0; i < 4; i++) a[i] = i; }\n".into() }];
    let e = design_space(files, "k", &FrontOptions::default()).unwrap_err();
    assert!(matches!(e, hlsseek_dse::DseError::NoKnobs), "{e}");
}

#[test]
fn every_nth_round_is_a_random_hedge() {
    let pool = fir_pool(120);
    let model = ProxyModel::shipped().unwrap();
    let emb = embed_pool(&model, &pool).unwrap();
    let synth = Synthesizer::new(counting(None), None, 1);
    let cfg = SearchConfig { budget: 16, passes: 2, seed: 3, random_every: 3, ..SearchConfig::default() };
    let run = proxy_search(&pool, &model, &emb, &synth, &target(), &cfg, &mut |_, _, _| {}).unwrap();
    check_run(&run, 16);
    for e in run.evaluated.iter().filter(|e| e.round > 0) {
        let random = matches!(e.pick, hlsseek_dse::Pick::Random);
        assert_eq!(random, e.round % 3 == 0, "round {} picked {:?}", e.round, e.pick);
    }
    let never = proxy_search(&pool, &model, &emb, &synth, &target(), &SearchConfig { random_every: 0, ..cfg }, &mut |_, _, _| {}).unwrap();
    assert!(never.evaluated.iter().filter(|e| e.round > 0).all(|e| matches!(e.pick, hlsseek_dse::Pick::Proxy { .. })));
}
