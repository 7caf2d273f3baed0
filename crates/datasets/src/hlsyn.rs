//! HLSyn: Merlin design spaces (`sources/`) and their recorded points (`designs/<version>/`).

use crate::{parse_json, read_text, DatasetError};
use hlsseek_front::SourceFile;
use hlsseek_ir::DesignPoint;
use hlsseek_qor::{Latency, Qor, Resources};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The target of every HLSyn record.
pub const PART: &str = "xcvu9p-flgb2104-2-i";
pub const CLOCK_NS: f64 = 4.0;

/// Tool versions the dataset has results for.
pub const VERSIONS: [&str; 2] = ["v18", "v20"];

/// One recorded design point.
#[derive(Clone, Debug, Deserialize)]
pub struct HlsynRecord {
    #[serde(skip)]
    pub key: String,
    pub point: DesignPoint,
    pub perf: f64,
    pub valid: bool,
    pub res_util: BTreeMap<String, f64>,
}

impl HlsynRecord {
    /// The recorded QoR, or `None` where the numbers are missing (perf 0, or zero LUT/FF —
    /// the dataset's way of saying the run produced nothing usable).
    pub fn qor(&self) -> Option<Qor> {
        let get = |k: &str| self.res_util.get(k).copied().unwrap_or(0.0).max(0.0).round() as u64;
        let (lut, ff) = (get("total-LUT"), get("total-FF"));
        if self.perf.is_nan() || self.perf <= 0.0 || lut == 0 || ff == 0 {
            return None;
        }
        Some(Qor {
            latency: Latency::exact(self.perf.round() as u64),
            ii: None,
            resources: Resources { lut, ff, dsp: get("total-DSP"), bram: get("total-BRAM"), uram: None },
        })
    }
}

/// One kernel of one version: its template source and its recorded points (sorted by key).
#[derive(Clone, Debug)]
pub struct HlsynKernel {
    pub name: String,
    pub version: String,
    pub source: SourceFile,
    pub records: Vec<HlsynRecord>,
}

impl HlsynKernel {
    /// The synthesized function: the one after `#pragma ACCEL kernel`.
    pub fn top(&self) -> Option<String> {
        merlin_top(&self.source.text)
    }
}

/// The dataset root (the folder holding `designs/` and `sources/`).
#[derive(Clone, Debug)]
pub struct Hlsyn {
    root: PathBuf,
}

impl Hlsyn {
    pub fn open(root: &Path) -> Result<Hlsyn, DatasetError> {
        for sub in ["designs", "sources"] {
            let p = root.join(sub);
            if !p.is_dir() {
                return Err(DatasetError::Format {
                    path: root.display().to_string(),
                    format: "HLSyn dataset",
                    message: format!("missing folder `{sub}/`"),
                });
            }
        }
        Ok(Hlsyn { root: root.to_path_buf() })
    }

    /// Kernel names recorded for `version`, sorted.
    pub fn kernel_names(&self, version: &str) -> Result<Vec<String>, DatasetError> {
        let dir = self.root.join("designs").join(version);
        let entries = std::fs::read_dir(&dir)
            .map_err(|source| DatasetError::Io { path: dir.display().to_string(), source })?;
        let mut names: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                name.strip_suffix(".json").map(str::to_string)
            })
            .collect();
        names.sort();
        Ok(names)
    }

    /// The template source of a kernel: `sources/<kernel>_kernel.c`, or the one
    /// `sources/<kernel>_*kernel.c` where the benchmark suite named it differently.
    pub fn source_path(&self, kernel: &str) -> Result<PathBuf, DatasetError> {
        let dir = self.root.join("sources");
        let exact = dir.join(format!("{kernel}_kernel.c"));
        if exact.is_file() {
            return Ok(exact);
        }
        let prefix = format!("{kernel}_");
        let mut candidates: Vec<PathBuf> = std::fs::read_dir(&dir)
            .map_err(|source| DatasetError::Io { path: dir.display().to_string(), source })?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                let n = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                n.starts_with(&prefix) && n.ends_with("_kernel.c")
            })
            .collect();
        candidates.sort();
        match candidates.len() {
            1 => Ok(candidates.remove(0)),
            0 => Err(DatasetError::Format {
                path: exact.display().to_string(),
                format: "HLSyn dataset",
                message: format!("no source for kernel `{kernel}`"),
            }),
            _ => Err(DatasetError::Format {
                path: dir.display().to_string(),
                format: "HLSyn dataset",
                message: format!("several sources could belong to kernel `{kernel}`"),
            }),
        }
    }

    pub fn kernel(&self, version: &str, name: &str) -> Result<HlsynKernel, DatasetError> {
        let path = self.root.join("designs").join(version).join(format!("{name}.json"));
        let map: BTreeMap<String, HlsynRecord> = parse_json(&path, "HLSyn design JSON")?;
        let records = map
            .into_iter()
            .map(|(key, mut r)| {
                r.key = key;
                r
            })
            .collect();
        let src = self.source_path(name)?;
        let file_name = src.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(HlsynKernel {
            name: name.to_string(),
            version: version.to_string(),
            source: SourceFile { name: file_name, text: read_text(&src)? },
            records,
        })
    }

    /// Every kernel of a version.
    pub fn kernels(&self, version: &str) -> Result<Vec<HlsynKernel>, DatasetError> {
        self.kernel_names(version)?.iter().map(|k| self.kernel(version, k)).collect()
    }

    /// The kernel of `version` whose template is `files` (one file, the same text once
    /// normalised: comments and layout do not matter), if any.
    pub fn kernel_of_template(&self, version: &str, files: &[SourceFile]) -> Result<Option<HlsynKernel>, DatasetError> {
        let [file] = files else { return Ok(None) };
        let want = hlsseek_front::normalize_source(&file.text);
        // Compare the templates first: only the matching kernel's recorded points are read.
        for name in self.kernel_names(version)? {
            if hlsseek_front::normalize_source(&read_text(&self.source_path(&name)?)?) == want {
                return self.kernel(version, &name).map(Some);
            }
        }
        Ok(None)
    }
}

