//! `hlsseek experiment loop` end to end on recorded HLSyn results (skipped without the data).

mod common;
use common::{hlsseek, json_of, shared_data};

#[test]
fn the_reward_loop_reports_its_fields_and_never_synthesizes_twice() {
    let Some(data) = shared_data() else { return };
    let hlsyn = data.join("hlsyn");
    let v = json_of(hlsseek().args(["experiment", "loop", "--hlsyn"]).arg(&hlsyn).args([
        "--kernels", "atax,symm", "--groups", "4", "--group", "6", "--update-every", "8", "--update-steps", "4", "--sync", "group",
        "--neighbours-after", "2", "--json",
    ]));
    for k in ["pairwise_agreement", "kendall_tau", "synthesized_fraction", "speedup"] {
        assert!(v[k].is_number(), "{k} missing: {v}");
        for q in ["first_quarter", "last_quarter"] {
            assert!(v[q][k].is_number(), "{q}.{k} missing");
        }
    }
    let frac = v["synthesized_fraction"].as_f64().unwrap();
    // Budget: a quarter of each group of 6 → at most 1 new synthesis per group.
    assert!(frac <= 1.0 / 6.0 + 1e-9, "{frac}");
    let agreement = v["pairwise_agreement"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&agreement));
    // Every real synthesis is one stored result, and none was run twice.
    let syntheses = v["syntheses"].as_u64().unwrap();
    assert_eq!(v["store"]["results"].as_u64().unwrap(), syntheses);
    assert_eq!(v["candidates"].as_u64().unwrap(), 2 * 4 * 6);
    // Each kernel's pool is reported, and a group never holds more designs than its pool.
    let pools = v["pools"].as_array().unwrap();
    assert_eq!(pools.iter().map(|p| p[0].as_str().unwrap()).collect::<Vec<_>>(), ["atax", "symm"]);
    assert!(pools.iter().all(|p| p[1].as_u64().unwrap() >= 6), "{pools:?}");
    // Once a kernel has two real results, its unsettled pairs are judged by them (the proxy's
    // decision on the same pairs is reported beside).
    let share = v["neighbour_share"].as_f64().unwrap();
    assert!(share > 0.0 && share <= 1.0, "{share}");
    assert!(v["neighbour_proxy_agreement"].is_number());
    // At least one fine-tuning ran and was swapped in (8 results per update, sync per group).
    assert!(v["model_versions"].as_u64().unwrap() >= 1 || syntheses < 8, "{v}");
}

#[test]
fn unknown_kernels_are_a_clear_error() {
    let Some(data) = shared_data() else { return };
    hlsseek()
        .args(["experiment", "loop", "--hlsyn"])
        .arg(data.join("hlsyn"))
        .args(["--kernels", "no-such-kernel"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no kernel `no-such-kernel`"));
}
