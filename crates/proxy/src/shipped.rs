//! The shipped model, embedded in the binary so a fresh build works without training or any file
//! beside the executable. Rebuild with `hlsseek proxy train --hlsyn DIR --out models/proxy`.

pub(crate) const WEIGHTS: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/proxy/model.safetensors"));
pub(crate) const META: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/proxy/meta.json"));
