//! Whole-corpus checks on the shared data (skipped when /work/shared/data is absent): every HLSyn
//! template renders and parses at its default point; ForgeHLS kernels are handled at ≥ 98%.

use hlsseek_front::{parse_kernel, DesignSpace, FrontOptions, SourceFile};
use std::collections::BTreeMap;
use std::path::PathBuf;

fn data_dir() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipping: shared data not found at {}", p.display());
        None
    }
}

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
