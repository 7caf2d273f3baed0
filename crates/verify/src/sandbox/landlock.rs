//! Landlock rulesets (raw syscalls, no allocation in the child): the sandboxed process may read
//! and execute system directories and the verifier's read-only inputs, read and write only its
//! own directory, and (ABI >= 4) neither bind nor connect TCP sockets.
//!
//! The ruleset is built in the parent; the child only calls `landlock_restrict_self`, which is
//! safe between fork and exec in a multi-threaded program.

use std::ffi::CString;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

const SYS_CREATE_RULESET: libc::c_long = 444;
const SYS_ADD_RULE: libc::c_long = 445;
const SYS_RESTRICT_SELF: libc::c_long = 446;
const CREATE_RULESET_VERSION: u32 = 1;
const RULE_PATH_BENEATH: u32 = 1;

const EXECUTE: u64 = 1 << 0;
const WRITE_FILE: u64 = 1 << 1;
const READ_FILE: u64 = 1 << 2;
const READ_DIR: u64 = 1 << 3;
const TRUNCATE: u64 = 1 << 14;
const IOCTL_DEV: u64 = 1 << 15;
const NET_BIND_TCP: u64 = 1 << 0;
const NET_CONNECT_TCP: u64 = 1 << 1;
const SCOPE_ABSTRACT_UNIX: u64 = 1 << 0;
const SCOPE_SIGNAL: u64 = 1 << 1;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The Landlock ABI version the kernel offers; 0 where Landlock is absent or disabled.
pub fn abi_version() -> u32 {
    // SAFETY: the version query takes no pointers.
    let v = unsafe {
        libc::syscall(
            SYS_CREATE_RULESET,
            std::ptr::null::<RulesetAttr>(),
            0usize,
            CREATE_RULESET_VERSION,
        )
    };
    if v < 0 {
        0
    } else {
        v as u32
    }
}

/// Every filesystem right the given ABI knows (bits 0..=12 since ABI 1, then one per ABI).
fn fs_rights(abi: u32) -> u64 {
    let mut bits = (1u64 << 13) - 1;
    if abi >= 2 {
        bits |= 1 << 13; // REFER
    }
    if abi >= 3 {
        bits |= TRUNCATE;
    }
    if abi >= 5 {
        bits |= IOCTL_DEV;
    }
    bits
}

/// Rights that may be granted on a non-directory; the kernel rejects the others there.
const FILE_RIGHTS: u64 = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;

/// A prepared ruleset, applied in the child with [`Ruleset::restrict_self_raw`].
pub struct Ruleset {
    fd: OwnedFd,
}

/// Which paths get which access.
pub struct Policy<'a> {
    pub read_exec: &'a [PathBuf],
    pub read_write: &'a [PathBuf],
}

impl Ruleset {
    pub fn build(abi: u32, policy: &Policy<'_>) -> io::Result<Ruleset> {
        let handled = fs_rights(abi);
        let attr = RulesetAttr {
            handled_access_fs: handled,
            handled_access_net: if abi >= 4 {
                NET_BIND_TCP | NET_CONNECT_TCP
            } else {
                0
            },
            scoped: if abi >= 6 {
                SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL
            } else {
                0
            },
        };
        let size = match abi {
            0..=3 => 8,
            4 | 5 => 16,
            _ => std::mem::size_of::<RulesetAttr>(),
        };
        // SAFETY: attr outlives the call and `size` never exceeds its size.
        let fd =
            unsafe { libc::syscall(SYS_CREATE_RULESET, &attr as *const RulesetAttr, size, 0u32) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: the kernel just returned this descriptor to us.
        let fd = unsafe { OwnedFd::from_raw_fd(fd as RawFd) };
        let read_exec = EXECUTE | READ_FILE | READ_DIR;
        for p in policy.read_exec {
            add_path_rule(&fd, p, read_exec & handled)?;
        }
        for p in policy.read_write {
            add_path_rule(&fd, p, handled)?;
        }
        Ok(Ruleset { fd })
    }

    pub fn raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    /// Called in the child after `PR_SET_NO_NEW_PRIVS`; async-signal-safe.
    pub fn restrict_self_raw(fd: RawFd) -> io::Result<()> {
        // SAFETY: plain syscall on a descriptor inherited from the parent.
        let r = unsafe { libc::syscall(SYS_RESTRICT_SELF, fd, 0u32) };
        if r < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }
}

fn add_path_rule(ruleset: &OwnedFd, path: &Path, access: u64) -> io::Result<()> {
    let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "path with NUL"));
    };
    // SAFETY: valid C string; O_PATH opens nothing but a handle.
    let pfd = unsafe { libc::open(c.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) };
    if pfd < 0 {
        let e = io::Error::last_os_error();
        // A system directory this distribution lacks (/lib32, /lib64) simply gets no rule.
        return if e.kind() == io::ErrorKind::NotFound {
            Ok(())
        } else {
            Err(e)
        };
    }
    // SAFETY: freshly opened descriptor.
    let pfd = unsafe { OwnedFd::from_raw_fd(pfd) };
    let access = if path.is_dir() {
        access
    } else {
        access & FILE_RIGHTS
    };
    let attr = PathBeneathAttr {
        allowed_access: access,
        parent_fd: pfd.as_raw_fd(),
    };
    // SAFETY: attr is a valid path_beneath_attr for the duration of the call.
    let r = unsafe {
        libc::syscall(
            SYS_ADD_RULE,
            ruleset.as_raw_fd(),
            RULE_PATH_BENEATH,
            &attr as *const PathBeneathAttr,
            0u32,
        )
    };
    if r < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
