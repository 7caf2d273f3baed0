//! Whether the top function has an output at all. Synthesis keeps only logic whose results
//! reach one (a written interface array, pointer or reference, a stream, the return value):
//! a kernel that computes into local arrays and prints the result (`std::cout` is dropped)
//! synthesizes to nothing, and Vitis reports zero latency and resources.
//!
//! This is the whole-kernel case only; dead statements inside a kernel that has outputs are
//! not removed. Anything the IR cannot see through (a call to a function with no body, an
//! unmodelled library call) counts as an output.

use hlsseek_ir::{ArrayKind, Function, Kernel, Node, OpKind, Region, ScalarType};
use std::collections::HashSet;

/// The first output the top function reaches, described for a note; `None` when it has none.
pub(crate) fn first_output(kernel: &Kernel, top: &Function) -> Option<String> {
    if top.ret != ScalarType::Void {
        return Some("its return value".into());
    }
    if let Some(p) = top.params.iter().find(|p| p.by_ref) {
        return Some(format!("reference parameter `{}`", p.name));
    }
    // A stream port counts even unread: `hls::task` bodies that use it are not in the IR.
    if let Some(a) = top.params.iter().filter_map(|p| p.array).map(|id| top.array(id)).find(|a| matches!(a.kind, ArrayKind::Stream { .. })) {
        return Some(format!("stream `{}`", a.name));
    }
    let mut seen = HashSet::new();
    output_in(kernel, top, &mut seen)
}

fn output_in<'k>(kernel: &'k Kernel, f: &'k Function, seen: &mut HashSet<&'k str>) -> Option<String> {
    if !seen.insert(f.name.as_str()) {
        return None;
    }
    // In a callee, a written array or reference parameter may be the caller's local: still
    // counted, which errs towards keeping the logic.
    if let Some(p) = f.params.iter().find(|p| p.by_ref) {
        return Some(format!("reference parameter `{}` of `{}`", p.name, f.name));
    }
    if let Some(g) = f.global_writes.first() {
        return Some(format!("file-scope `{g}` (written in `{}`)", f.name));
    }
    region_output(kernel, f, &f.body, seen)
}

fn region_output<'k>(kernel: &'k Kernel, f: &'k Function, r: &'k Region, seen: &mut HashSet<&'k str>) -> Option<String> {
    for node in &r.nodes {
        let found = match node {
            Node::Op(op) => match &op.kind {
                OpKind::Store | OpKind::StreamWrite | OpKind::StreamRead => op.access.as_ref().and_then(|a| {
                    let array = f.arrays.get(a.array.0 as usize)?;
                    // A file-scope array is visible outside the kernel; a static local is
                    // counted too, on the side of keeping logic.
                    matches!(array.kind, ArrayKind::Param | ArrayKind::Stream { .. } | ArrayKind::Static)
                        .then(|| format!("`{}` (written in `{}`)", array.name, f.name))
                }),
                OpKind::Other(name) => Some(format!("the call to `{name}`")),
                _ => None,
            },
            Node::Call(c) => match kernel.function(&c.callee) {
                Some(callee) => output_in(kernel, callee, seen),
                None => Some(format!("the call to `{}`", c.callee)),
            },
            Node::Loop(l) => region_output(kernel, f, &l.body, seen),
            Node::Branch(b) => {
                region_output(kernel, f, &b.then_region, seen).or_else(|| region_output(kernel, f, &b.else_region, seen))
            }
        };
        if found.is_some() {
            return found;
        }
    }
    None
}
