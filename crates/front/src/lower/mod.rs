//! Lowering tree-sitter trees to the kernel IR. This module collects file-scope facts (types,
//! constants, structs, global arrays, function signatures) and drives per-function lowering
//! ([`func`], [`expr`]) and dependence analysis ([`deps`]).

mod binds;
mod consts;
mod control;
mod trip;
mod deps;
mod access;
mod call;
mod expr;
mod narrow;
mod pragmas;
mod func;
mod specialize;
pub mod types;

use crate::syntax::NodeExt;
use crate::pp::PpOutput;
use crate::pragma;
use crate::{loc_error, FrontError, FrontErrorKind};
use hlsseek_ir::{Diagnostic, Kernel, Loc, PragmaRecord, PragmaTarget, ScalarType, Severity};
use std::collections::HashMap;
use tree_sitter::{Node, Tree};
use types::{unwrap_declarator, TyInfo};

pub struct StructInfo {
    pub bits: u64,
    /// Per field: element type and extents (empty for a scalar field).
    pub fields: HashMap<String, (ScalarType, Vec<Option<u64>>)>,
}

pub struct FuncSig {
    /// Per parameter: is it array-like (array, pointer, stream)?
    pub array_params: Vec<bool>,
    pub ret: TyInfo,
}

/// File-scope facts, shared by every function.
#[derive(Default)]
pub struct Globals {
    pub typedefs: HashMap<String, TyInfo>,
    pub structs: HashMap<String, StructInfo>,
    pub consts: HashMap<String, i64>,
    pub scalars: HashMap<String, TyInfo>,
    pub arrays: HashMap<String, (TyInfo, Loc)>,
    pub funcs: HashMap<String, FuncSig>,
}

