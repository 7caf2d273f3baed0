//! The csynth.rpt memory-table reader on the real reports in shared/data/vitis-reports (both
//! layouts), a small Vitis 2022-style report with nested modules, and broken input.

use hlsseek_qor::Storage;
use hlsseek_synth::vitis::rpt::memories;
use std::path::PathBuf;

fn report(name: &str) -> Option<String> {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/vitis-reports")).join(name);
    match std::fs::read_to_string(&p) {
        Ok(t) => Some(t),
        Err(_) => {
            eprintln!("skipped: report not found at {}", p.display());
            None
        }
    }
}

#[test]
fn vivado_memory_table() {
    let Some(text) = report("autobridge-stencil-compute/csynth.rpt") else { return };
    let m = memories(&text, "compute_csynth.rpt").unwrap();
    // The table's Total row: 128 BRAM18K, 15,998 words, 128 banks, 511,936 bits.
    assert_eq!(m.len(), 128);
    assert_eq!(m.iter().map(|x| x.resources.bram).sum::<u64>(), 128);
    assert_eq!(m.iter().map(|x| x.words).sum::<u64>(), 15_998);
    assert_eq!(m.iter().map(|x| x.words * x.width).sum::<u64>(), 511_936);
    let first = &m[0];
    assert_eq!((first.name.as_str(), first.function.as_str()), ("FIFO_124_t1_chan_0_0", "compute"));
    assert_eq!((first.words, first.width, first.banks, first.storage), (124, 32, 1, Storage::Bram));
    assert_eq!(first.resources.uram, Some(0));
}

#[test]
fn reports_without_memories() {
    for name in ["heterocl-dataflow/csynth.rpt", "hls4ml-myproject/csynth.rpt"] {
        let Some(text) = report(name) else { return };
        assert_eq!(memories(&text, name).unwrap(), vec![], "{name}");
    }
}

#[test]
fn vitis_2022_bind_storage_report() {
    let Some(text) = report("systolic-multiplier/csynth.rpt") else { return };
    let m = memories(&text, "csynth.rpt").unwrap();
    assert_eq!(m.len(), 16);
    assert_eq!(m[0].name, "localA");
    assert_eq!(m[15].name, "localB_7");
    // `-` BRAM and `auto`: built in LUTs (the module's BRAM total is 0); no sizes in this layout.
    assert!(m.iter().all(|x| x.function == "multiplier" && x.storage == Storage::Lutram && x.resources.bram == 0 && x.width == 0));
}

const NESTED: &str = "\
================================================================
== Synthesis Summary Report of 'Filter2DKernel'
================================================================
== Bind Storage Report
================================================================
+-------------------+------+------+--------+--------------+---------+--------+---------+
| Name              | BRAM | URAM | Pragma | Variable     | Storage | Impl   | Latency |
+-------------------+------+------+--------+--------------+---------+--------+---------+
| + Filter2DKernel  | 3    | 1    |        |              |         |        |         |
|   pixel_stream_U  | -    | -    |        | pixel_stream | fifo    | srl    | 0       |
|   coefs_U         | -    | 1    | yes    | coefs        | ram_1p  | uram   | 1       |
|  + Window2D       | 3    | 0    |        |              |         |        |         |
|    LineBuffer_U   | 2    | -    |        | LineBuffer   | ram_s2p | auto   | 1       |
|    LineBuffer_1_U | 1    | -    |        | LineBuffer_1 | ram_s2p | auto   | 1       |
+-------------------+------+------+--------+--------------+---------+--------+---------+
";

#[test]
fn nested_modules_name_their_memories() {
    let m = memories(NESTED, "nested.rpt").unwrap();
    let got: Vec<(&str, &str, Storage, u64, Option<u64>)> =
        m.iter().map(|x| (x.name.as_str(), x.function.as_str(), x.storage, x.resources.bram, x.resources.uram)).collect();
    assert_eq!(
        got,
        vec![
            ("pixel_stream", "Filter2DKernel", Storage::Fifo, 0, None),
            ("coefs", "Filter2DKernel", Storage::Uram, 0, Some(1)),
            ("LineBuffer", "Window2D", Storage::Bram, 2, None),
            ("LineBuffer_1", "Window2D", Storage::Bram, 1, None),
        ]
    );
}

#[test]
fn broken_input_is_an_error_with_a_line() {
    let e = memories("hello\nworld\n", "x.rpt").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.to_string().starts_with("x.rpt:1:"), "{e}");

    let bad = NESTED.replace("| 2    | -    |        | LineBuffer ", "| two  | -    |        | LineBuffer ");
    let e = memories(&bad, "bad.rpt").unwrap_err();
    assert_eq!(e.line, 13, "{e}");
    assert!(e.message.contains("\"two\""), "{e}");
}
