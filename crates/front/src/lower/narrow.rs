//! Demanded-bits narrowing, as LLVM's InstCombine and Vitis's bit-width reduction do: C
//! promotes `uint8_t` and `short` arithmetic to `int`, but when every user of an integer add,
//! subtract, multiply, shift left or bitwise operation keeps only its low `w` bits (a store to
//! an array of `w`-bit elements, an assignment to a `w`-bit variable that is read by name
//! later — in the next iteration or after the loop —, another such operation),
//! the operation is built `w` bits wide: the low bits of its result depend only on the low bits
//! of its operands. Any other use (a comparison, a shift right, a division, an index, a
//! conversion, a branch condition) demands the full width, and so does an operation with no
//! use the front-end can see.

use hlsseek_ir::{Array, Node, Op, OpKind, Operand, Region, ScalarType};
use std::collections::{HashMap, HashSet};

/// Whether `op` is an integer operation the low `w` bits of whose result depend only on the
/// low `w` bits of its operands (for a shift left, of its first operand).
fn narrowable(op: &Op) -> bool {
    let low_bits_only =
        matches!(op.kind, OpKind::Add | OpKind::Sub | OpKind::Mul | OpKind::And | OpKind::Or | OpKind::Xor | OpKind::Not | OpKind::Neg | OpKind::Shl);
    low_bits_only && op.access.is_none() && matches!(op.ty, ScalarType::Int { .. })
}

/// Narrow the integer operations of `body` to the bits their users demand. `scalar_writes`
/// lists (operation, variable, the variable's bits) for each assignment to a scalar.
pub fn demanded_widths(body: &mut Region, arrays: &[Array], scalar_writes: &[(u32, String, u32)]) {
    // Every use of every operation: the bits it demands.
    let mut widths: HashMap<u32, u32> = HashMap::new();
    let mut uses: Vec<(u32, Use)> = Vec::new();
    let mut read_by_name: HashSet<String> = HashSet::new();
    collect(body, arrays, &mut widths, &mut uses, &mut read_by_name);
    // A value assigned to a variable that is never read by name is used only through the
    // operations that took it directly (already in `uses`).
    for (id, name, bits) in scalar_writes {
        if read_by_name.contains(name) {
            uses.push((*id, Use::Bits(*bits)));
        }
    }
    let mut demanded: HashMap<u32, u32> = HashMap::new();
    // A user is created after its operands, so users are settled first in falling id order.
    let mut by_user: HashMap<u32, Vec<u32>> = HashMap::new();
    for (id, u) in &uses {
        match u {
            Use::Bits(b) => {
                let d = demanded.entry(*id).or_insert(0);
                *d = (*d).max(*b);
            }
            Use::AsLowBits(user) => by_user.entry(*user).or_default().push(*id),
        }
    }
    let mut users: Vec<u32> = by_user.keys().copied().collect();
    users.sort_unstable_by(|a, b| b.cmp(a));
    for user in users {
        let full = widths.get(&user).copied().unwrap_or(64);
        // A user nothing demands anything of is kept whole (it may be read by name).
        let d = demanded.get(&user).copied().unwrap_or(full).min(full);
        for id in &by_user[&user] {
            let e = demanded.entry(*id).or_insert(0);
            *e = (*e).max(d);
        }
    }
    apply(body, &demanded);
}

enum Use {
    /// The user keeps this many bits of the value.
    Bits(u32),
    /// The user (an operation) keeps the low bits it is itself demanded.
    AsLowBits(u32),
}

fn collect(region: &Region, arrays: &[Array], widths: &mut HashMap<u32, u32>, uses: &mut Vec<(u32, Use)>, read_by_name: &mut HashSet<String>) {
    for node in &region.nodes {
        match node {
            Node::Op(op) => {
                widths.insert(op.id.0, op.ty.bits());
                for (k, o) in op.operands.iter().enumerate() {
                    if let Operand::Scalar(name) = o {
                        read_by_name.insert(name.clone());
                    }
                    let Operand::Op(id) = o else { continue };
                    let u = match &op.kind {
                        OpKind::Store if k == 0 => match op.access.as_ref().map(|a| arrays[a.array.0 as usize].elem) {
                            Some(ScalarType::Int { bits, .. }) => Use::Bits(u32::from(bits)),
                            _ => Use::Bits(u32::MAX),
                        },
                        // Every bit of a shift amount matters (a large one clears the result).
                        OpKind::Shl if k > 0 => Use::Bits(u32::MAX),
                        _ if narrowable(op) => Use::AsLowBits(op.id.0),
                        _ => Use::Bits(u32::MAX),
                    };
                    uses.push((id.0, u));
                }
            }
            Node::Loop(l) => collect(&l.body, arrays, widths, uses, read_by_name),
            Node::Branch(b) => {
                if let Some(c) = b.cond {
                    uses.push((c.0, Use::Bits(u32::MAX)));
                }
                collect(&b.then_region, arrays, widths, uses, read_by_name);
                collect(&b.else_region, arrays, widths, uses, read_by_name);
            }
            Node::Call(_) => {}
        }
    }
}

fn apply(region: &mut Region, demanded: &HashMap<u32, u32>) {
    for node in &mut region.nodes {
        match node {
            Node::Op(op) => {
                if let (ScalarType::Int { bits, signed }, Some(&d)) = (op.ty, demanded.get(&op.id.0)) {
                    if narrowable(op) && d >= 1 && d < u32::from(bits) {
                        op.ty = ScalarType::Int { bits: d as u16, signed };
                    }
                }
            }
            Node::Loop(l) => apply(&mut l.body, demanded),
            Node::Branch(b) => {
                apply(&mut b.then_region, demanded);
                apply(&mut b.else_region, demanded);
            }
            Node::Call(_) => {}
        }
    }
}
