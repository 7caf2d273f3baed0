//! The group scorer against a scripted backend whose answers are the synthetic families'
//! true QoR: switching, budgets, nothing synthesized twice, failures, and the online swap.

use hlsseek_front::SourceFile;
use hlsseek_proxy::data::Task;
use hlsseek_proxy::graph::Normalisation;
use hlsseek_proxy::network::ModelConfig;
use hlsseek_proxy::synthetic::{families, task};
use hlsseek_proxy::train::UpdateConfig;
use hlsseek_proxy::{ProxyModel, ToolVersion};
use hlsseek_qor::pareto::Dominance;
use hlsseek_qor::Qor;
use hlsseek_reward::local::DesignView;
use hlsseek_reward::math::Relation;
use hlsseek_reward::online::{ModelCell, OnlineUpdater, RealResult, UpdatePolicy};
use hlsseek_reward::scorer::{PairDecision, RealSource};
use hlsseek_reward::{rewards, Candidate, GroupScorer, ScorerConfig};
use hlsseek_store::sqlite::SqliteStore;
use hlsseek_store::ResultStore;
use hlsseek_synth::testing::ScriptedBackend;
use hlsseek_synth::{FailureKind, QorReport, SynthFailure, SynthRequest, Synthesizer, Target};
use std::collections::HashMap;
use std::sync::Arc;

struct Setup {
    task: Task,
    candidates: Vec<Candidate>,
    fake: Arc<ScriptedBackend>,
    store: Arc<SqliteStore>,
    synth: Arc<Synthesizer>,
    _dir: tempfile::TempDir,
}

fn text(i: usize) -> String {
    format!("int design_{i};")
}

fn setup(fail: &[usize]) -> Setup {
    let task = task(&families(1)[0], ToolVersion::V20).unwrap();
    let candidates: Vec<Candidate> = task
        .designs
        .iter()
        .enumerate()
        .map(|(i, d)| Candidate {
            id: d.key.clone(),
            view: DesignView::new(&[], None),
            request: SynthRequest { files: vec![SourceFile { name: "k.c".into(), text: text(i) }], top: "top".into(), part: "p".into(), clock_ns: 4.0 },
            graph: Some(d.graph.clone()),
            encode_error: None,
        })
        .collect();
    let answers: HashMap<String, Qor> = task.designs.iter().enumerate().map(|(i, d)| (text(i), d.qor)).collect();
    let fail: Vec<String> = fail.iter().map(|&i| text(i)).collect();
    // Answers `int design_N;` with the N-th design's QoR; the names in `fail` time out.
    let fake = Arc::new(ScriptedBackend::new(Target { part: "p".into(), clock_ns: 4.0 }, move |r| {
        let text = r.files[0].text.trim();
        if fail.iter().any(|f| f == text) {
            return Err(SynthFailure::new(FailureKind::Timeout, "ran past the limit"));
        }
        match answers.get(text) {
            Some(q) => Ok(QorReport { qor: *q, ..QorReport::default() }),
            None => Err(SynthFailure::new(FailureKind::NotRecorded, "unknown")),
        }
    })
    .with_reported_seconds(40.0));
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("r.db")).unwrap());
    let synth = Arc::new(Synthesizer::new(fake.clone(), Some(store.clone() as Arc<dyn ResultStore>), 4));
    Setup { task, candidates, fake, store, synth, _dir: dir }
}

fn model(task: &Task) -> ProxyModel {
    let norm = Normalisation::fit(task.designs.iter().map(|d| &d.graph));
    ProxyModel::new(ModelConfig::default(), norm, 5).unwrap()
}

fn scorer(s: &Setup, threshold: f32, budget: usize, every: usize) -> GroupScorer {
    let cell = Arc::new(ModelCell::new(model(&s.task)));
    let policy = UpdatePolicy { every, update: UpdateConfig { steps: 5, ..UpdateConfig::default() } };
    let updater = Arc::new(OnlineUpdater::new(cell, vec![], vec![], policy));
    GroupScorer::new(updater, s.synth.clone(), ScorerConfig { threshold, budget, spend_budget: false, passes: 8, neighbours_after: 0, sure_within: 0 })
}

