//! Parsing the preprocessed text with tree-sitter-cpp, and deciding which parse errors matter.
//!
//! tree-sitter always yields a tree; broken input shows up as ERROR and MISSING nodes. Some valid
//! HLS C++ confuses the grammar (SFINAE templates in vendor headers), so an ERROR confined to a
//! class body or a template parameter list is tolerated with a warning; any other ERROR or
//! MISSING node is a syntax error. One known grammar bug (an assignment inside a parenthesised
//! comma expression) is worked around by [`repair_comma_assign`].

use crate::pp::PpOutput;
use crate::{FrontError, FrontErrorKind};
use hlsseek_ir::Loc;
use tree_sitter::{Node, Parser, Tree};

pub fn parse(text: &str) -> Option<Tree> {
    thread_local! {
        // One parser per thread, reused: it keeps its allocations between kernels.
        static PARSER: std::cell::RefCell<Option<Parser>> = const { std::cell::RefCell::new(None) };
    }
    PARSER.with(|cell| {
        let mut slot = cell.try_borrow_mut().ok()?;
        if slot.is_none() {
            let mut p = Parser::new();
            p.set_language(&tree_sitter_cpp::LANGUAGE.into()).ok()?;
            *slot = Some(p);
        }
        let p = slot.as_mut()?;
        let tree = p.parse(text, None);
        if tree.is_none() {
            p.reset();
        }
        tree
    })
}

/// Tolerated errors (as warnings), or the first error that makes the tree unusable.
pub fn check(tree: &Tree, pp: &PpOutput, file_names: &[String]) -> Result<Vec<(Loc, String)>, FrontError> {
    let mut warnings = Vec::new();
    let root = tree.root_node();
    if !root.has_error() {
        return Ok(warnings);
    }
    let mut bad: Option<Node> = None;
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        if !n.has_error() {
            continue;
        }
        if n.is_missing() || n.is_error() {
            if tolerable(n, &pp.text) {
                let loc = pp.loc(n.start_position().row, n.start_position().column);
                warnings.push((loc, format!("construct not understood, skipped: `{}`", snippet(n, &pp.text))));
                continue;
            }
            if bad.is_none_or(|b| n.start_byte() < b.start_byte()) {
                bad = Some(n);
            }
            continue;
        }
        let mut c = n.walk();
        stack.extend(n.children(&mut c));
    }
    match bad {
        None => Ok(warnings),
        Some(n) => {
            let loc = pp.loc(n.start_position().row, n.start_position().column);
            let what = if n.is_missing() {
                format!("expected `{}`", n.kind())
            } else {
                format!("unexpected `{}`", snippet(n, &pp.text))
            };
            Err(FrontError {
                file: file_names.get(loc.file as usize).cloned().unwrap_or_default(),
                line: loc.line,
                col: loc.col,
                kind: FrontErrorKind::Syntax,
                message: format!("syntax error: {what}"),
            })
        }
    }
}

