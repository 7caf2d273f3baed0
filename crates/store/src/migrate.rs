//! Schema versions and the migrations between them. A fresh store is built by running every
//! migration from version 0, so the upgrade path of old stores is the path every store takes.
//!
//! - v1: `results(key, backend, status, payload)` and the `schema_version` table.
//! - v2: adds `backend_version` and `created_at` to results, an index per backend, and the
//!   `lookups` hit/miss counters.

use crate::StoreError;
use rusqlite::{Connection, TransactionBehavior};

/// The schema this code reads and writes.
pub const CURRENT: i64 = 2;

/// SQL taking the schema from version `i` to `i + 1`.
const MIGRATIONS: [&str; CURRENT as usize] = [
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
     INSERT INTO schema_version (version) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM schema_version);
     CREATE TABLE results (
         key     TEXT PRIMARY KEY NOT NULL,
         backend TEXT NOT NULL,
         status  TEXT NOT NULL,
         payload TEXT NOT NULL
     );",
    "ALTER TABLE results ADD COLUMN backend_version TEXT NOT NULL DEFAULT '';
     ALTER TABLE results ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX results_by_backend ON results (backend, backend_version);
     CREATE TABLE lookups (
         backend TEXT PRIMARY KEY NOT NULL,
         hits    INTEGER NOT NULL DEFAULT 0,
         misses  INTEGER NOT NULL DEFAULT 0
     );",
];

/// The schema version of an open store (0 for an empty database).
pub fn version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(0);
    }
    conn.query_row("SELECT COALESCE(MAX(version), 0) FROM schema_version", [], |r| r.get(0))
}

/// Bring the store to [`CURRENT`]. Each step runs in its own IMMEDIATE transaction and re-reads
/// the version inside it, so several processes opening an old store at once migrate it once.
pub fn upgrade(conn: &mut Connection, location: &str) -> Result<i64, StoreError> {
    let sql = |op, source| StoreError::Sql { location: location.to_string(), op, source };
    loop {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(|e| sql("migration", e))?;
        let v = version(&tx).map_err(|e| sql("reading the schema version", e))?;
        if v > CURRENT {
            return Err(StoreError::SchemaTooNew { location: location.to_string(), found: v, supported: CURRENT });
        }
        if v == CURRENT {
            tx.commit().map_err(|e| sql("migration", e))?;
            return Ok(v);
        }
        tx.execute_batch(MIGRATIONS[v as usize]).map_err(|e| sql("migration", e))?;
        tx.execute("UPDATE schema_version SET version = ?1", [v + 1]).map_err(|e| sql("migration", e))?;
        tx.commit().map_err(|e| sql("migration", e))?;
    }
}
