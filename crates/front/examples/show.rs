//! Dev helper: print the IR summary (`cargo run --example show -- TOP file...`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files = hlsseek_front::load_files(&args[1..]).unwrap();
    match hlsseek_front::parse_kernel(&files, &args[0], &Default::default()) {
        Ok(k) => print!("{}", hlsseek_front::summarize(&k)),
        Err(e) => eprintln!("error: {e} ({:?})", e.kind),
    }
}
