//! In-process C preprocessor: includes (in-memory file set first, then disk), macros,
//! conditionals, `#error`; `#pragma` lines are kept (macro-expanded). The output keeps a map from
//! output lines to (file, original line), and source tokens keep their original column, so every
//! later location names the original place.

pub mod expr;
pub mod lex;
pub mod macros;

use crate::{FrontError, FrontErrorKind};
use hlsseek_ir::Loc;
use lex::{lex_line, logical_lines, RawTok, TokKind};
use macros::{tok_from_raw, MacroTable, Tok};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// A file the preprocessor may read: the caller's in-memory files first, then any it loaded from
/// disk (appended, so indexes stay valid as `Loc::file`).
#[derive(Clone, Debug)]
pub struct PpFile {
    pub name: String,
    pub text: String,
}

pub struct PpOutput {
    pub text: String,
    /// Output line (0-based) → (file index, original 1-based line).
    pub line_map: Vec<(u16, u32)>,
    pub warnings: Vec<(Loc, String)>,
    /// What an unqualified call to a `<math.h>` function sees in this translation unit.
    pub math: MathLookup,
}

/// Which functions an unqualified math call such as `cosh(x)` with a `float` argument
/// reaches. The C library declares only `double cosh(double)` in the global namespace (the
/// `float` version is `coshf`): C always calls it, and so does C++ that includes only
/// `<cmath>` (libstdc++'s `<cmath>` adds the `float` overloads to `std::` alone). C++ sees
/// the overloads unqualified after `using namespace std`, or through `<math.h>` (libstdc++
/// since GCC 6, which Vitis HLS ships, exports them from `std::` there); `<tgmath.h>` makes
/// the calls type-generic in C too. The `double` call is what Vitis builds: a `float` kernel
/// calling `cosh` gets a double-precision core and conversions around it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MathLookup {
    /// Overloads by argument type (also the assumption when nothing is known).
    #[default]
    Overloaded,
    /// Only the C library's `double` functions.
    DoubleOnly,
}

impl PpOutput {
    /// Original location of an output position (0-based row and byte column).
    pub fn loc(&self, row: usize, col: usize) -> Loc {
        match self.line_map.get(row).or(self.line_map.last()) {
            Some(&(file, line)) => Loc { file, line, col: col as u32 + 1 },
            None => Loc { file: 0, line: 1, col: col as u32 + 1 },
        }
    }
}

pub struct PpConfig<'a> {
    pub defines: &'a [(String, String)],
    pub include_dirs: &'a [PathBuf],
    pub max_file_bytes: usize,
}

const MAX_INCLUDE_DEPTH: u32 = 64;
const MAX_OUTPUT_BYTES: usize = 32 << 20;

struct Cond {
    parent_active: bool,
    taken: bool,
    active: bool,
    else_seen: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Header {
    None,
    /// Saw `for`/`while`/`if`/`switch`.
    Keyword,
    /// Inside its parentheses, at this depth.
    Parens(u32),
    /// The header is closed; the body comes next.
    Body,
}

struct Out {
    text: String,
    map: Vec<(u16, u32)>,
    cur: Option<(u16, u32)>,
    line_start: usize,
    last_expanded: bool,
    /// End column of the last source token on the current line.
    last_src_end: Option<u32>,
    header: Header,
    /// Pragmas met between a loop header and its `{`, emitted just after the `{` (tree-sitter
    /// cannot parse a directive there; inside the body it governs the same loop).
    deferred: Vec<((u16, u32), String)>,
}

impl Out {
    fn newline(&mut self, key: (u16, u32)) {
        if !self.map.is_empty() {
            self.text.push('\n');
        }
        self.line_start = self.text.len();
        self.map.push(key);
        self.cur = Some(key);
        self.last_expanded = false;
        self.last_src_end = None;
    }

