//! Resource limits of one sandboxed process tree, and their translation to rlimits.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// Limits applied to one sandboxed command (and every process it starts).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Wall-clock budget; past it the whole process group is killed.
    pub wall: Duration,
    /// CPU seconds per process (RLIMIT_CPU; SIGXCPU at the soft limit).
    pub cpu_seconds: u64,
    /// Address-space bytes per process (RLIMIT_AS).
    pub memory_bytes: u64,
    /// Largest file a process may write (RLIMIT_FSIZE; SIGXFSZ past it).
    pub file_size_bytes: u64,
    /// Processes the sandbox uid may own at once (RLIMIT_NPROC; only enforced with a uid drop).
    pub processes: u64,
    /// Open file descriptors per process (RLIMIT_NOFILE).
    pub open_files: u64,
}

impl Limits {
    /// Defaults for running a testbench: generous for small kernels, tight for hostile code.
    pub fn run_default() -> Self {
        Limits {
            wall: Duration::from_secs(10),
            cpu_seconds: 10,
            memory_bytes: 1 << 30,
            file_size_bytes: 64 << 20,
            processes: 64,
            open_files: 256,
        }
    }

    /// Defaults for g++: cc1plus on ap_fixed code takes 300-500 MB and maps an 80 MB PCH.
    pub fn compile_default() -> Self {
        Limits {
            wall: Duration::from_secs(120),
            cpu_seconds: 120,
            memory_bytes: 4 << 30,
            file_size_bytes: 512 << 20,
            processes: 64,
            open_files: 1024,
        }
    }

    /// The (resource, soft, hard) triples to set in the child. The CPU hard limit sits one
    /// second above the soft one so SIGXCPU arrives first and the run reads as a timeout.
    pub(crate) fn rlimits(&self, with_nproc: bool) -> Vec<(libc::__rlimit_resource_t, u64, u64)> {
        let mut v = vec![
            (libc::RLIMIT_CPU, self.cpu_seconds, self.cpu_seconds + 1),
            (libc::RLIMIT_AS, self.memory_bytes, self.memory_bytes),
            (
                libc::RLIMIT_FSIZE,
                self.file_size_bytes,
                self.file_size_bytes,
            ),
            (libc::RLIMIT_NOFILE, self.open_files, self.open_files),
            (libc::RLIMIT_CORE, 0, 0),
        ];
        if with_nproc {
            v.push((libc::RLIMIT_NPROC, self.processes, self.processes));
        }
        v
    }
}
