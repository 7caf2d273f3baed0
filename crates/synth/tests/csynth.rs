//! The csynth.xml parser against every value listed in shared/data/vitis-reports/README.md,
//! the loop facts it lists, and broken input.

use hlsseek_synth::vitis::csynth::{parse, parse_file, CsynthReport};
use std::path::{Path, PathBuf};

fn reports() -> Option<PathBuf> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/vitis-reports"));
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!("skipped: vitis reports not found at {}", p.display());
        None
    }
}

/// One row of the README table.
struct Row {
    file: &'static str,
    version: &'static str,
    part: &'static str,
    top: &'static str,
    clock: f64,
    uncertainty: f64,
    est_clock: f64,
    pipeline: &'static str,
    latency: [Option<u64>; 3],
    ii: [Option<u64>; 2],
    res: [u64; 4], // LUT, FF, DSP, BRAM_18K
    dsp_tag: &'static str,
    uram: Option<u64>,
}

const U: Option<u64> = None;
const fn n(v: u64) -> Option<u64> {
    Some(v)
}

#[rustfmt::skip]
const ROWS: &[Row] = &[
    Row { file: "hls4ml-myproject/csynth.xml", version: "2020.1", part: "xc7z020-clg400-1", top: "myproject", clock: 5.00, uncertainty: 0.62, est_clock: 4.049, pipeline: "dataflow", latency: [n(10), n(10), n(10)], ii: [n(8), n(8)], res: [2532, 7969, 73, 0], dsp_tag: "DSP48E", uram: Some(0) },
    Row { file: "heterocl-canny/csynth.xml", version: "2019.1.3", part: "xc7z020-clg484-1", top: "test", clock: 10.00, uncertainty: 1.25, est_clock: 9.634, pipeline: "none", latency: [n(170457505), n(172726855), n(176256955)], ii: [n(170457506), n(176256956)], res: [6919, 3146, 19, 1536], dsp_tag: "DSP48E", uram: Some(0) },
    Row { file: "heterocl-kmeans/csynth.xml", version: "2019.1.3", part: "xcu280-fsvh2892-2L-e", top: "test", clock: 3.33, uncertainty: 0.90, est_clock: 2.433, pipeline: "none", latency: [n(9192682), n(9192682), n(9192682)], ii: [n(9192683), n(9192683)], res: [170965, 305902, 0, 122], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "heterocl-dataflow/csynth.xml", version: "2019.1.3", part: "xc7z020-clg484-1", top: "test", clock: 10.00, uncertainty: 1.25, est_clock: 6.186, pipeline: "dataflow", latency: [n(3137), n(3137), n(3137)], ii: [n(3138), n(3138)], res: [912, 299, 0, 0], dsp_tag: "DSP48E", uram: Some(0) },
    Row { file: "heterocl-dataflow/Loop_B_i_proc4_csynth.xml", version: "2019.1.3", part: "xc7z020-clg484-1", top: "Loop_B_i_proc4", clock: 10.00, uncertainty: 1.25, est_clock: 6.186, pipeline: "none", latency: [n(3137), n(3137), n(3137)], ii: [n(3137), n(3137)], res: [183, 69, 0, 0], dsp_tag: "DSP48E", uram: Some(0) },
    Row { file: "autobridge-stencil-compute/csynth.xml", version: "2019.2", part: "xcu250-figd2104-2L-e", top: "compute", clock: 3.33, uncertainty: 0.42, est_clock: 2.615, pipeline: "none", latency: [U, U, U], ii: [U, U], res: [60166, 116392, 704, 128], dsp_tag: "DSP48E", uram: Some(0) },
    Row { file: "systolic-multiplier/csynth.xml", version: "2022.2", part: "xck26-sfvc784-2LV-c", top: "multiplier", clock: 10.00, uncertainty: 2.70, est_clock: 7.300, pipeline: "no", latency: [n(260), n(260), n(260)], ii: [n(261), n(261)], res: [26638, 18616, 192, 0], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "alveo-streamhls/csynth.xml", version: "2023.2", part: "xcu55c-fsvh2892-2L-e", top: "streamhls", clock: 5.00, uncertainty: 1.35, est_clock: 3.650, pipeline: "dataflow", latency: [n(165), n(165), n(165)], ii: [n(91), n(91)], res: [6800, 10567, 48, 30], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "prometheus-bicg-loop/csynth.xml", version: "2023.2", part: "xcu55c-fsvh2892-2L-e", top: "write_q_FT1_1_Pipeline_VITIS_LOOP_794_1", clock: 4.55, uncertainty: 1.23, est_clock: 1.482, pipeline: "no", latency: [n(7), n(7), n(7)], ii: [n(7), n(7)], res: [125, 71, 0, 0], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "forgebench-conv/csynth.xml", version: "2024.1.2", part: "xczu9eg-ffvb1156-2-e", top: "conv_via_tiling", clock: 10.00, uncertainty: 2.70, est_clock: 7.300, pipeline: "no", latency: [U, U, U], ii: [U, U], res: [41635, 42412, 207, 158], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "picozed-basic-output/csynth.xml", version: "2023.1", part: "xc7z030-sbg485-1", top: "basic_output", clock: 10.00, uncertainty: 2.70, est_clock: 0.000, pipeline: "no", latency: [n(0), n(0), n(0)], ii: [n(1), n(1)], res: [0, 0, 0, 0], dsp_tag: "DSP", uram: Some(0) },
    Row { file: "gpl-hls-sobel/csynth.xml", version: "2018.3", part: "xa7a12tcsg325-1q", top: "hls_sobel", clock: 10.00, uncertainty: 1.25, est_clock: 8.144, pipeline: "dataflow", latency: [n(160), U, n(2089114)], ii: [n(159), n(2089113)], res: [4546, 1680, 0, 9], dsp_tag: "DSP48E", uram: None },
];

