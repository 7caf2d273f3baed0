//! Pulling the candidate source out of an LLM answer: `<OUTPUT_CODE name="...">` tags (as
//! HLS-eval prompts ask for) or Markdown fenced code blocks.

use regex::Regex;
use std::sync::OnceLock;

/// The extracted candidate: its source and the file name the answer gave it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub name: Option<String>,
    pub code: String,
}

/// Why nothing could be extracted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("the answer contains no <OUTPUT_CODE> block and no fenced code block")]
    NoCode,
    #[error("the only code blocks in the answer are empty")]
    Empty,
}

fn tag_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?s)<OUTPUT_CODE(?:\s+name\s*=\s*["']([^"']*)["'])?\s*>(.*?)</OUTPUT_CODE>"#)
            .expect("static regex")
    })
}

fn fence_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    // The closing fence must start a line; the info string is the language tag.
    RE.get_or_init(|| Regex::new(r"(?ms)^[ \t]*(```+|~~~+)[ \t]*([A-Za-z0-9_+#.-]*)[^\n]*\n(.*?)^[ \t]*(?:```+|~~~+)[ \t]*$").expect("static regex"))
}

fn is_source_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".cpp") || n.ends_with(".cc") || n.ends_with(".cxx") || n.ends_with(".c")
}

fn is_cpp_lang(lang: &str) -> bool {
    matches!(
        lang.to_ascii_lowercase().as_str(),
        "" | "c" | "cpp" | "c++" | "cc" | "cxx" | "hls" | "h" | "hpp"
    )
}

fn defines(code: &str, top: Option<&str>) -> bool {
    match top {
        Some(t) => Regex::new(&format!(r"\b{}\s*\(", regex::escape(t)))
            .map(|re| re.is_match(code))
            .unwrap_or(false),
        None => false,
    }
}

/// Extracts the candidate. Among several blocks it prefers a source file (not a header) that
/// mentions the top function, then the longest C/C++ block.
pub fn extract(answer: &str, top: Option<&str>) -> Result<Extracted, ExtractError> {
    let tagged: Vec<Extracted> = tag_re()
        .captures_iter(answer)
        .map(|c| Extracted {
            name: c
                .get(1)
                .map(|m| m.as_str().to_string())
                .filter(|s| !s.is_empty()),
            code: trim_block(c.get(2).map_or("", |m| m.as_str())),
        })
        .collect();
    let blocks = if !tagged.is_empty() {
        tagged
    } else {
        fence_re()
            .captures_iter(answer)
            .filter(|c| is_cpp_lang(c.get(2).map_or("", |m| m.as_str())))
            .map(|c| Extracted {
                name: None,
                code: trim_block(c.get(3).map_or("", |m| m.as_str())),
            })
            .collect()
    };
    if blocks.is_empty() {
        return Err(ExtractError::NoCode);
    }
    let score = |b: &Extracted| {
        let source = b.name.as_deref().map(is_source_name).unwrap_or(true);
        (
            !b.code.trim().is_empty(),
            source && defines(&b.code, top),
            source,
            b.code.len(),
        )
    };
    let best = blocks
        .into_iter()
        .max_by_key(|b| score(b))
        .ok_or(ExtractError::NoCode)?;
    if best.code.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    Ok(best)
}

fn trim_block(s: &str) -> String {
    let t = s.trim_matches(|c| c == '\n' || c == '\r');
    let mut out = t.to_string();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_code_tag_wins_over_fences() {
        let a = "Here:\n```cpp\nint x;\n```\n<OUTPUT_CODE name=\"vadd.cpp\">\nvoid vadd(int *a) {}\n</OUTPUT_CODE>";
        let e = extract(a, Some("vadd")).unwrap();
        assert_eq!(e.name.as_deref(), Some("vadd.cpp"));
        assert_eq!(e.code, "void vadd(int *a) {}\n");
    }

    #[test]
    fn prefers_block_defining_top_and_skips_headers() {
        let a = "<OUTPUT_CODE name=\"k.h\">void top(int a);\nvoid top2(int a);\n</OUTPUT_CODE>\n<OUTPUT_CODE name=\"k.cpp\">void top(int a) {}</OUTPUT_CODE>";
        assert_eq!(
            extract(a, Some("top")).unwrap().name.as_deref(),
            Some("k.cpp")
        );
    }

    #[test]
    fn fenced_block_with_language_tag() {
        let a = "text\n```python\nprint(1)\n```\n```c++\n#include \"a.h\"\nvoid f() { }\n```\nbye";
        let e = extract(a, Some("f")).unwrap();
        assert_eq!(e.code, "#include \"a.h\"\nvoid f() { }\n");
        assert_eq!(e.name, None);
    }

    #[test]
    fn inline_triple_backticks_do_not_close_a_block() {
        let a = "```cpp\nconst char* s = \"```\";\nvoid f() {}\n```\n";
        let e = extract(a, Some("f")).unwrap();
        assert!(e.code.contains("void f() {}"), "{:?}", e.code);
    }

    #[test]
    fn no_code_is_an_error() {
        assert_eq!(
            extract("I cannot do that.", Some("f")),
            Err(ExtractError::NoCode)
        );
        assert_eq!(extract("```cpp\n\n```", None), Err(ExtractError::Empty));
    }
}
