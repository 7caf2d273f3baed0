//! Store behaviour across processes: concurrent writers, a writer killed mid-way, migration of
//! an old schema, and first-writer-wins.
//!
//! The multi-process tests re-run this test binary as the child (`HLSSEEK_STORE_CHILD` set),
//! so no extra executable is needed.

use hlsseek_store::{sqlite::SqliteStore, Key, KeyHasher, PutOutcome, Record, ResultStore};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

const CHILD_ENV: &str = "HLSSEEK_STORE_CHILD";

fn key(writer: u64, i: u64) -> Key {
    KeyHasher::new("store-test").str(&format!("{writer}/{i}")).finish()
}

fn record(writer: u64, i: u64) -> Record {
    Record {
        key: key(writer, i),
        backend: if i.is_multiple_of(3) { "vitis".into() } else { "estimate".into() },
        backend_version: format!("v{}", writer),
        status: if i.is_multiple_of(10) { "timeout".into() } else { "ok".into() },
        payload: format!(r#"{{"writer":{writer},"i":{i},"lut":{}}}"#, i * 17 + writer),
        created_at: i as i64,
    }
}

/// Child mode: write records `0..count` for `writer`, printing each key once committed.
/// `count == 0` means forever (the kill test stops it).
#[test]
fn child_writer() {
    let Ok(spec) = std::env::var(CHILD_ENV) else { return };
    let mut parts = spec.split(',');
    let (path, writer, count) = (
        parts.next().unwrap().to_string(),
        parts.next().unwrap().parse::<u64>().unwrap(),
        parts.next().unwrap().parse::<u64>().unwrap(),
    );
    let store = SqliteStore::open(std::path::Path::new(&path)).unwrap();
    let stdout = std::io::stdout();
    let mut i = 0;
    while count == 0 || i < count {
        assert_eq!(store.put(&record(writer, i)).unwrap(), PutOutcome::Inserted);
        let mut out = stdout.lock();
        writeln!(out, "COMMITTED {}", key(writer, i)).unwrap();
        out.flush().unwrap();
        i += 1;
    }
}

fn spawn_child(path: &std::path::Path, writer: u64, count: u64) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_writer", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{},{writer},{count}", path.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn child writer")
}

#[test]
fn four_processes_write_ten_thousand_results() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.db");
    let children: Vec<_> = (0..4).map(|w| spawn_child(&path, w, 2_500)).collect();
    for (w, child) in children.into_iter().enumerate() {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "writer {w} failed: {:?}\n{}", out.status, String::from_utf8_lossy(&out.stderr));
        let committed = String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("COMMITTED ")).count();
        assert_eq!(committed, 2_500, "writer {w}");
    }
    let store = SqliteStore::open(&path).unwrap();
    store.integrity_check().unwrap();
    for w in 0..4 {
        for i in 0..2_500 {
            let got = store.get(&key(w, i)).unwrap().unwrap_or_else(|| panic!("missing {w}/{i}"));
            assert_eq!(got, record(w, i));
        }
    }
    let stats = store.stats().unwrap();
    assert_eq!(stats.results, 10_000);
    let failed: u64 = stats.backends.iter().map(|b| b.failed).sum();
    assert_eq!(failed, 4 * 250);
    let mut lines = Vec::new();
    assert_eq!(store.export(&mut lines).unwrap(), 10_000);
    assert_eq!(String::from_utf8(lines).unwrap().lines().count(), 10_000);
}

