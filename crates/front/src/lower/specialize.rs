//! Call-site specialisation: a function whose loop bounds come from scalar parameters gets one
//! copy per distinct set of constant arguments its callers pass, lowered with those parameters
//! bound. Vitis inlines such small helpers (or LLVM's IPSCCP propagates a constant all callers
//! agree on), so it knows their trip counts; without this their latency, and every caller's,
//! would be undefined. MachSuite backprop's `RELU(act, dact, nodes_per_layer)` and
//! `RELU(act, dact, possible_outputs)` are the pattern.
//!
//! A copy is kept only where it knows more trip counts than the generic function. When every
//! reachable call of a function ended up in one copy, the copy takes the function's place,
//! name and loop ids (so pragma records and design-space knobs still point at its loops);
//! otherwise copies are named `f.1`, `f.2`, … beside `f`.

use hlsseek_ir::{Function, Kernel, Region};
use std::collections::{HashMap, HashSet, VecDeque};

/// (parameter index, value) pairs, as [`hlsseek_ir::Call::const_args`] holds them.
type ConstArgs = Vec<(u32, i64)>;

/// Copies made per kernel at most: a bound on work for call graphs that would multiply them.
const MAX_COPIES: usize = 64;

/// `lower(generic, bound)`: the function `generic` lowered again with parameters bound to
/// constants, or `None` when it cannot be (not a definition of the sources).
pub(super) fn specialize(kernel: &mut Kernel, mut lower: impl FnMut(&str, &[(u32, i64)]) -> Option<Function>) {
    // (function, constant arguments) → its copy, or `None` where a copy knew nothing more.
    let mut copies: HashMap<(String, ConstArgs), Option<String>> = HashMap::new();
    // Copy name → the function it specialises.
    let mut origin: HashMap<String, String> = HashMap::new();
    let mut made = 0usize;
    let mut queue: VecDeque<String> = VecDeque::from([kernel.top.clone()]);
    let mut reached: HashSet<String> = HashSet::new();
    while let Some(name) = queue.pop_front() {
        if !reached.insert(name.clone()) {
            continue;
        }
        let Some(fi) = kernel.functions.iter().position(|f| f.name == name) else { continue };
        let mut body = std::mem::take(&mut kernel.functions[fi].body);
        let mut added = Vec::new();
        body.visit_calls_mut(&mut |c| {
            let generic = kernel.functions.iter().find(|f| f.name == c.callee);
            let worth = |g: &Function| reaches_unknown_trip(kernel, &g.name, &mut HashSet::new());
            if let Some(g) = generic.filter(|g| !c.const_args.is_empty() && !origin.contains_key(&g.name) && worth(g)) {
                let key = (c.callee.clone(), c.const_args.clone());
                let copy = match copies.get(&key) {
                    Some(copy) => copy.clone(),
                    None if made < MAX_COPIES => {
                        made += 1;
                        let copy = lower(&c.callee, &c.const_args).filter(|s| knows_more(s, g)).map(|mut s| {
                            let n = origin.values().filter(|o| **o == c.callee).count() + 1;
                            s.name = format!("{}.{n}", c.callee);
                            origin.insert(s.name.clone(), c.callee.clone());
                            let name = s.name.clone();
                            added.push(s);
                            name
                        });
                        copies.insert(key, copy.clone());
                        copy
                    }
                    None => None,
                };
                if let Some(copy) = copy {
                    c.callee = copy;
                }
            }
            queue.push_back(c.callee.clone());
        });
        kernel.functions[fi].body = body;
        kernel.functions.extend(added);
    }
    take_place_of_unused_generics(kernel, &origin, &reached);
}

/// A copy that is the only one of its function, which no reachable call uses any more, becomes
/// that function.
fn take_place_of_unused_generics(kernel: &mut Kernel, origin: &HashMap<String, String>, reached: &HashSet<String>) {
    let mut still_called: HashSet<String> = HashSet::new();
    for f in kernel.functions.iter().filter(|f| reached.contains(&f.name)) {
        f.body.visit_calls(&mut |c| {
            still_called.insert(c.callee.clone());
        });
    }
    let mut renames: Vec<(String, String)> = Vec::new();
    for generic in origin.values().collect::<HashSet<_>>() {
        let mine: Vec<&String> = origin.iter().filter(|(_, g)| *g == generic).map(|(c, _)| c).collect();
        if mine.len() != 1 || still_called.contains(generic) || *generic == kernel.top {
            continue;
        }
        let (Some(gi), Some(ci)) = (kernel.functions.iter().position(|f| f.name == *generic), kernel.functions.iter().position(|f| f.name == *mine[0]))
        else {
            continue;
        };
        let mut ids = Vec::new();
        kernel.functions[gi].body.visit_loops(&mut |l| ids.push(l.id));
        let mut count = 0;
        kernel.functions[ci].body.visit_loops(&mut |_| count += 1);
        if count != ids.len() {
            continue;
        }
        let mut ids = ids.into_iter();
        kernel.functions[ci].body.visit_loops_mut(&mut |l| l.id = ids.next().unwrap_or(l.id));
        let mut copy = kernel.functions.remove(ci);
        copy.name = generic.clone();
        let gi = kernel.functions.iter().position(|f| f.name == *generic).unwrap_or(gi);
        kernel.functions[gi] = copy;
        renames.push((mine[0].clone(), generic.clone()));
    }
    for f in &mut kernel.functions {
        f.body.visit_calls_mut(&mut |c| {
            if let Some((_, to)) = renames.iter().find(|(from, _)| *from == c.callee) {
                c.callee = to.clone();
            }
        });
    }
}

/// Loops of `r` (nested ones included) whose trip count is unknown.
fn unknown_trips(r: &Region) -> usize {
    let mut n = 0;
    r.visit_loops(&mut |l| n += usize::from(!l.trip.is_known()));
    n
}

/// Constant arguments the calls of `r` pass.
fn constant_args(r: &Region) -> usize {
    let mut n = 0;
    r.visit_calls(&mut |c| n += c.const_args.len());
    n
}

/// The copy knows trip counts the generic function does not, or passes more constants on to
/// its own callees (whose loops they may bound).
fn knows_more(copy: &Function, generic: &Function) -> bool {
    unknown_trips(&copy.body) < unknown_trips(&generic.body) || constant_args(&copy.body) > constant_args(&generic.body)
}

/// `name` or a function it calls, directly or not, has a loop of unknown trip count.
fn reaches_unknown_trip(kernel: &Kernel, name: &str, seen: &mut HashSet<String>) -> bool {
    if !seen.insert(name.to_string()) {
        return false;
    }
    let Some(f) = kernel.function(name) else { return false };
    if unknown_trips(&f.body) > 0 {
        return true;
    }
    let mut callees = Vec::new();
    f.body.visit_calls(&mut |c| callees.push(c.callee.as_str()));
    callees.into_iter().any(|c| reaches_unknown_trip(kernel, c, seen))
}
