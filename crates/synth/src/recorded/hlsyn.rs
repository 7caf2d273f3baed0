//! Indexing HLSyn: each recorded point is rendered from its kernel's design space and hashed,
//! so a candidate rendered the same way finds it.

use super::{Entry, Indexed, RecordedError};
use crate::key::design_hash;
use crate::{FailureKind, QorReport, SynthFailure, Target};
use hlsseek_datasets::hlsyn::{Hlsyn, HlsynKernel, HlsynRecord, CLOCK_NS, PART};
use hlsseek_front::{DesignSpace, FrontOptions, SourceFile};
use hlsseek_ir::{Knob, KnobKind, Loc};
use rayon::prelude::*;

/// Every record of every kernel of `version`, with its design hash (or why it has none).
pub fn index(root: &std::path::Path, version: &str) -> Result<Indexed, RecordedError> {
    let ds = Hlsyn::open(root)?;
    let kernels = ds.kernels(version)?;
    let label = format!("hlsyn-{version}");
    Ok(kernels.par_iter().flat_map_iter(|k| index_kernel(k, &label)).collect())
}

fn index_kernel(kernel: &HlsynKernel, label: &str) -> Indexed {
    let entry = |r: &HlsynRecord| Entry {
        dataset: label.to_string(),
        id: format!("{}/{}", kernel.name, r.key),
        target: Target { part: PART.into(), clock_ns: CLOCK_NS },
        answer: answer(r, label),
    };
    let Some(top) = kernel.top() else {
        let why = format!("no `#pragma ACCEL kernel` function in {}", kernel.source.name);
        return kernel.records.iter().map(|r| (Err(why.clone()), entry(r))).collect();
    };
    let space = design_space(&kernel.source, &top);
    kernel
        .records
        .par_iter()
        .map(|r| {
            let hash = match space.render(&r.point) {
                Ok(files) => Ok(design_hash(&files, &top)),
                Err(e) => Err(format!("cannot render: {e}")),
            };
            (hash, entry(r))
        })
        .collect()
}

/// The kernel's design space as the front-end builds it; where the front-end cannot parse the
/// kernel, one whose knobs are read from the pragma lines alone. Rendering is textual and only
/// needs each knob's kind, so both render a point to the same text.
pub fn design_space(source: &SourceFile, top: &str) -> DesignSpace {
    let parsed = std::panic::catch_unwind(|| DesignSpace::new(vec![source.clone()], top, &FrontOptions::default()));
    match parsed {
        Ok(Ok(space)) => space,
        _ => DesignSpace { files: vec![source.clone()], top: top.to_string(), knobs: textual_knobs(&source.text) },
    }
}

/// Knobs of `auto{__NAME__}` placeholders, their kind from the Merlin pragma they sit in.
fn textual_knobs(text: &str) -> Vec<Knob> {
    let mut knobs: Vec<Knob> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("auto{") {
            let after = &rest[at + 5..];
            let Some(end) = after.find('}') else { break };
            let name = &after[..end];
            rest = &after[end..];
            if knobs.iter().any(|k| k.name == name) {
                continue;
            }
            let upper = line.to_ascii_uppercase();
            let kind = if upper.contains("PIPELINE") {
                KnobKind::Pipeline
            } else if upper.contains("PARALLEL") {
                KnobKind::Parallel
            } else if upper.contains("TILE") {
                KnobKind::Tile
            } else {
                KnobKind::Other
            };
            knobs.push(Knob {
                name: name.to_string(),
                kind,
                loc: Loc { file: 0, line: n as u32 + 1, col: 0 },
                loop_id: None,
                values: Vec::new(),
            });
        }
    }
    knobs
}

/// What HLSyn says about one point, in the backend's terms. Numbers are passed on exactly.
pub fn answer(r: &HlsynRecord, label: &str) -> Result<QorReport, SynthFailure> {
    let Some(qor) = r.qor() else {
        let why = if r.valid { "recorded with missing numbers" } else { "recorded as a failed run" };
        return Err(SynthFailure::new(
            FailureKind::ToolError,
            format!("{label} {why} (perf {}, valid {})", r.perf, r.valid),
        ));
    };
    let over: Vec<String> = ["LUT", "FF", "DSP", "BRAM"]
        .iter()
        .filter_map(|k| {
            let u = r.res_util.get(&format!("util-{k}")).copied().unwrap_or(0.0);
            (u > 1.0).then(|| format!("{k} {:.0}%", u * 100.0))
        })
        .collect();
    if !over.is_empty() {
        return Err(SynthFailure {
            kind: FailureKind::ResourceOverflow,
            message: format!("{label} records a design over the part's capacity: {}", over.join(", ")),
            qor: Some(Box::new(qor)),
        });
    }
    let notes = if r.valid {
        Vec::new()
    } else {
        vec![format!("{label} marks this point invalid (the run failed or over-used resources)")]
    };
    Ok(QorReport { qor, loops: Vec::new(), notes })
}
