//! What `BIND_STORAGE` asks of one array: the ports of each bank (and so how many reads and
//! writes fit in a cycle), the implementation (BRAM, LUTRAM, URAM, registers) and the read
//! latency. Semantics from UG1399 (`pragma HLS bind_storage`, "storage types").

use crate::model::spread;
use hlsseek_ir::StorageDirective;

/// What the ports of one memory bank can do in one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ports {
    /// `n` ports, each reading or writing (`ram_1p`: 1; `ram_t2p` and the tool's default
    /// true dual-port BRAM: 2; `rom_2p`, `rom_np`: reads only).
    Shared(u32),
    /// One read/write port and one read-only port (`ram_2p`): at most one write per cycle.
    WriteAndRead,
    /// One read-only and one write-only port (`ram_s2p`, FIFOs and streams).
    SplitReadWrite,
}

impl Ports {
    /// Cycles the bank needs for `reads` reads and `writes` writes.
    pub(crate) fn cycles(self, reads: u64, writes: u64) -> u64 {
        match self {
            Ports::Shared(n) => (reads + writes).div_ceil(n.max(1) as u64),
            Ports::WriteAndRead => writes.max((reads + writes).div_ceil(2)),
            Ports::SplitReadWrite => reads.max(writes),
        }
    }
}

/// Sizes of the multiplexers in front of one bank's ports when `reads` and `writes` accesses
/// take turns on them: per port one on the address (when the bank has one) and one on the
/// write data. Accesses are spread evenly over the ports that may take them.
pub(crate) fn port_mux_inputs(ports: Ports, reads: u64, writes: u64, addressed: bool) -> Vec<u64> {
    let mut sizes = Vec::new();
    let mut port = |accesses: u64, writes_here: u64| {
        if addressed {
            sizes.push(accesses);
        }
        sizes.push(writes_here);
    };
    match ports {
        Ports::Shared(n) => {
            let n = u64::from(n.max(1));
            for (a, w) in spread(reads + writes, n).into_iter().zip(spread(writes, n)) {
                port(a, w);
            }
        }
        Ports::WriteAndRead => {
            for (a, w) in spread(reads + writes, 2).into_iter().zip([writes, 0]) {
                port(a, w);
            }
        }
        Ports::SplitReadWrite => {
            port(reads, 0);
            port(writes, writes);
        }
    }
    sizes.retain(|&k| k >= 2);
    sizes
}

/// Where the array's storage is built.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Impl {
    /// The tool decides (BRAM, or LUTRAM/registers when small).
    Auto,
    Bram,
    Lutram,
    Uram,
    /// Shift registers (`impl=srl`): LUTs, like LUTRAM.
    Srl,
}

/// The binding of one array, after reading its directive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StoragePlan {
    /// `None`: the profile's default for the array's kind.
    pub ports: Option<Ports>,
    pub implementation: Impl,
    /// Cycles from address to data of a read (`latency=`); `None`: the profile's load latency.
    pub read_latency: Option<u32>,
}

impl StoragePlan {
    pub(crate) const DEFAULT: StoragePlan = StoragePlan { ports: None, implementation: Impl::Auto, read_latency: None };
}

