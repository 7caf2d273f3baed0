//! What the store holds and reports: records, put outcomes and statistics.

use crate::Key;
use serde::{Deserialize, Serialize};

/// One stored answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub key: Key,
    /// Backend name (`estimate`, `recorded`, `vitis`).
    pub backend: String,
    pub backend_version: String,
    /// `ok`, or the failure kind (`timeout`, `syntax`, ...): kept as a column so counts per
    /// outcome need no JSON parsing.
    pub status: String,
    /// The answer as a JSON document; its shape belongs to the caller (the synth crate).
    pub payload: String,
    /// Unix seconds when first stored.
    pub created_at: i64,
}

/// What a `put` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PutOutcome {
    Inserted,
    /// The key was already stored; the stored record was kept.
    AlreadyPresent,
}

/// Counts for one backend.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BackendStats {
    pub backend: String,
    pub versions: Vec<String>,
    pub results: u64,
    pub ok: u64,
    pub failed: u64,
    pub hits: u64,
    pub misses: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreStats {
    pub location: String,
    pub schema_version: i64,
    pub results: u64,
    pub hits: u64,
    pub misses: u64,
    /// hits / (hits + misses); `None` before the first lookup.
    pub hit_rate: Option<f64>,
    pub backends: Vec<BackendStats>,
}
