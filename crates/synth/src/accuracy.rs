//! How closely a backend follows recorded synthesis results: every design of a published
//! dataset through the backend, compared per objective (median APE, Spearman) and, per kernel,
//! by rank (Spearman, latency pair order) and by Pareto relation (against always answering
//! "neither"). `hlsseek accuracy` prints what this computes.

use crate::{Backend, QorReport, SynthRequest, Target};
use hlsseek_datasets::{forgehls, hlsyn, DatasetError};
use hlsseek_front::{DesignSpace, FrontOptions};
use hlsseek_qor::pareto::PairAgreement;
use hlsseek_qor::{stats, Qor};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// One recorded design: how to build its request, and what was recorded.
pub struct Case {
    /// The kernel (HLSyn) or source (ForgeHLS) it belongs to: the unit of ranking.
    pub group: String,
    pub name: String,
    /// `None` where the record has no usable numbers.
    pub truth: Option<Qor>,
    /// Built when evaluated, so a dataset of thousands of rendered designs is never held at once.
    request: Box<dyn Fn() -> Result<SynthRequest, String> + Send + Sync>,
}

/// A dataset's designs and where they were synthesized.
pub struct Dataset {
    pub name: &'static str,
    pub version: Option<String>,
    pub target: Target,
    /// Rank the designs of each group against each other (a design space per kernel).
    pub per_kernel: bool,
    pub cases: Vec<Case>,
}

/// What the backend said about one case.
pub struct Outcome {
    pub group: String,
    pub name: String,
    pub truth: Option<Qor>,
    /// The answer and the backend's seconds, or why there is none.
    pub result: Result<(QorReport, f64), String>,
}

/// ForgeHLS `kernels.json`: one design per record, grouped by source.
pub fn forgehls_dataset(path: &std::path::Path) -> Result<Dataset, DatasetError> {
    let cases = forgehls::load(path)?
        .into_iter()
        .map(|r| {
            let (files, top) = (r.files(), r.top_function_name.clone());
            Case {
                name: r.name(),
                group: r.source_name.clone(),
                truth: Some(r.qor()),
                request: Box::new(move || Ok(request(files.clone(), &top, forgehls::PART, forgehls::CLOCK_NS))),
            }
        })
        .collect();
    let target = Target { part: forgehls::PART.into(), clock_ns: forgehls::CLOCK_NS };
    Ok(Dataset { name: "forgehls", version: None, target, per_kernel: false, cases })
}

/// Every recorded point of every HLSyn kernel of `version`, rendered from its kernel's template.
pub fn hlsyn_dataset(dir: &std::path::Path, version: &str) -> Result<Dataset, DatasetError> {
    let ds = hlsyn::Hlsyn::open(dir)?;
    let mut cases = Vec::new();
    for kernel in ds.kernels(version)? {
        let top = kernel.top().unwrap_or_default();
        let space = DesignSpace::new(vec![kernel.source.clone()], &top, &FrontOptions::default()).map_err(|e| format!("design space: {e}"));
        let (space, top) = (Arc::new(space), Arc::new(top));
        for rec in &kernel.records {
            let (space, top, point) = (space.clone(), top.clone(), rec.point.clone());
            cases.push(Case {
                name: rec.key.clone(),
                group: kernel.name.clone(),
                truth: rec.qor(),
                request: Box::new(move || {
                    let space = space.as_ref().as_ref().map_err(Clone::clone)?;
                    let files = space.render(&point).map_err(|e| format!("render: {e}"))?;
                    Ok(request(files, &top, hlsyn::PART, hlsyn::CLOCK_NS))
                }),
            });
        }
    }
    let target = Target { part: hlsyn::PART.into(), clock_ns: hlsyn::CLOCK_NS };
    Ok(Dataset { name: "hlsyn", version: Some(version.to_string()), target, per_kernel: true, cases })
}

fn request(files: Vec<hlsseek_front::SourceFile>, top: &str, part: &str, clock_ns: f64) -> SynthRequest {
    SynthRequest { files, top: top.to_string(), part: part.to_string(), clock_ns }
}

