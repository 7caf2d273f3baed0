//! One sandboxed directory and the commands run in it: own temporary directory, rlimits, an
//! unprivileged leased uid (as root), no network, Landlock, seccomp, a wall-clock timer that
//! kills the whole process group, a sweep of every process the uid still owns, and removal of
//! the directory on drop.

pub mod caps;
mod landlock;
pub mod limits;
mod seccomp;

pub use caps::{Capabilities, NetIsolation};
pub use limits::Limits;

use crate::error::{io_ctx, Result, VerifyError};
use caps::UidLease;
use serde::Serialize;
use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::{chown, PermissionsExt};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// System locations every sandboxed command may read and execute (compilers, libc, ld.so).
const SYSTEM_READ: &[&str] = &[
    "/usr",
    "/lib",
    "/lib64",
    "/lib32",
    "/libx32",
    "/bin",
    "/sbin",
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
    "/etc/localtime",
    "/dev/urandom",
    "/dev/random",
    "/dev/zero",
];
const SYSTEM_WRITE: &[&str] = &["/dev/null"];

/// Bytes of each output stream kept in memory (the rest is counted as truncated).
const KEEP_OUTPUT: u64 = 16 << 20;

/// How a sandboxed command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "value")]
pub enum Termination {
    Exited(i32),
    Signaled(i32),
    /// Killed by us when the wall-clock budget ran out.
    WallTimeout,
}

/// What a sandboxed command left behind.
#[derive(Debug, Clone, Serialize)]
pub struct RunOutput {
    pub termination: Termination,
    pub stdout: String,
    pub stderr: String,
    pub wall_seconds: f64,
    pub cpu_seconds: f64,
}

impl RunOutput {
    pub fn success(&self) -> bool {
        self.termination == Termination::Exited(0)
    }
}

/// A private directory plus the identity its commands run under. Dropping it kills whatever
/// the uid still runs and removes the directory.
pub struct Sandbox {
    dir: Option<tempfile::TempDir>,
    lease: Option<UidLease>,
    caps: &'static Capabilities,
}

