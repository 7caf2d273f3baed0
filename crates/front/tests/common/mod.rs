//! Helpers shared by the front-end's integration tests.
#![allow(dead_code)] // each test binary uses its own subset

use hlsseek_ir::{Node, Op, Region};
use std::path::PathBuf;

/// The shared datasets folder, or `None` (with a message) when it is absent.
pub fn data_dir() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: shared data not found at {}", p.display());
        None
    }
}

/// Every operation of `region`, nested loops and both arms of branches included, in order.
pub fn all_ops(region: &Region) -> Vec<&Op> {
    fn walk<'a>(region: &'a Region, out: &mut Vec<&'a Op>) {
        for node in &region.nodes {
            match node {
                Node::Op(op) => out.push(op),
                Node::Loop(l) => walk(&l.body, out),
                Node::Branch(b) => {
                    walk(&b.then_region, out);
                    walk(&b.else_region, out);
                }
                Node::Call(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(region, &mut out);
    out
}
