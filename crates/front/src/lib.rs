//! HLS C/C++ front-end: source files in, [`hlsseek_ir::Kernel`] out.
//!
//! - [`parse_kernel`]: preprocess ([`pp`]) + parse ([`syntax`], tree-sitter-cpp) + lower
//!   ([`lower`]) a set of source files to the IR of `top`.
//! - [`DesignSpace`]: a kernel whose pragma values are placeholders; exposes knobs, renders points.
//! - [`normalize_source`]: source text with comments and layout removed, for content hashing.
//!
//! The crate never prints; the only I/O is reading headers from `include_dirs` (and
//! [`load_files`], which reads what it is asked to).

mod lower;
mod normalize;
pub mod pp;
mod pragma;
mod space;
mod summary;
mod syntax;

use hlsseek_ir::{Diagnostic, Kernel, Loc, Severity};
use serde::{Deserialize, Serialize};

pub use normalize::normalize_source;
pub use space::DesignSpace;
pub use summary::summarize;

/// One source file, by the name includes refer to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, Default)]
pub struct FrontOptions {
    /// `-D NAME=VALUE` definitions applied before the sources.
    pub defines: Vec<(String, String)>,
    /// Extra directories searched for `#include "..."` after the including file's own.
    pub include_dirs: Vec<std::path::PathBuf>,
}

