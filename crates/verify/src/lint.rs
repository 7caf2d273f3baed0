//! Synthesizability lint on the candidate's syntax tree (tree-sitter-cpp), graded as Vitis HLS
//! grades it: recursion, dynamic memory and system/library calls that have no hardware meaning
//! are synthesis errors; loops whose trip count cannot be bounded without a `LOOP_TRIPCOUNT`
//! pragma, and console output (dropped by synthesis), are warnings.

use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use tree_sitter::{Node, Parser};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable rule id: recursion, dynamic-memory, unsupported-call, unsupported-type,
    /// unbounded-loop, variable-trip-count, console-output, missing-top.
    pub rule: &'static str,
    /// 1-based line in the candidate.
    pub line: usize,
    pub message: String,
}

const ALLOC_CALLS: &[&str] = &[
    "malloc",
    "calloc",
    "realloc",
    "free",
    "aligned_alloc",
    "posix_memalign",
    "alloca",
];
const UNSUPPORTED_CALLS: &[&str] = &[
    "system",
    "popen",
    "pclose",
    "fork",
    "vfork",
    "execl",
    "execlp",
    "execle",
    "execv",
    "execvp",
    "execve",
    "fopen",
    "fclose",
    "fread",
    "fwrite",
    "fgets",
    "fputs",
    "fscanf",
    "fseek",
    "ftell",
    "remove",
    "rename",
    "open",
    "close",
    "read",
    "write",
    "unlink",
    "socket",
    "connect",
    "bind",
    "listen",
    "accept",
    "send",
    "recv",
    "pthread_create",
    "pthread_join",
    "exit",
    "_exit",
    "abort",
    "atexit",
    "sleep",
    "usleep",
    "nanosleep",
    "getenv",
    "setjmp",
    "longjmp",
    "time",
    "clock",
    "rand",
    "srand",
    "signal",
    "raise",
    "kill",
    "mmap",
];
const CONSOLE_CALLS: &[&str] = &["printf", "puts", "putchar", "fprintf", "perror"];
const UNSUPPORTED_TYPES: &[&str] = &[
    "thread",
    "mutex",
    "condition_variable",
    "future",
    "async",
    "vector",
    "string",
    "map",
    "unordered_map",
    "set",
    "unordered_set",
    "list",
    "deque",
    "shared_ptr",
    "unique_ptr",
    "function",
    "ifstream",
    "ofstream",
    "fstream",
];

/// Lints `source`. `top` is the function the task synthesizes; findings are sorted by line.
/// A source tree-sitter cannot parse yields no findings: the syntax stage owns that verdict.
pub fn lint(source: &str, top: &str) -> Vec<Finding> {
    lint_with_headers(source, top, &[])
}

/// Like [`lint`], with the task's headers as context: their macros and constants count as
/// compile-time loop bounds.
pub fn lint_with_headers(source: &str, top: &str, headers: &[String]) -> Vec<Finding> {
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_cpp::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    let mut consts = BTreeSet::new();
    for h in headers {
        if let Some(tree) = parser.parse(h, None) {
            let mut hl = Linter {
                src: h.as_bytes(),
                findings: Vec::new(),
                consts: BTreeSet::new(),
            };
            hl.collect_consts(tree.root_node());
            consts.extend(hl.consts);
        }
    }
    let Some(tree) = parser.parse(source, None) else {
        return Vec::new();
    };
    let mut l = Linter {
        src: source.as_bytes(),
        findings: Vec::new(),
        consts,
    };
    let root = tree.root_node();
    l.collect_consts(root);
    let mut defs: BTreeMap<String, (usize, BTreeSet<String>)> = BTreeMap::new();
    for f in descendants(root).filter(|n| n.kind() == "function_definition") {
        let Some(name) = function_name(f, l.src) else {
            continue;
        };
        let mut calls = BTreeSet::new();
        if let Some(body) = f.child_by_field_name("body") {
            l.check_body(body, &mut calls);
        }
        defs.entry(name)
            .or_insert((f.start_position().row + 1, BTreeSet::new()))
            .1
            .extend(calls);
    }
    l.check_types(root);
    for cycle in cycles(&defs) {
        let line = defs.get(&cycle[0]).map_or(1, |d| d.0);
        l.push(
            Severity::Error,
            "recursion",
            line,
            format!("recursion is not synthesizable: {}", cycle.join(" -> ")),
        );
    }
    if !defs.contains_key(top) {
        l.push(
            Severity::Warning,
            "missing-top",
            1,
            format!("the candidate defines no function `{top}`"),
        );
    }
    let mut f = l.findings;
    f.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    f.dedup();
    f
}

