//! The per-array memories of a Vitis/Vivado HLS `csynth.rpt` (the text report beside
//! `csynth.xml`, which has no memory table). Two layouts:
//!
//! - Vivado HLS and Vitis up to 2021 ("Vivado HLS Report for 'top'"): the `* Memory:` table of
//!   the top module's utilisation detail, one row per memory instance with its BRAM_18K / FF /
//!   LUT / URAM and words × bits × banks;
//! - Vitis 2022 and later ("Synthesis Summary Report of 'top'"): the "Bind Storage Report", one
//!   row per memory instance of every module (`+ module` rows open a module), with BRAM / URAM
//!   (`-` for none), the storage type and its implementation, but no sizes.
//!
//! The columns are found by their header names, so reordered or missing ones (`URAM` before
//! 2019) are tolerated.

use hlsseek_qor::{MemoryReport, Resources, Storage};

/// A `csynth.rpt` whose memory table could not be read, with the line.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}:{line}: not a valid csynth.rpt memory table: {message}")]
pub struct RptError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

/// The memories a report lists (empty where it says `N/A` or has no memory section). Sizes are
/// 0 where the layout does not give them (Vitis 2022+); `partition` is always empty (a report
/// shows the banks it built, not the directive that split them).
pub fn memories(text: &str, source_name: &str) -> Result<Vec<MemoryReport>, RptError> {
    let lines: Vec<&str> = text.lines().collect();
    let err = |line: usize, message: String| RptError { source_name: source_name.to_string(), line: line + 1, message };
    let top = lines.iter().find_map(|l| quoted_after(l, "Vivado HLS Report for").or_else(|| quoted_after(l, "Synthesis Summary Report of")));
    let Some(top) = top else {
        return Err(err(0, "no \"Vivado HLS Report for\" or \"Synthesis Summary Report of\" heading".into()));
    };
    if let Some(at) = lines.iter().position(|l| l.trim_start().starts_with("* Memory:")) {
        return memory_table(&lines, at + 1, top).map_err(|(line, m)| err(line, m));
    }
    if let Some(at) = lines.iter().position(|l| l.trim() == "== Bind Storage Report") {
        return bind_storage(&lines, at + 1, top).map_err(|(line, m)| err(line, m));
    }
    Ok(Vec::new())
}

/// `'name'` after `marker` on a line.
fn quoted_after<'a>(line: &'a str, marker: &str) -> Option<&'a str> {
    let rest = &line[line.find(marker)? + marker.len()..];
    let start = rest.find('\'')? + 1;
    let len = rest[start..].find('\'')?;
    Some(&rest[start..start + len])
}

type Row<'a> = (usize, Vec<&'a str>);

/// The next `|`-table from `from`: its header cells and its data rows (with line indices),
/// ending at the first line that is neither a row nor a `+---` rule. `None` where the section
/// says `N/A` (or ends) before any table.
fn table<'a>(lines: &[&'a str], from: usize) -> Option<(Vec<&'a str>, Vec<Row<'a>>)> {
    let mut i = from;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.starts_with('|') {
            break;
        }
        // A rule of `=` underlines the section's own heading; another heading ends it.
        let heading = t.starts_with("==") && !t.chars().all(|c| c == '=');
        if t == "N/A" || t.starts_with("* ") || heading {
            return None;
        }
        i += 1;
    }
    let header = cells(lines.get(i)?);
    let mut rows = Vec::new();
    for (j, l) in lines.iter().enumerate().skip(i + 1) {
        let t = l.trim();
        if t.starts_with('+') {
            continue;
        }
        if !t.starts_with('|') {
            break;
        }
        rows.push((j, cells(l)));
    }
    Some((header, rows))
}

fn cells(line: &str) -> Vec<&str> {
    let t = line.trim();
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    inner.split('|').map(str::trim).collect()
}

/// Where each named column is (case-insensitive; `None` if absent).
fn column(header: &[&str], name: &str) -> Option<usize> {
    header.iter().position(|h| h.eq_ignore_ascii_case(name))
}

