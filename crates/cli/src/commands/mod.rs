//! One module per subcommand: its clap arguments and its `run`, returning the exit code.

pub mod accuracy;
pub mod dse;
pub mod experiment;
pub mod estimate;
pub mod proxy;
pub mod setup;
pub mod space;
pub mod store;
pub mod synth;
pub mod verify;
