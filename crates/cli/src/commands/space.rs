//! `hlsseek space` (being written).

#[derive(clap::Args)]
pub struct SpaceArgs {}

pub fn run(_args: SpaceArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`space` is not implemented yet")
}