fn count(row: &Row, col: Option<usize>, what: &str) -> Result<Option<u64>, (usize, String)> {
    let Some(c) = col else { return Ok(None) };
    let Some(cell) = row.1.get(c) else {
        return Err((row.0, format!("row has {} cells, the header names `{what}` in column {}", row.1.len(), c + 1)));
    };
    match *cell {
        "" | "-" => Ok(None),
        s => s.parse::<u64>().map(Some).map_err(|_| (row.0, format!("`{what}` is {s:?}, not a count"))),
    }
}

/// An instance name as the array's: `buf_U` → `buf`.
fn array_name(instance: &str) -> String {
    instance.strip_suffix("_U").unwrap_or(instance).to_string()
}

fn memory_table(lines: &[&str], from: usize, top: &str) -> Result<Vec<MemoryReport>, (usize, String)> {
    let Some((header, rows)) = table(lines, from) else { return Ok(Vec::new()) };
    let name = column(&header, "Memory").ok_or((from, "the Memory table has no `Memory` column".to_string()))?;
    let [bram, ff, lut, uram, words, bits, banks] =
        ["BRAM_18K", "FF", "LUT", "URAM", "Words", "Bits", "Banks"].map(|c| column(&header, c));
    let mut out = Vec::new();
    for row in &rows {
        let instance = row.1.get(name).copied().unwrap_or("");
        if instance.is_empty() || instance == "Total" {
            continue;
        }
        let get = |col, what| count(row, col, what).map(|v| v.unwrap_or(0));
        let res = Resources {
            bram: get(bram, "BRAM_18K")?,
            ff: get(ff, "FF")?,
            lut: get(lut, "LUT")?,
            dsp: 0,
            uram: count(row, uram, "URAM")?,
        };
        let banks = get(banks, "Banks")?.max(1);
        out.push(MemoryReport {
            name: array_name(instance),
            function: top.to_string(),
            storage: storage_of(None, &res),
            words: get(words, "Words")? * banks,
            width: get(bits, "Bits")?,
            banks,
            partition: Vec::new(),
            resources: res,
        });
    }
    Ok(out)
}

fn bind_storage(lines: &[&str], from: usize, top: &str) -> Result<Vec<MemoryReport>, (usize, String)> {
    let Some((header, rows)) = table(lines, from) else { return Ok(Vec::new()) };
    let name = column(&header, "Name").ok_or((from, "the Bind Storage table has no `Name` column".to_string()))?;
    let [bram, uram, variable, kind, implementation] = ["BRAM", "URAM", "Variable", "Storage", "Impl"].map(|c| column(&header, c));
    let mut function = top.to_string();
    let mut out = Vec::new();
    for row in &rows {
        let cell = row.1.get(name).copied().unwrap_or("");
        if let Some(module) = cell.strip_prefix('+') {
            function = module.trim().to_string();
            continue;
        }
        if cell.is_empty() {
            continue;
        }
        let text = |col: Option<usize>| col.and_then(|c| row.1.get(c)).copied().unwrap_or("");
        let res = Resources { bram: count(row, bram, "BRAM")?.unwrap_or(0), uram: count(row, uram, "URAM")?, ..Resources::default() };
        let storage = if text(kind).starts_with("fifo") { Storage::Fifo } else { storage_of(Some(text(implementation)), &res) };
        let var = text(variable);
        out.push(MemoryReport {
            name: if var.is_empty() { array_name(cell) } else { var.to_string() },
            function: function.clone(),
            storage,
            words: 0,
            width: 0,
            banks: 1,
            partition: Vec::new(),
            resources: res,
        });
    }
    Ok(out)
}

/// Where a memory was built: what the implementation names, else what it costs (a memory with
/// neither BRAM nor URAM is LUTRAM).
fn storage_of(implementation: Option<&str>, res: &Resources) -> Storage {
    match implementation.map(str::to_ascii_lowercase).as_deref() {
        Some("uram") => Storage::Uram,
        Some("bram") => Storage::Bram,
        Some("lutram" | "srl") => Storage::Lutram,
        _ if res.uram.unwrap_or(0) > 0 => Storage::Uram,
        _ if res.bram > 0 => Storage::Bram,
        _ => Storage::Lutram,
    }
}
