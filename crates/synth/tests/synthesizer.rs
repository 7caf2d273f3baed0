//! The synthesizer in front of the store: lookups before synthesis, bounded parallelism,
//! batch de-duplication, request order, what is stored and what is not.

use hlsseek_front::SourceFile;
use hlsseek_qor::{Latency, Qor, Resources};
use hlsseek_store::{sqlite::SqliteStore, ResultStore};
use hlsseek_synth::testing::ScriptedBackend;
use hlsseek_synth::{FailureKind, QorReport, SynthFailure, SynthRequest, Synthesizer, Target};
use std::sync::Arc;
use std::time::Duration;

/// Answers `lut = len(text)`; fails by the marker in the text; each synthesis takes 20 ms so
/// that concurrent ones overlap.
fn fake() -> Arc<ScriptedBackend> {
    let target = Target { part: "p".into(), clock_ns: 1.0 };
    Arc::new(
        ScriptedBackend::new(target, |r| {
            let text = &r.files[0].text;
            if text.contains("PANIC") {
                panic!("fake backend bug");
            } else if text.contains("TIMEOUT") {
                Err(SynthFailure::new(FailureKind::Timeout, "slow"))
            } else if text.contains("UNAVAILABLE") {
                Err(SynthFailure::new(FailureKind::Unavailable, "no tool"))
            } else {
                let qor = Qor { latency: Latency::exact(7), ii: Some(1), resources: Resources { lut: text.len() as u64, ..Default::default() } };
                Ok(QorReport { qor, ..QorReport::default() })
            }
        })
        .with_delay(Duration::from_millis(20)),
    )
}

fn req(text: &str) -> SynthRequest {
    SynthRequest { files: vec![SourceFile { name: "k.c".into(), text: text.into() }], top: "k".into(), part: "p".into(), clock_ns: 1.0 }
}

fn setup(jobs: usize) -> (tempfile::TempDir, Arc<ScriptedBackend>, Arc<SqliteStore>, Synthesizer) {
    let dir = tempfile::tempdir().unwrap();
    let fake = fake();
    let store = Arc::new(SqliteStore::open(&dir.path().join("r.db")).unwrap());
    let s = Synthesizer::new(fake.clone(), Some(store.clone()), jobs);
    (dir, fake, store, s)
}

#[test]
fn bounded_jobs_request_order_and_dedup() {
    let (_d, fake, store, synth) = setup(3);
    let texts: Vec<String> = (0..12).map(|i| format!("int k{i};{}", "x".repeat(i))).collect();
    let mut reqs: Vec<SynthRequest> = texts.iter().map(|t| req(t)).collect();
    reqs.push(req(&texts[0])); // duplicate within the batch
    let out = synth.synthesize_many(&reqs);
    assert_eq!(out.len(), 13);
    for (o, t) in out.iter().zip(texts.iter().chain(std::iter::once(&texts[0]))) {
        assert_eq!(o.outcome.result.as_ref().unwrap().qor.resources.lut, t.len() as u64);
        assert!(!o.cached);
    }
    assert_eq!(out[12].key, out[0].key);
    assert_eq!(fake.calls(), 12, "the duplicate is synthesized once");
    let max = fake.max_in_flight();
    assert!((2..=3).contains(&max), "in flight at most 3, and more than 1: {max}");

    let again = synth.synthesize_many(&reqs);
    assert!(again.iter().all(|o| o.cached));
    assert_eq!(fake.calls(), 12);
    let s = store.stats().unwrap();
    assert_eq!((s.results, s.hits, s.misses), (12, 12, 12));
}

#[test]
fn design_failures_are_stored_environment_failures_and_bugs_are_not() {
    let (_d, fake, store, synth) = setup(2);
    let out = synth.synthesize_many(&[req("TIMEOUT"), req("UNAVAILABLE"), req("PANIC")]);
    assert_eq!(out[0].outcome.result.as_ref().unwrap_err().kind, FailureKind::Timeout);
    assert_eq!(out[1].outcome.result.as_ref().unwrap_err().kind, FailureKind::Unavailable);
    let bug = out[2].outcome.result.as_ref().unwrap_err();
    assert_eq!(bug.kind, FailureKind::ToolError);
    assert!(bug.message.contains("internal error") && bug.message.contains("fake backend bug"), "{}", bug.message);
    assert_eq!(store.stats().unwrap().results, 1);
    let again = synth.synthesize_many(&[req("TIMEOUT"), req("UNAVAILABLE")]);
    assert!(again[0].cached && !again[1].cached);
    assert_eq!(fake.calls(), 4);
}

#[test]
fn keys_depend_on_target_and_backend_version_not_layout() {
    use hlsseek_synth::key::store_key;
    let a = req("int f(int x) { return x + 1; }");
    let b = req("int f(int x)\n{\n  // add one\n  return x+1;\n}\n");
    assert_eq!(store_key(&a, "fake", "1"), store_key(&b, "fake", "1"));
    let mut c = a.clone();
    c.clock_ns = 2.0;
    assert_ne!(store_key(&a, "fake", "1"), store_key(&c, "fake", "1"));
    let mut d = a.clone();
    d.part = "other".into();
    assert_ne!(store_key(&a, "fake", "1"), store_key(&d, "fake", "1"));
    assert_ne!(store_key(&a, "fake", "1"), store_key(&a, "fake", "2"));
    assert_ne!(store_key(&a, "fake", "1"), store_key(&a, "other", "1"));
    let mut e = a.clone();
    e.top = "g".into();
    assert_ne!(store_key(&a, "fake", "1"), store_key(&e, "fake", "1"));
    let mut f = a.clone();
    f.files[0].text = "int f(int x) { return x + 2; }".into();
    assert_ne!(store_key(&a, "fake", "1"), store_key(&f, "fake", "1"));
}

#[test]
fn without_a_store_everything_is_synthesized() {
    let fake = fake();
    let synth = Synthesizer::new(fake.clone(), None, 1);
    let a = synth.synthesize(&req("int a;"));
    let b = synth.synthesize(&req("int a;"));
    assert!(!a.cached && !b.cached);
    assert_eq!(fake.calls(), 2);
}
