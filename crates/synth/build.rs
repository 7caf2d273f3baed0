//! Fingerprints the estimator's model (the front-end, IR and estimator sources and the device
//! profiles) into `HLSSEEK_MODEL_FINGERPRINT`, which the `estimate` backend's version carries:
//! the model changes between commits without a release, and an unchanged version would let the
//! result store serve answers of an older model. Outside the workspace (the sibling crates
//! absent) the fingerprint is `release`, and the package version alone identifies the model.

use std::path::{Path, PathBuf};

const MODEL_DIRS: [&str; 4] = ["../front/src", "../ir/src", "../estimate/src", "../estimate/profiles"];

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in MODEL_DIRS {
        let dir = root.join(dir);
        println!("cargo:rerun-if-changed={}", dir.display());
        collect(&dir, &mut files);
    }
    files.sort();
    let fingerprint = if files.is_empty() {
        "release".to_string()
    } else {
        let mut h = blake3::Hasher::new();
        for f in &files {
            let rel = f.strip_prefix(&root).unwrap_or(f);
            let text = std::fs::read(f).unwrap_or_default();
            h.update(rel.to_string_lossy().as_bytes());
            h.update(&(text.len() as u64).to_le_bytes());
            h.update(&text);
        }
        h.finalize().to_hex()[..12].to_string()
    };
    println!("cargo:rustc-env=HLSSEEK_MODEL_FINGERPRINT={fingerprint}");
}

/// Source and profile files under `dir` (`.rs`, `.toml`), recursively.
fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs" || x == "toml") {
            out.push(p);
        }
    }
}
