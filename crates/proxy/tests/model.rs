//! Behaviour of the proxy model on generated designs: antisymmetry (MC dropout included),
//! determinism given a seed, save/load round trip, refusal of bad model files, the shipped model,
//! training that learns, and online update on a new kernel.

use hlsseek_proxy::data::{all_pairs, split_points, Task};
use hlsseek_proxy::graph::Normalisation;
use hlsseek_proxy::metrics::evaluate;
use hlsseek_proxy::network::ModelConfig;
use hlsseek_proxy::synthetic::{self, Family};
use hlsseek_proxy::train::{train, update, TrainConfig, UpdateConfig};
use hlsseek_proxy::model::Decision;
use hlsseek_proxy::{ProxyError, ProxyModel, ToolVersion, FEATURE_VERSION};

fn small_config(seed: u64, epochs: usize) -> TrainConfig {
    TrainConfig {
        model: ModelConfig { hidden: 32, layers: 2, embed: 32, head_hidden: 32, dropout: 0.1 },
        seed,
        max_epochs: epochs,
        patience: epochs,
        lr: 3e-3,
        group: 16,
        groups_per_step: 2,
        ..TrainConfig::default()
    }
}

fn tasks(n: usize) -> Vec<Task> {
    synthetic::families(n).iter().map(|f| synthetic::task(f, ToolVersion::V20).unwrap()).collect()
}

fn untrained() -> (ProxyModel, Vec<Task>) {
    let t = tasks(2);
    let norm = Normalisation::fit(t.iter().flat_map(|t| t.designs.iter().map(|d| &d.graph)));
    (ProxyModel::new(ModelConfig::default(), norm, 3).unwrap(), t)
}

#[test]
fn swapping_designs_swaps_the_answers_pass_by_pass() {
    let (model, tasks) = untrained();
    let graphs: Vec<_> = tasks[0].designs.iter().take(10).map(|d| &d.graph).collect();
    let pairs = all_pairs(graphs.len());
    let swapped: Vec<_> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    for passes in [0, 1, 16] {
        let ab = model.score(&graphs, &pairs, passes, 11).unwrap();
        let ba = model.score(&graphs, &swapped, passes, 11).unwrap();
        for (x, y) in ab.iter().zip(&ba) {
            let s = y.swapped();
            assert!((x.p_a_dominates - s.p_a_dominates).abs() < 1e-6, "{x:?} vs {y:?}");
            assert!((x.p_b_dominates - s.p_b_dominates).abs() < 1e-6);
            assert!((x.p_neither - s.p_neither).abs() < 1e-6);
            assert!((x.p_latency_a_faster - s.p_latency_a_faster).abs() < 1e-6);
            assert!((x.dominance_entropy - y.dominance_entropy).abs() < 1e-5);
            assert!((x.p_a_dominates + x.p_b_dominates + x.p_neither - 1.0).abs() < 1e-5);
        }
    }
    // A design against itself: both directions equally likely, latency a coin toss.
    let same = model.score(&graphs, &[(3, 3)], 16, 5).unwrap()[0];
    assert!((same.p_a_dominates - same.p_b_dominates).abs() < 1e-6);
    assert!((same.p_latency_a_faster - 0.5).abs() < 1e-6);
}

#[test]
fn combining_the_heads_keeps_the_antisymmetry() {
    let (mut model, tasks) = untrained();
    model.meta.decision = Decision { objective_weight: 0.5, neither_bias: 1.0, latency_objective_weight: 0.5, estimator_weight: 0.5, estimator_scale: 2.0 };
    let graphs: Vec<_> = tasks[1].designs.iter().take(8).map(|d| &d.graph).collect();
    let pairs = all_pairs(graphs.len());
    let swapped: Vec<_> = pairs.iter().map(|&(i, j)| (j, i)).collect();
    for passes in [0, 16] {
        let ab = model.score(&graphs, &pairs, passes, 3).unwrap();
        let ba = model.score(&graphs, &swapped, passes, 3).unwrap();
        for (x, y) in ab.iter().zip(&ba) {
            let s = y.swapped();
            for (u, v) in [
                (x.p_a_dominates, s.p_a_dominates),
                (x.p_b_dominates, s.p_b_dominates),
                (x.p_neither, s.p_neither),
                (x.p_latency_a_faster, s.p_latency_a_faster),
            ] {
                assert!((u - v).abs() < 1e-6, "{x:?} vs {y:?}");
            }
            for k in 0..5 {
                for c in 0..3 {
                    assert!((x.p_objectives[k][c] - s.p_objectives[k][c]).abs() < 1e-6);
                }
            }
            assert!((x.p_a_dominates + x.p_b_dominates + x.p_neither - 1.0).abs() < 1e-5);
        }
    }
    let same = model.score(&graphs, &[(2, 2)], 16, 5).unwrap()[0];
    assert!((same.p_a_dominates - same.p_b_dominates).abs() < 1e-6);
    assert!((same.p_latency_a_faster - 0.5).abs() < 1e-6);
    // The decision travels with the model.
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    assert_eq!(ProxyModel::load(dir.path()).unwrap().meta.decision, model.meta.decision);
}

#[test]
fn dropout_passes_vary_and_are_reproducible() {
    let (model, tasks) = untrained();
    let graphs: Vec<_> = tasks[0].designs.iter().take(6).map(|d| &d.graph).collect();
    let a = model.score_group(&graphs, 16, 1).unwrap();
    let b = model.score_group(&graphs, 16, 1).unwrap();
    let c = model.score_group(&graphs, 16, 2).unwrap();
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.iter().any(|s| s.latency_std > 0.0), "MC dropout should spread the passes");
    let det = model.score_group(&graphs, 0, 1).unwrap();
    assert!(det.iter().all(|s| s.latency_std == 0.0));
}

