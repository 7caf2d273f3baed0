//! Control flow: `if`/`else` and `switch` as branches whose values merge after them, and
//! loops (header, induction variable, trip count, carried dependences, outer writes).

use crate::syntax::NodeExt;
use super::deps;
use super::func::{FnCx, LoopFrame, RegionCx, Val, Var};
use super::pragmas::apply_loop;
use super::types::{unwrap_declarator, TyInfo};
use crate::pragma::Pragma;
use hlsseek_ir::{
    Branch, Loc, Loop, LoopDirectives, LoopId, Node as IrNode, OpKind, Operand, PragmaTarget, Region, ScalarType,
    TripCount, TripSource,
};
use std::collections::HashMap;
use tree_sitter::Node;

impl<'a> FnCx<'a> {
    /// The value of a statement's condition: `if (x)`, `switch (x)`, `while (x)` wrap it in a
    /// parenthesized node.
    fn condition(&mut self, c: Node) -> Val {
        self.expr(c.field("value").unwrap_or(c))
    }

    #[inline(never)]
    pub(super) fn if_stmt(&mut self, n: Node) {
        let loc = self.loc(n);
        let cond = n.field("condition").map(|c| self.condition(c));
        let cond_id = match cond.as_ref().map(|c| &c.op) {
            Some(Operand::Op(id)) => Some(*id),
            Some(Operand::Int(k)) => {
                // A constant condition (`if (N > 16)`, `if (DEBUG)`): Clang deletes the dead
                // arm, so only the live one is lowered, in a scope of its own.
                if *k != 0 {
                    if let Some(t) = n.field("consequence") {
                        self.scoped_stmt(t);
                    }
                } else if let Some(e) = n.field("alternative") {
                    self.else_stmts(e);
                }
                return;
            }
            _ => None,
        };
        self.open_arm();
        if let Some(t) = n.field("consequence") {
            self.scoped_stmt(t);
        }
        let (then_cx, then_region) = self.close_region();
        self.open_arm();
        if let Some(e) = n.field("alternative") {
            self.else_stmts(e);
        }
        let (else_cx, else_region) = self.close_region();
        self.region().nodes.push(IrNode::Branch(Branch { loc, cond: cond_id, then_region, else_region }));
        self.merge_branches(cond, &[&then_cx, &else_cx], loc);
    }

    /// The statements of an `else` clause, each in its own scope.
    fn else_stmts(&mut self, e: Node) {
        let mut c = e.walk();
        let inner: Vec<Node> = if e.kind() == "else_clause" { e.named_children(&mut c).collect() } else { vec![e] };
        for i in inner {
            self.scoped_stmt(i);
        }
    }

    /// After a branch: scalars written in any arm are merged by a Select in the parent.
    fn merge_branches(&mut self, cond: Option<Val>, arms: &[&RegionCx], loc: Loc) {
        let mut names: Vec<String> = Vec::new();
        for a in arms {
            for w in &a.written {
                if !names.contains(w) {
                    names.push(w.clone());
                }
            }
        }
        for x in names {
            let Some((Var::Scalar(ty), scope)) = self.lookup(&x) else { continue };
            if scope >= self.region_scope_base() {
                // Declared in this region: still merged (its value depends on the branch).
            }
            let before = self.read_scalar_val(&x, ty.scalar);
            let mut operands = vec![cond.as_ref().map_or(Operand::Int(1), |c| c.op.clone())];
            for a in arms {
                operands.push(match a.defs.get(&x) {
                    // What the arm computed, unless the variable truncates it (`narrow` then
                    // needs the read by name).
                    Some(v) if a.written.contains(&x) && !self.truncates(v) => v.op.clone(),
                    _ if a.written.contains(&x) => Operand::Scalar(x.clone()),
                    _ => before.op.clone(),
                });
            }
            let id = self.new_op(OpKind::Select, ty.scalar, operands, None, loc);
            let chain = self.region().nested_chains.get(&x).cloned();
            let r = self.region();
            r.defs.insert(x.clone(), Val { op: Operand::Op(id), ty: ty.scalar, ap: ty.ap });
            if let Some((mut ch, red)) = chain {
                ch.push(id);
                r.nested_chains.insert(x.clone(), (ch, red));
            }
        }
    }

