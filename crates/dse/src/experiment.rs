//! The measured experiment: on recorded HLSyn kernels, does proxy-guided search get closer to
//! the true Pareto front than random sampling with the same synthesis budget?
//!
//! For each kernel (one tool version):
//! - the pool is **every recorded point** of the kernel (any other point would be "not
//!   recorded"), valid or not: a search may well pick a design whose run failed;
//! - synthesis is the `recorded` backend over this kernel's records, where a record HLSyn marks
//!   `valid = false` answers as a failed synthesis (`tool_error`). The dataset's README says such
//!   runs "failed or overused resources"; the plain `recorded` backend passes their numbers on
//!   with a note, but a search must not count a failed run as a design it found;
//! - the reference is the Pareto front of all valid records with numbers; ADRS
//!   ([`crate::adrs`]) of each run's successful designs against it;
//! - ADRS is also given with the resources' denominators floored at 1% of the VU9P's capacity
//!   ([`part_floors`]): some HLSyn records report 0 DSPs for designs that plainly multiply in
//!   floating point, and against such a point every DSP of a found design counts a whole
//!   100% of excess, so the plain number can be decided by one record;
//! - proxy and random run with the same budget and the same seeds; no result store is used,
//!   so every run pays for its own syntheses.

use crate::adrs::{adrs, adrs_with};
use crate::error::Result;
use crate::pool::{Encoding, Pool, PoolSpec};
use crate::search::{embed_pool, proxy_search, random_search, SearchConfig};
use hlsseek_datasets::hlsyn::{Hlsyn, HlsynRecord, CLOCK_NS, PART};
use hlsseek_front::{DesignSpace, FrontOptions};
use hlsseek_proxy::{ProxyModel, ToolVersion};
use hlsseek_qor::pareto;
use hlsseek_qor::Qor;
use hlsseek_synth::recorded::{Entry, Indexed, RecordedBackend};
use hlsseek_synth::{FailureKind, SynthFailure, Synthesizer, Target};
use serde::Serialize;
use std::sync::Arc;
use std::time::Instant;

/// One kernel of the experiment, read from the dataset.
#[derive(Clone, Debug)]
pub struct Case {
    pub kernel: String,
    pub version: String,
    pub space: DesignSpace,
    pub records: Vec<HlsynRecord>,
}

impl Case {
    /// Read kernel `name` of `version`.
    pub fn load(ds: &Hlsyn, version: &str, name: &str) -> Result<Case> {
        let k = ds.kernel(version, name)?;
        let top = k.top().ok_or_else(|| crate::DseError::Invalid(format!("{version}/{name}: no `#pragma ACCEL kernel` function")))?;
        let space = DesignSpace::new(vec![k.source.clone()], &top, &FrontOptions::default())?;
        Ok(Case { kernel: name.to_string(), version: version.to_string(), space, records: k.records })
    }

    /// QoR of the valid records with numbers: the reference set.
    pub fn reference(&self) -> Vec<Qor> {
        self.records.iter().filter(|r| r.valid).filter_map(HlsynRecord::qor).collect()
    }

    /// The dataset's target.
    pub fn target(&self) -> Target {
        Target { part: PART.into(), clock_ns: CLOCK_NS }
    }

    /// The `recorded` backend over this kernel's records, invalid records answering as failures.
    pub fn backend(&self) -> RecordedBackend {
        let label = format!("hlsyn-{}-valid-only", self.version);
        let entries: Indexed = self
            .records
            .iter()
            .map(|r| {
                let hash = self.space.render(&r.point).map(|f| hlsseek_synth::key::design_hash(&f, &self.space.top)).map_err(|e| e.to_string());
                let answer = if r.valid {
                    hlsseek_synth::recorded::hlsyn::answer(r, &label)
                } else {
                    Err(SynthFailure {
                        kind: FailureKind::ToolError,
                        message: format!("{label}: HLSyn marks this run invalid (failed or over-used resources; perf {})", r.perf),
                        qor: r.qor().map(Box::new),
                    })
                };
                (hash, Entry { dataset: label.clone(), id: format!("{}/{}", self.kernel, r.key), target: self.target(), answer })
            })
            .collect();
        let mut b = RecordedBackend::new();
        b.add(&label, entries);
        b
    }
}

