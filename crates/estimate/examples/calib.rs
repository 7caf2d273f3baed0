//! Calibration harness: estimate every ForgeHLS kernel and HLSyn point and write one TSV
//! line per design (for offline analysis), plus the headline metrics on stderr.
//! `cargo run --release -p hlsseek-estimate --example calib -- forgehls|hlsyn OUT.tsv [filter]`
//! reads `../shared/data` beside the repository; `HLSYN_VERSION=v18` picks the HLSyn version
//! (v20 by default).

use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, DesignSpace, FrontOptions, SourceFile};
use hlsseek_qor::stats::{ape, median, spearman};
use std::io::Write;

/// `../shared/data/<rel>` beside the repository.
fn data(rel: &str) -> String {
    format!("{}/../../../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let which = args.get(1).map(String::as_str).unwrap_or("forgehls");
    let out = args.get(2).cloned().unwrap_or_else(|| format!("/tmp/{which}.tsv"));
    let filter = args.get(3).cloned();
    let mut w = std::io::BufWriter::new(std::fs::File::create(&out).unwrap());
    match which {
        "forgehls" => forgehls(&mut w, filter),
        _ => hlsyn(&mut w, filter),
    }
}

fn num(v: &serde_json::Value) -> Option<f64> {
    v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}

fn forgehls(w: &mut impl Write, filter: Option<String>) {
    let text = std::fs::read_to_string(data("forgehls/kernels.json")).unwrap();
    let recs: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    let prof = Profile::builtin("xcu280").unwrap();
    let (mut est_v, mut true_v, mut apes) = (Vec::new(), Vec::new(), Vec::new());
    let (mut fail_parse, mut undef) = (0, 0);
    let mut times = Vec::new();
    for r in &recs {
        let algo = r["algo_name"].as_str().unwrap_or("");
        let src = r["source_name"].as_str().unwrap_or("");
        if filter.as_ref().is_some_and(|f| !algo.contains(f.as_str()) && !src.contains(f.as_str())) {
            continue;
        }
        let top = r["top_function_name"].as_str().unwrap_or("");
        let files: Vec<SourceFile> = r["source_code"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| SourceFile { name: f["file_name"].as_str().unwrap().to_string(), text: f["file_content"].as_str().unwrap().to_string() })
            .collect();
        let truth = num(&r["Worst-caseLatency"]);
        let k = std::panic::catch_unwind(|| parse_kernel(&files, top, &FrontOptions::default()));
        let k = match k {
            Ok(Ok(k)) => k,
            Ok(Err(e)) => {
                fail_parse += 1;
                let _ = writeln!(w, "{src}\t{algo}\tPARSE\t{:?}\t\t\t\t\t\t\t\t\t\t{}", truth, e.to_string().replace(['\t', '\n'], " "));
                continue;
            }
            Err(_) => {
                fail_parse += 1;
                let _ = writeln!(w, "{src}\t{algo}\tPANIC\t{:?}", truth);
                continue;
            }
        };
        let t0 = std::time::Instant::now();
        let e = estimate(&k, &prof, Some(10.0)).unwrap();
        times.push(t0.elapsed().as_secs_f64() * 1e6);
        let lat = e.qor.latency.max;
        let res = e.qor.resources;
        let _ = writeln!(
            w,
            "{src}\t{algo}\tOK\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            truth.map(|v| v.to_string()).unwrap_or_default(),
            lat.map(|v| v.to_string()).unwrap_or_default(),
            num(&r["LUT"]).unwrap_or(-1.0),
            res.lut,
            num(&r["FF"]).unwrap_or(-1.0),
            res.ff,
            num(&r["DSP"]).unwrap_or(-1.0),
            res.dsp,
            num(&r["BRAM_18K"]).unwrap_or(-1.0),
            res.bram,
            e.loops.iter().map(|l| format!("{}:{}{}:tc{:?}:ii{:?}:d{:?}:l{:?}", l.name, if l.pipelined { "P" } else { "S" }, if l.flattened { "F" } else { "" }, l.trip_count.max, l.ii, l.iteration_latency, l.latency.max)).collect::<Vec<_>>().join(" "),
            e.notes.join(" | ").replace(['\t', '\n'], " "),
            num(&r["Best-caseLatency"]).map(|v| v.to_string()).unwrap_or_default(),
        );
        match (truth, lat) {
            (Some(t), Some(p)) => {
                est_v.push(p as f64);
                true_v.push(t);
                if let Some(a) = ape(p as f64, t) {
                    apes.push(a);
                }
            }
            _ => undef += 1,
        }
    }
    times.sort_by(|a, b| a.total_cmp(b));
    eprintln!(
        "forgehls: {} estimated, {} parse failures, {} undefined; spearman {:?}, median APE {:?}; median estimate time {:.1} us",
        est_v.len(),
        fail_parse,
        undef,
        spearman(&est_v, &true_v),
        median(&apes),
        times.get(times.len() / 2).copied().unwrap_or(0.0)
    );
}

fn top_of(src: &str) -> String {
    let mut after = false;
    for line in src.lines() {
        if line.contains("#pragma ACCEL kernel") {
            after = true;
            continue;
        }
        if after {
            if let Some(p) = line.find('(') {
                let head = &line[..p];
                if let Some(name) = head.split_whitespace().last() {
                    return name.trim_start_matches('*').to_string();
                }
            }
        }
    }
    String::new()
}

fn hlsyn(w: &mut impl Write, filter: Option<String>) {
    let prof = Profile::builtin("vu9p").unwrap();
    let version = std::env::var("HLSYN_VERSION").unwrap_or_else(|_| "v20".into());
    let mut rhos = Vec::new();
    let mut dir: Vec<_> = std::fs::read_dir(data(&format!("hlsyn/designs/{version}"))).unwrap().map(|e| e.unwrap().path()).collect();
    dir.sort();
    for p in dir {
        let kname = p.file_stem().unwrap().to_string_lossy().to_string();
        if filter.as_ref().is_some_and(|f| &kname != f) {
            continue;
        }
        let src_name = if kname == "stencil" { "stencil_stencil2d_kernel.c".to_string() } else { format!("{kname}_kernel.c") };
        let src_path = data(&format!("hlsyn/sources/{src_name}"));
        let text = std::fs::read_to_string(&src_path).unwrap();
        let top = top_of(&text);
        let space = match DesignSpace::new(vec![SourceFile { name: src_name.clone(), text }], &top, &FrontOptions::default()) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("{kname}: design space: {e}");
                continue;
            }
        };
        let designs: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        let (mut ev, mut tv) = (Vec::new(), Vec::new());
        let mut fails = 0;
        for (key, d) in &designs {
            let perf = d["perf"].as_f64().unwrap_or(0.0);
            // Zero LUT or FF is the dataset's "nothing usable" (as `HlsynRecord::qor` reads it).
            let usable = |k: &str| d["res_util"][k].as_f64().is_some_and(|v| v > 0.0);
            if perf <= 0.0 || !usable("total-LUT") || !usable("total-FF") {
                continue;
            }
            let point: hlsseek_ir::DesignPoint = match serde_json::from_value(d["point"].clone()) {
                Ok(p) => p,
                Err(_) => continue,
            };
            let k = match std::panic::catch_unwind(|| space.kernel(&point, &FrontOptions::default())) {
                Ok(Ok(k)) => k,
                _ => {
                    fails += 1;
                    continue;
                }
            };
            let e = estimate(&k, &prof, Some(4.0)).unwrap();
            let ru = &d["res_util"];
            let _ = writeln!(
                w,
                "{kname}\t{key}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                perf,
                e.qor.latency.max.map(|v| v.to_string()).unwrap_or_default(),
                d["valid"],
                ru["total-LUT"],
                e.qor.resources.lut,
                ru["total-FF"],
                e.qor.resources.ff,
                ru["total-DSP"],
                e.qor.resources.dsp,
                ru["total-BRAM"],
                e.qor.resources.bram,
                e.loops.iter().map(|l| format!("{}:{}{}:tc{:?}:ii{:?}:d{:?}:l{:?}:u{}", l.name, if l.pipelined { "P" } else { "S" }, if l.flattened { "F" } else { "" }, l.trip_count.max, l.ii, l.iteration_latency, l.latency.max, l.unroll)).collect::<Vec<_>>().join(" "),
            );
            if let Some(l) = e.qor.latency.max {
                ev.push(l as f64);
                tv.push(perf);
            }
        }
        let rho = spearman(&ev, &tv);
        eprintln!("{kname}: {} points, {} failed, spearman {:?}", ev.len(), fails, rho);
        if let Some(r) = rho {
            rhos.push(r);
        }
    }
    eprintln!("hlsyn {version}: median per-kernel spearman {:?} over {} kernels", median(&rhos), rhos.len());
}
