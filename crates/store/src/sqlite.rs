//! The SQLite store: one file, WAL journal so readers never block the writer, a busy timeout so
//! concurrent writers from several processes queue instead of failing, and first-writer-wins
//! inserts.

use crate::migrate;
use crate::{BackendStats, Key, PutOutcome, Record, ResultStore, StoreError, StoreStats};
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// How long a writer waits for another process's transaction before giving up. Synthesis
/// results are tiny, so a wait this long means something is stuck, not busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SqliteStore {
    path: PathBuf,
    // rusqlite connections are not Sync; one connection per store handle, serialised here.
    // Every call is a short statement, so contention between threads is negligible next to
    // synthesis times.
    conn: Mutex<Connection>,
}

/// Run `op` again while SQLite answers "database is locked", for up to [`BUSY_TIMEOUT`].
///
/// The busy timeout does not cover every lock: switching a new file to WAL needs an exclusive
/// lock, and SQLite answers SQLITE_BUSY at once, without calling the busy handler, when a
/// connection holding a shared lock would otherwise deadlock with another process that is
/// switching too (several processes creating one store at the same moment). Backing off and
/// starting the statement again is the documented way out of that deadlock.
fn retry_while_busy<T>(mut op: impl FnMut() -> rusqlite::Result<T>) -> rusqlite::Result<T> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    let mut pause = Duration::from_millis(1);
    loop {
        match op() {
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy) && std::time::Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

impl SqliteStore {
    /// Open (creating if needed) the store at `path` and migrate it to the current schema.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let location = path.display().to_string();
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::Io { path: dir.display().to_string(), source })?;
        }
        let open_err = |source| StoreError::Open { location: location.clone(), source };
        let mut conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        // WAL: readers and one writer proceed together across processes. NORMAL sync is
        // durable against a crashed or killed process (the case that matters here); a power
        // cut can lose the last commits but never corrupts the file.
        let mode: String =
            retry_while_busy(|| conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))).map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Corrupt { location, message: format!("cannot switch to WAL journal (got `{mode}`)") });
        }
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(open_err)?;
        migrate::upgrade(&mut conn, &location)?;
        Ok(SqliteStore { path: path.to_path_buf(), conn: Mutex::new(conn) })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// `PRAGMA integrity_check`: `Ok(())` when SQLite finds the file sound.
    pub fn integrity_check(&self) -> Result<(), StoreError> {
        let conn = self.lock();
        let answer: String =
            conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).map_err(|e| self.sql("integrity check", e))?;
        if answer == "ok" {
            Ok(())
        } else {
            Err(StoreError::Corrupt { location: self.location(), message: answer })
        }
    }

    /// The schema version on disk.
    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrate::version(&self.lock()).map_err(|e| self.sql("reading the schema version", e))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave the connection half-way through a
        // statement that matters: each call is one statement or one transaction.
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sql(&self, op: &'static str, source: rusqlite::Error) -> StoreError {
        StoreError::Sql { location: self.location(), op, source }
    }
}

fn row_to_record(row: &rusqlite::Row<'_>) -> rusqlite::Result<(String, Record)> {
    let key: String = row.get(0)?;
    Ok((
        key,
        Record {
            key: Key([0; 32]),
            backend: row.get(1)?,
            backend_version: row.get(2)?,
            status: row.get(3)?,
            payload: row.get(4)?,
            created_at: row.get(5)?,
        },
    ))
}