    fn emit(&mut self, t: &Tok) {
        let key = (t.file, t.line);
        if self.header == Header::Body && !t.is("{") {
            self.flush_deferred();
        }
        if self.cur != Some(key) {
            self.newline(key);
        }
        let col = self.text.len() - self.line_start;
        let want = t.col as usize;
        if !t.expanded && want > col {
            self.text.extend(std::iter::repeat_n(' ', want - col));
        } else if col > 0 {
            let last = self.text.as_bytes().last().copied().unwrap_or(b' ');
            let first = t.text.as_bytes().first().copied().unwrap_or(b' ');
            let wordish = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
            // Keep source spacing: a space only where the source had one, or next to expansions.
            let gap = t.expanded || self.last_expanded || self.last_src_end.is_none_or(|e| t.col > e);
            if last != b' ' && (gap || (wordish(last) && wordish(first))) {
                self.text.push(' ');
            }
        }
        self.text.push_str(&t.text);
        self.last_expanded = t.expanded;
        self.last_src_end = if t.expanded { None } else { Some(t.col + t.text.len() as u32) };
        self.header = match (self.header, t.kind, t.text.as_str()) {
            (_, TokKind::Ident, "for" | "while" | "if" | "switch") => Header::Keyword,
            (Header::Keyword, TokKind::Punct, "(") => Header::Parens(1),
            (Header::Parens(d), TokKind::Punct, "(") => Header::Parens(d + 1),
            (Header::Parens(1), TokKind::Punct, ")") => Header::Body,
            (Header::Parens(d), TokKind::Punct, ")") => Header::Parens(d - 1),
            (Header::Parens(d), _, _) => Header::Parens(d),
            _ => Header::None,
        };
        if t.is("{") {
            self.flush_deferred();
        }
    }

    fn pragma_line(&mut self, key: (u16, u32), text: String) {
        if self.header == Header::Body {
            self.deferred.push((key, text));
            return;
        }
        self.newline(key);
        self.text.push_str(&text);
        self.cur = None;
    }

    fn flush_deferred(&mut self) {
        self.header = Header::None;
        for (key, text) in std::mem::take(&mut self.deferred) {
            self.newline(key);
            self.text.push_str(&text);
            self.cur = None;
        }
    }
}

pub struct Preprocessor<'a> {
    pub files: &'a mut Vec<PpFile>,
    cfg: PpConfig<'a>,
    macros: MacroTable,
    out: Out,
    conds: Vec<Cond>,
    once: HashSet<u16>,
    warnings: Vec<(Loc, String)>,
    active_stack: Vec<u16>,
    cpp: bool,
    /// A header or `using namespace std` made the math overloads visible unqualified.
    math_overloads: bool,
}

fn is_cpp_name(name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("");
    matches!(ext, "cpp" | "cc" | "cxx" | "hpp" | "hh" | "hxx" | "C" | "h++" | "c++")
}

impl<'a> Preprocessor<'a> {
    pub fn new(files: &'a mut Vec<PpFile>, cfg: PpConfig<'a>) -> Self {
        Preprocessor {
            files,
            cfg,
            macros: MacroTable::default(),
            out: Out {
                text: String::new(),
                map: Vec::new(),
                cur: None,
                line_start: 0,
                last_expanded: false,
                last_src_end: None,
                header: Header::None,
                deferred: Vec::new(),
            },
            conds: Vec::new(),
            once: HashSet::new(),
            warnings: Vec::new(),
            active_stack: Vec::new(),
            cpp: false,
            math_overloads: false,
        }
    }

