//! Loop headers: induction variable, bounds, step, and the trip count (constant, derived from
//! enclosing induction variables, or unknown). `for` headers with an update, and count-down
//! tests (`while (i--)`, `for (i = 8; --i; )`) whose counter's value on entry is known.

use crate::syntax::NodeExt;
use super::consts::{eval_const, Env};
use super::func::{FnCx, Var};
use super::types::unwrap_declarator;
use hlsseek_ir::{ScalarType, TripCount, TripSource};
use tree_sitter::Node;

#[derive(Clone, Copy, Debug)]
enum Step {
    Add(i64),
    Mul(i64),
    Div(i64),
}

/// Largest number of outer-variable values enumerated to average a derived trip count.
const MAX_ENUM: i64 = 1 << 16;

pub fn for_header(cx: &mut FnCx, n: Node) -> (Option<String>, TripCount, Option<(i64, i64)>) {
    let src = cx.src;
    let init = n.field("initializer");
    let cond = n.field("condition");
    let update = n.field("update");
    // Declarations in the initializer belong to the loop's scope.
    let mut inits: Vec<(String, Option<Node>)> = Vec::new();
    if let Some(i) = init {
        collect_inits(cx, i, &mut inits);
    }
    let upd = update.and_then(|u| find_update(u, src));
    let var = match &upd {
        Some((v, _)) => Some(v.clone()),
        None => inits.first().map(|(v, _)| v.clone()),
    };
    let Some(var) = var else {
        return (None, TripCount::unknown(), None);
    };
    if upd.is_none() {
        // `for (i = 8; --i; )`: the test is the update.
        let counted = cond.and_then(|c| countdown_test(c, src)).filter(|(v, _)| *v == var).and_then(|(v, pre)| {
            let entry = match inits.iter().find(|(x, _)| *x == v) {
                Some((_, init)) => eval_const((*init)?, src, cx.g, &cx.env)?,
                None => entry_value(cx, &v)?,
            };
            let body = n.field("body")?;
            countdown(cx, body, &v, entry, pre)
        });
        return match counted {
            Some((trip, range)) => (Some(var), trip, range),
            None => (None, TripCount::unknown(), None),
        };
    }
    let step = upd.map(|(_, s)| s);
    let lower = inits.iter().find(|(v, _)| *v == var).and_then(|(_, e)| *e);
    let bound = cond.and_then(|c| find_cond(c, &var, src));
    let (Some(step), Some(lower), Some((cmp, upper))) = (step, lower, bound) else {
        return (Some(var), TripCount::unknown(), None);
    };
    // Outer induction variables the bounds mention.
    let mut ids = Vec::new();
    idents(lower, src, &mut ids, 0);
    let mut outer: Vec<(String, i64, i64)> = Vec::new();
    // A bound read from an element of a narrow integer array ranges over the element type's
    // values, as a narrow scalar bound does (Rosetta 3d-rendering's `k < max_index[0]` with
    // `bit16 max_index[]`: Vitis reports up to 65535 iterations).
    let element_bound = narrow_element(cx, upper);
    match element_bound {
        Some((lo, hi)) => outer.push((ELEMENT_BOUND.to_string(), lo, hi)),
        None => idents(upper, src, &mut ids, 0),
    }
    for id in ids {
        if outer.iter().any(|(v, _, _)| *v == id) || cx.env.contains_key(&id) || cx.g.consts.contains_key(&id) {
            continue;
        }
        match cx.loops.iter().rev().find(|f| f.var.as_deref() == Some(id.as_str())) {
            Some(f) => match f.range {
                Some((lo, hi)) => outer.push((id, lo, hi)),
                None => return (Some(var), TripCount::unknown(), None),
            },
            None => match cx.lookup(&id) {
                Some((Var::Const(v, _), _)) => {
                    cx.env.insert(id, v);
                    continue;
                }
                // A run-time bound of a narrow integer type: the tool bounds the trip count by
                // the values the type can hold (Vitis reports `x < width` with an `ap_uint<5>`
                // width as at most 31 iterations); `int` and wider bounds stay unknown.
                Some((Var::Scalar(ty), _)) => match narrow_range(&ty) {
                    Some((lo, hi)) => outer.push((id, lo, hi)),
                    None => return (Some(var), TripCount::unknown(), None),
                },
                _ => {}
            },
        }
    }
    let mut env: Env = cx.env.clone();
    let mut eval_at = |assign: &[(String, i64)]| -> Option<(u64, i64, i64)> {
        for (k, v) in assign {
            env.insert(k.clone(), *v);
        }
        let lo = eval_const(lower, src, cx.g, &env)?;
        let hi = match element_bound {
            Some(_) => *env.get(ELEMENT_BOUND)?,
            None => eval_const(upper, src, cx.g, &env)?,
        };
        count(lo, hi, cmp, step)
    };
    let mut results: Vec<(u64, i64, i64)> = Vec::new();
    if outer.is_empty() {
        if let Some(r) = eval_at(&[]) {
            results.push(r);
        }
    } else if outer.len() == 1 && outer[0].2.saturating_sub(outer[0].1) < MAX_ENUM {
        let (name, lo, hi) = outer[0].clone();
        for v in lo..=hi {
            match eval_at(&[(name.clone(), v)]) {
                Some(r) => results.push(r),
                None => return (Some(var), TripCount::unknown(), None),
            }
        }
    } else if outer.len() <= 4 {
        for mask in 0..(1u32 << outer.len()) {
            let assign: Vec<(String, i64)> =
                outer.iter().enumerate().map(|(k, (v, lo, hi))| (v.clone(), if mask >> k & 1 == 1 { *hi } else { *lo })).collect();
            match eval_at(&assign) {
                Some(r) => results.push(r),
                None => return (Some(var), TripCount::unknown(), None),
            }
        }
    }
    if results.is_empty() {
        return (Some(var), TripCount::unknown(), None);
    }
    let min = results.iter().map(|r| r.0).min().unwrap_or(0);
    let max = results.iter().map(|r| r.0).max().unwrap_or(0);
    let avg = results.iter().map(|r| r.0 as f64).sum::<f64>() / results.len() as f64;
    let vlo = results.iter().filter(|r| r.0 > 0).map(|r| r.1).min();
    let vhi = results.iter().filter(|r| r.0 > 0).map(|r| r.2).max();
    let range = vlo.zip(vhi);
    let trip = if outer.is_empty() || min == max {
        TripCount { min: Some(min), max: Some(max), avg: Some(avg), source: TripSource::Constant }
    } else {
        TripCount { min: Some(min), max: Some(max), avg: Some(avg), source: TripSource::Derived }
    };
    (Some(var), trip, range)
}

