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

/// Whether anything the top function computes reaches an output.
pub(crate) fn has_output(kernel: &Kernel, top: &Function) -> bool {
    // A stream port counts even unread: `hls::task` bodies that use it are not in the IR.
    let stream_port = top.params.iter().filter_map(|p| p.array).any(|id| matches!(top.array(id).kind, ArrayKind::Stream { .. }));
    top.ret != ScalarType::Void || stream_port || function_output(kernel, top, &mut HashSet::new())
}

fn function_output<'k>(kernel: &'k Kernel, f: &'k Function, seen: &mut HashSet<&'k str>) -> bool {
    if !seen.insert(f.name.as_str()) {
        return false;
    }
    // In a callee, a written array or reference parameter may be the caller's local: still
    // counted, which errs towards keeping the logic.
    f.params.iter().any(|p| p.by_ref) || !f.global_writes.is_empty() || region_output(kernel, f, &f.body, seen)
}

fn region_output<'k>(kernel: &'k Kernel, f: &'k Function, r: &'k Region, seen: &mut HashSet<&'k str>) -> bool {
    r.nodes.iter().any(|node| match node {
        Node::Op(op) => match &op.kind {
            OpKind::Store | OpKind::StreamWrite | OpKind::StreamRead => op.access.as_ref().is_some_and(|a| {
                // A file-scope array is visible outside the kernel; a static local is counted
                // too, on the side of keeping logic.
                f.arrays
                    .get(a.array.0 as usize)
                    .is_some_and(|array| matches!(array.kind, ArrayKind::Param | ArrayKind::Stream { .. } | ArrayKind::Static))
            }),
            OpKind::Other(_) => true,
            _ => false,
        },
        Node::Call(c) => kernel.function(&c.callee).is_none_or(|callee| function_output(kernel, callee, seen)),
        Node::Loop(l) => region_output(kernel, f, &l.body, seen),
        Node::Branch(b) => region_output(kernel, f, &b.then_region, seen) || region_output(kernel, f, &b.else_region, seen),
    })
}