    /// Preprocess translation unit `main` (an index into `files`).
    pub fn run(mut self, main: u16) -> Result<PpOutput, FrontError> {
        self.macros.define_text("__SYNTHESIS__", "1");
        self.macros.define_text("__VITIS_HLS__", "1");
        self.macros.define_text("__STDC__", "1");
        // Vitis's `hls_thread_local` (hls_task.h) marks task channels; it is a storage class.
        self.macros.define_text("hls_thread_local", "static");
        for (name, class) in [("HLS_TASK", "task"), ("HLS_TASK_STREAM", "stream"), ("HLS_TASK_STREAM_OF_BLOCKS", "stream_of_blocks")] {
            self.macros.define_text(name, &format!("hls_thread_local hls::{class}"));
        }
        self.cpp = is_cpp_name(&self.files[main as usize].name);
        if self.cpp {
            self.macros.define_text("__cplusplus", "201402L");
        }
        for (k, v) in self.cfg.defines {
            self.macros.define_text(k, v);
        }
        self.run_file(main, 0)?;
        self.out.flush_deferred();
        let math = if self.math_overloads { MathLookup::Overloaded } else { MathLookup::DoubleOnly };
        Ok(PpOutput { text: self.out.text, line_map: self.out.map, warnings: self.warnings, math })
    }

    fn err(&self, file: u16, line: u32, col: u32, kind: FrontErrorKind, message: String) -> FrontError {
        FrontError { file: self.files[file as usize].name.clone(), line, col, kind, message }
    }

    fn active(&self) -> bool {
        self.conds.last().is_none_or(|c| c.active)
    }

    fn run_file(&mut self, fi: u16, depth: u32) -> Result<(), FrontError> {
        let text = self.files[fi as usize].text.clone();
        let lines = logical_lines(&text);
        let cond_base = self.conds.len();
        self.active_stack.push(fi);
        let mut pending: Vec<Tok> = Vec::new();
        let mut raw: Vec<RawTok> = Vec::new();
        for ll in &lines {
            let trimmed = ll.text.trim_start();
            if let Some(rest) = trimmed.strip_prefix('#') {
                self.flush(&mut pending, fi, ll.line)?;
                let col0 = (ll.text.len() - trimmed.len()) as u32;
                self.directive(fi, ll.line, col0, &ll.text[ll.text.len() - rest.len()..], depth)?;
                continue;
            }
            if !self.active() {
                continue;
            }
            raw.clear();
            lex_line(&ll.text, &mut raw);
            pending.extend(raw.iter().map(|r| tok_from_raw(&ll.text, r, fi, ll.line)));
        }
        let last_line = lines.last().map_or(1, |l| l.line);
        self.flush(&mut pending, fi, last_line)?;
        if self.conds.len() > cond_base {
            self.conds.truncate(cond_base);
            return Err(self.err(fi, last_line, 1, FrontErrorKind::Preprocess, "unterminated #if/#ifdef at end of file".into()));
        }
        self.active_stack.pop();
        Ok(())
    }

    fn flush(&mut self, pending: &mut Vec<Tok>, fi: u16, line: u32) -> Result<(), FrontError> {
        if pending.is_empty() {
            return Ok(());
        }
        let (f0, l0, c0) = (pending[0].file, pending[0].line, pending[0].col);
        let toks = self
            .macros
            .expand(std::mem::take(pending))
            .map_err(|m| self.err(f0, l0, c0 + 1, FrontErrorKind::Preprocess, m))?;
        if self.cpp && toks.windows(3).any(|w| w[0].text == "using" && w[1].text == "namespace" && w[2].text == "std") {
            self.math_overloads = true;
        }
        for t in &toks {
            self.out.emit(t);
        }
        if self.out.text.len() > MAX_OUTPUT_BYTES {
            return Err(self.err(fi, line, 1, FrontErrorKind::Preprocess, format!("preprocessed output exceeds {MAX_OUTPUT_BYTES} bytes")));
        }
        Ok(())
    }

