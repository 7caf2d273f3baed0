//! Constant folding of operations whose operands are all literals, as Clang does before any
//! HLS scheduling (the front-end folds what the source writes; the estimator folds what
//! unrolling makes constant, a copy's loop variable): `x * (1.0 - 0.1) + 0.1 / 1024` is one multiply and one add in hardware, not
//! a subtract, a divider and a multiply. Integers wrap to their C type; float results round to
//! single precision when the type is `float`. Whatever C leaves undefined or the tool would
//! trap on (division by zero, shifts past the width, ap_fixed arithmetic, ints over 64 bits)
//! is not folded and stays an operation. [`identity`] adds the integer operations one literal
//! decides whatever the other operand is (`x * 0`, `x + 0`).
//!
//! This works on IR operands; the front-end's `consts::eval_const` is the other evaluator, over
//! syntax, for the integer constant expressions that size arrays and bound loops before any IR
//! exists.

use crate::{OpKind, Operand, ScalarType};

/// `v` as a value of the integer type `bits`/`signed` (two's-complement wrap).
pub fn wrap_int(v: i64, bits: u16, signed: bool) -> i64 {
    if bits == 0 || bits >= 64 {
        return v;
    }
    let shift = 64 - u32::from(bits);
    if signed {
        (v << shift) >> shift
    } else {
        ((v as u64) << shift >> shift) as i64
    }
}

/// A literal converted to `ty`, or `None` when `ty` is not a plain int or float type.
pub fn convert_literal(op: &Operand, ty: ScalarType) -> Option<Operand> {
    match (op, ty) {
        (Operand::Int(x), ScalarType::Int { bits, signed }) if bits <= 64 => Some(Operand::Int(wrap_int(*x, bits, signed))),
        (Operand::Float(x), ScalarType::Float) => Some(Operand::Float(round_single(*x))),
        _ => None,
    }
}

fn round_single(x: f64) -> f64 {
    // f64::MAX stands for infinity in the IR (`__builtin_inff`): keep it as is.
    if x.abs() >= f64::from(f32::MAX) { x } else { f64::from(x as f32) }
}

/// `a kind b` in `ty` when both operands are literals and the result is defined.
pub fn binary(kind: &OpKind, ty: ScalarType, a: &Operand, b: &Operand) -> Option<Operand> {
    match (ty, a, b) {
        (ScalarType::Float | ScalarType::Double | ScalarType::Half, Operand::Float(x), Operand::Float(y)) => {
            let r = match kind {
                OpKind::Add => x + y,
                OpKind::Sub => x - y,
                OpKind::Mul => x * y,
                OpKind::Div if *y != 0.0 => x / y,
                _ => return None,
            };
            let r = if ty == ScalarType::Double { r } else { round_single(r) };
            r.is_finite().then_some(Operand::Float(r))
        }
        (ScalarType::Int { bits, signed }, Operand::Int(x), Operand::Int(y)) if bits <= 64 => {
            let (x, y) = (wrap_int(*x, bits, signed), wrap_int(*y, bits, signed));
            let in_width = |s: i64| (0..i64::from(bits)).contains(&s);
            let r = match kind {
                OpKind::Add => x.wrapping_add(y),
                OpKind::Sub => x.wrapping_sub(y),
                OpKind::Mul => x.wrapping_mul(y),
                OpKind::Div | OpKind::Rem if y == 0 => return None,
                OpKind::Div if signed => x.checked_div(y)?,
                OpKind::Rem if signed => x.checked_rem(y)?,
                // Unsigned values of 64 bits are held in i64: divide them as u64.
                OpKind::Div => ((x as u64) / (y as u64)) as i64,
                OpKind::Rem => ((x as u64) % (y as u64)) as i64,
                OpKind::Shl if in_width(y) => x.wrapping_shl(y as u32),
                OpKind::Shr if in_width(y) && signed => x >> y,
                OpKind::Shr if in_width(y) => ((x as u64) >> y) as i64,
                OpKind::And => x & y,
                OpKind::Or => x | y,
                OpKind::Xor => x ^ y,
                _ => return None,
            };
            Some(Operand::Int(wrap_int(r, bits, signed)))
        }
        _ => None,
    }
}

