//! Call-site specialisation: a helper whose loop runs `size` times, called with constant sizes,
//! gets a copy per distinct size with the trip count known (Vitis inlines such helpers; LLVM's
//! IPSCCP propagates a constant every caller agrees on). A run-time size stays unknown.

use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, LoopId};

fn kernel(text: &str) -> Kernel {
    parse_kernel(&[SourceFile { name: "k.cpp".into(), text: text.into() }], "k", &FrontOptions::default()).unwrap()
}

/// (callee, trip counts of its loops) for each call `caller` makes, in order.
fn calls(k: &Kernel, caller: &str) -> Vec<(String, Vec<Option<u64>>)> {
    let mut out = Vec::new();
    k.function(caller).unwrap().body.visit_calls(&mut |c| {
        let mut trips = Vec::new();
        if let Some(f) = k.function(&c.callee) {
            f.body.visit_loops(&mut |l| trips.push(l.trip.max));
        }
        out.push((c.callee.clone(), trips));
    });
    out
}

const RELU: &str = "#define N 64\n\
    void relu(float a[N], float d[N], int size) {\n\
      for (int i = 0; i < size; i++) { d[i] = a[i] * (1.0f - a[i]); a[i] = a[i] > 0 ? a[i] : 0; }\n\
    }\n";

#[test]
fn each_distinct_constant_gets_its_own_copy() {
    let k = kernel(&format!(
        "{RELU}void k(float a[N], float b[N], float d[N], int n) {{\n\
           relu(a, d, N);\n  relu(b, d, N);\n  relu(a, d, 3);\n  relu(b, d, n);\n}}\n"
    ));
    assert_eq!(
        calls(&k, "k"),
        vec![
            ("relu.1".to_string(), vec![Some(64)]),
            ("relu.1".to_string(), vec![Some(64)]),
            ("relu.2".to_string(), vec![Some(3)]),
            ("relu".to_string(), vec![None]),
        ]
    );
}

#[test]
fn a_constant_all_callers_agree_on_specialises_in_place() {
    let generic = kernel(&format!("{RELU}void k(float a[N], float d[N], int n) {{ relu(a, d, n); }}\n"));
    let k = kernel(&format!("{RELU}void k(float a[N], float d[N]) {{ relu(a, d, 10); relu(a, d, 5 + 5); }}\n"));
    assert_eq!(calls(&k, "k"), vec![("relu".to_string(), vec![Some(10)]), ("relu".to_string(), vec![Some(10)])]);
    assert!(k.function("relu.1").is_none());
    // Same loop ids as the generic lowering, so pragma records and knobs still find the loop.
    let ids = |k: &Kernel| {
        let mut ids: Vec<LoopId> = Vec::new();
        k.function("relu").unwrap().body.visit_loops(&mut |l| ids.push(l.id));
        ids
    };
    assert_eq!(ids(&k), ids(&generic));
}

#[test]
fn constants_travel_through_a_helper_that_passes_them_on() {
    let k = kernel(&format!(
        "{RELU}void layer(float a[N], float d[N], int size) {{ relu(a, d, size); }}\n\
         void k(float a[N], float d[N]) {{ layer(a, d, 16); }}\n"
    ));
    assert_eq!(calls(&k, "k"), vec![("layer".to_string(), vec![])]);
    assert_eq!(calls(&k, "layer"), vec![("relu".to_string(), vec![Some(16)])]);
}

#[test]
fn a_parameter_the_body_assigns_is_not_bound() {
    let k = kernel(
        "void count(int a[64], int n) { n = n / 2; for (int i = 0; i < n; i++) a[i] = 0; }\n\
         void k(int a[64]) { count(a, 64); }\n",
    );
    assert_eq!(calls(&k, "k"), vec![("count".to_string(), vec![None])]);
}

/// Recursion with constant arguments ends in a copy calling itself, not in endless copies.
#[test]
fn recursion_makes_a_bounded_number_of_copies() {
    let k = kernel(
        "void f(int a[64], int n) { for (int i = 0; i < n; i++) a[i] += 1; f(a, 3); }\n\
         void k(int a[64]) { f(a, 5); }\n",
    );
    assert_eq!(calls(&k, "k"), vec![("f.1".to_string(), vec![Some(5)])]);
    assert_eq!(calls(&k, "f.1"), vec![("f.2".to_string(), vec![Some(3)])]);
    assert_eq!(calls(&k, "f.2"), vec![("f.2".to_string(), vec![Some(3)])]);
}
