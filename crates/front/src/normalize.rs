//! Layout- and comment-insensitive form of a source text, for content hashing.

use crate::pp::lex::{lex_line, logical_lines};

/// Source with comments removed and whitespace collapsed between tokens, so that two texts that
/// differ only in layout and comments normalise to the same string.
///
/// Code tokens are joined by single spaces (so `a+b` and `a + b` agree); each preprocessor line
/// stays on its own line with its whitespace runs collapsed (there spacing can matter, as in
/// `#define F(x)` versus `#define F (x)`).
pub fn normalize_source(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut raw = Vec::new();
    let mut at_line_start = true;
    for ll in logical_lines(text) {
        let t = ll.text.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(directive) = t.strip_prefix('#') {
            if !at_line_start {
                out.push('\n');
            }
            out.push('#');
            let mut first = true;
            for w in directive.split_whitespace() {
                if !first {
                    out.push(' ');
                }
                out.push_str(w);
                first = false;
            }
            out.push('\n');
            at_line_start = true;
            continue;
        }
        raw.clear();
        lex_line(t, &mut raw);
        for r in &raw {
            if !at_line_start {
                out.push(' ');
            }
            out.push_str(&t[r.start..r.end]);
            at_line_start = false;
        }
    }
    while out.ends_with('\n') || out.ends_with(' ') {
        out.pop();
    }
    out
}