    fn directive(&mut self, fi: u16, line: u32, col0: u32, rest: &str, depth: u32) -> Result<(), FrontError> {
        let mut raw = Vec::new();
        lex_line(rest, &mut raw);
        let toks: Vec<Tok> = raw
            .iter()
            .map(|r| {
                let mut t = tok_from_raw(rest, r, fi, line);
                t.col += col0 + 1;
                t
            })
            .collect();
        let Some(name) = toks.first().map(|t| t.text.clone()) else {
            return Ok(()); // null directive
        };
        let args = &toks[1..];
        let err = |me: &Self, msg: String| me.err(fi, line, col0 + 1, FrontErrorKind::Preprocess, msg);
        match name.as_str() {
            "if" | "ifdef" | "ifndef" => {
                let parent_active = self.active();
                let v = if !parent_active {
                    false
                } else if name == "if" {
                    self.eval_if(args).map_err(|m| err(self, m))?
                } else {
                    let id = args.first().filter(|t| t.kind == TokKind::Ident).ok_or_else(|| err(self, format!("#{name} needs a macro name")))?;
                    self.macros.is_defined(&id.text) == (name == "ifdef")
                };
                self.conds.push(Cond { parent_active, taken: v, active: v, else_seen: false });
            }
            "elif" | "elifdef" | "elifndef" => {
                let Some(c) = self.conds.last() else {
                    return Err(err(self, format!("#{name} without #if")));
                };
                if c.else_seen {
                    return Err(err(self, format!("#{name} after #else")));
                }
                let (pa, taken) = (c.parent_active, c.taken);
                let v = if !pa || taken {
                    false
                } else if name == "elif" {
                    self.eval_if(args).map_err(|m| err(self, m))?
                } else {
                    let d = args.first().is_some_and(|t| self.macros.is_defined(&t.text));
                    d == (name == "elifdef")
                };
                let c = self.conds.last_mut().expect("checked");
                c.active = v;
                c.taken |= v;
            }
            "else" => {
                let Some(c) = self.conds.last_mut() else {
                    return Err(err(self, "#else without #if".into()));
                };
                if c.else_seen {
                    return Err(err(self, "second #else".into()));
                }
                c.else_seen = true;
                c.active = c.parent_active && !c.taken;
                c.taken = true;
            }
            "endif" => {
                if self.conds.pop().is_none() {
                    return Err(err(self, "#endif without #if".into()));
                }
            }
            _ if !self.active() => {}
            "define" => self.define(args).map_err(|m| err(self, m))?,
            "undef" => {
                if let Some(t) = args.first() {
                    self.macros.undef(&t.text);
                }
            }
            "include" | "include_next" | "import" => self.include(fi, line, col0, args, depth)?,
            "error" => {
                let msg = rest.trim_start().strip_prefix("error").unwrap_or("").trim();
                return Err(err(self, format!("#error {msg}")));
            }
            "pragma" => {
                if args.first().is_some_and(|t| t.text == "once") {
                    self.once.insert(fi);
                    return Ok(());
                }
                // Vendor pragma arguments are macro-expanded (Vitis does so for HLS pragmas).
                let keep = args.len().min(2);
                let mut body: Vec<Tok> = args[..keep].to_vec();
                let tail = self.macros.expand(args[keep..].to_vec()).map_err(|m| err(self, m))?;
                body.extend(tail);
                let mut text = String::from("#pragma");
                let ws_before = |col: u32| -> bool {
                    let at = (col as usize).saturating_sub(col0 as usize + 1);
                    at == 0 || rest.as_bytes().get(at - 1).is_none_or(|b| b.is_ascii_whitespace())
                };
                let mut prev_expanded_at: Option<u32> = None;
                for t in &body {
                    let last = text.as_bytes().last().copied().unwrap_or(b' ');
                    let first = t.text.as_bytes().first().copied().unwrap_or(b' ');
                    let w = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
                    let gap = (w(last) && w(first))
                        || if t.expanded { prev_expanded_at != Some(t.col) && ws_before(t.col) } else { ws_before(t.col) };
                    if gap {
                        text.push(' ');
                    }
                    text.push_str(&t.text);
                    prev_expanded_at = t.expanded.then_some(t.col);
                }
                self.out.pragma_line((fi, line), text);
            }
            "warning" | "line" | "ident" | "sccs" | "assert" | "unassert" => {}
            _ if name.chars().all(|c| c.is_ascii_digit()) => {} // `# 12 "file"` line marker
            other => {
                self.warnings.push((Loc { file: fi, line, col: col0 + 1 }, format!("unknown preprocessor directive #{other} ignored")));
            }
        }
        Ok(())
    }

