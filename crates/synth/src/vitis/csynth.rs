//! Parser for Vivado/Vitis HLS `csynth.xml` reports (2018.3 to 2024.x): top-level latency,
//! interval, timing, target, per-loop latency and II, and resources.
//!
//! Tolerates what real reports differ in: `DSP48E` vs `DSP`, absent `URAM`, `undef` anywhere a
//! number can be, ranges written as `<range><min/><max/></range>` or `a ~ b`, and indented or
//! flat layout.

use hlsseek_qor::{Latency, LoopReport, Qor, Resources};
use roxmltree::{Document, Node};
use serde::{Deserialize, Serialize};

/// Everything read from one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsynthReport {
    /// `ReportVersion/Version`, e.g. `2023.2` or `2019.1.3`.
    pub tool_version: String,
    pub part: String,
    pub top: String,
    pub target_clock_ns: Option<f64>,
    pub clock_uncertainty_ns: Option<f64>,
    pub estimated_clock_ns: Option<f64>,
    /// `none`, `no`, `dataflow`, ... as written.
    pub pipeline_type: Option<String>,
    pub latency_best: Option<u64>,
    pub latency_average: Option<u64>,
    pub latency_worst: Option<u64>,
    pub interval: Latency,
    pub loops: Vec<LoopReport>,
    pub resources: Resources,
    /// The tag the DSP count came from (`DSP48E` or `DSP`).
    pub dsp_tag: String,
    /// The part's capacity, where the report gives it.
    pub available: Option<Resources>,
}

impl CsynthReport {
    /// The report as QoR. II is the worst-case interval, matching `Latency::value`'s worst-case
    /// convention.
    pub fn qor(&self) -> Qor {
        Qor {
            latency: Latency { min: self.latency_best, max: self.latency_worst },
            ii: self.interval.max.or(self.interval.min),
            resources: self.resources,
        }
    }

    /// Names of the resources that exceed the part's capacity.
    pub fn overflows(&self) -> Vec<&'static str> {
        let Some(a) = self.available else { return Vec::new() };
        let r = self.resources;
        let mut over = Vec::new();
        let pairs = [("LUT", r.lut, a.lut), ("FF", r.ff, a.ff), ("DSP", r.dsp, a.dsp), ("BRAM_18K", r.bram, a.bram)];
        for (name, used, avail) in pairs {
            if avail > 0 && used > avail {
                over.push(name);
            }
        }
        if let (Some(u), Some(av)) = (r.uram, a.uram) {
            if av > 0 && u > av {
                over.push("URAM");
            }
        }
        over
    }
}

/// A report that could not be read, with where in the file.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}:{line}:{col}: not a valid csynth.xml report: {message}")]
pub struct CsynthError {
    pub source_name: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// Parse a report. `source_name` (usually the path) is used in error messages only.
pub fn parse(xml: &str, source_name: &str) -> Result<CsynthReport, CsynthError> {
    let doc = Document::parse(xml).map_err(|e| {
        let pos = e.pos();
        CsynthError { source_name: source_name.to_string(), line: pos.row, col: pos.col, message: e.to_string() }
    })?;
    Parser { doc: &doc, name: source_name }.report()
}

pub fn parse_file(path: &std::path::Path) -> Result<CsynthReport, CsynthError> {
    let name = path.display().to_string();
    let text = std::fs::read(path).map_err(|e| CsynthError { source_name: name.clone(), line: 0, col: 0, message: e.to_string() })?;
    // Reports are ASCII in practice; a stray byte in a path element must not reject the report.
    parse(&String::from_utf8_lossy(&text), &name)
}

/// Text of a number field: a count, `undef`, or a range; `-` means "not applicable".
#[derive(Clone, Copy, Debug, PartialEq)]
enum Count {
    Undef,
    Range(u64, u64),
}

struct Parser<'a, 'd> {
    doc: &'a Document<'d>,
    name: &'a str,
}

impl<'a, 'd> Parser<'a, 'd> {
    fn err(&self, node: Node, message: impl Into<String>) -> CsynthError {
        let pos = self.doc.text_pos_at(node.range().start);
        CsynthError { source_name: self.name.to_string(), line: pos.row, col: pos.col, message: message.into() }
    }

