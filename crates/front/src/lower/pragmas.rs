//! Pragma attachment: which statement, loop, function or array a pragma applies to, with
//! its constants resolved, and what it sets there.

use crate::syntax::NodeExt;
use super::consts::eval_text;
use super::func::FnCx;
use crate::pp::PpOutput;
use crate::pragma::{self, Class, Pragma};
use hlsseek_ir::{ArrayKind, Dialect, LoopDirectives, PragmaRecord, PragmaTarget};
use tree_sitter::Node;

pub fn is_pragma(n: Node, src: &str) -> bool {
    n.field("directive").is_some_and(|d| src[d.byte_range()].trim() == "#pragma")
}

pub fn pragma_of(n: Node, src: &str, pp: &PpOutput) -> Pragma {
    let text = n.field("argument").map_or("", |a| &src[a.byte_range()]);
    let loc = pp.loc(n.start_position().row, n.start_position().column);
    pragma::parse(text, loc)
}

impl<'a> FnCx<'a> {
    pub(super) fn record(&mut self, p: &Pragma) -> usize {
        self.pragmas.push(PragmaRecord {
            dialect: p.dialect,
            name: p.name.clone(),
            args: p.args.clone(),
            text: p.text.clone(),
            loc: p.loc,
            target: PragmaTarget::None,
        });
        self.pragmas.len() - 1
    }

    /// `p` with its constant-expression arguments evaluated (the record keeps them as written).
    pub(super) fn with_constants(&self, p: Pragma) -> Pragma {
        p.with_constants(|text| eval_text(text, self.g, &self.env))
    }

    /// Attach a pragma met inside the body (Vitis placement rules).
    pub(super) fn attach(&mut self, idx: usize, p: Pragma) {
        let in_loop = !self.loops.is_empty();
        let class = p.class();
        let target = match class {
            Class::Unknown => {
                self.warn(p.loc, format!("unknown pragma `{}` ignored", p.text));
                PragmaTarget::Unknown
            }
            Class::Ignored | Class::NextFunction => PragmaTarget::None,
            Class::Array => {
                self.array_pragmas.push((idx, p));
                return;
            }
            Class::Loop if !in_loop => {
                self.warn(p.loc, format!("loop pragma `{}` outside any loop; ignored", p.text));
                PragmaTarget::None
            }
            Class::Loop | Class::LoopOrFunction if in_loop => {
                let frame = self.loops.last_mut().expect("in loop");
                apply_loop(&mut frame.directives, &p);
                PragmaTarget::Loop(frame.id)
            }
            _ => {
                self.apply_function(&p);
                PragmaTarget::Function(self.fname.clone())
            }
        };
        self.pragmas[idx].target = target;
    }

    fn apply_function(&mut self, p: &Pragma) {
        let d = &mut self.directives;
        match p.name.as_str() {
            "PIPELINE" => d.pipeline = Some(p.pipeline()),
            "DATAFLOW" => d.dataflow = Some(p.loc),
            "LATENCY" => d.latency = Some(p.latency()),
            "INLINE" => d.inline = Some(p.inline()),
            "INTERFACE" => {
                let i = p.interface();
                if let Some(depth) = i.depth {
                    if let Some(a) = i.port.as_ref().and_then(|port| self.arrays.iter_mut().find(|a| &a.name == port)) {
                        if let ArrayKind::Stream { depth: sd } = &mut a.kind {
                            *sd = Some(depth.min(u32::MAX as u64) as u32);
                        }
                    }
                }
                self.directives.interfaces.push(i);
            }
            "BIND_OP" => d.bind_ops.push(p.bind_op()),
            _ => {}
        }
    }

    pub(super) fn resolve_array_pragmas(&mut self) {
        for (idx, p) in std::mem::take(&mut self.array_pragmas) {
            let Some(var) = p.variable() else {
                self.warn(p.loc, format!("`#pragma {}` names no variable; ignored", p.text));
                continue;
            };
            let id = match self.arrays.iter().rposition(|a| a.name == var) {
                Some(i) => i,
                None => match self.g.arrays.get(&var).cloned() {
                    Some((ty, loc)) => self.add_array(var.clone(), loc, &ty, ArrayKind::Static).0 as usize,
                    None => {
                        if p.name != "RESET" && p.name != "STABLE" {
                            self.warn(p.loc, format!("`#pragma {}`: no array `{var}` in `{}`; ignored", p.text, self.fname));
                        }
                        continue;
                    }
                },
            };
            let a = &mut self.arrays[id];
            match p.name.as_str() {
                "ARRAY_PARTITION" | "ARRAY_RESHAPE" => {
                    if let Some(pd) = p.partition() {
                        a.partitions.push(pd);
                    }
                }
                "BIND_STORAGE" | "RESOURCE" => a.storage = Some(p.storage()),
                "STREAM" => {
                    // `depth=` was evaluated when the pragma was read (`with_constants`).
                    let depth = p.get("depth").and_then(|d| d.trim().parse().ok());
                    // `off` keeps the array; `type=pipo|shared|unsync` are not FIFOs.
                    let fifo = !p.has("off") && p.get("type").is_none_or(|t| t.eq_ignore_ascii_case("fifo"));
                    match &mut a.kind {
                        ArrayKind::Stream { depth: d } => *d = depth.or(*d),
                        // An array the pragma turns into a FIFO channel (a dataflow region's
                        // producer–consumer array, UG1399 STREAM): its accesses stay indexed.
                        kind if fifo => *kind = ArrayKind::Stream { depth },
                        _ => {}
                    }
                }
                _ => {}
            }
            self.pragmas[idx].target = PragmaTarget::Array { function: self.fname.clone(), array: var };
        }
    }
}

/// Apply a loop pragma to a loop's directives.
pub fn apply_loop(d: &mut LoopDirectives, p: &Pragma) {
    match (p.dialect, p.name.as_str()) {
        (_, "PIPELINE") => d.pipeline = Some(p.pipeline()),
        (Some(Dialect::Hls), "UNROLL") | (Some(Dialect::Accel), "PARALLEL") => d.unroll = Some(p.unroll()),
        (_, "LOOP_FLATTEN") => d.flatten = Some(p.toggle()),
        (_, "LOOP_TRIPCOUNT") => d.tripcount = Some(p.tripcount()),
        (Some(Dialect::Accel), "TILE") | (Some(Dialect::Accel), "LOOP_TILE") => d.tile = p.tile(),
        (_, "DATAFLOW") => d.dataflow = Some(p.loc),
        (_, "DEPENDENCE") => d.dependences.push(p.dependence()),
        (_, "LATENCY") => d.latency = Some(p.latency()),
        (_, "BIND_OP") => d.bind_ops.push(p.bind_op()),
        _ => {}
    }
}