/// Reads a `BIND_STORAGE` directive; words it does not know come back as notes and leave the
/// default in place.
pub(crate) fn bind(dir: Option<&StorageDirective>, array: &str, notes: &mut Vec<String>) -> StoragePlan {
    let Some(d) = dir else { return StoragePlan::DEFAULT };
    // The older `RESOURCE core=RAM_1P_BRAM` names type and implementation in one word.
    let core = d.storage_type.as_deref().map(str::to_ascii_lowercase);
    let (ty, core_impl) = match core.as_deref().map(|c| c.splitn(3, '_').collect::<Vec<_>>()).as_deref() {
        Some([a, b, i]) => (Some(format!("{a}_{b}")), Some(i.to_string())),
        _ => (core.clone(), None),
    };
    let ports = ty.as_deref().and_then(|t| match t {
        "ram_1p" | "rom_1p" => Some(Ports::Shared(1)),
        "ram_2p" => Some(Ports::WriteAndRead),
        "ram_s2p" | "fifo" => Some(Ports::SplitReadWrite),
        "ram_t2p" | "rom_2p" => Some(Ports::Shared(2)),
        // A ROM with as many read ports as the accesses need.
        "rom_np" => Some(Ports::Shared(u32::MAX)),
        other => {
            notes.push(format!("array {array}: BIND_STORAGE type={other} not modelled; default ports"));
            None
        }
    });
    let implementation = match d.implementation.as_deref().map(str::to_ascii_lowercase).or(core_impl).as_deref() {
        None | Some("auto") => Impl::Auto,
        Some("bram") => Impl::Bram,
        Some("lutram") => Impl::Lutram,
        Some("uram") => Impl::Uram,
        Some("srl") | Some("autosrl") => Impl::Srl,
        Some(other) => {
            notes.push(format!("array {array}: BIND_STORAGE impl={other} not modelled; the tool's choice assumed"));
            Impl::Auto
        }
    };
    StoragePlan { ports, implementation, read_latency: d.latency.filter(|&l| l > 0) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hlsseek_ir::Loc;

    fn dir(t: Option<&str>, i: Option<&str>, lat: Option<u32>) -> StorageDirective {
        StorageDirective { storage_type: t.map(str::to_string), implementation: i.map(str::to_string), latency: lat, loc: Loc::default() }
    }

    #[test]
    fn port_kinds_bound_reads_and_writes() {
        // One read and one write per cycle: a single port needs 2 cycles, every dual port 1.
        assert_eq!(Ports::Shared(1).cycles(1, 1), 2);
        assert_eq!(Ports::Shared(2).cycles(1, 1), 1);
        assert_eq!(Ports::WriteAndRead.cycles(1, 1), 1);
        assert_eq!(Ports::SplitReadWrite.cycles(1, 1), 1);
        // Two reads: the simple dual port has one read port, the others two.
        assert_eq!(Ports::SplitReadWrite.cycles(2, 0), 2);
        assert_eq!(Ports::WriteAndRead.cycles(2, 0), 1);
        // Two writes: only a true dual port writes twice in a cycle.
        assert_eq!(Ports::WriteAndRead.cycles(0, 2), 2);
        assert_eq!(Ports::Shared(2).cycles(0, 2), 1);
        assert_eq!(Ports::Shared(u32::MAX).cycles(9, 0), 1);
    }

    #[test]
    fn directive_words_case_insensitive_and_unknown_ones_noted() {
        let mut notes = Vec::new();
        let b = bind(Some(&dir(Some("RAM_S2P"), Some("URAM"), Some(3))), "val", &mut notes);
        assert_eq!(b, StoragePlan { ports: Some(Ports::SplitReadWrite), implementation: Impl::Uram, read_latency: Some(3) });
        assert!(notes.is_empty());
        let b = bind(Some(&dir(Some("ram_9p"), Some("flash"), None)), "x", &mut notes);
        assert_eq!(b, StoragePlan::DEFAULT);
        assert_eq!(notes.len(), 2);
        assert!(notes[0].contains("type=ram_9p") && notes[1].contains("impl=flash"));
        assert_eq!(bind(None, "x", &mut notes), StoragePlan::DEFAULT);
        // Vivado HLS `RESOURCE core=RAM_1P_LUTRAM`: both in one word.
        let b = bind(Some(&dir(Some("RAM_1P_LUTRAM"), None, None)), "old", &mut notes);
        assert_eq!((b.ports, b.implementation), (Some(Ports::Shared(1)), Impl::Lutram));
        assert_eq!(notes.len(), 2);
    }

    #[test]
    fn port_muxes_follow_the_accesses_each_port_takes() {
        // 5 reads and 1 write on a true dual-port bank: 3 accesses per port; the write needs
        // no data mux.
        assert_eq!(port_mux_inputs(Ports::Shared(2), 5, 1, true), vec![3, 3]);
        // ram_2p: writes stay on the read/write port (2 writes: a 2-input data mux there).
        assert_eq!(port_mux_inputs(Ports::WriteAndRead, 2, 2, true), vec![2, 2, 2]);
        // ram_s2p: reads on one port, writes on the other (address and data).
        assert_eq!(port_mux_inputs(Ports::SplitReadWrite, 3, 2, true), vec![3, 2, 2]);
        // A FIFO has no address: only the writes' data is multiplexed.
        assert_eq!(port_mux_inputs(Ports::SplitReadWrite, 3, 2, false), vec![2]);
        // One access per port: nothing to choose.
        assert_eq!(port_mux_inputs(Ports::Shared(2), 2, 0, true), Vec::<u64>::new());
        assert_eq!(spread(7, 3), vec![3, 2, 2]);
    }
}