fn true_rewards(s: &Setup, group: &[usize]) -> Vec<f64> {
    let mut pairs = Vec::new();
    for a in 0..group.len() {
        for b in a + 1..group.len() {
            let (qa, qb) = (&s.task.designs[group[a]].qor, &s.task.designs[group[b]].qor);
            pairs.push(((a, b), Relation::of_results(Some(qa), Some(qb))));
        }
    }
    rewards(group.len(), &pairs)
}

#[test]
fn everything_uncertain_with_enough_budget_gives_the_real_rewards() {
    let s = setup(&[]);
    let sc = scorer(&s, -1.0, 8, 0);
    let group: Vec<usize> = (0..8).map(|k| k * 5).collect();
    let cands: Vec<Candidate> = group.iter().map(|&i| s.candidates[i].clone()).collect();
    let g = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g.synthesized, 8);
    assert!(g.pairs.iter().all(|p| p.from_synthesis));
    assert_eq!(g.rewards(), true_rewards(&s, &group));
    assert!(g.designs.iter().all(|d| d.real.as_ref().is_some_and(|(src, st)| *src == RealSource::Synthesized && st == "ok")));
}

#[test]
fn a_certain_proxy_synthesizes_nothing_and_budgets_cap_syntheses() {
    let s = setup(&[]);
    let cands: Vec<Candidate> = (0..8).map(|i| s.candidates[i * 3].clone()).collect();
    let g = scorer(&s, 2.0, 8, 0).score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g.synthesized, 0);
    assert!(g.pairs.iter().all(|p| !p.from_synthesis && p.proxy.is_some()));
    assert!(g.designs.iter().all(|d| (0.0..=1.0).contains(&d.reward)));
    assert!(g.designs.iter().map(|d| d.advantage).sum::<f64>().abs() < 1e-9);
    for budget in [0, 1, 2, 3] {
        let s = setup(&[]);
        let g = scorer(&s, -1.0, budget, 0).score("int0", "v20", &cands, 1).unwrap();
        // Everything is uncertain: the whole budget is spent, even an odd last synthesis.
        assert_eq!(g.synthesized, budget, "budget {budget}");
        assert_eq!(s.fake.calls(), g.synthesized);
    }
}

#[test]
fn nothing_is_synthesized_twice() {
    let s = setup(&[]);
    let sc = scorer(&s, -1.0, 8, 0);
    let cands: Vec<Candidate> = (0..8).map(|i| s.candidates[i].clone()).collect();
    let first = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(first.synthesized, 8);
    // The same designs again, and an overlapping group: only the new ones are synthesized.
    let again = sc.score("int0", "v20", &cands, 2).unwrap();
    assert_eq!(again.synthesized, 0);
    assert!(again.designs.iter().all(|d| d.real.as_ref().is_some_and(|(src, _)| *src == RealSource::Stored)));
    assert_eq!(again.rewards(), first.rewards());
    let overlap: Vec<Candidate> = (4..12).map(|i| s.candidates[i].clone()).collect();
    let third = sc.score("int0", "v20", &overlap, 3).unwrap();
    assert_eq!(third.synthesized, 4);
    assert_eq!(s.fake.calls(), 12);
    let stats = s.store.stats().unwrap();
    assert_eq!(stats.results, 12, "{stats:?}");
    // The same new design twice in one group: one synthesis, counted once.
    let twice = vec![s.candidates[20].clone(), s.candidates[20].clone(), s.candidates[21].clone()];
    let g = sc.score("int0", "v20", &twice, 4).unwrap();
    assert_eq!(g.synthesized, 2);
    assert_eq!(s.fake.calls(), 14);
    assert_eq!(s.fake.max_calls_per_design(), 1);
}

#[test]
fn a_timed_out_synthesis_is_stored_and_the_group_still_scored() {
    let s = setup(&[2]);
    let sc = scorer(&s, -1.0, 8, 0);
    let cands: Vec<Candidate> = (0..6).map(|i| s.candidates[i].clone()).collect();
    let g = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g.designs[2].real.as_ref().map(|(_, st)| st.as_str()), Some("timeout"));
    let min = g.designs.iter().map(|d| d.reward).fold(f64::INFINITY, f64::min);
    assert_eq!(g.designs[2].reward, min);
    assert!(g.designs.iter().filter(|d| d.reward == min).count() == 1);
    let stats = s.store.stats().unwrap();
    assert_eq!(stats.backends[0].failed, 1, "{stats:?}");
    // Stored as a timeout: asking again synthesizes nothing.
    let again = sc.score("int0", "v20", &cands, 2).unwrap();
    assert_eq!(again.synthesized, 0);
    assert_eq!(s.fake.calls(), 6);
}

