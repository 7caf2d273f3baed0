//! Task folders: our `task.toml` / `task.json` manifest, and HLS-eval's manifest-less layout
//! (`<name>.h`, `<name>_tb.cpp`, `<name>.cpp`, a Markdown description), read into one [`Task`].

use crate::compare::Tolerance;
use crate::error::{Result, VerifyError};
use crate::sandbox::Limits;
use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where a task's definition came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    Manifest,
    HlsEval,
}

/// Per-task overrides of the run limits (absent fields keep the verifier's setting).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitOverrides {
    pub wall_seconds: Option<f64>,
    pub cpu_seconds: Option<u64>,
    pub memory_mb: Option<u64>,
    pub file_size_mb: Option<u64>,
    pub processes: Option<u64>,
}

impl LimitOverrides {
    pub fn apply(&self, mut l: Limits) -> Limits {
        if let Some(w) = self.wall_seconds.filter(|w| w.is_finite() && *w > 0.0) {
            l.wall = Duration::from_secs_f64(w);
        }
        if let Some(c) = self.cpu_seconds {
            l.cpu_seconds = c;
        }
        if let Some(m) = self.memory_mb {
            l.memory_bytes = m << 20;
        }
        if let Some(f) = self.file_size_mb {
            l.file_size_bytes = f << 20;
        }
        if let Some(p) = self.processes {
            l.processes = p;
        }
        l
    }
}

/// One verification task. Paths are absolute.
#[derive(Debug, Clone)]
pub struct Task {
    pub name: String,
    pub dir: PathBuf,
    pub layout: Layout,
    pub description: String,
    pub top: String,
    /// Headers the candidate and testbench include (the task's own `.h` files).
    pub headers: Vec<PathBuf>,
    pub testbench: PathBuf,
    pub reference: Option<PathBuf>,
    /// Expected output; compared with stdout, or with `output_file` when that is set.
    pub golden_output: Option<PathBuf>,
    pub output_file: Option<String>,
    /// Input files the testbench reads, copied next to it.
    pub data: Vec<PathBuf>,
    pub tolerance: Tolerance,
    pub limits: LimitOverrides,
    /// File name the candidate is compiled under (the reference's name where there is one).
    pub candidate_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    name: Option<String>,
    description: Option<String>,
    description_file: Option<String>,
    top: String,
    header: Option<String>,
    #[serde(default)]
    headers: Vec<String>,
    testbench: String,
    reference: Option<String>,
    golden_output: Option<String>,
    output_file: Option<String>,
    #[serde(default)]
    data: Vec<String>,
    #[serde(default)]
    tolerance: Tolerance,
    #[serde(default)]
    limits: LimitOverrides,
}

impl Task {
    /// Reads `dir/task.toml`, else `dir/task.json`, else the HLS-eval layout.
    pub fn load(dir: &Path) -> Result<Task> {
        let dir = dir.canonicalize().map_err(|source| VerifyError::Read {
            path: dir.to_path_buf(),
            source,
        })?;
        if !dir.is_dir() {
            return Err(task_err(&dir, "not a directory"));
        }
        let toml_path = dir.join("task.toml");
        let json_path = dir.join("task.json");
        if toml_path.is_file() {
            let text = read(&toml_path)?;
            let m: Manifest =
                toml::from_str(&text).map_err(|e| task_err(&toml_path, e.to_string()))?;
            Task::from_manifest(&dir, m)
        } else if json_path.is_file() {
            let text = read(&json_path)?;
            let m: Manifest =
                serde_json::from_str(&text).map_err(|e| task_err(&json_path, e.to_string()))?;
            Task::from_manifest(&dir, m)
        } else {
            Task::from_hls_eval(&dir)
        }
    }

