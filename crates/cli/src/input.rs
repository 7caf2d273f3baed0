//! Reading the user's source files and design points from the command line.

use anyhow::{bail, Context, Result};
use hlsseek_front::{FrontOptions, SourceFile};
use hlsseek_ir::{DesignPoint, KnobValue};
use std::path::{Path, PathBuf};

/// Read source files as given on the command line. The name kept is the path as typed, so
/// messages point at what the user wrote; includes are resolved next to each file.
pub fn load_sources(paths: &[PathBuf]) -> Result<(Vec<SourceFile>, FrontOptions)> {
    if paths.is_empty() {
        bail!("no source files given");
    }
    let mut files = Vec::new();
    let mut opts = FrontOptions::default();
    for path in paths {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            anyhow::anyhow!(
                "{}: not a text source file (invalid UTF-8 at byte {})",
                path.display(),
                e.utf8_error().valid_up_to()
            )
        })?;
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        if !opts.include_dirs.contains(&dir) {
            opts.include_dirs.push(dir);
        }
        files.push(SourceFile { name: path.display().to_string(), text });
    }
    Ok((files, opts))
}

/// Parse a design point given as JSON (`{"__PARA__L0": 4, "__PIPE__L0": "flatten"}`), as
/// `@file.json`, or as `NAME=VALUE,NAME=VALUE`.
pub fn parse_point(spec: &str) -> Result<DesignPoint> {
    let spec = spec.trim();
    if let Some(path) = spec.strip_prefix('@') {
        let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {path}"))?;
        return parse_point(&text);
    }
    if spec.starts_with('{') {
        return serde_json::from_str(spec).context("design point is not a JSON object of knob values");
    }
    let mut point = DesignPoint::new();
    for item in spec.split(',').filter(|s| !s.trim().is_empty()) {
        let Some((name, value)) = item.split_once('=') else {
            bail!("bad design point entry `{item}`: expected NAME=VALUE");
        };
        let value = value.trim();
        let value = match value.parse::<u64>() {
            Ok(v) => KnobValue::Int(v),
            Err(_) => KnobValue::Text(value.trim_matches('"').to_string()),
        };
        point.insert(name.trim().to_string(), value);
    }
    Ok(point)
}

/// The result store at `url`, or the per-user default store when none is given.
pub fn open_store(url: Option<&str>) -> Result<std::sync::Arc<dyn hlsseek_store::ResultStore>> {
    let loc = match url {
        Some(url) => hlsseek_store::StoreLocation::parse(url)?,
        None => hlsseek_store::default_location()?,
    };
    Ok(std::sync::Arc::from(hlsseek_store::open(&loc)?))
}

/// A store and where it lives, or neither.
pub type OpenedStore = (Option<std::sync::Arc<dyn hlsseek_store::ResultStore>>, Option<String>);

/// [`open_store`] with where it lives, or neither when the user said `--no-store`.
pub fn open_store_unless(no_store: bool, url: Option<&str>) -> Result<OpenedStore> {
    if no_store {
        return Ok((None, None));
    }
    let store = open_store(url)?;
    let at = store.location();
    Ok((Some(store), Some(at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_parse_in_all_three_forms() {
        let a = parse_point(r#"{"__PARA__L0": 4, "__PIPE__L1": ""}"#).unwrap();
        let b = parse_point("__PARA__L0=4,__PIPE__L1=\"\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(a["__PARA__L0"], KnobValue::Int(4));
        assert!(parse_point("oops").is_err());
    }
}
