//! One function: parameters, declarations, statements and regions. Branches and loops are
//! in [`super::control`], pragma attachment in [`super::pragmas`], expressions in
//! [`super::expr`].

use crate::syntax::NodeExt;
use super::consts::{eval_const, eval_int_init, Env};
use super::deps;
use super::pragmas::{is_pragma, pragma_of};
use super::types::{unwrap_declarator, TyInfo};
use super::Globals;
use crate::pp::PpOutput;
use crate::pragma::{Class, Pragma};
use hlsseek_ir::{
    Array, ArrayId, ArrayKind, Diagnostic, Dialect, Function, FunctionDirectives, Loc, LoopDirectives, LoopId,
    Node as IrNode, Op, OpId, OpKind, Operand, Param, PragmaRecord, PragmaTarget, Region, ScalarType, Severity,
};
use std::collections::HashMap;
use tree_sitter::Node;

/// Nesting beyond this (statements + expressions) is refused rather than risking the stack.
pub const MAX_DEPTH: u32 = 400;

#[derive(Clone, Debug)]
pub enum Var {
    Scalar(TyInfo),
    Array(ArrayId, TyInfo),
    Const(i64, TyInfo),
}

/// `int t = 8*jj;` never assigned again, or `t = i*64;` its only assignment: where `t` is read
/// later in the same block (or deeper), it stands for that expression, so the indices it
/// builds stay affine (`prod[t + j]` is `prod[64i + j]`, with its banks and dependence
/// distances) instead of data-dependent. MachSuite-style kernels name strides this way.
#[derive(Clone, Debug)]
pub struct AffineDef {
    pub name: String,
    /// Scope of the variable's declaration (so a shadowing declaration is not confused with it).
    pub var_scope: usize,
    /// Scope of the defining statement: the definition ends with it.
    pub valid_scope: usize,
    /// Loops open at the definition: a loop opened since that rebinds one of `terms`' variables
    /// (`for (i = …)` inside the loop of `i`) ends the definition's meaning.
    pub loop_depth: usize,
    pub terms: Vec<(String, i64)>,
    pub constant: i64,
}

/// A value: an operand with its type.
#[derive(Clone, Debug)]
pub struct Val {
    pub op: Operand,
    pub ty: ScalarType,
    pub ap: bool,
}

impl Val {
    pub fn int(v: i64) -> Self {
        Val { op: Operand::Int(v), ty: ScalarType::I32, ap: false }
    }
}

/// A region under construction, with what dependence analysis needs about scalars.
pub struct RegionCx {
    pub nodes: Vec<IrNode>,
    /// Current value of each scalar written in this region.
    pub defs: HashMap<String, Val>,
    /// Scalars declared outside the region that are read before being written in it.
    pub exposed: Vec<(String, usize)>,
    pub written: Vec<String>,
    pub scope_base: usize,
    /// For scalars last written inside a nested loop or branch: the chain found there.
    pub nested_chains: HashMap<String, (Vec<OpId>, bool)>,
    /// An arm of a branch: it runs in the same iteration as the code around it, so what that
    /// code computed reaches it as an operation's result.
    pub arm: bool,
}

impl RegionCx {
    fn new(scope_base: usize) -> Self {
        RegionCx { nodes: Vec::new(), defs: HashMap::new(), exposed: Vec::new(), written: Vec::new(), scope_base, nested_chains: HashMap::new(), arm: false }
    }
}

pub struct LoopFrame {
    pub id: LoopId,
    pub var: Option<String>,
    /// Values the induction variable takes (inclusive), when known.
    pub range: Option<(i64, i64)>,
    pub directives: LoopDirectives,
}