struct Linter<'a> {
    src: &'a [u8],
    findings: Vec<Finding>,
    /// Names that are compile-time constants here: macros, const/constexpr variables,
    /// enumerators, template parameters.
    consts: BTreeSet<String>,
}

fn descendants<'t>(root: Node<'t>) -> impl Iterator<Item = Node<'t>> {
    let mut stack = vec![root];
    std::iter::from_fn(move || {
        let n = stack.pop()?;
        let mut c = n.walk();
        let kids: Vec<Node<'t>> = n.children(&mut c).collect();
        stack.extend(kids.into_iter().rev());
        Some(n)
    })
}

fn text<'a>(n: Node<'_>, src: &'a [u8]) -> &'a str {
    n.utf8_text(src).unwrap_or("")
}

/// The unqualified name of a function definition (`ns::Cls::f` -> `f`).
fn function_name(def: Node<'_>, src: &[u8]) -> Option<String> {
    let mut d = def.child_by_field_name("declarator")?;
    while d.kind() != "function_declarator" {
        d = d.child_by_field_name("declarator")?;
    }
    let name = d.child_by_field_name("declarator")?;
    Some(last_segment(text(name, src)).to_string())
}

fn last_segment(s: &str) -> &str {
    let s = s.split('<').next().unwrap_or(s);
    s.rsplit("::").next().unwrap_or(s).trim()
}