/// Name under which a narrow array element's value stands in the bound enumeration; not an
/// identifier, so it cannot shadow one.
const ELEMENT_BOUND: &str = "[element]";

/// The values the element `upper` reads can hold, when it is an element (`a[0]`, `a[i][j]`,
/// through parentheses and casts) of an array of a narrow integer type.
fn narrow_element(cx: &FnCx, upper: Node) -> Option<(i64, i64)> {
    let mut n = peel(upper)?;
    if n.kind() != "subscript_expression" {
        return None;
    }
    while n.kind() == "subscript_expression" {
        n = n.field("argument")?;
    }
    match cx.lookup(&cx.src[n.byte_range()])? {
        (Var::Array(_, ty), _) => narrow_range(&ty),
        _ => None,
    }
}

/// The values an integer type narrower than `int` holds.
fn narrow_range(ty: &super::types::TyInfo) -> Option<(i64, i64)> {
    match ty.scalar {
        ScalarType::Int { bits, signed } if ty.known && (1..32).contains(&bits) => {
            Some(if signed { (-(1i64 << (bits - 1)), (1i64 << (bits - 1)) - 1) } else { (0, (1i64 << bits) - 1) })
        }
        _ => None,
    }
}

/// `while (i--)`, `while (--i > 0)`: the counter, the trip count and the counter's range in
/// the body, where the counter's value on entry is a known constant and the body does not
/// assign it. Otherwise no counter and an unknown trip count.
pub fn while_header(cx: &mut FnCx, n: Node) -> (Option<String>, TripCount, Option<(i64, i64)>) {
    let counted = n.field("condition").and_then(|c| countdown_test(c, cx.src)).and_then(|(v, pre)| {
        let entry = entry_value(cx, &v)?;
        let (trip, range) = countdown(cx, n.field("body")?, &v, entry, pre)?;
        Some((v, trip, range))
    });
    match counted {
        Some((v, trip, range)) => (Some(v), trip, range),
        None => (None, TripCount::unknown(), None),
    }
}

/// The constant a scalar holds where the loop starts (its last assignment in the enclosing
/// region was a constant).
fn entry_value(cx: &mut FnCx, var: &str) -> Option<i64> {
    cx.region().defs.get(var).and_then(|v| v.op.as_int())
}

/// Trip count and body range of a loop that tests `var` against zero as it counts it down from
/// `entry`, decrementing before the test (`--i`) when `pre`. `None` where the body assigns
/// the counter or the count would run past zero (wrapping is type-dependent).
fn countdown(cx: &FnCx, body: Node, var: &str, entry: i64, pre: bool) -> Option<(TripCount, Option<(i64, i64)>)> {
    let mut written = std::collections::HashMap::new();
    super::func::collect_assigned(body, cx.src, &mut written);
    if written.contains_key(var) || entry < 0 || (pre && entry == 0) {
        return None;
    }
    // Post-decrement: the body sees entry-1 … 0; pre-decrement: entry-1 … 1.
    let (tc, lowest) = if pre { (entry - 1, 1) } else { (entry, 0) };
    let range = (tc > 0).then_some((lowest, entry - 1));
    Some((TripCount::constant(tc as u64), range))
}

