//! Durable QoR result store: every synthesis answer, keyed by the content hash of what was
//! synthesized, so that no synthesis is paid for twice.
//!
//! - [`ResultStore`]: the interface every store implements (SQLite here; a PostgreSQL store for a
//!   shared synthesis farm would implement the same trait, see `docs/backends.md`).
//! - [`Key`] / [`KeyHasher`]: 32-byte content keys (blake3) and the length-prefixed way to build them.
//! - [`Record`]: one stored answer; its payload is a JSON document owned by the caller.
//! - [`sqlite::SqliteStore`]: WAL-mode SQLite, safe for several processes, with schema migrations.
//! - [`location`]: `--store URL` parsing and the per-user default location.

mod error;
mod key;
pub mod location;
mod migrate;
mod record;
pub mod sqlite;

pub use error::StoreError;
pub use key::{Key, KeyHasher};
pub use location::{default_location, open, StoreLocation};
pub use record::{BackendStats, PutOutcome, Record, StoreStats};

/// What a result store offers. Implementations are shared between threads; every method is a
/// complete unit of work (no transaction spans two calls).
pub trait ResultStore: Send + Sync {
    /// The stored answer for `key`, if any. Does not count as a hit or miss: callers report
    /// their lookups through [`ResultStore::note_lookups`] so reads stay read-only and fast.
    fn get(&self, key: &Key) -> Result<Option<Record>, StoreError>;

    /// Store an answer. The first answer stored for a key wins: a second `put` of the same key
    /// leaves the stored one untouched and says so, so nothing already stored is ever lost.
    fn put(&self, record: &Record) -> Result<PutOutcome, StoreError>;

    /// Add lookup outcomes to the per-backend hit/miss counters.
    fn note_lookups(&self, backend: &str, hits: u64, misses: u64) -> Result<(), StoreError>;

    /// Counts per backend, hit rate, schema version.
    fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Every record as one JSON object per line, oldest first; returns the number written.
    fn export(&self, out: &mut dyn std::io::Write) -> Result<u64, StoreError>;

    /// Where the store lives, for messages.
    fn location(&self) -> String;
}