    fn from_manifest(dir: &Path, m: Manifest) -> Result<Task> {
        let file = |rel: &str| -> Result<PathBuf> {
            let p = dir.join(rel);
            let canon = p
                .canonicalize()
                .map_err(|_| task_err(dir, format!("`{rel}` does not exist")))?;
            // A manifest may only name files inside its own folder.
            if !canon.starts_with(dir) {
                return Err(task_err(
                    dir,
                    format!("`{rel}` lies outside the task folder"),
                ));
            }
            Ok(canon)
        };
        let description = match (&m.description, &m.description_file) {
            (Some(d), _) => d.clone(),
            (None, Some(f)) => read(&file(f)?)?,
            (None, None) => String::new(),
        };
        let mut headers = Vec::new();
        for h in m.header.iter().chain(m.headers.iter()) {
            headers.push(file(h)?);
        }
        let reference = m.reference.as_deref().map(file).transpose()?;
        let candidate_name = reference
            .as_ref()
            .and_then(|r| r.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| format!("{}.cpp", m.top));
        check_ident(dir, &m.top)?;
        Ok(Task {
            name: m.name.unwrap_or_else(|| dir_name(dir)),
            dir: dir.to_path_buf(),
            layout: Layout::Manifest,
            description,
            top: m.top,
            headers,
            testbench: file(&m.testbench)?,
            reference,
            golden_output: m.golden_output.as_deref().map(file).transpose()?,
            output_file: m.output_file,
            data: m.data.iter().map(|d| file(d)).collect::<Result<_>>()?,
            tolerance: m.tolerance,
            limits: m.limits,
            candidate_name,
        })
    }

    /// HLS-eval layout, as we understand it: one `*_tb.cpp` testbench, `<stem>.h` and
    /// `<stem>.cpp` beside it, a Markdown or text description, other files are testbench data.
    /// The top function is `<stem>` when the header declares it, else the first function the
    /// header declares.
    fn from_hls_eval(dir: &Path) -> Result<Task> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|source| VerifyError::Read {
                path: dir.to_path_buf(),
                source,
            })?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        let name_of = |p: &Path| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let tbs: Vec<&PathBuf> = files
            .iter()
            .filter(|p| {
                let n = name_of(p);
                n.ends_with("_tb.cpp")
                    || n.ends_with("_test.cpp")
                    || n == "tb.cpp"
                    || n == "testbench.cpp"
            })
            .collect();
        let testbench = match tbs.as_slice() {
            [one] => (*one).clone(),
            [] => {
                return Err(task_err(
                    dir,
                    "no task.toml/task.json and no *_tb.cpp testbench",
                ))
            }
            _ => {
                return Err(task_err(
                    dir,
                    "several *_tb.cpp testbenches; add a task.toml naming one",
                ))
            }
        };
        let tb_name = name_of(&testbench);
        let stem = tb_name
            .trim_end_matches(".cpp")
            .trim_end_matches("_tb")
            .trim_end_matches("_test")
            .to_string();
        let mut headers: Vec<PathBuf> = files
            .iter()
            .filter(|p| matches!(ext(p).as_str(), "h" | "hpp" | "hh"))
            .cloned()
            .collect();
        // The main header goes first: it is the one precompiled.
        headers.sort_by_key(|h| name_of(h) != format!("{stem}.h"));
        let reference = files
            .iter()
            .find(|p| name_of(p) == format!("{stem}.cpp"))
            .or_else(|| files.iter().find(|p| ext(p) == "cpp" && **p != testbench))
            .cloned();
        let desc_path = [
            "kernel_description.md",
            "description.md",
            "prompt.md",
            "README.md",
            "description.txt",
            "prompt.txt",
        ]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
        .or_else(|| files.iter().find(|p| ext(p) == "md").cloned());
        let description = desc_path
            .as_deref()
            .map(read)
            .transpose()?
            .unwrap_or_default();
        let main_header = headers.first();
        let header_text = main_header
            .map(|h| read(h))
            .transpose()?
            .unwrap_or_default();
        let top = top_from_header(&header_text, &stem).ok_or_else(|| {
            task_err(
                dir,
                "cannot tell the top function: the header declares no function; add a task.toml",
            )
        })?;
        let data: Vec<PathBuf> = files
            .iter()
            .filter(|p| {
                !matches!(
                    ext(p).as_str(),
                    "cpp" | "cc" | "c" | "h" | "hpp" | "hh" | "md" | "tcl"
                )
            })
            .filter(|p| Some(p.as_path()) != desc_path.as_deref())
            .cloned()
            .collect();
        let candidate_name = reference
            .as_ref()
            .map(|r| name_of(r))
            .unwrap_or_else(|| format!("{top}.cpp"));
        Ok(Task {
            name: dir_name(dir),
            dir: dir.to_path_buf(),
            layout: Layout::HlsEval,
            description,
            top,
            headers,
            testbench,
            reference,
            golden_output: None,
            output_file: None,
            data,
            tolerance: Tolerance::default(),
            limits: LimitOverrides::default(),
            candidate_name,
        })
    }
}

