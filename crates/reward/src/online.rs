//! The self-improving part: real results accumulate, and every K new ones the proxy is
//! fine-tuned (with replay of its old training data) on a copy in a background thread, then
//! swapped in atomically. Scoring never waits for training: it reads whichever model is current.
//!
//! Every model version is recorded with the results it was trained on, so any reward can be
//! traced to the model and the data behind it.

use crate::error::{RewardError, Result};
use hlsseek_proxy::data::{Design, Task};
use hlsseek_proxy::train::{update, UpdateConfig};
use hlsseek_proxy::ProxyModel;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::thread::JoinHandle;
use std::time::Instant;

/// A model and its version number (0: the model the loop started from).
pub struct Versioned {
    pub version: u64,
    pub model: ProxyModel,
}

/// The model scoring reads: swapped whole, so a reader sees either the old or the new model,
/// never a half-updated one. Readers hold an `Arc` for as long as they score; the swap does
/// not wait for them.
pub struct ModelCell(RwLock<Arc<Versioned>>);

impl ModelCell {
    pub fn new(model: ProxyModel) -> ModelCell {
        ModelCell(RwLock::new(Arc::new(Versioned { version: 0, model })))
    }

    pub fn current(&self) -> Arc<Versioned> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn swap(&self, next: Versioned) {
        *self.0.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(next);
    }
}

/// When and how to fine-tune.
#[derive(Clone, Debug, Serialize)]
pub struct UpdatePolicy {
    /// Fine-tune after this many new real results (0: never).
    pub every: usize,
    pub update: UpdateConfig,
}

impl Default for UpdatePolicy {
    fn default() -> Self {
        UpdatePolicy { every: 16, update: UpdateConfig::default() }
    }
}

/// One model version and what made it.
#[derive(Clone, Debug, Serialize)]
pub struct ModelVersion {
    pub version: u64,
    pub parent: u64,
    /// Real results the fine-tuning saw (task `kernel/version`, design key), in order.
    pub trained_on: Vec<String>,
    pub mean_loss: f32,
    pub seconds: f64,
}

/// A real result for the online data: the design's graph and its true QoR, in a task.
#[derive(Clone, Debug)]
pub struct RealResult {
    pub kernel: String,
    pub tool_version: String,
    pub design: Design,
}

struct Running {
    handle: JoinHandle<Result<ModelVersion>>,
}

#[derive(Default)]
struct State {
    /// Every real result so far, per task (`kernel`, `tool version`), in arrival order.
    results: BTreeMap<(String, String), Vec<Design>>,
    since_update: usize,
    running: Option<Running>,
    versions: Vec<ModelVersion>,
    errors: Vec<String>,
    next_version: u64,
}

/// Collects real results and runs the update policy.
pub struct OnlineUpdater {
    cell: Arc<ModelCell>,
    replay: Arc<Vec<Task>>,
    replay_idx: Arc<Vec<Vec<usize>>>,
    policy: UpdatePolicy,
    state: Mutex<State>,
}

impl OnlineUpdater {
    /// `replay` (with the usable design indices per task in `replay_idx`) is the old training
    /// data rehearsed during every fine-tuning so old kernels are not forgotten.
    pub fn new(cell: Arc<ModelCell>, replay: Vec<Task>, replay_idx: Vec<Vec<usize>>, policy: UpdatePolicy) -> OnlineUpdater {
        OnlineUpdater {
            cell,
            replay: Arc::new(replay),
            replay_idx: Arc::new(replay_idx),
            policy,
            state: Mutex::new(State { next_version: 1, ..State::default() }),
        }
    }

    pub fn cell(&self) -> &Arc<ModelCell> {
        &self.cell
    }

    /// Add real results; starts a background fine-tuning when K new results have arrived and
    /// none is running (results arriving meanwhile count towards the next one).
    pub fn record(&self, results: impl IntoIterator<Item = RealResult>) {
        let mut st = self.lock();
        for r in results {
            let task = st.results.entry((r.kernel, r.tool_version)).or_default();
            // The same design twice would be over-weighted, not new information.
            if !task.iter().any(|d| d.key == r.design.key) {
                task.push(r.design);
                st.since_update += 1;
            }
        }
        self.reap(&mut st, false);
        if self.policy.every > 0 && st.since_update >= self.policy.every && st.running.is_none() {
            self.start(&mut st);
        }
    }

    /// Wait for a running fine-tuning to finish and be swapped in.
    pub fn wait(&self) {
        let mut st = self.lock();
        self.reap(&mut st, true);
    }

    /// The versions made so far, oldest first.
    pub fn versions(&self) -> Vec<ModelVersion> {
        self.lock().versions.clone()
    }

    /// Fine-tunings that failed (the old model stayed in service).
    pub fn errors(&self) -> Vec<String> {
        self.lock().errors.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Collect a finished (or, with `block`, the running) fine-tuning.
    fn reap(&self, st: &mut State, block: bool) {
        let done = st.running.as_ref().is_some_and(|r| r.handle.is_finished());
        if !(done || block) {
            return;
        }
        let Some(run) = st.running.take() else { return };
        match run.handle.join() {
            Ok(Ok(v)) => st.versions.push(v),
            Ok(Err(e)) => st.errors.push(e.to_string()),
            Err(_) => st.errors.push("the fine-tuning thread panicked".into()),
        }
    }

    fn start(&self, st: &mut State) {
        let new: Vec<Task> = st
            .results
            .iter()
            .filter(|(_, d)| d.len() >= 2)
            .map(|((kernel, version), designs)| Task { kernel: kernel.clone(), version: version.clone(), designs: designs.clone() })
            .collect();
        if new.is_empty() {
            return; // Nothing to compare yet: wait for a second result of some task.
        }
        st.since_update = 0;
        let trained_on: Vec<String> =
            new.iter().flat_map(|t| t.designs.iter().map(move |d| format!("{}/{}/{}", t.kernel, t.version, d.key))).collect();
        let version = st.next_version;
        st.next_version += 1;
        let (cell, replay, replay_idx) = (self.cell.clone(), self.replay.clone(), self.replay_idx.clone());
        let mut cfg = self.policy.update.clone();
        cfg.seed = cfg.seed.wrapping_add(version);
        let handle = std::thread::spawn(move || -> Result<ModelVersion> {
            let started = Instant::now();
            let base = cell.current();
            let mut model = base.model.try_clone()?;
            let mean_loss = update(&mut model, &new, &replay, &replay_idx, &cfg)?;
            if !mean_loss.is_finite() {
                return Err(RewardError::Update(format!("fine-tuning diverged (loss {mean_loss}); version {version} discarded")));
            }
            cell.swap(Versioned { version, model });
            Ok(ModelVersion { version, parent: base.version, trained_on, mean_loss, seconds: started.elapsed().as_secs_f64() })
        });
        st.running = Some(Running { handle });
    }
}

impl Drop for OnlineUpdater {
    fn drop(&mut self) {
        // Never leave a detached thread writing into a cell nobody reads.
        self.wait();
    }
}
