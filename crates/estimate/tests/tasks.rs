//! `hls::task` (hls_task.h, Vitis's data-driven task-level parallelism): a task runs its
//! function forever beside its caller, fed by streams. The front-end lowers a task to a
//! free-running call (`HLS_TASK`, `HLS_TASK_STREAM` are the header's macros; bare names as
//! arguments parse as a function declaration), and the estimator builds the task's hardware
//! without waiting for it: the Vitis examples record a latency of 1 for such a top.

use hlsseek_estimate::{estimate, Profile};
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{Kernel, Node};

const TASKS: &str = r#"
#include "hls_task.h"
void scale(hls::stream<int> &in, hls::stream<int> &out, int k) {
  out.write(in.read() * k + 3);
}
void shift(hls::stream<int> &in, hls::stream<int> &out) {
  out.write(in.read() - 7);
}
void top(hls::stream<int> &in, hls::stream<int> &out, int k) {
  HLS_TASK_STREAM<int> mid;
  HLS_TASK t1(scale, in, mid, k);
  HLS_TASK t2(shift, mid, out);
}
"#;

fn kernel() -> Kernel {
    parse_kernel(&[SourceFile { name: "tasks.cpp".into(), text: TASKS.into() }], "top", &FrontOptions::default()).unwrap()
}

#[test]
fn a_task_is_a_free_running_call_bound_to_its_streams() {
    let k = kernel();
    let top = k.function("top").unwrap();
    let calls: Vec<_> = top.body.nodes.iter().filter_map(|n| if let Node::Call(c) = n { Some(c) } else { None }).collect();
    assert_eq!(calls.iter().map(|c| c.callee.as_str()).collect::<Vec<_>>(), ["scale", "shift"], "{:?}", top.body.nodes);
    assert!(calls.iter().all(|c| c.free_running));
    let name = |id: hlsseek_ir::ArrayId| top.array(id).name.as_str();
    let bound: Vec<Vec<(u32, &str)>> = calls.iter().map(|c| c.array_args.iter().map(|&(i, a)| (i, name(a))).collect()).collect();
    assert_eq!(bound, [vec![(0, "in"), (1, "mid")], vec![(0, "mid"), (1, "out")]]);
    assert!(matches!(top.array_by_name("mid").unwrap().kind, hlsseek_ir::ArrayKind::Stream { .. }));
}

#[test]
fn a_task_costs_hardware_but_no_latency() {
    let k = kernel();
    let prof = Profile::builtin("xcu280").unwrap();
    let e = estimate(&k, &prof, None).unwrap();
    assert!(e.qor.latency.value().unwrap() <= 2, "{:?}", e.qor.latency);
    // The tasks' multiplier and adders are built, and the channel between them.
    assert!(e.qor.resources.dsp >= 1, "{:?}", e.qor.resources);
    assert!(e.memories.iter().any(|m| m.name == "mid" && m.resources.ff > 0), "{:?}", e.memories);

    // The same calls, waited for, take longer.
    let mut waited = k.clone();
    for f in &mut waited.functions {
        for n in &mut f.body.nodes {
            if let Node::Call(c) = n {
                c.free_running = false;
            }
        }
    }
    let w = estimate(&waited, &prof, None).unwrap();
    assert!(w.qor.latency.value().unwrap() > e.qor.latency.value().unwrap(), "{:?} vs {:?}", w.qor.latency, e.qor.latency);
}
