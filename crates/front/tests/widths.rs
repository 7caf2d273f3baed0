//! Demanded-bits narrowing (`lower/narrow.rs`): C promotes narrow integer arithmetic to
//! `int`, and Vitis builds it only as wide as its users keep.

mod common;

use common::all_ops;
use hlsseek_front::{parse_kernel, FrontOptions, SourceFile};
use hlsseek_ir::{OpKind, ScalarType};

/// The widths of the adds of `k`, in order.
fn add_widths(body: &str) -> Vec<u32> {
    let text = format!(
        "#include <stdint.h>\n\
         void k(uint8_t a[64], uint8_t b[64], uint8_t c[64], uint16_t d[64], bool f[64], uint16_t *out) {{\n{body}\n}}\n"
    );
    let k = parse_kernel(&[SourceFile { name: "k.cpp".into(), text }], "k", &FrontOptions::default()).unwrap();
    all_ops(&k.function("k").unwrap().body)
        .into_iter()
        .filter(|op| op.kind == OpKind::Add && matches!(op.ty, ScalarType::Int { .. }))
        .map(|op| op.ty.bits())
        .collect()
}

#[test]
fn an_add_stored_to_bytes_is_a_byte_wide() {
    assert_eq!(add_widths("for (int i = 0; i < 64; i++) c[i] = a[i] + b[i];"), vec![8]);
    // Through a multiply and an add, into 16 bits.
    assert_eq!(add_widths("for (int i = 0; i < 64; i++) d[i] = a[i] * b[i] + c[i];"), vec![16]);
    // A shift amount keeps all its bits, whatever the shifted value's users keep.
    assert_eq!(add_widths("for (int i = 0; i < 64; i++) c[i] = a[i] << (b[i] + 1);"), vec![32]);
}

#[test]
fn a_variable_keeps_its_own_width_and_other_uses_keep_all_bits() {
    // Accumulated in a 16-bit variable.
    assert_eq!(add_widths("uint16_t r = 0;\nfor (int i = 0; i < 64; i++) r += a[i] << 2;\n*out = r;"), vec![16]);
    // The same sum also compared: the comparison sees the carry, so all 32 bits stay.
    assert_eq!(add_widths("for (int i = 0; i < 64; i++) { int s = a[i] + b[i]; c[i] = s; f[i] = s > 255; }"), vec![32]);
    // Stored to bytes and to 16 bits: the wider store decides.
    assert_eq!(add_widths("for (int i = 0; i < 64; i++) { int s = a[i] + b[i]; c[i] = s; d[i] = s; }"), vec![16]);
}