/// Kernels of `version` worth the experiment with `budget`: more than three times `budget`
/// recorded points (with fewer, a search and random sampling see most of the space) and at least
/// 10 valid ones (a front to approach). With `families` non-empty, only kernels of those
/// families (`atax-medium` is of family `atax`).
pub fn default_kernels(ds: &Hlsyn, version: &str, budget: usize, families: &[String]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for name in ds.kernel_names(version)? {
        if !families.is_empty() && !families.iter().any(|f| f == hlsseek_proxy::data::family(&name)) {
            continue;
        }
        let k = ds.kernel(version, &name)?;
        let valid = k.records.iter().filter(|r| r.valid && r.qor().is_some()).count();
        if k.records.len() > 3 * budget && valid >= 10 {
            out.push(name);
        }
    }
    Ok(out)
}

/// Floors for [`adrs_with`]: 1 cycle, and 1% of the VU9P's LUT, FF, DSP and BRAM18K.
pub fn part_floors() -> [f64; 5] {
    match hlsseek_estimate::Profile::builtin("vu9p") {
        Ok(p) => {
            let c = p.capacity;
            [1.0, c.lut as f64 / 100.0, c.ff as f64 / 100.0, c.dsp as f64 / 100.0, c.bram18k as f64 / 100.0]
        }
        Err(_) => crate::adrs::UNIT_FLOORS,
    }
}

/// One kernel's results.
#[derive(Clone, Debug, Serialize)]
pub struct KernelResult {
    pub kernel: String,
    pub version: String,
    /// Recorded points, valid ones, and the candidates the pool could prepare.
    pub records: usize,
    pub valid: usize,
    pub pool: usize,
    /// Size of the true (reference) Pareto front.
    pub reference_front: usize,
    /// ADRS per seed.
    pub proxy: Vec<f64>,
    pub random: Vec<f64>,
    pub proxy_mean: f64,
    pub random_mean: f64,
    /// ADRS per seed with [`part_floors`], and their means.
    pub proxy_floored: Vec<f64>,
    pub random_floored: Vec<f64>,
    pub proxy_floored_mean: f64,
    pub random_floored_mean: f64,
    /// Mean failed syntheses per run.
    pub proxy_failures: f64,
    pub random_failures: f64,
    /// Runs (of `seeds`) in which the search found a design of the reference front.
    pub proxy_hit_front: usize,
    pub random_hit_front: usize,
    /// Seconds spent preparing the pool and in the proxy searches.
    pub prepare_seconds: f64,
    pub proxy_seconds: f64,
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.iter().sum::<f64>() / v.len() as f64
}