    fn define(&mut self, args: &[Tok]) -> Result<(), String> {
        let Some(name) = args.first().filter(|t| t.kind == TokKind::Ident) else {
            return Err("#define needs a macro name".into());
        };
        let mut body_start = 1;
        let mut params = None;
        let mut variadic = false;
        // Function-like only when `(` touches the name.
        if let Some(p) = args.get(1).filter(|p| p.is("(") && p.col as usize == name.col as usize + name.text.len()) {
            let _ = p;
            let mut ps = Vec::new();
            let mut i = 2;
            loop {
                let Some(t) = args.get(i) else {
                    return Err(format!("unterminated parameter list in #define {}", name.text));
                };
                i += 1;
                if t.is(")") {
                    break;
                }
                if t.is(",") {
                    continue;
                }
                if t.is("...") {
                    variadic = true;
                } else if t.kind == TokKind::Ident {
                    if args.get(i).is_some_and(|n| n.is("...")) {
                        // GNU named variadic `args...`: treat as __VA_ARGS__ under that name.
                        ps.push(t.text.clone());
                        i += 1;
                        continue;
                    }
                    ps.push(t.text.clone());
                } else {
                    return Err(format!("bad parameter `{}` in #define {}", t.text, name.text));
                }
            }
            params = Some(ps);
            body_start = i;
        }
        let body = args[body_start..].iter().map(|t| Tok { hide: Vec::new(), ..t.clone() }).collect();
        self.macros.define(&name.text, params, variadic, body);
        Ok(())
    }

    fn eval_if(&mut self, args: &[Tok]) -> Result<bool, String> {
        // `defined X` / `defined(X)` before expansion; `__has_include(...)` counts as absent.
        let mut pre: Vec<Tok> = Vec::with_capacity(args.len());
        let mut i = 0;
        while i < args.len() {
            let t = &args[i];
            if t.kind == TokKind::Ident && (t.text == "defined" || t.text == "__has_include" || t.text == "__has_include_next") {
                let (name, skip) = if args.get(i + 1).is_some_and(|n| n.is("(")) {
                    let close = args[i + 1..].iter().position(|n| n.is(")")).map(|p| p + i + 1).ok_or("missing `)` after defined")?;
                    (args.get(i + 2).map(|n| n.text.clone()).unwrap_or_default(), close + 1 - i)
                } else {
                    (args.get(i + 1).map(|n| n.text.clone()).unwrap_or_default(), 2)
                };
                let v = t.text == "defined" && self.macros.is_defined(&name);
                pre.push(Tok { kind: TokKind::Number, text: if v { "1".into() } else { "0".into() }, ..t.clone() });
                i += skip;
                continue;
            }
            pre.push(t.clone());
            i += 1;
        }
        let toks = self.macros.expand(pre)?;
        let et: Vec<expr::ExprTok> = toks.iter().map(|t| expr::ExprTok { kind: t.kind, text: &t.text }).collect();
        if et.is_empty() {
            return Err("#if with no expression".into());
        }
        expr::eval(&et).map(|v| v != 0)
    }

