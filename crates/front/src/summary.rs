//! A compact, readable text rendering of a [`Kernel`] (for golden tests, debugging and reports):
//! one line per array, loop, operation, call and branch, with directives and carried dependences.

use hlsseek_ir::{
    Access, Function, IndexExpr, Kernel, LoopDirectives, Node, Operand, PragmaTarget, Region, TripSource,
};
use std::fmt::Write;

pub fn summarize(k: &Kernel) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "top {}  files {:?}", k.top, k.files);
    for f in &k.functions {
        function(&mut s, k, f);
    }
    if !k.pragmas.is_empty() {
        s.push_str("pragmas:\n");
        for p in &k.pragmas {
            let target = match &p.target {
                PragmaTarget::Function(f) => format!("function {f}"),
                PragmaTarget::Loop(l) => format!("loop L{}", l.0),
                PragmaTarget::Array { function, array } => format!("array {function}.{array}"),
                PragmaTarget::None => "none".into(),
                PragmaTarget::Unknown => "unknown".into(),
            };
            let _ = writeln!(s, "  {}  {}  -> {target}", k.display_loc(p.loc), p.text);
        }
    }
    if !k.diagnostics.is_empty() {
        s.push_str("diagnostics:\n");
        for d in &k.diagnostics {
            let _ = writeln!(s, "  {:?} {}: {}", d.severity, k.display_loc(d.loc), d.message);
        }
    }
    s
}

fn function(s: &mut String, k: &Kernel, f: &Function) {
    let params: Vec<String> = f
        .params
        .iter()
        .map(|p| match p.array {
            Some(a) => format!("{}: @{}", p.name, a.0),
            None => format!("{}: {}", p.name, p.ty),
        })
        .collect();
    let _ = writeln!(s, "fn {}({}) -> {}  @{}", f.name, params.join(", "), f.ret, k.display_loc(f.loc));
    let d = &f.directives;
    let mut dirs = Vec::new();
    if d.merlin_kernel {
        dirs.push("merlin_kernel".to_string());
    }
    if let Some(p) = &d.pipeline {
        dirs.push(format!("pipeline(ii={:?}{})", p.ii, if p.off { ",off" } else { "" }));
    }
    if d.dataflow.is_some() {
        dirs.push("dataflow".into());
    }
    if let Some(i) = &d.inline {
        dirs.push(format!("inline{}", if i.off { "(off)" } else { "" }));
    }
    for i in &d.interfaces {
        dirs.push(format!("interface({} port={:?} bundle={:?} depth={:?})", i.mode, i.port, i.bundle, i.depth));
    }
    if !dirs.is_empty() {
        let _ = writeln!(s, "  directives: {}", dirs.join(" "));
    }
    for (i, a) in f.arrays.iter().enumerate() {
        let dims: Vec<String> = a.dims.iter().map(|d| d.map_or("?".into(), |d| d.to_string())).collect();
        let _ = write!(s, "  @{i} {} {}[{}] {:?}", a.name, a.elem, dims.join("]["), a.kind);
        for p in &a.partitions {
            let _ = write!(s, " {}({:?} factor={:?} dim={})", if p.reshape { "reshape" } else { "partition" }, p.kind, p.factor, p.dim);
        }
        if let Some(st) = &a.storage {
            let _ = write!(s, " storage(type={:?} impl={:?} latency={:?})", st.storage_type, st.implementation, st.latency);
        }
        s.push('\n');
    }
    region(s, f, &f.body, 1);
}

fn index(e: &IndexExpr) -> String {
    let mut parts: Vec<String> = e
        .terms
        .iter()
        .map(|(v, c)| match c {
            1 => v.clone(),
            -1 => format!("-{v}"),
            c => format!("{c}*{v}"),
        })
        .collect();
    if e.constant != 0 || parts.is_empty() {
        parts.push(e.constant.to_string());
    }
    let body = parts.join("+").replace("+-", "-");
    if e.affine {
        body
    } else {
        format!("?{body}")
    }
}

fn access(f: &Function, a: &Access) -> String {
    let name = f.arrays.get(a.array.0 as usize).map_or("?", |a| a.name.as_str());
    let idx: String = a.index.iter().map(|e| format!("[{}]", index(e))).collect();
    format!("{name}{idx}")
}

fn operand(o: &Operand) -> String {
    match o {
        Operand::Op(id) => format!("%{}", id.0),
        Operand::Int(v) => v.to_string(),
        Operand::Float(v) => format!("{v:?}"),
        Operand::Scalar(n) => format!("${n}"),
    }
}