#[test]
fn training_is_deterministic_and_round_trips_through_files() {
    let t = tasks(3);
    let split = split_points(&t, 0.2, 5);
    let run = || train(&t, &split, &small_config(9, 2), &mut |_| {}).unwrap();
    let (a, b) = (run(), run());
    let graphs: Vec<_> = t[1].designs.iter().take(8).map(|d| &d.graph).collect();
    let sa = a.model.score_group(&graphs, 8, 4).unwrap();
    assert_eq!(sa, b.model.score_group(&graphs, 8, 4).unwrap(), "same seed, same model");
    let other = train(&t, &split, &small_config(10, 2), &mut |_| {}).unwrap();
    assert_ne!(sa, other.model.score_group(&graphs, 8, 4).unwrap(), "another seed, another model");

    let dir = tempfile::tempdir().unwrap();
    a.model.save(dir.path()).unwrap();
    let loaded = ProxyModel::load(dir.path()).unwrap();
    assert_eq!(sa, loaded.score_group(&graphs, 8, 4).unwrap(), "save/load gives identical outputs");
    assert_eq!(loaded.meta.feature_version, FEATURE_VERSION);
}

#[test]
fn bad_model_files_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(ProxyModel::load(dir.path()), Err(ProxyError::Io { .. })));
    let (model, _) = untrained();
    model.save(dir.path()).unwrap();
    let meta = std::fs::read(dir.path().join("meta.json")).unwrap();
    let weights = std::fs::read(dir.path().join("model.safetensors")).unwrap();
    let garbage: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    assert!(matches!(ProxyModel::from_bytes(&garbage, &meta), Err(ProxyError::BadModel { .. })));
    assert!(matches!(ProxyModel::from_bytes(&weights[..weights.len() / 2], &meta), Err(ProxyError::BadModel { .. })));
    assert!(matches!(ProxyModel::from_bytes(&weights, b"{not json"), Err(ProxyError::BadModel { .. })));
    let old = String::from_utf8(meta.clone()).unwrap().replace(&format!("\"feature_version\": {FEATURE_VERSION}"), "\"feature_version\": 0");
    assert!(matches!(ProxyModel::from_bytes(&weights, old.as_bytes()), Err(ProxyError::FeatureVersion { found: 0, .. })));
    let resized = String::from_utf8(meta).unwrap().replace("\"hidden\": 64", "\"hidden\": 48");
    assert!(matches!(ProxyModel::from_bytes(&weights, resized.as_bytes()), Err(ProxyError::BadModel { .. })));
}

#[test]
fn shipped_model_loads_with_this_feature_version() {
    let m = ProxyModel::shipped().expect("the shipped model loads");
    assert_eq!(m.meta.feature_version, FEATURE_VERSION);
    let t = tasks(1);
    let graphs: Vec<_> = t[0].designs.iter().take(4).map(|d| &d.graph).collect();
    let s = m.score_group(&graphs, 4, 1).unwrap();
    assert_eq!(s.len(), 6);
    assert!(s.iter().all(|s| s.p_a_dominates.is_finite() && s.p_latency_a_faster.is_finite()));
}

#[test]
fn training_learns_and_update_improves_the_new_kernel() {
    let old = tasks(4);
    let split = split_points(&old, 0.2, 1);
    let outcome = train(&old, &split, &small_config(2, 12), &mut |_| {}).unwrap();
    let mut model = outcome.model;
    let held: Vec<Vec<(usize, usize)>> = split.held.iter().zip(&split.train).map(|(h, t)| hlsseek_proxy::data::heldout_pairs(h, t)).collect();
    let before_old = evaluate(&model, &old, &held, 0, 0, &mut |_, _| {}).unwrap().summary;
    assert!(before_old.latency_accuracy > 0.8, "trained model should order latency of held-out points: {before_old:?}");

    // A new kernel of another kind (floating point, other sizes): half its points to learn from,
    // the other half to measure.
    let fam = Family { name: "newfloat".into(), outer: 24, inner: 200, float: true };
    let task = synthetic::task(&fam, ToolVersion::V20).unwrap();
    let (learn, test): (Vec<_>, Vec<_>) = task.designs.iter().cloned().enumerate().partition(|(i, _)| i % 2 == 0);
    let learn = Task { designs: learn.into_iter().map(|x| x.1).collect(), ..task.clone() };
    let test = vec![Task { designs: test.into_iter().map(|x| x.1).collect(), ..task }];
    let test_pairs = vec![all_pairs(test[0].designs.len())];
    let score = |m: &ProxyModel| {
        let s = evaluate(m, &test, &test_pairs, 0, 0, &mut |_, _| {}).unwrap().summary;
        (s.dominance_accuracy + s.latency_accuracy) / 2.0
    };
    let before_new = score(&model);
    update(&mut model, &[learn], &old, &split.train, &UpdateConfig { steps: 80, ..UpdateConfig::default() }).unwrap();
    let after_new = score(&model);
    let after_old = evaluate(&model, &old, &held, 0, 0, &mut |_, _| {}).unwrap().summary;
    eprintln!(
        "update: new kernel (mean of dominance and latency accuracy) {before_new:.3} -> {after_new:.3}; \
         old held-out dominance {:.3} -> {:.3}, latency {:.3} -> {:.3}",
        before_old.dominance_accuracy, after_old.dominance_accuracy, before_old.latency_accuracy, after_old.latency_accuracy
    );
    assert!(after_new > before_new, "update should help the new kernel: {before_new} -> {after_new}");
    assert!(
        after_old.dominance_accuracy > before_old.dominance_accuracy - 0.05,
        "replay should keep old accuracy: {before_old:?} -> {after_old:?}"
    );
}