pub struct FnCx<'a> {
    pub g: &'a Globals,
    pub src: &'a str,
    pub pp: &'a PpOutput,
    pub fname: String,
    pub arrays: Vec<Array>,
    pub array_info: Vec<TyInfo>,
    pub scopes: Vec<HashMap<String, Var>>,
    pub regions: Vec<RegionCx>,
    pub loops: Vec<LoopFrame>,
    pub next_op: u32,
    pub loop_counter: &'a mut u32,
    pub pragmas: &'a mut Vec<PragmaRecord>,
    pub diags: &'a mut Vec<Diagnostic>,
    pub directives: FunctionDirectives,
    pub array_pragmas: Vec<(usize, Pragma)>,
    /// Scalars assigned anywhere in the function (not loop-invariant symbols), with how many
    /// assignments name them.
    pub assigned: HashMap<String, u32>,
    /// Integer scalars whose value is, where they are read, an affine expression of loop
    /// variables and invariant symbols (see [`AffineDef`]).
    pub affine_defs: Vec<AffineDef>,
    /// Operation id → the scalar its value was first assigned to (for `BIND_OP`).
    pub defined_by: HashMap<u32, String>,
    /// (operation id, variable, the variable's bits) for each assignment of an operation's
    /// value to a scalar (`narrow`).
    pub scalar_writes: Vec<(u32, String, u32)>,
    /// The bits of each integer operation's own result, by id.
    pub op_bits: HashMap<u32, u16>,
    pub depth: u32,
    pub too_deep: Option<Loc>,
    pub env: Env,
    /// File-scope scalars assigned here, in first-write order.
    pub global_writes: Vec<String>,
    /// Each array-element load, by operation id: the source range of the subscript it read
    /// (to recognise `a[i] = a[i]` once folding has reduced a right side to that load).
    pub element_reads: HashMap<u32, std::ops::Range<usize>>,
}

pub fn function_declarator(n: Node) -> Option<Node> {
    let mut cur = n.field("declarator");
    let mut guard = 0;
    while let Some(d) = cur {
        guard += 1;
        if d.kind() == "function_declarator" || guard > 32 {
            return Some(d);
        }
        cur = d.field("declarator").or_else(|| {
            let mut c = d.walk();
            let x = d.named_children(&mut c).next();
            x
        });
    }
    None
}

pub fn function_name(n: Node, src: &str) -> String {
    function_declarator(n)
        .and_then(|fd| fd.field("declarator"))
        .map(|d| src[d.byte_range()].to_string())
        .unwrap_or_else(|| "<anonymous>".into())
}

pub fn has_qualifier(n: Node, src: &str, q: &str) -> bool {
    qualifiers(n, src).contains(&q)
}

/// `const`, `static`, `constexpr`... written on a declaration.
pub fn qualifiers<'s>(n: Node, src: &'s str) -> Vec<&'s str> {
    let mut c = n.walk();
    let r = n
        .children(&mut c)
        .filter(|ch| matches!(ch.kind(), "type_qualifier" | "storage_class_specifier" | "constexpr"))
        .map(|ch| src[ch.byte_range()].trim())
        .collect();
    r
}

