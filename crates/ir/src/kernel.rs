//! Functions, arrays, the loop tree and typed operations.

use crate::{BindOpDirective, Diagnostic, FunctionDirectives, Loc, LoopDirectives, PragmaRecord, ScalarType};
use serde::{Deserialize, Serialize};

/// A whole design: every function the front-end read, with `top` naming the synthesized one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Kernel {
    pub top: String,
    /// Source file names; [`Loc::file`] indexes this.
    pub files: Vec<String>,
    pub functions: Vec<Function>,
    /// Every pragma seen, with what it was attached to.
    pub pragmas: Vec<PragmaRecord>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Kernel {
    pub fn function(&self, name: &str) -> Option<&Function> {
        self.functions.iter().find(|f| f.name == name)
    }

    pub fn top_function(&self) -> Option<&Function> {
        self.function(&self.top)
    }

    /// `file:line:col` for messages.
    pub fn display_loc(&self, loc: Loc) -> String {
        let file = self.files.get(loc.file as usize).map(String::as_str).unwrap_or("<input>");
        format!("{file}:{}:{}", loc.line, loc.col)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Function {
    pub name: String,
    pub loc: Loc,
    pub ret: ScalarType,
    pub params: Vec<Param>,
    /// Array-like storage visible in this function: array/pointer/stream parameters, local and
    /// static arrays. [`ArrayId`] indexes this.
    pub arrays: Vec<Array>,
    pub body: Region,
    pub directives: FunctionDirectives,
    /// File-scope scalars the function assigns. Code outside the kernel can read them, so what
    /// is written there is an output.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub global_writes: Vec<String>,
}

impl Function {
    pub fn array(&self, id: ArrayId) -> &Array {
        &self.arrays[id.0 as usize]
    }

    pub fn array_by_name(&self, name: &str) -> Option<&Array> {
        self.arrays.iter().find(|a| a.name == name)
    }

    /// All loops of the body, outermost first (pre-order).
    pub fn loops(&self) -> Vec<&Loop> {
        let mut out = Vec::new();
        self.body.visit_loops(&mut |l| out.push(l));
        out
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Param {
    pub name: String,
    pub ty: ScalarType,
    /// Set when the parameter is an array, pointer, reference-to-array or stream.
    pub array: Option<ArrayId>,
    /// A non-const scalar reference (`float &out`): what the function writes to it is an
    /// output.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub by_ref: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ArrayId(pub u32);

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Array {
    pub name: String,
    pub loc: Loc,
    pub elem: ScalarType,
    /// Extent per dimension, outermost first; `None` where unknown (a bare pointer).
    pub dims: Vec<Option<u64>>,
    pub kind: ArrayKind,
    pub partitions: Vec<PartitionDirective>,
    pub storage: Option<StorageDirective>,
}

impl Array {
    /// Number of elements, if every dimension is known.
    pub fn elements(&self) -> Option<u64> {
        self.dims.iter().try_fold(1u64, |acc, d| d.map(|d| acc.saturating_mul(d)))
    }

    pub fn total_bits(&self) -> Option<u64> {
        self.elements().map(|n| n.saturating_mul(self.elem.bits() as u64))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrayKind {
    /// A parameter of the function (interface memory at the top level).
    Param,
    /// A local array (on-chip memory or registers).
    Local,
    /// A `static` local or file-scope array.
    Static,
    /// `hls::stream<T>`; `depth` from `STREAM`/`INTERFACE depth=` when given.
    Stream { depth: Option<u32> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartitionType {
    Cyclic,
    Block,
    Complete,
}

/// `ARRAY_PARTITION` or `ARRAY_RESHAPE` on one array.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionDirective {
    pub kind: PartitionType,
    /// Banks for cyclic/block; `None` for complete.
    pub factor: Option<u32>,
    /// 1-based dimension; 0 means every dimension.
    pub dim: u32,
    pub reshape: bool,
    pub loc: Loc,
}

/// `BIND_STORAGE variable=X type=ram_2p impl=bram latency=N`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageDirective {
    pub storage_type: Option<String>,
    pub implementation: Option<String>,
    pub latency: Option<u32>,
    pub loc: Loc,
}

/// A straight-line sequence of nodes in program order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Region {
    pub nodes: Vec<Node>,
}

impl Region {
    /// Pre-order walk over every loop nested in this region (through branches too).
    pub fn visit_loops<'a>(&'a self, f: &mut dyn FnMut(&'a Loop)) {
        for node in &self.nodes {
            match node {
                Node::Loop(l) => {
                    f(l);
                    l.body.visit_loops(f);
                }
                Node::Branch(b) => {
                    b.then_region.visit_loops(f);
                    b.else_region.visit_loops(f);
                }
                Node::Op(_) | Node::Call(_) => {}
            }
        }
    }

    /// [`Region::visit_loops`], with each loop mutable (its body is visited after it).
    pub fn visit_loops_mut(&mut self, f: &mut dyn FnMut(&mut Loop)) {
        for node in &mut self.nodes {
            match node {
                Node::Loop(l) => {
                    f(l);
                    l.body.visit_loops_mut(f);
                }
                Node::Branch(b) => {
                    b.then_region.visit_loops_mut(f);
                    b.else_region.visit_loops_mut(f);
                }
                Node::Op(_) | Node::Call(_) => {}
            }
        }
    }

    /// Every call in this region, nested loops and branches included, in program order.
    pub fn visit_calls<'a>(&'a self, f: &mut dyn FnMut(&'a Call)) {
        for node in &self.nodes {
            match node {
                Node::Call(c) => f(c),
                Node::Loop(l) => l.body.visit_calls(f),
                Node::Branch(b) => {
                    b.then_region.visit_calls(f);
                    b.else_region.visit_calls(f);
                }
                Node::Op(_) => {}
            }
        }
    }

    /// [`Region::visit_calls`], with each call mutable.
    pub fn visit_calls_mut(&mut self, f: &mut dyn FnMut(&mut Call)) {
        for node in &mut self.nodes {
            match node {
                Node::Call(c) => f(c),
                Node::Loop(l) => l.body.visit_calls_mut(f),
                Node::Branch(b) => {
                    b.then_region.visit_calls_mut(f);
                    b.else_region.visit_calls_mut(f);
                }
                Node::Op(_) => {}
            }
        }
    }

    /// Operations directly in this region (not in nested loops or branches).
    pub fn ops(&self) -> impl Iterator<Item = &Op> {
        self.nodes.iter().filter_map(|n| match n {
            Node::Op(op) => Some(op),
            _ => None,
        })
    }
}

// Loops are few and every pass walks them by reference; boxing them would add an indirection to
// each walk for a memory saving that does not matter at kernel sizes.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Node {
    Op(Op),
    Loop(Loop),
    Call(Call),
    Branch(Branch),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpId(pub u32);

/// One typed operation. `ty` is the type the operator works on (for a compare or store: the
/// operand type), which is what selects its latency and cost.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Op {
    pub id: OpId,
    pub kind: OpKind,
    pub ty: ScalarType,
    pub operands: Vec<Operand>,
    /// The memory reference of a load, store or stream access.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access: Option<Access>,
    /// `BIND_OP` that selects this operation's implementation or latency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bind: Option<BindOpDirective>,
    pub loc: Loc,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpKind {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    Neg,
    Shl,
    Shr,
    And,
    Or,
    Xor,
    Not,
    /// Comparison (`<`, `==`, ...): the result is a bool.
    Cmp,
    /// `c ? a : b`, and the merge of values after an if/else.
    Select,
    Min,
    Max,
    Abs,
    Sqrt,
    Exp,
    Log,
    Pow,
    /// sin/cos/tan and the like.
    Trig,
    /// Type conversion: int → float or double, integer and fixed-point width changes (float →
    /// int is [`OpKind::FloatToInt`]).
    Cast,
    /// A change of floating-point width (float ↔ double; the result type says which way):
    /// LLVM's `fpext`/`fptrunc`, a much smaller core than an int↔float converter.
    FpConvert,
    /// A float (`double: false`) or double converted to an integer or fixed-point type (the
    /// result type): LLVM's `fptosi`/`fptoui`, a float↔int converter core like the one an
    /// int → float `Cast` uses, sized by the floating-point side.
    FloatToInt { double: bool },
    Load,
    Store,
    StreamRead,
    StreamWrite,
    /// A call to a library function the front-end does not model; named.
    Other(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Operand {
    /// The result of an operation in the same region; within one loop or function body also
    /// across branches: an arm reads what the code around it computed, and the merging
    /// `Select` after a branch reads what each arm computed.
    Op(OpId),
    Int(i64),
    Float(f64),
    /// A value from outside the region: a scalar variable, parameter or induction variable.
    Scalar(String),
}

impl Operand {
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Operand::Int(v) => Some(*v),
            _ => None,
        }
    }
}

/// A memory reference: the array and one index expression per dimension used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Access {
    pub array: ArrayId,
    pub index: Vec<IndexExpr>,
}

/// An index expression, kept affine where possible: `sum(coeff * var) + constant`.
/// `affine == false` means the index depends on data (an indirect access like `A[idx[i]]`);
/// the named variables are then the ones it was seen to depend on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct IndexExpr {
    pub terms: Vec<(String, i64)>,
    pub constant: i64,
    pub affine: bool,
}

impl IndexExpr {
    pub fn constant(c: i64) -> Self {
        IndexExpr { terms: Vec::new(), constant: c, affine: true }
    }

    /// Coefficient of `var` (0 if absent).
    pub fn coeff(&self, var: &str) -> i64 {
        self.terms.iter().filter(|(v, _)| v == var).map(|(_, c)| c).sum()
    }

    pub fn depends_on(&self, var: &str) -> bool {
        self.terms.iter().any(|(v, c)| v == var && (*c != 0 || !self.affine))
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Loop {
    pub id: LoopId,
    pub label: Option<String>,
    /// Induction variable, when the loop has one the front-end recognised.
    pub var: Option<String>,
    pub loc: Loc,
    pub trip: TripCount,
    pub body: Region,
    pub directives: LoopDirectives,
    /// Loop-carried dependences (reductions and recurrences) this loop carries.
    pub carried: Vec<CarriedDep>,
    /// Scalars declared outside the loop that its body writes, the counters of the loops in
    /// it excepted. Copies of the loop would share them: Merlin refuses to make coarse-grained
    /// copies of such a loop.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outer_writes: Vec<String>,
}

impl Loop {
    /// Label if any, else `L<id>` (Vitis names unlabelled loops by their line; we keep ids stable).
    pub fn name(&self) -> String {
        self.label.clone().unwrap_or_else(|| format!("L{}", self.id.0))
    }

    pub fn inner_loops(&self) -> impl Iterator<Item = &Loop> {
        self.body.nodes.iter().filter_map(|n| match n {
            Node::Loop(l) => Some(l),
            _ => None,
        })
    }
}

/// Unique within a kernel, numbered in source order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct LoopId(pub u32);

/// Iteration count. `min`/`max` are `None` when unknown; `source` says where they came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TripCount {
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// Average where it differs from the midpoint (triangular loops, `LOOP_TRIPCOUNT avg=`).
    pub avg: Option<f64>,
    pub source: TripSource,
}

impl TripCount {
    pub fn constant(n: u64) -> Self {
        TripCount { min: Some(n), max: Some(n), avg: Some(n as f64), source: TripSource::Constant }
    }

    pub fn unknown() -> Self {
        TripCount { min: None, max: None, avg: None, source: TripSource::Unknown }
    }

    pub fn is_known(&self) -> bool {
        self.max.is_some()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TripSource {
    /// Constant bounds.
    Constant,
    /// Bounds that depend on an outer induction variable (triangular), or on a run-time value of
    /// an integer type narrower than `int`; min/max over its range.
    Derived,
    /// From `LOOP_TRIPCOUNT`.
    Pragma,
    Unknown,
}

/// A dependence carried from one iteration of a loop to a later one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CarriedDep {
    pub kind: DepKind,
    /// The scalar variable or array the value travels through.
    pub variable: String,
    /// True when it travels through an array (load/store), false for a scalar register.
    pub through_memory: bool,
    /// Dependence distance in iterations of the carrying loop (≥ 1).
    pub distance: u32,
    /// Operations on the cycle, in dataflow order (read … write); their latencies sum to the
    /// recurrence delay.
    pub ops: Vec<OpId>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DepKind {
    /// `x = x op f(...)` with an associative op: a tool (or Merlin `reduction=`) may re-associate.
    Reduction,
    /// Any other carried value (`a[i] = a[i-1] + ...`, state machines).
    Recurrence,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Call {
    pub callee: String,
    pub loc: Loc,
    /// Caller arrays bound to the callee's parameters: (parameter index, caller array).
    pub array_args: Vec<(u32, ArrayId)>,
    /// A task (`hls::task`): started with its caller and run beside it, never waited for.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub free_running: bool,
    /// Scalar arguments whose value is a compile-time constant here: (parameter index, value).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub const_args: Vec<(u32, i64)>,
}

/// `if`/`else` (and `switch`, lowered to a chain). The condition's operations precede it in the
/// enclosing region; `cond` names the deciding value when there is one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub loc: Loc,
    pub cond: Option<OpId>,
    pub then_region: Region,
    pub else_region: Region,
}
