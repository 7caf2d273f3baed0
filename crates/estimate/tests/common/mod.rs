//! Shared by the estimator's integration tests: estimate a fixture of the front-end's tests
//! (`crates/front/tests/fixtures`), whose IR the front-end's golden tests pin.

use hlsseek_estimate::{estimate, Estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use std::path::Path;

/// `file` of the front-end's fixtures, `top` estimated on the xcu280 at 10 ns.
pub fn estimate_front_fixture(file: &str, top: &str) -> Estimate {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../front/tests/fixtures").join(file);
    let files = vec![SourceFile { name: file.into(), text: std::fs::read_to_string(path).unwrap() }];
    let k = parse_kernel(&files, top, &FrontOptions::default()).unwrap();
    estimate(&k, &Profile::builtin("xcu280").unwrap(), Some(10.0)).unwrap()
}