#[allow(clippy::too_many_arguments)]
pub fn lower_function(
    g: &Globals,
    pp: &PpOutput,
    n: Node,
    tparams: &[(String, Option<i64>)],
    bound: &[(u32, i64)],
    merlin_kernel: bool,
    loop_counter: &mut u32,
    pragmas: &mut Vec<PragmaRecord>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Function, (Loc, String)> {
    let src = pp.text.as_str();
    let name = function_name(n, src);
    let loc = pp.loc(n.start_position().row, n.start_position().column);
    let mut env = Env::new();
    for (p, v) in tparams {
        if let Some(v) = v {
            env.insert(p.clone(), *v);
        }
    }
    if !tparams.is_empty() {
        diags.push(Diagnostic {
            severity: Severity::Note,
            loc,
            message: format!("template `{name}` lowered once; template parameters without defaults are unknown"),
        });
    }
    let mut cx = FnCx {
        g,
        src,
        pp,
        fname: name.clone(),
        arrays: Vec::new(),
        array_info: Vec::new(),
        scopes: vec![HashMap::new()],
        regions: vec![RegionCx::new(1)],
        loops: Vec::new(),
        next_op: 0,
        loop_counter,
        pragmas,
        diags,
        directives: FunctionDirectives { merlin_kernel, ..Default::default() },
        array_pragmas: Vec::new(),
        assigned: HashMap::new(),
        affine_defs: Vec::new(),
        defined_by: HashMap::new(),
        scalar_writes: Vec::new(),
        op_bits: HashMap::new(),
        depth: 0,
        too_deep: None,
        env,
        global_writes: Vec::new(),
        element_reads: HashMap::new(),
    };
    let ret = n.field("type").map_or(ScalarType::Void, |t| g.resolve_type(t, src).scalar);
    let body = n.field("body");
    if let Some(b) = body {
        collect_assigned(b, src, &mut cx.assigned);
    }
    let mut params = Vec::new();
    if let Some(pl) = function_declarator(n).and_then(|fd| fd.field("parameters")) {
        let mut c = pl.walk();
        for p in pl.named_children(&mut c) {
            let value = bound.iter().find(|(i, _)| *i as usize == params.len()).map(|(_, v)| *v);
            if let Some(param) = cx.param(p, value) {
                params.push(param);
            }
        }
    }
    cx.scopes.push(HashMap::new());
    cx.regions[0].scope_base = cx.scopes.len();
    if let Some(b) = body {
        cx.block_items(b);
    }
    if let Some(l) = cx.too_deep {
        return Err((l, format!("`{name}` is nested more than {MAX_DEPTH} levels deep; not lowered")));
    }
    cx.resolve_array_pragmas();
    let region = cx.regions.pop().expect("function region");
    let mut body = Region { nodes: region.nodes };
    cx.bind_ops(&mut body, &cx.directives.bind_ops.clone());
    super::narrow::demanded_widths(&mut body, &cx.arrays, &cx.scalar_writes);
    Ok(Function {
        name,
        loc,
        ret,
        params,
        arrays: cx.arrays,
        body,
        directives: cx.directives,
        global_writes: cx.global_writes,
    })
}

/// Names assigned anywhere under `n` (left of `=`, `op=`, `++`, `--`): one cursor walk.
pub(super) fn collect_assigned(n: Node, src: &str, out: &mut HashMap<String, u32>) {
    let mut c = n.walk();
    let mut depth = 0u32;
    loop {
        let x = c.node();
        let target = match x.kind() {
            "assignment_expression" => x.field("left"),
            "update_expression" => x.field("argument"),
            _ => None,
        };
        if let Some(t) = target.filter(|t| t.kind() == "identifier") {
            *out.entry(src[t.byte_range()].to_string()).or_insert(0) += 1;
        }
        if depth < MAX_DEPTH && c.goto_first_child() {
            depth += 1;
            continue;
        }
        loop {
            if c.goto_next_sibling() {
                break;
            }
            if depth == 0 || !c.goto_parent() {
                return;
            }
            depth -= 1;
        }
    }
}

enum Stmt<'t> {
    Pragma(Node<'t>),
    Loop(Node<'t>, Option<String>),
    Other(Node<'t>),
}

fn classify<'t>(n: Node<'t>, src: &str) -> Stmt<'t> {
    match n.kind() {
        "preproc_call" if is_pragma(n, src) => Stmt::Pragma(n),
        "for_statement" | "for_range_loop" | "while_statement" | "do_statement" => Stmt::Loop(n, None),
        "labeled_statement" => {
            let label = n.field("label").map(|l| src[l.byte_range()].to_string());
            let mut c = n.walk();
            let inner = n.named_children(&mut c).filter(|x| x.kind() != "statement_identifier").last();
            match inner.map(|i| classify(i, src)) {
                Some(Stmt::Loop(l, None)) => Stmt::Loop(l, label),
                Some(Stmt::Loop(l, inner_label)) => Stmt::Loop(l, inner_label.or(label)),
                _ => Stmt::Other(n),
            }
        }
        _ => Stmt::Other(n),
    }
}

impl<'a> FnCx<'a> {
    pub fn loc(&self, n: Node) -> Loc {
        self.pp.loc(n.start_position().row, n.start_position().column)
    }

    pub fn text(&self, n: Node) -> &'a str {
        &self.src[n.byte_range()]
    }

    pub fn region(&mut self) -> &mut RegionCx {
        self.regions.last_mut().expect("a region is open")
    }

    /// Attaches `BIND_OP` directives to the operations of `body` they govern; warns about those
    /// that govern none.
    pub(super) fn bind_ops(&mut self, body: &mut Region, dirs: &[hlsseek_ir::BindOpDirective]) {
        for d in super::binds::apply(body, dirs, &self.defined_by) {
            let what = format!("variable={} op={}", d.variable.as_deref().unwrap_or("?"), d.op.as_deref().unwrap_or("?"));
            self.warn(d.loc, format!("`BIND_OP {what}`: no such operation assigned to that variable here; ignored"));
        }
    }

    pub fn warn(&mut self, loc: Loc, message: String) {
        self.diags.push(Diagnostic { severity: Severity::Warning, loc, message });
    }

    pub fn note(&mut self, loc: Loc, message: String) {
        self.diags.push(Diagnostic { severity: Severity::Note, loc, message });
    }

    pub fn lookup(&self, name: &str) -> Option<(Var, usize)> {
        for (i, s) in self.scopes.iter().enumerate().rev() {
            if let Some(v) = s.get(name) {
                return Some((v.clone(), i));
            }
        }
        None
    }

    pub fn declare(&mut self, name: String, v: Var) {
        self.scopes.last_mut().expect("scope").insert(name, v);
    }

    pub fn new_op(&mut self, kind: OpKind, ty: ScalarType, operands: Vec<Operand>, access: Option<hlsseek_ir::Access>, loc: Loc) -> OpId {
        let id = OpId(self.next_op);
        self.next_op += 1;
        if let ScalarType::Int { bits, .. } = ty {
            self.op_bits.insert(id.0, bits);
        }
        self.region().nodes.push(IrNode::Op(Op { id, kind, ty, operands, access, bind: None, loc }));
        id
    }

    pub fn add_array(&mut self, name: String, loc: Loc, ty: &TyInfo, kind: ArrayKind) -> ArrayId {
        let id = ArrayId(self.arrays.len() as u32);
        let kind = if ty.stream { ArrayKind::Stream { depth: ty.stream_depth } } else { kind };
        let dims = if ty.stream && ty.dims.is_empty() { Vec::new() } else { ty.dims.clone() };
        self.arrays.push(Array { name, loc, elem: ty.scalar, dims, kind, partitions: Vec::new(), storage: None });
        self.array_info.push(ty.clone());
        id
    }

    pub(super) fn enter(&mut self, n: Node) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            if self.too_deep.is_none() {
                self.too_deep = Some(self.loc(n));
            }
            return false;
        }
        true
    }

    fn dims_of(&self, d: &super::types::Declarator, base: &TyInfo) -> Vec<Option<u64>> {
        let mut dims: Vec<Option<u64>> = vec![None; d.pointers as usize];
        for e in &d.dims {
            let v = e.and_then(|e| eval_const(e, self.src, self.g, &self.env));
            let v = v.or_else(|| d.init.filter(|i| i.kind() == "initializer_list").map(|i| i.named_child_count() as i64));
            dims.push(v.map(|v| v.max(0) as u64));
        }
        dims.extend(base.dims.iter().copied());
        dims
    }

    /// A parameter; `value`: the constant every call of this specialisation passes for it.
    fn param(&mut self, p: Node, value: Option<i64>) -> Option<Param> {
        if !matches!(p.kind(), "parameter_declaration" | "optional_parameter_declaration") {
            return None;
        }
        let base = p.field("type").map_or_else(|| TyInfo::scalar(ScalarType::I32), |t| self.g.resolve_type(t, self.src));
        let d = p.field("declarator").map(|d| unwrap_declarator(d, self.src));
        let name = d.as_ref().and_then(|d| d.name.clone()).unwrap_or_default();
        if base.scalar == ScalarType::Void && d.as_ref().is_none_or(|d| d.pointers == 0) {
            return None; // `f(void)`
        }
        let loc = self.loc(p);
        let dims = d.as_ref().map_or(base.dims.clone(), |d| self.dims_of(d, &base));
        let mut ty = base.clone();
        ty.dims = dims;
        if !ty.known {
            self.note(loc, format!("type of parameter `{name}` not recognised; assumed 32-bit int"));
        }
        if !ty.dims.is_empty() || ty.stream {
            let id = self.add_array(name.clone(), loc, &ty, ArrayKind::Param);
            self.declare(name.clone(), Var::Array(id, ty.clone()));
            Some(Param { name, ty: ty.scalar, array: Some(id), by_ref: false })
        } else {
            let by_ref = d.as_ref().is_some_and(|d| d.is_ref) && !ty.is_const;
            let pointer = d.as_ref().is_some_and(|d| d.pointers > 0 || d.is_ref);
            // A bound parameter the body never assigns is a named constant, as IPSCCP makes it.
            let constant = match (value, ty.scalar) {
                (Some(v), ScalarType::Int { bits, signed }) if !pointer && !self.assigned.contains_key(&name) => {
                    Some(hlsseek_ir::fold::wrap_int(v, bits, signed))
                }
                _ => None,
            };
            match constant {
                Some(v) => {
                    self.env.insert(name.clone(), v);
                    self.declare(name.clone(), Var::Const(v, ty.clone()));
                }
                None => self.declare(name.clone(), Var::Scalar(ty.clone())),
            }
            Some(Param { name, ty: ty.scalar, array: None, by_ref })
        }
    }

    /// The statements of a compound statement (or a single statement), with pragma attachment.
    pub fn block_items(&mut self, n: Node) {
        if n.kind() != "compound_statement" {
            self.stmt(n);
            return;
        }
        self.scopes.push(HashMap::new());
        let mut pending_accel: Vec<(usize, Pragma)> = Vec::new();
        let mut c = n.walk();
        let children: Vec<Node> = n.named_children(&mut c).collect();
        for ch in children {
            match classify(ch, self.src) {
                Stmt::Pragma(p) => {
                    let pr = pragma_of(p, self.src, self.pp);
                    let idx = self.record(&pr);
                    let pr = self.with_constants(pr);
                    if pr.dialect == Some(Dialect::Accel) && pr.class() == Class::Loop {
                        pending_accel.push((idx, pr));
                    } else {
                        self.attach(idx, pr);
                    }
                }
                Stmt::Loop(l, label) => {
                    let accel = std::mem::take(&mut pending_accel);
                    self.lower_loop(l, label, accel);
                }
                Stmt::Other(s) => self.stmt(s),
            }
        }
        for (idx, pr) in pending_accel {
            self.warn(pr.loc, format!("`#pragma {}` is not followed by a loop; ignored", pr.text));
            self.pragmas[idx].target = PragmaTarget::None;
        }
        self.pop_scope();
    }

    pub fn stmt(&mut self, n: Node) {
        if !self.enter(n) {
            return;
        }
        match n.kind() {
            "compound_statement" => self.block_items(n),
            "declaration" => self.declaration(n),
            "expression_statement" => {
                let mut c = n.walk();
                let e = n.named_children(&mut c).next();
                if let Some(e) = e {
                    let plain = e.kind() == "assignment_expression" && e.field("operator").is_some_and(|o| &self.src[o.byte_range()] == "=");
                    let target = e.field("left").filter(|l| plain && l.kind() == "identifier").zip(e.field("right"));
                    self.expr(e);
                    if let Some((l, r)) = target {
                        let name = self.src[l.byte_range()].to_string();
                        self.define_affine(&name, r, 1);
                    }
                }
            }
            "if_statement" => self.if_stmt(n),
            "switch_statement" => self.switch_stmt(n),
            "for_statement" | "for_range_loop" | "while_statement" | "do_statement" => self.lower_loop(n, None, Vec::new()),
            "labeled_statement" => match classify(n, self.src) {
                Stmt::Loop(l, label) => self.lower_loop(l, label, Vec::new()),
                _ => {
                    let mut c = n.walk();
                    let inner: Vec<Node> = n.named_children(&mut c).filter(|x| x.kind() != "statement_identifier").collect();
                    for i in inner {
                        self.stmt(i);
                    }
                }
            },
            "return_statement" => {
                let mut c = n.walk();
                let e = n.named_children(&mut c).next();
                if let Some(e) = e {
                    self.expr(e);
                }
            }
            "preproc_call" => {
                if is_pragma(n, self.src) {
                    let pr = pragma_of(n, self.src, self.pp);
                    let idx = self.record(&pr);
                    let pr = self.with_constants(pr);
                    self.attach(idx, pr);
                }
            }
            "type_definition" | "alias_declaration" | "struct_specifier" | "enum_specifier" | "class_specifier" => {
                // Local types: resolved through the file-scope table only.
                let loc = self.loc(n);
                self.note(loc, "local type definition: its members are resolved as 32-bit".into());
            }
            "break_statement" | "continue_statement" | "goto_statement" | "comment" | "empty_statement" | "ERROR" => {}
            "case_statement" => {
                let mut c = n.walk();
                let inner: Vec<Node> = n.named_children(&mut c).skip(1).collect();
                for i in inner {
                    self.stmt(i);
                }
            }
            "try_statement" | "throw_statement" | "co_return_statement" => {
                let loc = self.loc(n);
                self.note(loc, format!("`{}` ignored", n.kind()));
            }
            _ => {
                // Expressions used as statements in odd places.
                self.expr(n);
            }
        }
        self.depth -= 1;
    }

    #[inline(never)]
    fn declaration(&mut self, n: Node) {
        let Some(tn) = n.field("type") else { return };
        let base = self.g.resolve_type(tn, self.src);
        let quals = qualifiers(n, self.src);
        let is_static = quals.contains(&"static");
        let is_const = quals.contains(&"const") || quals.contains(&"constexpr");
        let decls: Vec<Node> = n.fields("declarator");
        if self.text(tn).replace(' ', "") == "hls::task" {
            return self.tasks(&decls);
        }
        for d in decls {
            let dd = unwrap_declarator(d, self.src);
            let Some(name) = dd.name.clone() else { continue };
            if dd.is_function {
                continue;
            }
            let loc = self.loc(d);
            let mut ty = base.clone();
            ty.dims = self.dims_of(&dd, &base);
            ty.is_static = is_static;
            if !ty.known {
                self.note(loc, format!("type of `{name}` not recognised; assumed 32-bit int"));
            }
            if !ty.dims.is_empty() || ty.stream {
                if dd.is_ref || (dd.pointers > 0 && dd.init.is_some()) {
                    // A reference/pointer to existing storage: alias the array it names.
                    if let Some(Var::Array(id, t)) = dd.init.and_then(|i| self.array_named_by(i)) {
                        self.declare(name, Var::Array(id, t));
                        continue;
                    }
                }
                let kind = if is_static { ArrayKind::Static } else { ArrayKind::Local };
                let id = self.add_array(name.clone(), loc, &ty, kind);
                self.declare(name, Var::Array(id, ty));
                continue;
            }
            // `const`, or never assigned after a constant initialiser: a named constant.
            if (is_const || (!self.assigned.contains_key(&name) && !is_static)) && dd.pointers == 0 && !dd.is_ref {
                let int_typed = matches!(ty.scalar, ScalarType::Int { .. } | ScalarType::Bool);
                let value = |i| if int_typed { eval_int_init(i, self.src, self.g, &self.env) } else { eval_const(i, self.src, self.g, &self.env) };
                if let Some(v) = dd.init.and_then(value) {
                    if !ty.scalar.is_float() {
                        self.env.insert(name.clone(), v);
                        self.declare(name, Var::Const(v, ty));
                        continue;
                    }
                }
            }
            self.declare(name.clone(), Var::Scalar(ty.clone()));
            if let Some(init) = dd.init {
                if init.kind() == "initializer_list" || init.kind() == "argument_list" {
                    let mut c = init.walk();
                    let first = init.named_children(&mut c).next();
                    if let Some(f) = first {
                        let v = self.expr(f);
                        let v = self.convert(v, ty.scalar, ty.ap, loc);
                        self.write_scalar(&name, v);
                    }
                } else {
                    let v = self.expr(init);
                    let v = self.convert(v, ty.scalar, ty.ap, loc);
                    self.write_scalar(&name, v);
                    if dd.pointers == 0 && !dd.is_ref {
                        self.define_affine(&name, init, 0);
                    }
                }
            }
        }
    }

    /// `hls::task t(f, a, b);` (hls_task.h): `f(a, b)` run forever beside the caller and the
    /// other tasks, fed by streams: a free-running call of `f`.
    fn tasks(&mut self, decls: &[Node]) {
        for d in decls {
            let dd = unwrap_declarator(*d, self.src);
            // `hls::task t(f, s1, s2);` with bare names parses as a function declaration whose
            // "parameters" are the arguments' names.
            let args = match (dd.init, d.field("parameters")) {
                (Some(i), _) if i.kind() == "argument_list" => self.children(i),
                (None, Some(ps)) => self.children(ps).into_iter().filter_map(|p| p.field("type")).collect(),
                _ => continue,
            };
            let Some((f, rest)) = args.split_first() else { continue };
            let name = self.text(*f).trim().to_string();
            if self.g.funcs.contains_key(&name) {
                let loc = self.loc(*d);
                self.user_call(&name, rest, loc, true);
            }
        }
    }

    /// `x` in `int *p = x;` / `&x[0]` / `x + k`: the array it names, if any.
    pub fn array_named_by(&self, n: Node) -> Option<Var> {
        match n.kind() {
            "identifier" | "type_identifier" => self.lookup(self.text(n)).map(|(v, _)| v).filter(|v| matches!(v, Var::Array(..))),
            "pointer_expression" | "parenthesized_expression" | "cast_expression" => {
                let inner = n.field("argument").or_else(|| n.field("value")).or_else(|| {
                    let mut c = n.walk();
                    let x = n.named_children(&mut c).last();
                    x
                })?;
                self.array_named_by(inner)
            }
            "subscript_expression" => self.array_named_by(n.field("argument")?),
            "binary_expression" => self.array_named_by(n.field("left")?),
            _ => None,
        }
    }

    pub fn open_region(&mut self) {
        let base = self.scopes.len();
        self.regions.push(RegionCx::new(base));
    }

    /// Open the region of one arm of a branch (`if`/`else`, a `case`).
    pub(super) fn open_arm(&mut self) {
        self.open_region();
        self.region().arm = true;
    }

    /// Close a nested region and fold its scalar summary into the parent.
    pub fn close_region(&mut self) -> (RegionCx, Region) {
        let mut r = self.regions.pop().expect("nested region");
        let nodes = std::mem::take(&mut r.nodes);
        let region = Region { nodes };
        let parent = self.regions.last_mut().expect("parent region");
        for (x, scope) in &r.exposed {
            if !parent.defs.contains_key(x) && *scope < parent.scope_base && !parent.exposed.iter().any(|(y, _)| y == x) {
                parent.exposed.push((x.clone(), *scope));
            }
        }
        for x in &r.written {
            let chain = deps::scalar_chain(&region, &r, x);
            parent.nested_chains.insert(x.clone(), chain);
            if !parent.written.contains(x) {
                parent.written.push(x.clone());
            }
        }
        (r, region)
    }

    pub(super) fn scoped_stmt(&mut self, n: Node) {
        self.scopes.push(HashMap::new());
        self.stmt(n);
        self.pop_scope();
    }

    /// Leave a scope: its variables and the affine definitions made in it end.
    pub fn pop_scope(&mut self) {
        self.scopes.pop();
        let n = self.scopes.len();
        self.affine_defs.retain(|d| d.valid_scope < n);
    }

    /// Record `name = init` as an affine definition where `init` is affine and nothing else
    /// assigns `name` (`assignments` is how many assignments the definition itself counts).
    fn define_affine(&mut self, name: &str, init: Node, assignments: u32) {
        if self.assigned.get(name).copied().unwrap_or(0) != assignments {
            return;
        }
        let Some((Var::Scalar(ty), var_scope)) = self.lookup(name) else { return };
        if ty.scalar.is_float() || ty.is_static {
            return;
        }
        let mut terms = Vec::new();
        if let Some(constant) = self.affine(init, 1, &mut terms, 0) {
            let valid_scope = self.scopes.len() - 1;
            self.affine_defs.push(AffineDef { name: name.to_string(), var_scope, valid_scope, loop_depth: self.loops.len(), terms, constant });
        }
    }

    /// Whether the variable that holds `v` keeps fewer bits than the operation computed.
    pub fn truncates(&self, v: &Val) -> bool {
        match (&v.op, v.ty) {
            (Operand::Op(id), ScalarType::Int { bits, .. }) => self.op_bits.get(&id.0).is_some_and(|b| *b > bits),
            _ => false,
        }
    }

    pub(super) fn region_scope_base(&self) -> usize {
        self.regions.last().map_or(0, |r| r.scope_base)
    }

}