impl Linter<'_> {
    fn push(&mut self, severity: Severity, rule: &'static str, line: usize, message: String) {
        self.findings.push(Finding {
            severity,
            rule,
            line,
            message,
        });
    }

    fn collect_consts(&mut self, root: Node<'_>) {
        for n in descendants(root) {
            match n.kind() {
                "preproc_def" | "preproc_function_def" => {
                    if let Some(name) = n.child_by_field_name("name") {
                        self.consts.insert(text(name, self.src).to_string());
                    }
                }
                "enumerator" | "parameter_declaration"
                    if n.parent()
                        .is_some_and(|p| p.kind() == "template_parameter_list")
                        || n.kind() == "enumerator" =>
                {
                    if let Some(name) = n
                        .child_by_field_name("name")
                        .or_else(|| n.child_by_field_name("declarator"))
                    {
                        self.consts.insert(text(name, self.src).to_string());
                    }
                }
                "declaration" => {
                    let t = text(n, self.src);
                    if t.starts_with("const ")
                        || t.starts_with("constexpr ")
                        || t.starts_with("static const")
                    {
                        let mut c = n.walk();
                        for d in n.children_by_field_name("declarator", &mut c) {
                            let name = d.child_by_field_name("declarator").unwrap_or(d);
                            self.consts
                                .insert(last_segment(text(name, self.src)).to_string());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn check_body(&mut self, body: Node<'_>, calls: &mut BTreeSet<String>) {
        for n in descendants(body) {
            let line = n.start_position().row + 1;
            match n.kind() {
                "new_expression" => self.push(
                    Severity::Error,
                    "dynamic-memory",
                    line,
                    "`new` allocates dynamic memory, which HLS cannot synthesize".into(),
                ),
                "delete_expression" => self.push(
                    Severity::Error,
                    "dynamic-memory",
                    line,
                    "`delete` frees dynamic memory, which HLS cannot synthesize".into(),
                ),
                "call_expression" => {
                    let Some(f) = n.child_by_field_name("function") else {
                        continue;
                    };
                    let full = text(f, self.src);
                    let name = last_segment(full);
                    let std_or_global =
                        !full.contains("::") || full.starts_with("std::") || full.starts_with("::");
                    if f.kind() != "field_expression" && std_or_global {
                        if ALLOC_CALLS.contains(&name) {
                            self.push(
                                Severity::Error,
                                "dynamic-memory",
                                line,
                                format!("`{name}` is dynamic memory, which HLS cannot synthesize"),
                            );
                        } else if UNSUPPORTED_CALLS.contains(&name) {
                            self.push(
                                Severity::Error,
                                "unsupported-call",
                                line,
                                format!(
                                    "`{name}` is a system/library call with no hardware equivalent"
                                ),
                            );
                        } else if CONSOLE_CALLS.contains(&name) {
                            self.push(
                                Severity::Warning,
                                "console-output",
                                line,
                                format!("`{name}` is ignored by synthesis (testbench-only)"),
                            );
                        }
                    }
                    calls.insert(name.to_string());
                }
                "for_statement" | "for_range_loop" | "while_statement" | "do_statement" => {
                    self.check_loop(n)
                }
                "identifier" | "qualified_identifier"
                    if text(n, self.src).starts_with("std::cout")
                        || text(n, self.src).starts_with("std::cerr")
                        || matches!(text(n, self.src), "cout" | "cerr") =>
                {
                    self.push(
                        Severity::Warning,
                        "console-output",
                        line,
                        "console output is ignored by synthesis (testbench-only)".into(),
                    );
                }
                _ => {}
            }
        }
    }

    fn check_types(&mut self, root: Node<'_>) {
        let using_std = text(root, self.src).contains("using namespace std");
        for n in descendants(root) {
            let t = text(n, self.src);
            let name = match n.kind() {
                "qualified_identifier" if t.starts_with("std::") => last_segment(t),
                "type_identifier"
                    if using_std
                        && n.parent()
                            .is_some_and(|p| p.kind() != "qualified_identifier") =>
                {
                    t
                }
                _ => continue,
            };
            if UNSUPPORTED_TYPES.contains(&name) {
                let line = n.start_position().row + 1;
                self.push(
                    Severity::Error,
                    "unsupported-type",
                    line,
                    format!(
                        "`std::{name}` needs dynamic memory or an OS; HLS cannot synthesize it"
                    ),
                );
            }
        }
    }

    fn check_loop(&mut self, n: Node<'_>) {
        let line = n.start_position().row + 1;
        let body = n.child_by_field_name("body");
        let has_tripcount = body
            .map(|b| {
                text(b, self.src)
                    .to_ascii_uppercase()
                    .contains("LOOP_TRIPCOUNT")
            })
            .unwrap_or(false);
        if has_tripcount || n.kind() == "for_range_loop" {
            return;
        }
        let cond = n.child_by_field_name("condition");
        let cond_text = cond.map(|c| {
            text(c, self.src)
                .trim_matches(|ch: char| ch == '(' || ch == ')' || ch.is_whitespace())
                .to_string()
        });
        let constant_true = match &cond_text {
            None => n.kind() == "for_statement",
            Some(c) => c == "true" || c.parse::<i64>().is_ok_and(|v| v != 0),
        };
        if constant_true {
            self.push(
                Severity::Warning,
                "unbounded-loop",
                line,
                "unbounded loop without `#pragma HLS LOOP_TRIPCOUNT`: latency cannot be bounded"
                    .into(),
            );
            return;
        }
        let bounded = match (n.kind(), cond) {
            ("for_statement", Some(c)) => self.is_constant_bound(c),
            _ => false,
        };
        if !bounded {
            self.push(Severity::Warning, "variable-trip-count", line, "loop trip count is not a compile-time constant and there is no `#pragma HLS LOOP_TRIPCOUNT`".into());
        }
    }

    /// `i < N` style conditions where the side without the induction variable is a literal or
    /// a known constant (macro, const variable, enumerator, template parameter).
    fn is_constant_bound(&self, cond: Node<'_>) -> bool {
        if cond.kind() != "binary_expression" {
            return false;
        }
        let (Some(l), Some(r)) = (
            cond.child_by_field_name("left"),
            cond.child_by_field_name("right"),
        ) else {
            return false;
        };
        self.is_constant(l) || self.is_constant(r)
    }

    fn is_constant(&self, n: Node<'_>) -> bool {
        match n.kind() {
            "number_literal" | "sizeof_expression" => true,
            "identifier" => {
                let t = text(n, self.src);
                // ALL_CAPS names are macros by convention, single letters (N, M) included.
                self.consts.contains(t)
                    || (t.starts_with(|c: char| c.is_ascii_uppercase())
                        && t.chars()
                            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_'))
            }
            "parenthesized_expression" | "binary_expression" => {
                let mut c = n.walk();
                let kids: Vec<Node<'_>> = n.named_children(&mut c).collect();
                !kids.is_empty() && kids.iter().all(|k| self.is_constant(*k))
            }
            _ => false,
        }
    }
}

/// Every call-graph cycle among the defined functions, each reported once from its smallest name.
fn cycles(defs: &BTreeMap<String, (usize, BTreeSet<String>)>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut reported = BTreeSet::new();
    for start in defs.keys() {
        // DFS from `start` looking for a path back to it through defined functions only.
        let mut stack: Vec<(String, Vec<String>)> = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            let Some((_, callees)) = defs.get(&node) else {
                continue;
            };
            for c in callees {
                if c == start {
                    let members: BTreeSet<String> = path.iter().cloned().collect();
                    if reported.insert(members) {
                        let mut cyc = path.clone();
                        cyc.push(start.clone());
                        out.push(cyc);
                    }
                } else if defs.contains_key(c) && seen.insert(c.clone()) {
                    let mut p = path.clone();
                    p.push(c.clone());
                    stack.push((c.clone(), p));
                }
            }
        }
    }
    out
}

/// Whether any finding is a synthesis error.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(src: &str) -> Vec<(&'static str, Severity)> {
        lint(src, "top")
            .into_iter()
            .map(|f| (f.rule, f.severity))
            .collect()
    }

    #[test]
    fn clean_kernel_has_no_findings() {
        let src = "#define N 16\nvoid top(int a[N], int b[N]) {\n  for (int i = 0; i < N; i++) {\n#pragma HLS PIPELINE\n    b[i] = a[i] * 2;\n  }\n}\n";
        assert_eq!(rules(src), vec![]);
    }

    #[test]
    fn direct_and_mutual_recursion_are_errors() {
        let src = "int fact(int n) { return n ? n * fact(n - 1) : 1; }\nint even(int n);\nint odd(int n) { return n ? even(n-1) : 0; }\nint even(int n) { return n ? odd(n-1) : 1; }\nvoid top(int *x) { *x = fact(*x) + even(*x); }\n";
        let f = lint(src, "top");
        let rec: Vec<&Finding> = f.iter().filter(|f| f.rule == "recursion").collect();
        assert_eq!(rec.len(), 2, "{f:?}");
        assert!(rec.iter().all(|f| f.severity == Severity::Error));
        assert!(rec
            .iter()
            .any(|f| f.message.contains("even") && f.message.contains("odd")));
    }

    #[test]
    fn dynamic_memory_and_system_calls_are_errors() {
        let src = "#include <cstdlib>\nvoid top(int *x) {\n  int *p = (int*)malloc(4);\n  int *q = new int[4];\n  delete[] q;\n  free(p);\n  system(\"ls\");\n  FILE *f = fopen(\"a\", \"r\");\n}\n";
        let r = rules(src);
        assert_eq!(
            r.iter()
                .filter(|(k, s)| *k == "dynamic-memory" && *s == Severity::Error)
                .count(),
            4,
            "{r:?}"
        );
        assert_eq!(
            r.iter().filter(|(k, _)| *k == "unsupported-call").count(),
            2,
            "{r:?}"
        );
    }

    #[test]
    fn std_containers_and_threads_are_errors() {
        let r = rules(
            "#include <vector>\nvoid top(int *x) { std::vector<int> v(4); std::thread t; }\n",
        );
        assert_eq!(
            r.iter().filter(|(k, _)| *k == "unsupported-type").count(),
            2,
            "{r:?}"
        );
    }

    #[test]
    fn unbounded_loops_warn_unless_tripcount_given() {
        let src = "void top(int *x, int n) {\n  while (1) { if (*x) break; }\n  for (int i = 0; i < n; i++) { x[i] = 0; }\n  for (int i = 0; i < n; i++) {\n#pragma HLS LOOP_TRIPCOUNT min=1 max=64\n    x[i] = 1;\n  }\n}\n";
        let f = lint(src, "top");
        assert_eq!(
            f.iter().map(|f| (f.rule, f.line)).collect::<Vec<_>>(),
            vec![("unbounded-loop", 2), ("variable-trip-count", 3)]
        );
        assert!(f.iter().all(|f| f.severity == Severity::Warning));
        assert!(!has_errors(&f));
    }

    #[test]
    fn header_constants_bound_loops() {
        let src = "void top(int *x) { for (int i = 0; i < len; i++) x[i] = 0; for (int i = 0; i < Size; i++) x[i] = 1; }\n";
        let f = lint_with_headers(src, "top", &["const int len = 8;\n".to_string()]);
        assert_eq!(
            f.iter().map(|f| (f.rule, f.line)).collect::<Vec<_>>(),
            vec![("variable-trip-count", 1)]
        );
        assert_eq!(
            f.len(),
            1,
            "only the `Size` loop lacks a known bound: {f:?}"
        );
    }

    #[test]
    fn printf_is_a_warning_and_missing_top_is_reported() {
        let r = rules("#include <cstdio>\nvoid other(int x) { printf(\"%d\", x); }\n");
        assert!(r.contains(&("console-output", Severity::Warning)));
        assert!(r.contains(&("missing-top", Severity::Warning)));
    }

    #[test]
    fn member_calls_named_like_libc_are_not_flagged() {
        let r = rules("struct S { int read(); };\nvoid top(S &s, int *x) { *x = s.read(); }\n");
        assert_eq!(r, vec![]);
    }
}
