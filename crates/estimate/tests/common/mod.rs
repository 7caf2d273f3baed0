//! Shared by the estimator's integration tests: estimate a fixture of the front-end's tests
//! (`crates/front/tests/fixtures`), whose IR the front-end's golden tests pin.
// Each test binary compiles this module and uses only some of it.
#![allow(dead_code)]

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use std::path::Path;

/// The text of `file` of the front-end's fixtures.
pub fn front_fixture(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../front/tests/fixtures").join(file)).unwrap()
}

/// `text` (named `file`), `top` estimated on the xcu280 at 10 ns.
pub fn estimate_source(file: &str, text: String, top: &str) -> Estimate {
    let k = parse_kernel(&[SourceFile { name: file.into(), text }], top, &FrontOptions::default()).unwrap();
    estimate(&k, &Profile::builtin("xcu280").unwrap(), Some(10.0)).unwrap()
}

/// `file` of the front-end's fixtures, `top` estimated on the xcu280 at 10 ns.
pub fn estimate_front_fixture(file: &str, top: &str) -> Estimate {
    estimate_source(file, front_fixture(file), top)
}
