//! `hlsseek-dse`: pragma design-space exploration with the comparative proxy choosing which
//! designs deserve a real synthesis.
//!
//! - [`pragmas`]: knobs from the pragmas of a plain kernel (templates already have them).
//! - [`pool`]: the candidate designs, each rendered, parsed, estimated and encoded once.
//! - [`search`]: the proxy-guided loop, the random baseline, and what a run found.
//! - [`adrs`]: the average distance from a reference Pareto front.
//! - [`plot`]: latency against resource use, with the front, as PNG.
//! - [`experiment`]: proxy against random on recorded HLSyn kernels, scored by ADRS.
//!
//! The crate never prints; callers get progress through callbacks.

pub mod adrs;
pub mod error;
pub mod experiment;
pub mod plot;
pub mod pool;
pub mod pragmas;
pub mod search;

pub use adrs::adrs;
pub use error::{DseError, Result};
pub use pool::{Candidate, Encoding, Pool, PoolOrigin, PoolReport, PoolSpec};
pub use search::{embed_pool, proxy_search, random_search, DseRun, Evaluated, Failure, Pick, SearchConfig, Strategy};

use hlsseek_front::{DesignSpace, FrontOptions, SourceFile};
use hlsseek_ir::{DesignPoint, KnobValue};

/// `NAME=VALUE,...` for messages and tables (`""` shown as `""`).
pub fn point_label(p: &DesignPoint) -> String {
    p.iter()
        .map(|(k, v)| match v {
            KnobValue::Text(t) if t.is_empty() => format!("{k}=\"\""),
            v => format!("{k}={v}"),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The design space of `files`: as written when they hold `auto{...}` placeholders, otherwise
/// built from their tunable pragmas ([`pragmas::templatize`]). Also returns the design's own
/// point when the files were a plain design whose every pragma value is a candidate.
pub fn design_space(files: Vec<SourceFile>, top: &str, opts: &FrontOptions) -> Result<(DesignSpace, Option<DesignPoint>)> {
    if pragmas::has_placeholders(&files) {
        let space = DesignSpace::new(files, top, opts)?;
        if space.knobs.is_empty() {
            return Err(DseError::NoKnobs);
        }
        return Ok((space, None));
    }
    let t = pragmas::templatize(&files);
    if t.knobs == 0 {
        return Err(DseError::NoKnobs);
    }
    let space = DesignSpace::new(t.files, top, opts)?;
    let own = t.original.resolve(&space);
    Ok((space, own))
}