impl Sandbox {
    /// Creates `parent/sbx-XXXX`, owned by the leased uid when there is one.
    pub fn new(parent: &Path) -> Result<Sandbox> {
        let caps = Capabilities::get();
        let dir = tempfile::Builder::new()
            .prefix("sbx-")
            .tempdir_in(parent)
            .map_err(io_ctx(format!(
                "creating a sandbox directory in {}",
                parent.display()
            )))?;
        let lease = if caps.uid_drop {
            let lease = UidLease::acquire().map_err(io_ctx("leasing a sandbox uid"))?;
            chown(dir.path(), Some(lease.uid), Some(lease.uid))
                .map_err(io_ctx("chown sandbox dir"))?;
            Some(lease)
        } else {
            None
        };
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700))
            .map_err(io_ctx("chmod sandbox dir"))?;
        Ok(Sandbox {
            dir: Some(dir),
            lease,
            caps,
        })
    }

    pub fn path(&self) -> &Path {
        self.dir
            .as_ref()
            .map(|d| d.path())
            .unwrap_or(Path::new("/nonexistent"))
    }

    pub fn capabilities(&self) -> &'static Capabilities {
        self.caps
    }

    /// Writes a file into the sandbox, owned by the sandbox uid so the command may replace it.
    pub fn write(&self, name: &str, contents: &[u8]) -> Result<PathBuf> {
        let path = self.path().join(name);
        std::fs::write(&path, contents).map_err(|source| VerifyError::Write {
            path: path.clone(),
            source,
        })?;
        self.give(&path)?;
        Ok(path)
    }

    /// Hands a file the parent created over to the sandbox uid.
    pub fn give(&self, path: &Path) -> Result<()> {
        if let Some(l) = &self.lease {
            chown(path, Some(l.uid), Some(l.uid))
                .map_err(io_ctx(format!("chown {}", path.display())))?;
        }
        Ok(())
    }

    /// Runs `program args` with the sandbox as working directory. `read_only` are extra paths
    /// (headers, cached objects) the command may read. Errors are the verifier's own failures
    /// (cannot fork, cannot set up Landlock); everything the command does is in `RunOutput`.
    pub fn run<S: AsRef<OsStr>>(
        &self,
        program: &Path,
        args: &[S],
        limits: &Limits,
        read_only: &[PathBuf],
    ) -> Result<RunOutput> {
        let dir = self.path();
        let out_path = dir.join(".hlsseek-stdout");
        let err_path = dir.join(".hlsseek-stderr");
        let out = output_file(&out_path)?;
        let err = output_file(&err_path)?;
        let out_keep = out.try_clone().map_err(io_ctx("dup stdout"))?;
        let err_keep = err.try_clone().map_err(io_ctx("dup stderr"))?;

        let ruleset = if self.caps.landlock_abi > 0 {
            let mut ro: Vec<PathBuf> = SYSTEM_READ.iter().map(PathBuf::from).collect();
            ro.extend(read_only.iter().cloned());
            ro.push(program.to_path_buf());
            let mut rw: Vec<PathBuf> = SYSTEM_WRITE.iter().map(PathBuf::from).collect();
            rw.push(dir.to_path_buf());
            let policy = landlock::Policy {
                read_exec: &ro,
                read_write: &rw,
            };
            Some(
                landlock::Ruleset::build(self.caps.landlock_abi, &policy)
                    .map_err(io_ctx("building the Landlock ruleset"))?,
            )
        } else {
            None
        };
        let child_setup = ChildSetup {
            rlimits: limits.rlimits(self.lease.is_some()),
            uid: self.lease.as_ref().map(|l| l.uid),
            net_flags: match self.caps.network {
                NetIsolation::Namespace => libc::CLONE_NEWNET,
                NetIsolation::UserNamespace => libc::CLONE_NEWUSER | libc::CLONE_NEWNET,
                NetIsolation::None => 0,
            },
            landlock_fd: ruleset.as_ref().map(|r| r.raw_fd()),
            seccomp: if self.caps.seccomp {
                seccomp::filter()
            } else {
                Vec::new()
            },
        };

        let mut cmd = Command::new(program);
        cmd.args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", "/usr/local/bin:/usr/bin:/bin")
            .env("HOME", dir)
            .env("TMPDIR", dir)
            .env("LC_ALL", "C")
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        // SAFETY: the closure only makes raw syscalls on data prepared before the fork.
        unsafe {
            cmd.pre_exec(move || child_setup.apply());
        }
        let start = Instant::now();
        let child = cmd
            .spawn()
            .map_err(io_ctx(format!("starting {}", program.display())))?;
        drop(ruleset);
        let pid = child.id() as libc::pid_t;
        let (termination, cpu) = wait_with_deadline(pid, start + limits.wall);
        let wall = start.elapsed();
        // Whatever the group or the uid still runs (daemonised fork-bomb children) dies now.
        // SAFETY: signalling a process group we created.
        unsafe { libc::kill(-pid, libc::SIGKILL) };
        if let Some(l) = &self.lease {
            sweep_uid(l.uid);
        }
        Ok(RunOutput {
            termination,
            stdout: read_kept(out_keep),
            stderr: read_kept(err_keep),
            wall_seconds: wall.as_secs_f64(),
            cpu_seconds: cpu.as_secs_f64(),
        })
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Some(l) = &self.lease {
            sweep_uid(l.uid);
        }
        if let Some(d) = self.dir.take() {
            let path = d.path().to_path_buf();
            // The command may have left a read-only tree (chmod 000) behind; as non-root make
            // it writable again before removing. Root ignores permissions.
            if d.close().is_err() {
                make_writable(&path);
                let _ = std::fs::remove_dir_all(&path);
            }
        }
    }
}

/// A fresh output file we can read back (the child gets a write descriptor to the same file).
fn output_file(path: &Path) -> Result<File> {
    let _ = std::fs::remove_file(path);
    std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| VerifyError::Write {
            path: path.to_path_buf(),
            source,
        })
}

fn make_writable(path: &Path) {
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700));
    if let Ok(rd) = std::fs::read_dir(path) {
        for e in rd.flatten() {
            if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                make_writable(&e.path());
            }
        }
    }
}

/// Reads what the command wrote through our own descriptor: the command may have replaced
/// the file's name with a symlink to something only we can read.
fn read_kept(mut f: File) -> String {
    let mut buf = Vec::new();
    if f.seek(SeekFrom::Start(0)).is_ok() {
        let _ = f.take(KEEP_OUTPUT).read_to_end(&mut buf);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// Reads at most `limit` bytes of a regular file a sandboxed command produced, without
/// following a symlink in its last component (the command owns the directory).
pub fn read_regular(path: &Path, limit: u64) -> std::io::Result<Vec<u8>> {
    use std::os::unix::fs::OpenOptionsExt;
    let f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)?;
    if !f.metadata()?.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "not a regular file",
        ));
    }
    let mut buf = Vec::new();
    f.take(limit).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Everything the child does between fork and exec, prepared by the parent.
struct ChildSetup {
    rlimits: Vec<(libc::__rlimit_resource_t, u64, u64)>,
    uid: Option<u32>,
    net_flags: libc::c_int,
    landlock_fd: Option<i32>,
    seccomp: Vec<libc::sock_filter>,
}

// SAFETY: plain data; the raw filter pointers inside are only read in the forked child.
unsafe impl Send for ChildSetup {}
unsafe impl Sync for ChildSetup {}

