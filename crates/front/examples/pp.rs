//! Dev helper: preprocess files and print the output (`cargo run --example pp -- main.c [more files]`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut files: Vec<hlsseek_front::pp::PpFile> = args
        .iter()
        .map(|p| hlsseek_front::pp::PpFile { name: p.clone(), text: std::fs::read_to_string(p).unwrap() })
        .collect();
    let cfg = hlsseek_front::pp::PpConfig { defines: &[], include_dirs: &[], max_file_bytes: 1 << 22 };
    match hlsseek_front::pp::Preprocessor::new(&mut files, cfg).run(0) {
        Ok(o) => {
            for (i, l) in o.text.lines().enumerate() {
                let (f, line) = o.line_map.get(i).copied().unwrap_or((0, 0));
                println!("{f}:{line:>4}| {l}");
            }
        }
        Err(e) => eprintln!("error: {e}"),
    }
}
