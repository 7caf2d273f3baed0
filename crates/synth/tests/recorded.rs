//! The recorded backend over every record of the shared datasets: each rendered HLSyn point and
//! each ForgeHLS design is found and answered with exactly its recorded numbers.

use hlsseek_datasets::{forgehls, hlsyn};
use hlsseek_front::{DesignSpace, FrontOptions, SourceFile};
use hlsseek_synth::recorded::{hlsyn::answer, RecordedBackend};
use hlsseek_synth::{Backend, FailureKind, SynthRequest};
use std::collections::HashSet;
use std::path::PathBuf;

fn data(sub: &str) -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")).join(sub);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: dataset not found at {}", p.display());
        None
    }
}

#[test]
fn every_hlsyn_record_is_found_with_its_numbers() {
    let Some(root) = data("hlsyn") else { return };
    let ds = hlsyn::Hlsyn::open(&root).unwrap();
    for version in hlsyn::VERSIONS {
        let start = std::time::Instant::now();
        let mut backend = RecordedBackend::new();
        backend.add_path(&root, version).unwrap();
        let built = start.elapsed();
        let stats = backend.stats().clone();
        assert!(stats.unrenderable.is_empty(), "{version}: unrenderable records: {:?}", &stats.unrenderable[..stats.unrenderable.len().min(5)]);
        let conflicted: HashSet<&str> = stats.conflicts.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
        let (mut found, mut exact, mut total) = (0usize, 0usize, 0usize);
        for kernel in ds.kernels(version).unwrap() {
            let top = kernel.top().unwrap();
            let space = DesignSpace::new(vec![kernel.source.clone()], &top, &FrontOptions::default())
                .unwrap_or_else(|e| panic!("{version} {}: {e}", kernel.name));
            for r in &kernel.records {
                total += 1;
                let files = space.render(&r.point).unwrap();
                let req = SynthRequest { files, top: top.clone(), part: hlsyn::PART.into(), clock_ns: hlsyn::CLOCK_NS };
                let out = backend.synthesize(&req);
                let id = format!("{}/{}", kernel.name, r.key);
                if let Err(f) = &out.result {
                    assert_ne!(f.kind, FailureKind::NotRecorded, "{version} {id}: {}", f.message);
                }
                found += 1;
                let want = answer(r, &format!("hlsyn-{version}"));
                let numbers = |x: &Result<hlsseek_synth::QorReport, hlsseek_synth::SynthFailure>| match x {
                    Ok(rep) => Some(rep.qor),
                    Err(f) => f.qor.as_deref().copied(),
                };
                if numbers(&out.result) == numbers(&want) && out.result.is_ok() == want.is_ok() {
                    exact += 1;
                } else {
                    assert!(conflicted.contains(id.as_str()), "{version} {id}: got {:?}, recorded {:?}", out.result, want);
                }
            }
        }
        eprintln!(
            "hlsyn {version}: {total} records, {found} found, {exact} with exactly their own numbers, \
             {} distinct designs, {} duplicates, {} conflicting pairs; index built in {built:.2?}",
            stats.designs,
            stats.duplicates,
            stats.conflicts.len()
        );
        assert_eq!(found, total);
        assert_eq!(stats.records, total);
    }
}

#[test]
fn every_forgehls_record_is_found_with_its_numbers() {
    let Some(path) = data("forgehls/kernels.json") else { return };
    let mut backend = RecordedBackend::new();
    backend.add_path(&path, "v20").unwrap();
    let records = forgehls::load(&path).unwrap();
    let stats = backend.stats().clone();
    let conflicted: HashSet<&str> = stats.conflicts.iter().flat_map(|(a, b)| [a.as_str(), b.as_str()]).collect();
    let mut exact = 0;
    for (i, r) in records.iter().enumerate() {
        // Files in another order, with a comment added: still the same design.
        let mut files: Vec<SourceFile> = r.files();
        files.reverse();
        files[0].text = format!("/* hlsseek test */\n{}", files[0].text);
        let req = SynthRequest { files, top: r.top_function_name.clone(), part: forgehls::PART.into(), clock_ns: forgehls::CLOCK_NS };
        let out = backend.synthesize(&req);
        let id = format!("{i}:{}", r.name());
        let got = out.result.unwrap_or_else(|f| panic!("{id}: {f}"));
        if got.qor == r.qor() {
            exact += 1;
        } else {
            assert!(conflicted.contains(id.as_str()), "{id}: got {:?}, recorded {:?}", got.qor, r.qor());
        }
    }
    eprintln!(
        "forgehls: {} records, all found, {exact} with exactly their own numbers, {} distinct designs, {} duplicates, {} conflicting pairs",
        records.len(),
        stats.designs,
        stats.duplicates,
        stats.conflicts.len()
    );
}

#[test]
fn an_unrecorded_design_or_target_is_not_recorded() {
    let Some(path) = data("forgehls/kernels.json") else { return };
    let mut backend = RecordedBackend::new();
    backend.add_path(&path, "v20").unwrap();
    let r = &forgehls::load(&path).unwrap()[0];
    let mut req = SynthRequest { files: r.files(), top: r.top_function_name.clone(), part: forgehls::PART.into(), clock_ns: 10.0 };
    req.clock_ns = 5.0;
    let f = backend.synthesize(&req).result.unwrap_err();
    assert_eq!(f.kind, FailureKind::NotRecorded);
    assert!(f.message.contains("recorded only for xcu280-fsvh2892-2L-e at 10 ns"), "{}", f.message);
    req.clock_ns = 10.0;
    req.part = "xcu280".into();
    assert!(backend.synthesize(&req).result.is_ok(), "a short part name matches");
    req.files[0].text.push_str("\nint hlsseek_extra;\n");
    let f = backend.synthesize(&req).result.unwrap_err();
    assert_eq!(f.kind, FailureKind::NotRecorded);
    assert!(f.message.contains("no record of this design"), "{}", f.message);
}
