//! `BIND_OP variable=x op=mul impl=dsp latency=n`: attaches the directive to the operations
//! that compute `x` in the scope of the pragma (the function or loop body it sits in). Those
//! are the operation whose value is assigned to `x` and the temporaries it is built from in
//! the same expression, restricted to the operator kind `op` names (UG1399 `bind_op`).

use hlsseek_ir::{BindOpDirective, Node, Op, OpKind, Operand, Region};
use std::collections::{HashMap, HashSet};

/// The IR operator kinds a `BIND_OP op=` name stands for (int, half, float and double forms).
fn kinds(op: &str) -> &'static [OpKind] {
    match op.to_ascii_lowercase().as_str() {
        "mul" | "hmul" | "fmul" | "dmul" => &[OpKind::Mul],
        "add" | "hadd" | "fadd" | "dadd" => &[OpKind::Add],
        "sub" | "hsub" | "fsub" | "dsub" => &[OpKind::Sub],
        "addsub" | "faddfsub" | "daddsub" => &[OpKind::Add, OpKind::Sub],
        "udiv" | "sdiv" | "hdiv" | "fdiv" | "ddiv" | "frecip" | "drecip" => &[OpKind::Div],
        "urem" | "srem" => &[OpKind::Rem],
        "hsqrt" | "fsqrt" | "dsqrt" | "frsqrt" | "drsqrt" => &[OpKind::Sqrt],
        "fexp" | "dexp" => &[OpKind::Exp],
        "flog" | "dlog" => &[OpKind::Log],
        _ => &[],
    }
}

/// Binds every directive of `dirs` in `body`; returns the directives that matched no operation.
/// `defined_by` maps an operation id to the scalar its value was first assigned to.
pub fn apply<'d>(body: &mut Region, dirs: &'d [BindOpDirective], defined_by: &HashMap<u32, String>) -> Vec<&'d BindOpDirective> {
    let mut unmatched = Vec::new();
    if dirs.is_empty() {
        return unmatched;
    }
    let mut ops: HashMap<u32, (OpKind, Vec<u32>)> = HashMap::new();
    collect(body, &mut ops);
    for d in dirs {
        let (Some(var), Some(op)) = (&d.variable, &d.op) else {
            unmatched.push(d);
            continue;
        };
        let wanted = kinds(op);
        // The operations assigned to `var`, then the temporaries they are built from.
        let mut stack: Vec<u32> = ops.keys().copied().filter(|id| defined_by.get(id) == Some(var)).collect();
        let mut seen: HashSet<u32> = stack.iter().copied().collect();
        let mut targets = HashSet::new();
        while let Some(id) = stack.pop() {
            let Some((kind, operands)) = ops.get(&id) else { continue };
            if wanted.contains(kind) {
                targets.insert(id);
            }
            for &o in operands {
                if defined_by.get(&o).is_none_or(|v| v == var) && seen.insert(o) {
                    stack.push(o);
                }
            }
        }
        if targets.is_empty() {
            unmatched.push(d);
        } else {
            mark(body, &targets, d);
        }
    }
    unmatched
}

fn collect(r: &Region, out: &mut HashMap<u32, (OpKind, Vec<u32>)>) {
    for n in &r.nodes {
        match n {
            Node::Op(op) => {
                let operands = op.operands.iter().filter_map(|o| if let Operand::Op(id) = o { Some(id.0) } else { None }).collect();
                out.insert(op.id.0, (op.kind.clone(), operands));
            }
            Node::Loop(l) => collect(&l.body, out),
            Node::Branch(b) => {
                collect(&b.then_region, out);
                collect(&b.else_region, out);
            }
            Node::Call(_) => {}
        }
    }
}

fn mark(r: &mut Region, targets: &HashSet<u32>, d: &BindOpDirective) {
    for n in &mut r.nodes {
        match n {
            // A loop's own pragma was applied first and stays (the innermost scope wins).
            Node::Op(Op { id, bind, .. }) if targets.contains(&id.0) && bind.is_none() => *bind = Some(d.clone()),
            Node::Op(_) | Node::Call(_) => {}
            Node::Loop(l) => mark(&mut l.body, targets, d),
            Node::Branch(b) => {
                mark(&mut b.then_region, targets, d);
                mark(&mut b.else_region, targets, d);
            }
        }
    }
}