/// Run every case through `backend` in parallel; `done` is called once per case (progress).
/// A failure is the failure's kind (`syntax`, `unsupported`, ...), so failures group by cause.
pub fn evaluate(backend: &dyn Backend, cases: &[Case], done: &(dyn Fn() + Sync)) -> Vec<Outcome> {
    cases
        .par_iter()
        .map(|case| {
            let result = (case.request)().and_then(|req| {
                let out = backend.synthesize(&req);
                let seconds = out.seconds;
                out.result.map(|r| (r, seconds)).map_err(|f| f.kind.to_string())
            });
            done();
            Outcome { group: case.group.clone(), name: case.name.clone(), truth: case.truth, result }
        })
        .collect()
}

#[derive(Serialize)]
pub struct Report {
    pub dataset: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub part: String,
    pub clock_ns: f64,
    pub total: usize,
    pub handled: usize,
    pub handled_share: f64,
    pub failures: BTreeMap<String, usize>,
    pub failure_examples: BTreeMap<String, Vec<String>>,
    /// Designs with recorded numbers usable for the error metrics.
    pub compared: usize,
    /// The backend's own time per design (for the estimator: parse + estimate).
    pub estimate_seconds_median: Option<f64>,
    pub latency: Metric,
    pub lut: Metric,
    pub ff: Metric,
    pub dsp: Metric,
    pub bram: Metric,
    /// Per-kernel runs only: the backend's Pareto relation (on all five objectives) of every
    /// pair of designs of a kernel against the recorded one, pooled over kernels.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dominance: Option<DominanceMetric>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub per_kernel: Vec<KernelMetric>,
}

#[derive(Serialize)]
pub struct DominanceMetric {
    pub agreement: Option<f64>,
    /// What always answering "neither dominates" would score on the same pairs.
    pub neither_baseline: Option<f64>,
    pub pairs: u64,
}

impl From<PairAgreement> for DominanceMetric {
    fn from(a: PairAgreement) -> Self {
        DominanceMetric { agreement: a.accuracy(), neither_baseline: a.neither_share(), pairs: a.pairs }
    }
}

#[derive(Serialize, Default)]
pub struct Metric {
    /// Median absolute percentage error, over designs whose recorded value is not 0.
    pub mdape: Option<f64>,
    pub spearman: Option<f64>,
    pub n: usize,
    /// Designs whose recorded value is 0 (percentage error undefined; counted apart).
    pub zero_truth: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub median_kernel_spearman: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pair_order_accuracy: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pairs: Option<u64>,
}

#[derive(Serialize)]
pub struct KernelMetric {
    pub kernel: String,
    pub points: usize,
    pub latency_spearman: Option<f64>,
    pub lut_spearman: Option<f64>,
    pub ff_spearman: Option<f64>,
    pub dsp_spearman: Option<f64>,
    pub bram_spearman: Option<f64>,
    pub pair_order_accuracy: Option<f64>,
    pub pairs: u64,
    pub dominance: DominanceMetric,
}

type Extract = fn(&Qor) -> Option<f64>;

/// The five objectives, in the order of the report's fields.
pub const OBJECTIVES: [(&str, Extract); 5] = [
    ("latency", |q| q.latency.value().map(|v| v as f64)),
    ("lut", |q| Some(q.resources.lut as f64)),
    ("ff", |q| Some(q.resources.ff as f64)),
    ("dsp", |q| Some(q.resources.dsp as f64)),
    ("bram", |q| Some(q.resources.bram as f64)),
];

fn metric(pairs: &[(f64, f64)]) -> Metric {
    let (pred, truth): (Vec<f64>, Vec<f64>) = pairs.iter().copied().unzip();
    let apes: Vec<f64> = pairs.iter().filter_map(|&(p, t)| stats::ape(p, t)).collect();
    Metric {
        mdape: stats::median(&apes),
        spearman: stats::spearman(&pred, &truth),
        n: pairs.len(),
        zero_truth: pairs.len() - apes.len(),
        ..Metric::default()
    }
}

