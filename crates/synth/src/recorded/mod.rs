//! The `recorded` backend: answers from published datasets (HLSyn, ForgeHLS) in their original
//! formats. A design is found by its content hash ([`crate::key::design_hash`]), so layout and
//! comments do not matter; a design the datasets lack is `NotRecorded`, never a guess.
//!
//! - [`hlsyn`]: every recorded point of every kernel, rendered from its design space.
//! - [`forgehls`]: every record's own files.

pub mod forgehls;
pub mod hlsyn;

use crate::key::design_hash;
use crate::{Backend, FailureKind, QorReport, SynthFailure, SynthOutcome, SynthRequest, Target};
use hlsseek_store::Key;
use serde::Serialize;
use std::collections::HashMap;
use std::time::Instant;

/// A dataset could not be indexed.
#[derive(Debug, thiserror::Error)]
pub enum RecordedError {
    #[error(transparent)]
    Dataset(#[from] hlsseek_datasets::DatasetError),
    #[error("{path}: not a dataset hlsseek knows (expected an HLSyn root with designs/ and sources/, or a ForgeHLS kernels.json)")]
    Unknown { path: String },
    #[error("HLSyn has no version `{version}` (known: v18, v20)")]
    UnknownVersion { version: String },
}

/// Indexed records: each with its design hash, or why it could not be rendered.
pub type Indexed = Vec<(Result<Key, String>, Entry)>;

/// One recorded answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    /// Which dataset, e.g. `hlsyn-v20`.
    pub dataset: String,
    /// Which record, e.g. `gemm-p/<design key>`.
    pub id: String,
    pub target: Target,
    pub answer: Result<QorReport, SynthFailure>,
}

/// What indexing found, for reports.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IndexStats {
    pub records: usize,
    pub designs: usize,
    /// Records whose source equals an earlier record's, with the same answer.
    pub duplicates: usize,
    /// Pairs of records with the same source and different answers (first two ids of each).
    pub conflicts: Vec<(String, String)>,
    /// Records that could not be rendered into a source (counted, never silently dropped).
    pub unrenderable: Vec<String>,
}

/// Content-addressed recorded answers.
#[derive(Default)]
pub struct RecordedBackend {
    index: HashMap<Key, Vec<Entry>>,
    labels: Vec<String>,
    stats: IndexStats,
}

impl RecordedBackend {
    pub fn new() -> RecordedBackend {
        RecordedBackend::default()
    }

    /// Add a dataset found at `path`: an HLSyn root (with `hlsyn_version`, e.g. `v20`) or a
    /// ForgeHLS `kernels.json` (or its folder).
    pub fn add_path(&mut self, path: &std::path::Path, hlsyn_version: &str) -> Result<(), RecordedError> {
        if path.join("designs").is_dir() && path.join("sources").is_dir() {
            if !hlsseek_datasets::hlsyn::VERSIONS.contains(&hlsyn_version) {
                return Err(RecordedError::UnknownVersion { version: hlsyn_version.into() });
            }
            let entries = hlsyn::index(path, hlsyn_version)?;
            self.add(&format!("hlsyn-{hlsyn_version}"), entries);
            return Ok(());
        }
        let json = if path.is_dir() { path.join("kernels.json") } else { path.to_path_buf() };
        if json.is_file() {
            let entries = forgehls::index(&json)?;
            self.add("forgehls", entries);
            return Ok(());
        }
        Err(RecordedError::Unknown { path: path.display().to_string() })
    }

    /// Add indexed entries under a dataset label; `entries` pairs each design hash with its
    /// answer, or with `Err(id)` for a record that could not be rendered.
    pub fn add(&mut self, label: &str, entries: Indexed) {
        self.labels.push(label.to_string());
        for (hash, entry) in entries {
            self.stats.records += 1;
            let hash = match hash {
                Ok(h) => h,
                Err(why) => {
                    self.stats.unrenderable.push(format!("{}: {why}", entry.id));
                    continue;
                }
            };
            let slot = self.index.entry(hash).or_default();
            if slot.is_empty() {
                self.stats.designs += 1;
            } else if let Some(other) = slot.iter().find(|e| e.target == entry.target && e.answer != entry.answer) {
                self.stats.conflicts.push((other.id.clone(), entry.id.clone()));
            } else {
                self.stats.duplicates += 1;
            }
            slot.push(entry);
        }
    }

