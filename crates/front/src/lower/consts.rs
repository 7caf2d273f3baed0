//! Integer constant evaluation over tree-sitter expressions: literals, named constants
//! (`const`, `constexpr`, `enum`, `static const`), operators, casts and `sizeof`.

use crate::syntax::NodeExt;
use super::Globals;
use crate::pp::expr::{parse_char_literal, parse_int_literal};
use std::collections::HashMap;
use tree_sitter::Node;

pub type Env = HashMap<String, i64>;

/// A named constant's value: local (`env`) first, then file scope.
fn named(name: &str, g: &Globals, env: &Env) -> Option<i64> {
    env.get(name).or_else(|| g.consts.get(name)).copied()
}

pub fn eval_const(n: Node, src: &str, g: &Globals, env: &Env) -> Option<i64> {
    eval(n, src, g, env, 0)
}

/// The value an integer variable holds after `T x = init;`: an integer constant expression,
/// or a float literal converted as C converts it (towards zero: `ap_uint<32> rate = 0.1;` holds
/// 0, which Clang folds into every use).
pub fn eval_int_init(n: Node, src: &str, g: &Globals, env: &Env) -> Option<i64> {
    eval_const(n, src, g, env).or_else(|| {
        if n.kind() != "number_literal" {
            return None;
        }
        let t = src[n.byte_range()].trim_end_matches(['f', 'F', 'l', 'L']);
        t.parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() < 9e18).map(|v| v.trunc() as i64)
    })
}

/// An integer written in a pragma argument (`depth=max_width*4`): the preprocessor's
/// expression evaluator over the text, with named constants of `env` and the file scope
/// substituted. A name that is not a known constant gives `None` (not the `#if` rule's 0).
pub fn eval_text(text: &str, g: &Globals, env: &Env) -> Option<i64> {
    use crate::pp::{expr, lex};
    let mut raw = Vec::new();
    lex::lex_line(text, &mut raw);
    let mut toks: Vec<(lex::TokKind, String)> = Vec::with_capacity(raw.len());
    for t in raw {
        let word = &text[t.start..t.end];
        if t.kind == lex::TokKind::Ident {
            toks.push((lex::TokKind::Number, named(word, g, env)?.to_string()));
        } else {
            toks.push((t.kind, word.to_string()));
        }
    }
    let toks: Vec<expr::ExprTok> = toks.iter().map(|(kind, text)| expr::ExprTok { kind: *kind, text }).collect();
    if toks.is_empty() {
        return None;
    }
    expr::eval(&toks).ok()
}

fn eval(n: Node, src: &str, g: &Globals, env: &Env, depth: u32) -> Option<i64> {
    if depth > 128 {
        return None;
    }
    let text = &src[n.byte_range()];
    let sub = |k: Node| eval(k, src, g, env, depth + 1);
    match n.kind() {
        "number_literal" => parse_int_literal(text).or_else(|| {
            // A float literal used as an integer (e.g. a bound of 1e3).
            let t = text.trim_end_matches(['f', 'F', 'l', 'L']);
            t.parse::<f64>().ok().filter(|v| v.is_finite() && v.fract() == 0.0 && v.abs() < 9e18).map(|v| v as i64)
        }),
        "char_literal" => parse_char_literal(text),
        "true" => Some(1),
        "false" | "null" | "nullptr" => Some(0),
        "identifier" | "type_identifier" => named(text, g, env),
        "qualified_identifier" => named(text.rsplit("::").next().unwrap_or(text).trim(), g, env),
        "parenthesized_expression" | "condition_clause" | "type_descriptor" | "template_argument" => {
            let mut c = n.walk();
            let inner = n.named_children(&mut c).last()?;
            sub(inner)
        }
        "unary_expression" => {
            let v = sub(n.field("argument")?)?;
            match n.field("operator").map(|o| &src[o.byte_range()]) {
                Some("-") => Some(v.wrapping_neg()),
                Some("+") => Some(v),
                Some("!") => Some((v == 0) as i64),
                Some("~") => Some(!v),
                _ => None,
            }
        }
        "binary_expression" => {
            let l = sub(n.field("left")?)?;
            let r = sub(n.field("right")?)?;
            let op = &src[n.field("operator")?.byte_range()];
            Some(match op {
                "+" => l.wrapping_add(r),
                "-" => l.wrapping_sub(r),
                "*" => l.wrapping_mul(r),
                "/" if r != 0 => l.wrapping_div(r),
                "%" if r != 0 => l.wrapping_rem(r),
                "<<" => l.wrapping_shl(r.clamp(0, 63) as u32),
                ">>" => l.wrapping_shr(r.clamp(0, 63) as u32),
                "&" => l & r,
                "|" => l | r,
                "^" => l ^ r,
                "&&" => (l != 0 && r != 0) as i64,
                "||" => (l != 0 || r != 0) as i64,
                "<" => (l < r) as i64,
                ">" => (l > r) as i64,
                "<=" => (l <= r) as i64,
                ">=" => (l >= r) as i64,
                "==" => (l == r) as i64,
                "!=" => (l != r) as i64,
                _ => return None,
            })
        }
        "conditional_expression" => {
            let c = sub(n.field("condition")?)?;
            sub(n.field(if c != 0 { "consequence" } else { "alternative" })?)
        }
        "cast_expression" => sub(n.field("value")?),
        "sizeof_expression" => {
            let bits = if let Some(t) = n.field("type") {
                let ty = g.resolve_type(t, src);
                ty.scalar.bits() as u64 * ty.dims.iter().map(|d| d.unwrap_or(1)).product::<u64>()
            } else {
                32
            };
            Some(bits.div_ceil(8).max(1) as i64)
        }
        "call_expression" => {
            // A few constexpr helpers kernels use in bounds.
            let f = &src[n.field("function")?.byte_range()];
            let args = n.field("arguments")?;
            let mut c = args.walk();
            let vals: Option<Vec<i64>> = args.named_children(&mut c).map(sub).collect();
            let vals = vals?;
            match (f.rsplit("::").next().unwrap_or(f), vals.as_slice()) {
                ("min", [a, b]) => Some(*a.min(b)),
                ("max", [a, b]) => Some(*a.max(b)),
                ("abs", [a]) => Some(a.wrapping_abs()),
                _ => None,
            }
        }
        _ => None,
    }
}
