//! `hlsseek proxy` (being written).

#[derive(clap::Subcommand)]
pub enum ProxyCommand {}

pub fn run(_cmd: ProxyCommand) -> anyhow::Result<u8> {
    anyhow::bail!("`proxy` is not implemented yet")
}