impl ResultStore for SqliteStore {
    fn get(&self, key: &Key) -> Result<Option<Record>, StoreError> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "SELECT key, backend, backend_version, status, payload, created_at FROM results WHERE key = ?1",
            )
            .map_err(|e| self.sql("lookup", e))?;
        let found = stmt.query_row([key.to_hex()], row_to_record).optional().map_err(|e| self.sql("lookup", e))?;
        Ok(found.map(|(_, mut r)| {
            r.key = *key;
            r
        }))
    }

    fn put(&self, r: &Record) -> Result<PutOutcome, StoreError> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare_cached(
                "INSERT INTO results (key, backend, backend_version, status, payload, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (key) DO NOTHING",
            )
            .map_err(|e| self.sql("insert", e))?;
        let n = stmt
            .execute(params![r.key.to_hex(), r.backend, r.backend_version, r.status, r.payload, r.created_at])
            .map_err(|e| self.sql("insert", e))?;
        Ok(if n == 1 { PutOutcome::Inserted } else { PutOutcome::AlreadyPresent })
    }

    fn note_lookups(&self, backend: &str, hits: u64, misses: u64) -> Result<(), StoreError> {
        if hits == 0 && misses == 0 {
            return Ok(());
        }
        let conn = self.lock();
        conn.execute(
            "INSERT INTO lookups (backend, hits, misses) VALUES (?1, ?2, ?3)
             ON CONFLICT (backend) DO UPDATE SET hits = hits + excluded.hits, misses = misses + excluded.misses",
            params![backend, hits as i64, misses as i64],
        )
        .map_err(|e| self.sql("counting lookups", e))?;
        Ok(())
    }

    fn stats(&self) -> Result<StoreStats, StoreError> {
        let conn = self.lock();
        let schema_version = migrate::version(&conn).map_err(|e| self.sql("reading the schema version", e))?;
        let mut by_backend: BTreeMap<String, BackendStats> = BTreeMap::new();
        let mut stmt = conn
            .prepare(
                "SELECT backend, backend_version, status = 'ok', COUNT(*) FROM results
                 GROUP BY backend, backend_version, status = 'ok'",
            )
            .map_err(|e| self.sql("stats", e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, bool>(2)?, r.get::<_, i64>(3)?)))
            .map_err(|e| self.sql("stats", e))?;
        for row in rows {
            let (backend, version, ok, n) = row.map_err(|e| self.sql("stats", e))?;
            let b = by_backend.entry(backend.clone()).or_insert_with(|| BackendStats { backend, ..Default::default() });
            if !b.versions.contains(&version) {
                b.versions.push(version);
            }
            b.results += n as u64;
            if ok {
                b.ok += n as u64;
            } else {
                b.failed += n as u64;
            }
        }
        let mut stmt = conn.prepare("SELECT backend, hits, misses FROM lookups").map_err(|e| self.sql("stats", e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))
            .map_err(|e| self.sql("stats", e))?;
        for row in rows {
            let (backend, hits, misses) = row.map_err(|e| self.sql("stats", e))?;
            let b = by_backend.entry(backend.clone()).or_insert_with(|| BackendStats { backend, ..Default::default() });
            b.hits += hits.max(0) as u64;
            b.misses += misses.max(0) as u64;
        }
        let backends: Vec<BackendStats> = by_backend.into_values().collect();
        let hits: u64 = backends.iter().map(|b| b.hits).sum();
        let misses: u64 = backends.iter().map(|b| b.misses).sum();
        Ok(StoreStats {
            location: self.location(),
            schema_version,
            results: backends.iter().map(|b| b.results).sum(),
            hits,
            misses,
            hit_rate: (hits + misses > 0).then(|| hits as f64 / (hits + misses) as f64),
            backends,
        })
    }

    fn export(&self, out: &mut dyn std::io::Write) -> Result<u64, StoreError> {
        let conn = self.lock();
        let mut stmt = conn
            .prepare(
                "SELECT key, backend, backend_version, status, payload, created_at FROM results
                 ORDER BY created_at, key",
            )
            .map_err(|e| self.sql("export", e))?;
        let rows = stmt.query_map([], row_to_record).map_err(|e| self.sql("export", e))?;
        let mut n = 0;
        for row in rows {
            let (key, r) = row.map_err(|e| self.sql("export", e))?;
            // The payload is embedded as JSON, not as a string holding JSON, so the export is
            // directly usable; a payload that is not JSON (hand-edited store) stays a string.
            let result = serde_json::from_str::<serde_json::Value>(&r.payload)
                .unwrap_or(serde_json::Value::String(r.payload.clone()));
            let line = serde_json::json!({
                "key": key,
                "backend": r.backend,
                "backend_version": r.backend_version,
                "status": r.status,
                "created_at": r.created_at,
                "result": result,
            });
            serde_json::to_writer(&mut *out, &line).map_err(|e| StoreError::Export(e.into()))?;
            out.write_all(b"\n").map_err(StoreError::Export)?;
            n += 1;
        }
        out.flush().map_err(StoreError::Export)?;
        Ok(n)
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}
