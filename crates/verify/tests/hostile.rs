//! Hostile candidates are contained, reported, and leave no trace; the verifier keeps serving.
//! Lint is off here so each candidate reaches the sandbox (lint would reject most of them).

mod common;

use hlsseek_verify::sandbox::NetIsolation;
use hlsseek_verify::{
    Candidate, HeaderSource, Outcome, Report, Stage, Task, Verifier, VerifyConfig,
};
use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::sync::OnceLock;

const GOOD: &str = "#include \"hostile.h\"\nint kernel(int x) { return x + 1; }\n";

/// A tiny plain-C++ task: the testbench passes iff kernel(1) == 2.
fn task() -> &'static Task {
    static T: OnceLock<(tempfile::TempDir, Task)> = OnceLock::new();
    &T.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("hostile.h"), "#pragma once\nint kernel(int x);\n").unwrap();
        std::fs::write(
            d.path().join("hostile_tb.cpp"),
            "#include <cstdio>\n#include \"hostile.h\"\nint main() { int r = kernel(1); printf(\"kernel(1) = %d\\n\", r); return r == 2 ? 0 : 1; }\n",
        )
        .unwrap();
        std::fs::write(d.path().join("task.toml"), "top = \"kernel\"\nheader = \"hostile.h\"\ntestbench = \"hostile_tb.cpp\"\n").unwrap();
        let t = Task::load(d.path()).unwrap();
        (d, t)
    })
    .1
}

fn verifier() -> &'static Verifier {
    static V: OnceLock<Verifier> = OnceLock::new();
    V.get_or_init(|| {
        Verifier::new(VerifyConfig {
            headers: HeaderSource::AutoOptional,
            run_limits: common::tight_run_limits(),
            lint: false,
            ..VerifyConfig::default()
        })
        .unwrap()
    })
}

fn verify(src: &str) -> Report {
    verifier().verify(task(), &Candidate::Source(src.to_string()))
}

/// The verifier still passes a correct candidate after whatever came before.
fn assert_still_serving() {
    let r = verify(GOOD);
    assert!(
        r.passed,
        "good candidate failed after a hostile one: {r:#?}"
    );
}

fn all_text(r: &Report) -> String {
    serde_json::to_string(r).unwrap()
}

#[test]
fn good_candidate_passes_and_wrong_one_fails() {
    let r = verify(GOOD);
    assert!(r.passed, "{r:#?}");
    assert_eq!((r.stage, r.outcome), (Stage::Run, Outcome::Pass));
    let r = verify("#include \"hostile.h\"\nint kernel(int x) { return x + 2; }\n");
    assert_eq!(
        (r.passed, r.stage, r.outcome),
        (false, Stage::Run, Outcome::Fail)
    );
}

#[test]
fn infinite_loop_times_out() {
    let r = verify("#include \"hostile.h\"\nint kernel(int x) { volatile int y = x; while (1) { y = y + 1; } return y; }\n");
    assert_eq!(
        (r.stage, r.outcome),
        (Stage::Run, Outcome::Timeout),
        "{r:#?}"
    );
    // The run itself (not the compile, which machine load can slow) stops at the 2 s limit.
    let run = r.messages.last().unwrap();
    assert!(
        run.seconds < 4.0,
        "the run took {} s despite a 2 s limit",
        run.seconds
    );
    assert_still_serving();
}

#[test]
fn fork_bomb_is_contained_and_every_child_is_killed() {
    if !verifier().capabilities().uid_drop {
        // Without a uid of its own RLIMIT_NPROC cannot be set per sandbox (docs/verify.md), and
        // an unbounded fork bomb would take the test machine down with it.
        eprintln!("skipped: not root, so no per-sandbox process limit");
        return;
    }
    // Children rename themselves and leave the process group, so only the uid sweep finds them.
    let r = verify(
        "#include \"hostile.h\"\n#include <unistd.h>\n#include <sys/prctl.h>\n\
         int kernel(int x) { prctl(PR_SET_NAME, \"hlsseek-bomb\"); for (;;) { if (fork() == 0) setsid(); } return x; }\n",
    );
    assert_eq!(r.stage, Stage::Run);
    assert!(
        matches!(r.outcome, Outcome::Timeout | Outcome::ResourceLimit),
        "{r:#?}"
    );
    let survivors = processes_named("hlsseek-bomb");
    assert!(
        survivors.is_empty(),
        "fork-bomb processes survived: {survivors:?}"
    );
    assert_still_serving();
}

