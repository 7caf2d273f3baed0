//! Loop-carried dependences: scalars read before written in a loop body (reductions and
//! recurrences through registers), and store/load pairs on one array whose indices make an
//! iteration read what an earlier one wrote (through memory).

use super::func::RegionCx;
use hlsseek_ir::{Array, CarriedDep, DepKind, IndexExpr, Node, Op, OpId, OpKind, Operand, Region};
use std::collections::HashMap;

fn family(k: &OpKind) -> Option<u8> {
    Some(match k {
        OpKind::Add | OpKind::Sub => 0,
        OpKind::Mul => 1,
        OpKind::Min => 2,
        OpKind::Max => 3,
        OpKind::And => 4,
        OpKind::Or => 5,
        OpKind::Xor => 6,
        _ => return None,
    })
}

/// A chain is a reduction when its arithmetic is one associative operator (a merge Select
/// after a conditional update does not change that).
fn is_reduction(ops: &[&Op]) -> bool {
    let mut fam = None;
    for op in ops {
        if matches!(op.kind, OpKind::Select | OpKind::Cast | OpKind::FpConvert | OpKind::FloatToInt { .. } | OpKind::Load | OpKind::Store) {
            continue;
        }
        match (family(&op.kind), fam) {
            (Some(f), None) => fam = Some(f),
            (Some(f), Some(g)) if f == g => {}
            _ => return false,
        }
    }
    fam.is_some()
}

/// The operations of `r` and of the arms of its branches (which run in the same iteration and
/// read the values around them), in program order; not those of nested loops.
fn region_ops(r: &Region) -> Vec<&Op> {
    fn walk<'r>(r: &'r Region, out: &mut Vec<&'r Op>) {
        for n in &r.nodes {
            match n {
                Node::Op(op) => out.push(op),
                Node::Branch(b) => {
                    walk(&b.then_region, out);
                    walk(&b.else_region, out);
                }
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(r, &mut out);
    out
}

/// Longest dataflow path in `ops` from an op satisfying `start` to `end`.
fn longest_path(ops: &[&Op], start: impl Fn(&Op) -> bool, end: OpId) -> Option<Vec<OpId>> {
    let mut best: HashMap<OpId, (u32, Option<OpId>)> = HashMap::new();
    for op in ops {
        let mut cur: Option<(u32, Option<OpId>)> = start(op).then_some((1, None));
        for o in &op.operands {
            if let Operand::Op(p) = o {
                if let Some(&(d, _)) = best.get(p) {
                    if cur.is_none_or(|(c, _)| d + 1 > c) {
                        cur = Some((d + 1, Some(*p)));
                    }
                }
            }
        }
        if let Some(c) = cur {
            best.insert(op.id, c);
        }
        if op.id == end {
            break;
        }
    }
    let mut path = vec![end];
    let mut at = best.get(&end)?.1;
    while let Some(p) = at {
        path.push(p);
        at = best.get(&p).and_then(|b| b.1);
        if path.len() > ops.len() + 1 {
            break;
        }
    }
    path.reverse();
    Some(path)
}

/// The operations from the read of scalar `x` to its last write in `region`, and whether the
/// cycle is a reduction.
pub fn scalar_chain(region: &Region, cx: &RegionCx, x: &str) -> (Vec<OpId>, bool) {
    let ops = region_ops(region);
    match cx.defs.get(x).map(|v| &v.op) {
        Some(Operand::Op(end)) => {
            let reads_x = |op: &Op| op.operands.iter().any(|o| matches!(o, Operand::Scalar(s) if s == x));
            match longest_path(&ops, reads_x, *end) {
                Some(path) => {
                    let chain: Vec<&Op> = path.iter().filter_map(|id| ops.iter().find(|o| o.id == *id).copied()).collect();
                    let red = is_reduction(&chain);
                    match cx.nested_chains.get(x) {
                        Some((nested, _)) if !chain.first().is_some_and(|o| reads_x(o)) => {
                            let mut full = nested.clone();
                            full.retain(|id| !path.contains(id));
                            full.extend(path);
                            (full, red)
                        }
                        // The path found here starts at a merge Select's "unchanged" arm (a
                        // conditional update, `if (c) s += v;`): the longer cycle runs through
                        // the branch, whose chain ends at that Select. Ops after the Select make
                        // it a plain recurrence (their operator is not known to match).
                        Some((nested, nested_red)) if nested.len() > 1 && nested.last() == path.first() => {
                            let mut c = nested.clone();
                            c.extend(path.iter().skip(1));
                            (c, *nested_red && path.len() == 1)
                        }
                        _ => (path, red),
                    }
                }
                None => match cx.nested_chains.get(x) {
                    Some((c, r)) => {
                        let mut c = c.clone();
                        c.push(*end);
                        (c, *r)
                    }
                    None => (vec![*end], false),
                },
            }
        }
        Some(Operand::Scalar(_)) | None => cx.nested_chains.get(x).cloned().unwrap_or_default(),
        _ => (Vec::new(), false),
    }
}

pub fn scalar_deps(body: &Region, cx: &RegionCx, iv: Option<&str>) -> Vec<CarriedDep> {
    let mut out = Vec::new();
    for (x, _) in &cx.exposed {
        if Some(x.as_str()) == iv || !cx.written.contains(x) {
            continue;
        }
        let (ops, red) = scalar_chain(body, cx, x);
        out.push(CarriedDep {
            kind: if red { DepKind::Reduction } else { DepKind::Recurrence },
            variable: x.clone(),
            through_memory: false,
            distance: 1,
            ops,
        });
    }
    out
}

struct Acc<'r> {
    op: &'r Op,
    region: usize,
}

/// The regions of a loop body (the body first, then its branches' arms and inner loops'
/// bodies), its loads and stores with the region each is in, and the inner loops' variables.
fn accesses(body: &Region) -> (Vec<&Region>, Vec<Acc<'_>>, Vec<String>) {
    let (mut regions, mut accs, mut inner) = (Vec::new(), Vec::new(), Vec::new());
    collect(body, &mut regions, &mut accs, &mut inner, 0);
    (regions, accs, inner)
}

fn collect<'r>(r: &'r Region, regions: &mut Vec<&'r Region>, accs: &mut Vec<Acc<'r>>, ivs: &mut Vec<String>, depth: u32) {
    if depth > 512 {
        return;
    }
    let ri = regions.len();
    regions.push(r);
    for n in &r.nodes {
        match n {
            Node::Op(op) if matches!(op.kind, OpKind::Load | OpKind::Store) && op.access.is_some() => accs.push(Acc { op, region: ri }),
            Node::Loop(l) => {
                if let Some(v) = &l.var {
                    ivs.push(v.clone());
                }
                collect(&l.body, regions, accs, ivs, depth + 1);
            }
            Node::Branch(b) => {
                collect(&b.then_region, regions, accs, ivs, depth + 1);
                collect(&b.else_region, regions, accs, ivs, depth + 1);
            }
            _ => {}
        }
    }
}

