//! HLS C/C++ front-end: source files in, [`hlsseek_ir::Kernel`] out.
//!
//! API contract (stable; bodies being written):
//! - [`parse_kernel`]: preprocess + parse + lower a set of source files to the IR of `top`.
//! - [`DesignSpace`]: a kernel whose pragma values are placeholders; exposes knobs, renders points.
//! - [`normalize_source`]: source text with comments and layout removed, for content hashing.

use hlsseek_ir::{DesignPoint, Kernel, Knob};
use serde::{Deserialize, Serialize};

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

pub fn parse_kernel(files: &[SourceFile], top: &str, opts: &FrontOptions) -> Result<Kernel, FrontError> {
    let _ = (files, top, opts);
    unimplemented!("front-end under construction")
}

/// A kernel with placeholder pragma values (`auto{__PARA__L3}`).
#[derive(Clone, Debug)]
pub struct DesignSpace {
    pub files: Vec<SourceFile>,
    pub top: String,
    pub knobs: Vec<Knob>,
}

impl DesignSpace {
    pub fn new(files: Vec<SourceFile>, top: &str, opts: &FrontOptions) -> Result<DesignSpace, FrontError> {
        let _ = (files, top, opts);
        unimplemented!("front-end under construction")
    }

    /// Concrete sources for a point (every knob must have a value).
    pub fn render(&self, point: &DesignPoint) -> Result<Vec<SourceFile>, FrontError> {
        let _ = point;
        unimplemented!("front-end under construction")
    }
}

/// Source with comments removed and whitespace collapsed between tokens, so that two texts that
/// differ only in layout and comments normalise to the same string.
pub fn normalize_source(text: &str) -> String {
    let _ = text;
    unimplemented!("front-end under construction")
}
