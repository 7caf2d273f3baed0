//! Knobs from the pragmas of a plain kernel: a design with concrete pragma values (no
//! `auto{...}` placeholders) is turned into a design-space template by rewriting the value of
//! each tunable pragma into a placeholder, so [`hlsseek_front::DesignSpace`] can take over
//! (candidate values, rendering) exactly as for a hand-written template.
//!
//! Rewritten, one knob per pragma (the value as written becomes the design's own point):
//!
//! | pragma | knob | placeholder |
//! |---|---|---|
//! | `#pragma HLS PIPELINE [II=n]` | initiation interval (1, 2, 4, 8); no `II` means 1 | `II=auto{__II__Lk}` |
//! | `#pragma HLS UNROLL [factor=n]` | unroll factor; no factor means full unrolling | `factor=auto{__PARA__Lk}` |
//! | `#pragma HLS ARRAY_PARTITION ... factor=n` | partition factor (`complete` is left alone) | `factor=auto{__PART__Lk}` |
//! | `#pragma ACCEL PARALLEL [FACTOR=n]` | parallel factor | `FACTOR=auto{__PARA__Lk}` |
//! | `#pragma ACCEL TILE FACTOR=n` | tile factor | `FACTOR=auto{__TILE__Lk}` |
//! | `#pragma ACCEL PIPELINE [off\|flatten]` | `""` (none), `off`, `flatten` | `PIPELINE auto{__PIPE__Lk}` |
//!
//! Pragmas switched off (`PIPELINE off` in Vitis, `UNROLL off=true`) are left as written: the
//! author said no. A factor written as a macro (`factor=UF`) is resolved through a plain
//! `#define UF 4` in the same files; where it cannot be, the knob still exists but the design's
//! own point is incomplete (and so not added to the candidates). This lives here rather than in
//! the front-end because it is a search decision (which pragmas are worth tuning), not parsing.

use hlsseek_front::SourceFile;
use hlsseek_ir::{DesignPoint, KnobValue};
use std::collections::HashMap;

/// A plain design rewritten as a template.
#[derive(Clone, Debug)]
pub struct Templated {
    /// The sources with placeholders.
    pub files: Vec<SourceFile>,
    /// The value each knob had as written, where it could be read (a full `UNROLL` is
    /// `Full` until the trip count is known: see [`Original::resolve`]).
    pub original: Original,
    /// How many pragmas became knobs.
    pub knobs: usize,
}

/// The design's own point: knob → value as written.
#[derive(Clone, Debug, Default)]
pub struct Original {
    pub values: Vec<(String, OriginalValue)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum OriginalValue {
    Value(KnobValue),
    /// `UNROLL` without a factor: the largest candidate (the trip count).
    Full,
    /// A macro or expression that could not be resolved.
    Unknown,
}

impl Original {
    /// The design's own point in `space`, if every knob's value is known and is a candidate.
    pub fn resolve(&self, space: &hlsseek_front::DesignSpace) -> Option<DesignPoint> {
        let mut p = DesignPoint::new();
        for (name, v) in &self.values {
            let knob = space.knob(name)?;
            let value = match v {
                OriginalValue::Value(v) => v.clone(),
                OriginalValue::Full => knob.values.last()?.clone(),
                OriginalValue::Unknown => return None,
            };
            if !knob.values.contains(&value) {
                return None;
            }
            p.insert(name.clone(), value);
        }
        (p.len() == space.knobs.len()).then_some(p)
    }
}

/// Whether the sources already are a template (hold an `auto{...}` placeholder).
pub fn has_placeholders(files: &[SourceFile]) -> bool {
    files.iter().any(|f| f.text.contains("auto{__"))
}

/// Rewrite every tunable pragma of `files` into a placeholder (see the module table).
pub fn templatize(files: &[SourceFile]) -> Templated {
    let defines = collect_defines(files);
    let mut next = 0usize;
    let mut original = Original::default();
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let mut text = String::with_capacity(f.text.len() + 64);
        for line in f.text.split_inclusive('\n') {
            let (body, eol) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            match rewrite(body, next, &defines) {
                Some((new, name, value)) => {
                    next += 1;
                    original.values.push((name, value));
                    text.push_str(&new);
                }
                None => text.push_str(body),
            }
            text.push_str(eol);
        }
        out.push(SourceFile { name: f.name.clone(), text });
    }
    Templated { files: out, original, knobs: next }
}

