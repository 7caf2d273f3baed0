//! Dev helper: CPU time per phase on one kernel, robust to a loaded machine (reads the process's
//! user+system time from /proc): `cargo run --release --example timing -- TOP file...`.
use std::time::Duration;

fn cpu() -> Duration {
    let s = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let f: Vec<&str> = s.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks: u64 = f.get(11).and_then(|x| x.parse().ok()).unwrap_or(0) + f.get(12).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn per<F: FnMut()>(n: u32, mut f: F) -> Duration {
    let t = cpu();
    for _ in 0..n {
        f();
    }
    (cpu() - t) / n
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files = hlsseek_front::load_files(&args[1..]).unwrap();
    let n = 3000;
    let pp_files = || files.iter().map(|f| hlsseek_front::pp::PpFile { name: f.name.clone(), text: f.text.clone() }).collect::<Vec<_>>();
    let pp = |fs: &mut Vec<hlsseek_front::pp::PpFile>| {
        let cfg = hlsseek_front::pp::PpConfig { defines: &[], include_dirs: &[], max_file_bytes: 1 << 22 };
        hlsseek_front::pp::Preprocessor::new(fs, cfg).run(0).unwrap()
    };
    println!("preprocess  {:?}", per(n, || {
        let mut fs = pp_files();
        pp(&mut fs);
    }));
    let out = pp(&mut pp_files());
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_cpp::LANGUAGE.into()).unwrap();
    println!("tree-sitter {:?} ({} bytes)", per(n, || {
        p.parse(&out.text, None).unwrap();
    }), out.text.len());
    println!("total       {:?}", per(n, || {
        hlsseek_front::parse_kernel(&files, &args[0], &Default::default()).unwrap();
    }));
}