enum Dist {
    /// Every iteration may touch the cell the previous one wrote.
    Invariant,
    Exact(i64),
    /// The indices may coincide for some pair of iterations, at a distance the tool cannot
    /// know (`B[i][j]` written, `B[k][j]` read in the `k` loop; `A[2k]` and `A[k]`). HLS
    /// dependence analysis assumes the worst case unless it can disprove the dependence, so
    /// this is treated as distance 1.
    May,
    None,
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a.abs()
    } else {
        gcd(b, a % b)
    }
}

/// `written`: scalars the loop body assigns (a data-dependent index over none of them, nor
/// over an induction variable of the loop or of a loop inside, names one cell throughout).
fn distance(s: &[IndexExpr], l: &[IndexExpr], v: Option<&str>, inner: &[String], written: &[String]) -> Dist {
    if s.len() != l.len() {
        return Dist::None;
    }
    let mut exact: Option<i64> = None;
    let mut may = false;
    // A data-dependent index that changes from one iteration to the next.
    let mut moving = false;
    for (a, b) in s.iter().zip(l) {
        if !a.affine || !b.affine {
            // Different data-dependent indices are taken as distinct, the same one as the same
            // cell: per dimension, so `f[label][j]` over `j` never meets itself.
            if a != b {
                return Dist::None;
            }
            moving |= a.terms.iter().any(|(x, _)| Some(x.as_str()) == v || inner.contains(x) || written.contains(x));
            continue;
        }
        let (ca, cb) = v.map_or((0, 0), |v| (a.coeff(v), b.coeff(v)));
        let others = |e: &IndexExpr| {
            let mut t: Vec<(String, i64)> = e.terms.iter().filter(|(x, c)| Some(x.as_str()) != v && *c != 0).cloned().collect();
            t.sort();
            t
        };
        let (oa, ob) = (others(a), others(b));
        let varies = oa.iter().chain(&ob).any(|(x, _)| inner.contains(x));
        if oa != ob && !varies {
            // Different loop-invariant symbols (outer loop variables, arguments): equal for
            // some of their values, so the cells may coincide.
            may = true;
            continue;
        }
        if ca != cb {
            // `ca·v1 + a0 = cb·v2 + b0` has integer solutions iff gcd(ca, cb) divides b0 − a0.
            let g = gcd(ca, cb);
            if g != 0 && (b.constant - a.constant) % g != 0 && !varies {
                return Dist::None;
            }
            may = true;
            continue;
        }
        if ca == 0 {
            if a.constant != b.constant && !varies {
                return Dist::None;
            }
            continue;
        }
        let diff = a.constant - b.constant;
        if diff % ca != 0 {
            return Dist::None;
        }
        let d = diff / ca;
        match exact {
            Some(e) if e != d => return Dist::None,
            _ => exact = Some(d),
        }
    }
    match exact {
        // A dimension that pins the distance to zero or backwards rules out a carried RAW.
        Some(d) if d <= 0 => Dist::None,
        _ if may => Dist::May,
        None => Dist::Invariant,
        Some(_) if moving => Dist::May,
        Some(d) => Dist::Exact(d),
    }
}

