//! `hlsseek setup` (being written).

#[derive(clap::Args)]
pub struct SetupArgs {}

pub fn run(_args: SetupArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`setup` is not implemented yet")
}