    #[inline(never)]
    pub(super) fn switch_stmt(&mut self, n: Node) {
        let loc = self.loc(n);
        let cond = n.field("condition").map(|c| self.condition(c));
        let Some(body) = n.field("body") else { return };
        let mut c = body.walk();
        let cases: Vec<Node> = body.named_children(&mut c).filter(|x| x.kind() == "case_statement").collect();
        let mut arms = Vec::new();
        let mut regions = Vec::new();
        for case in &cases {
            // `case v:` compares with v; `default:` has no condition of its own.
            let value = case.field("value");
            let cmp = match (cond.clone(), value) {
                (Some(cv), Some(v)) => {
                    let k = self.expr(v);
                    Some(self.new_op(OpKind::Cmp, cv.ty, vec![cv.op, k.op], None, self.loc(*case)))
                }
                _ => None,
            };
            self.open_arm();
            self.scopes.push(HashMap::new());
            let mut c2 = case.walk();
            let value = case.field("value");
            let stmts: Vec<Node> = case.named_children(&mut c2).filter(|x| Some(*x) != value).collect();
            for s in stmts {
                self.stmt(s);
            }
            self.pop_scope();
            let (cx, region) = self.close_region();
            arms.push(cx);
            regions.push((cmp, region, self.loc(*case)));
        }
        // Nest: case 1 ? body1 : (case 2 ? body2 : ...).
        let mut else_region = Region::default();
        for (cmp, region, cloc) in regions.into_iter().rev() {
            let b = Branch { loc: cloc, cond: cmp, then_region: region, else_region };
            else_region = Region { nodes: vec![IrNode::Branch(b)] };
        }
        if let Some(IrNode::Branch(mut b)) = else_region.nodes.pop() {
            b.loc = loc;
            self.region().nodes.push(IrNode::Branch(b));
        }
        let refs: Vec<&RegionCx> = arms.iter().collect();
        self.merge_branches(cond, &refs, loc);
    }

