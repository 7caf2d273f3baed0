//! Comparing a testbench's output with a task's golden output: token by token, numbers within
//! a tolerance, everything else exactly; whitespace layout is not significant.

use serde::{Deserialize, Serialize};

/// Numeric tolerance: a pair of numbers matches if `|a-b| <= abs + rel * |golden|`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tolerance {
    #[serde(default = "default_abs")]
    pub abs: f64,
    #[serde(default = "default_rel")]
    pub rel: f64,
}

fn default_abs() -> f64 {
    1e-6
}
fn default_rel() -> f64 {
    1e-6
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            abs: default_abs(),
            rel: default_rel(),
        }
    }
}

/// The first difference found, in words fit for a report.
pub fn compare(actual: &str, golden: &str, tol: Tolerance) -> Result<(), String> {
    let a: Vec<&str> = actual.split_whitespace().collect();
    let g: Vec<&str> = golden.split_whitespace().collect();
    for (i, (x, y)) in a.iter().zip(g.iter()).enumerate() {
        let ok = match (x.parse::<f64>(), y.parse::<f64>()) {
            (Ok(xv), Ok(yv)) => {
                (xv.is_nan() && yv.is_nan())
                    || xv == yv
                    || (xv - yv).abs() <= tol.abs + tol.rel * yv.abs()
            }
            _ => x == y,
        };
        if !ok {
            return Err(format!("token {} differs: got `{x}`, golden `{y}`", i + 1));
        }
    }
    if a.len() != g.len() {
        return Err(format!(
            "output has {} tokens, golden output has {}",
            a.len(),
            g.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_within_tolerance_match() {
        let t = Tolerance {
            abs: 1e-3,
            rel: 0.0,
        };
        assert!(compare("y = 1.0004\n2", "y = 1.0\n 2", t).is_ok());
        assert!(compare("y = 1.01 2", "y = 1.0 2", t)
            .unwrap_err()
            .contains("token 3"));
    }

    #[test]
    fn relative_tolerance_scales_with_golden() {
        let t = Tolerance {
            abs: 0.0,
            rel: 1e-2,
        };
        assert!(compare("1005", "1000", t).is_ok());
        assert!(compare("1020", "1000", t).is_err());
    }

    #[test]
    fn words_must_match_exactly_and_length_counts() {
        let t = Tolerance::default();
        assert!(compare("PASS", "FAIL", t).is_err());
        assert!(compare("1 2 3", "1 2", t).unwrap_err().contains("3 tokens"));
        assert!(compare("1 2", "1 2 3", t).is_err());
    }
}