/// A test that counts its variable down to zero: `i--` or `--i`, alone or compared `> 0` /
/// `!= 0`. The variable, and whether it is decremented before the test.
fn countdown_test(n: Node, src: &str) -> Option<(String, bool)> {
    match n.kind() {
        "update_expression" => {
            let (a, op) = (n.field("argument")?, n.field("operator")?);
            if a.kind() != "identifier" || &src[op.byte_range()] != "--" {
                return None;
            }
            Some((src[a.byte_range()].to_string(), op.start_byte() < a.start_byte()))
        }
        "binary_expression" => {
            let op = &src[n.field("operator")?.byte_range()];
            if !matches!(op, ">" | "!=") || const_of(n.field("right")?, src) != Some(0) {
                return None;
            }
            countdown_test(n.field("left")?, src)
        }
        "parenthesized_expression" | "condition_clause" => {
            let mut c = n.walk();
            let inner = n.named_children(&mut c).last()?;
            countdown_test(inner, src)
        }
        "cast_expression" => countdown_test(n.field("value")?, src),
        _ => None,
    }
}

/// Trip count and the smallest/largest value the variable takes.
fn count(lo: i64, hi: i64, cmp: &str, step: Step) -> Option<(u64, i64, i64)> {
    let holds = |i: i64| match cmp {
        "<" => i < hi,
        "<=" => i <= hi,
        ">" => i > hi,
        ">=" => i >= hi,
        "!=" => i != hi,
        _ => false,
    };
    match step {
        Step::Add(0) => None,
        Step::Add(s) => {
            if !holds(lo) {
                return Some((0, lo, lo));
            }
            let (lo128, hi128, s128) = (lo as i128, hi as i128, s as i128);
            let span = match (cmp, s > 0) {
                ("<", true) | ("!=", true) => hi128 - lo128,
                ("<=", true) => hi128 - lo128 + 1,
                (">", false) | ("!=", false) => lo128 - hi128,
                (">=", false) => lo128 - hi128 + 1,
                _ => return None, // runs away from its bound
            };
            let s_abs = s128.abs();
            if cmp == "!=" && span % s_abs != 0 {
                return None;
            }
            let tc = (span + s_abs - 1) / s_abs;
            let tc = u64::try_from(tc).ok()?;
            let last = lo128 + (tc as i128 - 1) * s128;
            let last = i64::try_from(last).ok()?;
            Some((tc, lo.min(last), lo.max(last)))
        }
        Step::Mul(k) | Step::Div(k) if k >= 2 => {
            let (mut i, mut tc, mut vmin, mut vmax) = (lo, 0u64, lo, lo);
            while holds(i) {
                tc += 1;
                vmin = vmin.min(i);
                vmax = vmax.max(i);
                let next = if let Step::Mul(_) = step { i.checked_mul(k)? } else { i / k };
                if next == i || tc > 128 {
                    return None;
                }
                i = next;
            }
            Some((tc, vmin, vmax))
        }
        _ => None,
    }
}

fn collect_inits<'t>(cx: &mut FnCx, n: Node<'t>, out: &mut Vec<(String, Option<Node<'t>>)>) {
    let src = cx.src;
    match n.kind() {
        "declaration" => {
            let ty = n.field("type").map(|t| cx.g.resolve_type(t, src));
            let decls: Vec<Node> = n.fields("declarator");
            for d in decls {
                let dd = unwrap_declarator(d, src);
                if let Some(name) = dd.name {
                    let t = ty.clone().unwrap_or_else(|| super::types::TyInfo::scalar(hlsseek_ir::ScalarType::I32));
                    cx.declare(name.clone(), Var::Scalar(t));
                    out.push((name, dd.init));
                }
            }
        }
        "assignment_expression" => {
            if let (Some(l), Some(r)) = (n.field("left"), n.field("right")) {
                if l.kind() == "identifier" && n.field("operator").is_some_and(|o| &src[o.byte_range()] == "=") {
                    out.push((src[l.byte_range()].to_string(), Some(r)));
                }
            }
        }
        "comma_expression" => {
            if let Some(l) = n.field("left") {
                collect_inits(cx, l, out);
            }
            if let Some(r) = n.field("right") {
                collect_inits(cx, r, out);
            }
        }
        _ => {}
    }
}

fn const_of(n: Node, src: &str) -> Option<i64> {
    crate::pp::expr::parse_int_literal(src[n.byte_range()].trim())
}

