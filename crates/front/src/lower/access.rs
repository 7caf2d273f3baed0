//! Memory references → array accesses: subscripts (flattened, with affine index expressions
//! over the induction variables), pointer dereferences and struct fields.

use crate::syntax::NodeExt;
use super::expr::scalar_root;
use super::func::{FnCx, Val, Var};
use super::types::TyInfo;
use hlsseek_ir::{Access, ArrayId, ArrayKind, IndexExpr, OpKind, Operand, ScalarType};
use tree_sitter::Node;

impl<'a> FnCx<'a> {
    /// Split `A[i][j]` into `A` and `[i, j]`.
    pub(super) fn flatten_subscript<'t>(&self, n: Node<'t>) -> (Node<'t>, Vec<Node<'t>>) {
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

    /// Array, indices, index operands, element type and ap-ness of `A[i][j]`.
    #[allow(clippy::type_complexity)]
    pub(super) fn subscript_access(&mut self, n: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>, ScalarType, bool)> {
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
    pub(super) fn element_and_bits<'t>(&mut self, n: Node<'t>) -> Option<(Node<'t>, Vec<Node<'t>>)> {
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
    pub(super) fn subscript_read(&mut self, n: Node) -> Val {
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
    pub(super) fn deref_access(&mut self, arg: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>)> {
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

    pub(super) fn field_type(&self, n: Node) -> Option<ScalarType> {
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
    pub(super) fn field_access(&mut self, n: Node) -> Option<(ArrayId, Vec<IndexExpr>, Vec<Operand>, ScalarType)> {
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
    pub(super) fn field_read(&mut self, n: Node) -> Val {
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
}