impl ChildSetup {
    /// Runs in the forked child: only async-signal-safe syscalls, no allocation.
    fn apply(&self) -> std::io::Result<()> {
        let last = std::io::Error::last_os_error;
        // SAFETY: raw syscalls with valid arguments.
        unsafe {
            if libc::setpgid(0, 0) != 0 {
                return Err(last());
            }
            // If the verifier dies, its direct children die with it.
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if self.net_flags != 0 && libc::unshare(self.net_flags) != 0 {
                return Err(last());
            }
            for &(res, soft, hard) in &self.rlimits {
                let r = libc::rlimit {
                    rlim_cur: soft,
                    rlim_max: hard,
                };
                if libc::setrlimit(res, &r) != 0 {
                    return Err(last());
                }
            }
            if let Some(uid) = self.uid {
                if libc::setgroups(0, std::ptr::null()) != 0
                    || libc::setgid(uid) != 0
                    || libc::setuid(uid) != 0
                {
                    return Err(last());
                }
            }
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 {
                return Err(last());
            }
        }
        if let Some(fd) = self.landlock_fd {
            landlock::Ruleset::restrict_self_raw(fd)?;
        }
        seccomp::install_raw(&self.seccomp)
    }
}

/// Polls `wait4` until the child exits or the deadline passes, then kills its process group.
/// Returns how it ended and the CPU time of the child and its reaped descendants.
fn wait_with_deadline(pid: libc::pid_t, deadline: Instant) -> (Termination, Duration) {
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid out-parameter.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let mut pause = Duration::from_micros(500);
    let mut timed_out = false;
    loop {
        // SAFETY: waiting on our own child.
        let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
        if r == pid {
            break;
        }
        if r < 0 && std::io::Error::last_os_error().raw_os_error() != Some(libc::EINTR) {
            // Lost the child (should not happen): report it as killed.
            return (Termination::Signaled(libc::SIGKILL), Duration::ZERO);
        }
        if !timed_out && Instant::now() >= deadline {
            timed_out = true;
            // SAFETY: the child made itself leader of process group `pid`.
            unsafe { libc::kill(-pid, libc::SIGKILL) };
            pause = Duration::from_millis(1);
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(10));
    }
    let cpu = tv(ru.ru_utime) + tv(ru.ru_stime);
    let termination = if timed_out {
        Termination::WallTimeout
    } else if libc::WIFEXITED(status) {
        Termination::Exited(libc::WEXITSTATUS(status))
    } else {
        Termination::Signaled(libc::WTERMSIG(status))
    };
    (termination, cpu)
}

fn tv(t: libc::timeval) -> Duration {
    Duration::from_secs(t.tv_sec.max(0) as u64) + Duration::from_micros(t.tv_usec.max(0) as u64)
}

/// Kills every process owned by `uid` — including ones that left the process group with
/// setsid — by forking a helper that takes that uid and signals everything it may signal,
/// until /proc shows none of them alive.
fn sweep_uid(uid: u32) {
    for _ in 0..200 {
        if !uid_has_live_processes(uid) {
            return;
        }
        // SAFETY: the helper child only makes raw syscalls and `_exit`s.
        unsafe {
            let pid = libc::fork();
            if pid < 0 {
                return;
            }
            if pid == 0 {
                if libc::setgid(uid) != 0 || libc::setuid(uid) != 0 {
                    libc::_exit(2);
                }
                libc::kill(-1, libc::SIGKILL);
                libc::_exit(0);
            }
            let mut status = 0;
            while libc::waitpid(pid, &mut status, 0) < 0 {
                if *libc::__errno_location() != libc::EINTR {
                    return;
                }
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Whether a non-zombie process with effective uid `uid` exists (zombies hold no resources
/// but a slot, and init reaps them).
fn uid_has_live_processes(uid: u32) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return false;
    };
    for e in rd.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        // /proc/<pid> is owned by the process's effective uid.
        if e.metadata().map(|m| m.uid() == uid).unwrap_or(false) {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let state = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.trim_start().chars().next());
            if !matches!(state, Some('Z') | Some('X') | None) {
                return true;
            }
        }
    }
    false
}

/// User+system CPU seconds of this process and every child it has reaped (compilers and
/// testbenches included): the denominator of a per-core throughput that machine load does
/// not distort.
pub fn cpu_seconds_used() -> f64 {
    let mut total = Duration::ZERO;
    for who in [libc::RUSAGE_SELF, libc::RUSAGE_CHILDREN] {
        // SAFETY: zeroed rusage is a valid out-parameter.
        let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
        // SAFETY: valid pointer to our own struct.
        if unsafe { libc::getrusage(who, &mut ru) } == 0 {
            total += tv(ru.ru_utime) + tv(ru.ru_stime);
        }
    }
    total.as_secs_f64()
}