#[test]
fn a_stored_failure_ranks_last_even_when_the_others_are_left_to_the_proxy() {
    let s = setup(&[2]);
    let cands: Vec<Candidate> = (0..6).map(|i| s.candidates[i].clone()).collect();
    scorer(&s, -1.0, 8, 0).score("int0", "v20", &cands[2..4], 1).unwrap();
    // Nothing switched now: only the stored results (the timeout and design 3) are real.
    let g = scorer(&s, 2.0, 8, 0).score("int0", "v20", &cands, 2).unwrap();
    assert_eq!(g.synthesized, 0);
    assert_eq!(g.designs[2].real.as_ref().map(|(src, st)| (*src, st.as_str())), Some((RealSource::Stored, "timeout")));
    for p in g.pairs.iter().filter(|p| p.a == 2 || p.b == 2) {
        assert!(p.from_synthesis);
        let failed_is_a = p.a == 2;
        let expect = if failed_is_a { Dominance::BDominates } else { Dominance::ADominates };
        assert_eq!(p.relation.dominance, expect, "{p:?}");
    }
    let min = g.designs.iter().map(|d| d.reward).fold(f64::INFINITY, f64::min);
    assert_eq!(g.designs[2].reward, min);
}

#[test]
fn a_design_the_front_end_cannot_read_is_synthesized_first() {
    let s = setup(&[]);
    let mut cands: Vec<Candidate> = (0..5).map(|i| s.candidates[i].clone()).collect();
    cands[3].graph = None;
    cands[3].encode_error = Some("syntax error".into());
    // Above-threshold pairs exist only because of the unreadable design (uncertainty 1).
    let g = scorer(&s, 0.999, 2, 0).score("int0", "v20", &cands, 1).unwrap();
    assert!(g.designs[3].real.is_some(), "{:?}", g.designs[3]);
    assert!(g.synthesized <= 2);
}

#[test]
fn online_updates_swap_in_new_versions_with_their_training_results() {
    let s = setup(&[]);
    let sc = scorer(&s, -1.0, 8, 6);
    let before = sc.updater.cell().current();
    assert_eq!(before.version, 0);
    let cands: Vec<Candidate> = (0..8).map(|i| s.candidates[i].clone()).collect();
    let g0 = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g0.model_version, 0);
    sc.updater.wait();
    let versions = sc.updater.versions();
    assert_eq!(versions.len(), 1, "errors: {:?}", sc.updater.errors());
    assert_eq!(versions[0].version, 1);
    assert_eq!(versions[0].parent, 0);
    assert_eq!(versions[0].trained_on.len(), 8);
    let after = sc.updater.cell().current();
    assert_eq!(after.version, 1);
    // The swapped-in model is a different set of weights; the old one is untouched (still
    // usable by whoever holds it).
    let graphs: Vec<_> = s.task.designs.iter().take(4).map(|d| &d.graph).collect();
    let a = before.model.score(&graphs, &[(0, 1), (2, 3)], 0, 0).unwrap();
    let b = after.model.score(&graphs, &[(0, 1), (2, 3)], 0, 0).unwrap();
    assert_ne!(a, b);
    let a2 = before.model.score(&graphs, &[(0, 1), (2, 3)], 0, 0).unwrap();
    assert_eq!(a, a2);
    let g1 = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g1.model_version, 1);
}

#[test]
fn duplicate_results_do_not_trigger_updates() {
    let s = setup(&[]);
    let cell = Arc::new(ModelCell::new(model(&s.task)));
    let up = OnlineUpdater::new(cell, vec![], vec![], UpdatePolicy { every: 3, update: UpdateConfig { steps: 2, ..UpdateConfig::default() } });
    let r = |i: usize| RealResult { kernel: "int0".into(), tool_version: "v20".into(), design: s.task.designs[i].clone() };
    up.record([r(0), r(0), r(0)]);
    up.wait();
    assert!(up.versions().is_empty());
    up.record([r(1), r(2)]);
    up.wait();
    assert_eq!(up.versions().len(), 1);
}

