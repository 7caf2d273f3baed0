//! The HLS headers C simulation needs (`ap_int.h`, `ap_fixed.h`, `hls_stream.h`, ...): where
//! they are cached, and fetching them from the `hls4ml` wheel on PyPI, which ships Xilinx's
//! open-source `ap_types` under `hls4ml/templates/vivado/ap_types/`. Nothing third-party is
//! committed; our own `hls_math.h` shim (crates/verify/shim) is laid over them.

use crate::error::{Result, VerifyError};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The wheel version fetched by default: pinned so every machine compiles against the same
/// headers.
pub const HLS4ML_VERSION: &str = "1.3.0";

/// Env var naming a ready headers directory (one containing `ap_int.h`).
pub const HEADERS_ENV: &str = "HLSSEEK_HLS_HEADERS";

const WHEEL_PREFIX: &str = "hls4ml/templates/vivado/ap_types/";

/// Our own headers, laid over the fetched ones. hls4ml's `hls_math.h` covers a handful of
/// functions (and its `atan2` calls itself); ours covers what HLS kernels commonly use.
pub const SHIM: &[(&str, &str)] = &[("hls_math.h", include_str!("../shim/hls_math.h"))];

/// `$XDG_CACHE_HOME/hlsseek/hls-headers/<version>`, else `$HOME/.cache/...`.
pub fn default_dir(version: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("hlsseek").join("hls-headers").join(version))
}

fn is_headers_dir(dir: &Path) -> bool {
    dir.join("ap_int.h").is_file() && dir.join("ap_fixed.h").is_file()
}

/// The headers directory to use: `$HLSSEEK_HLS_HEADERS` if set, else the default cache.
pub fn locate() -> Result<PathBuf> {
    if let Some(v) = std::env::var_os(HEADERS_ENV).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(v);
        return if is_headers_dir(&dir) {
            Ok(dir)
        } else {
            Err(VerifyError::HeadersMissing(format!(
                "{HEADERS_ENV}={} has no ap_int.h",
                dir.display()
            )))
        };
    }
    let dir = default_dir(HLS4ML_VERSION).ok_or_else(|| {
        VerifyError::HeadersMissing("neither XDG_CACHE_HOME nor HOME is set".into())
    })?;
    if is_headers_dir(&dir) {
        Ok(dir)
    } else {
        Err(VerifyError::HeadersMissing(format!(
            "nothing cached at {}",
            dir.display()
        )))
    }
}

/// Downloads the hls4ml wheel (pip, else PyPI's JSON API over HTTPS, both through python3)
/// and extracts `ap_types/**` into `dest` (default: [`default_dir`]). Returns `dest`.
pub fn fetch(dest: Option<&Path>, version: &str, force: bool) -> Result<PathBuf> {
    let dest = match dest {
        Some(d) => d.to_path_buf(),
        None => default_dir(version)
            .ok_or_else(|| VerifyError::Fetch("neither XDG_CACHE_HOME nor HOME is set".into()))?,
    };
    if is_headers_dir(&dest) && !force {
        return Ok(dest);
    }
    let parent = dest.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| VerifyError::Write {
        path: parent.to_path_buf(),
        source,
    })?;
    let staging = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(parent)
        .map_err(|source| VerifyError::Write {
            path: parent.to_path_buf(),
            source,
        })?;
    let out = Command::new("python3")
        .arg("-c")
        .arg(FETCH_PY)
        .arg(version)
        .arg(staging.path())
        .arg(WHEEL_PREFIX)
        .output()
        .map_err(|e| VerifyError::Fetch(format!("cannot run python3: {e}")))?;
    if !out.status.success() {
        return Err(VerifyError::Fetch(format!(
            "python3 helper failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let extracted = staging.path().join("ap_types");
    if !is_headers_dir(&extracted) {
        return Err(VerifyError::Fetch(format!(
            "hls4ml {version} wheel has no ap_types/ap_int.h"
        )));
    }
    if dest.exists() {
        std::fs::remove_dir_all(&dest).map_err(|source| VerifyError::Write {
            path: dest.clone(),
            source,
        })?;
    }
    match std::fs::rename(&extracted, &dest) {
        Ok(()) => Ok(dest),
        // Another process won the race; its copy is as good as ours.
        Err(_) if is_headers_dir(&dest) => Ok(dest),
        Err(source) => Err(VerifyError::Write { path: dest, source }),
    }
}

/// argv: version, staging dir, prefix inside the wheel. Writes `<staging>/ap_types/**` and a
/// `SOURCE.txt` provenance note (wheel file name and sha256).
const FETCH_PY: &str = r#"
import hashlib, json, os, subprocess, sys, urllib.request, zipfile
version, staging, prefix = sys.argv[1], sys.argv[2], sys.argv[3]
dl = os.path.join(staging, "dl"); os.makedirs(dl)
r = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                    "--only-binary", ":all:", "-d", dl, "hls4ml==" + version],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wheels = [f for f in os.listdir(dl) if f.endswith(".whl")]
if not wheels:
    meta = json.load(urllib.request.urlopen("https://pypi.org/pypi/hls4ml/%s/json" % version, timeout=60))
    url = [u for u in meta["urls"] if u["filename"].endswith(".whl")][0]
    path = os.path.join(dl, url["filename"])
    with urllib.request.urlopen(url["url"], timeout=120) as src, open(path, "wb") as dst:
        dst.write(src.read())
    if hashlib.sha256(open(path, "rb").read()).hexdigest() != url["digests"]["sha256"]:
        sys.exit("sha256 mismatch for " + url["filename"])
    wheels = [url["filename"]]
wheel = os.path.join(dl, wheels[0])
out = os.path.join(staging, "ap_types")
with zipfile.ZipFile(wheel) as z:
    for name in z.namelist():
        if name.startswith(prefix) and not name.endswith("/"):
            rel = os.path.normpath(name[len(prefix):])
            if rel.startswith(".."):
                continue
            target = os.path.join(out, rel)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "wb") as f:
                f.write(z.read(name))
with open(os.path.join(out, "SOURCE.txt"), "w") as f:
    f.write("Extracted from %s (sha256 %s), path %s\nhls4ml is Apache-2.0; the ap_types headers are Xilinx's open-source HLS arbitrary-precision types.\n"
            % (wheels[0], hashlib.sha256(open(wheel, "rb").read()).hexdigest(), prefix))
"#;
