//! The pipeline's stages on the shipped `vadd`/`prefix_sum` tasks: extraction from answers,
//! lint verdicts, golden-output comparison, and the report's JSON shape.

mod common;

use hlsseek_verify::{Candidate, Outcome, Stage};

fn vadd_ref() -> String {
    std::fs::read_to_string(common::tasks_dir().join("vadd/vadd.cpp")).unwrap()
}

#[test]
fn answer_with_output_code_tags_is_extracted_and_passes() {
    let t = common::task("vadd");
    let answer = format!(
        "Sure! Here is the kernel.\n<OUTPUT_CODE name=\"vadd.cpp\">\n{}</OUTPUT_CODE>\nDone.",
        vadd_ref()
    );
    let r = common::shared_verifier().verify(&t, &Candidate::Answer(answer));
    assert!(r.passed, "{r:#?}");
}

#[test]
fn answer_with_fenced_block_is_extracted_and_passes() {
    let t = common::task("vadd");
    let answer = format!("```cpp\n{}```\n", vadd_ref());
    let r = common::shared_verifier().verify(&t, &Candidate::Answer(answer));
    assert!(r.passed, "{r:#?}");
}

#[test]
fn answer_without_code_fails_at_extract() {
    let t = common::task("vadd");
    let r =
        common::shared_verifier().verify(&t, &Candidate::Answer("I would add the vectors.".into()));
    assert_eq!(
        (r.passed, r.stage, r.outcome),
        (false, Stage::Extract, Outcome::Fail)
    );
    assert!(r.messages.is_empty(), "nothing should have been compiled");
}

#[test]
fn recursion_fails_at_lint_even_though_it_computes_the_right_answer() {
    let t = common::task("vadd");
    let src = "#include \"vadd.h\"\nstatic void add_from(const int a[N], const int b[N], int c[N], int i) {\n  if (i == N) return;\n  c[i] = a[i] + b[i];\n  add_from(a, b, c, i + 1);\n}\nvoid vadd(const int a[N], const int b[N], int c[N]) { add_from(a, b, c, 0); }\n";
    let r = common::shared_verifier().verify(&t, &Candidate::Source(src.into()));
    assert_eq!(
        (r.passed, r.stage, r.outcome),
        (false, Stage::Lint, Outcome::Fail),
        "{r:#?}"
    );
    assert!(r.lint.iter().any(|f| f.rule == "recursion"));
}

#[test]
fn dynamic_memory_fails_at_lint() {
    let t = common::task("vadd");
    let src = "#include \"vadd.h\"\nvoid vadd(const int a[N], const int b[N], int c[N]) {\n  int *t = new int[N];\n  for (int i = 0; i < N; i++) t[i] = a[i] + b[i];\n  for (int i = 0; i < N; i++) c[i] = t[i];\n  delete[] t;\n}\n";
    let r = common::shared_verifier().verify(&t, &Candidate::Source(src.into()));
    assert_eq!((r.stage, r.outcome), (Stage::Lint, Outcome::Fail), "{r:#?}");
}

#[test]
fn lint_warnings_do_not_fail_a_correct_candidate() {
    let t = common::task("vadd");
    let src = "#include \"vadd.h\"\nvoid vadd(const int a[N], const int b[N], int c[N]) {\n  int i = 0;\n  while (i < N) { c[i] = a[i] + b[i]; i++; }\n}\n";
    let r = common::shared_verifier().verify(&t, &Candidate::Source(src.into()));
    assert!(r.passed, "{r:#?}");
    assert!(
        r.lint.iter().any(|f| f.rule == "variable-trip-count"),
        "{:?}",
        r.lint
    );
}

#[test]
fn syntax_error_beats_lint_error() {
    let t = common::task("vadd");
    let src = "#include \"vadd.h\"\nvoid vadd(const int a[N], const int b[N], int c[N]) { int *p = new int; c[0] = a[0] + b[0] }\n";
    let r = common::shared_verifier().verify(&t, &Candidate::Source(src.into()));
    assert_eq!(
        (r.stage, r.outcome),
        (Stage::Syntax, Outcome::Fail),
        "{r:#?}"
    );
    assert!(r.detail.contains("error"), "{}", r.detail);
}

#[test]
fn golden_output_mismatch_fails_at_compare() {
    let t = common::task("prefix_sum");
    let src = std::fs::read_to_string(t.dir.join("prefix_sum.cpp"))
        .unwrap()
        .replace("out[i] = acc;", "out[i] = acc + (i == 31);");
    let r = common::shared_verifier().verify(&t, &Candidate::Source(src));
    assert_eq!(
        (r.passed, r.stage, r.outcome),
        (false, Stage::Compare, Outcome::Fail),
        "{r:#?}"
    );
    assert!(r.detail.contains("token 32"), "{}", r.detail);
}

#[test]
fn report_json_has_the_documented_fields() {
    let t = common::task("vadd");
    let r = common::shared_verifier().verify(&t, &Candidate::Source(vadd_ref()));
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["passed"], true);
    assert_eq!(j["stage"], "run");
    assert_eq!(j["outcome"], "pass");
    assert!(j["seconds"].as_f64().unwrap() > 0.0);
    let msgs = j["messages"].as_array().unwrap();
    assert_eq!(
        msgs.iter()
            .map(|m| m["stage"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["compile", "compile", "run"]
    );
    assert!(msgs[2]["stdout"].as_str().unwrap().contains("PASS"));
}

#[test]
fn clang_is_a_drop_in_compiler_where_installed() {
    let on_path = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join("clang++").is_file()));
    if !on_path {
        eprintln!("skipped: clang++ not installed");
        return;
    }
    let v = hlsseek_verify::Verifier::new(hlsseek_verify::VerifyConfig {
        compiler: "clang++".into(),
        headers: hlsseek_verify::HeaderSource::Dir(common::hls_headers()),
        ..Default::default()
    })
    .unwrap();
    assert!(!v.uses_pch(), "GCC precompiled headers are not for clang");
    let t = common::task("relu_clip");
    let good = std::fs::read_to_string(t.dir.join("relu_clip.cpp")).unwrap();
    let bad = std::fs::read_to_string(t.dir.join("broken/off_by_one.cpp")).unwrap();
    let r = v.verify(&t, &Candidate::Source(good));
    assert!(r.passed, "{r:#?}");
    assert!(r.messages[0].command.starts_with("clang++"));
    let r = v.verify(&t, &Candidate::Source(bad));
    assert_eq!((r.stage, r.outcome), (Stage::Run, Outcome::Fail));
}