/// The variable an update expression steps, and how.
fn find_update(n: Node, src: &str) -> Option<(String, Step)> {
    match n.kind() {
        "update_expression" => {
            let a = n.field("argument")?;
            if a.kind() != "identifier" {
                return None;
            }
            let op = &src[n.field("operator")?.byte_range()];
            Some((src[a.byte_range()].to_string(), Step::Add(if op == "++" { 1 } else { -1 })))
        }
        "assignment_expression" => {
            let l = n.field("left")?;
            if l.kind() != "identifier" {
                return None;
            }
            let var = src[l.byte_range()].to_string();
            let r = n.field("right")?;
            let op = &src[n.field("operator")?.byte_range()];
            let step = match op {
                "=" => {
                    if r.kind() != "binary_expression" {
                        return None;
                    }
                    let (rl, rr) = (r.field("left")?, r.field("right")?);
                    let rop = &src[r.field("operator")?.byte_range()];
                    let (other, var_left) = if src[rl.byte_range()] == var {
                        (rr, true)
                    } else if src[rr.byte_range()] == var {
                        (rl, false)
                    } else {
                        return None;
                    };
                    let c = const_of(other, src)?;
                    match (rop, var_left) {
                        ("+", _) => Step::Add(c),
                        ("-", true) => Step::Add(-c),
                        ("*", _) => Step::Mul(c),
                        ("<<", true) => Step::Mul(1i64.checked_shl(c as u32)?),
                        (">>", true) => Step::Div(1i64.checked_shl(c as u32)?),
                        ("/", true) => Step::Div(c),
                        _ => return None,
                    }
                }
                "+=" => Step::Add(const_of(r, src)?),
                "-=" => Step::Add(-const_of(r, src)?),
                "*=" => Step::Mul(const_of(r, src)?),
                "<<=" => Step::Mul(1i64.checked_shl(const_of(r, src)? as u32)?),
                ">>=" => Step::Div(1i64.checked_shl(const_of(r, src)? as u32)?),
                "/=" => Step::Div(const_of(r, src)?),
                _ => return None,
            };
            Some((var, step))
        }
        "comma_expression" => n.field("left").and_then(|l| find_update(l, src)),
        "parenthesized_expression" => {
            let mut c = n.walk();
            let inner = n.named_children(&mut c).next()?;
            find_update(inner, src)
        }
        _ => None,
    }
}

/// `var OP bound` (or `bound OP var`, flipped) in a loop condition.
fn find_cond<'t>(n: Node<'t>, var: &str, src: &str) -> Option<(&'static str, Node<'t>)> {
    match n.kind() {
        "binary_expression" => {
            let op = &src[n.field("operator")?.byte_range()];
            let (l, r) = (n.field("left")?, n.field("right")?);
            if op == "&&" {
                return find_cond(l, var, src).or_else(|| find_cond(r, var, src));
            }
            let ops: [(&str, &'static str, &'static str); 5] =
                [("<", "<", ">"), ("<=", "<=", ">="), (">", ">", "<"), (">=", ">=", "<="), ("!=", "!=", "!=")];
            let (_, same, flipped) = ops.iter().find(|(o, _, _)| *o == op)?;
            if strip(l, src) == var {
                Some((same, r))
            } else if strip(r, src) == var {
                Some((flipped, l))
            } else {
                None
            }
        }
        "parenthesized_expression" | "condition_clause" => {
            let mut c = n.walk();
            let inner = n.named_children(&mut c).last()?;
            find_cond(inner, var, src)
        }
        "comma_expression" => n.field("right").and_then(|r| find_cond(r, var, src)),
        _ => None,
    }
}

/// An expression without its parentheses and casts (`(int)(i)` → `i`); `None` for an empty
/// pair of parentheses or a cast without a value.
fn peel(mut n: Node) -> Option<Node> {
    loop {
        n = match n.kind() {
            "parenthesized_expression" => n.named_child(0)?,
            "cast_expression" => n.field("value")?,
            _ => return Some(n),
        };
    }
}

/// Text of an expression without parentheses and casts (`(int)i` → `i`).
fn strip<'s>(n: Node, src: &'s str) -> &'s str {
    peel(n).map_or("", |i| &src[i.byte_range()])
}

fn idents(n: Node, src: &str, out: &mut Vec<String>, depth: u32) {
    if depth > 64 {
        return;
    }
    if n.kind() == "identifier" {
        out.push(src[n.byte_range()].to_string());
        return;
    }
    if n.kind() == "call_expression" {
        if let Some(a) = n.field("arguments") {
            idents(a, src, out, depth + 1);
        }
        return;
    }
    let mut c = n.walk();
    for ch in n.named_children(&mut c) {
        idents(ch, src, out, depth + 1);
    }
}
