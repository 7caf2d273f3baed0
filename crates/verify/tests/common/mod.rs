//! Shared test helpers: the shipped tasks, HLS headers fetched on demand, verifiers with the
//! small limits hostile tests need.
#![allow(dead_code)]

use hlsseek_verify::sandbox::Limits;
use hlsseek_verify::{headers, HeaderSource, Task, Verifier, VerifyConfig};
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;

pub fn tasks_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tasks")
        .canonicalize()
        .expect("tasks/ exists")
}

pub fn task(name: &str) -> Task {
    Task::load(&tasks_dir().join(name)).unwrap_or_else(|e| panic!("loading task {name}: {e}"))
}

/// The HLS headers, fetched from PyPI (hls4ml wheel) the first time if they are not cached.
pub fn hls_headers() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| match headers::locate() {
        Ok(d) => d,
        Err(_) => headers::fetch(None, headers::HLS4ML_VERSION, false).unwrap_or_else(|e| {
            panic!("these tests need the HLS headers and fetching them failed: {e}\n(run `hlsseek setup headers` with PyPI reachable, or point HLSSEEK_HLS_HEADERS at an ap_types directory)")
        }),
    })
    .clone()
}

/// Limits small enough that hostile candidates are stopped within about two seconds.
pub fn tight_run_limits() -> Limits {
    Limits {
        wall: Duration::from_secs(2),
        cpu_seconds: 2,
        memory_bytes: 256 << 20,
        file_size_bytes: 16 << 20,
        processes: 64,
        open_files: 64,
    }
}

/// A verifier with the HLS headers and tight run limits, shared by a test binary's threads so
/// its sandbox bound is shared too.
pub fn shared_verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        let cfg = VerifyConfig {
            headers: HeaderSource::Dir(hls_headers()),
            run_limits: tight_run_limits(),
            ..VerifyConfig::default()
        };
        Verifier::new(cfg).expect("verifier")
    })
}

/// A verifier with tight run limits and a private state directory, so that what is left in that
/// directory afterwards is this test's alone. No lint: these tests are about the sandbox.
pub fn private_verifier(state_dir: &std::path::Path) -> Verifier {
    Verifier::new(VerifyConfig {
        headers: HeaderSource::AutoOptional,
        state_dir: Some(state_dir.to_path_buf()),
        run_limits: tight_run_limits(),
        lint: false,
        ..VerifyConfig::default()
    })
    .expect("verifier")
}
