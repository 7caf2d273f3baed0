//! Output helpers: JSON on stdout, tables for people.

use comfy_table::{presets::UTF8_BORDERS_ONLY, Table};

pub fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

/// A table with a header row, in a compact style.
pub fn table<I, S>(header: I) -> Table
where
    I: IntoIterator<Item = S>,
    S: Into<comfy_table::Cell>,
{
    let mut t = Table::new();
    t.load_preset(UTF8_BORDERS_ONLY).set_header(header);
    t
}

/// `Some(n)` as a number, `None` as the word reports use for it.
pub fn or_undef<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "undef".to_string(), |v| v.to_string())
}

/// One row per array: where it is built, its size, banks, partitioning and cost (`estimate`,
/// and `synth` where the backend reports memories). Sizes a report does not give are `?`.
pub fn memory_table(memories: &[hlsseek_qor::MemoryReport]) -> Table {
    let mut t = table(["array", "function", "storage", "words × bits", "banks", "partition", "BRAM18K", "URAM", "LUT", "FF"]);
    for m in memories {
        let size = if m.width == 0 { "?".to_string() } else { format!("{} × {}", m.words, m.width) };
        t.add_row([
            m.name.clone(),
            m.function.clone(),
            m.storage.to_string(),
            size,
            m.banks.to_string(),
            m.partition.join(", "),
            m.resources.bram.to_string(),
            m.resources.uram.unwrap_or(0).to_string(),
            m.resources.lut.to_string(),
            m.resources.ff.to_string(),
        ]);
    }
    t
}

/// A latency range as `min` or `min..max`.
pub fn range(l: &hlsseek_qor::Latency) -> String {
    match (l.min, l.max) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (a, b) => format!("{}..{}", or_undef(a), or_undef(b)),
    }
}