/// Name of the function that follows `#pragma ACCEL kernel`.
pub fn merlin_top(source: &str) -> Option<String> {
    let after = source.split("#pragma ACCEL kernel").nth(1)?;
    let paren = after.find('(')?;
    let head = after[..paren].trim_end();
    let start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let name = &head[start..];
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_merlin_top() {
        let src = "#pragma ACCEL kernel\n\nvoid kernel_gemm(int ni, double C[60][70])\n{}";
        assert_eq!(merlin_top(src).as_deref(), Some("kernel_gemm"));
        assert_eq!(merlin_top("void f() {}"), None);
    }

    #[test]
    fn missing_numbers_are_not_zero() {
        let rec: HlsynRecord = serde_json::from_str(
            r#"{"point":{"__PIPE__L0":"flatten","__PARA__L1":4},"perf":0.0,"valid":true,
                "res_util":{"total-LUT":0,"total-FF":0,"total-DSP":0,"total-BRAM":0}}"#,
        )
        .unwrap();
        assert!(rec.qor().is_none());
        assert_eq!(rec.point.len(), 2);
    }

    #[test]
    fn a_template_is_found_by_its_normalised_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("designs/v20")).unwrap();
        std::fs::create_dir_all(dir.path().join("sources")).unwrap();
        let src = "#pragma ACCEL kernel\nvoid k(double a[4]) {\n#pragma ACCEL PARALLEL FACTOR=auto{__PARA__L0}\n  for (int i = 0; i < 4; i++) a[i] = 0;\n}\n";
        std::fs::write(dir.path().join("sources/k_kernel.c"), src).unwrap();
        let rec = r#"{"point":{"__PARA__L0":2},"perf":10.0,"valid":true,"res_util":{"total-LUT":1,"total-FF":1,"total-DSP":0,"total-BRAM":0}}"#;
        std::fs::write(dir.path().join("designs/v20/k.json"), format!("{{\"a\": {rec}}}")).unwrap();
        let ds = Hlsyn::open(dir.path()).unwrap();
        let file = |text: &str| vec![SourceFile { name: "mine.c".into(), text: text.into() }];
        // Comments and layout do not matter.
        let same = format!("// my copy\n{}", src.replace("  for", "for"));
        let k = ds.kernel_of_template("v20", &file(&same)).unwrap().expect("found");
        assert_eq!((k.name.as_str(), k.records.len()), ("k", 1));
        assert!(ds.kernel_of_template("v20", &file(&src.replace("i < 4", "i < 3"))).unwrap().is_none());
        let two = [file(src), file(src)].concat();
        assert!(ds.kernel_of_template("v20", &two).unwrap().is_none());
    }

    #[test]
    fn reads_the_shared_dataset_when_present() {
        let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/hlsyn"));
        if !root.is_dir() {
            eprintln!("skipped: HLSyn data not found at {}", root.display());
            return;
        }
        let ds = Hlsyn::open(root).unwrap();
        for version in VERSIONS {
            for k in ds.kernels(version).unwrap() {
                assert!(!k.records.is_empty(), "{version}/{}", k.name);
                assert!(k.top().is_some(), "no ACCEL kernel function in {}", k.source.name);
            }
        }
        assert_eq!(ds.source_path("stencil").unwrap().file_name().unwrap(), "stencil_stencil2d_kernel.c");
    }
}
