//! A backend behind the result store: look up first, synthesize only what is missing (with a
//! bounded number of jobs in flight), store every answer that says something about the design.

use crate::key::store_key;
use crate::{Backend, FailureKind, SynthFailure, SynthOutcome, SynthRequest};
use hlsseek_store::{Key, Record, ResultStore};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// One answer and where it came from.
#[derive(Clone, Debug)]
pub struct Synthesized {
    pub key: Key,
    pub outcome: SynthOutcome,
    /// Served from the store, no synthesis run.
    pub cached: bool,
    /// The store could not be read or written for this request; the answer is still valid.
    pub store_error: Option<String>,
}

pub struct Synthesizer {
    backend: Arc<dyn Backend>,
    store: Option<Arc<dyn ResultStore>>,
    jobs: usize,
}

impl Synthesizer {
    /// `jobs` bounds the syntheses in flight at once (at least 1).
    pub fn new(backend: Arc<dyn Backend>, store: Option<Arc<dyn ResultStore>>, jobs: usize) -> Synthesizer {
        Synthesizer { backend, store, jobs: jobs.max(1) }
    }

    pub fn backend(&self) -> &dyn Backend {
        self.backend.as_ref()
    }

    /// The stored answer for `request`, if any, without synthesizing (and without counting a
    /// hit or miss): what a caller deciding whether to pay for a synthesis needs to know.
    pub fn stored(&self, request: &SynthRequest) -> Option<Synthesized> {
        let key = guard_key(request, self.backend.name(), &self.backend.version());
        let outcome = self.lookup(&key).ok().flatten()?;
        Some(Synthesized { key, outcome, cached: true, store_error: None })
    }

    pub fn synthesize(&self, request: &SynthRequest) -> Synthesized {
        self.synthesize_many(std::slice::from_ref(request)).remove(0)
    }

    /// Answers in request order. Identical requests in one batch are synthesized once.
    pub fn synthesize_many(&self, requests: &[SynthRequest]) -> Vec<Synthesized> {
        let name = self.backend.name().to_string();
        let version = self.backend.version();
        let keys: Vec<Key> = requests.iter().map(|r| guard_key(r, &name, &version)).collect();
        let mut answers: HashMap<Key, Synthesized> = HashMap::new();
        let mut lookup_errors: HashMap<Key, String> = HashMap::new();
        let mut todo: Vec<usize> = Vec::new();
        let (mut hits, mut misses) = (0u64, 0u64);
        for (i, key) in keys.iter().enumerate() {
            if answers.contains_key(key) || todo.iter().any(|&j| keys[j] == *key) {
                continue;
            }
            match self.lookup(key) {
                Ok(Some(outcome)) => {
                    hits += 1;
                    answers.insert(*key, Synthesized { key: *key, outcome, cached: true, store_error: None });
                }
                Ok(None) => {
                    misses += 1;
                    todo.push(i);
                }
                Err(e) => {
                    misses += 1;
                    todo.push(i);
                    lookup_errors.insert(*key, e);
                }
            }
        }
        for (i, outcome) in self.run_bounded(requests, &todo) {
            let key = keys[i];
            let mut store_error = lookup_errors.remove(&key);
            if let Err(e) = self.save(&key, &name, &version, &outcome) {
                store_error = Some(e);
            }
            answers.insert(key, Synthesized { key, outcome, cached: false, store_error });
        }
        if let Some(store) = &self.store {
            // Counters are advisory; a failure to count must not fail the synthesis.
            let _ = store.note_lookups(&name, hits, misses);
        }
        keys.iter().map(|k| answers[k].clone()).collect()
    }

    fn lookup(&self, key: &Key) -> Result<Option<SynthOutcome>, String> {
        let Some(store) = &self.store else { return Ok(None) };
        match store.get(key).map_err(|e| e.to_string())? {
            None => Ok(None),
            Some(rec) => serde_json::from_str(&rec.payload)
                .map(Some)
                // A payload this version cannot read is re-synthesized; the stored record
                // stays (first writer wins), so nothing is lost.
                .map_err(|e| format!("stored result {key} is unreadable ({e}); synthesized again")),
        }
    }

    fn save(&self, key: &Key, backend: &str, version: &str, outcome: &SynthOutcome) -> Result<(), String> {
        let Some(store) = &self.store else { return Ok(()) };
        if let Err(f) = &outcome.result {
            if !f.kind.is_property_of_design() || f.message.starts_with(INTERNAL_ERROR) {
                return Ok(());
            }
        }
        let payload = serde_json::to_string(outcome).map_err(|e| format!("cannot encode result {key}: {e}"))?;
        let record = Record {
            key: *key,
            backend: backend.to_string(),
            backend_version: version.to_string(),
            status: outcome.status().to_string(),
            payload,
            created_at: std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        };
        store.put(&record).map(|_| ()).map_err(|e| e.to_string())
    }

    /// Synthesize `requests[todo[..]]` with at most `jobs` running at once: `jobs` workers
    /// pull the next index from a shared counter.
    fn run_bounded(&self, requests: &[SynthRequest], todo: &[usize]) -> Vec<(usize, SynthOutcome)> {
        let next = AtomicUsize::new(0);
        let done = Mutex::new(Vec::with_capacity(todo.len()));
        let workers = self.jobs.min(todo.len());
        std::thread::scope(|s| {
            for _ in 0..workers {
                s.spawn(|| loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&i) = todo.get(n) else { break };
                    let outcome = guarded_synthesize(self.backend.as_ref(), &requests[i]);
                    done.lock().unwrap_or_else(|p| p.into_inner()).push((i, outcome));
                });
            }
        });
        done.into_inner().unwrap_or_else(|p| p.into_inner())
    }
}

fn guard_key(r: &SynthRequest, name: &str, version: &str) -> Key {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| store_key(r, name, version))) {
        Ok(k) => k,
        // Normalisation failed: fall back to the raw text so the request still has a stable
        // identity (it just will not match layout-only variants).
        Err(_) => {
            let mut h = hlsseek_store::KeyHasher::new("hlsseek-raw-design/1");
            let mut files: Vec<_> = r.files.iter().collect();
            files.sort_by(|a, b| a.name.cmp(&b.name));
            for f in files {
                h.str(&f.text);
            }
            h.str(&r.top).str(&r.part).f64(r.clock_ns).str(name).str(version);
            h.finish()
        }
    }
}

/// Failures that start with this are bugs in hlsseek, not facts about a design: never stored.
pub const INTERNAL_ERROR: &str = "internal error in the backend";

/// Run `f`, turning a panic (a bug in a backend, never the user's fault) into a ToolError.
pub(crate) fn guard<T>(f: impl FnOnce() -> Result<T, SynthFailure>) -> Result<T, SynthFailure> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        Err(SynthFailure::new(FailureKind::ToolError, format!("{INTERNAL_ERROR}: {what}")))
    })
}

fn guarded_synthesize(backend: &dyn Backend, req: &SynthRequest) -> SynthOutcome {
    let start = std::time::Instant::now();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| backend.synthesize(req))).unwrap_or_else(|p| {
        let what = p
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| p.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        SynthOutcome {
            result: Err(SynthFailure::new(FailureKind::ToolError, format!("{INTERNAL_ERROR}: {what}"))),
            seconds: start.elapsed().as_secs_f64(),
            tool: backend.name().into(),
            tool_version: backend.version(),
        }
    })
}
