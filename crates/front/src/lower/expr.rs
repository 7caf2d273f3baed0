//! Expressions → typed operations: C's usual arithmetic conversions (ap types keep their
//! widths), loads/stores with affine index expressions, math calls, ap_int bit operations,
//! stream reads/writes, and calls to user functions.

use crate::syntax::NodeExt;
use super::func::{FnCx, Val, Var};
use super::types::{builtin, TyInfo};
use crate::pp::MathLookup;
use hlsseek_ir::{Access, ArrayId, ArrayKind, Call, IndexExpr, Node as IrNode, OpKind, Operand, ScalarType};
use tree_sitter::Node;

/// Calls with no hardware meaning (testbench I/O, assertions).
const IGNORED_CALLS: &[&str] = &[
    "printf", "fprintf", "sprintf", "snprintf", "puts", "putchar", "assert", "exit", "abort", "fflush", "cout", "cerr",
    "static_assert", "__builtin_expect", "srand", "free", "malloc", "calloc",
];

/// Calls that return their argument (`<stdint.h>` constant macros, `std::move`...).
const IDENTITY_CALLS: &[&str] =
    &["UINT8_C", "UINT16_C", "UINT32_C", "UINT64_C", "INT8_C", "INT16_C", "INT32_C", "INT64_C", "UINTMAX_C", "INTMAX_C", "move", "forward"];

fn math_kind(name: &str) -> Option<OpKind> {
    Some(match name {
        "sqrt" | "sqrtf" | "hsqrt" | "sqrtl" | "rsqrt" | "rsqrtf" | "cbrt" | "cbrtf" | "hypot" | "hypotf" => OpKind::Sqrt,
        "exp" | "expf" | "exp2" | "exp2f" | "expm1" | "expm1f" | "hexp" => OpKind::Exp,
        "log" | "logf" | "log2" | "log2f" | "log10" | "log10f" | "log1p" | "log1pf" | "hlog" => OpKind::Log,
        "pow" | "powf" | "powr" | "pown" => OpKind::Pow,
        "sin" | "cos" | "tan" | "sinf" | "cosf" | "tanf" | "asin" | "acos" | "atan" | "atan2" | "asinf" | "acosf" | "atanf"
        | "atan2f" | "sinh" | "cosh" | "tanh" | "sinhf" | "coshf" | "tanhf" | "sinpi" | "cospi" | "sincos" | "sincosf" => {
            OpKind::Trig
        }
        "fabs" | "fabsf" | "abs" | "labs" | "llabs" | "absf" => OpKind::Abs,
        "fmin" | "fminf" | "min" => OpKind::Min,
        "fmax" | "fmaxf" | "max" => OpKind::Max,
        _ => return None,
    })
}

fn assoc_binop(op: &str) -> Option<OpKind> {
    Some(match op {
        "+" => OpKind::Add,
        "-" => OpKind::Sub,
        "*" => OpKind::Mul,
        "/" => OpKind::Div,
        "%" => OpKind::Rem,
        "<<" => OpKind::Shl,
        ">>" => OpKind::Shr,
        "&" => OpKind::And,
        "|" => OpKind::Or,
        "^" => OpKind::Xor,
        _ => return None,
    })
}

fn rank(t: ScalarType) -> u8 {
    match t {
        ScalarType::Half => 1,
        ScalarType::Float => 2,
        ScalarType::Double => 3,
        _ => 0,
    }
}

/// The type an operator on `a` and `b` works in.
pub fn arith_ty(a: &Val, b: &Val) -> (ScalarType, bool) {
    let (ta, tb) = (a.ty, b.ty);
    if ta.is_float() || tb.is_float() {
        return (if rank(ta) >= rank(tb) { ta } else { tb }, false);
    }
    let lit_a = matches!(a.op, Operand::Int(_));
    let lit_b = matches!(b.op, Operand::Int(_));
    let ap = a.ap || b.ap;
    let parts = |t: ScalarType| -> (i32, i32, bool) {
        match t {
            ScalarType::Fixed { bits, int_bits, signed } => (int_bits as i32, bits as i32 - int_bits as i32, signed),
            ScalarType::Int { bits, signed } => (bits as i32, 0, signed),
            ScalarType::Bool => (1, 0, false),
            _ => (32, 0, true),
        }
    };
    if matches!(ta, ScalarType::Fixed { .. }) || matches!(tb, ScalarType::Fixed { .. }) {
        let (ia, fa, sa) = parts(ta);
        let (ib, fb, sb) = parts(tb);
        let (ia, sa) = if lit_a && !matches!(ta, ScalarType::Fixed { .. }) { (0, false) } else { (ia, sa) };
        let (ib, sb) = if lit_b && !matches!(tb, ScalarType::Fixed { .. }) { (0, false) } else { (ib, sb) };
        let ib_ = ia.max(ib);
        let fb_ = fa.max(fb);
        let bits = (ib_ + fb_).clamp(1, 4096) as u16;
        return (ScalarType::Fixed { bits, int_bits: ib_ as i16, signed: sa || sb }, true);
    }
    let (ba, _, sa) = parts(ta);
    let (bb, _, sb) = parts(tb);
    if ap {
        // Literals adapt to the ap operand; widths are those of the ap operands.
        let (ba, sa2) = if lit_a { (0, sb) } else { (ba, sa) };
        let (bb, sb2) = if lit_b { (0, sa) } else { (bb, sb) };
        let bits = ba.max(bb).max(1) as u16;
        return (ScalarType::Int { bits, signed: sa2 || sb2 }, true);
    }
    // C: integer promotion to int, then the wider (unsigned wins at equal width).
    // Narrower types promote to (signed) int.
    let (ba, sa) = if ba < 32 { (32, true) } else { (ba, sa) };
    let (bb, sb) = if bb < 32 { (32, true) } else { (bb, sb) };
    let bits = ba.max(bb);
    let signed = if ba == bb { sa && sb } else if ba > bb { sa } else { sb };
    (ScalarType::Int { bits: bits as u16, signed: signed || (lit_a && lit_b) }, false)
}

fn literal(text: &str) -> Val {
    let t = text.replace('\'', "");
    let lower = t.to_ascii_lowercase();
    let hex = lower.trim_start_matches(['-', '+']).starts_with("0x");
    let is_float = !hex && (lower.contains('.') || lower.contains('e')) || (hex && lower.contains('p'));
    if is_float {
        let single = lower.ends_with('f') && !hex;
        let num = lower.trim_end_matches(['f', 'l']);
        let v = num.parse::<f64>().unwrap_or(0.0);
        return Val { op: Operand::Float(v), ty: if single { ScalarType::Float } else { ScalarType::Double }, ap: false };
    }
    let v = crate::pp::expr::parse_int_literal(&t).unwrap_or(0);
    let unsigned = lower.trim_start_matches("0x").contains('u');
    let long = lower.ends_with('l') || v > i32::MAX as i64 || v < i32::MIN as i64;
    Val { op: Operand::Int(v), ty: ScalarType::Int { bits: if long { 64 } else { 32 }, signed: !unsigned }, ap: false }
}

impl<'a> FnCx<'a> {
    pub fn expr(&mut self, n: Node) -> Val {
        self.depth += 1;
        if self.depth > super::func::MAX_DEPTH {
            if self.too_deep.is_none() {
                self.too_deep = Some(self.loc(n));
            }
            self.depth -= 1;
            return Val::int(0);
        }
        let v = self.expr_inner(n);
        self.depth -= 1;
        v
    }

