//! The candidate pool: the points of a design space the search may pick from, each rendered,
//! parsed, estimated and encoded for the proxy **once**, before the search starts.
//!
//! Why a pool rather than searching the whole space: HLS spaces run to millions of points, the
//! proxy scores candidates in batches, and a recorded dataset can only answer its own points. So
//! the pool is every point when the space is small, a seeded uniform sample (plus the default
//! point and the design as written) when it is not, or a list the caller gives (the recorded
//! points of an HLSyn kernel). Points that render to the same normalised source are kept once,
//! so the same design is never synthesized twice under two names.

use crate::error::{DseError, Result};
use hlsseek_estimate::Profile;
use hlsseek_front::{DesignSpace, FrontOptions, SourceFile};
use hlsseek_ir::DesignPoint;
use hlsseek_proxy::{DesignGraph, Rng, ToolVersion};
use hlsseek_qor::Qor;
use hlsseek_store::Key;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// How the pool's points are chosen.
#[derive(Clone, Debug)]
pub enum PoolSpec {
    /// Every point if the space has at most `max`, else `max` distinct points drawn uniformly
    /// (seeded), always including the default point and `extra` (e.g. the design as written).
    Auto { max: usize, seed: u64, extra: Vec<DesignPoint> },
    /// Exactly these points (in this order, duplicates dropped).
    Points(Vec<DesignPoint>),
}

/// How candidates are prepared for the proxy: the estimator's target and the tool version the
/// proxy is told about.
#[derive(Clone, Debug)]
pub struct Encoding {
    pub part: String,
    pub clock_ns: f64,
    pub tool: ToolVersion,
    pub opts: FrontOptions,
}

/// One candidate design.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub point: DesignPoint,
    /// The rendered sources (what a backend synthesizes).
    pub files: Vec<SourceFile>,
    /// Content identity of the rendered design (normalised sources + top).
    pub hash: Key,
    /// The analytical estimate, when the estimator could make one.
    pub estimate: Option<Qor>,
    pub graph: DesignGraph,
}

/// Where the pool came from, for reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolOrigin {
    /// Every point of the space.
    Enumerated,
    /// A seeded sample of the space.
    Sampled,
    /// Points given by the caller.
    Given,
}

/// What building the pool did.
#[derive(Clone, Debug, Serialize)]
pub struct PoolReport {
    pub origin: PoolOrigin,
    /// Number of points in the space (product of the knobs' candidate counts; may be huge).
    pub space_size: f64,
    pub candidates: usize,
    /// Points whose design could not be rendered or parsed (left out).
    pub skipped: usize,
    /// Points whose rendered design equals an earlier point's (left out).
    pub duplicates: usize,
    /// First few reasons for skipped points.
    pub reasons: Vec<String>,
}

/// The candidates of one design space.
#[derive(Clone, Debug)]
pub struct Pool {
    pub space: DesignSpace,
    pub candidates: Vec<Candidate>,
    pub report: PoolReport,
}

/// Number of points of a space (as a float: spaces overflow `u64`).
pub fn space_size(space: &DesignSpace) -> f64 {
    space.knobs.iter().map(|k| k.values.len() as f64).product()
}

/// Every point of `space`, in mixed-radix order (first knob fastest).
fn enumerate(space: &DesignSpace) -> Vec<DesignPoint> {
    let total = space_size(space) as usize;
    let mut out = Vec::with_capacity(total);
    for mut i in 0..total {
        let mut p = DesignPoint::new();
        for k in &space.knobs {
            let n = k.values.len();
            p.insert(k.name.clone(), k.values[i % n].clone());
            i /= n;
        }
        out.push(p);
    }
    out
}

