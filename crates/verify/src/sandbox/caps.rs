//! What isolation this kernel and user allow, probed once per process, and the per-sandbox
//! unprivileged uid leases that make RLIMIT_NPROC and file permissions bite when we are root.

use serde::Serialize;
use std::fs::{File, OpenOptions};
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// How network access is taken away.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NetIsolation {
    /// A fresh network namespace (only loopback, down): what root gets.
    Namespace,
    /// A fresh user namespace holding a fresh network namespace: unprivileged fallback.
    UserNamespace,
    /// Neither is permitted here; only seccomp (no `socket()`) and Landlock ABI >= 4 remain.
    None,
}

/// The mechanisms in effect for every sandboxed command of this process.
#[derive(Debug, Clone, Serialize)]
pub struct Capabilities {
    /// Commands run as a leased unprivileged uid (we are root).
    pub uid_drop: bool,
    pub network: NetIsolation,
    /// Landlock ABI in use; 0 = Landlock unavailable, filesystem confinement is by uid only.
    pub landlock_abi: u32,
    /// Whether the seccomp filter (kills on socket/ptrace/io_uring/...) is installed.
    pub seccomp: bool,
}

impl Capabilities {
    /// Probed once; `HLSSEEK_SANDBOX_DISABLE` (comma list of `uid,netns,landlock,seccomp`)
    /// turns mechanisms off, to exercise and document the degraded modes.
    pub fn get() -> &'static Capabilities {
        static CAPS: OnceLock<Capabilities> = OnceLock::new();
        CAPS.get_or_init(|| {
            let off = std::env::var("HLSSEEK_SANDBOX_DISABLE").unwrap_or_default();
            let off = |k: &str| off.split(',').any(|s| s.trim() == k);
            // SAFETY: geteuid has no failure mode.
            let root = unsafe { libc::geteuid() } == 0;
            let network = if off("netns") {
                NetIsolation::None
            } else if probe_unshare(libc::CLONE_NEWNET) {
                NetIsolation::Namespace
            } else if probe_unshare(libc::CLONE_NEWUSER | libc::CLONE_NEWNET) {
                NetIsolation::UserNamespace
            } else {
                NetIsolation::None
            };
            let landlock_abi = if off("landlock") {
                0
            } else {
                super::landlock::abi_version()
            };
            let seccomp = !off("seccomp") && !super::seccomp::filter().is_empty();
            Capabilities {
                uid_drop: root && !off("uid"),
                network,
                landlock_abi,
                seccomp,
            }
        })
    }
}

/// Forks a child that tries `unshare(flags)`; the parent learns the answer from its exit code.
fn probe_unshare(flags: libc::c_int) -> bool {
    // SAFETY: the child only makes raw syscalls before `_exit`, which is safe after fork in a
    // multi-threaded process.
    unsafe {
        let pid = libc::fork();
        if pid < 0 {
            return false;
        }
        if pid == 0 {
            let ok = libc::unshare(flags) == 0;
            libc::_exit(if ok { 0 } else { 1 });
        }
        let mut status = 0;
        while libc::waitpid(pid, &mut status, 0) < 0 {
            if *libc::__errno_location() != libc::EINTR {
                return false;
            }
        }
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0
    }
}

/// First uid of the leased range: far above login uids and the usual subuid ranges' start,
/// below 2^31 so nothing treats it as negative.
const UID_BASE: u32 = 2_100_000_000;
const UID_SLOTS: u32 = 4096;

/// An exclusive claim on one unprivileged uid, held through an `flock` on a file in one
/// machine-wide directory, so that no two sandboxes alive at once share a uid, whichever
/// verifier or process owns them (they would share the process quota, and the post-run sweep
/// would kill each other's processes).
pub struct UidLease {
    pub uid: u32,
    _lock: File,
}

/// Machine-wide, root-only: `/run` is root-owned, so nobody else can plant the directory.
fn lease_dir() -> PathBuf {
    if Path::new("/run").is_dir() {
        PathBuf::from("/run/hlsseek-uid-leases")
    } else {
        PathBuf::from("/tmp/hlsseek-uid-leases")
    }
}

impl UidLease {
    pub fn acquire() -> std::io::Result<UidLease> {
        let lock_dir = lease_dir();
        std::fs::create_dir_all(&lock_dir)?;
        let meta = std::fs::symlink_metadata(&lock_dir)?;
        if !meta.is_dir() || std::os::unix::fs::MetadataExt::uid(&meta) != 0 {
            return Err(std::io::Error::other(format!(
                "{} is not a root-owned directory",
                lock_dir.display()
            )));
        }
        // Start at a pid-dependent slot so concurrent processes rarely contend for one lock.
        let start = std::process::id() % UID_SLOTS;
        for i in 0..UID_SLOTS {
            let slot = (start + i) % UID_SLOTS;
            let path = lock_dir.join(format!("{slot}.lock"));
            let f = OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)?;
            // SAFETY: flock on a descriptor we own.
            let r = unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if r == 0 {
                return Ok(UidLease {
                    uid: UID_BASE + slot,
                    _lock: f,
                });
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            "every sandbox uid is leased",
        ))
    }
}