fn processes_named(name: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .flatten()
        .filter_map(|e| e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()))
        .filter(|pid| {
            let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let zombie = stat
                .rsplit_once(')')
                .is_some_and(|(_, r)| r.trim_start().starts_with('Z'));
            comm.trim() == name && !zombie
        })
        .collect()
}

#[test]
fn twenty_gigabyte_allocation_hits_the_memory_limit() {
    let r = verify(
        "#include \"hostile.h\"\n#include <cstring>\n\
         int kernel(int x) { char *p = new char[20ULL << 30]; memset(p, 1, 20ULL << 30); return p[x]; }\n",
    );
    assert_eq!(
        (r.stage, r.outcome),
        (Stage::Run, Outcome::ResourceLimit),
        "{r:#?}"
    );
    assert!(all_text(&r).contains("bad_alloc"));
    assert_still_serving();
}

#[test]
fn writing_ten_gigabytes_stops_at_the_file_size_limit() {
    // A private state directory, so that what is left in it afterwards is this run's alone.
    let state = tempfile::tempdir().unwrap();
    let v = common::private_verifier(state.path());
    let src = "#include \"hostile.h\"\n#include <cstdio>\n\
               static char buf[1 << 20];\n\
               int kernel(int x) { FILE *f = fopen(\"big.bin\", \"wb\"); for (int i = 0; i < 10240; i++) fwrite(buf, 1, sizeof buf, f); fclose(f); return x + 1; }\n";
    let r = v.verify(task(), &Candidate::Source(src.into()));
    // SIGXFSZ: the kernel refused to grow the file past 16 MiB.
    assert_eq!(
        (r.stage, r.outcome),
        (Stage::Run, Outcome::ResourceLimit),
        "{r:#?}"
    );
    assert!(r.detail.contains("SIGXFSZ"), "{}", r.detail);
    let left: Vec<PathBuf> = std::fs::read_dir(state.path().join("run"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(
        left.is_empty(),
        "the written file's sandbox was left behind: {left:?}"
    );
    assert!(v.verify(task(), &Candidate::Source(GOOD.into())).passed);
}

/// Directories outside any sandbox: one world-writable (only Landlock protects it), one
/// owned by us with mode 0755 (the uid drop protects it as well).
fn outside_dirs() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    std::fs::set_permissions(d.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let open = d.path().join("open");
    let closed = d.path().join("closed");
    std::fs::create_dir(&open).unwrap();
    std::fs::create_dir(&closed).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    std::fs::set_permissions(&closed, std::fs::Permissions::from_mode(0o755)).unwrap();
    (d, open, closed)
}

#[test]
fn writing_outside_the_sandbox_does_no_harm() {
    let (_d, open, closed) = outside_dirs();
    let targets = [open.join("pwned"), closed.join("pwned")];
    let src = format!(
        "#include \"hostile.h\"\n#include <cstdio>\n\
         static int put(const char *p) {{ FILE *f = fopen(p, \"w\"); if (!f) return 0; fputs(\"pwned\", f); fclose(f); return 1; }}\n\
         int kernel(int x) {{ int n = put(\"{}\") + put(\"{}\"); return n ? -1 : x + 1; }}\n",
        targets[0].display(),
        targets[1].display()
    );
    let r = verify(&src);
    let caps = &r.sandbox;
    if caps.uid_drop || caps.landlock_abi > 0 {
        assert!(
            !targets[1].exists(),
            "wrote into a 0755 directory it does not own"
        );
    }
    if caps.landlock_abi > 0 {
        assert!(
            !targets[0].exists(),
            "Landlock did not stop a write to a world-writable directory"
        );
        // Every write was refused, so the candidate behaves and passes.
        assert!(r.passed, "{r:#?}");
    }
    assert_still_serving();
}

#[test]
fn reading_outside_the_sandbox_leaks_nothing() {
    let (_d, open, closed) = outside_dirs();
    let secret = "HLSSEEK-SECRET-7f3a9c";
    let world_readable = open.join("secret.txt");
    let private = closed.join("secret.txt");
    std::fs::write(&world_readable, secret).unwrap();
    std::fs::write(&private, secret).unwrap();
    std::fs::set_permissions(&world_readable, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
    let src = format!(
        "#include \"hostile.h\"\n#include <cstdio>\n\
         static void leak(const char *p) {{ char b[64] = {{0}}; FILE *f = fopen(p, \"r\"); if (!f) return; fread(b, 1, 63, f); fclose(f); printf(\"%s\\n\", b); fprintf(stderr, \"%s\\n\", b); }}\n\
         int kernel(int x) {{ leak(\"{}\"); leak(\"{}\"); return x + 1; }}\n",
        world_readable.display(),
        private.display()
    );
    let r = verify(&src);
    assert!(r.passed, "{r:#?}");
    let text = all_text(&r);
    if r.sandbox.landlock_abi > 0 {
        assert!(
            !text.contains(secret),
            "a file outside the sandbox leaked into the report"
        );
    } else if r.sandbox.uid_drop {
        // Without Landlock only the 0600 file is protected; the 0644 one is readable (documented).
        assert_eq!(
            text.matches(secret).count(),
            2,
            "expected only the world-readable copy (stdout+stderr)"
        );
    }
    // The compiler is sandboxed too: including the secret does not echo it back.
    let r = verify(&format!(
        "#include \"{}\"\nint kernel(int x) {{ return x + 1; }}\n",
        private.display()
    ));
    assert_eq!(r.outcome, Outcome::Fail);
    assert!(!all_text(&r).contains(secret));
    assert_still_serving();
}

#[test]
fn opening_a_network_connection_is_a_violation_and_reaches_nothing() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    let src = format!(
        "#include \"hostile.h\"\n#include <arpa/inet.h>\n#include <sys/socket.h>\n#include <unistd.h>\n\
         int kernel(int x) {{ int s = socket(AF_INET, SOCK_STREAM, 0); sockaddr_in a{{}}; a.sin_family = AF_INET; a.sin_port = htons({port});\n\
         inet_pton(AF_INET, \"127.0.0.1\", &a.sin_addr); if (s >= 0 && connect(s, (sockaddr *)&a, sizeof a) == 0) {{ write(s, \"hi\", 2); }} return x + 1; }}\n"
    );
    let r = verify(&src);
    let caps = &r.sandbox;
    if caps.seccomp {
        assert_eq!(
            (r.stage, r.outcome),
            (Stage::Run, Outcome::SandboxViolation),
            "{r:#?}"
        );
    }
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        other if caps.seccomp || caps.network != NetIsolation::None || caps.landlock_abi >= 4 => {
            panic!("the sandboxed candidate reached the listener: {other:?}")
        }
        _ => {}
    }
    assert_still_serving();
}

#[test]
fn killing_everything_only_kills_the_candidate() {
    let r = verify("#include \"hostile.h\"\n#include <signal.h>\nint kernel(int x) { kill(-1, SIGKILL); return x + 1; }\n");
    // We are alive to check; the candidate killed at most itself.
    assert!(r.passed || r.outcome != Outcome::Error, "{r:#?}");
    assert_still_serving();
}

#[test]
fn sandbox_directories_are_removed() {
    let state = tempfile::tempdir().unwrap();
    let v = common::private_verifier(state.path());
    // Leaves files, a read-only directory and a background process behind.
    let messy = "#include \"hostile.h\"\n#include <cstdio>\n#include <sys/stat.h>\n#include <unistd.h>\n\
                 int kernel(int x) { mkdir(\"ro\", 0755); FILE *f = fopen(\"ro/f\", \"w\"); if (f) fclose(f); chmod(\"ro\", 0); if (fork() == 0) { setsid(); sleep(30); } return x + 1; }\n";
    for src in [GOOD, messy] {
        let r = v.verify(task(), &Candidate::Source(src.into()));
        assert!(r.passed, "{r:#?}");
    }
    let left: Vec<PathBuf> = std::fs::read_dir(state.path().join("run"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert!(left.is_empty(), "sandbox directories left behind: {left:?}");
}

#[test]
fn the_pool_keeps_serving_under_a_mix_of_hostile_candidates() {
    let hostile = [
        "#include \"hostile.h\"\nint kernel(int x) { volatile int y = x; while (1) y++; return y; }\n",
        "#include \"hostile.h\"\nint kernel(int x) { int *p = 0; return *p + x; }\n",
        "#include \"hostile.h\"\n#include <cstdio>\nint kernel(int x) { FILE *f = fopen(\"fill\", \"w\"); for (;;) fputc('a', f); return x; }\n",
        "#include \"hostile.h\"\nint kernel(int x) { return x + ; }\n",
    ];
    let t = task();
    let mut jobs = Vec::new();
    for h in hostile {
        jobs.push((t, Candidate::Source(h.into())));
        jobs.push((t, Candidate::Source(GOOD.into())));
    }
    let reports = verifier().verify_many(&jobs, 3);
    assert_eq!(reports.len(), jobs.len());
    for (i, r) in reports.iter().enumerate() {
        assert_eq!(r.passed, i % 2 == 1, "job {i}: {r:#?}");
    }
    assert_eq!(reports[6].stage, Stage::Syntax);
    assert_eq!(reports[0].outcome, Outcome::Timeout);
    assert_eq!(
        reports[2].outcome,
        Outcome::Fail,
        "a segfault is a plain failure"
    );
    assert_eq!(reports[4].outcome, Outcome::ResourceLimit);
}

#[test]
fn the_compiler_is_limited_too() {
    // Including /dev/zero makes cc1plus read forever: the compile limits must stop it.
    let v = Verifier::new(VerifyConfig {
        headers: HeaderSource::AutoOptional,
        compile_limits: hlsseek_verify::sandbox::Limits {
            wall: std::time::Duration::from_secs(5),
            cpu_seconds: 5,
            memory_bytes: 512 << 20,
            ..hlsseek_verify::sandbox::Limits::compile_default()
        },
        lint: false,
        ..VerifyConfig::default()
    })
    .unwrap();
    let r = v.verify(
        task(),
        &Candidate::Source("#include \"/dev/zero\"\nint kernel(int x) { return x + 1; }\n".into()),
    );
    assert!(!r.passed);
    assert!(matches!(r.stage, Stage::Syntax | Stage::Compile), "{r:#?}");
    assert!(
        matches!(r.outcome, Outcome::Timeout | Outcome::ResourceLimit),
        "{r:#?}"
    );
    assert!(
        r.messages.iter().all(|m| m.seconds < 8.0),
        "a compile step outlived its 5 s limit: {r:#?}"
    );
    assert!(v.verify(task(), &Candidate::Source(GOOD.into())).passed);
}

#[test]
fn a_state_directory_the_sandbox_cannot_reach_is_a_clear_error() {
    if !verifier().capabilities().uid_drop {
        eprintln!("skipped: without a uid drop every directory we can use is reachable");
        return;
    }
    let outer = tempfile::tempdir().unwrap();
    std::fs::set_permissions(outer.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let err = Verifier::new(VerifyConfig {
        headers: HeaderSource::AutoOptional,
        state_dir: Some(outer.path().join("state")),
        ..VerifyConfig::default()
    })
    .err()
    .expect("a state dir under a 0700 directory must be refused");
    assert!(
        err.to_string().contains("not searchable by other users"),
        "{err}"
    );
}