fn sample(space: &DesignSpace, max: usize, seed: u64, first: Vec<DesignPoint>) -> Vec<DesignPoint> {
    let mut rng = Rng::new(seed);
    let mut seen: HashSet<DesignPoint> = HashSet::new();
    let mut out = Vec::with_capacity(max);
    for p in first {
        if out.len() < max && seen.insert(p.clone()) {
            out.push(p);
        }
    }
    // Bounded attempts: a space barely larger than `max` would otherwise take long to fill.
    let mut attempts = 0usize;
    while out.len() < max && attempts < max.saturating_mul(50) {
        attempts += 1;
        let p: DesignPoint = space.knobs.iter().map(|k| (k.name.clone(), k.values[rng.below(k.values.len())].clone())).collect();
        if seen.insert(p.clone()) {
            out.push(p);
        }
    }
    out
}

impl Pool {
    /// Choose the points (see [`PoolSpec`]) and prepare each one; points that do not render or
    /// parse are counted and left out. Fails only if nothing is left.
    pub fn build(space: DesignSpace, spec: PoolSpec, enc: &Encoding) -> Result<Pool> {
        if space.knobs.is_empty() {
            return Err(DseError::NoKnobs);
        }
        let size = space_size(&space);
        let (origin, points) = match spec {
            PoolSpec::Points(p) => (PoolOrigin::Given, p),
            PoolSpec::Auto { max, seed, extra } => {
                let max = max.max(1);
                if size <= max as f64 {
                    (PoolOrigin::Enumerated, enumerate(&space))
                } else {
                    let mut first = vec![space.default_point()];
                    first.extend(extra);
                    (PoolOrigin::Sampled, sample(&space, max, seed, first))
                }
            }
        };
        // The estimator's view is a feature of the proxy; an unknown part falls back to the
        // part the proxy was trained on rather than losing the feature.
        let profile = enc.tool.profile(&enc.part).or_else(|_| enc.tool.profile("vu9p")).ok();
        let prepared: Vec<std::result::Result<Candidate, String>> = points
            .par_iter()
            .map(|p| {
                std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| candidate(&space, p, profile.as_ref(), enc)))
                    .unwrap_or_else(|_| Err("internal error (panic) while preparing the design".into()))
            })
            .collect();
        let tried = points.len();
        let mut seen: HashSet<Key> = HashSet::new();
        let (mut candidates, mut skipped, mut duplicates, mut reasons) = (Vec::new(), 0, 0, Vec::new());
        for (r, p) in prepared.into_iter().zip(&points) {
            match r {
                Ok(c) if seen.insert(c.hash) => candidates.push(c),
                Ok(_) => duplicates += 1,
                Err(e) => {
                    skipped += 1;
                    if reasons.len() < 5 {
                        reasons.push(format!("{}: {e}", crate::point_label(p)));
                    }
                }
            }
        }
        if candidates.is_empty() {
            let reason = reasons.first().cloned().unwrap_or_else(|| "the pool is empty".into());
            return Err(DseError::EmptyPool { tried, reason });
        }
        let report = PoolReport { origin, space_size: size, candidates: candidates.len(), skipped, duplicates, reasons };
        Ok(Pool { space, candidates, report })
    }

    /// The candidate with this point, if it is in the pool.
    pub fn find(&self, point: &DesignPoint) -> Option<usize> {
        self.candidates.iter().position(|c| &c.point == point)
    }

    pub fn len(&self) -> usize {
        self.candidates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.candidates.is_empty()
    }
}

fn candidate(space: &DesignSpace, point: &DesignPoint, profile: Option<&Profile>, enc: &Encoding) -> std::result::Result<Candidate, String> {
    let files = space.render(point).map_err(|e| e.to_string())?;
    let p = hlsseek_proxy::prepare(&files, &space.top, &enc.opts, profile, Some(enc.clock_ns), enc.tool)?;
    let hash = hlsseek_synth::key::design_hash(&files, &space.top);
    Ok(Candidate { point: point.clone(), files, hash, estimate: p.estimate.ok().map(|e| e.qor), graph: p.graph })
}
