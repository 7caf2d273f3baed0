//! `hlsseek`: the command-line front of the toolkit. Thin: each subcommand parses its arguments
//! and calls into the library crates; printing and exit codes live here only.

mod commands;
mod input;
mod output;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "hlsseek", version, about = "QoR-aware High-Level Synthesis toolkit")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Estimate latency, II and resources of a kernel with the embedded analytical model.
    Estimate(commands::estimate::EstimateArgs),
    /// Show the knobs of a design space (pragma placeholders) or render one of its points.
    Space(commands::space::SpaceArgs),
    /// Measure the estimator against a published dataset (ForgeHLS, HLSyn).
    #[command(subcommand)]
    Accuracy(commands::accuracy::AccuracyCommand),
    /// Compile and C-simulate a candidate against a task's testbench in a sandbox.
    Verify(commands::verify::VerifyArgs),
    /// Synthesize a design through a backend (estimate, recorded, vitis); results are stored.
    Synth(commands::synth::SynthArgs),
    /// Inspect or export the QoR result store.
    #[command(subcommand)]
    Store(commands::store::StoreCommand),
    /// The comparative proxy reward model: train, evaluate, compare two designs.
    #[command(subcommand)]
    Proxy(commands::proxy::ProxyCommand),
    /// Explore a design space's pragma knobs: the proxy picks what deserves real synthesis.
    Dse(commands::dse::DseArgs),
    /// Measured experiments: the self-improving reward loop, DSE against random sampling.
    #[command(subcommand)]
    Experiment(commands::experiment::ExperimentCommand),
    /// Fetch and cache what optional features need (HLS headers for C simulation).
    Setup(commands::setup::SetupArgs),
}

fn main() -> ExitCode {
    // Behave like a Unix filter: when the reader of stdout goes away (`| head`), stop quietly
    // instead of panicking on the failed write.
    // SAFETY: called before any thread starts; restores the default disposition of one signal.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Estimate(a) => commands::estimate::run(a),
        Command::Space(a) => commands::space::run(a),
        Command::Accuracy(a) => commands::accuracy::run(a),
        Command::Verify(a) => commands::verify::run(a),
        Command::Setup(a) => commands::setup::run(a),
        Command::Synth(a) => commands::synth::run(a),
        Command::Store(a) => commands::store::run(a),
        Command::Proxy(a) => commands::proxy::run(a),
        Command::Dse(a) => commands::dse::run(a),
        Command::Experiment(a) => commands::experiment::run(a),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