/// The report of a dataset's outcomes.
pub fn summarise(ds: &Dataset, outcomes: &[Outcome]) -> Report {
    let mut failures = BTreeMap::new();
    let mut failure_examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut seconds = Vec::new();
    for o in outcomes {
        match &o.result {
            Ok((_, s)) => seconds.push(*s),
            Err(reason) => {
                *failures.entry(reason.clone()).or_insert(0) += 1;
                let ex = failure_examples.entry(reason.clone()).or_default();
                if ex.len() < 5 {
                    ex.push(format!("{}/{}", o.group, o.name));
                }
            }
        }
    }
    // (prediction, truth) per objective over handled designs with usable recorded numbers.
    let compared: Vec<(&Outcome, &Qor, &Qor)> = outcomes
        .iter()
        .filter_map(|o| match (&o.result, &o.truth) {
            (Ok((p, _)), Some(t)) => Some((o, &p.qor, t)),
            _ => None,
        })
        .collect();
    let mut metrics: Vec<Metric> = OBJECTIVES
        .iter()
        .map(|(_, f)| {
            let pairs: Vec<(f64, f64)> = compared.iter().filter_map(|(_, p, t)| Some((f(p)?, f(t)?))).collect();
            metric(&pairs)
        })
        .collect();
    let mut kernels = Vec::new();
    let mut dominance = None;
    if ds.per_kernel {
        let mut groups: BTreeMap<&str, (Vec<Qor>, Vec<Qor>)> = BTreeMap::new();
        for (o, p, t) in &compared {
            let g = groups.entry(o.group.as_str()).or_default();
            g.0.push(**p);
            g.1.push(**t);
        }
        let (mut ok_all, mut n_all) = (0, 0);
        let mut dom_all = PairAgreement::default();
        // Per objective, the Spearman of every kernel that has one.
        let mut rhos: [Vec<f64>; 5] = Default::default();
        for (kernel, (pred, truth)) in groups {
            // (prediction, truth) of each objective over the designs where both numbers exist.
            let values: Vec<(Vec<f64>, Vec<f64>)> =
                OBJECTIVES.iter().map(|(_, f)| pred.iter().zip(&truth).filter_map(|(p, t)| Some((f(p)?, f(t)?))).unzip()).collect();
            let rho: Vec<Option<f64>> = values.iter().map(|(p, t)| stats::spearman(p, t)).collect();
            for (all, r) in rhos.iter_mut().zip(&rho) {
                all.extend(*r);
            }
            let (lat_p, lat_t) = &values[0];
            let (ok, n) = stats::pair_order(lat_p, lat_t, 0.01);
            ok_all += ok;
            n_all += n;
            let dom = PairAgreement::of(&pred, &truth);
            dom_all.add(dom);
            kernels.push(KernelMetric {
                kernel: kernel.to_string(),
                points: lat_t.len(),
                latency_spearman: rho[0],
                lut_spearman: rho[1],
                ff_spearman: rho[2],
                dsp_spearman: rho[3],
                bram_spearman: rho[4],
                pair_order_accuracy: (n > 0).then(|| ok as f64 / n as f64),
                pairs: n,
                dominance: dom.into(),
            });
        }
        for (m, r) in metrics.iter_mut().zip(&rhos) {
            m.median_kernel_spearman = stats::median(r);
        }
        metrics[0].pair_order_accuracy = (n_all > 0).then(|| ok_all as f64 / n_all as f64);
        metrics[0].pairs = Some(n_all);
        dominance = Some(dom_all.into());
    }
    let handled = seconds.len();
    let mut it = metrics.into_iter();
    let mut next = || it.next().unwrap_or_default();
    Report {
        dataset: ds.name.to_string(),
        version: ds.version.clone(),
        part: ds.target.part.clone(),
        clock_ns: ds.target.clock_ns,
        total: outcomes.len(),
        handled,
        handled_share: if outcomes.is_empty() { 0.0 } else { handled as f64 / outcomes.len() as f64 },
        failures,
        failure_examples,
        compared: compared.len(),
        estimate_seconds_median: stats::median(&seconds),
        latency: next(),
        lut: next(),
        ff: next(),
        dsp: next(),
        bram: next(),
        dominance,
        per_kernel: kernels,
    }
}

