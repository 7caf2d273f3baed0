//! Design spaces: placeholder knobs (`auto{__PARA__L3}`), their candidate values, and rendering
//! a point to concrete sources.

use crate::{parse_kernel, FrontError, FrontErrorKind, FrontOptions, SourceFile};
use hlsseek_ir::{DesignPoint, Kernel, Knob, KnobKind, KnobValue, Loc, Node, PragmaTarget, Region};

/// A kernel with placeholder pragma values (`auto{__PARA__L3}`).
#[derive(Clone, Debug)]
pub struct DesignSpace {
    pub files: Vec<SourceFile>,
    pub top: String,
    pub knobs: Vec<Knob>,
}

/// One placeholder occurrence: file, byte range of `auto{NAME}`, name.
struct Site {
    file: usize,
    start: usize,
    end: usize,
    name: String,
    line: u32,
    col: u32,
}

fn scan(files: &[SourceFile]) -> Vec<Site> {
    let mut out = Vec::new();
    for (fi, f) in files.iter().enumerate() {
        let t = f.text.as_str();
        let mut from = 0;
        while let Some(p) = t[from..].find("auto{") {
            let start = from + p;
            let name_start = start + 5;
            from = name_start;
            let Some(close) = t[name_start..].find('}') else { break };
            let name = &t[name_start..name_start + close];
            if !is_placeholder(name) {
                continue;
            }
            let line_start = t[..start].rfind('\n').map_or(0, |x| x + 1);
            let line = t[..start].matches('\n').count() as u32 + 1;
            out.push(Site { file: fi, start, end: name_start + close + 1, name: name.to_string(), line, col: (start - line_start) as u32 + 1 });
            from = name_start + close + 1;
        }
    }
    out
}

/// `__[A-Z]+__L[0-9_]+`
fn is_placeholder(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("__") else { return false };
    let Some(k) = rest.find("__") else { return false };
    let (word, tail) = (&rest[..k], &rest[k + 2..]);
    !word.is_empty()
        && word.bytes().all(|b| b.is_ascii_uppercase())
        && tail.strip_prefix('L').is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit() || b == b'_'))
}

fn line_of(text: &str, at: usize) -> &str {
    let s = text[..at].rfind('\n').map_or(0, |x| x + 1);
    let e = text[at..].find('\n').map_or(text.len(), |x| at + x);
    &text[s..e]
}

fn kind_of(pragma_line: &str) -> KnobKind {
    let u = pragma_line.to_ascii_uppercase();
    if u.contains("PIPELINE") {
        if u.contains("II") && u.contains("HLS") {
            KnobKind::PipelineIi
        } else {
            KnobKind::Pipeline
        }
    } else if u.contains("PARALLEL") || u.contains("UNROLL") {
        KnobKind::Parallel
    } else if u.contains("TILE") {
        KnobKind::Tile
    } else if u.contains("ARRAY_PARTITION") {
        KnobKind::PartitionFactor
    } else {
        KnobKind::Other
    }
}

/// Largest factor offered besides the trip count itself (HLSyn's spaces stop at 32).
pub const MAX_SMALL_FACTOR: u64 = 32;

/// Candidate `PARALLEL`/`UNROLL` factors for a loop of `tc` iterations: 1, the powers of two and
/// the divisors of `tc` up to [`MAX_SMALL_FACTOR`], and `tc` itself (full unrolling), ascending.
/// Unknown trip count: 1 and the powers of two up to [`MAX_SMALL_FACTOR`].
pub fn parallel_candidates(tc: Option<u64>) -> Vec<u64> {
    let mut v: Vec<u64> = vec![1];
    let cap = tc.unwrap_or(u64::MAX).min(MAX_SMALL_FACTOR + 1);
    let mut p = 2;
    while p < cap {
        v.push(p);
        p *= 2;
    }
    if let Some(tc) = tc.filter(|t| *t >= 1) {
        v.extend((2..=MAX_SMALL_FACTOR.min(tc)).filter(|d| tc % d == 0));
        v.push(tc);
    }
    v.sort_unstable();
    v.dedup();
    v
}

/// Candidate `TILE` factors: 1, 2, 4, 8 (those below `tc`) and `tc`.
pub fn tile_candidates(tc: Option<u64>) -> Vec<u64> {
    let mut v: Vec<u64> = [1u64, 2, 4, 8].into_iter().filter(|f| tc.is_none_or(|t| *f < t) || *f == 1).collect();
    if let Some(tc) = tc.filter(|t| *t >= 1) {
        v.push(tc);
    }
    v.sort_unstable();
    v.dedup();
    v
}

fn find_loop(r: &Region, id: hlsseek_ir::LoopId) -> Option<&hlsseek_ir::Loop> {
    let mut found = None;
    r.visit_loops(&mut |l| {
        if l.id == id && found.is_none() {
            found = Some(l);
        }
    });
    found
}