/// `#define NAME <integer>` lines (object-like macros with a plain integer only).
fn collect_defines(files: &[SourceFile]) -> HashMap<String, u64> {
    let mut m = HashMap::new();
    for f in files {
        for line in f.text.lines() {
            let t = line.trim_start();
            let Some(rest) = t.strip_prefix('#') else { continue };
            let mut w = rest.trim_start().strip_prefix("define").map(|r| r.split_whitespace());
            if let Some(words) = w.as_mut() {
                if let (Some(name), Some(value), None) = (words.next(), words.next(), words.next()) {
                    if let Ok(v) = value.parse::<u64>() {
                        m.insert(name.to_string(), v);
                    }
                }
            }
        }
    }
    m
}

fn value_of(token: &str, defines: &HashMap<String, u64>) -> OriginalValue {
    match token.parse::<u64>() {
        Ok(v) => OriginalValue::Value(KnobValue::Int(v)),
        Err(_) => defines.get(token).map_or(OriginalValue::Unknown, |v| OriginalValue::Value(KnobValue::Int(*v))),
    }
}

/// Where `key=value` (case-insensitive key, optional spaces around `=`) sits in `line`: the
/// byte range of the value.
fn find_option(line: &str, key: &str) -> Option<(usize, usize)> {
    let upper = line.to_ascii_uppercase();
    let key = key.to_ascii_uppercase();
    let mut from = 0;
    while let Some(p) = upper[from..].find(&key) {
        let start = from + p;
        from = start + key.len();
        let before_ok = start == 0 || !is_word(upper.as_bytes()[start - 1]);
        let rest = &line[from..];
        let trimmed = rest.trim_start();
        if !before_ok || !trimmed.starts_with('=') {
            continue;
        }
        let after_eq = &trimmed[1..];
        let value = after_eq.trim_start();
        let vstart = line.len() - value.len();
        let vlen = value.bytes().take_while(|b| is_word(*b)).count();
        if vlen == 0 {
            return None;
        }
        return Some((vstart, vstart + vlen));
    }
    None
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Rewrite one line if it is a tunable pragma: the new line, the knob's name, its value.
fn rewrite(line: &str, index: usize, defines: &HashMap<String, u64>) -> Option<(String, String, OriginalValue)> {
    let t = line.trim_start();
    let rest = t.strip_prefix('#')?.trim_start().strip_prefix("pragma")?;
    let words: Vec<String> = rest.split_whitespace().map(|w| w.to_ascii_uppercase()).collect();
    let (tool, directive) = (words.first()?.as_str(), words.get(1)?.as_str());
    let has_word = |w: &str| words.iter().skip(2).any(|x| x == w || x.starts_with(&format!("{w}=")));
    let replace = |range: (usize, usize), placeholder: &str| format!("{}{placeholder}{}", &line[..range.0], &line[range.1..]);
    let append = |text: &str| format!("{} {text}", line.trim_end());
    match (tool, directive) {
        ("HLS", "PIPELINE") => {
            if has_word("OFF") {
                return None;
            }
            let name = format!("__II__L{index}");
            let ph = format!("auto{{{name}}}");
            Some(match find_option(line, "II") {
                Some(r) => (replace(r, &ph), name, value_of(&line[r.0..r.1], defines)),
                None => (append(&format!("II={ph}")), name, OriginalValue::Value(KnobValue::Int(1))),
            })
        }
        ("HLS", "UNROLL") => {
            if has_word("OFF") {
                return None;
            }
            let name = format!("__PARA__L{index}");
            let ph = format!("auto{{{name}}}");
            Some(match find_option(line, "factor") {
                Some(r) => (replace(r, &ph), name, value_of(&line[r.0..r.1], defines)),
                None => (append(&format!("factor={ph}")), name, OriginalValue::Full),
            })
        }
        ("HLS", "ARRAY_PARTITION") => {
            let r = find_option(line, "factor")?;
            let name = format!("__PART__L{index}");
            Some((replace(r, &format!("auto{{{name}}}")), name.clone(), value_of(&line[r.0..r.1], defines)))
        }
        ("ACCEL", "PARALLEL") | ("ACCEL", "TILE") => {
            let prefix = if directive == "TILE" { "TILE" } else { "PARA" };
            let name = format!("__{prefix}__L{index}");
            let ph = format!("auto{{{name}}}");
            match find_option(line, "FACTOR") {
                Some(r) => Some((replace(r, &ph), name, value_of(&line[r.0..r.1], defines))),
                // Merlin's PARALLEL without a factor unrolls fully; a TILE without one is not a
                // pragma we know how to vary.
                None if directive == "PARALLEL" => Some((append(&format!("FACTOR={ph}")), name, OriginalValue::Full)),
                None => None,
            }
        }
        ("ACCEL", "PIPELINE") => {
            let name = format!("__PIPE__L{index}");
            let ph = format!("auto{{{name}}}");
            // The mode word right after PIPELINE, if any (`flatten`, `off`).
            let head = line.to_ascii_uppercase().find("PIPELINE")? + "PIPELINE".len();
            let after = &line[head..];
            let word_start = head + (after.len() - after.trim_start().len());
            let wlen = line[word_start..].bytes().take_while(|b| is_word(*b)).count();
            if wlen > 0 {
                let mode = line[word_start..word_start + wlen].to_ascii_lowercase();
                let value = if mode == "off" || mode == "flatten" { OriginalValue::Value(KnobValue::Text(mode)) } else { OriginalValue::Unknown };
                Some((replace((word_start, word_start + wlen), &ph), name, value))
            } else {
                // A bare PIPELINE (Merlin's automatic mode) is not one of the knob's values.
                Some((append(&ph), name, OriginalValue::Unknown))
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Vec<SourceFile> {
        vec![SourceFile { name: "k.cpp".into(), text: text.into() }]
    }

    #[test]
    fn vitis_pragmas_become_placeholders() {
        let t = templatize(&src(
            "#define UF 4\n#pragma HLS ARRAY_PARTITION variable=a type=cyclic factor=UF dim=2\n  #pragma HLS PIPELINE II=2\n#pragma HLS UNROLL\n#pragma HLS PIPELINE off\n#pragma HLS ARRAY_PARTITION variable=b complete\n",
        ));
        assert_eq!(
            t.files[0].text,
            "#define UF 4\n#pragma HLS ARRAY_PARTITION variable=a type=cyclic factor=auto{__PART__L0} dim=2\n  #pragma HLS PIPELINE II=auto{__II__L1}\n#pragma HLS UNROLL factor=auto{__PARA__L2}\n#pragma HLS PIPELINE off\n#pragma HLS ARRAY_PARTITION variable=b complete\n"
        );
        assert_eq!(t.knobs, 3);
        assert_eq!(t.original.values[0].1, OriginalValue::Value(KnobValue::Int(4)));
        assert_eq!(t.original.values[1].1, OriginalValue::Value(KnobValue::Int(2)));
        assert_eq!(t.original.values[2].1, OriginalValue::Full);
    }

    #[test]
    fn merlin_pragmas_become_placeholders() {
        let t = templatize(&src(
            "#pragma ACCEL PIPELINE flatten\n#pragma ACCEL TILE FACTOR=4\n#pragma ACCEL PARALLEL reduction=acc FACTOR = 8\n#pragma ACCEL kernel\n",
        ));
        assert_eq!(
            t.files[0].text,
            "#pragma ACCEL PIPELINE auto{__PIPE__L0}\n#pragma ACCEL TILE FACTOR=auto{__TILE__L1}\n#pragma ACCEL PARALLEL reduction=acc FACTOR = auto{__PARA__L2}\n#pragma ACCEL kernel\n"
        );
        assert_eq!(t.original.values[0].1, OriginalValue::Value(KnobValue::Text("flatten".into())));
        assert_eq!(t.original.values[2].1, OriginalValue::Value(KnobValue::Int(8)));
    }

    #[test]
    fn other_lines_are_untouched() {
        let text = "int main() { return 0; }\n// #pragma HLS UNROLL factor=2 is a comment here\n";
        let t = templatize(&src(text));
        assert_eq!(t.files[0].text, text);
        assert_eq!(t.knobs, 0);
        assert!(!has_placeholders(&t.files));
    }
}