/// One tab-separated line per design for offline analysis, after a `#` header: group, name,
/// then recorded and backend value of each objective (empty where unknown), then the backend's
/// loops (`name:P|S[F]:tc…:ii…:d…:l…:u…`) and notes, or the failure.
pub fn write_designs(out: &mut dyn std::io::Write, outcomes: &[Outcome]) -> std::io::Result<()> {
    let mut head = vec!["#group".to_string(), "name".to_string()];
    for (name, _) in OBJECTIVES {
        head.push(format!("true_{name}"));
        head.push(format!("est_{name}"));
    }
    head.extend(["loops".to_string(), "notes".to_string()]);
    writeln!(out, "{}", head.join("\t"))?;
    let cell = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    let clean = |s: &str| s.replace(['\t', '\n'], " ");
    for o in outcomes {
        let mut row = vec![clean(&o.group), clean(&o.name)];
        let report = o.result.as_ref().ok().map(|(r, _)| r);
        for (_, f) in OBJECTIVES {
            row.push(cell(o.truth.as_ref().and_then(f)));
            row.push(cell(report.and_then(|r| f(&r.qor))));
        }
        match &o.result {
            Ok((r, _)) => {
                let loops: Vec<String> = r
                    .loops
                    .iter()
                    .map(|l| {
                        let kind = format!("{}{}", if l.pipelined { "P" } else { "S" }, if l.flattened { "F" } else { "" });
                        format!("{}:{kind}:tc{:?}:ii{:?}:d{:?}:l{:?}:u{}", l.name, l.trip_count.max, l.ii, l.iteration_latency, l.latency.max, l.unroll)
                    })
                    .collect();
                row.push(loops.join(" "));
                row.push(clean(&r.notes.join(" | ")));
            }
            Err(reason) => {
                row.push(String::new());
                row.push(format!("failed: {}", clean(reason)));
            }
        }
        writeln!(out, "{}", row.join("\t"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_qor::{Latency, Resources};

    fn qor(lat: u64, lut: u64) -> Qor {
        Qor { latency: Latency::exact(lat), ii: None, resources: Resources { lut, ff: 10, dsp: 1, bram: 0, uram: None } }
    }

    fn outcome(group: &str, name: &str, truth: Qor, est: Result<Qor, &str>) -> Outcome {
        let result = est.map(|q| (QorReport { qor: q, ..QorReport::default() }, 0.001)).map_err(str::to_string);
        Outcome { group: group.into(), name: name.into(), truth: Some(truth), result }
    }

    fn dataset() -> Dataset {
        Dataset { name: "t", version: None, target: Target { part: "p".into(), clock_ns: 4.0 }, per_kernel: true, cases: vec![] }
    }

    #[test]
    fn failures_group_by_kind_and_rank_metrics_see_only_answers() {
        // Kernel k: estimates in the recorded order (latency and LUT); one design failed.
        let outcomes = vec![
            outcome("k", "a", qor(100, 50), Ok(qor(10, 5))),
            outcome("k", "b", qor(200, 40), Ok(qor(20, 4))),
            outcome("k", "c", qor(300, 30), Ok(qor(30, 3))),
            outcome("k", "d", qor(400, 20), Err("syntax")),
        ];
        let r = summarise(&dataset(), &outcomes);
        assert_eq!((r.total, r.handled, r.compared), (4, 3, 3));
        assert_eq!(r.failures.get("syntax"), Some(&1));
        assert_eq!(r.failure_examples["syntax"], vec!["k/d".to_string()]);
        assert_eq!(r.latency.spearman, Some(1.0));
        assert_eq!(r.lut.spearman, Some(1.0));
        assert_eq!(r.latency.pair_order_accuracy, Some(1.0));
        // Each pair trades latency for LUTs in both: the Pareto relation ("neither") agrees.
        let d = r.dominance.unwrap();
        assert_eq!((d.pairs, d.agreement, d.neither_baseline), (3, Some(1.0), Some(1.0)));
        // 90 % off everywhere.
        assert!((r.latency.mdape.unwrap() - 90.0).abs() < 1e-9);
    }

    #[test]
    fn designs_table_has_a_line_per_outcome_with_empty_cells_for_failures() {
        let outcomes = vec![outcome("k", "a\tb", qor(100, 50), Ok(qor(10, 5))), outcome("k", "c", qor(1, 1), Err("syntax"))];
        let mut out = Vec::new();
        write_designs(&mut out, &outcomes).unwrap();
        let text = String::from_utf8(out).unwrap();
        let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
        assert_eq!(rows.len(), 3);
        assert!(rows.iter().all(|r| r.len() == 14), "{rows:?}");
        assert_eq!(&rows[1][..4], ["k", "a b", "100", "10"]);
        assert_eq!(&rows[2][..4], ["k", "c", "1", ""]);
        assert_eq!(rows[2][13], "failed: syntax");
    }
}
