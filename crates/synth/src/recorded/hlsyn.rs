//! Indexing HLSyn: each recorded point is rendered from its kernel's design space and hashed,
//! so a candidate rendered the same way finds it.

use super::{Entry, Indexed, RecordedError};
use crate::key::design_hash;
use crate::{FailureKind, QorReport, SynthFailure, Target};
use hlsseek_datasets::hlsyn::{Hlsyn, HlsynKernel, HlsynRecord, CLOCK_NS, PART};
use hlsseek_front::{DesignSpace, FrontOptions};
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
    let space = match DesignSpace::new(vec![kernel.source.clone()], &top, &FrontOptions::default()) {
        Ok(space) => space,
        Err(e) => {
            let why = format!("cannot build the design space of {}: {e}", kernel.source.name);
            return kernel.records.iter().map(|r| (Err(why.clone()), entry(r))).collect();
        }
    };
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

/// What HLSyn says about one point, in the backend's terms. Numbers are passed on exactly.
pub fn answer(r: &HlsynRecord, label: &str) -> Result<QorReport, SynthFailure> {
    let Some(qor) = r.qor() else {
        let why = if r.valid { "recorded with missing numbers" } else { "recorded as a failed run" };
        let unrecorded = if r.unrecorded.is_empty() { String::new() } else { format!(", unrecorded: {}", r.unrecorded.join(", ")) };
        return Err(SynthFailure::new(
            FailureKind::ToolError,
            format!("{label} {why} (perf {}, valid {}{unrecorded})", r.perf, r.valid),
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
    Ok(QorReport { qor, notes, ..QorReport::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A count the files left unrecorded makes the answer a failure that names it, never a
    /// design with zero DSPs; the same record with a measured `0.0` answers with its numbers.
    #[test]
    fn an_unrecorded_count_is_a_failure_that_names_it() {
        let record = |dsp: &str| -> HlsynRecord {
            serde_json::from_str(&format!(
                r#"{{"point":{{}},"perf":684319.0,"valid":true,
                    "res_util":{{"total-LUT":22094.0,"total-FF":27060.0,"total-DSP":{dsp},"total-BRAM":234.0}}}}"#
            ))
            .unwrap()
        };
        let failure = answer(&record("0"), "hlsyn-v20").unwrap_err();
        assert_eq!(failure.kind, FailureKind::ToolError);
        assert!(failure.message.contains("missing numbers") && failure.message.contains("unrecorded: total-DSP"), "{}", failure.message);
        let report = answer(&record("0.0"), "hlsyn-v20").unwrap();
        assert_eq!((report.qor.resources.dsp, report.qor.resources.bram), (0, 234));
    }
}