fn loop_dirs(d: &LoopDirectives) -> String {
    let mut v = Vec::new();
    if let Some(p) = &d.pipeline {
        let mut a = vec![format!("{:?}", p.dialect).to_lowercase()];
        if let Some(ii) = p.ii {
            a.push(format!("ii={ii}"));
        }
        if p.off {
            a.push("off".into());
        }
        if p.flatten {
            a.push("flatten".into());
        }
        if p.rewind {
            a.push("rewind".into());
        }
        v.push(format!("pipeline({})", a.join(",")));
    }
    if let Some(u) = &d.unroll {
        let mut a = vec![format!("{:?}", u.dialect).to_lowercase()];
        a.push(u.factor.map_or("full".into(), |f| format!("factor={f}")));
        if u.off {
            a.push("off".into());
        }
        for r in &u.reductions {
            a.push(format!("reduction={r}"));
        }
        v.push(format!("unroll({})", a.join(",")));
    }
    if let Some(t) = &d.tile {
        v.push(format!("tile({})", t.factor));
    }
    if let Some(t) = &d.flatten {
        v.push(format!("flatten{}", if t.off { "(off)" } else { "" }));
    }
    if let Some(t) = &d.tripcount {
        v.push(format!("tripcount(min={:?},max={:?},avg={:?})", t.min, t.max, t.avg));
    }
    if d.dataflow.is_some() {
        v.push("dataflow".into());
    }
    for dep in &d.dependences {
        v.push(format!("dependence({:?},inter={},dependent={})", dep.variable, dep.inter, dep.dependent));
    }
    if let Some(l) = &d.latency {
        v.push(format!("latency({:?},{:?})", l.min, l.max));
    }
    v.join(" ")
}

fn region(s: &mut String, f: &Function, r: &Region, depth: usize) {
    let pad = "  ".repeat(depth);
    for n in &r.nodes {
        match n {
            Node::Op(op) => {
                let ops: Vec<String> = op.operands.iter().map(operand).collect();
                let acc = op.access.as_ref().map(|a| format!(" {}", access(f, a))).unwrap_or_default();
                let kind = format!("{:?}", op.kind).to_lowercase();
                let bind = op.bind.as_ref().map(|b| format!(" bind(impl={:?} latency={:?})", b.implementation, b.latency)).unwrap_or_default();
                let _ = writeln!(s, "{pad}%{} = {kind} {}{acc} ({}){bind}", op.id.0, op.ty, ops.join(", "));
            }
            Node::Loop(l) => {
                let trip = match (l.trip.min, l.trip.max, l.trip.source) {
                    (_, _, TripSource::Unknown) => "?".to_string(),
                    (Some(a), Some(b), src) if a == b => format!("{a} {src:?}").to_lowercase(),
                    (a, b, src) => format!("{}..{} avg {:.1} {src:?}", a.map_or("?".into(), |x| x.to_string()), b.map_or("?".into(), |x| x.to_string()), l.trip.avg.unwrap_or(f64::NAN)).to_lowercase(),
                };
                let label = l.label.as_ref().map(|x| format!(" '{x}'")).unwrap_or_default();
                let var = l.var.as_deref().unwrap_or("-");
                let dirs = loop_dirs(&l.directives);
                let dirs = if dirs.is_empty() { String::new() } else { format!("  [{dirs}]") };
                let _ = writeln!(s, "{pad}loop L{}{label} {var} trip {trip}{dirs}", l.id.0);
                if !l.outer_writes.is_empty() {
                    let _ = writeln!(s, "{pad}  writes outer {}", l.outer_writes.join(" "));
                }
                for c in &l.carried {
                    let ops: Vec<String> = c.ops.iter().map(|o| format!("%{}", o.0)).collect();
                    let _ = writeln!(
                        s,
                        "{pad}  carried {:?} {}{} dist {} ops [{}]",
                        c.kind,
                        c.variable,
                        if c.through_memory { " (mem)" } else { "" },
                        c.distance,
                        ops.join(" ")
                    );
                }
                region(s, f, &l.body, depth + 1);
            }
            Node::Call(c) => {
                let args: Vec<String> = c.array_args.iter().map(|(i, a)| format!("{i}:@{}", a.0)).collect();
                let _ = writeln!(s, "{pad}call {}({})", c.callee, args.join(", "));
            }
            Node::Branch(b) => {
                let _ = writeln!(s, "{pad}if {}", b.cond.map_or("?".into(), |c| format!("%{}", c.0)));
                region(s, f, &b.then_region, depth + 1);
                if !b.else_region.nodes.is_empty() {
                    let _ = writeln!(s, "{pad}else");
                    region(s, f, &b.else_region, depth + 1);
                }
            }
        }
    }
}