    fn report(&self) -> Result<CsynthReport, CsynthError> {
        let root = self.doc.root_element();
        if root.tag_name().name() != "profile" {
            return Err(self.err(root, format!("root element is <{}>, expected <profile>", root.tag_name().name())));
        }
        let version = child(root, "ReportVersion").and_then(|v| child(v, "Version")).map(text).unwrap_or_default();
        let user = child(root, "UserAssignments");
        let user_text = |tag| user.and_then(|u| child(u, tag)).map(text).unwrap_or_default();
        let user_f64 = |tag| user.and_then(|u| child(u, tag)).map(|n| self.float(n)).transpose();
        let perf = self.required(root, "PerformanceEstimates")?;
        let overall = self.required(perf, "SummaryOfOverallLatency")?;
        let latency_best = self.opt_count(overall, "Best-caseLatency")?.and_then(lower);
        let latency_average = self.opt_count(overall, "Average-caseLatency")?.and_then(upper);
        let latency_worst = self.opt_count(overall, "Worst-caseLatency")?.and_then(upper);
        let interval = Latency {
            min: self.opt_count(overall, "Interval-min")?.and_then(lower),
            max: self.opt_count(overall, "Interval-max")?.and_then(upper),
        };
        let estimated_clock_ns = match child(perf, "SummaryOfTimingAnalysis").and_then(|t| child(t, "EstimatedClockPeriod")) {
            Some(n) => self.float(n)?,
            None => None,
        };
        let top = user_text("TopModelName");
        let mut loops = Vec::new();
        if let Some(summary) = child(perf, "SummaryOfLoopLatency") {
            self.loops(summary, &mut vec![top.clone()], &mut loops)?;
        }
        let area = self.required(root, "AreaEstimates")?;
        let res_node = self.required(area, "Resources")?;
        let (resources, dsp_tag) = self.resources(res_node, true)?;
        let available = match child(area, "AvailableResources") {
            Some(n) => Some(self.resources(n, false)?.0),
            None => None,
        };
        Ok(CsynthReport {
            tool_version: version,
            part: user_text("Part"),
            top,
            target_clock_ns: user_f64("TargetClockPeriod")?.flatten(),
            clock_uncertainty_ns: user_f64("ClockUncertainty")?.flatten(),
            estimated_clock_ns,
            pipeline_type: child(perf, "PipelineType").map(text).filter(|s| !s.is_empty()),
            latency_best,
            latency_average,
            latency_worst,
            interval,
            loops,
            resources,
            dsp_tag,
            available,
        })
    }

    fn required<'n>(&self, parent: Node<'n, 'd>, tag: &str) -> Result<Node<'n, 'd>, CsynthError> {
        child(parent, tag).ok_or_else(|| self.err(parent, format!("<{}> has no <{tag}>", parent.tag_name().name())))
    }

    fn resources(&self, node: Node, required: bool) -> Result<(Resources, String), CsynthError> {
        let count = |tag: &str| -> Result<Option<u64>, CsynthError> {
            match child(node, tag) {
                Some(n) => match self.count(n)? {
                    Some(Count::Range(a, _)) => Ok(Some(a)),
                    Some(Count::Undef) | None => Ok(None),
                },
                None => Ok(None),
            }
        };
        let need = |tag: &str, v: Option<u64>| -> Result<u64, CsynthError> {
            match v {
                Some(v) => Ok(v),
                None if !required => Ok(0),
                None => Err(self.err(node, format!("<Resources> has no number in <{tag}>"))),
            }
        };
        let (dsp, dsp_tag) = match (count("DSP")?, count("DSP48E")?) {
            (Some(v), _) => (Some(v), "DSP"),
            (None, Some(v)) => (Some(v), "DSP48E"),
            (None, None) => (None, "DSP"),
        };
        Ok((
            Resources {
                lut: need("LUT", count("LUT")?)?,
                ff: need("FF", count("FF")?)?,
                dsp: need("DSP", dsp)?,
                bram: need("BRAM_18K", count("BRAM_18K")?)?,
                uram: count("URAM")?,
            },
            dsp_tag.to_string(),
        ))
    }

