//! Metrics for comparing predictions with recorded truth: rank correlation, percentage error,
//! pairwise order accuracy.

/// Average ranks (1-based), ties sharing the mean rank.
pub fn ranks(values: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && values[idx[j + 1]] == values[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            out[k] = rank;
        }
        i = j + 1;
    }
    out
}

/// Pearson correlation; `None` when either side has no variance or fewer than 2 points.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let mx = x.iter().sum::<f64>() / n as f64;
    let my = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let (dx, dy) = (x[i] - mx, y[i] - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx == 0.0 || syy == 0.0 {
        return None;
    }
    Some(sxy / (sxx * syy).sqrt())
}

/// Spearman rank correlation (Pearson on average ranks, so ties are handled).
pub fn spearman(x: &[f64], y: &[f64]) -> Option<f64> {
    pearson(&ranks(x), &ranks(y))
}

/// Kendall's tau-b over all pairs; `None` when either side is constant.
pub fn kendall_tau(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len().min(y.len());
    let (mut concordant, mut discordant, mut tie_x, mut tie_y) = (0f64, 0f64, 0f64, 0f64);
    for i in 0..n {
        for j in i + 1..n {
            let dx = x[i].total_cmp(&x[j]) as i32;
            let dy = y[i].total_cmp(&y[j]) as i32;
            match (dx, dy) {
                (0, 0) => {}
                (0, _) => tie_x += 1.0,
                (_, 0) => tie_y += 1.0,
                _ if dx == dy => concordant += 1.0,
                _ => discordant += 1.0,
            }
        }
    }
    let denom = ((concordant + discordant + tie_x) * (concordant + discordant + tie_y)).sqrt();
    (denom > 0.0).then(|| (concordant - discordant) / denom)
}

/// Median; `None` for an empty slice.
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    Some(if v.len().is_multiple_of(2) { (v[m - 1] + v[m]) / 2.0 } else { v[m] })
}

/// Absolute percentage error of `predicted` against `truth`; `None` where the truth is 0
/// (undefined: such cases are counted apart by callers).
pub fn ape(predicted: f64, truth: f64) -> Option<f64> {
    (truth != 0.0).then(|| ((predicted - truth) / truth).abs() * 100.0)
}

/// Fraction of pairs whose order the prediction gets right, over pairs whose true values differ
/// by more than `rel_margin` (relative to the larger). Returns (correct, counted).
pub fn pair_order(predicted: &[f64], truth: &[f64], rel_margin: f64) -> (u64, u64) {
    let (mut ok, mut n) = (0, 0);
    for i in 0..truth.len() {
        for j in i + 1..truth.len() {
            let (a, b) = (truth[i], truth[j]);
            if (a - b).abs() <= rel_margin * a.abs().max(b.abs()) {
                continue;
            }
            n += 1;
            if (predicted[i] - predicted[j]).signum() == (a - b).signum() {
                ok += 1;
            }
        }
    }
    (ok, n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_is_one() {
        let x = [1.0, 2.0, 3.0, 10.0];
        let y = [5.0, 6.0, 100.0, 1000.0];
        assert!((spearman(&x, &y).unwrap() - 1.0).abs() < 1e-12);
        let rev: Vec<f64> = y.iter().map(|v| -v).collect();
        assert!((spearman(&x, &rev).unwrap() + 1.0).abs() < 1e-12);
    }

    #[test]
    fn ranks_average_ties() {
        assert_eq!(ranks(&[10.0, 20.0, 10.0, 30.0]), vec![1.5, 3.0, 1.5, 4.0]);
    }

    #[test]
    fn kendall_known_value() {
        // One discordant pair out of three.
        let t = kendall_tau(&[1.0, 2.0, 3.0], &[1.0, 3.0, 2.0]).unwrap();
        assert!((t - 1.0 / 3.0).abs() < 1e-12);
        assert_eq!(kendall_tau(&[1.0, 1.0], &[1.0, 2.0]), None);
    }

    #[test]
    fn median_and_ape() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert!((ape(110.0, 100.0).unwrap() - 10.0).abs() < 1e-9);
        assert_eq!(ape(1.0, 0.0), None);
    }

    #[test]
    fn pair_order_skips_close_pairs() {
        let (ok, n) = pair_order(&[1.0, 2.0, 3.0], &[100.0, 100.5, 300.0], 0.01);
        assert_eq!(n, 2);
        assert_eq!(ok, 2);
    }
}
