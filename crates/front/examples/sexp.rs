//! Dev helper: print tree-sitter-cpp's tree for a file (`cargo run --example sexp -- file.c`).
fn main() {
    let path = std::env::args().nth(1).expect("file");
    let text = std::fs::read_to_string(path).expect("read");
    let mut p = tree_sitter::Parser::new();
    p.set_language(&tree_sitter_cpp::LANGUAGE.into()).unwrap();
    let t = p.parse(&text, None).unwrap();
    print_node(t.root_node(), &text, 0);
}
fn print_node(n: tree_sitter::Node, src: &str, d: usize) {
    let mut c = n.walk();
    let fname = |i: usize| -> String { n.field_name_for_child(i as u32).map(|f| format!("{f}: ")).unwrap_or_default() };
    let _ = fname;
    let txt = if n.child_count() == 0 { format!(" {:?}", &src[n.byte_range()]) } else { String::new() };
    println!("{}{}{}{}", "  ".repeat(d), n.kind(), if n.is_missing() {" MISSING"} else {""}, txt);
    for (i, ch) in n.children(&mut c).enumerate() {
        if let Some(f) = n.field_name_for_child(i as u32) { print!("{}[{}]", "  ".repeat(d+1), f); println!(); }
        print_node(ch, src, d + 1);
    }
}
