//! Macro table and expansion (Prosser's hide-set algorithm, iterative over a token stack), with
//! `#`, `##`, `__VA_ARGS__` and budgets so that runaway expansions end in an error.

use super::lex::{lex_line, RawTok, TokKind};
use std::collections::HashMap;

/// A preprocessing token with the place it came from. Tokens produced by a macro expansion carry
/// the position of the macro name that produced them.
#[derive(Clone, Debug)]
pub struct Tok {
    pub kind: TokKind,
    pub text: String,
    pub file: u16,
    pub line: u32,
    pub col: u32,
    pub expanded: bool,
    /// Macros that must not expand this token again (sorted ids).
    pub hide: Vec<u32>,
}

impl Tok {
    pub fn is(&self, p: &str) -> bool {
        self.kind == TokKind::Punct && self.text == p
    }
}

#[derive(Clone, Debug)]
pub struct Macro {
    pub id: u32,
    /// `None` for object-like macros.
    pub params: Option<Vec<String>>,
    pub variadic: bool,
    pub body: Vec<Tok>,
}

/// Limits that turn pathological input into an error instead of a hang.
const MAX_TOKENS_PRODUCED: usize = 1_000_000;
const MAX_ARG_DEPTH: u32 = 128;

#[derive(Default)]
pub struct MacroTable {
    map: HashMap<String, Macro>,
    next_id: u32,
    produced: usize,
}

impl MacroTable {
    pub fn define(&mut self, name: &str, params: Option<Vec<String>>, variadic: bool, body: Vec<Tok>) {
        self.next_id += 1;
        self.map.insert(name.to_string(), Macro { id: self.next_id, params, variadic, body });
    }

    /// Define from text, as `-D NAME=VALUE` would.
    pub fn define_text(&mut self, name: &str, value: &str) {
        let mut raw = Vec::new();
        lex_line(value, &mut raw);
        let body = raw.iter().map(|r| tok_from_raw(value, r, 0, 0)).collect();
        self.define(name, None, false, body);
    }

    pub fn undef(&mut self, name: &str) {
        self.map.remove(name);
    }

