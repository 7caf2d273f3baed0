//! Maps IR operations to the operator classes of the device profile (strength reduction a
//! synthesis tool always does, such as multiply by a power of two → shift, included).

use crate::profile::{OpClass, OpCost, Profile};
use crate::model::spread;
use hlsseek_ir::{Op, OpKind, Operand, ScalarType, TypeClass};

/// Operator class, type class and width that select a row of the profile's table, and the
/// implementation a `BIND_OP` asks for (units of different implementations are not shared).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OpKey {
    pub class: OpClass,
    pub tc: TypeClass,
    pub bits: u32,
    pub imp: OpImpl,
}

/// `BIND_OP impl=`: where the operator is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OpImpl {
    /// The profile's row (the tool's default).
    Auto,
    /// LUTs only (`fabric`).
    Fabric,
    /// On DSP slices (`dsp`, and the `*dsp` / `maxdsp` / `fulldsp` forms).
    Dsp,
}

pub(crate) fn is_pow2_const(o: &Operand) -> bool {
    match o {
        Operand::Int(v) => *v == 0 || (v.unsigned_abs()).is_power_of_two(),
        _ => false,
    }
}

fn is_const(o: &Operand) -> bool {
    matches!(o, Operand::Int(_) | Operand::Float(_))
}

pub(crate) fn classify(op: &Op) -> OpKey {
    // A float → int converter is the float↔int core of the floating-point side's width.
    let ty = match op.kind {
        OpKind::FloatToInt { double: true } => ScalarType::Double,
        OpKind::FloatToInt { double: false } => ScalarType::Float,
        _ => op.ty,
    };
    let tc = ty.class();
    let bits = match ty {
        ScalarType::Void => 32,
        t => t.bits(),
    };
    let float = ty.is_float();
    let class = match &op.kind {
        OpKind::Add | OpKind::Sub => OpClass::Add,
        OpKind::Mul => {
            if !float && op.operands.iter().any(is_pow2_const) {
                OpClass::Free
            } else if op.operands.iter().any(is_const) {
                OpClass::MulConst
            } else {
                OpClass::Mul
            }
        }
        OpKind::Div | OpKind::Rem => match op.operands.get(1) {
            Some(d) if !float && is_pow2_const(d) => OpClass::Logic,
            // A division by any other constant is a multiply by its "magic" reciprocal and a
            // shift (ForgeHLS `x / 12` on 32 bits: none of a divider's 36 cycles, 4 DSP). A
            // remainder by such a constant stays a divider in the same data (`x % 10`,
            // `% 180`: no DSP, a pipelined divider's LUT and FF).
            Some(Operand::Int(_)) if !float && op.kind == OpKind::Div => OpClass::DivConst,
            _ => OpClass::Div,
        },
        OpKind::Neg | OpKind::Abs => {
            if float {
                OpClass::Logic
            } else {
                OpClass::Add
            }
        }
        OpKind::Shl | OpKind::Shr => {
            if op.operands.get(1).is_some_and(is_const) {
                OpClass::Free
            } else {
                OpClass::Logic
            }
        }
        // Masking with a constant, setting constant bits or inverting them is wiring: each
        // result bit is a constant or an input bit (an inversion folds into the next LUT).
        OpKind::And | OpKind::Or | OpKind::Xor if !float && op.operands.iter().any(is_const) => OpClass::Free,
        OpKind::And | OpKind::Or | OpKind::Xor | OpKind::Not => OpClass::Logic,
        OpKind::Cmp | OpKind::Min | OpKind::Max => OpClass::Cmp,
        // A choice on a constant condition (an unrolled copy's) is made at compile time.
        OpKind::Select if op.operands.first().is_some_and(is_const) => OpClass::Free,
        OpKind::Select => OpClass::Select,
        OpKind::Sqrt => OpClass::Sqrt,
        OpKind::Exp => OpClass::Exp,
        OpKind::Log => OpClass::Log,
        OpKind::Pow => OpClass::Pow,
        OpKind::Trig => OpClass::Trig,
        OpKind::FpConvert => OpClass::FpConvert,
        OpKind::FloatToInt { .. } => OpClass::Cast,
        OpKind::Cast => {
            if float {
                OpClass::Cast
            } else {
                OpClass::Free
            }
        }
        OpKind::Load | OpKind::StreamRead => OpClass::Load,
        OpKind::Store | OpKind::StreamWrite => OpClass::Store,
        OpKind::Other(name) => classify_named(name, float),
    };
    let imp = match op.bind.as_ref().and_then(|b| b.implementation.as_deref()).map(str::to_ascii_lowercase).as_deref() {
        Some("fabric") | Some("nodsp") => OpImpl::Fabric,
        Some(i) if i.contains("dsp") => OpImpl::Dsp,
        _ => OpImpl::Auto,
    };
    OpKey { class, tc, bits, imp }
}

/// The profile's cost of an operator, with what its `BIND_OP` changes: `latency=n` sets the
/// cycles; `impl=fabric` moves its DSPs into LUTs, `impl=dsp` puts an integer add/sub on one
/// DSP per 48 bits.
pub(crate) fn bound_cost(op: &Op, key: OpKey, mut cost: OpCost, prof: &Profile) -> OpCost {
    match key.imp {
        OpImpl::Fabric if cost.dsp > 0.0 => {
            cost.lut += cost.dsp * prof.resources.fabric_lut_per_dsp;
            cost.dsp = 0.0;
        }
        OpImpl::Dsp if cost.dsp == 0.0 && key.class == OpClass::Add && key.tc == TypeClass::Int => {
            cost.dsp = key.bits.div_ceil(48) as f64;
            cost.lut = 0.0;
        }
        _ => {}
    }
    if let Some(l) = op.bind.as_ref().and_then(|b| b.latency) {
        cost.lat = l;
    }
    cost
}