/// `a kind b` in the integer type `ty` when one operand is a literal that decides the result
/// whatever the other is (LLVM's instcombine does this before scheduling): `x + 0`, `x * 1`,
/// `x | 0`, `x << 0` are `x`; `x * 0`, `x & 0` are 0. Only integers: `x * 0.0` is not 0 for
/// an infinite `x`, nor `x + 0.0` equal to `x` for −0.
pub fn identity(kind: &OpKind, ty: ScalarType, a: &Operand, b: &Operand) -> Option<Operand> {
    if !matches!(ty, ScalarType::Int { .. }) {
        return None;
    }
    let (za, zb) = (a.as_int() == Some(0), b.as_int() == Some(0));
    let (oa, ob) = (a.as_int() == Some(1), b.as_int() == Some(1));
    match kind {
        OpKind::Add | OpKind::Or | OpKind::Xor if za => Some(b.clone()),
        OpKind::Add | OpKind::Sub | OpKind::Or | OpKind::Xor | OpKind::Shl | OpKind::Shr if zb => Some(a.clone()),
        OpKind::Mul | OpKind::And if za || zb => Some(Operand::Int(0)),
        OpKind::Shl | OpKind::Shr if za => Some(Operand::Int(0)),
        OpKind::Mul if oa => Some(b.clone()),
        OpKind::Mul | OpKind::Div if ob => Some(a.clone()),
        OpKind::Rem if ob => Some(Operand::Int(0)),
        _ => None,
    }
}

/// A one-operand operation (negation, bitwise or logical not, conversion) of a literal.
pub fn unary(kind: &OpKind, ty: ScalarType, a: &Operand) -> Option<Operand> {
    match (kind, ty, a) {
        (OpKind::Neg, ScalarType::Int { bits, signed }, Operand::Int(x)) if bits <= 64 => Some(Operand::Int(wrap_int(x.wrapping_neg(), bits, signed))),
        (OpKind::Neg, ScalarType::Float | ScalarType::Double, Operand::Float(x)) => Some(Operand::Float(-x)),
        (OpKind::Not, ScalarType::Bool, Operand::Int(x)) => Some(Operand::Int(i64::from(*x == 0))),
        (OpKind::Not, ScalarType::Int { bits, signed }, Operand::Int(x)) if bits <= 64 => Some(Operand::Int(wrap_int(!x, bits, signed))),
        (OpKind::Cast, ScalarType::Float | ScalarType::Double, Operand::Int(x)) => convert_literal(&Operand::Float(*x as f64), ty).or(Some(Operand::Float(*x as f64))),
        (OpKind::Cast | OpKind::FloatToInt { .. }, ScalarType::Int { .. }, Operand::Float(x)) if x.is_finite() && x.abs() < 9e18 => convert_literal(&Operand::Int(x.trunc() as i64), ty),
        (OpKind::FpConvert, ScalarType::Float | ScalarType::Double, Operand::Float(_)) => convert_literal(a, ty).or_else(|| Some(a.clone())),
        (OpKind::Cast, _, _) => convert_literal(a, ty).or_else(|| matches!((ty, a), (ScalarType::Double, Operand::Float(_))).then(|| a.clone())),
        _ => None,
    }
}

/// A C math function of literal arguments (`sqrt(2.0)`, `exp(-0.5)`, `fabs(-1.0f)`), or
/// `None` when `name` is not one folded here or the result is not a finite number.
pub fn math(name: &str, ty: ScalarType, args: &[Operand]) -> Option<Operand> {
    if !matches!(ty, ScalarType::Float | ScalarType::Double) {
        return None;
    }
    let xs: Vec<f64> = args.iter().map(|a| if let Operand::Float(x) = a { Some(*x) } else { None }).collect::<Option<_>>()?;
    // `sqrtf` folds as `sqrt` (the type has set the precision already).
    let base = name.strip_suffix('f').filter(|b| !b.is_empty()).unwrap_or(name);
    let r = match (base, xs.as_slice()) {
        ("sqrt", [x]) if *x >= 0.0 => x.sqrt(),
        ("cbrt", [x]) => x.cbrt(),
        ("exp", [x]) => x.exp(),
        ("exp2", [x]) => x.exp2(),
        ("log", [x]) if *x > 0.0 => x.ln(),
        ("log2", [x]) if *x > 0.0 => x.log2(),
        ("log10", [x]) if *x > 0.0 => x.log10(),
        ("pow", [x, y]) => x.powf(*y),
        ("sin", [x]) => x.sin(),
        ("cos", [x]) => x.cos(),
        ("tan", [x]) => x.tan(),
        ("atan", [x]) => x.atan(),
        ("atan2", [y, x]) => y.atan2(*x),
        ("tanh", [x]) => x.tanh(),
        ("fabs" | "abs", [x]) => x.abs(),
        ("fmin", [x, y]) => x.min(*y),
        ("fmax", [x, y]) => x.max(*y),
        _ => return None,
    };
    let r = if ty == ScalarType::Float { round_single(r) } else { r };
    r.is_finite().then_some(Operand::Float(r))
}