/// Store-to-load forwarding across one iteration (LLVM's loop-load elimination, which Vitis
/// runs): in an innermost loop, a load of what the single unconditional store of the array
/// wrote one iteration before (`c[i] = c[i - 1] + h[i]`) is replaced by that value, carried in
/// a register. The load disappears (no port, no memory latency); the dependence becomes a
/// recurrence through the named value `array@prev`, as for a scalar. A conditional store or
/// load, or a second store to the array, keeps the memory dependence (ForgeHLS: `fib[i] =
/// fib[i-1] + fib[i-2]` reaches II 1; `sr_latch`, whose `Q[i-1]` is read under a branch, II 2).
pub fn forward_stored_values(body: &mut Region, iv: Option<&str>, written: &[String], arrays: &[Array]) -> Vec<CarriedDep> {
    let (_, accs, inner) = accesses(body);
    let innermost = inner.is_empty() && !body.nodes.iter().any(|n| matches!(n, Node::Call(_)));
    if !innermost || iv.is_none() {
        return Vec::new();
    }
    // (load, value the store writes, array) for each forwardable pair.
    let mut pairs: Vec<(OpId, Operand, u32)> = Vec::new();
    for s in accs.iter().filter(|a| a.op.kind == OpKind::Store && a.region == 0) {
        let sa = s.op.access.as_ref().expect("filtered");
        let stores = accs.iter().filter(|a| a.op.kind == OpKind::Store && a.op.access.as_ref().is_some_and(|x| x.array == sa.array)).count();
        if stores != 1 || sa.index.iter().any(|e| !e.affine) {
            continue;
        }
        // A load at distance exactly 1 reads what the previous iteration stored; a longer
        // distance would need one register per iteration in flight, which the pass does not do.
        for l in accs.iter().filter(|a| a.op.kind == OpKind::Load && a.region == 0) {
            let la = l.op.access.as_ref().expect("filtered");
            if la.array == sa.array && matches!(distance(&sa.index, &la.index, iv, &inner, written), Dist::Exact(1)) {
                pairs.push((l.op.id, s.op.operands[0].clone(), sa.array.0));
            }
        }
    }
    let mut out = Vec::new();
    for (load, stored, array) in pairs {
        let name = format!("{}@prev", arrays.get(array as usize).map_or("", |a| a.name.as_str()));
        body.nodes.retain(|n| !matches!(n, Node::Op(op) if op.id == load));
        replace_uses(body, load, &Operand::Scalar(name.clone()));
        let Operand::Op(end) = stored else { continue };
        let ops = region_ops(body);
        let reads = |op: &Op| op.operands.iter().any(|o| matches!(o, Operand::Scalar(x) if *x == name));
        if let Some(chain) = longest_path(&ops, reads, end) {
            out.push(CarriedDep { kind: DepKind::Recurrence, variable: name, through_memory: false, distance: 1, ops: chain });
        }
    }
    out
}