fn load(dir: &Path, file: &str) -> CsynthReport {
    parse_file(&dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn every_readme_value_matches() {
    let Some(dir) = reports() else { return };
    for row in ROWS {
        let r = load(&dir, row.file);
        let f = row.file;
        assert_eq!(r.tool_version, row.version, "{f} version");
        assert_eq!(r.part, row.part, "{f} part");
        assert_eq!(r.top, row.top, "{f} top");
        assert_eq!(r.target_clock_ns, Some(row.clock), "{f} target clock");
        assert_eq!(r.clock_uncertainty_ns, Some(row.uncertainty), "{f} uncertainty");
        assert_eq!(r.estimated_clock_ns, Some(row.est_clock), "{f} estimated clock");
        assert_eq!(r.pipeline_type.as_deref(), Some(row.pipeline), "{f} pipeline type");
        assert_eq!([r.latency_best, r.latency_average, r.latency_worst], row.latency, "{f} latency");
        assert_eq!([r.interval.min, r.interval.max], row.ii, "{f} interval");
        let res = r.resources;
        assert_eq!([res.lut, res.ff, res.dsp, res.bram], row.res, "{f} resources");
        assert_eq!(r.dsp_tag, row.dsp_tag, "{f} DSP tag");
        assert_eq!(res.uram, row.uram, "{f} URAM");
        let q = r.qor();
        assert_eq!((q.latency.min, q.latency.max), (row.latency[0], row.latency[2]), "{f} qor latency");
        assert_eq!(q.ii, row.ii[1], "{f} qor ii");
    }
}

#[test]
fn loop_facts_from_the_readme() {
    let Some(dir) = reports() else { return };

    let canny = load(&dir, "heterocl-canny/csynth.xml");
    let ra1 = canny.loops.iter().find(|l| l.name == "A_ra1").expect("A_ra1");
    assert_eq!(ra1.path, ["test", "A_x", "A_y", "A_ra0"]);
    assert_eq!((ra1.trip_count.max, ra1.latency.max, ra1.iteration_latency), (Some(5), Some(70), Some(14)));
    assert!(canny.loops.iter().all(|l| l.ii.is_none() && !l.pipelined), "canny loops have no II");
    let ax = canny.loops.iter().find(|l| l.name == "A_x").unwrap();
    assert_eq!((ax.trip_count.max, ax.latency.max, ax.iteration_latency), (Some(410), Some(92792020), Some(226322)));
    let sx = canny.loops.iter().find(|l| l.name == "S_x7").unwrap();
    assert_eq!((sx.latency.min, sx.latency.max), (Some(1009420), Some(6808870)));

    let kmeans = load(&dir, "heterocl-kmeans/csynth.xml");
    let burst = kmeans.loops.iter().find(|l| l.name == "means_burst_r0_means_burst_r1").unwrap();
    assert_eq!((burst.ii, burst.iteration_latency, burst.trip_count.max, burst.pipelined), (Some(1), Some(3), Some(512), true));
    let points = kmeans.loops.iter().find(|l| l.name == "points_burst_r0_points_burst_r1").unwrap();
    assert_eq!((points.ii, points.iteration_latency, points.trip_count.max), (Some(1), Some(3), Some(10240)));
    let main = kmeans.loops.iter().find(|l| l.name == "main_loop__1").unwrap();
    assert_eq!((main.trip_count.max, main.iteration_latency, main.pipelined, main.ii), (Some(200), Some(45906), false, None));
    let n = kmeans.loops.iter().find(|l| l.name == "n").unwrap();
    assert_eq!(n.path, ["test", "main_loop__1"]);
    assert_eq!((n.ii, n.iteration_latency), (Some(142), Some(143)));

    let bicg = load(&dir, "prometheus-bicg-loop/csynth.xml");
    assert_eq!(bicg.loops.len(), 1);
    let l = &bicg.loops[0];
    assert_eq!(l.name, "VITIS_LOOP_794_1");
    assert_eq!((l.trip_count.max, l.latency.max, l.ii, l.iteration_latency, l.pipelined), (Some(5), Some(5), Some(1), Some(2), true));

    let stencil = load(&dir, "autobridge-stencil-compute/csynth.xml");
    let epoch = stencil.loops.iter().find(|l| l.name == "compute_epoch").unwrap();
    assert_eq!((epoch.ii, epoch.iteration_latency, epoch.pipelined), (Some(1), Some(35), true));
    assert_eq!((epoch.trip_count.max, epoch.latency.max), (None, None));

    let conv = load(&dir, "forgebench-conv/csynth.xml");
    let l90 = conv.loops.iter().find(|l| l.name == "VITIS_LOOP_90_4").unwrap();
    assert_eq!((l90.trip_count.max, l90.latency.max, l90.iteration_latency), (None, None, None));
    let l129 = conv.loops.iter().find(|l| l.name == "VITIS_LOOP_129_12").unwrap();
    assert_eq!(l129.path.len(), 4, "nested three deep under the top: {:?}", l129.path);
    let pico = load(&dir, "picozed-basic-output/csynth.xml");
    assert_eq!(pico.qor().resources.lut, 0);

    let avail = load(&dir, "prometheus-bicg-loop/csynth.xml").available.unwrap();
    assert_eq!((avail.lut, avail.dsp, avail.uram), (1303680, 9024, Some(960)));
}

#[test]
fn truncated_reports_give_a_positioned_error() {
    let Some(dir) = reports() else { return };
    for row in ROWS {
        let text = std::fs::read_to_string(dir.join(row.file)).unwrap();
        let half = &text[..text.len() / 2];
        let err = parse(half, row.file).unwrap_err();
        assert!(err.line > 0, "{}: {err}", row.file);
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("{}:{}:", row.file, err.line)) && msg.contains("not a valid csynth.xml"), "{msg}");
    }
}