    pub fn stats(&self) -> &IndexStats {
        &self.stats
    }

    /// The recorded entries with the same source as `files` + `top`, whatever their target.
    pub fn entries(&self, hash: &Key) -> &[Entry] {
        self.index.get(hash).map(Vec::as_slice).unwrap_or(&[])
    }

    fn answer(&self, req: &SynthRequest) -> (Result<QorReport, SynthFailure>, String) {
        let hash = design_hash(&req.files, &req.top);
        let all = self.entries(&hash);
        let matching: Vec<&Entry> = all.iter().filter(|e| target_matches(&e.target, &req.part, req.clock_ns)).collect();
        let Some(first) = matching.first() else {
            let msg = if all.is_empty() {
                format!("no record of this design (top `{}`) in {}", req.top, self.labels.join(", "))
            } else {
                let targets: Vec<String> =
                    all.iter().map(|e| format!("{} at {} ns", e.target.part, e.target.clock_ns)).collect();
                format!(
                    "this design is recorded only for {}, not for {} at {} ns",
                    dedup(targets).join(", "),
                    req.part,
                    req.clock_ns
                )
            };
            return (Err(SynthFailure::new(FailureKind::NotRecorded, msg)), self.labels.join("+"));
        };
        let mut answer = first.answer.clone();
        let differing: Vec<&str> =
            matching.iter().filter(|e| e.answer != first.answer).map(|e| e.id.as_str()).collect();
        if !differing.is_empty() {
            // The same source recorded twice with different numbers: answer the first record
            // (dataset order, then key order) and say which others disagree.
            let note = format!("{} records this source with other numbers too: {}", first.id, differing.join(", "));
            match &mut answer {
                Ok(r) => r.notes.push(note),
                Err(f) => f.message.push_str(&format!(" ({note})")),
            }
        }
        (answer, first.dataset.clone())
    }
}

/// A request's part matches a recorded one by full name or by a distinctive part of it
/// (`vu9p`, `xcu280`); the clock must be the same.
fn target_matches(recorded: &Target, part: &str, clock_ns: f64) -> bool {
    let (rec, want) = (recorded.part.to_ascii_lowercase(), part.to_ascii_lowercase());
    let part_ok = rec == want || (want.len() >= 4 && rec.contains(&want));
    part_ok && (recorded.clock_ns - clock_ns).abs() < 1e-9
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

impl Backend for RecordedBackend {
    fn name(&self) -> &str {
        "recorded"
    }

    fn version(&self) -> String {
        self.labels.join("+")
    }

    /// The first dataset's target (every record of a dataset shares it).
    fn default_target(&self) -> Target {
        self.index
            .values()
            .flatten()
            .find(|e| Some(&e.dataset) == self.labels.first())
            .map(|e| e.target.clone())
            .unwrap_or(Target { part: hlsseek_datasets::hlsyn::PART.into(), clock_ns: hlsseek_datasets::hlsyn::CLOCK_NS })
    }

    fn synthesize(&self, req: &SynthRequest) -> SynthOutcome {
        let start = Instant::now();
        let (result, dataset) = self.answer(req);
        SynthOutcome { result, seconds: start.elapsed().as_secs_f64(), tool: "recorded".into(), tool_version: tool_of(&dataset) }
    }
}

/// The tool that produced a dataset's numbers.
fn tool_of(dataset: &str) -> String {
    match dataset {
        "hlsyn-v18" => "hlsyn-v18 (SDx 2018.3)".into(),
        "hlsyn-v20" => "hlsyn-v20 (Vitis 2020.2)".into(),
        "forgehls" => "forgehls (Vitis HLS)".into(),
        other => other.into(),
    }
}
