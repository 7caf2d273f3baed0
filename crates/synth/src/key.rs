//! Content keys. A design is identified by its normalised sources (comments and layout do not
//! matter), in file-name order, and its top function; file names only fix the order, so a
//! renamed single-file design keeps its identity. A store key adds the target and who answers.

use crate::SynthRequest;
use hlsseek_front::{normalize_source, SourceFile};
use hlsseek_store::{Key, KeyHasher};

/// The identity of a design: normalised sources sorted by file name, plus the top function.
pub fn design_hash(files: &[SourceFile], top: &str) -> Key {
    let mut sorted: Vec<&SourceFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.text.cmp(&b.text)));
    let mut h = KeyHasher::new("hlsseek-design/1");
    for f in sorted {
        h.str(&normalize_source(&f.text));
    }
    h.str(top);
    h.finish()
}

/// The store key of a request answered by `backend` at `backend_version`.
pub fn store_key(request: &SynthRequest, backend: &str, backend_version: &str) -> Key {
    store_key_for_design(&design_hash(&request.files, &request.top), &request.part, request.clock_ns, backend, backend_version)
}

pub fn store_key_for_design(design: &Key, part: &str, clock_ns: f64, backend: &str, backend_version: &str) -> Key {
    KeyHasher::new("hlsseek-store-key/1")
        .key(design)
        .str(&part.to_ascii_lowercase())
        .f64(clock_ns)
        .str(backend)
        .str(backend_version)
        .finish()
}
