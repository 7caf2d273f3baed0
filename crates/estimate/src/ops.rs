//! Maps IR operations to the operator classes of the device profile (strength reduction a
//! synthesis tool always does, such as multiply by a power of two → shift, included).

use crate::profile::OpClass;
use hlsseek_ir::{Op, OpKind, Operand, ScalarType, TypeClass};

/// Operator class, type class and width that select a row of the profile's table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct OpKey {
    pub class: OpClass,
    pub tc: TypeClass,
    pub bits: u32,
}

fn is_pow2_const(o: &Operand) -> bool {
    match o {
        Operand::Int(v) => *v == 0 || (v.unsigned_abs()).is_power_of_two(),
        _ => false,
    }
}

fn is_const(o: &Operand) -> bool {
    matches!(o, Operand::Int(_) | Operand::Float(_))
}

pub(crate) fn classify(op: &Op) -> OpKey {
    let ty = op.ty;
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
        OpKind::Div | OpKind::Rem => {
            if !float && op.operands.get(1).is_some_and(is_pow2_const) {
                OpClass::Logic
            } else {
                OpClass::Div
            }
        }
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
        OpKind::And | OpKind::Or | OpKind::Xor | OpKind::Not => OpClass::Logic,
        OpKind::Cmp | OpKind::Min | OpKind::Max => OpClass::Cmp,
        OpKind::Select => OpClass::Select,
        OpKind::Sqrt => OpClass::Sqrt,
        OpKind::Exp => OpClass::Exp,
        OpKind::Log => OpClass::Log,
        OpKind::Pow => OpClass::Pow,
        OpKind::Trig => OpClass::Trig,
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
    OpKey { class, tc, bits }
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

/// Whether a unit of this class is worth sharing between states of a non-pipelined FSM (Vitis
/// shares costly operators; duplicating an adder is cheaper than its input multiplexers).
pub(crate) fn shareable(class: OpClass, tc: TypeClass) -> bool {
    match class {
        OpClass::Mul | OpClass::MulConst | OpClass::Div | OpClass::Sqrt | OpClass::Exp | OpClass::Log | OpClass::Pow | OpClass::Trig => true,
        OpClass::Add | OpClass::Cmp | OpClass::Cast => tc != TypeClass::Int,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_ir::{Loc, OpId};

    fn op(kind: OpKind, ty: ScalarType, operands: Vec<Operand>) -> Op {
        Op { id: OpId(0), kind, ty, operands, access: None, loc: Loc::default() }
    }

    #[test]
    fn strength_reduction() {
        let x = Operand::Scalar("x".into());
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), Operand::Int(8)])).class, OpClass::Free);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), Operand::Int(7)])).class, OpClass::MulConst);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::I32, vec![x.clone(), x.clone()])).class, OpClass::Mul);
        assert_eq!(classify(&op(OpKind::Div, ScalarType::I32, vec![x.clone(), Operand::Int(4)])).class, OpClass::Logic);
        assert_eq!(classify(&op(OpKind::Mul, ScalarType::Float, vec![x.clone(), Operand::Float(2.0)])).class, OpClass::MulConst);
        assert_eq!(classify(&op(OpKind::Other("hls::sqrtf".into()), ScalarType::Float, vec![x])).class, OpClass::Sqrt);
    }
}
