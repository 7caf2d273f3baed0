//! Helpers shared by the CLI end-to-end tests: running the built `hlsseek` from the repository
//! root, reading its JSON, and finding the shared datasets (tests skip when they are absent).
#![allow(dead_code)] // each test binary uses its own subset

use assert_cmd::Command;
use std::path::{Path, PathBuf};

pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn hlsseek() -> Command {
    let mut cmd = Command::cargo_bin("hlsseek").unwrap();
    cmd.current_dir(repo());
    cmd
}

pub fn json_of(cmd: &mut Command) -> serde_json::Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).expect("stdout is one JSON object")
}

/// `../shared/data` beside the repository, or `None` (with a message) when it is absent.
pub fn shared_data() -> Option<PathBuf> {
    let p = repo().join("../shared/data");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: dataset folder {} not found", p.display());
        None
    }
}
