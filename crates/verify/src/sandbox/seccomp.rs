//! A seccomp-bpf filter that kills the process (SIGSYS, reported as a sandbox violation) on
//! system calls a testbench or compiler never needs: sockets (networking), ptrace, io_uring
//! (it bypasses per-syscall filtering), mount, bpf, perf and keyrings.
//!
//! Only x86_64 and aarch64 are covered; elsewhere no filter is installed (see docs/verify.md).

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod imp {
    const AUDIT_ARCH: u32 = if cfg!(target_arch = "x86_64") {
        0xC000_003E
    } else {
        0xC000_00B7
    };
    const RET_ALLOW: u32 = 0x7fff_0000;
    const RET_KILL_PROCESS: u32 = 0x8000_0000;
    const LD_W_ABS: u16 = 0x20; // BPF_LD | BPF_W | BPF_ABS
    const JEQ_K: u16 = 0x15; // BPF_JMP | BPF_JEQ | BPF_K
    const JGE_K: u16 = 0x35; // BPF_JMP | BPF_JGE | BPF_K
    const RET_K: u16 = 0x06; // BPF_RET | BPF_K
    const OFF_NR: u32 = 0;
    const OFF_ARCH: u32 = 4;
    const X32_BIT: u32 = 0x4000_0000;

    fn stmt(code: u16, k: u32) -> libc::sock_filter {
        libc::sock_filter {
            code,
            jt: 0,
            jf: 0,
            k,
        }
    }
    fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
        libc::sock_filter { code, jt, jf, k }
    }

    fn denied() -> Vec<u32> {
        let mut v: Vec<libc::c_long> = vec![
            libc::SYS_socket,
            libc::SYS_socketpair,
            libc::SYS_ptrace,
            libc::SYS_io_uring_setup,
            libc::SYS_io_uring_enter,
            libc::SYS_io_uring_register,
            libc::SYS_mount,
            libc::SYS_umount2,
            libc::SYS_pivot_root,
            libc::SYS_bpf,
            libc::SYS_perf_event_open,
            libc::SYS_keyctl,
            libc::SYS_add_key,
            libc::SYS_userfaultfd,
            libc::SYS_process_vm_writev,
        ];
        v.sort_unstable();
        v.into_iter().map(|n| n as u32).collect()
    }

    pub fn filter() -> Vec<libc::sock_filter> {
        let denied = denied();
        let mut f = vec![
            stmt(LD_W_ABS, OFF_ARCH),
            jump(JEQ_K, AUDIT_ARCH, 1, 0),
            stmt(RET_K, RET_KILL_PROCESS),
            stmt(LD_W_ABS, OFF_NR),
        ];
        if cfg!(target_arch = "x86_64") {
            // x32 syscall numbers would slip past the list below.
            f.push(jump(JGE_K, X32_BIT, 0, 1));
            f.push(stmt(RET_K, RET_KILL_PROCESS));
        }
        for nr in denied {
            f.push(jump(JEQ_K, nr, 0, 1));
            f.push(stmt(RET_K, RET_KILL_PROCESS));
        }
        f.push(stmt(RET_K, RET_ALLOW));
        f
    }
}

/// The filter program, or empty where this architecture is not covered.
pub fn filter() -> Vec<libc::sock_filter> {
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    {
        imp::filter()
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        Vec::new()
    }
}

/// Installs `prog` on the calling thread; async-signal-safe (no allocation).
pub fn install_raw(prog: &[libc::sock_filter]) -> std::io::Result<()> {
    if prog.is_empty() {
        return Ok(());
    }
    let fprog = libc::sock_fprog {
        len: prog.len() as u16,
        filter: prog.as_ptr() as *mut libc::sock_filter,
    };
    // SAFETY: fprog points at a live filter array for the duration of the call.
    let r = unsafe {
        libc::prctl(
            libc::PR_SET_SECCOMP,
            libc::SECCOMP_MODE_FILTER as libc::c_ulong,
            &fprog as *const libc::sock_fprog,
        )
    };
    if r < 0 {
        Err(std::io::Error::last_os_error())
    } else {
        Ok(())
    }
}