    #[inline(never)]
    pub(super) fn lower_loop(&mut self, n: Node, label: Option<String>, accel: Vec<(usize, Pragma)>) {
        // A loop level costs several stack frames: count it as three.
        self.depth += 2;
        if !self.enter(n) {
            return;
        }
        let loc = self.loc(n);
        let id = LoopId(*self.loop_counter);
        *self.loop_counter += 1;
        let mut directives = LoopDirectives::default();
        for (idx, p) in &accel {
            apply_loop(&mut directives, p);
            self.pragmas[*idx].target = PragmaTarget::Loop(id);
        }
        self.scopes.push(HashMap::new());
        let header = self.loop_header(n);
        let (var, trip, range) = header;
        self.loops.push(LoopFrame { id, var: var.clone(), range, directives });
        self.open_region();
        match n.kind() {
            "while_statement" => {
                // A counted test is the loop's counter, as in a `for` header; other tests are
                // work in the body.
                if let Some(c) = n.field("condition").filter(|_| var.is_none()) {
                    self.condition(c);
                }
                if let Some(b) = n.field("body") {
                    self.block_items(b);
                }
            }
            "do_statement" => {
                if let Some(b) = n.field("body") {
                    self.block_items(b);
                }
                if let Some(c) = n.field("condition") {
                    self.expr(c);
                }
            }
            "for_statement" => {
                if var.is_none() {
                    // Not a counted loop: its condition and update are work in the body.
                    if let Some(c) = n.field("condition") {
                        self.expr(c);
                    }
                }
                if let Some(b) = n.field("body") {
                    self.block_items(b);
                }
                if var.is_none() {
                    if let Some(u) = n.field("update") {
                        self.expr(u);
                    }
                }
            }
            _ => {
                if let Some(b) = n.field("body") {
                    self.block_items(b);
                }
            }
        }
        let (body_cx, body) = self.close_region();
        let frame = self.loops.pop().expect("loop frame");
        self.pop_scope();
        let mut trip = trip;
        if let Some(tc) = &frame.directives.tripcount {
            if !trip.is_known() {
                trip = TripCount {
                    min: tc.min.or(tc.max),
                    max: tc.max.or(tc.min),
                    avg: tc.avg.map(|a| a as f64).or_else(|| match (tc.min, tc.max) {
                        (Some(a), Some(b)) => Some((a + b) as f64 / 2.0),
                        _ => None,
                    }),
                    source: TripSource::Pragma,
                };
            }
        }
        let mut body = body;
        let forwarded = deps::forward_stored_values(&mut body, var.as_deref(), &body_cx.written, &self.arrays);
        let mut carried = deps::scalar_deps(&body, &body_cx, var.as_deref());
        carried.extend(forwarded);
        carried.extend(deps::memory_deps(&body, var.as_deref(), &self.arrays, &body_cx.written));
        let carried = deps::apply_directives(carried, &frame.directives.dependences);
        // The loop's writes reach the parent as opaque values; so does a counter declared
        // outside the header, whose stepping was not lowered as work.
        let declared_in_header = n.field("initializer").is_some_and(|i| i.kind() == "declaration");
        let counter = var.as_ref().filter(|_| !declared_in_header);
        for x in body_cx.written.iter().chain(counter) {
            if let Some((Var::Scalar(ty), _)) = self.lookup(x) {
                self.region().defs.insert(x.clone(), Val { op: Operand::Scalar(x.clone()), ty: ty.scalar, ap: ty.ap });
            }
        }
        let outer_writes = self.outer_writes(&body_cx, &body, var.as_deref());
        self.bind_ops(&mut body, &frame.directives.bind_ops);
        let l = Loop { id, label, var, loc, trip, body, directives: frame.directives, carried, outer_writes };
        self.region().nodes.push(IrNode::Loop(l));
        self.depth -= 3;
    }

    /// Scalars written in a loop's body (`cx`, `body`; its scope already closed) that are
    /// declared outside it, loop counters excepted (Merlin's coarse-grained parallel pass
    /// skips those too: they are rewritten per copy).
    fn outer_writes(&self, cx: &RegionCx, body: &Region, var: Option<&str>) -> Vec<String> {
        let mut counters: Vec<&str> = var.into_iter().collect();
        body.visit_loops(&mut |l| counters.extend(l.var.as_deref()));
        let mut out: Vec<String> = Vec::new();
        for x in &cx.written {
            let root = super::expr::scalar_root(x);
            if !counters.contains(&root) && self.lookup(root).is_some() && !out.iter().any(|o| o == root) {
                out.push(root.to_string());
            }
        }
        out
    }

    /// Induction variable, trip count and value range of a loop header.
    fn loop_header(&mut self, n: Node) -> (Option<String>, TripCount, Option<(i64, i64)>) {
        match n.kind() {
            "for_statement" => super::trip::for_header(self, n),
            "while_statement" => super::trip::while_header(self, n),
            "for_range_loop" => {
                let var = n.field("declarator").and_then(|d| unwrap_declarator(d, self.src).name);
                if let Some(v) = &var {
                    self.declare(v.clone(), Var::Scalar(TyInfo::scalar(ScalarType::I32)));
                }
                let elems = n.field("right").and_then(|r| match self.lookup(self.text(r)) {
                    Some((Var::Array(id, _), _)) => self.arrays[id.0 as usize].dims.first().copied().flatten(),
                    _ => None,
                });
                match elems {
                    Some(e) => (var, TripCount::constant(e), None),
                    None => (var, TripCount::unknown(), None),
                }
            }
            _ => (None, TripCount::unknown(), None),
        }
    }
}