    /// Loop elements are the children that carry a `TripCount` or `Latency`; the rest are
    /// fields (`Slack`, `InstanceList`, ...).
    fn loops(&self, parent: Node, path: &mut Vec<String>, out: &mut Vec<LoopReport>) -> Result<(), CsynthError> {
        for node in parent.children().filter(|n| n.is_element() && is_loop(*n)) {
            let name = child(node, "Name").map(text).filter(|s| !s.is_empty()).unwrap_or_else(|| node.tag_name().name().to_string());
            let field = |tag| self.opt_count(node, tag);
            let trip = field("TripCount")?;
            let latency = field("Latency")?;
            let ii_node = child(node, "PipelineII");
            let ii = field("PipelineII")?.and_then(upper);
            let depth = field("PipelineDepth")?.and_then(upper);
            let pipelined = ii_node.is_some_and(|n| !matches!(text(n).as_str(), "" | "-" | "no"));
            out.push(LoopReport {
                name: name.clone(),
                path: path.clone(),
                trip_count: range(trip),
                latency: range(latency),
                iteration_latency: if pipelined { depth } else { field("IterationLatency")?.and_then(upper).or(depth) },
                ii,
                pipelined,
                unroll: 1,
                flattened: false,
            });
            path.push(name);
            self.loops(node, path, out)?;
            path.pop();
        }
        Ok(())
    }

    fn opt_count(&self, parent: Node, tag: &str) -> Result<Option<Count>, CsynthError> {
        match child(parent, tag) {
            Some(n) => self.count(n),
            None => Ok(None),
        }
    }

    /// `None` for an empty or `-` field.
    fn count(&self, node: Node) -> Result<Option<Count>, CsynthError> {
        if let Some(r) = child(node, "range") {
            let end = |tag| -> Result<Option<u64>, CsynthError> {
                match child(r, tag) {
                    Some(n) => match self.count(n)? {
                        Some(Count::Range(a, _)) => Ok(Some(a)),
                        _ => Ok(None),
                    },
                    None => Ok(None),
                }
            };
            return Ok(match (end("min")?, end("max")?) {
                (Some(a), Some(b)) => Some(Count::Range(a.min(b), a.max(b))),
                (Some(a), None) | (None, Some(a)) => Some(Count::Range(a, a)),
                (None, None) => Some(Count::Undef),
            });
        }
        let t = text(node);
        let int = |s: &str| -> Result<u64, CsynthError> {
            let s = s.trim();
            s.parse::<u64>()
                .or_else(|_| s.parse::<f64>().ok().filter(|v| v.is_finite() && *v >= 0.0).map(|v| v.round() as u64).ok_or(()))
                .map_err(|_| self.err(node, format!("<{}> holds `{s}`, not a cycle count", node.tag_name().name())))
        };
        Ok(match t.as_str() {
            "" | "-" => None,
            "undef" | "?" => Some(Count::Undef),
            _ => match t.split_once('~') {
                Some((a, b)) => {
                    let (a, b) = (int(a)?, int(b)?);
                    Some(Count::Range(a.min(b), a.max(b)))
                }
                None => {
                    let v = int(&t)?;
                    Some(Count::Range(v, v))
                }
            },
        })
    }

    fn float(&self, node: Node) -> Result<Option<f64>, CsynthError> {
        let t = text(node);
        if matches!(t.as_str(), "" | "-" | "undef") {
            return Ok(None);
        }
        t.parse::<f64>()
            .map(Some)
            .map_err(|_| self.err(node, format!("<{}> holds `{t}`, not a number", node.tag_name().name())))
    }
}

fn child<'a, 'd>(node: Node<'a, 'd>, tag: &str) -> Option<Node<'a, 'd>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == tag)
}

fn text(node: Node) -> String {
    node.text().unwrap_or("").trim().to_string()
}

fn is_loop(node: Node) -> bool {
    child(node, "TripCount").is_some() || child(node, "Latency").is_some()
}

fn lower(c: Count) -> Option<u64> {
    match c {
        Count::Range(a, _) => Some(a),
        Count::Undef => None,
    }
}

fn upper(c: Count) -> Option<u64> {
    match c {
        Count::Range(_, b) => Some(b),
        Count::Undef => None,
    }
}

fn range(c: Option<Count>) -> Latency {
    match c {
        Some(Count::Range(a, b)) => Latency { min: Some(a), max: Some(b) },
        _ => Latency::default(),
    }
}
