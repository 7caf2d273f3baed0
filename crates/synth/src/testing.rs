//! A scripted backend for tests and benchmarks (cargo feature `testing`): it answers with a
//! caller's closure and keeps the evidence tests need — calls per design (nothing synthesized
//! twice) and the most syntheses in flight at once (bounded parallelism).

use crate::key::design_hash;
use crate::{Backend, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
use hlsseek_store::Key;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

type Script = dyn Fn(&SynthRequest) -> Result<QorReport, SynthFailure> + Send + Sync;

/// A backend named `scripted`, version `1`, whose answers come from a closure.
pub struct ScriptedBackend {
    target: Target,
    script: Box<Script>,
    delay: Duration,
    reported_seconds: f64,
    calls: Mutex<HashMap<Key, usize>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
}

impl ScriptedBackend {
    pub fn new(target: Target, script: impl Fn(&SynthRequest) -> Result<QorReport, SynthFailure> + Send + Sync + 'static) -> ScriptedBackend {
        ScriptedBackend {
            target,
            script: Box::new(script),
            delay: Duration::ZERO,
            reported_seconds: 0.0,
            calls: Mutex::new(HashMap::new()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
        }
    }

    /// Real time each synthesis takes (so that concurrent calls overlap).
    pub fn with_delay(mut self, delay: Duration) -> ScriptedBackend {
        self.delay = delay;
        self
    }

    /// The tool time each outcome reports.
    pub fn with_reported_seconds(mut self, seconds: f64) -> ScriptedBackend {
        self.reported_seconds = seconds;
        self
    }

    /// Syntheses run so far.
    pub fn calls(&self) -> usize {
        self.lock().values().sum()
    }

    /// The most times any one design was synthesized.
    pub fn max_calls_per_design(&self) -> usize {
        self.lock().values().copied().max().unwrap_or(0)
    }

    /// The most syntheses that were running at the same time.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Key, usize>> {
        // A script that panicked (on purpose, in a test) must not hide the counts.
        self.calls.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl Backend for ScriptedBackend {
    fn name(&self) -> &str {
        "scripted"
    }
    fn version(&self) -> String {
        "1".into()
    }
    fn default_target(&self) -> Target {
        self.target.clone()
    }
    fn synthesize(&self, r: &SynthRequest) -> SynthOutcome {
        *self.lock().entry(design_hash(&r.files, &r.top)).or_default() += 1;
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.max_in_flight.fetch_max(now, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        let result = (self.script)(r);
        SynthOutcome { result, seconds: self.reported_seconds, tool: "scripted".into(), tool_version: "1".into() }
    }
}