    fn include(&mut self, fi: u16, line: u32, col0: u32, args: &[Tok], depth: u32) -> Result<(), FrontError> {
        let mut args = args.to_vec();
        if args.first().is_some_and(|t| t.kind == TokKind::Ident) {
            args = self.macros.expand(args).map_err(|m| self.err(fi, line, col0 + 1, FrontErrorKind::Preprocess, m))?;
        }
        let (target, system) = match args.first() {
            Some(t) if t.kind == TokKind::Str => (t.text.trim_matches('"').to_string(), false),
            Some(t) if t.is("<") => {
                let close = args.iter().position(|t| t.is(">")).unwrap_or(args.len());
                let mut s = String::new();
                for t in &args[1..close] {
                    s.push_str(&t.text);
                }
                (s, true)
            }
            _ => return Err(self.err(fi, line, col0 + 1, FrontErrorKind::Preprocess, "#include expects \"file\" or <file>".into())),
        };
        let loc = Loc { file: fi, line, col: col0 + 1 };
        let found = match self.find_in_set(&target, fi) {
            Some(i) => Some(i),
            None if system => {
                self.system_header(&target);
                return Ok(());
            }
            None => self.find_on_disk(&target, fi, loc)?,
        };
        let Some(idx) = found else {
            if builtin_header(&target).is_some() || is_vendor_header(&target) {
                self.system_header(&target);
            } else {
                self.warnings.push((loc, format!("#include \"{target}\" not found; skipped")));
            }
            return Ok(());
        };
        if self.once.contains(&idx) {
            return Ok(());
        }
        if depth + 1 > MAX_INCLUDE_DEPTH {
            return Err(self.err(fi, line, col0 + 1, FrontErrorKind::Preprocess, format!("#include nested deeper than {MAX_INCLUDE_DEPTH} (include cycle through \"{target}\"?)")));
        }
        self.run_file(idx, depth + 1)
    }

    fn find_in_set(&self, target: &str, from: u16) -> Option<u16> {
        let norm = |s: &str| s.trim_start_matches("./").replace('\\', "/");
        let t = norm(target);
        if let Some(i) = self.files.iter().position(|f| norm(&f.name) == t) {
            return Some(i as u16);
        }
        // Relative to the including file's directory.
        let from_name = norm(&self.files[from as usize].name);
        if let Some((dir, _)) = from_name.rsplit_once('/') {
            let joined = format!("{dir}/{t}");
            if let Some(i) = self.files.iter().position(|f| norm(&f.name) == joined) {
                return Some(i as u16);
            }
        }
        let base = file_base(&t);
        self.files.iter().position(|f| file_base(&norm(&f.name)) == base).map(|i| i as u16)
    }

    fn find_on_disk(&mut self, target: &str, from: u16, loc: Loc) -> Result<Option<u16>, FrontError> {
        let mut dirs: Vec<PathBuf> = Vec::new();
        if let Some(parent) = Path::new(&self.files[from as usize].name).parent() {
            if !parent.as_os_str().is_empty() {
                dirs.push(parent.to_path_buf());
            }
        }
        dirs.extend(self.cfg.include_dirs.iter().cloned());
        for d in dirs {
            let p = d.join(target);
            if !p.is_file() {
                continue;
            }
            let name = p.to_string_lossy().into_owned();
            if let Some(i) = self.files.iter().position(|f| f.name == name) {
                return Ok(Some(i as u16));
            }
            let bytes = std::fs::read(&p).map_err(|e| self.err(loc.file, loc.line, loc.col, FrontErrorKind::Io, format!("cannot read {name}: {e}")))?;
            let text = crate::check_text(&name, bytes, self.cfg.max_file_bytes)?;
            if self.files.len() >= u16::MAX as usize {
                return Err(self.err(loc.file, loc.line, loc.col, FrontErrorKind::BadInput, "too many files".into()));
            }
            self.files.push(PpFile { name, text });
            return Ok(Some((self.files.len() - 1) as u16));
        }
        Ok(None)
    }

    /// A system or vendor header that is not in the file set: its types are built in; a few
    /// macros that kernels use from it are defined here.
    fn system_header(&mut self, target: &str) {
        let base = file_base(target);
        // hls_math.h: whether it exports overloads unqualified is not documented; keep the
        // type-based reading rather than guess `double`.
        if base == "tgmath.h" || self.cpp && matches!(base, "math.h" | "hls_math.h") {
            self.math_overloads = true;
        }
        if let Some(defs) = builtin_header(target) {
            for (k, v) in defs {
                if !self.macros.is_defined(k) {
                    self.macros.define_text(k, v);
                }
            }
        }
    }
}

