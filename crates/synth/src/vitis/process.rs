//! Running the tool: its own process group (so a timeout kills the whole tree the tool spawns,
//! not just the wrapper script), output to a log file, and a wall-clock limit.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

pub enum RunEnd {
    Exited(ExitStatus),
    TimedOut,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot run {tool}: {source}")]
pub struct SpawnError {
    pub tool: String,
    pub source: std::io::Error,
}

/// Run `tool args` in `dir` with stdout and stderr appended to `log`, killing the process
/// group after `timeout`.
pub fn run(tool: &Path, args: &[&str], dir: &Path, log: &Path, timeout: Duration) -> Result<RunEnd, SpawnError> {
    let spawn_err = |source| SpawnError { tool: tool.display().to_string(), source };
    let out = std::fs::File::create(log).map_err(spawn_err)?;
    let err = out.try_clone().map_err(spawn_err)?;
    let mut cmd = Command::new(tool);
    cmd.args(args).current_dir(dir).stdin(Stdio::null()).stdout(out).stderr(err);
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = cmd.spawn().map_err(spawn_err)?;
    let start = Instant::now();
    let mut pause = Duration::from_millis(5);
    loop {
        if let Some(status) = child.try_wait().map_err(spawn_err)? {
            return Ok(RunEnd::Exited(status));
        }
        if start.elapsed() >= timeout {
            kill_group(&mut child);
            let _ = child.wait();
            return Ok(RunEnd::TimedOut);
        }
        std::thread::sleep(pause.min(timeout.saturating_sub(start.elapsed())).max(Duration::from_millis(1)));
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        // The child leads its own group (process_group(0)), so -pid names the whole tree.
        let pid = child.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid only sends a signal; no memory is touched.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
}

/// The first executable named `name` on `PATH`.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| is_executable(p))
}

pub fn is_executable(p: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(p).map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0).unwrap_or(false)
    }
    #[cfg(not(unix))]
    {
        p.is_file()
    }
}

/// The last `n` lines of a log that look like errors, for failure messages.
pub fn error_lines(log: &str, n: usize) -> Vec<String> {
    let errs: Vec<&str> = log
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("ERROR") || t.contains(" error:") || t.starts_with("error:")
        })
        .collect();
    errs[errs.len().saturating_sub(n)..].iter().map(|l| l.trim().to_string()).collect()
}
