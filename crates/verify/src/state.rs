//! The verifier's state directory: sandbox parents, the mirrored HLS headers
//! and per-task build products. It must be readable (not writable) by the sandbox uids, so it
//! lives outside `$HOME` (often 0700): `$HLSSEEK_VERIFY_STATE`, else `<tmp>/hlsseek-verify-<euid>`.

use crate::error::{Result, VerifyError};
use crate::headers::SHIM;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

pub const STATE_ENV: &str = "HLSSEEK_VERIFY_STATE";

pub fn default_dir() -> PathBuf {
    if let Some(v) = std::env::var_os(STATE_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(v);
    }
    // SAFETY: geteuid cannot fail.
    let euid = unsafe { libc::geteuid() };
    std::env::temp_dir().join(format!("hlsseek-verify-{euid}"))
}

/// Creates (or checks) a directory that we own, nobody else can write, and anyone can traverse.
pub fn ensure_dir(path: &Path) -> Result<()> {
    std::fs::create_dir_all(path).map_err(|source| VerifyError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    let meta = std::fs::symlink_metadata(path).map_err(|source| VerifyError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let unsafe_dir = |reason: &str| VerifyError::UnsafeStateDir {
        path: path.to_path_buf(),
        reason: reason.into(),
    };
    if !meta.is_dir() {
        return Err(unsafe_dir("not a directory (or a symlink)"));
    }
    // SAFETY: geteuid cannot fail.
    if meta.uid() != unsafe { libc::geteuid() } {
        return Err(unsafe_dir(
            "owned by another user, who could plant build products",
        ));
    }
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|source| {
        VerifyError::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok(())
}

/// Sandboxed commands run as another uid: every ancestor of the state directory must let
/// "others" through, or they could not reach their own directory.
pub fn check_traversable(path: &Path) -> Result<()> {
    let canon = path.canonicalize().map_err(|source| VerifyError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    for dir in canon.ancestors() {
        let mode = std::fs::metadata(dir)
            .map_err(|source| VerifyError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .mode();
        if mode & 0o001 == 0 {
            return Err(VerifyError::UnsafeStateDir {
                path: path.to_path_buf(),
                reason: format!("{} is not searchable by other users (mode {:o}), so sandboxed commands cannot reach it", dir.display(), mode & 0o777),
            });
        }
    }
    Ok(())
}

/// Copies the fetched headers plus our shim into `<state>/include/<content hash>` (sandboxed
/// compilers cannot read a 0700 home) and returns that directory.
pub fn mirror_headers(state: &Path, headers: &Path) -> Result<PathBuf> {
    let mut files = Vec::new();
    collect_files(headers, headers, &mut files)?;
    files.sort();
    let mut h = blake3::Hasher::new();
    for rel in &files {
        h.update(rel.to_string_lossy().as_bytes());
        let p = headers.join(rel);
        h.update(&std::fs::read(&p).map_err(|source| VerifyError::Read {
            path: p.clone(),
            source,
        })?);
    }
    for (name, text) in SHIM {
        h.update(name.as_bytes());
        h.update(text.as_bytes());
    }
    let root = state.join("include");
    ensure_dir(&root)?;
    let dest = root.join(&h.finalize().to_hex()[..16]);
    if dest.join("ap_int.h").is_file() {
        return Ok(dest);
    }
    let staging = tempfile::Builder::new()
        .prefix(".mirror-")
        .tempdir_in(&root)
        .map_err(|source| VerifyError::Write {
            path: root.clone(),
            source,
        })?;
    for rel in &files {
        let to = staging.path().join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent).map_err(|source| VerifyError::Write {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        std::fs::copy(headers.join(rel), &to).map_err(|source| VerifyError::Write {
            path: to.clone(),
            source,
        })?;
    }
    for (name, text) in SHIM {
        let to = staging.path().join(name);
        std::fs::write(&to, text).map_err(|source| VerifyError::Write {
            path: to.clone(),
            source,
        })?;
    }
    publish(staging, &dest)?;
    Ok(dest)
}

/// Makes a staged tree world-readable and renames it into place; losing the race to another
/// process is fine (its tree has the same content).
pub fn publish(staging: tempfile::TempDir, dest: &Path) -> Result<()> {
    make_readable(staging.path());
    let path = staging.keep();
    match std::fs::rename(&path, dest) {
        Ok(()) => Ok(()),
        Err(_) if dest.exists() => {
            let _ = std::fs::remove_dir_all(&path);
            Ok(())
        }
        Err(source) => {
            let _ = std::fs::remove_dir_all(&path);
            Err(VerifyError::Write {
                path: dest.to_path_buf(),
                source,
            })
        }
    }
}

fn make_readable(p: &Path) {
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
            let _ = std::fs::set_permissions(
                e.path(),
                std::fs::Permissions::from_mode(if is_dir { 0o755 } else { 0o644 }),
            );
            if is_dir {
                make_readable(&e.path());
            }
        }
    }
    let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755));
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let rd = std::fs::read_dir(dir).map_err(|source| VerifyError::Read {
        path: dir.to_path_buf(),
        source,
    })?;
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            collect_files(root, &p, out)?;
        } else if p.is_file() {
            out.push(p.strip_prefix(root).unwrap_or(&p).to_path_buf());
        }
    }
    Ok(())
}
