//! Labelled design sets: tasks (one kernel under one tool version) of encoded designs with their
//! recorded QoR, the pair labels the model learns, splits, and the HLSyn loader.

use crate::encode::prepare;
use crate::error::Result;
use crate::graph::{DesignGraph, ToolVersion};
use crate::rng::Rng;
use hlsseek_datasets::hlsyn::{self, Hlsyn};
use hlsseek_front::{DesignSpace, FrontOptions};
use hlsseek_qor::pareto::{self, Dominance};
use hlsseek_qor::Qor;
use rayon::prelude::*;
use std::path::Path;

/// One encoded design with its recorded result.
#[derive(Clone, Debug)]
pub struct Design {
    pub key: String,
    pub graph: DesignGraph,
    pub qor: Qor,
}

/// Designs whose results are comparable: one kernel, one tool version. Pairs never cross tasks.
#[derive(Clone, Debug)]
pub struct Task {
    pub kernel: String,
    pub version: String,
    pub designs: Vec<Design>,
}

/// What the model is taught about an ordered pair (A, B).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PairLabel {
    /// 0: A dominates, 1: B dominates, 2: neither.
    pub dominance: u32,
    /// Whether A is faster; `None` when the latencies are equal.
    pub a_faster: Option<bool>,
    /// Latencies differ by more than 1% of the larger (the pairs latency accuracy counts).
    pub latency_clear: bool,
    /// Per objective: 0 A lower, 1 B lower, 2 equal.
    pub objectives: [u32; 5],
}

pub fn dominance_class(d: Dominance) -> u32 {
    match d {
        Dominance::ADominates => 0,
        Dominance::BDominates => 1,
        Dominance::Neither => 2,
    }
}

pub fn pair_label(a: &Qor, b: &Qor) -> PairLabel {
    let (oa, ob) = (pareto::objectives(a), pareto::objectives(b));
    let mut objectives = [2u32; 5];
    for k in 0..5 {
        objectives[k] = match oa[k].cmp(&ob[k]) {
            std::cmp::Ordering::Less => 0,
            std::cmp::Ordering::Greater => 1,
            std::cmp::Ordering::Equal => 2,
        };
    }
    let (la, lb) = (oa[0] as f64, ob[0] as f64);
    PairLabel {
        dominance: dominance_class(pareto::compare(a, b)),
        a_faster: (oa[0] != ob[0]).then_some(oa[0] < ob[0]),
        latency_clear: (la - lb).abs() > 0.01 * la.max(lb),
        objectives,
    }
}

/// Every pair `i < j` of `n` designs.
pub fn all_pairs(n: usize) -> Vec<(usize, usize)> {
    (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j))).collect()
}

/// Pairs that involve a held-out design: held-out × held-out and held-out × training.
pub fn heldout_pairs(held: &[usize], train: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (k, &i) in held.iter().enumerate() {
        out.extend(held[k + 1..].iter().map(|&j| (i, j)));
        out.extend(train.iter().map(|&j| (i, j)));
    }
    out
}

/// Design indices per task: the part trained on and the part held out.
#[derive(Clone, Debug, Default)]
pub struct Split {
    pub train: Vec<Vec<usize>>,
    pub held: Vec<Vec<usize>>,
}

/// Hold out `fraction` of each task's designs at random (at least one when a task has 3+).
pub fn split_points(tasks: &[Task], fraction: f64, seed: u64) -> Split {
    let mut split = Split::default();
    for (t, task) in tasks.iter().enumerate() {
        let mut idx: Vec<usize> = (0..task.designs.len()).collect();
        Rng::new(seed).fork(t as u64).shuffle(&mut idx);
        let (held, train) = cut(idx, fraction);
        split.held.push(held);
        split.train.push(train);
    }
    split
}

/// Split each task's *training* designs of `split` again: `fraction` of them become the watched
/// designs (early stopping, decision fitting) and the rest are trained on; the held-out designs
/// of `split` are left out of both.
pub fn split_watched(split: &Split, fraction: f64, seed: u64) -> Split {
    let mut out = Split::default();
    for (t, train) in split.train.iter().enumerate() {
        let mut idx = train.clone();
        Rng::new(seed).fork(0x5EED_0000 + t as u64).shuffle(&mut idx);
        let (held, rest) = cut(idx, fraction);
        out.held.push(held);
        out.train.push(rest);
    }
    out
}

/// Cut shuffled indices: the first `fraction` (at least one when there are 3 or more and the
/// fraction is positive) are held, the rest kept; both sorted.
fn cut(shuffled: Vec<usize>, fraction: f64) -> (Vec<usize>, Vec<usize>) {
    let n = shuffled.len();
    let mut k = (n as f64 * fraction).round() as usize;
    if k == 0 && n >= 3 && fraction > 0.0 {
        k = 1;
    }
    let mut held = shuffled[..k].to_vec();
    let mut rest = shuffled[k..].to_vec();
    held.sort_unstable();
    rest.sort_unstable();
    (held, rest)
}

/// A kernel's family: its name without size/variant suffixes (`atax-medium` → `atax`), so that
/// holding out a family leaves no sibling of it in training.
pub fn family(kernel: &str) -> &str {
    kernel.split('-').next().unwrap_or(kernel)
}

/// Content hash of a design set: kernels, keys and recorded numbers, in order.
pub fn data_hash(tasks: &[Task]) -> String {
    let mut h = blake3::Hasher::new();
    for t in tasks {
        h.update(t.kernel.as_bytes());
        h.update(t.version.as_bytes());
        for d in &t.designs {
            h.update(d.key.as_bytes());
            for v in pareto::objectives(&d.qor) {
                h.update(&v.to_le_bytes());
            }
        }
    }
    h.finalize().to_hex()[..16].to_string()
}

