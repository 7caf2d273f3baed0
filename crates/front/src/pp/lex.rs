//! Preprocessing-token lexer: splits one logical line into C/C++ tokens with their columns.
//! Shared by the preprocessor and by `normalize_source`.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokKind {
    Ident,
    Number,
    Str,
    Char,
    Punct,
    Other,
}

/// A token as it appears in one line: kind, byte range and column (0-based).
#[derive(Clone, Copy, Debug)]
pub struct RawTok {
    pub kind: TokKind,
    pub start: usize,
    pub end: usize,
}

const PUNCT3: [&str; 5] = ["<<=", ">>=", "...", "->*", "<=>"];
const PUNCT2: [&str; 22] = [
    "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=", "*=", "/=", "%=",
    "&=", "|=", "^=", "##", "::", ".*",
];

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// Lex `line` (no comments, no newlines) into tokens. Never fails: stray bytes become `Other`.
pub fn lex_line(line: &str, out: &mut Vec<RawTok>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let kind;
        if is_ident_start(c) {
            // String prefixes (L"", u8"", R"") lex as a string.
            while i < b.len() && is_ident_cont(b[i]) {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') && matches!(&line[start..i], "L" | "u" | "U" | "u8")
            {
                let q = b[i];
                i = skip_quoted(b, i, q);
                kind = if q == b'"' { TokKind::Str } else { TokKind::Char };
            } else {
                kind = TokKind::Ident;
            }
        } else if c.is_ascii_digit() || (c == b'.' && i + 1 < b.len() && b[i + 1].is_ascii_digit()) {
            // pp-number: digits, letters, dots, exponent signs, digit separators.
            i += 1;
            while i < b.len() {
                let d = b[i];
                let sign = (d == b'+' || d == b'-') && matches!(b[i - 1], b'e' | b'E' | b'p' | b'P');
                let body = d.is_ascii_alphanumeric() || d == b'.' || d == b'_';
                let sep = d == b'\'' && i + 1 < b.len() && b[i + 1].is_ascii_alphanumeric();
                if sign || body || sep {
                    i += 1;
                } else {
                    break;
                }
            }
            kind = TokKind::Number;
        } else if c == b'"' || c == b'\'' {
            i = skip_quoted(b, i, c);
            kind = if c == b'"' { TokKind::Str } else { TokKind::Char };
        } else {
            let rest = &line[i..];
            if let Some(p) = PUNCT3.iter().find(|p| rest.starts_with(**p)) {
                i += p.len();
                kind = TokKind::Punct;
            } else if let Some(p) = PUNCT2.iter().find(|p| rest.starts_with(**p)) {
                i += p.len();
                kind = TokKind::Punct;
            } else if c.is_ascii_punctuation() {
                i += 1;
                kind = TokKind::Punct;
            } else {
                // A stray (non-ASCII or control) character: one UTF-8 scalar.
                i += line[i..].chars().next().map_or(1, char::len_utf8);
                kind = TokKind::Other;
            }
        }
        out.push(RawTok { kind, start, end: i });
    }
}

fn skip_quoted(b: &[u8], mut i: usize, q: u8) -> usize {
    i += 1;
    while i < b.len() {
        if b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == q {
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

/// A logical source line: comments removed, continuations joined; `text` keeps the columns of
/// its first physical line (`line`, 1-based).
pub struct LogicalLine {
    pub line: u32,
    pub text: String,
}

/// Split a file into logical lines. Comments become spaces; a block comment spanning lines ends
/// the current logical line and the text after it starts a new one at its own line and column.
pub fn logical_lines(src: &str) -> Vec<LogicalLine> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut cur_line = 1u32;
    let mut phys = 1u32;
    let mut i = 0;
    let mut seg_start = 0; // start of bytes not yet copied into `cur`
    let mut line_start = 0; // byte offset where the physical line began
    macro_rules! flush_seg {
        ($end:expr) => {
            cur.push_str(&src[seg_start..$end]);
        };
    }
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() && (b[i + 1] == b'\n' || (b[i + 1] == b'\r' && b.get(i + 2) == Some(&b'\n'))) => {
                flush_seg!(i);
                i += if b[i + 1] == b'\r' { 3 } else { 2 };
                phys += 1;
                line_start = i;
                seg_start = i;
            }
            b'\n' => {
                let end = if i > 0 && b[i - 1] == b'\r' { i - 1 } else { i };
                flush_seg!(end.max(seg_start));
                out.push(LogicalLine { line: cur_line, text: std::mem::take(&mut cur) });
                i += 1;
                phys += 1;
                cur_line = phys;
                line_start = i;
                seg_start = i;
            }
            b'"' | b'\'' => {
                // Skip a literal, stopping at an unescaped newline (unterminated literal).
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q && b[i] != b'\n' {
                    if b[i] == b'\\' && i + 1 < b.len() && b[i + 1] != b'\n' {
                        i += 1;
                    }
                    i += 1;
                }
                if i < b.len() && b[i] == q {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                flush_seg!(i);
                // Line comment runs to the end of the line (continuations included).
                while i < b.len() && b[i] != b'\n' {
                    if b[i] == b'\\' && b.get(i + 1) == Some(&b'\n') {
                        i += 1;
                        phys += 1;
                    }
                    i += 1;
                }
                seg_start = i;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                flush_seg!(i);
                cur.push(' ');
                i += 2;
                let mut spanned = false;
                while i < b.len() && !(b[i] == b'*' && b.get(i + 1) == Some(&b'/')) {
                    if b[i] == b'\n' {
                        phys += 1;
                        line_start = i + 1;
                        spanned = true;
                    }
                    i += 1;
                }
                i = (i + 2).min(b.len());
                seg_start = i;
                if spanned {
                    out.push(LogicalLine { line: cur_line, text: std::mem::take(&mut cur) });
                    cur_line = phys;
                    let col = i - line_start;
                    cur.push_str(&" ".repeat(col));
                }
            }
            _ => i += 1,
        }
    }
    flush_seg!(b.len().max(seg_start).min(b.len()));
    out.push(LogicalLine { line: cur_line, text: cur });
    out
}
