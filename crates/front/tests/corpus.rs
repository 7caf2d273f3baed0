//! Whole-corpus checks on the shared data (skipped when /work/shared/data is absent): every HLSyn
//! template renders and parses at its default point; ForgeHLS kernels are handled at ≥ 98%.

mod common;
use common::data_dir;
use hlsseek_front::{parse_kernel, DesignSpace, FrontOptions, SourceFile};
use std::collections::BTreeMap;
use std::path::PathBuf;


#[test]
fn hlsyn_all_sources_render_and_parse() {
    let Some(d) = data_dir() else { return };
    let dir = d.join("hlsyn/sources");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "c")).collect();
    paths.sort();
    assert!(paths.len() >= 30, "expected the HLSyn sources in {}", dir.display());
    let mut failures = Vec::new();
    for p in &paths {
        let text = std::fs::read_to_string(p).unwrap();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // The top is the function after `#pragma ACCEL kernel`.
        let after = &text[text.find("#pragma ACCEL kernel").expect("kernel pragma")..];
        let sig = after.lines().skip(1).find(|l| l.contains('(')).unwrap();
        let top = sig.split('(').next().unwrap().split_whitespace().last().unwrap().to_string();
        let files = vec![SourceFile { name: name.clone(), text }];
        match DesignSpace::new(files, &top, &FrontOptions::default()) {
            Ok(space) => {
                assert!(!space.knobs.is_empty(), "{name}: no knobs");
                for k in &space.knobs {
                    assert!(k.loop_id.is_some(), "{name}: knob {} governs no loop", k.name);
                    assert!(!k.values.is_empty(), "{name}: knob {} has no values", k.name);
                }
                let kernel = space.kernel(&space.default_point(), &FrontOptions::default()).unwrap();
                assert!(kernel.top_function().unwrap().directives.merlin_kernel, "{name}: merlin kernel flag");
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "HLSyn failures:\n{}", failures.join("\n"));
}

#[derive(serde::Deserialize)]
struct ForgeFile {
    file_name: String,
    file_content: String,
}

#[derive(serde::Deserialize)]
struct ForgeRecord {
    source_code: Vec<ForgeFile>,
    top_function_name: String,
}

#[test]
fn forgehls_handled_share() {
    let Some(d) = data_dir() else { return };
    let text = std::fs::read_to_string(d.join("forgehls/kernels.json")).unwrap();
    let recs: Vec<ForgeRecord> = serde_json::from_str(&text).unwrap();
    let mut by_reason: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut ok = 0;
    for r in &recs {
        let files: Vec<SourceFile> = r.source_code.iter().map(|f| SourceFile { name: f.file_name.clone(), text: f.file_content.clone() }).collect();
        match parse_kernel(&files, &r.top_function_name, &FrontOptions::default()) {
            Ok(k) => {
                assert!(k.top_function().is_some());
                ok += 1;
            }
            Err(e) => by_reason.entry(format!("{:?}", e.kind)).or_default().push(format!("{}: {e}", r.top_function_name)),
        }
    }
    eprintln!("ForgeHLS: {ok}/{} handled", recs.len());
    for (k, v) in &by_reason {
        eprintln!("  {k}: {}", v.len());
        for m in v.iter().take(40) {
            eprintln!("    {m}");
        }
    }
    assert!(ok * 100 >= recs.len() * 98, "handled {ok}/{}", recs.len());
}

fn hlsyn_top(text: &str) -> String {
    let after = &text[text.find("#pragma ACCEL kernel").expect("kernel pragma")..];
    let sig = after.lines().skip(1).find(|l| l.contains('(')).unwrap();
    sig.split('(').next().unwrap().split_whitespace().last().unwrap().to_string()
}

/// How much of what HLSyn explored lies in our candidate values (reported; asserted loosely so a
/// rule change that loses coverage fails).
#[test]
fn hlsyn_knob_value_coverage() {
    use hlsseek_ir::KnobValue;
    let Some(d) = data_dir() else { return };
    let (mut vals_in, mut vals_all, mut pts_in, mut pts_all) = (0usize, 0usize, 0usize, 0usize);
    let mut misses: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for ver in ["v18", "v20"] {
        let Ok(rd) = std::fs::read_dir(d.join("hlsyn/designs").join(ver)) else { continue };
        let mut paths: Vec<PathBuf> = rd.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for p in paths {
            let kernel = p.file_stem().unwrap().to_string_lossy().into_owned();
            let src_name = if kernel == "stencil" { "stencil_stencil2d_kernel.c".to_string() } else { format!("{kernel}_kernel.c") };
            let Ok(text) = std::fs::read_to_string(d.join("hlsyn/sources").join(&src_name)) else { continue };
            let top = hlsyn_top(&text);
            let space = DesignSpace::new(vec![SourceFile { name: src_name, text }], &top, &FrontOptions::default()).unwrap();
            let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            for rec in json.as_object().unwrap().values() {
                let mut all_in = true;
                for (name, v) in rec["point"].as_object().unwrap() {
                    let v = match v {
                        serde_json::Value::String(s) => KnobValue::Text(s.clone()),
                        other => KnobValue::Int(other.as_f64().unwrap() as u64),
                    };
                    vals_all += 1;
                    match space.knob(name) {
                        Some(k) if k.values.contains(&v) => vals_in += 1,
                        _ => {
                            all_in = false;
                            misses.entry(format!("{kernel} {name}")).or_default().insert(v.to_string());
                        }
                    }
                }
                pts_all += 1;
                pts_in += all_in as usize;
            }
        }
    }
    if pts_all == 0 {
        return;
    }
    eprintln!("HLSyn knob values covered: {vals_in}/{vals_all}; design points fully covered: {pts_in}/{pts_all}");
    for (k, v) in misses.iter().take(40) {
        eprintln!("  missing {k}: {v:?}");
    }
    assert!(vals_in * 100 >= vals_all * 95, "value coverage {vals_in}/{vals_all}");
}
