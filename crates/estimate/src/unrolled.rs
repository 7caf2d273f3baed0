//! What each copy of a fully unrolled loop knows at compile time: its loop variable is a
//! constant, so `1 << j`, `j * 4` or `(float)j` are evaluated by the tool (no hardware), and
//! an operation that uses them is one by a constant (`x >> j` is wiring, `x * (1 << j)` a
//! shift, `c ? a : b` on a constant `c` a choice made at compile time). Values are followed in
//! three sample copies, enough to tell "a power of two in every copy" from "some constant".

use crate::memory::Binding;
use crate::ops::is_pow2_const;
use hlsseek_ir::{fold, Op, OpKind, Operand};

/// An operation's value in three sample copies.
pub(crate) type Samples = [Operand; 3];

/// The sample values of an operand: literals are the same in every copy, a loop variable bound
/// per copy (`uc == 0`) takes the copy's index, an operation what [`evaluate`] recorded.
pub(crate) fn of_operand(o: &Operand, bindings: &[Binding], recorded: impl Fn(u32) -> Option<Samples>) -> Option<Samples> {
    match o {
        Operand::Int(_) | Operand::Float(_) => Some([o.clone(), o.clone(), o.clone()]),
        Operand::Scalar(s) => {
            let b = bindings.iter().rev().find(|b| b.var == s.as_str())?;
            let last = b.range.saturating_sub(1) as i64;
            (b.uc == 0).then(|| std::array::from_fn(|k| Operand::Int((k as i64 + 1).min(last))))
        }
        Operand::Op(id) => recorded(id.0),
    }
}

/// The values of `op` in the sample copies when every operand has sample values and at least
/// one varies with the copy (operations on literals alone are the front-end's to fold).
pub(crate) fn evaluate(op: &Op, operands: &[Samples]) -> Option<Samples> {
    if op.access.is_some() || operands.is_empty() {
        return None;
    }
    let one = |k: usize| -> Option<Operand> {
        match (&op.kind, operands) {
            // The predicate is not in the IR: a comparison of constants is a constant, of
            // unknown value (1 stands for it; what matters to its users is that it is fixed).
            (OpKind::Cmp, _) => Some(Operand::Int(1)),
            (OpKind::Select, [c, a, b]) => Some(if c[k] == Operand::Int(0) { b[k].clone() } else { a[k].clone() }),
            (kind, [a]) => fold::unary(kind, op.ty, &a[k]),
            (kind, [a, b]) => fold::binary(kind, op.ty, &a[k], &b[k]),
            _ => None,
        }
    };
    Some([one(0)?, one(1)?, one(2)?])
}

/// One literal that stands for `samples` when the operation using it is classified: a value
/// that is not a power of two where some copy has one (a constant multiplier, not a shift).
pub(crate) fn representative(samples: &Samples) -> Operand {
    samples.iter().find(|v| !is_pow2_const(v)).unwrap_or(&samples[0]).clone()
}

/// Whether an operand varies with the copy but is known in each (not a plain literal).
pub(crate) fn varies(o: &Operand, samples: &Option<Samples>) -> bool {
    samples.is_some() && !matches!(o, Operand::Int(_) | Operand::Float(_))
}