    pub fn is_defined(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Fully expand `input`.
    pub fn expand(&mut self, input: Vec<Tok>) -> Result<Vec<Tok>, String> {
        self.expand_depth(input, 0)
    }

    fn expand_depth(&mut self, input: Vec<Tok>, depth: u32) -> Result<Vec<Tok>, String> {
        if depth > MAX_ARG_DEPTH {
            return Err("macro arguments nested too deeply".into());
        }
        let mut stack: Vec<Tok> = input;
        stack.reverse();
        let mut out = Vec::with_capacity(stack.len());
        while let Some(t) = stack.pop() {
            if t.kind != TokKind::Ident {
                out.push(t);
                continue;
            }
            if t.text == "__LINE__" {
                out.push(Tok { kind: TokKind::Number, text: t.line.to_string(), expanded: true, ..t });
                continue;
            }
            let Some(m) = self.map.get(&t.text) else {
                out.push(t);
                continue;
            };
            if t.hide.binary_search(&m.id).is_ok() {
                out.push(t);
                continue;
            }
            let m = m.clone();
            let body = match &m.params {
                None => {
                    let hs = with_id(&t.hide, m.id);
                    self.subst(&m, &[], &hs, &t, depth)?
                }
                Some(_) => {
                    if !stack.last().is_some_and(|n| n.is("(")) {
                        out.push(t);
                        continue;
                    }
                    let (args, rparen) = collect_args(&mut stack)
                        .ok_or_else(|| format!("unterminated argument list invoking macro `{}`", t.text))?;
                    let nparams = m.params.as_ref().map_or(0, Vec::len);
                    let args = fit_args(args, nparams, m.variadic)
                        .ok_or_else(|| format!("macro `{}` expects {} arguments", t.text, nparams))?;
                    let hs: Vec<u32> = t.hide.iter().copied().filter(|h| rparen.hide.binary_search(h).is_ok()).collect();
                    let hs = with_id(&hs, m.id);
                    self.subst(&m, &args, &hs, &t, depth)?
                }
            };
            self.produced += body.len();
            if self.produced > MAX_TOKENS_PRODUCED {
                return Err(format!("macro expansion too large (over {MAX_TOKENS_PRODUCED} tokens produced); recursive macros?"));
            }
            stack.extend(body.into_iter().rev());
        }
        Ok(out)
    }

    fn subst(&mut self, m: &Macro, args: &[Vec<Tok>], hs: &[u32], at: &Tok, depth: u32) -> Result<Vec<Tok>, String> {
        let params: &[String] = m.params.as_deref().unwrap_or(&[]);
        let param_index = |t: &Tok| -> Option<usize> {
            if t.kind != TokKind::Ident {
                return None;
            }
            if m.variadic && t.text == "__VA_ARGS__" {
                return Some(params.len());
            }
            params.iter().position(|p| *p == t.text)
        };
        let mut expanded_args: Vec<Option<Vec<Tok>>> = vec![None; args.len()];
        let body = &m.body;
        let mut out: Vec<Tok> = Vec::new();
        let mut i = 0;
        while i < body.len() {
            let t = &body[i];
            let next_is_paste = body.get(i + 1).is_some_and(|n| n.is("##"));
            if m.params.is_some() && t.is("#") {
                if let Some(p) = body.get(i + 1).and_then(&param_index) {
                    out.push(Tok { kind: TokKind::Str, text: stringize(args.get(p).map_or(&[][..], |a| a)), ..t.clone() });
                    i += 2;
                    continue;
                }
            }
            if t.is("##") && i > 0 && i + 1 < body.len() {
                let rhs = &body[i + 1];
                let rhs_toks: Vec<Tok> = match param_index(rhs) {
                    Some(p) => args.get(p).cloned().unwrap_or_default(),
                    None => vec![rhs.clone()],
                };
                // GNU `, ## __VA_ARGS__`: drop the comma when there are no variadic arguments.
                if rhs_toks.is_empty() && m.variadic && rhs.text == "__VA_ARGS__" && out.last().is_some_and(|l| l.is(",")) {
                    out.pop();
                } else if let (Some(lhs), Some(first)) = (out.pop(), rhs_toks.first()) {
                    out.extend(paste(&lhs, first));
                    out.extend(rhs_toks[1..].iter().cloned());
                } else {
                    // One side empty: the other side stands alone.
                    out.extend(rhs_toks);
                }
                i += 2;
                continue;
            }
            match param_index(t) {
                Some(p) => {
                    let prev_is_paste = i > 0 && body[i - 1].is("##");
                    if next_is_paste || prev_is_paste {
                        out.extend(args.get(p).cloned().unwrap_or_default());
                    } else {
                        if expanded_args.get(p).is_some_and(Option::is_none) {
                            let e = self.expand_depth(args[p].clone(), depth + 1)?;
                            expanded_args[p] = Some(e);
                        }
                        out.extend(expanded_args.get(p).and_then(|a| a.clone()).unwrap_or_default());
                    }
                }
                None => out.push(t.clone()),
            }
            i += 1;
        }
        for t in &mut out {
            t.file = at.file;
            t.line = at.line;
            t.col = at.col;
            t.expanded = true;
            t.hide = union(&t.hide, hs);
        }
        Ok(out)
    }
}

fn with_id(hs: &[u32], id: u32) -> Vec<u32> {
    union(hs, &[id])
}

fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut v: Vec<u32> = a.iter().chain(b).copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Pop `( args )` from the stack (top = next token). Returns the arguments split at top-level
/// commas and the closing parenthesis, or `None` when the list is unterminated.
fn collect_args(stack: &mut Vec<Tok>) -> Option<(Vec<Vec<Tok>>, Tok)> {
    let mut depth = 0usize;
    let mut args = vec![Vec::new()];
    let mut consumed = Vec::new();
    while let Some(t) = stack.pop() {
        consumed.push(t.clone());
        if t.is("(") {
            depth += 1;
            if depth == 1 {
                continue;
            }
        } else if t.is(")") {
            depth -= 1;
            if depth == 0 {
                return Some((args, t));
            }
        } else if t.is(",") && depth == 1 {
            args.push(Vec::new());
            continue;
        }
        args.last_mut().expect("non-empty").push(t);
    }
    // Unterminated: restore what was taken.
    stack.extend(consumed.into_iter().rev());
    None
}

/// Match arguments to parameters: `f()` has one empty argument; variadic extras are joined.
fn fit_args(mut args: Vec<Vec<Tok>>, nparams: usize, variadic: bool) -> Option<Vec<Vec<Tok>>> {
    if nparams == 0 && !variadic {
        return (args.len() == 1 && args[0].is_empty()).then(Vec::new);
    }
    if variadic {
        if args.len() <= nparams {
            args.resize(nparams, Vec::new());
            args.push(Vec::new());
            return Some(args);
        }
        let rest: Vec<Vec<Tok>> = args.split_off(nparams);
        let mut va = Vec::new();
        for (k, a) in rest.into_iter().enumerate() {
            if k > 0 {
                if let Some(f) = a.first().or(va.last()) {
                    va.push(Tok { kind: TokKind::Punct, text: ",".into(), hide: Vec::new(), ..f.clone() });
                }
            }
            va.extend(a);
        }
        args.push(va);
        return Some(args);
    }
    if args.len() == nparams {
        Some(args)
    } else {
        None
    }
}

fn stringize(arg: &[Tok]) -> String {
    let mut s = String::from("\"");
    for (k, t) in arg.iter().enumerate() {
        if k > 0 {
            s.push(' ');
        }
        if matches!(t.kind, TokKind::Str | TokKind::Char) {
            for c in t.text.chars() {
                if c == '"' || c == '\\' {
                    s.push('\\');
                }
                s.push(c);
            }
        } else {
            s.push_str(&t.text);
        }
    }
    s.push('"');
    s
}

/// `a ## b`: one token when the concatenation lexes as one, else both unchanged.
fn paste(a: &Tok, b: &Tok) -> Vec<Tok> {
    let text = format!("{}{}", a.text, b.text);
    let mut raw = Vec::new();
    lex_line(&text, &mut raw);
    if raw.len() == 1 && raw[0].end == text.len() {
        vec![Tok { kind: raw[0].kind, text, hide: Vec::new(), ..a.clone() }]
    } else {
        vec![a.clone(), b.clone()]
    }
}

pub fn tok_from_raw(line: &str, r: &RawTok, file: u16, lineno: u32) -> Tok {
    Tok {
        kind: r.kind,
        text: line[r.start..r.end].to_string(),
        file,
        line: lineno,
        col: r.start as u32,
        expanded: false,
        hide: Vec::new(),
    }
}