enum Item<'t> {
    Func { unit: usize, node: Node<'t>, tparams: Vec<(String, Option<i64>)> },
    Pragma { unit: usize, node: Node<'t> },
}

pub fn lower(units: &[(PpOutput, Tree)], files: &[String], top: &str) -> Result<Kernel, FrontError> {
    let mut g = Globals::default();
    let mut items = Vec::new();
    let mut diags = Vec::new();
    for (ui, (pp, tree)) in units.iter().enumerate() {
        let mut cx = Collect { g: &mut g, src: &pp.text, pp, unit: ui, items: &mut items, diags: &mut diags };
        cx.walk(tree.root_node(), 0);
    }
    let mut kernel = Kernel { top: top.to_string(), files: files.to_vec(), ..Default::default() };
    let mut loop_counter = 0u32;
    let mut next_kernel_flag: Option<usize> = None;
    for item in &items {
        match item {
            Item::Pragma { unit, node } => {
                let pp = &units[*unit].0;
                let p = pragmas::pragma_of(*node, &pp.text, pp);
                let target = match p.class() {
                    pragma::Class::NextFunction => {
                        next_kernel_flag = Some(kernel.pragmas.len());
                        PragmaTarget::None
                    }
                    pragma::Class::Unknown => {
                        diags.push(Diagnostic { severity: Severity::Warning, loc: p.loc, message: format!("unknown pragma `{}` ignored", p.text) });
                        PragmaTarget::Unknown
                    }
                    _ => PragmaTarget::None,
                };
                kernel.pragmas.push(PragmaRecord { dialect: p.dialect, name: p.name, args: p.args, text: p.text, loc: p.loc, target });
            }
            Item::Func { unit, node, tparams } => {
                let pp = &units[*unit].0;
                let name = func::function_name(*node, &pp.text);
                if kernel.functions.iter().any(|f| f.name == name) {
                    continue;
                }
                let merlin = next_kernel_flag.take();
                if let Some(pi) = merlin {
                    kernel.pragmas[pi].target = PragmaTarget::Function(name.clone());
                }
                let f = func::lower_function(&g, pp, *node, tparams, &[], merlin.is_some(), &mut loop_counter, &mut kernel.pragmas, &mut diags)
                    .map_err(|(loc, msg)| loc_error(files, loc, FrontErrorKind::Unsupported, msg))?;
                kernel.functions.push(f);
            }
        }
    }
    if kernel.function(top).is_some() {
        let mut sources: HashMap<String, &Item> = HashMap::new();
        for item in &items {
            if let Item::Func { unit, node, .. } = item {
                sources.entry(func::function_name(*node, &units[*unit].0.text)).or_insert(item);
            }
        }
        specialize::specialize(&mut kernel, |name, bound| {
            let Item::Func { unit, node, tparams } = sources.get(name)? else { return None };
            // The generic lowering already recorded this function's pragmas and diagnostics.
            let (mut pragmas, mut scratch) = (Vec::new(), Vec::new());
            func::lower_function(&g, &units[*unit].0, *node, tparams, bound, false, &mut loop_counter, &mut pragmas, &mut scratch).ok()
        });
    }
    kernel.diagnostics = diags;
    if kernel.function(top).is_none() {
        let names: Vec<&str> = kernel.functions.iter().map(|f| f.name.as_str()).collect();
        let first = files.first().cloned().unwrap_or_default();
        return Err(FrontError {
            file: first,
            line: 0,
            col: 0,
            kind: FrontErrorKind::MissingTop,
            message: if names.is_empty() {
                format!("top function `{top}` not found: no function definitions in the sources")
            } else {
                format!("top function `{top}` not found; functions defined: {}", names.join(", "))
            },
        });
    }
    Ok(kernel)
}

struct Collect<'a, 't> {
    g: &'a mut Globals,
    src: &'t str,
    pp: &'t PpOutput,
    unit: usize,
    items: &'a mut Vec<Item<'t>>,
    diags: &'a mut Vec<Diagnostic>,
}

impl<'t> Collect<'_, 't> {
    fn loc(&self, n: Node) -> Loc {
        self.pp.loc(n.start_position().row, n.start_position().column)
    }

    fn walk(&mut self, n: Node<'t>, depth: u32) {
        if depth > 64 {
            return;
        }
        let mut c = n.walk();
        let children: Vec<Node<'t>> = n.named_children(&mut c).collect();
        for ch in children {
            self.item(ch, Vec::new(), depth);
        }
    }

    fn item(&mut self, n: Node<'t>, tparams: Vec<(String, Option<i64>)>, depth: u32) {
        match n.kind() {
            "function_definition" => {
                let name = func::function_name(n, self.src);
                if name.contains("::") {
                    self.note(n, format!("method `{name}` skipped (class members are not lowered)"));
                    return;
                }
                self.signature(n, &name);
                self.items.push(Item::Func { unit: self.unit, node: n, tparams });
            }
            "template_declaration" => {
                let mut tp = Vec::new();
                if let Some(pl) = n.field("parameters") {
                    let mut c = pl.walk();
                    for p in pl.named_children(&mut c) {
                        let name = p
                            .field("declarator")
                            .or_else(|| p.field("name"))
                            .map(|d| unwrap_declarator(d, self.src).name.unwrap_or_default());
                        let default = p.field("default_value").and_then(|v| consts::eval_const(v, self.src, self.g, &Default::default()));
                        if let Some(name) = name {
                            if p.kind().contains("type_parameter") {
                                // typename T: fall back to int when used as a type.
                                self.g.typedefs.entry(name.clone()).or_insert_with(|| TyInfo::scalar(ScalarType::I32));
                            } else {
                                tp.push((name, default));
                            }
                        } else if p.kind().contains("type_parameter") {
                            let t = &self.src[p.byte_range()];
                            if let Some(nm) = t.split_whitespace().nth(1) {
                                let nm = nm.trim_end_matches(['=', ',']).to_string();
                                self.g.typedefs.entry(nm).or_insert_with(|| TyInfo::scalar(ScalarType::I32));
                            }
                        }
                    }
                }
                let mut c = n.walk();
                let inner: Vec<Node<'t>> = n.named_children(&mut c).filter(|x| x.kind() != "template_parameter_list").collect();
                for x in inner {
                    self.item(x, tp.clone(), depth + 1);
                }
            }
            "namespace_definition" | "linkage_specification" => {
                if let Some(b) = n.field("body") {
                    if b.kind() == "declaration_list" {
                        self.walk(b, depth + 1);
                    } else {
                        self.item(b, tparams, depth + 1);
                    }
                }
            }
            "declaration_list" => self.walk(n, depth + 1),
            "type_definition" => self.typedef(n),
            "alias_declaration" => {
                if let (Some(name), Some(ty)) = (n.field("name"), n.field("type")) {
                    let t = self.g.resolve_type(ty, self.src);
                    self.g.typedefs.insert(self.src[name.byte_range()].to_string(), t);
                }
            }
            "struct_specifier" | "class_specifier" | "union_specifier" => self.struct_def(n),
            "enum_specifier" => self.enum_def(n),
            "declaration" => self.declaration(n),
            "preproc_call" if pragmas::is_pragma(n, self.src) => self.items.push(Item::Pragma { unit: self.unit, node: n }),
            "expression_statement" | "comment" | "using_declaration" | "static_assert_declaration" | "ERROR" => {}
            _ => {}
        }
    }

    fn note(&mut self, n: Node, message: String) {
        let loc = self.loc(n);
        self.diags.push(Diagnostic { severity: Severity::Note, loc, message });
    }

    fn signature(&mut self, n: Node, name: &str) {
        let ret = n.field("type").map_or(TyInfo::scalar(ScalarType::Void), |t| self.g.resolve_type(t, self.src));
        let mut array_params = Vec::new();
        if let Some(fd) = func::function_declarator(n) {
            if let Some(pl) = fd.field("parameters") {
                let mut c = pl.walk();
                for p in pl.named_children(&mut c) {
                    if p.kind() != "parameter_declaration" && p.kind() != "optional_parameter_declaration" {
                        continue;
                    }
                    let ty = p.field("type").map(|t| self.g.resolve_type(t, self.src));
                    let d = p.field("declarator").map(|d| unwrap_declarator(d, self.src));
                    let is_array = ty.as_ref().is_some_and(|t| t.stream || !t.dims.is_empty())
                        || d.as_ref().is_some_and(|d| !d.dims.is_empty() || d.pointers > 0);
                    array_params.push(is_array);
                }
            }
        }
        self.g.funcs.insert(name.to_string(), FuncSig { array_params, ret });
    }

    fn typedef(&mut self, n: Node) {
        let Some(tn) = n.field("type") else { return };
        if matches!(tn.kind(), "struct_specifier" | "class_specifier" | "union_specifier") {
            self.struct_def(tn);
        }
        if tn.kind() == "enum_specifier" {
            self.enum_def(tn);
        }
        let base = self.g.resolve_type(tn, self.src);
        let decls: Vec<Node> = n.fields("declarator");
        for d in decls {
            let dd = unwrap_declarator(d, self.src);
            let Some(name) = dd.name else { continue };
            let mut t = base.clone();
            for _ in 0..dd.pointers {
                t.dims.insert(0, None);
            }
            for e in &dd.dims {
                t.dims.push(e.and_then(|e| consts::eval_const(e, self.src, self.g, &Default::default())).map(|v| v.max(0) as u64));
            }
            if matches!(tn.kind(), "struct_specifier" | "class_specifier" | "union_specifier") {
                if let Some(body) = tn.field("body") {
                    let info = self.g.struct_info(body, self.src);
                    self.g.structs.insert(name.clone(), info);
                    t.struct_name = Some(name.clone());
                }
            }
            self.g.typedefs.insert(name, t);
        }
    }

    fn struct_def(&mut self, n: Node) {
        let Some(body) = n.field("body") else { return };
        let mut c = body.walk();
        for m in body.named_children(&mut c) {
            if m.kind() == "function_definition" || (m.kind() == "template_declaration") {
                let name = func::function_name(m, self.src);
                self.note(m, format!("method `{name}` skipped (class members are not lowered)"));
            }
        }
        let Some(name) = n.field("name") else { return };
        let info = self.g.struct_info(body, self.src);
        self.g.structs.insert(self.src[name.byte_range()].to_string(), info);
    }

    fn enum_def(&mut self, n: Node) {
        let Some(body) = n.field("body") else { return };
        let mut next = 0i64;
        let mut c = body.walk();
        for e in body.named_children(&mut c) {
            if e.kind() != "enumerator" {
                continue;
            }
            let Some(name) = e.field("name") else { continue };
            if let Some(v) = e.field("value").and_then(|v| consts::eval_const(v, self.src, self.g, &Default::default())) {
                next = v;
            }
            self.g.consts.insert(self.src[name.byte_range()].to_string(), next);
            next = next.wrapping_add(1);
        }
    }

    fn declaration(&mut self, n: Node) {
        let Some(tn) = n.field("type") else { return };
        match tn.kind() {
            "struct_specifier" | "class_specifier" | "union_specifier" => self.struct_def(tn),
            "enum_specifier" => self.enum_def(tn),
            _ => {}
        }
        let base = self.g.resolve_type(tn, self.src);
        let text = &self.src[n.byte_range()];
        let is_const = func::has_qualifier(n, self.src, "const") || func::has_qualifier(n, self.src, "constexpr");
        let loc = self.loc(n);
        let decls: Vec<Node> = n.fields("declarator");
        let _ = text;
        for d in decls {
            let dd = unwrap_declarator(d, self.src);
            let Some(name) = dd.name.clone() else { continue };
            if dd.is_function {
                if !self.g.funcs.contains_key(&name) {
                    let ret = base.clone();
                    let _ = ret;
                }
                continue;
            }
            let mut t = base.clone();
            for _ in 0..dd.pointers {
                t.dims.insert(0, None);
            }
            for e in &dd.dims {
                let v = e.and_then(|e| consts::eval_const(e, self.src, self.g, &Default::default()));
                // `int a[] = {...}`: extent from the initializer.
                let v = v.or_else(|| dd.init.filter(|i| i.kind() == "initializer_list").map(|i| i.named_child_count() as i64));
                t.dims.push(v.map(|v| v.max(0) as u64));
            }
            if !t.dims.is_empty() || t.stream {
                self.g.arrays.insert(name, (t, loc));
                continue;
            }
            if is_const {
                if let Some(v) = dd.init.and_then(|i| consts::eval_const(i, self.src, self.g, &Default::default())) {
                    if !t.scalar.is_float() {
                        self.g.consts.insert(name.clone(), v);
                    }
                }
            }
            self.g.scalars.insert(name, t);
        }
    }
}
