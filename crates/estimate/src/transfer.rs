//! Merlin's off-chip transfers of the top function's arrays: bursts in before the compute and
//! out after it, once for the kernel, or once per tile of a `TILE` / per group of coarse-grained
//! `PARALLEL` copies where their buffers are refilled (`⌈bytes / port width⌉ + burst set-up`
//! each), and the port width Merlin's memory coalescing gives each array.

use crate::profile::Profile;
use crate::plan::collect_accesses;
use hlsseek_ir::{Array, ArrayKind, Function, Loop, Region};

/// Merlin `TILE FACTOR=t` on `l` (with `merlin.tile_buffers`): each tile gets on-chip buffers
/// for the top-level arrays that `l`'s variable indexes, filled (and written back) by one burst
/// per tile: see [`group_bursts`].
pub(crate) fn tile_bursts(f: &Function, prof: &Profile, l: &Loop, tile: u64, trip: Option<u64>) -> u64 {
    if !prof.merlin.tile_buffers {
        return 0;
    }
    group_bursts(f, prof, l, tile, trip)
}

/// Bursts filling (and writing back) the buffers of one group of `group` iterations of `l`:
/// per array `l`'s variable indexes and per direction, the burst set-up plus the group's share
/// of the data.
pub(crate) fn group_bursts(f: &Function, prof: &Profile, l: &Loop, group: u64, trip: Option<u64>) -> u64 {
    let (Some(var), Some(tc)) = (l.var.as_deref(), trip) else { return 0 };
    param_bursts(f, &l.body, Some(var), (group, tc), prof, &[]).0
}

/// Merlin's off-chip transfers: each top-level array read is burst in before the compute,
/// each one written is burst out after (bytes / bus width + a fixed burst cost), except the
/// arrays in `refilled`, which move per group of PARALLEL copies instead. Returns (cycles,
/// arrays with a port).
pub(crate) fn merlin_transfer_cycles(f: &Function, prof: &Profile, refilled: &[u32]) -> (u64, usize) {
    param_bursts(f, &f.body, None, (1, 1), prof, refilled)
}

/// The top-level arrays that `r` accesses through an index involving `var`.
pub(crate) fn param_arrays(f: &Function, r: &Region, var: &str) -> Vec<u32> {
    (0..f.arrays.len() as u32)
        .filter(|&i| f.arrays[i as usize].kind == ArrayKind::Param)
        .filter(|&i| {
            let (mut rd, mut wr) = (false, false);
            scan_rw(r, i, Some(var), &mut rd, &mut wr);
            rd || wr
        })
        .collect()
}

/// Bursts moving `share` (numerator, denominator) of each of `f`'s top-level arrays that `r`
/// reads or writes (through an index involving `var`, if given): one burst per array and
/// direction, `⌈bytes / bus⌉ + burst_overhead` cycles each, except for the arrays in `skip`
/// (moved elsewhere). Returns (cycles, arrays touched, `skip` included).
fn param_bursts(f: &Function, r: &Region, var: Option<&str>, share: (u64, u64), prof: &Profile, skip: &[u32]) -> (u64, usize) {
    let m = &prof.merlin;
    let (mut cycles, mut arrays) = (0u64, 0usize);
    for (i, a) in f.arrays.iter().enumerate() {
        let Some(bits) = a.total_bits().filter(|_| a.kind == ArrayKind::Param) else { continue };
        let (mut rd, mut wr) = (false, false);
        scan_rw(r, i as u32, var, &mut rd, &mut wr);
        arrays += (rd || wr) as usize;
        if skip.contains(&(i as u32)) {
            continue;
        }
        let bytes = (bits / 8).saturating_mul(share.0) / share.1.max(1);
        cycles += (bytes.div_ceil(port_bytes(a, prof)) + m.burst_overhead) * (rd as u64 + wr as u64);
    }
    (cycles, arrays)
}

/// Whether `array` is read / written in `r` (only by accesses whose index involves `var`, if given).
fn scan_rw(r: &Region, array: u32, var: Option<&str>, rd: &mut bool, wr: &mut bool) {
    collect_accesses(r, &mut |a, store| {
        if a.array.0 == array && var.is_none_or(|v| a.index.iter().any(|e| e.coeff(v) != 0)) {
            if store {
                *wr = true;
            } else {
                *rd = true;
            }
        }
    });
}

/// Bytes one beat of `a`'s port moves: the full bus where Merlin's memory coalescing fits the
/// array to it, a narrower power-of-two share where the innermost dimensions only tile
/// narrower words, one element where none fits ([`bus_word_elements`]).
fn port_bytes(a: &Array, prof: &Profile) -> u64 {
    let m = &prof.merlin;
    if !m.memory_coalescing {
        return m.bus_bytes.max(1);
    }
    let element = (a.elem.bits() as u64).div_ceil(8).max(1);
    bus_word_elements(a, m.bus_bytes * 8).map_or(element, |e| e * element).clamp(1, m.bus_bytes.max(1))
}

/// Elements of `a` one bus word carries once Merlin's memory coalescing widens its port to
/// `bus_bits` (source-opt `bitwidth_opt`, memory_coalescing_xilinx.cpp). A buffer of more than
/// one dimension needs its innermost dimensions to tile whole words: the width is halved until
/// they do, and a buffer that no width of two or more elements fits keeps its element-wide
/// port (None), as does an array of unknown extent or one wider than half the bus.
pub(crate) fn bus_word_elements(a: &Array, bus_bits: u64) -> Option<u64> {
    let bits = a.elem.bits() as u64;
    let dims: Vec<u64> = a.dims.iter().map(|d| d.filter(|&n| n > 0)).collect::<Option<_>>()?;
    let mut elements = bus_bits.checked_div(bits)?;
    if elements < 2 {
        return None;
    }
    if dims.len() <= 1 {
        return Some(elements);
    }
    let aligned = |ne: u64| {
        let mut total = 1u64;
        for &e in dims.iter().rev() {
            total = total.saturating_mul(e);
            if total >= ne {
                return total.is_multiple_of(ne);
            }
            if !ne.is_multiple_of(total) {
                return false;
            }
        }
        false
    };
    while elements >= 2 {
        if aligned(elements) {
            return Some(elements);
        }
        elements /= 2;
    }
    None
}
