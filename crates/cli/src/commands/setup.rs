//! `hlsseek setup [headers]`: fetch and cache the HLS headers C simulation needs (from the
//! hls4ml wheel on PyPI) and show which sandbox mechanisms this machine offers.

use anyhow::{bail, Result};
use hlsseek_verify::headers::{self, HLS4ML_VERSION};
use hlsseek_verify::sandbox::Capabilities;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct SetupArgs {
    /// What to set up: `headers` (the only item so far; the default).
    #[arg(default_value = "headers")]
    pub what: String,
    /// hls4ml wheel version to take the headers from.
    #[arg(long, default_value = HLS4ML_VERSION)]
    pub version: String,
    /// Where to put them (default: $XDG_CACHE_HOME/hlsseek/hls-headers/<version>).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Fetch again even if they are cached.
    #[arg(long)]
    pub force: bool,
}

pub fn run(args: SetupArgs) -> Result<u8> {
    if args.what != "headers" {
        bail!("unknown setup item `{}` (known: headers)", args.what);
    }
    let dir = headers::fetch(args.dir.as_deref(), &args.version, args.force)?;
    let count = std::fs::read_dir(&dir).map(|r| r.count()).unwrap_or(0);
    println!(
        "HLS headers: {} ({count} entries, from the hls4ml {} wheel on PyPI)",
        dir.display(),
        args.version
    );
    if args.dir.is_some() || args.version != HLS4ML_VERSION {
        println!(
            "point {} at it to use it: export {}={}",
            headers::HEADERS_ENV,
            headers::HEADERS_ENV,
            dir.display()
        );
    }
    let c = Capabilities::get();
    println!(
        "sandbox: uid drop {}, network {:?}, Landlock ABI {}, seccomp {}",
        if c.uid_drop { "yes" } else { "no (not root)" },
        c.network,
        c.landlock_abi,
        if c.seccomp { "yes" } else { "no" }
    );
    Ok(0)
}
