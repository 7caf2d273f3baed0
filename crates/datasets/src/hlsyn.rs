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
#[serde(from = "RawRecord")]
pub struct HlsynRecord {
    pub key: String,
    pub point: DesignPoint,
    pub perf: f64,
    pub valid: bool,
    pub res_util: BTreeMap<String, f64>,
    /// `res_util` entries the run left unrecorded: written as an integer `0` where every number
    /// the reports gave is a float. The files use that integer as their fill for a missing
    /// count: it stands beside a zero FF on most records (the README's "zero LUT/FF: missing"),
    /// and as the DSP count of double-precision designs whose neighbours, one knob apart, use
    /// hundreds of DSPs (v20 symm-opt, symm, trmm).
    pub unrecorded: Vec<String>,
}

/// A record as the JSON holds it; numbers kept as written, to tell the integer fill from a
/// measured `0.0`.
#[derive(Deserialize)]
struct RawRecord {
    point: DesignPoint,
    perf: f64,
    valid: bool,
    res_util: BTreeMap<String, serde_json::Number>,
}

impl From<RawRecord> for HlsynRecord {
    fn from(raw: RawRecord) -> HlsynRecord {
        let unrecorded = raw.res_util.iter().filter(|(_, n)| n.as_u64() == Some(0)).map(|(k, _)| k.clone()).collect();
        let res_util = raw.res_util.into_iter().map(|(k, n)| (k, n.as_f64().unwrap_or(f64::NAN))).collect();
        HlsynRecord { key: String::new(), point: raw.point, perf: raw.perf, valid: raw.valid, res_util, unrecorded }
    }
}

impl HlsynRecord {
    /// The recorded QoR, or `None` where the numbers are missing (perf 0, zero LUT/FF — the
    /// dataset's way of saying the run produced nothing usable — or an unrecorded count).
    pub fn qor(&self) -> Option<Qor> {
        let get = |k: &str| self.res_util.get(k).copied().unwrap_or(0.0).max(0.0).round() as u64;
        let (lut, ff) = (get("total-LUT"), get("total-FF"));
        let unrecorded = ["total-LUT", "total-FF", "total-DSP", "total-BRAM"].iter().any(|k| self.unrecorded.iter().any(|u| u == k));
        if self.perf.is_nan() || self.perf <= 0.0 || lut == 0 || ff == 0 || unrecorded {
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

    /// An integer `0` is the files' fill for a count the run did not give; a float `0.0` is a
    /// measured zero (a design without multipliers uses no DSP).
    #[test]
    fn an_integer_zero_count_is_unrecorded_and_a_float_zero_is_zero() {
        let rec = |dsp: &str| -> HlsynRecord {
            serde_json::from_str(&format!(
                r#"{{"point":{{}},"perf":5000.0,"valid":true,
                    "res_util":{{"total-LUT":23583.0,"total-FF":27060.0,"total-DSP":{dsp},"total-BRAM":106.0,"util-DSP":0}}}}"#
            ))
            .unwrap()
        };
        let fill = rec("0");
        assert_eq!(fill.unrecorded, ["total-DSP", "util-DSP"]);
        assert_eq!(fill.res_util["total-DSP"], 0.0);
        assert!(fill.qor().is_none());
        let zero = rec("0.0").qor().expect("a measured zero is a number");
        assert_eq!((zero.resources.dsp, zero.resources.lut, zero.resources.bram), (0, 23583, 106));
        assert_eq!(rec("93.0").qor().unwrap().resources.dsp, 93);
        // A util fraction written as an integer 0 says nothing about the counts.
        assert!(rec("12.0").qor().is_some());
    }

    #[test]
    fn a_template_is_found_by_its_normalised_text() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("designs/v20")).unwrap();
        std::fs::create_dir_all(dir.path().join("sources")).unwrap();
        let src = "#pragma ACCEL kernel\nvoid k(double a[4]) {\n#pragma ACCEL PARALLEL FACTOR=auto{__PARA__L0}\n  for (int i = 0; i < 4; i++) a[i] = 0;\n}\n";
        std::fs::write(dir.path().join("sources/k_kernel.c"), src).unwrap();
        let rec = r#"{"point":{"__PARA__L0":2},"perf":10.0,"valid":true,"res_util":{"total-LUT":1.0,"total-FF":1.0,"total-DSP":0.0,"total-BRAM":0.0}}"#;
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
