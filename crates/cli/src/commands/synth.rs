//! `hlsseek synth` (being written).

#[derive(clap::Args)]
pub struct SynthArgs {}

pub fn run(_args: SynthArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`synth` is not implemented yet")
}