/// Every use of `id`'s value in `r` (branches included) reads `with` instead.
fn replace_uses(r: &mut Region, id: OpId, with: &Operand) {
    for n in &mut r.nodes {
        match n {
            Node::Op(op) => {
                for o in &mut op.operands {
                    if *o == Operand::Op(id) {
                        *o = with.clone();
                    }
                }
            }
            Node::Branch(b) => {
                replace_uses(&mut b.then_region, id, with);
                replace_uses(&mut b.else_region, id, with);
            }
            Node::Loop(_) | Node::Call(_) => {}
        }
    }
}

pub fn memory_deps(body: &Region, iv: Option<&str>, arrays: &[Array], written: &[String]) -> Vec<CarriedDep> {
    let (regions, accs, inner) = accesses(body);
    let mut out: Vec<CarriedDep> = Vec::new();
    for s in accs.iter().filter(|a| a.op.kind == OpKind::Store) {
        let sa = s.op.access.as_ref().expect("filtered");
        for l in accs.iter().filter(|a| a.op.kind == OpKind::Load) {
            let la = l.op.access.as_ref().expect("filtered");
            if la.array != sa.array {
                continue;
            }
            let data_dependent = sa.index.iter().chain(&la.index).any(|e| !e.affine);
            let (dist, invariant) = match distance(&sa.index, &la.index, iv, &inner, written) {
                Dist::None => continue,
                Dist::Invariant => (1, true),
                Dist::May => (1, false),
                Dist::Exact(d) => (d.min(u32::MAX as i64) as u32, false),
            };
            let (ops, red) = if s.region == l.region {
                let rops = region_ops(regions[s.region]);
                match longest_path(&rops, |o| o.id == l.op.id, s.op.id) {
                    Some(p) => {
                        let chain: Vec<&Op> = p.iter().filter_map(|id| rops.iter().find(|o| o.id == *id).copied()).collect();
                        let red = is_reduction(&chain);
                        (p, red)
                    }
                    None => (vec![l.op.id, s.op.id], false),
                }
            } else {
                (vec![l.op.id, s.op.id], false)
            };
            let kind = if invariant && red && !data_dependent { DepKind::Reduction } else { DepKind::Recurrence };
            let name = arrays.get(sa.array.0 as usize).map_or_else(String::new, |a| a.name.clone());
            let dep = CarriedDep { kind, variable: name, through_memory: true, distance: dist, ops };
            // One dependence per array and distance, the longest chain (the II bound is the
            // slowest cycle; `w[1]`'s filter update outlasts `w[2] = w[1]`); a recurrence
            // outranks a reduction (the tool cannot keep the cell in a register when another
            // access may alias it).
            match out.iter_mut().find(|d| d.variable == dep.variable && d.distance == dep.distance && d.through_memory) {
                Some(old) => {
                    let kind = if old.kind == DepKind::Recurrence { old.kind } else { dep.kind };
                    if dep.ops.len() > old.ops.len() || (old.kind == DepKind::Reduction && dep.kind == DepKind::Recurrence) {
                        *old = dep;
                    }
                    old.kind = kind;
                }
                None => out.push(dep),
            }
        }
    }
    out
}

/// What the `DEPENDENCE` pragmas of a loop say about its carried dependences. Only inter-
/// iteration directives that concern a read-after-write (no direction, or `RAW`) touch the
/// carried values found here (they are all RAW cycles): `dependent=false` removes the ones
/// through the named variable (or through any array or pointer for `class=...`), and
/// `dependent=true distance=n` sets their distance (the II bound becomes ⌈delay / n⌉). The
/// pragma is the designer's word over the analysis, as it is for the tool; a dependence the
/// analysis did not find is not invented (its operations are unknown).
pub fn apply_directives(carried: Vec<CarriedDep>, directives: &[hlsseek_ir::DependenceDirective]) -> Vec<CarriedDep> {
    let concerns = |d: &hlsseek_ir::DependenceDirective, c: &CarriedDep| {
        let raw = d.direction.as_deref().is_none_or(|x| x == "RAW");
        let target = match (&d.variable, &d.class) {
            (Some(v), _) => *v == c.variable,
            (None, Some(_)) => c.through_memory,
            (None, None) => false,
        };
        d.inter && raw && target
    };
    carried
        .into_iter()
        .filter_map(|mut c| {
            let said: Vec<&hlsseek_ir::DependenceDirective> = directives.iter().filter(|d| concerns(d, &c)).collect();
            if said.iter().any(|d| !d.dependent) {
                return None;
            }
            if let Some(n) = said.iter().rev().filter_map(|d| d.distance).find(|&n| n >= 1) {
                c.distance = n;
            }
            Some(c)
        })
        .collect()
}