fn top_from_header(text: &str, stem: &str) -> Option<String> {
    let re = Regex::new(
        r"(?m)^\s*(?:extern\s+)?[A-Za-z_][\w:<>, ]*?[\s*&]([A-Za-z_]\w*)\s*\([^;{]*\)\s*;",
    )
    .ok()?;
    let names: Vec<String> = re
        .captures_iter(text)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_string())
        .collect();
    names.iter().find(|n| *n == stem).or(names.first()).cloned()
}

fn check_ident(dir: &Path, top: &str) -> Result<()> {
    let ok = top
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && top.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(task_err(dir, format!("top `{top}` is not a C identifier")))
    }
}

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "task".into())
}

fn read(p: &Path) -> Result<String> {
    std::fs::read_to_string(p).map_err(|source| VerifyError::Read {
        path: p.to_path_buf(),
        source,
    })
}

fn task_err(path: &Path, message: impl Into<String>) -> VerifyError {
    VerifyError::Task {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn hls_eval_layout_is_inferred() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            "fir.h",
            "#include \"ap_int.h\"\ntypedef int data_t;\nvoid fir(data_t *y, data_t x);\n",
        );
        write(d.path(), "fir.cpp", "void fir(int *y, int x) {}");
        write(d.path(), "fir_tb.cpp", "int main() { return 0; }");
        write(d.path(), "kernel_description.md", "A FIR filter.");
        write(d.path(), "input.dat", "1 2 3");
        let t = Task::load(d.path()).unwrap();
        assert_eq!(t.layout, Layout::HlsEval);
        assert_eq!(t.top, "fir");
        assert_eq!(t.description, "A FIR filter.");
        assert_eq!(t.candidate_name, "fir.cpp");
        assert_eq!(t.data.len(), 1);
        assert!(t.data[0].ends_with("input.dat"));
    }

    #[test]
    fn manifest_rejects_paths_outside_the_folder() {
        let d = tempfile::tempdir().unwrap();
        let inner = d.path().join("t");
        std::fs::create_dir(&inner).unwrap();
        write(d.path(), "secret_tb.cpp", "");
        write(
            &inner,
            "task.toml",
            "top = \"k\"\ntestbench = \"../secret_tb.cpp\"\n",
        );
        let e = Task::load(&inner).unwrap_err().to_string();
        assert!(e.contains("outside the task folder"), "{e}");
    }

    #[test]
    fn manifest_with_unknown_key_is_an_error_not_a_panic() {
        let d = tempfile::tempdir().unwrap();
        write(d.path(), "tb.cpp", "");
        write(
            d.path(),
            "task.toml",
            "top = \"k\"\ntestbench = \"tb.cpp\"\ntoplevel = 1\n",
        );
        assert!(Task::load(d.path())
            .unwrap_err()
            .to_string()
            .contains("toplevel"));
    }
}
