//! `hlsseek accuracy` (being written).

#[derive(clap::Subcommand)]
pub enum AccuracyCommand {}

pub fn run(_cmd: AccuracyCommand) -> anyhow::Result<u8> {
    anyhow::bail!("`accuracy` is not implemented yet")
}
