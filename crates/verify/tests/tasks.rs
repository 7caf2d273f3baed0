//! Every shipped task: the reference passes; its broken variants (wrong arithmetic, off by
//! one, missing top function) fail functionally; a syntax error fails at the syntax stage.

mod common;

use hlsseek_verify::{Candidate, Outcome, Report, Stage, Task};
use regex::Regex;

fn shipped_tasks() -> Vec<Task> {
    let mut names: Vec<String> = std::fs::read_dir(common::tasks_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.iter().map(|n| common::task(n)).collect()
}

#[test]
fn at_least_ten_tasks_ship_with_references_and_both_layouts() {
    let tasks = shipped_tasks();
    assert!(tasks.len() >= 10, "only {} tasks", tasks.len());
    for t in &tasks {
        assert!(t.reference.is_some(), "{} has no reference", t.name);
        assert!(
            !t.description.trim().is_empty(),
            "{} has no description",
            t.name
        );
        for v in ["arith.cpp", "off_by_one.cpp"] {
            assert!(
                t.dir.join("broken").join(v).is_file(),
                "{} lacks broken/{v}",
                t.name
            );
        }
    }
    assert!(tasks
        .iter()
        .any(|t| t.layout == hlsseek_verify::task::Layout::HlsEval));
    assert!(tasks.iter().any(|t| t.golden_output.is_some()));
}

#[test]
fn references_pass_and_broken_variants_fail() {
    let tasks = shipped_tasks();
    let mut jobs = Vec::new();
    let mut expect = Vec::new();
    for t in &tasks {
        let reference = std::fs::read_to_string(t.reference.as_ref().unwrap()).unwrap();
        let variant = |v: &str| std::fs::read_to_string(t.dir.join("broken").join(v)).unwrap();
        // The definition is renamed; the header's declaration stays, so linking must fail.
        let top = Regex::new(&format!(r"\b{}(\s*\()", t.top)).unwrap();
        let missing = top
            .replace_all(&reference, format!("{}_renamed$1", t.top))
            .into_owned();
        assert_ne!(missing, reference);
        let syntax = format!("{reference}\nint broken_decl( {{ return ; \n");
        for (kind, src) in [
            ("reference", reference.clone()),
            ("arith", variant("arith.cpp")),
            ("off_by_one", variant("off_by_one.cpp")),
            ("missing", missing),
            ("syntax", syntax),
        ] {
            jobs.push((t, Candidate::Source(src)));
            expect.push((t.name.clone(), kind));
        }
    }
    let reports = common::shared_verifier().verify_many(&jobs, 2);
    let mut problems = Vec::new();
    for ((task, kind), r) in expect.iter().zip(&reports) {
        let ok = match *kind {
            "reference" => r.passed && r.outcome == Outcome::Pass,
            "arith" | "off_by_one" => functional_failure(r),
            "missing" => !r.passed && r.stage == Stage::Compile && r.outcome == Outcome::Fail,
            _ => !r.passed && r.stage == Stage::Syntax && r.outcome == Outcome::Fail,
        };
        if !ok {
            problems.push(format!(
                "{task}/{kind}: passed={} stage={:?} outcome={:?} ({})",
                r.passed, r.stage, r.outcome, r.detail
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "unexpected verdicts:\n{}",
        problems.join("\n")
    );
}

/// Compiles, then the testbench or the golden comparison rejects it.
fn functional_failure(r: &Report) -> bool {
    !r.passed && r.outcome == Outcome::Fail && matches!(r.stage, Stage::Run | Stage::Compare)
}