/// A comparison of two literals of one type: 1 or 0.
pub fn compare(op: &str, a: &Operand, b: &Operand) -> Option<Operand> {
    let ord = match (a, b) {
        (Operand::Int(x), Operand::Int(y)) => x.partial_cmp(y),
        (Operand::Float(x), Operand::Float(y)) => x.partial_cmp(y),
        _ => None,
    }?;
    use std::cmp::Ordering::*;
    let r = match op {
        "<" => ord == Less,
        ">" => ord == Greater,
        "<=" => ord != Greater,
        ">=" => ord != Less,
        "==" => ord == Equal,
        "!=" => ord != Equal,
        _ => return None,
    };
    Some(Operand::Int(i64::from(r)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities_decide_integer_results_only() {
        let x = Operand::Scalar("x".into());
        let i32t = ScalarType::I32;
        assert_eq!(identity(&OpKind::Add, i32t, &Operand::Int(0), &x), Some(x.clone()));
        assert_eq!(identity(&OpKind::Sub, i32t, &x, &Operand::Int(0)), Some(x.clone()));
        assert_eq!(identity(&OpKind::Sub, i32t, &Operand::Int(0), &x), None, "0 - x is a negation");
        assert_eq!(identity(&OpKind::Mul, i32t, &Operand::Int(0), &x), Some(Operand::Int(0)));
        assert_eq!(identity(&OpKind::Mul, i32t, &x, &Operand::Int(1)), Some(x.clone()));
        assert_eq!(identity(&OpKind::Div, i32t, &Operand::Int(1), &x), None);
        assert_eq!(identity(&OpKind::Rem, i32t, &x, &Operand::Int(1)), Some(Operand::Int(0)));
        assert_eq!(identity(&OpKind::Mul, ScalarType::Float, &Operand::Float(0.0), &x), None);
        assert_eq!(identity(&OpKind::Mul, ScalarType::Double, &Operand::Int(0), &x), None);
    }

    const U8: ScalarType = ScalarType::Int { bits: 8, signed: false };
    const U32: ScalarType = ScalarType::Int { bits: 32, signed: false };

    #[test]
    fn integers_wrap_to_their_type_and_undefined_results_stay_operations() {
        assert_eq!(binary(&OpKind::Mul, ScalarType::I32, &Operand::Int(3), &Operand::Int(4)), Some(Operand::Int(12)));
        assert_eq!(binary(&OpKind::Add, U8, &Operand::Int(250), &Operand::Int(10)), Some(Operand::Int(4)));
        assert_eq!(binary(&OpKind::Add, ScalarType::I32, &Operand::Int(i64::from(i32::MAX)), &Operand::Int(1)), Some(Operand::Int(i64::from(i32::MIN))));
        assert_eq!(binary(&OpKind::Sub, U32, &Operand::Int(0), &Operand::Int(1)), Some(Operand::Int(i64::from(u32::MAX))));
        assert_eq!(binary(&OpKind::Div, ScalarType::I32, &Operand::Int(-7), &Operand::Int(2)), Some(Operand::Int(-3)));
        assert_eq!(binary(&OpKind::Shr, ScalarType::I32, &Operand::Int(-8), &Operand::Int(1)), Some(Operand::Int(-4)));
        assert_eq!(binary(&OpKind::Shl, ScalarType::I32, &Operand::Int(1), &Operand::Int(31)), Some(Operand::Int(i64::from(i32::MIN))));
        assert_eq!(binary(&OpKind::Div, ScalarType::I32, &Operand::Int(1), &Operand::Int(0)), None);
        assert_eq!(binary(&OpKind::Rem, ScalarType::I32, &Operand::Int(1), &Operand::Int(0)), None);
        assert_eq!(binary(&OpKind::Shl, ScalarType::I32, &Operand::Int(1), &Operand::Int(32)), None);
        assert_eq!(binary(&OpKind::Add, ScalarType::Int { bits: 128, signed: false }, &Operand::Int(1), &Operand::Int(1)), None);
        assert_eq!(binary(&OpKind::Mul, ScalarType::I32, &Operand::Int(3), &Operand::Scalar("n".into())), None);
    }

    #[test]
    fn floats_fold_in_their_precision() {
        assert_eq!(binary(&OpKind::Sub, ScalarType::Double, &Operand::Float(1.0), &Operand::Float(0.1)), Some(Operand::Float(0.9)));
        assert_eq!(binary(&OpKind::Div, ScalarType::Float, &Operand::Float(1.0), &Operand::Float(3.0)), Some(Operand::Float(f64::from(1.0f32 / 3.0))));
        assert_eq!(binary(&OpKind::Div, ScalarType::Double, &Operand::Float(1.0), &Operand::Float(0.0)), None);
        assert_eq!(binary(&OpKind::Rem, ScalarType::Double, &Operand::Float(1.0), &Operand::Float(2.0)), None);
        let fixed = ScalarType::Fixed { bits: 16, int_bits: 8, signed: true };
        assert_eq!(binary(&OpKind::Add, fixed, &Operand::Float(0.5), &Operand::Float(0.25)), None);
    }

    #[test]
    fn one_operand_operations() {
        assert_eq!(unary(&OpKind::Neg, U8, &Operand::Int(1)), Some(Operand::Int(255)));
        assert_eq!(unary(&OpKind::Not, ScalarType::I32, &Operand::Int(0)), Some(Operand::Int(-1)));
        assert_eq!(unary(&OpKind::Not, ScalarType::Bool, &Operand::Int(3)), Some(Operand::Int(0)));
        assert_eq!(unary(&OpKind::Cast, ScalarType::Float, &Operand::Int(3)), Some(Operand::Float(3.0)));
        assert_eq!(unary(&OpKind::Cast, U8, &Operand::Float(300.7)), Some(Operand::Int(44)));
        assert_eq!(unary(&OpKind::Cast, ScalarType::Double, &Operand::Float(0.5)), Some(Operand::Float(0.5)));
        assert_eq!(unary(&OpKind::Neg, ScalarType::I32, &Operand::Scalar("x".into())), None);
    }

    #[test]
    fn math_calls_and_comparisons_of_literals() {
        assert_eq!(math("sqrt", ScalarType::Double, &[Operand::Float(4.0)]), Some(Operand::Float(2.0)));
        assert_eq!(math("expf", ScalarType::Float, &[Operand::Float(0.0)]), Some(Operand::Float(1.0)));
        assert_eq!(math("fabs", ScalarType::Double, &[Operand::Float(-2.5)]), Some(Operand::Float(2.5)));
        assert_eq!(math("pow", ScalarType::Double, &[Operand::Float(2.0), Operand::Float(10.0)]), Some(Operand::Float(1024.0)));
        assert_eq!(math("sqrt", ScalarType::Double, &[Operand::Float(-1.0)]), None);
        assert_eq!(math("log", ScalarType::Double, &[Operand::Float(0.0)]), None);
        assert_eq!(math("sqrt", ScalarType::Double, &[Operand::Scalar("x".into())]), None);
        assert_eq!(compare("<", &Operand::Int(3), &Operand::Int(4)), Some(Operand::Int(1)));
        assert_eq!(compare("==", &Operand::Float(1.0), &Operand::Float(2.0)), Some(Operand::Int(0)));
        assert_eq!(compare("<", &Operand::Int(3), &Operand::Float(4.0)), None);
    }
}
