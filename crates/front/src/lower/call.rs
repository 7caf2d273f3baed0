//! Calls → operations: math functions, ap_int methods and bit ranges, stream reads and
//! writes, functional casts, and calls to user functions.

use crate::syntax::NodeExt;
use super::expr::rank;
use super::func::{FnCx, Val, Var};
use super::types::{builtin, TyInfo};
use crate::pp::MathLookup;
use hlsseek_ir::{Access, ArrayId, Call, Node as IrNode, OpKind, Operand, ScalarType};
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

impl<'a> FnCx<'a> {
    pub fn stream_named(&self, n: Node) -> Option<ArrayId> {
        match self.lookup(self.text(n).trim()) {
            Some((Var::Array(id, t), _)) if t.stream => Some(id),
            _ => None,
        }
    }

    pub(super) fn stream_shift(&mut self, id: ArrayId, op: &str, r: Node, loc: hlsseek_ir::Loc) -> Val {
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
    pub(super) fn call(&mut self, n: Node) -> Val {
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