/// Library calls the front-end kept by name.
fn classify_named(name: &str, float: bool) -> OpClass {
    let n = name.to_ascii_lowercase();
    let n = n.rsplit("::").next().unwrap_or(&n);
    let n = n.trim_end_matches('f');
    match n {
        "sqrt" | "rsqrt" | "hypot" | "cbrt" => OpClass::Sqrt,
        "exp" | "exp2" | "expm1" | "exp10" | "tanh" | "sinh" | "cosh" | "sigmoid" => OpClass::Exp,
        "log" | "log2" | "log10" | "log1p" => OpClass::Log,
        "pow" | "powr" | "pown" => OpClass::Pow,
        "sin" | "cos" | "tan" | "asin" | "acos" | "atan" | "atan2" | "sincos" | "sinpi" | "cospi" => OpClass::Trig,
        "abs" | "fabs" | "copysign" | "signbit" => OpClass::Logic,
        "floor" | "ceil" | "round" | "trunc" | "rint" | "lround" | "nearbyint" => OpClass::Cast,
        "fmin" | "fmax" | "min" | "max" => OpClass::Cmp,
        "fmod" | "remainder" => OpClass::Div,
        "fma" => OpClass::Mul,
        _ if !float && (n == "memcpy" || n == "memset") => OpClass::Other,
        _ => OpClass::Other,
    }
}

/// LUTs of a multiplexer with `inputs` inputs (none below two).
pub(crate) fn mux_lut(inputs: u64, lut_per_mux_input: f64) -> f64 {
    if inputs < 2 { 0.0 } else { inputs as f64 * lut_per_mux_input }
}

/// LUTs of the operand multiplexers in front of `units` shared units that do `uses` operations
/// of one kind: each unit takes each operand from as many sources as it does operations.
pub(crate) fn operand_mux_lut(key: OpKey, uses: f64, units: f64, lut_per_mux_input: f64) -> f64 {
    let operands = match key.class {
        OpClass::Sqrt | OpClass::Exp | OpClass::Log | OpClass::Trig | OpClass::Cast | OpClass::FpConvert | OpClass::MulConst | OpClass::DivConst => 1.0,
        _ => 2.0,
    };
    let per_unit = spread(uses.ceil() as u64, units.ceil() as u64);
    operands * per_unit.into_iter().map(|k| mux_lut(k, lut_per_mux_input)).sum::<f64>()
}

/// Whether a unit of this class is worth sharing between states of a non-pipelined FSM (Vitis
/// shares costly operators; duplicating an adder is cheaper than its input multiplexers).
pub(crate) fn shareable(class: OpClass, tc: TypeClass) -> bool {
    match class {
        OpClass::Mul | OpClass::MulConst | OpClass::Div | OpClass::DivConst | OpClass::Sqrt | OpClass::Exp | OpClass::Log | OpClass::Pow | OpClass::Trig => true,
        OpClass::Add | OpClass::Cmp | OpClass::Cast => tc != TypeClass::Int,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_ir::{Loc, OpId};

    fn op(kind: OpKind, ty: ScalarType, operands: Vec<Operand>) -> Op {
        Op { id: OpId(0), kind, ty, operands, access: None, bind: None, loc: Loc::default() }
    }

    #[test]
    fn strength_reduction() {
        let x = Operand::Scalar("x".into());
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), Operand::Int(8)])).class, OpClass::Free);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), Operand::Int(7)])).class, OpClass::MulConst);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), x.clone()])).class, OpClass::Mul);
        assert_eq!(classify(&op(OpKind::Div, ScalarType::I32, vec![x.clone(), Operand::Int(4)])).class, OpClass::Logic);
        assert_eq!(classify(&op(OpKind::Div, ScalarType::I32, vec![x.clone(), Operand::Int(12)])).class, OpClass::DivConst);
        assert_eq!(classify(&op(OpKind::Rem, ScalarType::I32, vec![x.clone(), Operand::Int(12)])).class, OpClass::Div);
        assert_eq!(classify(&op(OpKind::Div, ScalarType::I32, vec![x.clone(), x.clone()])).class, OpClass::Div);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::Float, vec![x.clone(), Operand::Float(2.0)])).class, OpClass::MulConst);
        assert_eq!(classify(&op(OpKind::Other("hls::sqrtf".into()), ScalarType::Float, vec![x])).class, OpClass::Sqrt);
    }

    #[test]
    fn bind_op_moves_an_add_onto_dsps_and_sets_latency() {
        let prof = Profile::builtin("xcu280").unwrap();
        let table = crate::profile::OpTable::resolve(&prof, 10.0);
        let x = Operand::Scalar("x".into());
        let mut add = op(OpKind::Add, ScalarType::Int { bits: 64, signed: true }, vec![x.clone(), x]);
        let plain = table.get(OpClass::Add, TypeClass::Int, 64);
        assert_eq!(plain.dsp, 0.0);
        add.bind = Some(hlsseek_ir::BindOpDirective { variable: Some("y".into()), op: Some("add".into()), implementation: Some("DSP".into()), latency: Some(2), loc: Loc::default() });
        let key = classify(&add);
        assert_eq!(key.imp, OpImpl::Dsp);
        let bound = bound_cost(&add, key, plain, &prof);
        // 64 bits: two 48-bit DSP adders, no LUTs, two cycles.
        assert_eq!((bound.dsp, bound.lut, bound.lat), (2.0, 0.0, 2));
    }
}
