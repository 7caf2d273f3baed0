//! `hlsseek store` (being written).

#[derive(clap::Subcommand)]
pub enum StoreCommand {}

pub fn run(_cmd: StoreCommand) -> anyhow::Result<u8> {
    anyhow::bail!("`store` is not implemented yet")
}