#[test]
fn a_killed_writer_leaves_every_committed_result() {
    if std::env::var(CHILD_ENV).is_ok() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.db");
    let mut child = spawn_child(&path, 7, 0);
    let mut committed = Vec::new();
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        let line = line.unwrap();
        // The harness may print its own text before ours on the first line.
        if let Some((_, k)) = line.split_once("COMMITTED ") {
            committed.push(Key::from_hex(k).unwrap());
            if committed.len() == 400 {
                // SIGKILL: no destructor, no checkpoint, possibly mid-transaction.
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    let store = SqliteStore::open(&path).unwrap();
    store.integrity_check().unwrap();
    for (i, k) in committed.iter().enumerate() {
        let got = store.get(k).unwrap().unwrap_or_else(|| panic!("committed result {i} lost"));
        assert_eq!(got, record(7, i as u64));
    }
    assert!(store.stats().unwrap().results >= 400);
}

#[test]
fn first_writer_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("r.db")).unwrap();
    let a = record(1, 1);
    let mut b = a.clone();
    b.payload = r#"{"other":true}"#.into();
    assert_eq!(store.put(&a).unwrap(), PutOutcome::Inserted);
    assert_eq!(store.put(&b).unwrap(), PutOutcome::AlreadyPresent);
    assert_eq!(store.get(&a.key).unwrap().unwrap(), a);
    assert_eq!(store.get(&key(9, 9)).unwrap(), None);
}

#[test]
fn hit_rate_counts_lookups_per_backend() {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("r.db")).unwrap();
    assert_eq!(store.stats().unwrap().hit_rate, None);
    store.note_lookups("estimate", 3, 1).unwrap();
    store.note_lookups("estimate", 0, 0).unwrap();
    store.note_lookups("vitis", 0, 4).unwrap();
    let s = store.stats().unwrap();
    assert_eq!((s.hits, s.misses), (3, 5));
    assert_eq!(s.hit_rate, Some(3.0 / 8.0));
    let est = s.backends.iter().find(|b| b.backend == "estimate").unwrap();
    assert_eq!((est.hits, est.misses, est.results), (3, 1, 0));
}

/// The schema as hlsseek's first store wrote it; kept here verbatim so the migration is tested
/// against what real old stores contain, not against the migration's own idea of it.
const V1_SCHEMA: &str = "
    CREATE TABLE schema_version (version INTEGER NOT NULL);
    INSERT INTO schema_version (version) VALUES (1);
    CREATE TABLE results (
        key     TEXT PRIMARY KEY NOT NULL,
        backend TEXT NOT NULL,
        status  TEXT NOT NULL,
        payload TEXT NOT NULL
    );";

#[test]
fn a_v1_store_is_migrated_without_losing_results() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1_SCHEMA).unwrap();
        for i in 0..50u64 {
            conn.execute(
                "INSERT INTO results (key, backend, status, payload) VALUES (?1, 'vitis', 'ok', ?2)",
                rusqlite::params![key(0, i).to_hex(), format!("{{\"i\":{i}}}")],
            )
            .unwrap();
        }
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    for i in 0..50u64 {
        let r = store.get(&key(0, i)).unwrap().unwrap();
        assert_eq!((r.backend.as_str(), r.backend_version.as_str(), r.status.as_str()), ("vitis", "", "ok"));
        assert_eq!(r.payload, format!("{{\"i\":{i}}}"));
    }
    // The migrated store takes new results and counts lookups.
    assert_eq!(store.put(&record(1, 1)).unwrap(), PutOutcome::Inserted);
    store.note_lookups("vitis", 1, 0).unwrap();
    assert_eq!(store.stats().unwrap().results, 51);
    drop(store);
    // Opening again is a no-op.
    assert_eq!(SqliteStore::open(&path).unwrap().schema_version().unwrap(), 2);
}

#[test]
fn a_newer_schema_is_refused_not_rewritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(V1_SCHEMA).unwrap();
        conn.execute("UPDATE schema_version SET version = 99", []).unwrap();
    }
    let err = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(err.contains("schema version 99") && err.contains("upgrade hlsseek"), "{err}");
    let conn = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = conn.query_row("SELECT version FROM schema_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 99);
}

#[test]
fn garbage_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("not-a-db.db");
    std::fs::write(&path, vec![b'x'; 4096]).unwrap();
    let err = SqliteStore::open(&path).err().unwrap().to_string();
    assert!(err.contains("not-a-db.db"), "{err}");
}