impl DesignSpace {
    pub fn new(files: Vec<SourceFile>, top: &str, opts: &FrontOptions) -> Result<DesignSpace, FrontError> {
        let sites = scan(&files);
        let mut knobs: Vec<Knob> = Vec::new();
        for s in &sites {
            if knobs.iter().any(|k| k.name == s.name) {
                continue;
            }
            let kind = kind_of(line_of(&files[s.file].text, s.start));
            knobs.push(Knob {
                name: s.name.clone(),
                kind,
                loc: Loc { file: s.file as u16, line: s.line, col: s.col },
                loop_id: None,
                values: Vec::new(),
            });
        }
        let mut space = DesignSpace { files, top: top.to_string(), knobs };
        // Probe: every pragma present (pipeline `off`), so each knob's pragma can be located.
        let probe: DesignPoint = space
            .knobs
            .iter()
            .map(|k| (k.name.clone(), if k.kind == KnobKind::Pipeline { KnobValue::Text("off".into()) } else { KnobValue::Int(1) }))
            .collect();
        let kernel = space.kernel(&probe, opts)?;
        for k in &mut space.knobs {
            let rec = kernel.pragmas.iter().find(|p| p.loc.file == k.loc.file && p.loc.line == k.loc.line);
            k.loop_id = rec.and_then(|r| match r.target {
                PragmaTarget::Loop(id) => Some(id),
                _ => None,
            });
            let tc = k.loop_id.and_then(|id| kernel.functions.iter().find_map(|f| find_loop(&f.body, id))).and_then(|l| l.trip.max);
            k.values = match k.kind {
                KnobKind::Pipeline => ["", "off", "flatten"].iter().map(|s| KnobValue::Text(s.to_string())).collect(),
                KnobKind::PipelineIi => [1u64, 2, 4, 8].into_iter().map(KnobValue::Int).collect(),
                KnobKind::Tile => tile_candidates(tc).into_iter().map(KnobValue::Int).collect(),
                _ => parallel_candidates(tc).into_iter().map(KnobValue::Int).collect(),
            };
        }
        Ok(space)
    }

    /// The first candidate of every knob (no pipeline pragma, factor 1).
    pub fn default_point(&self) -> DesignPoint {
        self.knobs.iter().filter_map(|k| k.values.first().map(|v| (k.name.clone(), v.clone()))).collect()
    }

    /// Concrete sources for a point (every knob must have a value). Line numbers are kept: a
    /// dropped pragma leaves an empty line.
    pub fn render(&self, point: &DesignPoint) -> Result<Vec<SourceFile>, FrontError> {
        let sites = scan(&self.files);
        let mut out = Vec::with_capacity(self.files.len());
        for (fi, f) in self.files.iter().enumerate() {
            let mut text = String::with_capacity(f.text.len());
            let mut at = 0;
            let mut drop_until: Option<usize> = None;
            for s in sites.iter().filter(|s| s.file == fi) {
                let knob = self.knobs.iter().find(|k| k.name == s.name);
                let bad = |msg: String| FrontError { file: f.name.clone(), line: s.line, col: s.col, kind: FrontErrorKind::BadInput, message: msg };
                let Some(v) = point.get(&s.name) else {
                    return Err(bad(format!("design point has no value for knob `{}`", s.name)));
                };
                let kind = knob.map_or(KnobKind::Other, |k| k.kind);
                let rendered = match (kind, v) {
                    (KnobKind::Pipeline, KnobValue::Text(t)) if t.is_empty() || t == "NA" => None,
                    (KnobKind::Pipeline, KnobValue::Text(t)) if t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => Some(t.clone()),
                    (KnobKind::Pipeline, _) => {
                        return Err(bad(format!("knob `{}` (pipeline) takes \"\", \"off\" or \"flatten\", not {v:?}", s.name)));
                    }
                    (KnobKind::Other, KnobValue::Text(t)) if t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => Some(t.clone()),
                    (_, KnobValue::Int(n)) => Some(n.to_string()),
                    (_, KnobValue::Text(t)) => match t.parse::<u64>() {
                        Ok(n) => Some(n.to_string()),
                        Err(_) => return Err(bad(format!("knob `{}` takes an integer, not {t:?}", s.name))),
                    },
                };
                if drop_until.is_some_and(|e| s.start < e) {
                    continue;
                }
                match rendered {
                    Some(r) => {
                        text.push_str(&f.text[at..s.start]);
                        text.push_str(&r);
                        at = s.end;
                    }
                    None => {
                        // Drop the pragma line, keep its newline.
                        let ls = f.text[..s.start].rfind('\n').map_or(0, |x| x + 1).max(at);
                        let le = f.text[s.start..].find('\n').map_or(f.text.len(), |x| s.start + x);
                        text.push_str(&f.text[at..ls]);
                        at = le;
                        drop_until = Some(le);
                    }
                }
            }
            text.push_str(&f.text[at..]);
            out.push(SourceFile { name: f.name.clone(), text });
        }
        Ok(out)
    }

    /// Render `point` and parse it.
    pub fn kernel(&self, point: &DesignPoint, opts: &FrontOptions) -> Result<Kernel, FrontError> {
        let files = self.render(point)?;
        parse_kernel(&files, &self.top, opts)
    }

    /// Loops governed by knobs, for reports.
    pub fn knob(&self, name: &str) -> Option<&Knob> {
        self.knobs.iter().find(|k| k.name == name)
    }
}

#[allow(dead_code)]
fn count_loops(r: &Region) -> usize {
    r.nodes.iter().filter(|n| matches!(n, Node::Loop(_))).count()
}