#[test]
fn garbage_and_wrong_documents_are_clear_errors() {
    let cases = [
        ("", "does not have a root"),
        ("not xml at all", ""),
        ("<html><body/></html>", "root element is <html>"),
        ("<profile><PerformanceEstimates/></profile>", "has no <SummaryOfOverallLatency>"),
        (
            "<profile><PerformanceEstimates><SummaryOfOverallLatency><Best-caseLatency>12x</Best-caseLatency>\
             </SummaryOfOverallLatency></PerformanceEstimates></profile>",
            "`12x`, not a cycle count",
        ),
        (
            "<profile><PerformanceEstimates><SummaryOfOverallLatency/></PerformanceEstimates>\
             <AreaEstimates><Resources><FF>1</FF></Resources></AreaEstimates></profile>",
            "no number in <LUT>",
        ),
    ];
    for (xml, want) in cases {
        let err = parse(xml, "r.xml").unwrap_err().to_string();
        assert!(err.starts_with("r.xml:") && err.contains(want), "{xml:?} -> {err}");
    }
    let err = parse_file(Path::new("/nonexistent/csynth.xml")).unwrap_err().to_string();
    assert!(err.contains("/nonexistent/csynth.xml"), "{err}");
}

#[test]
fn ranges_in_both_spellings() {
    // As sub-module sections of Vitis 2024.1 write them (forgebench-conv, module loops).
    let xml = "<profile><UserAssignments><TopModelName>k</TopModelName></UserAssignments>
        <PerformanceEstimates><SummaryOfOverallLatency>
        <Best-caseLatency>3</Best-caseLatency><Worst-caseLatency>0 ~ 3249</Worst-caseLatency>
        <Interval-min>undef</Interval-min><Interval-max>-</Interval-max></SummaryOfOverallLatency>
        <SummaryOfLoopLatency><L><Name>L_renamed</Name>
          <TripCount><range><min>0</min><max>3136</max></range></TripCount>
          <Latency>0 ~ 3249</Latency><PipelineII>1</PipelineII><PipelineDepth>115</PipelineDepth></L>
        </SummaryOfLoopLatency></PerformanceEstimates>
        <AreaEstimates><Resources><LUT>1</LUT><FF>2</FF><DSP>3</DSP><BRAM_18K>4</BRAM_18K></Resources></AreaEstimates>
        </profile>";
    let r = parse(xml, "fixture").unwrap();
    assert_eq!((r.latency_best, r.latency_worst), (Some(3), Some(3249)));
    assert_eq!((r.interval.min, r.interval.max), (None, None));
    let l = &r.loops[0];
    assert_eq!(l.name, "L_renamed");
    assert_eq!(l.path, ["k"]);
    assert_eq!((l.trip_count.min, l.trip_count.max), (Some(0), Some(3136)));
    assert_eq!((l.latency.min, l.latency.max), (Some(0), Some(3249)));
    assert_eq!((l.ii, l.iteration_latency, l.pipelined), (Some(1), Some(115), true));
    assert_eq!(r.resources.uram, None);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_text(s in "\\PC{0,300}") {
            let _ = parse(&s, "x");
        }

        #[test]
        fn never_panics_on_mangled_reports(cut in 0usize..7508, byte in any::<u8>()) {
            let Some(dir) = reports() else { return Ok(()) };
            let mut text = std::fs::read(dir.join("prometheus-bicg-loop/csynth.xml")).unwrap();
            let at = cut.min(text.len() - 1);
            text[at] = byte;
            let _ = parse(&String::from_utf8_lossy(&text), "x");
        }
    }
}