/// A front-end failure, with the place it happened.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}")]
pub struct FrontError {
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub kind: FrontErrorKind,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FrontErrorKind {
    Io,
    Preprocess,
    Syntax,
    MissingTop,
    Unsupported,
    /// Not text (binary), or beyond the size the front-end accepts.
    BadInput,
}

/// Largest source file accepted (kernels are kilobytes; this bounds time and memory).
pub const MAX_FILE_BYTES: usize = 4 << 20;

impl FrontError {
    fn whole_file(file: &str, kind: FrontErrorKind, message: String) -> Self {
        FrontError { file: file.to_string(), line: 0, col: 0, kind, message }
    }
}

/// Bytes to text, refusing binary and oversized input.
pub(crate) fn check_text(name: &str, bytes: Vec<u8>, limit: usize) -> Result<String, FrontError> {
    if bytes.len() > limit {
        return Err(FrontError::whole_file(
            name,
            FrontErrorKind::BadInput,
            format!("{name} is {} bytes, over the {limit}-byte limit for a source file", bytes.len()),
        ));
    }
    if let Some(p) = bytes.iter().position(|b| *b == 0) {
        return Err(FrontError::whole_file(name, FrontErrorKind::BadInput, format!("{name} is binary (NUL byte at offset {p})")));
    }
    String::from_utf8(bytes).map_err(|e| {
        FrontError::whole_file(name, FrontErrorKind::BadInput, format!("{name} is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
    })
}

fn check_source(f: &SourceFile) -> Result<(), FrontError> {
    if f.text.len() > MAX_FILE_BYTES {
        return Err(FrontError::whole_file(
            &f.name,
            FrontErrorKind::BadInput,
            format!("{} is {} bytes, over the {MAX_FILE_BYTES}-byte limit for a source file", f.name, f.text.len()),
        ));
    }
    if let Some(p) = f.text.bytes().position(|b| b == 0) {
        return Err(FrontError::whole_file(&f.name, FrontErrorKind::BadInput, format!("{} is binary (NUL byte at offset {p})", f.name)));
    }
    Ok(())
}

/// Read source files from disk, named by their path.
pub fn load_files<P: AsRef<std::path::Path>>(paths: &[P]) -> Result<Vec<SourceFile>, FrontError> {
    paths
        .iter()
        .map(|p| {
            let name = p.as_ref().to_string_lossy().into_owned();
            let meta = std::fs::metadata(p).map_err(|e| FrontError::whole_file(&name, FrontErrorKind::Io, format!("cannot read {name}: {e}")))?;
            if meta.len() > MAX_FILE_BYTES as u64 {
                return Err(FrontError::whole_file(
                    &name,
                    FrontErrorKind::BadInput,
                    format!("{name} is {} bytes, over the {MAX_FILE_BYTES}-byte limit for a source file", meta.len()),
                ));
            }
            let bytes = std::fs::read(p).map_err(|e| FrontError::whole_file(&name, FrontErrorKind::Io, format!("cannot read {name}: {e}")))?;
            Ok(SourceFile { text: check_text(&name, bytes, MAX_FILE_BYTES)?, name })
        })
        .collect()
}

fn is_header(name: &str) -> bool {
    let ext = name.rsplit('.').next().unwrap_or("");
    matches!(ext, "h" | "hpp" | "hh" | "hxx" | "inc" | "def" | "tpp" | "ipp")
}

/// Preprocess, parse and lower `files` to the kernel whose top function is `top`.
///
/// Every non-header file is a translation unit (when there is none, every file is); headers are
/// read through `#include`.
pub fn parse_kernel(files: &[SourceFile], top: &str, opts: &FrontOptions) -> Result<Kernel, FrontError> {
    if files.is_empty() {
        return Err(FrontError::whole_file("<input>", FrontErrorKind::BadInput, "no source files given".into()));
    }
    if files.len() >= u16::MAX as usize {
        return Err(FrontError::whole_file("<input>", FrontErrorKind::BadInput, "too many source files".into()));
    }
    for f in files {
        check_source(f)?;
    }
    let mut pp_files: Vec<pp::PpFile> = files.iter().map(|f| pp::PpFile { name: f.name.clone(), text: f.text.clone() }).collect();
    let mut tus: Vec<u16> = (0..files.len() as u16).filter(|&i| !is_header(&files[i as usize].name)).collect();
    if tus.is_empty() {
        tus = (0..files.len() as u16).collect();
    }
    let mut units = Vec::new();
    let mut diagnostics = Vec::new();
    for tu in tus {
        let cfg = pp::PpConfig { defines: &opts.defines, include_dirs: &opts.include_dirs, max_file_bytes: MAX_FILE_BYTES };
        let mut out = pp::Preprocessor::new(&mut pp_files, cfg).run(tu)?;
        let gave_up = || FrontError::whole_file(&files[tu as usize].name, FrontErrorKind::Syntax, "parser gave up".into());
        let mut tree = syntax::parse(&out.text).ok_or_else(gave_up)?;
        if tree.root_node().has_error() {
            if let Some(fixed) = syntax::repair_comma_assign(&out.text) {
                let t2 = syntax::parse(&fixed).ok_or_else(gave_up)?;
                if !t2.root_node().has_error() || count_errors(&t2) < count_errors(&tree) {
                    out.text = fixed;
                    tree = t2;
                }
            }
        }
        let names: Vec<String> = pp_files.iter().map(|f| f.name.clone()).collect();
        for (loc, message) in syntax::check(&tree, &out, &names)? {
            diagnostics.push(Diagnostic { severity: Severity::Warning, loc, message });
        }
        for (loc, message) in &out.warnings {
            diagnostics.push(Diagnostic { severity: Severity::Warning, loc: *loc, message: message.clone() });
        }
        units.push((out, tree));
    }
    let names: Vec<String> = pp_files.iter().map(|f| f.name.clone()).collect();
    let mut kernel = lower::lower(&units, &names, top)?;
    diagnostics.append(&mut kernel.diagnostics);
    kernel.diagnostics = diagnostics;
    Ok(kernel)
}

fn count_errors(t: &tree_sitter::Tree) -> usize {
    let mut n = 0;
    let mut stack = vec![t.root_node()];
    while let Some(x) = stack.pop() {
        if x.is_error() || x.is_missing() {
            n += 1;
            continue;
        }
        if x.has_error() {
            let mut c = x.walk();
            stack.extend(x.children(&mut c));
        }
    }
    n
}

pub(crate) fn loc_error(files: &[String], loc: Loc, kind: FrontErrorKind, message: String) -> FrontError {
    FrontError { file: files.get(loc.file as usize).cloned().unwrap_or_default(), line: loc.line, col: loc.col, kind, message }
}
