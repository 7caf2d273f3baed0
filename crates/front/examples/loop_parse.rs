//! Dev helper for profilers: parse one kernel N times (`cargo run --release --example loop_parse -- N TOP file...`).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: u32 = args[0].parse().unwrap();
    let files = hlsseek_front::load_files(&args[2..]).unwrap();
    for _ in 0..n {
        std::hint::black_box(hlsseek_front::parse_kernel(&files, &args[1], &Default::default()).unwrap());
    }
}
