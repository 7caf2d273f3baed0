//! Integer constant expressions of `#if`/`#elif`, after `defined` and macro expansion.

use super::lex::TokKind;

/// Parse a C integer literal (decimal, hex, octal, binary; `u`/`l` suffixes, `'` separators).
/// A leading sign is accepted: tree-sitter's C/C++ grammars lex `-7` in `x * -7` as one
/// number literal.
pub fn parse_int_literal(text: &str) -> Option<i64> {
    if let Some(rest) = text.strip_prefix('-') {
        return parse_int_literal(rest.trim_start()).map(i64::wrapping_neg);
    }
    let text = text.strip_prefix('+').map_or(text, str::trim_start);
    let t: String = text.chars().filter(|c| *c != '\'').collect();
    let t = t.trim_end_matches(['u', 'U', 'l', 'L', 'z', 'Z']);
    let (digits, radix) = if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        (h, 16)
    } else if let Some(b) = t.strip_prefix("0b").or_else(|| t.strip_prefix("0B")) {
        (b, 2)
    } else if t.len() > 1 && t.starts_with('0') {
        (&t[1..], 8)
    } else {
        (t, 10)
    };
    if digits.is_empty() {
        return if radix == 8 { Some(0) } else { None };
    }
    u64::from_str_radix(digits, radix).ok().map(|v| v as i64)
}

/// Value of a character literal such as `'a'` or `'\n'`.
pub fn parse_char_literal(text: &str) -> Option<i64> {
    let inner = text.trim_start_matches(['L', 'u', 'U', '8']).strip_prefix('\'')?.strip_suffix('\'')?;
    let mut it = inner.chars();
    let c = it.next()?;
    if c != '\\' {
        return Some(c as i64);
    }
    let e = it.next()?;
    Some(match e {
        'n' => 10,
        't' => 9,
        'r' => 13,
        '0'..='7' => {
            let s: String = std::iter::once(e).chain(it.take(2)).collect();
            i64::from_str_radix(&s, 8).ok()?
        }
        'x' => i64::from_str_radix(it.as_str(), 16).ok()?,
        'a' => 7,
        'b' => 8,
        'f' => 12,
        'v' => 11,
        other => other as i64,
    })
}

pub struct ExprTok<'a> {
    pub kind: TokKind,
    pub text: &'a str,
}

/// Evaluate; `Err` carries a message.
pub fn eval(toks: &[ExprTok]) -> Result<i64, String> {
    let mut p = Parser { toks, pos: 0, depth: 0 };
    let v = p.ternary()?;
    if p.pos != toks.len() {
        return Err(format!("unexpected `{}` in #if expression", toks[p.pos].text));
    }
    Ok(v)
}

struct Parser<'a, 'b> {
    toks: &'b [ExprTok<'a>],
    pos: usize,
    depth: u32,
}

// Binary operators by precedence level, loosest first.
const LEVELS: [&[&str]; 10] = [
    &["||"],
    &["&&"],
    &["|"],
    &["^"],
    &["&"],
    &["==", "!="],
    &["<", ">", "<=", ">="],
    &["<<", ">>"],
    &["+", "-"],
    &["*", "/", "%"],
];

impl Parser<'_, '_> {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(|t| t.text)
    }

    fn ternary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 200 {
            return Err("#if expression nested too deeply".into());
        }
        let c = self.binary(0)?;
        let r = if self.peek() == Some("?") {
            self.pos += 1;
            let a = self.ternary()?;
            if self.peek() != Some(":") {
                return Err("expected `:` in #if expression".into());
            }
            self.pos += 1;
            let b = self.ternary()?;
            if c != 0 { a } else { b }
        } else {
            c
        };
        self.depth -= 1;
        Ok(r)
    }

    fn binary(&mut self, level: usize) -> Result<i64, String> {
        if level == LEVELS.len() {
            return self.unary();
        }
        let mut l = self.binary(level + 1)?;
        while let Some(op) = self.peek().filter(|op| LEVELS[level].contains(op)) {
            let op = op.to_string();
            self.pos += 1;
            let r = self.binary(level + 1)?;
            l = match op.as_str() {
                "||" => (l != 0 || r != 0) as i64,
                "&&" => (l != 0 && r != 0) as i64,
                "|" => l | r,
                "^" => l ^ r,
                "&" => l & r,
                "==" => (l == r) as i64,
                "!=" => (l != r) as i64,
                "<" => (l < r) as i64,
                ">" => (l > r) as i64,
                "<=" => (l <= r) as i64,
                ">=" => (l >= r) as i64,
                "<<" => l.wrapping_shl(r as u32),
                ">>" => l.wrapping_shr(r as u32),
                "+" => l.wrapping_add(r),
                "-" => l.wrapping_sub(r),
                "*" => l.wrapping_mul(r),
                "/" | "%" if r == 0 => return Err("division by zero in #if expression".into()),
                "/" => l.wrapping_div(r),
                _ => l.wrapping_rem(r),
            };
        }
        Ok(l)
    }

    fn unary(&mut self) -> Result<i64, String> {
        self.depth += 1;
        if self.depth > 400 {
            return Err("#if expression nested too deeply".into());
        }
        let r = self.unary_inner();
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> Result<i64, String> {
        let Some(t) = self.toks.get(self.pos) else {
            return Err("#if expression ends early".into());
        };
        self.pos += 1;
        match (t.kind, t.text) {
            (TokKind::Punct, "(") => {
                let v = self.ternary()?;
                if self.peek() != Some(")") {
                    return Err("missing `)` in #if expression".into());
                }
                self.pos += 1;
                Ok(v)
            }
            (TokKind::Punct, "-") => Ok(self.unary()?.wrapping_neg()),
            (TokKind::Punct, "+") => self.unary(),
            (TokKind::Punct, "!") => Ok((self.unary()? == 0) as i64),
            (TokKind::Punct, "~") => Ok(!self.unary()?),
            (TokKind::Number, s) => parse_int_literal(s).ok_or_else(|| format!("bad number `{s}` in #if expression")),
            (TokKind::Char, s) => parse_char_literal(s).ok_or_else(|| format!("bad character `{s}` in #if expression")),
            (TokKind::Ident, "true") => Ok(1),
            // Identifiers left after macro expansion are 0 (C rule).
            (TokKind::Ident, _) => Ok(0),
            (_, s) => Err(format!("unexpected `{s}` in #if expression")),
        }
    }
}
