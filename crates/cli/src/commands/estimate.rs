//! `hlsseek estimate` (being written).

#[derive(clap::Args)]
pub struct EstimateArgs {}

pub fn run(_args: EstimateArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`estimate` is not implemented yet")
}
