//! Indexing ForgeHLS: each record is its own design (all its files, plus its top function).

use super::{Entry, Indexed, RecordedError};
use crate::key::design_hash;
use crate::{QorReport, Target};
use hlsseek_datasets::forgehls::{self, CLOCK_NS, PART};

pub fn index(path: &std::path::Path) -> Result<Indexed, RecordedError> {
    let records = forgehls::load(path)?;
    Ok(records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let target = Target {
                part: r.part.clone().filter(|p| !p.is_empty()).unwrap_or_else(|| PART.into()),
                clock_ns: r.clock_ns.filter(|c| c.is_finite() && *c > 0.0).unwrap_or(CLOCK_NS),
            };
            let entry = Entry {
                dataset: "forgehls".into(),
                id: format!("{i}:{}", r.name()),
                target,
                answer: Ok(QorReport { qor: r.qor(), ..QorReport::default() }),
            };
            (Ok(design_hash(&r.files(), &r.top_function_name)), entry)
        })
        .collect())
}