/// What loading a dataset did.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct LoadReport {
    pub tasks: usize,
    pub designs: usize,
    /// Records left out: not valid, or with missing numbers.
    pub excluded: usize,
    /// Valid records the front-end could not read (first reasons kept in `reasons`).
    pub failed: usize,
    pub reasons: Vec<String>,
    /// Designs for which the estimator failed (encoded without its view).
    pub without_estimate: usize,
}

/// Load HLSyn `versions` from `root`: every valid record with complete numbers, rendered,
/// parsed, estimated on the VU9P at 250 MHz (the profile of the version's tool release) and
/// encoded. `progress(done, total)` is called as designs finish. Records that fail to parse
/// are counted and skipped, not fatal.
pub fn load_hlsyn(root: &Path, versions: &[&str], progress: &(dyn Fn(usize, usize) + Sync)) -> Result<(Vec<Task>, LoadReport)> {
    let ds = Hlsyn::open(root)?;
    let opts = FrontOptions::default();
    let mut report = LoadReport::default();
    let mut jobs = Vec::new();
    for version in versions {
        for kernel in ds.kernels(version)? {
            let Some(top) = kernel.top() else {
                report.failed += kernel.records.len();
                report.reasons.push(format!("{version}/{}: no ACCEL kernel function", kernel.name));
                continue;
            };
            let records: Vec<_> = kernel
                .records
                .iter()
                .filter_map(|r| match (r.valid, r.qor()) {
                    (true, Some(q)) => Some((r.key.clone(), r.point.clone(), q)),
                    _ => None,
                })
                .collect();
            report.excluded += kernel.records.len() - records.len();
            if records.is_empty() {
                continue;
            }
            match DesignSpace::new(vec![kernel.source.clone()], &top, &opts) {
                Ok(space) => jobs.push((kernel.name.clone(), version.to_string(), top, space, records)),
                Err(e) => {
                    report.failed += records.len();
                    report.reasons.push(format!("{version}/{}: {e}", kernel.name));
                }
            }
        }
    }
    let total: usize = jobs.iter().map(|j| j.4.len()).sum();
    let done = std::sync::atomic::AtomicUsize::new(0);
    let mut tasks = Vec::new();
    for (name, version, top, space, records) in &jobs {
        let tool = ToolVersion::parse(version);
        // Each release's results are estimated with the profile of that release.
        let profile = tool.profile(hlsyn::PART)?;
        let results: Vec<std::result::Result<(Design, bool), String>> = records
            .par_iter()
            .map(|(key, point, qor)| {
                // A front-end or estimator bug on one design must not end a long load.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> std::result::Result<(Design, bool), String> {
                    let files = space.render(point).map_err(|e| e.to_string())?;
                    let p = prepare(&files, top, &opts, Some(&profile), Some(hlsyn::CLOCK_NS), tool)?;
                    Ok((Design { key: key.clone(), graph: p.graph, qor: *qor }, p.estimate.is_ok()))
                }))
                .unwrap_or_else(|_| Err("internal error (panic)".into()));
                progress(done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1, total);
                r
            })
            .collect();
        let mut designs = Vec::new();
        for (r, (key, _, _)) in results.into_iter().zip(records) {
            match r {
                Ok((d, with_estimate)) => {
                    report.without_estimate += !with_estimate as usize;
                    designs.push(d);
                }
                Err(e) => {
                    report.failed += 1;
                    if report.reasons.len() < 20 {
                        report.reasons.push(format!("{version}/{name}/{key}: {e}"));
                    }
                }
            }
        }
        if !designs.is_empty() {
            report.designs += designs.len();
            tasks.push(Task { kernel: name.clone(), version: version.clone(), designs });
        }
    }
    report.tasks = tasks.len();
    Ok((tasks, report))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_qor::{Latency, Resources};

    fn q(v: [u64; 5]) -> Qor {
        Qor { latency: Latency::exact(v[0]), ii: None, resources: Resources { lut: v[1], ff: v[2], dsp: v[3], bram: v[4], uram: None } }
    }

    #[test]
    fn labels_follow_pareto_and_swap() {
        let (a, b) = (q([100, 10, 10, 1, 2]), q([200, 10, 12, 1, 2]));
        let l = pair_label(&a, &b);
        assert_eq!(l.dominance, 0);
        assert_eq!(l.a_faster, Some(true));
        assert!(l.latency_clear);
        assert_eq!(l.objectives, [0, 2, 0, 2, 2]);
        assert_eq!(pair_label(&b, &a).dominance, 1);
        let close = pair_label(&q([1000, 1, 1, 1, 1]), &q([1005, 1, 1, 1, 1]));
        assert!(!close.latency_clear);
        assert_eq!(pair_label(&a, &a).dominance, 2);
        assert_eq!(pair_label(&a, &a).a_faster, None);
    }

    #[test]
    fn heldout_pairs_cover_held_designs_only() {
        let p = heldout_pairs(&[1, 3], &[0, 2]);
        assert_eq!(p, vec![(1, 3), (1, 0), (1, 2), (3, 0), (3, 2)]);
        assert_eq!(all_pairs(4).len(), 6);
        assert_eq!(family("atax-medium"), "atax");
        assert_eq!(family("2mm"), "2mm");
    }
}
