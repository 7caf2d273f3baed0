//! ForgeHLS `kernels.json`: one record per kernel with its sources and Vitis csynth results.

use crate::{parse_json, DatasetError};
use hlsseek_front::SourceFile;
use hlsseek_qor::{Latency, Qor, Resources};
use serde::Deserialize;
use std::path::Path;

/// The target of every ForgeHLS record.
pub const PART: &str = "xcu280-fsvh2892-2L-e";
pub const CLOCK_NS: f64 = 10.0;

#[derive(Clone, Debug, Deserialize)]
pub struct ForgeRecord {
    pub source_code: Vec<ForgeFile>,
    pub top_function_name: String,
    #[serde(default)]
    pub algo_name: String,
    #[serde(default)]
    pub source_name: String,
    #[serde(rename = "Part", default)]
    pub part: Option<String>,
    #[serde(rename = "TargetClockPeriod", default)]
    pub clock_ns: Option<f64>,
    #[serde(rename = "Best-caseLatency", default)]
    pub best_latency: Option<f64>,
    #[serde(rename = "Worst-caseLatency", default)]
    pub worst_latency: Option<f64>,
    #[serde(rename = "LUT", default)]
    pub lut: Option<f64>,
    #[serde(rename = "FF", default)]
    pub ff: Option<f64>,
    #[serde(rename = "DSP", default)]
    pub dsp: Option<f64>,
    #[serde(rename = "BRAM_18K", default)]
    pub bram: Option<f64>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct ForgeFile {
    pub file_name: String,
    pub file_content: String,
}

impl ForgeRecord {
    /// A name that identifies the record in reports: `source_name/algo_name`.
    pub fn name(&self) -> String {
        format!("{}/{}", self.source_name, self.algo_name)
    }

    pub fn files(&self) -> Vec<SourceFile> {
        self.source_code
            .iter()
            .map(|f| SourceFile { name: f.file_name.clone(), text: f.file_content.clone() })
            .collect()
    }

    /// The recorded QoR. Latency bounds are `None` where the report said undefined.
    pub fn qor(&self) -> Qor {
        let n = |v: Option<f64>| v.filter(|x| x.is_finite() && *x >= 0.0).map(|x| x.round() as u64);
        Qor {
            latency: Latency { min: n(self.best_latency), max: n(self.worst_latency) },
            ii: None,
            resources: Resources {
                lut: n(self.lut).unwrap_or(0),
                ff: n(self.ff).unwrap_or(0),
                dsp: n(self.dsp).unwrap_or(0),
                bram: n(self.bram).unwrap_or(0),
                uram: None,
            },
        }
    }
}

pub fn load(path: &Path) -> Result<Vec<ForgeRecord>, DatasetError> {
    parse_json(path, "ForgeHLS kernels.json")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_record_and_keeps_undefined_latency() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kernels.json");
        std::fs::write(
            &path,
            r#"[{"source_code":[{"file_name":"a.cpp","file_content":"void f(){}"}],
                "top_function_name":"f","algo_name":"a","source_name":"ops",
                "Best-caseLatency":3,"Worst-caseLatency":null,"LUT":10,"FF":5,"DSP":1,"BRAM_18K":0}]"#,
        )
        .unwrap();
        let recs = load(&path).unwrap();
        assert_eq!(recs.len(), 1);
        let q = recs[0].qor();
        assert_eq!(q.latency, Latency { min: Some(3), max: None });
        assert_eq!(q.resources.lut, 10);
        assert_eq!(recs[0].files()[0].name, "a.cpp");
    }

    #[test]
    fn garbage_is_a_format_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kernels.json");
        std::fs::write(&path, "{not json").unwrap();
        let err = load(&path).unwrap_err().to_string();
        assert!(err.contains("kernels.json") && err.contains("not a valid"), "{err}");
    }
}