fn snippet(n: Node, text: &str) -> String {
    let s = text.get(n.byte_range()).unwrap_or("");
    let s: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// An ERROR inside a class body or a template parameter/argument list (SFINAE-heavy vendor
/// headers the grammar does not cover) does not touch any function body we lower. Errors
/// anywhere else (function bodies, file level) are real syntax errors.
fn tolerable(n: Node, text: &str) -> bool {
    if n.is_missing() {
        return false;
    }
    let s = text.get(n.byte_range()).unwrap_or("");
    if s.contains('{') || s.contains('}') || s.len() > 400 {
        return false;
    }
    let mut p = n.parent();
    while let Some(q) = p {
        match q.kind() {
            "compound_statement" | "translation_unit" => return false,
            "template_parameter_list" | "template_argument_list" | "field_declaration_list" => return true,
            _ => {}
        }
        p = q.parent();
    }
    false
}

/// tree-sitter-cpp misparses an assignment inside a parenthesised comma expression
/// (`(a = 1, b)`, common in machine-generated C such as Merlin's). Parenthesising each such
/// operand (`((a = 1), b)`) means the same and parses. Returns the rewritten text when anything
/// changed; only used after a parse with errors. Newlines are kept, so the line map still holds.
pub fn repair_comma_assign(text: &str) -> Option<String> {
    use crate::pp::lex::{lex_line, TokKind};
    struct T {
        start: usize,
        end: usize,
        kind: TokKind,
    }
    let mut toks: Vec<T> = Vec::new();
    let mut raw = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        if !line.trim_start().starts_with('#') {
            raw.clear();
            lex_line(line.trim_end_matches('\n'), &mut raw);
            toks.extend(raw.iter().map(|r| T { start: off + r.start, end: off + r.end, kind: r.kind }));
        }
        off += line.len();
    }
    const ASSIGN: [&str; 11] = ["=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="];
    let tx = |t: &T| &text[t.start..t.end];
    let mut inserts: Vec<(usize, char)> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        match tx(t) {
            "(" | "[" | "{" => stack.push(i),
            ")" => {
                let Some(open) = stack.pop() else { continue };
                if tx(&toks[open]) != "(" {
                    continue;
                }
                // Top-level tokens of this group.
                let mut depth = 0i32;
                let mut segs: Vec<(usize, usize, bool)> = Vec::new();
                let mut seg_start = open + 1;
                let mut has_assign = false;
                let mut bad = false;
                for (j, u) in toks.iter().enumerate().take(i).skip(open + 1) {
                    let s = tx(u);
                    match s {
                        "(" | "[" | "{" => depth += 1,
                        ")" | "]" | "}" => depth -= 1,
                        _ if depth != 0 => {}
                        ";" => bad = true,
                        "," => {
                            segs.push((seg_start, j, has_assign));
                            seg_start = j + 1;
                            has_assign = false;
                        }
                        _ if ASSIGN.contains(&s) => {
                            // `int a = 1` (a parameter default) is a declaration, not an assignment.
                            let decl = j >= seg_start + 2
                                && toks[j - 1].kind == TokKind::Ident
                                && matches!(toks[j - 2].kind, TokKind::Ident)
                                || (j >= seg_start + 2 && matches!(tx(&toks[j - 2]), "*" | "&") && toks[j - 1].kind == TokKind::Ident && j >= seg_start + 3);
                            if decl {
                                bad = true;
                            }
                            has_assign = true;
                        }
                        _ => {}
                    }
                }
                segs.push((seg_start, i, has_assign));
                if bad || segs.len() < 2 || !segs.iter().any(|s| s.2) {
                    continue;
                }
                for (a, b, assign) in segs {
                    if assign && b > a {
                        inserts.push((toks[a].start, '('));
                        inserts.push((toks[b - 1].end, ')'));
                    }
                }
            }
            "]" | "}" => {
                stack.pop();
            }
            _ => {}
        }
    }
    if inserts.is_empty() {
        return None;
    }
    inserts.sort_by_key(|(p, c)| (*p, *c == '('));
    let mut out = String::with_capacity(text.len() + inserts.len());
    let mut at = 0;
    for (p, c) in inserts {
        out.push_str(&text[at..p]);
        out.push(c);
        at = p;
    }
    out.push_str(&text[at..]);
    Some(out)
}

/// Field lookup by name through a cached id: tree-sitter resolves a field name by scanning the
/// grammar's name table on every call, which dominated lowering time.
pub trait NodeExt<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>>;
    fn fields(&self, name: &'static str) -> Vec<Node<'t>>;
}

fn field_id(name: &'static str) -> Option<std::num::NonZeroU16> {
    use std::collections::HashMap;
    use std::sync::OnceLock;
    static IDS: OnceLock<HashMap<&'static str, std::num::NonZeroU16>> = OnceLock::new();
    let ids = IDS.get_or_init(|| {
        let lang: tree_sitter::Language = tree_sitter_cpp::LANGUAGE.into();
        (1..=lang.field_count() as u16)
            .filter_map(|i| Some((lang.field_name_for_id(i)?, std::num::NonZeroU16::new(i)?)))
            .collect()
    });
    ids.get(name).copied()
}

impl<'t> NodeExt<'t> for Node<'t> {
    fn field(&self, name: &'static str) -> Option<Node<'t>> {
        self.child_by_field_id(field_id(name)?.get())
    }

    fn fields(&self, name: &'static str) -> Vec<Node<'t>> {
        let Some(id) = field_id(name) else { return Vec::new() };
        let mut c = self.walk();
        self.children_by_field_id(id, &mut c).collect()
    }
}