/// A design's view for the neighbour search: one pragma line per bit of `i`, each after its own
/// statement, so two designs are `2 × (bits that differ)` pragma lines apart.
fn bit_view(i: usize) -> DesignView {
    let text: String = (0..3).map(|k| format!("x{k};\n#pragma HLS bit{k} {}\n", (i >> k) & 1)).collect();
    DesignView::new(&[SourceFile { name: "k.c".into(), text }], None)
}

#[test]
fn pairs_left_unsettled_are_judged_by_the_tasks_nearest_real_results() {
    let s = setup(&[]);
    let cands: Vec<Candidate> = (0..8).map(|i| Candidate { view: bit_view(i), ..s.candidates[i].clone() }).collect();
    let mut sc = scorer(&s, -1.0, 4, 0);
    sc.config.neighbours_after = 4;
    let g = sc.score("int0", "v20", &cands, 1).unwrap();
    assert_eq!(g.synthesized, 4);
    let known: Vec<usize> = (0..8).filter(|&k| g.designs[k].real.is_some()).collect();
    let mut unique_nearest = 0;
    for p in &g.pairs {
        assert_eq!(p.by_neighbours, !p.from_synthesis, "{p:?}");
        if p.from_synthesis {
            continue;
        }
        assert_eq!(p.neighbours, Some(p.relation));
        // An unknown design against its one nearest known design: predicted as that design's
        // own numbers, so the two tie.
        let (u, k) = if known.contains(&p.a) { (p.b, p.a) } else { (p.a, p.b) };
        let bits = |x: usize| (u ^ x).count_ones();
        let nearest = known.iter().map(|&x| bits(x)).min().unwrap();
        if known.contains(&k) && bits(k) == nearest && known.iter().filter(|&&x| bits(x) == nearest).count() == 1 {
            unique_nearest += 1;
            assert_eq!(p.relation, Relation { dominance: Dominance::Neither, a_faster: None }, "{p:?}");
        }
    }
    assert!(unique_nearest > 0, "known {known:?}: no unknown design has one nearest known design");
    // Off: the proxy judges them.
    let s = setup(&[]);
    let g = scorer(&s, -1.0, 4, 0).score("int0", "v20", &cands, 1).unwrap();
    assert!(g.pairs.iter().all(|p| !p.by_neighbours && p.neighbours.is_none()));
}

#[test]
fn pairs_the_neighbours_are_sure_of_are_not_synthesized() {
    let s = setup(&[]);
    let cands: Vec<Candidate> = (0..8).map(|i| Candidate { view: bit_view(i), ..s.candidates[i].clone() }).collect();
    let mut sc = scorer(&s, 0.0, 8, 0);
    sc.config.neighbours_after = 1;
    sc.config.sure_within = 6;
    // Teach the task four designs, then score all eight. Every pair is above the threshold for
    // the proxy (an untrained model is never certain); the pairs the neighbours are sure of get
    // uncertainty 0 and are not switched.
    assert_eq!(sc.score("int0", "v20", &cands[..4], 1).unwrap().synthesized, 4);
    let g = sc.score("int0", "v20", &cands, 2).unwrap();
    let sure: Vec<&PairDecision> = g.pairs.iter().filter(|p| p.uncertainty == 0.0).collect();
    assert!(!sure.is_empty(), "no pair was sure: {:?}", g.pairs);
    assert!(sure.iter().all(|p| p.neighbours.is_some()));
    // A design was synthesized only for a pair that was not sure.
    for (k, d) in g.designs.iter().enumerate() {
        if d.real.as_ref().is_some_and(|(src, _)| *src == RealSource::Synthesized) {
            assert!(g.pairs.iter().any(|p| (p.a == k || p.b == k) && p.uncertainty > 0.0), "design {k}");
        }
    }
    // Off: the proxy's uncertainty alone decides, and all four unknown designs are synthesized.
    let s2 = setup(&[]);
    let mut off = scorer(&s2, 0.0, 8, 0);
    off.config.neighbours_after = 1;
    off.score("int0", "v20", &cands[..4], 1).unwrap();
    let all = off.score("int0", "v20", &cands, 2).unwrap();
    assert_eq!(all.synthesized, 4);
    assert!(all.pairs.iter().all(|p| p.uncertainty > 0.0));
}
