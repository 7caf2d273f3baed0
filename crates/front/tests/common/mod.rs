//! Helpers shared by the front-end's integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::PathBuf;

/// The shared datasets folder, or `None` (with a message) when it is absent.
pub fn data_dir() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: shared data not found at {}", p.display());
        None
    }
}
