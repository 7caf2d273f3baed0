//! Lookup latency of a stored result in a SQLite store holding 10,000 results.

use criterion::{criterion_group, criterion_main, Criterion};
use hlsseek_store::{sqlite::SqliteStore, Key, KeyHasher, Record, ResultStore};

fn key(i: u64) -> Key {
    KeyHasher::new("bench").str(&i.to_string()).finish()
}

fn lookup(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteStore::open(&dir.path().join("bench.db")).expect("open store");
    let payload = r#"{"result":{"ok":{"qor":{"latency":{"min":1200,"max":1200},"ii":null,"lut":5321,"ff":4210,"dsp":12,"bram":4},"loops":[]}},"seconds":0.01}"#;
    for i in 0..10_000 {
        let r = Record {
            key: key(i),
            backend: "estimate".into(),
            backend_version: "bench".into(),
            status: "ok".into(),
            payload: payload.into(),
            created_at: 0,
        };
        store.put(&r).expect("put");
    }
    let mut i = 0u64;
    c.bench_function("sqlite_get_hit_10k", |b| {
        b.iter(|| {
            i = (i + 7919) % 10_000;
            let r = store.get(&key(i)).expect("get");
            assert!(r.is_some());
        })
    });
    c.bench_function("sqlite_get_miss_10k", |b| {
        b.iter(|| {
            i += 1;
            let r = store.get(&key(1_000_000 + i)).expect("get");
            assert!(r.is_none());
        })
    });
}

criterion_group!(benches, lookup);
criterion_main!(benches);
