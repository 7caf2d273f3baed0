//! `hlsseek verify` (being written).

#[derive(clap::Args)]
pub struct VerifyArgs {}

pub fn run(_args: VerifyArgs) -> anyhow::Result<u8> {
    anyhow::bail!("`verify` is not implemented yet")
}
