//! Per-task build products shared by every candidate of a task: the task's headers with a
//! precompiled header next to the main one (GCC picks `x.h.gch` up when `x.h` is the first
//! include, which cuts a candidate compile from ~0.8 s to ~0.1 s of CPU), and the compiled
//! testbench object. Cached on disk under the state directory, keyed by content + compiler +
//! flags, and built once per key even when many threads ask at the same time.

use crate::error::{Result, VerifyError};
use crate::sandbox::{Limits, Sandbox};
use crate::state;
use crate::task::Task;
use std::path::{Path, PathBuf};

/// What a candidate build needs from its task.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Task headers (+ `.gch`), put first on the include path.
    pub include_dir: PathBuf,
    pub testbench_obj: PathBuf,
}

/// Everything a build depends on besides the task.
pub struct Toolchain<'a> {
    pub compiler: &'a Path,
    pub compiler_id: &'a str,
    pub flags: &'a [String],
    pub pch: bool,
    pub limits: &'a Limits,
    /// Read-only directories on the include path (mirrored HLS headers).
    pub include_dirs: &'a [PathBuf],
    /// Everything the sandboxed compiler may read besides system directories (the include
    /// directories, a compiler installed outside /usr).
    pub readable: &'a [PathBuf],
}

pub fn cache_key(task: &Task, tc: &Toolchain<'_>) -> Result<String> {
    let mut h = blake3::Hasher::new();
    h.update(tc.compiler_id.as_bytes());
    h.update(tc.compiler.as_os_str().as_encoded_bytes());
    for f in tc.flags {
        h.update(f.as_bytes());
        h.update(b"\0");
    }
    h.update(if tc.pch { b"pch" } else { b"nopch" });
    for p in task.headers.iter().chain(std::iter::once(&task.testbench)) {
        h.update(
            p.file_name()
                .map(|n| n.as_encoded_bytes())
                .unwrap_or_default(),
        );
        h.update(b"\0");
        h.update(&std::fs::read(p).map_err(|source| VerifyError::Read {
            path: p.clone(),
            source,
        })?);
    }
    Ok(h.finalize().to_hex()[..24].to_string())
}

/// Returns the cached products for `task`, building them in a sandbox if needed.
pub fn prepare(state_dir: &Path, task: &Task, tc: &Toolchain<'_>) -> Result<Prepared> {
    let key = cache_key(task, tc)?;
    let root = state_dir.join("tasks");
    state::ensure_dir(&root)?;
    let dest = root.join(&key);
    let products = |d: &Path| Prepared {
        include_dir: d.join("include"),
        testbench_obj: d.join("tb.o"),
    };
    if dest.join("tb.o").is_file() {
        return Ok(products(&dest));
    }
    let sb = Sandbox::new(&state_dir.join("run"))?;
    let inc = sb.path().join("include");
    std::fs::create_dir(&inc).map_err(|source| VerifyError::Write {
        path: inc.clone(),
        source,
    })?;
    sb.give(&inc)?;
    for h in &task.headers {
        let name = file_name(h);
        let text = std::fs::read(h).map_err(|source| VerifyError::Read {
            path: h.clone(),
            source,
        })?;
        sb.write(&format!("include/{name}"), &text)?;
    }
    let tb_name = file_name(&task.testbench);
    let tb_text = std::fs::read(&task.testbench).map_err(|source| VerifyError::Read {
        path: task.testbench.clone(),
        source,
    })?;
    sb.write(&tb_name, &tb_text)?;

    let mut base: Vec<String> = tc.flags.to_vec();
    base.push("-Iinclude".into());
    for d in tc.include_dirs {
        base.push(format!("-I{}", d.display()));
    }
    let fail = |step: &str, out: &crate::sandbox::RunOutput| VerifyError::Prepare {
        task: task.name.clone(),
        step: step.into(),
        messages: format!("{:?}: {}", out.termination, out.stderr.trim()),
    };
    if tc.pch {
        if let Some(main) = task.headers.first() {
            let name = file_name(main);
            let mut args = base.clone();
            args.extend([
                "-x".into(),
                "c++-header".into(),
                format!("include/{name}"),
                "-o".into(),
                format!("include/{name}.gch"),
            ]);
            let out = sb.run(tc.compiler, &args, tc.limits, tc.readable)?;
            if !out.success() {
                return Err(fail("precompiling the task header", &out));
            }
        }
    }
    let mut args = base;
    args.extend(["-c".into(), tb_name, "-o".into(), "tb.o".into()]);
    let out = sb.run(tc.compiler, &args, tc.limits, tc.readable)?;
    if !out.success() {
        return Err(fail("compiling the testbench", &out));
    }
    let staging = tempfile::Builder::new()
        .prefix(".build-")
        .tempdir_in(&root)
        .map_err(|source| VerifyError::Write {
            path: root.clone(),
            source,
        })?;
    copy_tree(&inc, &staging.path().join("include"))?;
    copy(&sb.path().join("tb.o"), &staging.path().join("tb.o"))?;
    state::publish(staging, &dest)?;
    Ok(products(&dest))
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Copies a file the sandboxed compiler wrote, refusing symlinks it may have planted there.
fn copy(from: &Path, to: &Path) -> Result<()> {
    let bytes =
        crate::sandbox::read_regular(from, u64::MAX).map_err(|source| VerifyError::Read {
            path: from.to_path_buf(),
            source,
        })?;
    std::fs::write(to, bytes).map_err(|source| VerifyError::Write {
        path: to.to_path_buf(),
        source,
    })
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|source| VerifyError::Write {
        path: to.to_path_buf(),
        source,
    })?;
    let rd = std::fs::read_dir(from).map_err(|source| VerifyError::Read {
        path: from.to_path_buf(),
        source,
    })?;
    for e in rd.flatten() {
        // Plain files only: a symlink planted by the sandboxed compiler must not be followed.
        let ft = e.file_type().map_err(|source| VerifyError::Read {
            path: e.path(),
            source,
        })?;
        if ft.is_file() {
            copy(&e.path(), &to.join(e.file_name()))?;
        }
    }
    Ok(())
}