    pub(super) fn children<'t>(&self, n: Node<'t>) -> Vec<Node<'t>> {
        let mut c = n.walk();
        n.named_children(&mut c).filter(|x| x.kind() != "comment").collect()
    }

    fn expr_inner(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        match n.kind() {
            "number_literal" => literal(self.text(n)),
            "char_literal" => Val { op: Operand::Int(crate::pp::expr::parse_char_literal(self.text(n)).unwrap_or(0)), ty: ScalarType::Int { bits: 8, signed: true }, ap: false },
            "true" => Val { op: Operand::Int(1), ty: ScalarType::Bool, ap: false },
            "false" | "null" | "nullptr" => Val { op: Operand::Int(0), ty: ScalarType::Bool, ap: false },
            "string_literal" | "concatenated_string" | "raw_string_literal" => Val::int(0),
            // A `type_identifier` is a name read where the grammar guessed a type (`hls::task`).
            "identifier" | "type_identifier" => self.read_ident(self.text(n)),
            "qualified_identifier" => {
                let t = self.text(n);
                let last = t.rsplit("::").next().unwrap_or(t).trim();
                match self.g.consts.get(last) {
                    Some(v) => Val::int(*v),
                    None => Val { op: Operand::Scalar(t.to_string()), ty: ScalarType::I32, ap: false },
                }
            }
            "parenthesized_expression" | "condition_clause" => match self.children(n).last() {
                Some(inner) if inner.kind() == "comma_expression" => self.comma(*inner, true),
                Some(inner) => self.expr(*inner),
                None => Val::int(0),
            },
            "comma_expression" => self.comma(n, false),
            "binary_expression" => self.binary(n),
            "unary_expression" => self.unary(n, loc),
            "pointer_expression" => self.pointer(n, loc),
            "update_expression" => self.update(n, loc),
            "assignment_expression" => self.assign(n),
            "conditional_expression" => self.conditional(n, loc),
            "cast_expression" => self.cast(n, loc),
            "call_expression" => self.call(n),
            "subscript_expression" => self.subscript_read(n),
            "field_expression" => self.field_read(n),
            "sizeof_expression" | "alignof_expression" => {
                Val::int(super::consts::eval_const(n, self.src, self.g, &self.env).unwrap_or(4))
            }
            "initializer_list" => {
                for ch in self.children(n) {
                    self.expr(ch);
                }
                Val::int(0)
            }
            "compound_literal_expression" => {
                if let Some(v) = n.field("value") {
                    self.expr(v);
                }
                Val::int(0)
            }
            "template_function" | "this" | "lambda_expression" | "new_expression" | "delete_expression" | "throw_expression"
            | "ERROR" | "user_defined_literal" | "fold_expression" | "requires_expression" => Val::int(0),
            _ => {
                for ch in self.children(n) {
                    if ch.kind().ends_with("expression") || ch.kind() == "identifier" {
                        self.expr(ch);
                    }
                }
                Val::int(0)
            }
        }
    }

    #[inline(never)]
    fn unary(&mut self, n: Node, loc: hlsseek_ir::Loc) -> Val {
        let Some(arg) = n.field("argument") else { return Val::int(0) };
        let op = n.field("operator").map_or("", |o| self.text(o));
        let v = self.expr(arg);
        match (op, &v.op) {
            ("+", _) => v,
            ("-", Operand::Int(x)) => Val { op: Operand::Int(x.wrapping_neg()), ..v },
            ("-", Operand::Float(x)) => Val { op: Operand::Float(-x), ..v },
            ("-", _) => {
                let id = self.new_op(OpKind::Neg, v.ty, vec![v.op], None, loc);
                Val { op: Operand::Op(id), ..v }
            }
            ("!", _) => {
                let id = self.new_op(OpKind::Not, ScalarType::Bool, vec![v.op], None, loc);
                Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: false }
            }
            _ => {
                let id = self.new_op(OpKind::Not, v.ty, vec![v.op], None, loc);
                Val { op: Operand::Op(id), ..v }
            }
        }
    }

    #[inline(never)]
    fn pointer(&mut self, n: Node, loc: hlsseek_ir::Loc) -> Val {
        let Some(arg) = n.field("argument") else { return Val::int(0) };
        let op = n.field("operator").map_or("", |o| self.text(o));
        if op == "*" {
            if let Some((id, idx, operands)) = self.deref_access(arg) {
                let elem = self.arrays[id.0 as usize].elem;
                let ap = self.array_info[id.0 as usize].ap;
                let oid = self.new_op(OpKind::Load, elem, operands, Some(Access { array: id, index: idx }), loc);
                return Val { op: Operand::Op(oid), ty: elem, ap };
            }
            return self.expr(arg);
        }
        Val { op: Operand::Scalar(self.text(arg).to_string()), ty: ScalarType::Int { bits: 64, signed: false }, ap: false }
    }

    #[inline(never)]
    fn update(&mut self, n: Node, loc: hlsseek_ir::Loc) -> Val {
        let Some(arg) = n.field("argument") else { return Val::int(0) };
        let op = n.field("operator").map_or("++", |o| self.text(o));
        let cur = self.expr(arg);
        let kind = if op == "++" { OpKind::Add } else { OpKind::Sub };
        let one = Val::int(1);
        let v = self.binop(kind, cur, one, loc);
        self.write_lvalue(arg, v.clone());
        v
    }

    #[inline(never)]
    fn conditional(&mut self, n: Node, loc: hlsseek_ir::Loc) -> Val {
        let c = n.field("condition").map_or(Val::int(1), |c| self.expr(c));
        if let Operand::Int(k) = c.op {
            // A constant condition selects at compile time; the other arm is never built.
            let arm = if k != 0 { n.field("consequence") } else { n.field("alternative") };
            return arm.map_or(Val::int(0), |x| self.expr(x));
        }
        let a = n.field("consequence").map_or(Val::int(0), |x| self.expr(x));
        let b = n.field("alternative").map_or(Val::int(0), |x| self.expr(x));
        let (ty, ap) = arith_ty(&a, &b);
        let a = self.convert(a, ty, ap, loc);
        let b = self.convert(b, ty, ap, loc);
        let id = self.new_op(OpKind::Select, ty, vec![c.op, a.op, b.op], None, loc);
        Val { op: Operand::Op(id), ty, ap }
    }

    #[inline(never)]
    fn cast(&mut self, n: Node, loc: hlsseek_ir::Loc) -> Val {
        let ty = n.field("type").map(|t| self.g.resolve_type(t, self.src));
        let v = n.field("value").map_or(Val::int(0), |x| self.expr(x));
        match ty {
            Some(t) if t.dims.is_empty() && t.scalar != ScalarType::Void => self.convert(v, t.scalar, t.ap, loc),
            _ => v,
        }
    }

    fn read_ident(&mut self, name: &str) -> Val {
        match self.lookup(name) {
            Some((Var::Const(v, ty), _)) => Val { op: Operand::Int(v), ty: ty.scalar, ap: ty.ap },
            Some((Var::Scalar(ty), _)) => {
                let mut v = self.read_scalar_val(name, ty.scalar);
                v.ap = ty.ap;
                v
            }
            Some((Var::Array(..), _)) => Val { op: Operand::Scalar(name.to_string()), ty: ScalarType::Int { bits: 64, signed: false }, ap: false },
            None => {
                if let Some(v) = self.g.consts.get(name) {
                    let ty = self.g.scalars.get(name).map_or(ScalarType::I32, |t| t.scalar);
                    return Val { op: Operand::Int(*v), ty, ap: false };
                }
                if let Some(t) = self.g.scalars.get(name).cloned() {
                    let mut v = self.read_scalar_val(name, t.scalar);
                    v.ap = t.ap;
                    return v;
                }
                Val { op: Operand::Scalar(name.to_string()), ty: ScalarType::I32, ap: false }
            }
        }
    }

    /// The current value of a scalar in this region, noting reads of outer values.
    pub fn read_scalar_val(&mut self, name: &str, ty: ScalarType) -> Val {
        if let Some(v) = self.region().defs.get(name) {
            return v.clone();
        }
        // In an arm of a branch, what the code around it computed (up to the enclosing loop
        // or function body) is that operation's result; a value the variable truncates is
        // read by name, so that `narrow` sees the variable's width.
        let mut outer = self.regions.iter().rev();
        while outer.next().is_some_and(|r| r.arm) {
            match outer.clone().next().and_then(|r| r.defs.get(name)) {
                Some(v) if self.truncates(v) => break,
                Some(v) => return v.clone(),
                None => {}
            }
        }
        let scope = self.lookup(scalar_root(name)).map_or(0, |(_, s)| s);
        let r = self.region();
        if scope < r.scope_base && !r.exposed.iter().any(|(x, _)| x == name) {
            r.exposed.push((name.to_string(), scope));
        }
        Val { op: Operand::Scalar(name.to_string()), ty, ap: false }
    }

    pub fn write_scalar(&mut self, name: &str, v: Val) {
        if let Operand::Op(id) = v.op {
            self.defined_by.entry(id.0).or_insert_with(|| name.to_string());
            // Read by name later, the variable keeps this many bits of the value (`narrow`);
            // a non-integer variable keeps all of it.
            let bits = if matches!(v.ty, ScalarType::Int { .. }) { v.ty.bits() } else { u32::MAX };
            self.scalar_writes.push((id.0, name.to_string(), bits));
        }
        let r = self.region();
        if !name.contains(['.', '-']) && r.defs.keys().any(|k| scalar_root(k) == name && k != name) {
            r.defs.retain(|k, _| scalar_root(k) != name || k == name);
        }
        r.defs.insert(name.to_string(), v);
        if !r.written.iter().any(|x| x == name) {
            r.written.push(name.to_string());
        }
    }

    /// Convert to `ty`: a Cast when the type class changes (int ↔ float ↔ double); literals
    /// are converted in place.
    pub fn convert(&mut self, v: Val, ty: ScalarType, ap: bool, loc: hlsseek_ir::Loc) -> Val {
        if ty == ScalarType::Void {
            return v;
        }
        if v.ty.class() == ty.class() {
            let op = hlsseek_ir::fold::convert_literal(&v.op, ty).unwrap_or(v.op);
            return Val { op, ty, ap };
        }
        match v.op {
            Operand::Int(x) if ty.is_float() => Val { op: Operand::Float(x as f64), ty, ap },
            // Fixed point keeps fractional constants.
            Operand::Float(_) if matches!(ty, ScalarType::Fixed { .. }) => Val { op: v.op, ty, ap },
            Operand::Float(x) if !ty.is_float() => Val { op: Operand::Int(x as i64), ty, ap },
            Operand::Float(_) => Val { op: hlsseek_ir::fold::convert_literal(&v.op, ty).unwrap_or(v.op), ty, ap },
            op => {
                let kind = match (v.ty.is_float(), ty.is_float()) {
                    (true, true) => OpKind::FpConvert,
                    (true, false) => OpKind::FloatToInt { double: v.ty == ScalarType::Double },
                    _ => OpKind::Cast,
                };
                let id = self.new_op(kind, ty, vec![op], None, loc);
                Val { op: Operand::Op(id), ty, ap }
            }
        }
    }

    pub fn binop(&mut self, kind: OpKind, a: Val, b: Val, loc: hlsseek_ir::Loc) -> Val {
        let (ty, ap) = if matches!(kind, OpKind::Shl | OpKind::Shr) { (a.ty, a.ap) } else { arith_ty(&a, &b) };
        let ty = if matches!(kind, OpKind::Shl | OpKind::Shr) && !a.ap && !ty.is_float() {
            arith_ty(&a, &Val::int(0)).0
        } else {
            ty
        };
        let a = self.convert(a, ty, ap, loc);
        let b = if matches!(kind, OpKind::Shl | OpKind::Shr) { b } else { self.convert(b, ty, ap, loc) };
        if let Some(c) = hlsseek_ir::fold::binary(&kind, ty, &a.op, &b.op).or_else(|| hlsseek_ir::fold::identity(&kind, ty, &a.op, &b.op)) {
            return Val { op: c, ty, ap };
        }
        let id = self.new_op(kind, ty, vec![a.op, b.op], None, loc);
        Val { op: Operand::Op(id), ty, ap }
    }

    #[inline(never)]
    fn comma(&mut self, n: Node, parenthesized: bool) -> Val {
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else { return Val::int(0) };
        let loc = self.loc(n);
        let a = self.expr(l);
        let b = self.expr(r);
        if parenthesized && a.ap && b.ap && !a.ty.is_float() && !b.ty.is_float() {
            // ap_int concatenation `(a, b)`.
            let bits = (a.ty.bits() + b.ty.bits()).clamp(1, 4096) as u16;
            let ty = ScalarType::Int { bits, signed: false };
            let id = self.new_op(OpKind::Or, ty, vec![a.op, b.op], None, loc);
            return Val { op: Operand::Op(id), ty, ap: true };
        }
        b
    }

    #[inline(never)]
    fn binary(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else { return Val::int(0) };
        let op = n.field("operator").map_or("", |o| self.text(o)).to_string();
        if op == ">>" || op == "<<" {
            if let Some(id) = self.stream_named(l) {
                return self.stream_shift(id, &op, r, loc);
            }
            if self.text(l).trim() == "std::cout" || self.text(l).trim() == "cout" || self.text(l).contains("cout <<") {
                return Val::int(0);
            }
        }
        let a = self.expr(l);
        let b = self.expr(r);
        match op.as_str() {
            "<" | ">" | "<=" | ">=" | "==" | "!=" | "<=>" => {
                let (ty, ap) = arith_ty(&a, &b);
                let a = self.convert(a, ty, ap, loc);
                let b = self.convert(b, ty, ap, loc);
                if let Some(c) = hlsseek_ir::fold::compare(&op, &a.op, &b.op) {
                    return Val { op: c, ty: ScalarType::Bool, ap: false };
                }
                let id = self.new_op(OpKind::Cmp, ty, vec![a.op, b.op], None, loc);
                Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: false }
            }
            "&&" | "||" | "and" | "or" => {
                let kind = if op == "&&" || op == "and" { OpKind::And } else { OpKind::Or };
                let id = self.new_op(kind, ScalarType::Bool, vec![a.op, b.op], None, loc);
                Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: false }
            }
            _ => match assoc_binop(&op) {
                Some(kind) => self.binop(kind, a, b, loc),
                None => a,
            },
        }
    }

    #[inline(never)]
    fn assign(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        let (Some(l), Some(r)) = (n.field("left"), n.field("right")) else { return Val::int(0) };
        let op = n.field("operator").map_or("=", |o| self.text(o)).to_string();
        let first_op = self.next_op;
        let rhs = if r.kind() == "initializer_list" {
            let ch = self.children(r);
            ch.first().map_or(Val::int(0), |x| self.expr(*x))
        } else {
            self.expr(r)
        };
        let v = if op == "=" {
            rhs
        } else {
            let cur = self.expr(l);
            let bop = op.trim_end_matches('=');
            match assoc_binop(bop) {
                Some(kind) => self.binop(kind, cur, rhs, loc),
                None => rhs,
            }
        };
        if !self.stores_what_it_read(l, r, &v, first_op) {
            self.write_lvalue(l, v.clone());
        }
        v
    }

    /// `a[i] = a[i] + 0 * x`: once folding has reduced the right side to the load of the very
    /// element written, the store writes back what is there, and LLVM deletes it (with the
    /// loads feeding nothing else after it). Only when the load is this statement's own and the
    /// right side has no side effect of its own that could change the element in between.
    fn stores_what_it_read(&self, l: Node, r: Node, v: &Val, first_op: u32) -> bool {
        let Operand::Op(id) = v.op else { return false };
        if id.0 < first_op || l.kind() != "subscript_expression" || has_side_effects(r) {
            return false;
        }
        let squash = |t: &str| t.split_whitespace().collect::<String>();
        self.element_reads.get(&id.0).is_some_and(|range| squash(&self.src[range.clone()]) == squash(self.text(l)))
    }

    pub fn write_lvalue(&mut self, n: Node, v: Val) {
        let loc = self.loc(n);
        match n.kind() {
            "identifier" => {
                let name = self.text(n).to_string();
                match self.lookup(&name) {
                    Some((Var::Scalar(ty), _)) => {
                        let v = self.convert(v, ty.scalar, ty.ap, loc);
                        self.write_scalar(&name, v);
                    }
                    Some(_) => {}
                    None => {
                        let ty = self.g.scalars.get(&name).map(|t| (t.scalar, t.ap));
                        if ty.is_some() && !self.global_writes.contains(&name) {
                            self.global_writes.push(name.clone());
                        }
                        let v = match ty {
                            Some((t, ap)) => self.convert(v, t, ap, loc),
                            None => v,
                        };
                        self.write_scalar(&name, v);
                    }
                }
            }
            "parenthesized_expression" => {
                if let Some(inner) = self.children(n).last().copied() {
                    self.write_lvalue(inner, v);
                }
            }
            "subscript_expression" => {
                if let Some((elem, _)) = self.element_and_bits(n) {
                    // Bit set on an ap array element: x[i][k] = b reads, merges and writes x[i].
                    let cur = self.subscript_read(elem);
                    let id = self.new_op(OpKind::Or, cur.ty, vec![cur.op, v.op], None, loc);
                    self.write_lvalue(elem, Val { op: Operand::Op(id), ty: cur.ty, ap: cur.ap });
                } else if let Some((id, idx, mut operands, elem, ap)) = self.subscript_access(n) {
                    let v = self.convert(v, elem, ap, loc);
                    operands.insert(0, v.op);
                    self.new_op(OpKind::Store, elem, operands, Some(Access { array: id, index: idx }), loc);
                } else if let Some(base) = n.field("argument") {
                    // Bit set on an ap scalar: x[k] = b.
                    if let Some((Var::Scalar(ty), _)) = self.lookup(self.text(base)) {
                        let cur = self.expr(base);
                        let id = self.new_op(OpKind::Or, ty.scalar, vec![cur.op, v.op], None, loc);
                        let name = self.text(base).to_string();
                        self.write_scalar(&name, Val { op: Operand::Op(id), ty: ty.scalar, ap: ty.ap });
                    }
                }
            }
            "pointer_expression" => {
                if let Some(arg) = n.field("argument") {
                    if let Some((id, idx, mut operands)) = self.deref_access(arg) {
                        let elem = self.arrays[id.0 as usize].elem;
                        let ap = self.array_info[id.0 as usize].ap;
                        let v = self.convert(v, elem, ap, loc);
                        operands.insert(0, v.op);
                        self.new_op(OpKind::Store, elem, operands, Some(Access { array: id, index: idx }), loc);
                    }
                }
            }
            "field_expression" => {
                if let Some((id, idx, mut operands, fty)) = self.field_access(n) {
                    operands.insert(0, v.op);
                    self.new_op(OpKind::Store, fty, operands, Some(Access { array: id, index: idx }), loc);
                } else {
                    let name = self.text(n).replace(' ', "");
                    let ty = self.field_type(n).unwrap_or(v.ty);
                    let ap = v.ap;
                    let v = self.convert(v, ty, ap, loc);
                    self.write_scalar(&name, v);
                }
            }
            "call_expression" => {
                // x.range(h, l) = v / x(h, l) = v: read-modify-write of x.
                let f = n.field("function");
                let base = match f.map(|f| f.kind()) {
                    Some("field_expression") => f.and_then(|f| f.field("argument")),
                    Some("identifier") => f,
                    _ => None,
                };
                if let Some(b) = base {
                    if let Some((Var::Scalar(ty), _)) = self.lookup(self.text(b)) {
                        let cur = self.expr(b);
                        let id = self.new_op(OpKind::Or, ty.scalar, vec![cur.op, v.op], None, loc);
                        let name = self.text(b).to_string();
                        self.write_scalar(&name, Val { op: Operand::Op(id), ty: ty.scalar, ap: ty.ap });
                    }
                }
            }
            _ => {}
        }
    }

    /// Split `A[i][j]` into `A` and `[i, j]`.
    fn flatten_subscript<'t>(&self, n: Node<'t>) -> (Node<'t>, Vec<Node<'t>>) {
        let mut idx_rev = Vec::new();
        let mut cur = n;
        while cur.kind() == "subscript_expression" && idx_rev.len() < 64 {
            if let Some(list) = cur.field("indices").or_else(|| cur.field("index")) {
                let mut c = list.walk();
                let inner: Vec<Node> = if list.kind() == "subscript_argument_list" { list.named_children(&mut c).collect() } else { vec![list] };
                for i in inner.into_iter().rev() {
                    idx_rev.push(i);
                }
            }
            match cur.field("argument") {
                Some(a) => cur = a,
                None => break,
            }
        }
        idx_rev.reverse();
        (cur, idx_rev)
    }

    /// The array a base expression names (locals, params, file-scope arrays, struct members).
    fn array_of(&mut self, base: Node) -> Option<ArrayId> {
        match base.kind() {
            "identifier" => {
                let name = self.text(base).to_string();
                match self.lookup(&name) {
                    Some((Var::Array(id, _), _)) => Some(id),
                    Some(_) => None,
                    None => {
                        let (ty, loc) = self.g.arrays.get(&name).cloned()?;
                        if let Some(i) = self.arrays.iter().position(|a| a.name == name && a.kind == ArrayKind::Static) {
                            return Some(ArrayId(i as u32));
                        }
                        let id = self.add_array(name.clone(), loc, &ty, ArrayKind::Static);
                        self.scopes[0].insert(name, Var::Array(id, ty));
                        Some(id)
                    }
                }
            }
            "field_expression" | "qualified_identifier" => {
                // A member array: modelled as its own array named `s.m`.
                let name = self.text(base).replace(' ', "");
                if let Some((Var::Array(id, _), _)) = self.lookup(&name) {
                    return Some(id);
                }
                let loc = self.loc(base);
                let ty = TyInfo { dims: self.field_dims(base), ..TyInfo::scalar(self.field_type(base).unwrap_or(ScalarType::I32)) };
                let id = self.add_array(name.clone(), loc, &ty, ArrayKind::Local);
                self.scopes[0].insert(name, Var::Array(id, ty));
                Some(id)
            }
            "parenthesized_expression" => {
                let inner = self.children(base).last().copied()?;
                self.array_of(inner)
            }
            _ => None,
        }
    }

    pub fn stream_named(&self, n: Node) -> Option<ArrayId> {
        match self.lookup(self.text(n).trim()) {
            Some((Var::Array(id, t), _)) if t.stream => Some(id),
            _ => None,
        }
    }

    /// Array, indices, index operands, element type and ap-ness of `A[i][j]`.
    #[allow(clippy::type_complexity)]
    fn subscript_access(&mut self, n: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>, ScalarType, bool)> {
        let (base, indices) = self.flatten_subscript(n);
        if base.kind() == "identifier" {
            if let Some((Var::Scalar(_) | Var::Const(..), _)) = self.lookup(self.text(base)) {
                return None;
            }
        }
        let id = self.array_of(base)?;
        let mut idx = Vec::new();
        let mut operands = Vec::new();
        for i in indices {
            let (e, op) = self.index_expr(i);
            idx.push(e);
            if let Some(op) = op {
                operands.push(op);
            }
        }
        let a = &self.arrays[id.0 as usize];
        Some((id, idx, operands, a.elem, self.array_info[id.0 as usize].ap))
    }

    /// `x[i][b]` on a one-dimensional array of `ap_int`: a subscript past the array's rank
    /// selects a bit of the element. The element expression (`x[i]`) and the bit indices.
    fn element_and_bits<'t>(&mut self, n: Node<'t>) -> Option<(Node<'t>, Vec<Node<'t>>)> {
        let (base, mut indices) = self.flatten_subscript(n);
        if base.kind() == "identifier" && matches!(self.lookup(self.text(base)), Some((Var::Scalar(_) | Var::Const(..), _))) {
            return None;
        }
        let id = self.array_of(base)?.0 as usize;
        let rank = self.arrays[id].dims.len().max(1);
        if indices.len() <= rank || !self.array_info[id].ap {
            return None;
        }
        let bits = indices.split_off(rank);
        let mut elem = n;
        for _ in 0..bits.len() {
            elem = elem.field("argument")?;
        }
        (elem.kind() == "subscript_expression").then_some((elem, bits))
    }

    #[inline(never)]
    fn subscript_read(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        if let Some((elem, bits)) = self.element_and_bits(n) {
            let v = self.subscript_read(elem);
            let mut operands = vec![v.op];
            for b in bits {
                operands.push(self.expr(b).op);
            }
            let id = self.new_op(OpKind::And, ScalarType::Bool, operands, None, loc);
            return Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: true };
        }
        if let Some((id, idx, operands, elem, ap)) = self.subscript_access(n) {
            let oid = self.new_op(OpKind::Load, elem, operands, Some(Access { array: id, index: idx }), loc);
            self.element_reads.insert(oid.0, n.byte_range());
            return Val { op: Operand::Op(oid), ty: elem, ap };
        }
        // Bit select on a scalar (ap_int x[k]).
        let (base, indices) = self.flatten_subscript(n);
        let b = self.expr(base);
        let mut operands = vec![b.op];
        for i in indices {
            operands.push(self.expr(i).op);
        }
        let id = self.new_op(OpKind::And, ScalarType::Bool, operands, None, loc);
        Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: true }
    }

    /// `*p`, `*(p + k)`: the array and index.
    fn deref_access(&mut self, arg: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>)> {
        let (base, off) = match arg.kind() {
            "binary_expression" if arg.field("operator").is_some_and(|o| self.text(o) == "+") => {
                (arg.field("left")?, arg.field("right"))
            }
            "parenthesized_expression" => return self.deref_access(self.children(arg).last().copied()?),
            _ => (arg, None),
        };
        let id = self.array_of(base)?;
        let (e, op) = match off {
            Some(o) => self.index_expr(o),
            None => (IndexExpr::constant(0), None),
        };
        Some((id, vec![e], op.into_iter().collect()))
    }

    /// The struct type of the base of `s.f` / `p->f` / `a[i].f`, and the field's name.
    fn field_of(&self, n: Node) -> Option<(String, &'a str)> {
        let field = n.field("field").map(|f| self.text(f))?;
        let base = n.field("argument")?;
        let (b, _) = self.flatten_subscript(base);
        let sname = match self.lookup(self.text(b).trim()) {
            Some((Var::Scalar(t) | Var::Array(_, t) | Var::Const(_, t), _)) => t.struct_name,
            None => None,
        }?;
        Some((sname, field))
    }

    fn field_type(&self, n: Node) -> Option<ScalarType> {
        let (sname, field) = self.field_of(n)?;
        if sname.starts_with("ap_axi") || sname == "axis" {
            return match field {
                "data" => None,
                _ => Some(ScalarType::Int { bits: 1, signed: false }),
            };
        }
        self.g.structs.get(&sname)?.fields.get(field).map(|(t, _)| *t)
    }

    /// Extents of a member array (`s.m`, `p->m`), one unknown dimension when the struct's
    /// declaration does not say.
    fn field_dims(&self, n: Node) -> Vec<Option<u64>> {
        self.field_of(n)
            .and_then(|(sname, field)| self.g.structs.get(&sname)?.fields.get(field).map(|(_, dims)| dims.clone()))
            .filter(|dims| !dims.is_empty())
            .unwrap_or_else(|| vec![None])
    }

    /// `a[i].f` / `p->f` on an array of structs: the element access with the field's type.
    fn field_access(&mut self, n: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>, ScalarType)> {
        let base = n.field("argument")?;
        let arrow = n.field("operator").is_some_and(|o| self.text(o) == "->");
        let fty = self.field_type(n);
        if base.kind() == "subscript_expression" {
            let (id, idx, ops, elem, _) = self.subscript_access(base)?;
            return Some((id, idx, ops, fty.unwrap_or(elem)));
        }
        if arrow {
            let id = self.array_of(base)?;
            let elem = self.arrays[id.0 as usize].elem;
            return Some((id, vec![IndexExpr::constant(0)], Vec::new(), fty.unwrap_or(elem)));
        }
        None
    }

    #[inline(never)]
    fn field_read(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        if let Some((id, idx, ops, ty)) = self.field_access(n) {
            let oid = self.new_op(OpKind::Load, ty, ops, Some(Access { array: id, index: idx }), loc);
            return Val { op: Operand::Op(oid), ty, ap: false };
        }
        let name = self.text(n).replace(' ', "");
        let ty = self.field_type(n).unwrap_or(ScalarType::I32);
        // A field of a struct local assigned whole (`Node node = nodes[i];`) is wires of that
        // value: reading it depends on the value's op (a tree walk's next index comes from
        // the node it loaded), and costs nothing.
        let root = scalar_root(&name);
        if root != name && self.whole_value_is_newer(&name, root) {
            return Val { ty, ap: false, ..self.read_scalar_val(root, ty) };
        }
        self.read_scalar_val(&name, ty)
    }

    /// Whether struct `root` was last assigned whole, after any write of its field `field`
    /// (open regions, innermost first; a whole write drops its region's field values).
    fn whole_value_is_newer(&self, field: &str, root: &str) -> bool {
        for r in self.regions.iter().rev() {
            if r.defs.contains_key(field) {
                return false;
            }
            if r.defs.contains_key(root) {
                return true;
            }
        }
        false
    }

    /// An index as an affine expression over induction variables and invariant scalars; a
    /// data-dependent index also yields the operand computing it.
    pub fn index_expr(&mut self, n: Node) -> (IndexExpr, Option<Operand>) {
        let mut terms: Vec<(String, i64)> = Vec::new();
        if let Some(c) = self.affine(n, 1, &mut terms, 0) {
            let mut merged: Vec<(String, i64)> = Vec::new();
            for (v, k) in terms {
                match merged.iter_mut().find(|(x, _)| *x == v) {
                    Some(e) => e.1 += k,
                    None => merged.push((v, k)),
                }
            }
            merged.retain(|(_, k)| *k != 0);
            return (IndexExpr { terms: merged, constant: c, affine: true }, None);
        }
        let mut names = Vec::new();
        self.collect_vars(n, &mut names, 0);
        let v = self.expr(n);
        let terms = names.into_iter().map(|x| (x, 1)).collect();
        (IndexExpr { terms, constant: 0, affine: false }, Some(v.op))
    }

    fn collect_vars(&self, n: Node, out: &mut Vec<String>, depth: u32) {
        if depth > 64 {
            return;
        }
        if n.kind() == "identifier" {
            let t = self.text(n).to_string();
            if matches!(self.lookup(&t), Some((Var::Scalar(_), _))) && !out.contains(&t) {
                out.push(t);
            }
            return;
        }
        let mut c = n.walk();
        for ch in n.named_children(&mut c) {
            self.collect_vars(ch, out, depth + 1);
        }
    }

    fn is_iv(&self, name: &str) -> bool {
        self.loops.iter().any(|f| f.var.as_deref() == Some(name))
    }

    /// `scale * n` as affine terms; returns the constant part.
    pub(super) fn affine(&self, n: Node, scale: i64, terms: &mut Vec<(String, i64)>, depth: u32) -> Option<i64> {
        if depth > 64 {
            return None;
        }
        match n.kind() {
            "number_literal" | "char_literal" | "sizeof_expression" => {
                super::consts::eval_const(n, self.src, self.g, &self.env).map(|v| v.wrapping_mul(scale))
            }
            "identifier" => {
                let name = self.text(n);
                if self.is_iv(name) {
                    terms.push((name.to_string(), scale));
                    return Some(0);
                }
                let found = self.lookup(name);
                if let (Some(d), Some((_, scope))) = (self.affine_defs.iter().rev().find(|d| d.name == name), &found) {
                    let rebound = self.loops.get(d.loop_depth..).unwrap_or_default().iter().any(|f| d.terms.iter().any(|(v, _)| f.var.as_deref() == Some(v)));
                    if d.var_scope == *scope && !rebound {
                        terms.extend(d.terms.iter().map(|(v, k)| (v.clone(), k.wrapping_mul(scale))));
                        return Some(d.constant.wrapping_mul(scale));
                    }
                }
                match found {
                    Some((Var::Const(v, _), _)) => Some(v.wrapping_mul(scale)),
                    Some((Var::Scalar(_), scope)) if !self.assigned.contains_key(name) && scope <= 1 => {
                        terms.push((name.to_string(), scale));
                        Some(0)
                    }
                    Some(_) => None,
                    None => self.g.consts.get(name).map(|v| v.wrapping_mul(scale)),
                }
            }
            "parenthesized_expression" => self.affine(*self.children(n).last()?, scale, terms, depth + 1),
            "cast_expression" => self.affine(n.field("value")?, scale, terms, depth + 1),
            "unary_expression" => {
                let op = self.text(n.field("operator")?);
                let a = n.field("argument")?;
                match op {
                    "-" => self.affine(a, scale.wrapping_neg(), terms, depth + 1),
                    "+" => self.affine(a, scale, terms, depth + 1),
                    _ => None,
                }
            }
            "binary_expression" => {
                let op = self.text(n.field("operator")?);
                let (l, r) = (n.field("left")?, n.field("right")?);
                match op {
                    "+" => Some(self.affine(l, scale, terms, depth + 1)?.wrapping_add(self.affine(r, scale, terms, depth + 1)?)),
                    "-" => Some(self.affine(l, scale, terms, depth + 1)?.wrapping_sub(self.affine(r, scale, terms, depth + 1)?)),
                    "*" => {
                        if let Some(k) = super::consts::eval_const(r, self.src, self.g, &self.env) {
                            self.affine(l, scale.wrapping_mul(k), terms, depth + 1)
                        } else {
                            let k = super::consts::eval_const(l, self.src, self.g, &self.env)?;
                            self.affine(r, scale.wrapping_mul(k), terms, depth + 1)
                        }
                    }
                    "<<" => {
                        let k = super::consts::eval_const(r, self.src, self.g, &self.env)?;
                        self.affine(l, scale.wrapping_mul(1i64.checked_shl(k.clamp(0, 62) as u32)?), terms, depth + 1)
                    }
                    _ => {
                        // Constant sub-expressions (`N / 2`) are fine; anything else is not affine.
                        let terms_before = terms.len();
                        let v = super::consts::eval_const(n, self.src, self.g, &self.env)?;
                        terms.truncate(terms_before);
                        Some(v.wrapping_mul(scale))
                    }
                }
            }
            _ => super::consts::eval_const(n, self.src, self.g, &self.env).map(|v| v.wrapping_mul(scale)),
        }
    }

    fn stream_shift(&mut self, id: ArrayId, op: &str, r: Node, loc: hlsseek_ir::Loc) -> Val {
        let elem = self.arrays[id.0 as usize].elem;
        let access = Some(Access { array: id, index: Vec::new() });
        if op == ">>" {
            let oid = self.new_op(OpKind::StreamRead, elem, Vec::new(), access, loc);
            let v = Val { op: Operand::Op(oid), ty: elem, ap: self.array_info[id.0 as usize].ap };
            self.write_lvalue(r, v.clone());
            v
        } else {
            let v = self.expr(r);
            let v = self.convert(v, elem, false, loc);
            self.new_op(OpKind::StreamWrite, elem, vec![v.op], access, loc);
            Val::int(0)
        }
    }

    #[inline(never)]
    fn call(&mut self, n: Node) -> Val {
        let loc = self.loc(n);
        let Some(f) = n.field("function") else { return Val::int(0) };
        let args: Vec<Node> = n.field("arguments").map(|a| self.children(a)).unwrap_or_default();
        if f.kind() == "field_expression" {
            return self.method_call(f, &args, loc);
        }
        // `(T)(x)` parsed as a call, `T(x)`, `ap_uint<8>(x)`, `static_cast<T>(x)`: casts.
        if let Some(t) = self.functional_cast_type(f) {
            let v = args.first().map_or(Val::int(0), |a| self.expr(*a));
            return match t {
                Some(t) => self.convert(v, t.scalar, t.ap, loc),
                None => v,
            };
        }
        let full = match f.kind() {
            "template_function" => f.field("name").map_or("", |x| self.text(x)),
            _ => self.text(f),
        }
        .trim()
        .to_string();
        let name = full.split('<').next().unwrap_or(&full).rsplit("::").next().unwrap_or(&full).trim().to_string();
        // x(h, l) on an ap scalar: a bit range.
        if f.kind() == "identifier" {
            if let Some((Var::Scalar(ty), _)) = self.lookup(&name) {
                let v = self.read_scalar_val(&name, ty.scalar);
                return self.bit_range(v, &args, loc);
            }
        }
        if self.g.funcs.contains_key(&name) && !full.starts_with("std::") && !full.starts_with("hls::") {
            return self.user_call(&name, &args, loc, false);
        }
        if IGNORED_CALLS.contains(&name.as_str()) {
            return Val::int(0);
        }
        if IDENTITY_CALLS.contains(&name.as_str()) {
            return args.first().map_or(Val::int(0), |a| self.expr(*a));
        }
        if name == "__builtin_inff" || name == "__builtin_huge_val" || name == "infinity" || name == "__builtin_nanf" {
            return Val { op: Operand::Float(f64::MAX), ty: ScalarType::Float, ap: false };
        }
        if name == "swap" && args.len() == 2 {
            // `std::swap(a[j], a[j + 1])`: two reads, then each value written to the other
            // place (sorting kernels: the stores are what carries the dependence).
            let (x, y) = (self.expr(args[0]), self.expr(args[1]));
            self.write_lvalue(args[0], y);
            self.write_lvalue(args[1], x);
            return Val::int(0);
        }
        let vals: Vec<Val> = args.iter().map(|a| self.expr(*a)).collect();
        if let Some(t) = builtin(&name).filter(|t| *t != ScalarType::Void) {
            // Functional cast `float(x)`.
            if let Some(v) = vals.into_iter().next() {
                return self.convert(v, t, false, loc);
            }
            return Val::int(0);
        }
        if let Some(kind) = math_kind(&name) {
            let single = name.ends_with('f') && name != "fabs" || name.starts_with('h');
            let mut ty = vals.iter().map(|v| v.ty).fold(ScalarType::Void, |acc, t| if acc == ScalarType::Void || rank(t) > rank(acc) { t } else { acc });
            let mut ap = vals.iter().any(|v| v.ap);
            if matches!(kind, OpKind::Sqrt | OpKind::Exp | OpKind::Log | OpKind::Pow | OpKind::Trig) && !ty.is_float() && !ap {
                ty = ScalarType::Double;
            }
            if single && !ap {
                ty = ScalarType::Float;
            }
            // `cosh(x)` on a float, unqualified, may only see the C library's double function.
            // Not `sqrt`: its float result is exact, so LLVM narrows `(float)sqrt((double)x)`
            // back to `sqrtf(x)` (the recorded kernels agree).
            let global = !full.contains("::") || full.starts_with("::");
            let transcendental = matches!(kind, OpKind::Exp | OpKind::Log | OpKind::Pow | OpKind::Trig);
            if transcendental && global && !single && !ap && self.pp.math == MathLookup::DoubleOnly && ty.is_float() {
                ty = ScalarType::Double;
            }
            if ty == ScalarType::Void {
                ty = ScalarType::Double;
                ap = false;
            }
            let ops: Vec<Operand> = vals.into_iter().map(|v| self.convert(v, ty, ap, loc).op).collect();
            if let Some(c) = hlsseek_ir::fold::math(&name, ty, &ops) {
                return Val { op: c, ty, ap };
            }
            let id = self.new_op(kind, ty, ops, None, loc);
            return Val { op: Operand::Op(id), ty, ap };
        }
        let ty = vals.first().map_or(ScalarType::I32, |v| v.ty);
        let ops = vals.into_iter().map(|v| v.op).collect();
        let id = self.new_op(OpKind::Other(name), ty, ops, None, loc);
        Val { op: Operand::Op(id), ty, ap: false }
    }

    /// When `f` (the callee of a call) is really a type: `Some(Some(t))` for a scalar type,
    /// `Some(None)` for a cast whose type is not understood.
    fn functional_cast_type(&self, f: Node) -> Option<Option<TyInfo>> {
        match f.kind() {
            "parenthesized_expression" => {
                let inner = *self.children(f).last()?;
                if matches!(inner.kind(), "template_function" | "template_type" | "qualified_identifier") {
                    let t = self.g.resolve_type(inner, self.src);
                    return (t.known && t.dims.is_empty()).then_some(Some(t));
                }
                if inner.kind() != "identifier" {
                    return None;
                }
                let name = self.text(inner);
                if self.lookup(name).is_some() {
                    return None;
                }
                self.named_type(name).map(Some)
            }
            "identifier" => {
                let name = self.text(f);
                if self.lookup(name).is_some() || self.g.funcs.contains_key(name) {
                    return None;
                }
                self.named_type(name).filter(|t| t.scalar != ScalarType::Void).map(Some)
            }
            "template_function" => {
                let name = f.field("name").map_or("", |x| self.text(x));
                let base = name.rsplit("::").next().unwrap_or(name);
                match base {
                    "static_cast" | "reinterpret_cast" | "const_cast" | "dynamic_cast" | "bit_cast" => {
                        let args = f.field("arguments")?;
                        let t = self.children(args).first().map(|a| self.g.resolve_type(*a, self.src));
                        Some(t.filter(|t| t.known && t.dims.is_empty()))
                    }
                    "ap_int" | "ap_uint" | "ap_fixed" | "ap_ufixed" => {
                        // Re-resolve as a template type through its text.
                        Some(Some(self.g.resolve_type(f, self.src)))
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }

    fn named_type(&self, name: &str) -> Option<TyInfo> {
        if let Some(t) = self.g.typedefs.get(name) {
            return (t.dims.is_empty() && !t.stream).then(|| t.clone());
        }
        builtin(name).map(TyInfo::scalar)
    }

    /// A call of a function of the kernel; `free_running`: a task, started and not waited for.
    #[inline(never)]
    pub(super) fn user_call(&mut self, name: &str, args: &[Node], loc: hlsseek_ir::Loc, free_running: bool) -> Val {
        let mut array_args = Vec::new();
        let mut const_args = Vec::new();
        let array_params = self.g.funcs.get(name).map(|s| s.array_params.clone()).unwrap_or_default();
        for (i, a) in args.iter().enumerate() {
            // `f(A[i])` passes a row when the callee takes an array there, an element otherwise.
            let callee_takes_array = array_params.get(i).copied().unwrap_or(false);
            let whole_element = a.kind() == "subscript_expression" && !callee_takes_array && {
                let (base, idx) = self.flatten_subscript(*a);
                match self.lookup(self.text(base)) {
                    Some((Var::Array(id, _), _)) => idx.len() >= self.arrays[id.0 as usize].dims.len(),
                    _ => true,
                }
            };
            if whole_element {
                self.scalar_arg(i, *a, &mut const_args);
                continue;
            }
            if let Some(Var::Array(id, _)) = self.array_named_by(*a) {
                array_args.push((i as u32, id));
                // Subscripted sub-arrays still read their index expressions.
                if a.kind() == "subscript_expression" {
                    let (_, idx) = self.flatten_subscript(*a);
                    for i in idx {
                        self.index_expr(i);
                    }
                }
                continue;
            }
            if let Some(id) = self.stream_named(*a) {
                array_args.push((i as u32, id));
                continue;
            }
            self.scalar_arg(i, *a, &mut const_args);
        }
        self.region().nodes.push(IrNode::Call(Call { callee: name.to_string(), loc, array_args, free_running, const_args }));
        let ret = self.g.funcs.get(name).map(|s| (s.ret.scalar, s.ret.ap)).unwrap_or((ScalarType::Void, false));
        if ret.0 == ScalarType::Void {
            return Val::int(0);
        }
        Val { op: Operand::Scalar(format!("{name}()")), ty: ret.0, ap: ret.1 }
    }

    /// Lowers scalar argument `i`, noting its value where it folded to an integer constant
    /// (the call-site specialisation in `specialize` binds it in the callee).
    fn scalar_arg(&mut self, i: usize, a: Node, const_args: &mut Vec<(u32, i64)>) {
        if let Some(c) = self.expr(a).op.as_int() {
            const_args.push((i as u32, c));
        }
    }

    fn bit_range(&mut self, v: Val, args: &[Node], loc: hlsseek_ir::Loc) -> Val {
        let consts: Vec<Option<i64>> = args.iter().map(|a| super::consts::eval_const(*a, self.src, self.g, &self.env)).collect();
        let width = match consts.as_slice() {
            [Some(h), Some(l)] => ((h - l).abs() + 1).clamp(1, 4096) as u16,
            [] => v.ty.bits().max(1) as u16,
            _ => v.ty.bits().max(1) as u16,
        };
        let mut ops = vec![v.op];
        for (a, c) in args.iter().zip(&consts) {
            if c.is_none() {
                ops.push(self.expr(*a).op);
            }
        }
        let ty = ScalarType::Int { bits: width, signed: false };
        let id = self.new_op(OpKind::Shr, ty, ops, None, loc);
        Val { op: Operand::Op(id), ty, ap: true }
    }

    #[inline(never)]
    fn method_call(&mut self, f: Node, args: &[Node], loc: hlsseek_ir::Loc) -> Val {
        let Some(obj) = f.field("argument") else { return Val::int(0) };
        let method = f.field("field").map_or("", |m| self.text(m)).to_string();
        if let Some(id) = self.stream_named(obj) {
            let elem = self.arrays[id.0 as usize].elem;
            let ap = self.array_info[id.0 as usize].ap;
            let access = Some(Access { array: id, index: Vec::new() });
            return match method.as_str() {
                "read" | "read_nb" => {
                    let oid = self.new_op(OpKind::StreamRead, elem, Vec::new(), access, loc);
                    let v = Val { op: Operand::Op(oid), ty: elem, ap };
                    if let Some(dst) = args.first() {
                        self.write_lvalue(*dst, v.clone());
                    }
                    if method == "read_nb" {
                        return Val { op: Operand::Scalar(format!("{}.read_nb()", self.text(obj))), ty: ScalarType::Bool, ap: false };
                    }
                    v
                }
                "write" | "write_nb" => {
                    let v = args.first().map_or(Val::int(0), |a| self.expr(*a));
                    let v = self.convert(v, elem, ap, loc);
                    self.new_op(OpKind::StreamWrite, elem, vec![v.op], access, loc);
                    Val { op: Operand::Int(1), ty: ScalarType::Bool, ap: false }
                }
                _ => Val { op: Operand::Scalar(format!("{}.{method}()", self.text(obj))), ty: ScalarType::Bool, ap: false },
            };
        }
        let v = self.expr(obj);
        match method.as_str() {
            "range" | "get_range" => self.bit_range(v, args, loc),
            "get_bit" | "test" | "bit" => {
                let mut ops = vec![v.op];
                for a in args {
                    ops.push(self.expr(*a).op);
                }
                let id = self.new_op(OpKind::And, ScalarType::Bool, ops, None, loc);
                Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: true }
            }
            "set_bit" | "set" | "clear" | "reset" | "flip" | "set_range" => {
                let mut ops = vec![v.op];
                for a in args {
                    ops.push(self.expr(*a).op);
                }
                let id = self.new_op(OpKind::Or, v.ty, ops, None, loc);
                let nv = Val { op: Operand::Op(id), ty: v.ty, ap: v.ap };
                if obj.kind() == "identifier" {
                    let name = self.text(obj).to_string();
                    self.write_scalar(&name, nv.clone());
                }
                nv
            }
            "to_int" | "to_uint" | "to_long" | "to_ulong" | "to_int64" | "to_uint64" | "to_short" | "to_ushort" | "to_char"
            | "to_uchar" | "to_bool" => {
                let ty = match method.as_str() {
                    "to_int" => ScalarType::I32,
                    "to_uint" => ScalarType::Int { bits: 32, signed: false },
                    "to_bool" => ScalarType::Bool,
                    "to_short" | "to_ushort" => ScalarType::Int { bits: 16, signed: method == "to_short" },
                    "to_char" | "to_uchar" => ScalarType::Int { bits: 8, signed: method == "to_char" },
                    _ => ScalarType::Int { bits: 64, signed: !method.contains('u') },
                };
                self.convert(v, ty, false, loc)
            }
            "to_double" => self.convert(v, ScalarType::Double, false, loc),
            "to_float" => self.convert(v, ScalarType::Float, false, loc),
            "to_half" => self.convert(v, ScalarType::Half, false, loc),
            "length" | "size" | "width" => Val::int(v.ty.bits() as i64),
            "and_reduce" | "or_reduce" | "xor_reduce" | "nand_reduce" | "nor_reduce" | "xnor_reduce" => {
                let kind = if method.starts_with("xor") || method.starts_with("xnor") { OpKind::Xor } else if method.contains("and") { OpKind::And } else { OpKind::Or };
                let id = self.new_op(kind, ScalarType::Bool, vec![v.op], None, loc);
                Val { op: Operand::Op(id), ty: ScalarType::Bool, ap: true }
            }
            "real" | "imag" => v,
            _ => {
                let mut ops = vec![v.op];
                for a in args {
                    ops.push(self.expr(*a).op);
                }
                let id = self.new_op(OpKind::Other(method), v.ty, ops, None, loc);
                Val { op: Operand::Op(id), ty: v.ty, ap: v.ap }
            }
        }
    }
}

/// The variable a scalar path names: `s` for the struct field `s.x` (or `s->x`).
pub fn scalar_root(name: &str) -> &str {
    name.split(['.', '-']).next().unwrap_or(name)
}

/// Whether evaluating `n` may write memory or call something: assignments, `++`/`--`, calls.
fn has_side_effects(n: Node) -> bool {
    let mut stack = vec![n];
    while let Some(x) = stack.pop() {
        if matches!(x.kind(), "assignment_expression" | "update_expression" | "call_expression") {
            return true;
        }
        let mut c = x.walk();
        stack.extend(x.children(&mut c));
    }
    false
}
