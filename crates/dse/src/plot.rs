//! The picture of a search: latency (y, log) against one resource number (x, log) for every
//! successful design, with the Pareto front highlighted, written as PNG.
//!
//! The resource number is the **mean utilisation of LUT, FF, DSP and BRAM18K against the part's
//! capacity**, in percent ([`resource_use`]): one axis has to summarise four resources, and
//! utilisation (rather than raw counts) puts them on one scale, the one that decides whether a
//! design fits. The front is the five-objective Pareto front, so a front design can sit above
//! another point in this projection (it wins on a resource the mean hides).
//!
//! Text is drawn with plotters' `ab_glyph` backend from a font embedded in the binary
//! (`assets/DejaVuSans-ascii.ttf`, a 10 KB ASCII subset of DejaVu Sans; licence in
//! `assets/FONT-LICENSE`), so plotting works on a machine without any system font.

use crate::error::{DseError, Result};
use hlsseek_estimate::Capacity;
use hlsseek_qor::Qor;
use plotters::prelude::*;
use std::path::Path;

static FONT: &[u8] = include_bytes!("../assets/DejaVuSans-ascii.ttf");

/// How a point is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Synthesized, dominated.
    Other,
    /// On the Pareto front found.
    Front,
    /// The fastest design found (also on the front).
    Best,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PlotPoint {
    /// Mean utilisation in percent ([`resource_use`]).
    pub resource: f64,
    /// Latency in cycles.
    pub latency: f64,
    pub mark: Mark,
}

/// Mean of LUT, FF, DSP and BRAM18K utilisation of `cap`, in percent.
pub fn resource_use(q: &Qor, cap: &Capacity) -> f64 {
    let r = &q.resources;
    let frac = |used: u64, avail: u64| if avail == 0 { 0.0 } else { used as f64 / avail as f64 };
    (frac(r.lut, cap.lut) + frac(r.ff, cap.ff) + frac(r.dsp, cap.dsp) + frac(r.bram, cap.bram18k)) * 100.0 / 4.0
}

fn register_font() -> Result<()> {
    static DONE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let ok = *DONE.get_or_init(|| plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_ok());
    if ok {
        Ok(())
    } else {
        Err(DseError::Plot { path: String::new(), message: "the embedded font could not be loaded".into() })
    }
}

/// Draw `points` into a PNG at `path` (`width` × `height` pixels).
pub fn plot_front(path: &Path, title: &str, x_label: &str, points: &[PlotPoint], size: (u32, u32)) -> Result<()> {
    let fail = |m: String| DseError::Plot { path: path.display().to_string(), message: m };
    register_font().map_err(|e| fail(e.to_string()))?;
    draw(path, title, x_label, points, size).map_err(fail)
}

fn bounds(v: impl Iterator<Item = f64>, floor: f64) -> (f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for x in v.filter(|x| x.is_finite()) {
        lo = lo.min(x.max(floor));
        hi = hi.max(x.max(floor));
    }
    if !lo.is_finite() {
        return (1.0, 10.0);
    }
    // Half a decade of air on each side; a single value still gets a visible range.
    (lo / 1.8, (hi * 1.8).max(lo * 3.0))
}

/// A tick label: whole numbers without decimals, small ones with as many as they need.
fn tick(v: f64) -> String {
    if v >= 1.0 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.4}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn draw(path: &Path, title: &str, x_label: &str, points: &[PlotPoint], size: (u32, u32)) -> std::result::Result<(), String> {
    let e = |x: &dyn std::fmt::Display| x.to_string();
    let root = BitMapBackend::new(path, size).into_drawing_area();
    root.fill(&WHITE).map_err(|x| e(&x))?;
    let (x0, x1) = bounds(points.iter().map(|p| p.resource), 1e-4);
    let (y0, y1) = bounds(points.iter().map(|p| p.latency), 1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(title, ("sans-serif", 22))
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(84)
        .build_cartesian_2d((x0..x1).log_scale(), (y0..y1).log_scale())
        .map_err(|x| e(&x))?;
    chart
        .configure_mesh()
        .x_desc(x_label)
        .y_desc("latency (cycles, log scale)")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 16))
        .light_line_style(RGBColor(235, 235, 235))
        .x_label_formatter(&|x| tick(*x))
        .y_label_formatter(&|y| tick(*y))
        .draw()
        .map_err(|x| e(&x))?;
    let xy = |p: &PlotPoint| (p.resource.max(1e-4), p.latency.max(1.0));
    let grey = RGBColor(140, 140, 140);
    let others: Vec<(f64, f64)> = points.iter().filter(|p| p.mark == Mark::Other).map(xy).collect();
    chart
        .draw_series(others.iter().map(|&c| Circle::new(c, 4, grey.filled())))
        .map_err(|x| e(&x))?
        .label("synthesized")
        .legend(move |(x, y)| Circle::new((x + 10, y), 4, grey.filled()));
    let mut front: Vec<(f64, f64)> = points.iter().filter(|p| p.mark != Mark::Other).map(xy).collect();
    front.sort_by(|a, b| a.0.total_cmp(&b.0));
    // The front designs joined in resource order, to make the trade-off visible.
    chart.draw_series(LineSeries::new(front.iter().copied(), RED.mix(0.5).stroke_width(1))).map_err(|x| e(&x))?;
    chart
        .draw_series(front.iter().map(|&c| Circle::new(c, 5, RED.filled())))
        .map_err(|x| e(&x))?
        .label("Pareto front (5 objectives)")
        .legend(|(x, y)| Circle::new((x + 10, y), 5, RED.filled()));
    let best: Vec<(f64, f64)> = points.iter().filter(|p| p.mark == Mark::Best).map(xy).collect();
    chart
        .draw_series(best.iter().map(|&c| TriangleMarker::new(c, 9, BLUE.filled())))
        .map_err(|x| e(&x))?
        .label("lowest latency")
        .legend(|(x, y)| TriangleMarker::new((x + 10, y), 7, BLUE.filled()));
    if points.is_empty() {
        chart.draw_series(std::iter::once(Text::new("no successful synthesis", (x0 * 2.0, y1 / 3.0), ("sans-serif", 18)))).map_err(|x| e(&x))?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .label_font(("sans-serif", 14))
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()
        .map_err(|x| e(&x))?;
    root.present().map_err(|x| e(&x))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_png_with_text() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("front.png");
        let pts = [
            PlotPoint { resource: 0.5, latency: 1e5, mark: Mark::Front },
            PlotPoint { resource: 2.0, latency: 2e5, mark: Mark::Other },
            PlotPoint { resource: 8.0, latency: 1e3, mark: Mark::Best },
        ];
        plot_front(&path, "test", "mean utilisation (%)", &pts, (640, 400)).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // An empty plot is still a picture.
        plot_front(&path, "empty", "x", &[], (320, 200)).unwrap();
        assert_eq!(&std::fs::read(&path).unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    }
}
