//! Dev helper: diagnostics statistics over ForgeHLS (`cargo run --release --example forge_stats -- kernels.json`).
use std::collections::BTreeMap;
fn main() {
    let path = std::env::args().nth(1).expect("kernels.json");
    let filter = std::env::args().nth(2);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut examples: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let t0 = std::time::Instant::now();
    for r in v.as_array().unwrap() {
        let top = r["top_function_name"].as_str().unwrap();
        let files: Vec<hlsseek_front::SourceFile> = r["source_code"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| hlsseek_front::SourceFile { name: f["file_name"].as_str().unwrap().into(), text: f["file_content"].as_str().unwrap().into() })
            .collect();
        match hlsseek_front::parse_kernel(&files, top, &Default::default()) {
            Ok(k) => {
                if filter.as_deref() == Some(top) {
                    print!("{}", hlsseek_front::summarize(&k));
                }
                let f = k.top_function().unwrap();
                if f.loops().is_empty() {
                    *counts.entry("top without loops".into()).or_default() += 1;
                    examples.entry("top without loops".into()).or_default().push(top.to_string());
                }
                for func in &k.functions {
                    let mut stack = vec![&func.body];
                    while let Some(r) = stack.pop() {
                        for n in &r.nodes {
                            match n {
                                hlsseek_ir::Node::Op(op) => {
                                    if let hlsseek_ir::OpKind::Other(name) = &op.kind {
                                        *counts.entry(format!("other op {name}")).or_default() += 1;
                                    }
                                }
                                hlsseek_ir::Node::Loop(l) => {
                                    if !l.trip.is_known() && func.name == k.top {
                                        *counts.entry("unknown trip in top".into()).or_default() += 1;
                                        let ex = examples.entry("unknown trip in top".into()).or_default();
                                        if ex.len() < 30 { ex.push(format!("{top} {}", k.display_loc(l.loc))); }
                                    }
                                    stack.push(&l.body)
                                }
                                hlsseek_ir::Node::Branch(b) => {
                                    stack.push(&b.then_region);
                                    stack.push(&b.else_region);
                                }
                                _ => {}
                            }
                        }
                    }
                }
                for d in &k.diagnostics {
                    let key: String = format!("{:?} {}", d.severity, d.message.split(['`', ';', '(']).next().unwrap_or(""));
                    *counts.entry(key.clone()).or_default() += 1;
                    let ex = examples.entry(key).or_default();
                    if ex.len() < 4 {
                        ex.push(format!("{top} {}: {}", k.display_loc(d.loc), d.message));
                    }
                }
            }
            Err(e) => println!("ERR {top}: {e}"),
        }
    }
    println!("elapsed {:?}", t0.elapsed());
    for (k, n) in &counts {
        println!("{n:6} {k}");
        for e in examples.get(k).into_iter().flatten() {
            println!("         {e}");
        }
    }
}