/// Run proxy and random searches with `cfg` on `case` for seeds `cfg.seed .. cfg.seed + seeds`.
pub fn run_case(case: &Case, model: &ProxyModel, cfg: &SearchConfig, seeds: usize) -> Result<KernelResult> {
    let t0 = Instant::now();
    let target = case.target();
    let enc = Encoding { part: target.part.clone(), clock_ns: target.clock_ns, tool: ToolVersion::parse(&case.version), opts: FrontOptions::default() };
    let points = case.records.iter().map(|r| r.point.clone()).collect();
    let pool = Pool::build(case.space.clone(), PoolSpec::Points(points), &enc)?;
    let emb = embed_pool(model, &pool)?;
    let synth = Synthesizer::new(Arc::new(case.backend()), None, 1);
    let prepare_seconds = t0.elapsed().as_secs_f64();
    let reference = case.reference();
    let ref_front: Vec<Qor> = pareto::front(&reference).into_iter().map(|i| reference[i]).collect();
    let hits = |found: &[Qor]| found.iter().any(|q| ref_front.contains(q));
    let (mut proxy, mut random, mut pf, mut rf, mut ph, mut rh) = (Vec::new(), Vec::new(), 0usize, 0usize, 0usize, 0usize);
    let mut proxy_seconds = 0.0;
    let floors = part_floors();
    let (mut proxy_floored, mut random_floored) = (Vec::new(), Vec::new());
    for s in 0..seeds {
        let c = SearchConfig { seed: cfg.seed.wrapping_add(s as u64), ..cfg.clone() };
        let p = proxy_search(&pool, model, &emb, &synth, &target, &c, &mut |_, _, _| {})?;
        proxy_seconds += p.seconds;
        let r = random_search(&pool, &synth, &target, &c, &mut |_, _, _| {})?;
        let (pq, rq) = (p.found(), r.found());
        proxy.push(adrs(&pq, &reference));
        random.push(adrs(&rq, &reference));
        proxy_floored.push(adrs_with(&pq, &reference, &floors));
        random_floored.push(adrs_with(&rq, &reference, &floors));
        pf += p.failures;
        rf += r.failures;
        ph += hits(&pq) as usize;
        rh += hits(&rq) as usize;
    }
    Ok(KernelResult {
        kernel: case.kernel.clone(),
        version: case.version.clone(),
        records: case.records.len(),
        valid: reference.len(),
        pool: pool.len(),
        reference_front: ref_front.len(),
        proxy_mean: mean(&proxy),
        random_mean: mean(&random),
        proxy,
        random,
        proxy_floored_mean: mean(&proxy_floored),
        random_floored_mean: mean(&random_floored),
        proxy_floored,
        random_floored,
        proxy_failures: pf as f64 / seeds.max(1) as f64,
        random_failures: rf as f64 / seeds.max(1) as f64,
        proxy_hit_front: ph,
        random_hit_front: rh,
        prepare_seconds,
        proxy_seconds,
    })
}

/// The experiment's bottom line over kernels.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub kernels: usize,
    /// Mean over kernels of the per-kernel mean ADRS.
    pub proxy_mean: f64,
    pub random_mean: f64,
    /// Kernels where the proxy's mean ADRS is lower / higher / equal.
    pub proxy_wins: usize,
    pub random_wins: usize,
    pub ties: usize,
    /// Median over kernels of the per-kernel mean ADRS (robust to one kernel's outlier).
    pub proxy_median: f64,
    pub random_median: f64,
    /// The same with [`part_floors`].
    pub proxy_floored_mean: f64,
    pub random_floored_mean: f64,
    pub proxy_floored_wins: usize,
    pub random_floored_wins: usize,
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

pub fn summarise(results: &[KernelResult]) -> Summary {
    let p: Vec<f64> = results.iter().map(|r| r.proxy_mean).collect();
    let r: Vec<f64> = results.iter().map(|r| r.random_mean).collect();
    let wins = results.iter().filter(|k| k.proxy_mean < k.random_mean).count();
    let losses = results.iter().filter(|k| k.proxy_mean > k.random_mean).count();
    let pf: Vec<f64> = results.iter().map(|r| r.proxy_floored_mean).collect();
    let rf: Vec<f64> = results.iter().map(|r| r.random_floored_mean).collect();
    Summary {
        kernels: results.len(),
        proxy_mean: mean(&p),
        random_mean: mean(&r),
        proxy_wins: wins,
        random_wins: losses,
        ties: results.len() - wins - losses,
        proxy_median: median(p.clone()),
        random_median: median(r.clone()),
        proxy_floored_mean: mean(&pf),
        random_floored_mean: mean(&rf),
        proxy_floored_wins: results.iter().filter(|k| k.proxy_floored_mean < k.random_floored_mean).count(),
        random_floored_wins: results.iter().filter(|k| k.proxy_floored_mean > k.random_floored_mean).count(),
    }
}