/// The file name of an include path (`hls/ap_int.h` → `ap_int.h`).
fn file_base(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn is_vendor_header(name: &str) -> bool {
    let base = file_base(name);
    base.starts_with("ap_") || base.starts_with("hls_") || base.starts_with("etc/") || base == "hls_stream.h"
}

fn builtin_header(name: &str) -> Option<&'static [(&'static str, &'static str)]> {
    const MATH: &[(&str, &str)] = &[
        ("M_PI", "3.14159265358979323846"),
        ("M_PI_2", "1.57079632679489661923"),
        ("M_PI_4", "0.78539816339744830962"),
        ("M_E", "2.7182818284590452354"),
        ("M_SQRT2", "1.41421356237309504880"),
        ("M_LN2", "0.69314718055994530942"),
        ("M_1_PI", "0.31830988618379067154"),
        ("M_2_PI", "0.63661977236758134308"),
        ("INFINITY", "(__builtin_inff())"),
        ("NAN", "(__builtin_nanf(\"\"))"),
        ("HUGE_VAL", "(__builtin_huge_val())"),
    ];
    const LIMITS: &[(&str, &str)] = &[
        ("CHAR_BIT", "8"),
        ("SCHAR_MAX", "127"),
        ("SCHAR_MIN", "(-128)"),
        ("UCHAR_MAX", "255"),
        ("CHAR_MAX", "127"),
        ("CHAR_MIN", "(-128)"),
        ("SHRT_MAX", "32767"),
        ("SHRT_MIN", "(-32768)"),
        ("USHRT_MAX", "65535"),
        ("INT_MAX", "2147483647"),
        ("INT_MIN", "(-2147483647-1)"),
        ("UINT_MAX", "4294967295U"),
        ("LONG_MAX", "9223372036854775807L"),
        ("LONG_MIN", "(-9223372036854775807L-1)"),
        ("ULONG_MAX", "18446744073709551615UL"),
        ("LLONG_MAX", "9223372036854775807LL"),
        ("LLONG_MIN", "(-9223372036854775807LL-1)"),
        ("ULLONG_MAX", "18446744073709551615ULL"),
        ("INT8_MAX", "127"),
        ("INT8_MIN", "(-128)"),
        ("UINT8_MAX", "255"),
        ("INT16_MAX", "32767"),
        ("INT16_MIN", "(-32768)"),
        ("UINT16_MAX", "65535"),
        ("INT32_MAX", "2147483647"),
        ("INT32_MIN", "(-2147483647-1)"),
        ("UINT32_MAX", "4294967295U"),
        ("INT64_MAX", "9223372036854775807LL"),
        ("UINT64_MAX", "18446744073709551615ULL"),
    ];
    const FLOAT: &[(&str, &str)] = &[
        ("FLT_MAX", "3.40282347e+38F"),
        ("FLT_MIN", "1.17549435e-38F"),
        ("FLT_EPSILON", "1.19209290e-7F"),
        ("DBL_MAX", "1.7976931348623157e+308"),
        ("DBL_MIN", "2.2250738585072014e-308"),
        ("DBL_EPSILON", "2.2204460492503131e-16"),
    ];
    const STD: &[(&str, &str)] = &[("NULL", "0"), ("EXIT_SUCCESS", "0"), ("EXIT_FAILURE", "1"), ("RAND_MAX", "2147483647")];
    const BOOL: &[(&str, &str)] = &[("true", "1"), ("false", "0"), ("bool", "_Bool")];
    let base = file_base(name);
    match base {
        "math.h" | "cmath" | "hls_math.h" => Some(MATH),
        "limits.h" | "climits" | "stdint.h" | "cstdint" | "inttypes.h" | "cinttypes" => Some(LIMITS),
        "float.h" | "cfloat" => Some(FLOAT),
        "stdlib.h" | "cstdlib" | "stddef.h" | "cstddef" | "stdio.h" | "cstdio" | "string.h" | "cstring" => Some(STD),
        "stdbool.h" => Some(&BOOL[..0]),
        _ => None,
    }
}
