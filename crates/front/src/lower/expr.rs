//! Expressions → typed operations: C's usual arithmetic conversions (ap types keep their
//! widths), loads/stores with affine index expressions, math calls, ap_int bit operations,
//! stream reads/writes, and calls to user functions. Memory references are read in
//! [`super::access`], calls in [`super::call`].

use crate::syntax::NodeExt;
use super::func::{FnCx, Val, Var};
use hlsseek_ir::{Access, OpKind, Operand, ScalarType};
use tree_sitter::Node;

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

pub(super) fn rank(t: ScalarType) -> u8 {
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
